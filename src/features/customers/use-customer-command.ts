// Dispatching a customer command from a screen, with a refusal turned into a sentence to show.
import { useState } from 'react';
import { useServices } from '@/state/services';
import { useSaveError } from '@/state/save-errors';
import { useSession } from '@/state/session';
import { dispatch, type Built } from '@/db/dispatch';
import type { CommandDef, Summary } from '@/core/sync/command';

type Run = <P, S extends Summary>(def: CommandDef<P, S>, payload: Built<P>) => Promise<boolean>;

/** Dispatches a command from the profile, turning a refusal into a sentence. */
export function useCustomerCommand(): { run: Run; error: string | null; clear: () => void } {
  const { db } = useServices();
  const who = useSession((s) => s.who);
  const saveError = useSaveError();
  const [error, setError] = useState<string | null>(null);
  const run: Run = async (def, payload) => {
    if (!who) return false;
    setError(null);
    try {
      await dispatch(db, who.id, def, payload);
      return true;
    } catch (err) {
      setError(saveError(err));
      return false;
    }
  };
  return { error, clear: () => setError(null), run };
}
