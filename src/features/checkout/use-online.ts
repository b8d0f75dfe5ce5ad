// Whether the till can reach the card network: the browser's connection and the sync engine's view.
import { useEffect, useState } from 'react';
import { useStore } from 'zustand';
import { useServices } from '@/state/services';

export function useOnline(): boolean {
  const { engine } = useServices();
  const engineOnline = useStore(engine.status, (s) => s.online);
  const [browser, setBrowser] = useState(() => navigator.onLine);
  useEffect(() => {
    const on = () => setBrowser(true);
    const off = () => setBrowser(false);
    window.addEventListener('online', on);
    window.addEventListener('offline', off);
    return () => {
      window.removeEventListener('online', on);
      window.removeEventListener('offline', off);
    };
  }, []);
  return browser && engineOnline;
}
