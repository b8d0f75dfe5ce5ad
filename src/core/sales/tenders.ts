// Settling a sale's tenders against its total [SE2]: they must cover it, and change comes from cash only.
import type { Minor } from '../shared/brand';
import type { Tender } from '../model';

export type Settlement = { ok: true; change: Minor; tendered: Minor } | { ok: false; code: 'underpaid' | 'change-without-cash'; short: Minor };

export function settle(total: Minor, tenders: readonly Pick<Tender, 'kind' | 'amount'>[]): Settlement {
  const tendered = tenders.reduce((s, t) => s + t.amount, 0) as Minor;
  if (tendered < total) return { ok: false, code: 'underpaid', short: (total - tendered) as Minor };
  const change = (tendered - total) as Minor;
  const cash = tenders.filter((t) => t.kind === 'cash').reduce((s, t) => s + t.amount, 0);
  // Card, credit and points tenders must not exceed what is due: the excess can only be cash.
  if (change > cash) return { ok: false, code: 'change-without-cash', short: 0 as Minor };
  return { ok: true, change, tendered };
}

/** What is still to pay after `tenders`, never below zero. */
export const remaining = (total: Minor, tenders: readonly Pick<Tender, 'amount'>[]): Minor =>
  Math.max(0, total - tenders.reduce((s, t) => s + t.amount, 0)) as Minor;
