// Service worker registration and the update flow (workbox-window): a new version waits until the
// person says "Reload", and the prompt is never shown while a sale is in progress.
import { Workbox } from 'workbox-window';
import { create } from 'zustand';

export const useUpdate = create<{ waiting: boolean; apply: () => void }>(() => ({ waiting: false, apply: () => undefined }));

export function registerServiceWorker(): void {
  if (!('serviceWorker' in navigator) || import.meta.env.DEV) return;
  const wb = new Workbox('/sw.js', { scope: '/' });
  wb.addEventListener('waiting', () => {
    useUpdate.setState({
      waiting: true,
      apply: () => {
        wb.addEventListener('controlling', () => window.location.reload());
        wb.messageSkipWaiting();
      },
    });
  });
  void wb.register().then((reg) => {
    // Look for a new version now and then, and whenever the tablet comes back online.
    const check = () => void reg?.update().catch(() => undefined);
    setInterval(check, 30 * 60_000);
    window.addEventListener('online', check);
    (window as unknown as { __vitrineCheckUpdate?: () => void }).__vitrineCheckUpdate = check;
  });
}
