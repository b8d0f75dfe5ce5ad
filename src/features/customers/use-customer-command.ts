// Dispatching a customer command from a screen, with a refusal turned into a sentence to show.
import { useState } from 'react';
import { useServices } from '@/state/services';
import { useSaveError } from '@/state/save-errors';
import { useSession } from '@/state/session';
import { dispatch, type Allocators } from '@/db/dispatch';

/** Dispatches a command from the profile, turning a refusal into a sentence. */
export function useCustomerCommand(): { run: <P>(type: string, payload: P | ((a: Allocators) => P)) => Promise<boolean>; error: string | null; clear: () => void } {
  const { db } = useServices();
  const who = useSession((s) => s.who);
  const saveError = useSaveError();
  const [error, setError] = useState<string | null>(null);
  return {
    error,
    clear: () => setError(null),
    run: async <P,>(type: string, payload: P | ((a: Allocators) => P)) => {
      if (!who) return false;
      setError(null);
      try {
        await dispatch<P>(db, who.id, type, payload);
        return true;
      } catch (err) {
        setError(saveError(err));
        return false;
      }
    },
  };
}
