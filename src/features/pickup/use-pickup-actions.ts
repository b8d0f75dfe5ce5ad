// The pickup queue's writes [PQ1]: each transition is one local command (so it works offline), pushed
// later; the server decides conflicts in arrival order [PQ5] and a loser shows in Needs attention.
import { useCallback } from 'react';
import { useServices } from '@/state/services';
import { useSession } from '@/state/session';
import { useSaveError } from '@/state/save-errors';
import { useT, type MessageKey } from '@/i18n';
import { dispatch } from '@/db/dispatch';
import { DomainError } from '@/core/shared/errors';

/** Refusals the queue explains in the active language; anything else keeps the rule's own sentence. */
const KNOWN = new Set(['wrong-order-code', 'invalid-transition']);

export type Outcome = { ok: true } | { ok: false; error: string };
export type Transition = 'order.start-picking' | 'order.mark-ready' | 'order.hand-over' | 'order.mark-short' | 'order.cancel';

export function usePickupActions(storeId: string) {
  const t = useT();
  const { db } = useServices();
  const who = useSession((s) => s.who);
  const saveError = useSaveError();
  return useCallback(
    async (type: Transition, orderId: string, extra: { code?: string; sku?: string } = {}): Promise<Outcome> => {
      if (!who) return { ok: false, error: t('pickup.signIn') };
      try {
        await dispatch(db, who.id, type, { orderId, storeId, ...extra });
        return { ok: true };
      } catch (err) {
        if (err instanceof DomainError && KNOWN.has(err.code)) return { ok: false, error: t(`pickup.err.${err.code}` as MessageKey) };
        return { ok: false, error: saveError(err) };
      }
    },
    [db, who, storeId, saveError, t],
  );
}
