// The register's writes: each parses the amount as typed in the active locale, dispatches one command,
// and answers with a sentence in the active language when it was refused (null when it was saved).
import { useCallback } from 'react';
import { useServices } from '@/state/services';
import { useSession } from '@/state/session';
import { useSaveError } from '@/state/save-errors';
import { useT, useLocale, type MessageKey } from '@/i18n';
import { dispatch } from '@/db/dispatch';
import { DomainError } from '@/core/shared/errors';
import { formatMoneyInput, parseMoneyInput } from '@/core/shared/money-input';
import type { Currency, Minor } from '@/core/shared/brand';
import type { CashMoveReason } from '@/core/model';
import type { ShiftOpenPayload } from '@/core/register/shift-open';
import type { ShiftCashMovePayload } from '@/core/register/shift-cash-move';
import type { ShiftClosePayload } from '@/core/register/shift-close';

/** Refusals the register explains in the active language; anything else keeps the rule's own sentence. */
const KNOWN = new Set(['shift-already-open', 'shift-not-open', 'shift-closed', 'not-enough-cash', 'too-many-cash-moves']);

export type Outcome = { ok: true } | { ok: false; error: string };

export function useRegisterActions(storeId: string, currency: Currency) {
  const t = useT();
  const locale = useLocale((s) => s.locale);
  const { db } = useServices();
  const who = useSession((s) => s.who);
  const saveError = useSaveError();

  const amount = useCallback(
    (text: string): Minor | string => parseMoneyInput(text, currency, locale) ?? t('register.badAmount', { example: formatMoneyInput(150000, currency, locale) }),
    [currency, locale, t],
  );

  const run = useCallback(
    async (type: string, payload: unknown): Promise<Outcome> => {
      if (!who) return { ok: false, error: t('register.cashierOnly') };
      try {
        await dispatch(db, who.id, type, payload);
        return { ok: true };
      } catch (err) {
        if (err instanceof DomainError && KNOWN.has(err.code)) return { ok: false, error: t(`register.err.${err.code}` as MessageKey) };
        return { ok: false, error: saveError(err) };
      }
    },
    [db, who, saveError, t],
  );

  return {
    async open(floatText: string): Promise<Outcome> {
      const float = amount(floatText);
      if (typeof float === 'string') return { ok: false, error: float };
      return run('shift.open', (a: { newId(): string }): ShiftOpenPayload => ({ shiftId: a.newId(), storeId, float }));
    },
    async move(shiftId: string, kind: 'in' | 'out', amountText: string, reason: CashMoveReason | ''): Promise<Outcome> {
      const value = amount(amountText);
      if (typeof value === 'string') return { ok: false, error: value };
      if (value === 0) return { ok: false, error: t('register.badAmount', { example: formatMoneyInput(5000, currency, locale) }) };
      if (!reason) return { ok: false, error: t('register.needReason') };
      return run('shift.cash-move', (a: { newId(): string }): ShiftCashMovePayload => ({ shiftId, storeId, moveId: a.newId(), kind, amount: value, reason }));
    },
    async close(shiftId: string, countedText: string, expected: Minor): Promise<Outcome> {
      const counted = amount(countedText);
      if (typeof counted === 'string') return { ok: false, error: counted };
      const payload: ShiftClosePayload = { shiftId, storeId, counted, expected };
      return run('shift.close', payload);
    },
  };
}
