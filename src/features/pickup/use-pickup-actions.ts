// The pickup queue's writes [PQ1]: each transition is one local command (so it works offline), pushed
// later; the server decides conflicts in arrival order [PQ5] and a loser shows in Needs attention.
import { useCallback } from 'react';
import { useServices } from '@/state/services';
import { useSession } from '@/state/session';
import { useSaveError } from '@/state/save-errors';
import { useT, type MessageKey } from '@/i18n';
import { dispatch } from '@/db/dispatch';
import type { CommandDef } from '@/core/sync/command';
import { DomainError } from '@/core/shared/errors';
import { orderCancel, orderHandOver, orderMarkReady, orderMarkShort, orderStartPicking } from '@/core/pickup/pickup-commands';

/** Refusals the queue explains in the active language; anything else keeps the rule's own sentence. */
const KNOWN = new Set(['wrong-order-code', 'invalid-transition', 'line-undecided']);

export type Outcome = { ok: true } | { ok: false; error: string };
/** The transitions a person makes at the queue, by the command each one is [PQ1]. */
const TRANSITIONS = {
  'order.start-picking': orderStartPicking,
  'order.mark-ready': orderMarkReady,
  'order.hand-over': orderHandOver,
  'order.mark-short': orderMarkShort,
  'order.cancel': orderCancel,
} as const;
export type Transition = keyof typeof TRANSITIONS;
/** What some transitions take besides the order: the code (hand over), the line and the choice (mark short). */
export type Extra = { code?: string; sku?: string; resolve?: 'cancel' | 'reassign'; from?: string };

export function usePickupActions(storeId: string) {
  const t = useT();
  const { db } = useServices();
  const who = useSession((s) => s.who);
  const saveError = useSaveError();
  return useCallback(
    async (type: Transition, orderId: string, extra: Extra = {}): Promise<Outcome> => {
      if (!who) return { ok: false, error: t('pickup.signIn') };
      try {
        // Every transition's payload is the order and store, plus the code or the line some take; each
        // command's schema still checks its own on dispatch.
        const def = TRANSITIONS[type] as unknown as CommandDef<{ orderId: string; storeId: string } & Extra>;
        await dispatch(db, who.id, def, { orderId, storeId, ...extra });
        return { ok: true };
      } catch (err) {
        if (err instanceof DomainError && KNOWN.has(err.code)) return { ok: false, error: t(`pickup.err.${err.code}` as MessageKey) };
        return { ok: false, error: saveError(err) };
      }
    },
    [db, who, storeId, saveError, t],
  );
}
