// A shift's figures [SH2][SH3]: one pure fold of its sales and cash moves, and the X / Z report built
// from it. The tablet (X report, Z report) and the server (shift.close, its own check) both use it.
import type { ShiftTotals, Tender, TenderKind } from '../model';
import type { Minor } from '../shared/brand';
import { fail } from '../shared/errors';

export const TENDER_KINDS: readonly TenderKind[] = ['cash', 'card', 'store-credit', 'loyalty'];

/** Largest amount one shift command may carry (10 million currency units in cents). */
export const MAX_SHIFT_AMOUNT = 1_000_000_000;

/** Over/short (minor units) a manager is told about when the store's config does not say (5.00). */
export const DEFAULT_OVER_SHORT_THRESHOLD = 500 as Minor;

/** What changes a shift's cash: a sale's tenders and change, or cash put in or taken out. */
export type ShiftEvent =
  | { kind: 'sale'; tenders: readonly Tender[]; change: Minor }
  | { kind: 'in'; amount: Minor }
  | { kind: 'out'; amount: Minor }
  /** [RE5] Cash handed back from the drawer for a return. */
  | { kind: 'refund'; amount: Minor };

export const EMPTY_TOTALS: ShiftTotals = {
  sales: 0,
  tendered: { cash: 0 as Minor, card: 0 as Minor, 'store-credit': 0 as Minor, loyalty: 0 as Minor },
  change: 0 as Minor,
  cashIn: 0 as Minor,
  cashOut: 0 as Minor,
};

/**
 * Adds two amounts and refuses to leave the range of exact integers: a float past 2^53 would round
 * silently, and a shift's figures must match the server's to the cent.
 */
function plus(a: number, b: number): Minor {
  const r = a + b;
  if (!Number.isSafeInteger(r)) fail('amount-out-of-range', 'The shift figures are too large to add up exactly; close this shift and open a new one.');
  return r as Minor;
}

/** One step of the fold: the totals after one more event. Order does not matter (sums only). */
export function addEvent(t: ShiftTotals, e: ShiftEvent): ShiftTotals {
  if (e.kind === 'in') return { ...t, cashIn: plus(t.cashIn, e.amount) };
  if (e.kind === 'out') return { ...t, cashOut: plus(t.cashOut, e.amount) };
  if (e.kind === 'refund') return { ...t, refunds: plus(t.refunds ?? 0, e.amount) };
  const tendered = { ...t.tendered };
  for (const tender of e.tenders) tendered[tender.kind] = plus(tendered[tender.kind], tender.amount);
  return { ...t, sales: t.sales + 1, tendered, change: plus(t.change, e.change) };
}

export const totalsOf = (events: Iterable<ShiftEvent>): ShiftTotals => {
  let t = EMPTY_TOTALS;
  for (const e of events) t = addEvent(t, e);
  return t;
};

export interface ShiftReport {
  float: Minor;
  sales: number;
  /** Net taken per tender: cash is net of the change given back. */
  byTender: Record<TenderKind, Minor>;
  change: Minor;
  cashIn: Minor;
  cashOut: Minor;
  /** [RE5] Cash refunded for returns. */
  refunds: Minor;
  /** float + cash sales − change + cash in − cash out − cash refunds. */
  expectedCash: Minor;
}

export interface ZReport extends ShiftReport {
  counted: Minor;
  /** counted − expected: positive is over, negative is short. */
  overShort: Minor;
}

/** The X report: a shift's running figures at any time. */
export function xReport(float: Minor, t: ShiftTotals): ShiftReport {
  const cashNet = plus(t.tendered.cash, -t.change);
  const byTender = { ...t.tendered, cash: cashNet };
  const refunds = (t.refunds ?? 0) as Minor;
  const expectedCash = plus(plus(plus(float, cashNet), plus(t.cashIn, -t.cashOut)), -refunds);
  return { float, sales: t.sales, byTender, change: t.change, cashIn: t.cashIn, cashOut: t.cashOut, refunds, expectedCash };
}

/** The Z report: the X report at close, with the counted cash and the over/short. */
export function zReport(float: Minor, t: ShiftTotals, counted: Minor): ZReport {
  const x = xReport(float, t);
  return { ...x, counted, overShort: plus(counted, -x.expectedCash) };
}

/** Whether an over/short is one a manager must look at: strictly above the threshold either way. */
export const needsAttention = (overShort: Minor, threshold: Minor): boolean => Math.abs(overShort) > threshold;
