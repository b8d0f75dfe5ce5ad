// The shift a cash command belongs to [SH1]: on the tablet it must be this register's open shift (or
// the command is refused); on the server what happened is applied and a mismatch goes to the manager [C5].
import type { Command, EffectsBuilder, HandlerContext, Prefetch } from '../sync/command';
import type { SaleRow, ShiftRow } from '../model';
import type { Currency, Minor } from '../shared/brand';
import { fail } from '../shared/errors';
import { raise } from '../shared/exceptions';
import { addEvent } from './shift-report';

/** "12.50 EUR": amounts in server messages, which are stored once and read in any language. */
export const amountText = (m: number, currency: Currency | string): string => `${(m / 100).toFixed(2)} ${currency}`;

const PROBLEMS = {
  unknown: ['shift-not-open', 'There is no open shift on this register; open a shift with a counted float first.'],
  closed: ['shift-closed', 'This shift is already closed; open a new shift on this register first.'],
  'other-device': ['shift-other-register', 'This shift belongs to another register; use the shift open on this tablet.'],
} as const;

/**
 * The open shift `shiftId` of the command's own register, or, on the server, undefined when it is not
 * one (after raising `cash-over-short` for the manager: cash moved outside an open shift of this
 * drawer). The tablet refuses instead, so a cashier never records cash against a closed drawer.
 */
export async function openShift(ctx: HandlerContext, b: EffectsBuilder, cmd: Command, shiftId: string, storeId: string, what: string, amount: number): Promise<ShiftRow | undefined> {
  const shift = await b.get('shifts', shiftId);
  const problem = !shift ? 'unknown' : shift.deviceId !== ctx.scope.deviceId ? 'other-device' : shift.status !== 'open' ? 'closed' : undefined;
  if (!problem) return shift;
  const [code, message] = PROBLEMS[problem];
  if (ctx.side === 'tablet') fail(code, message);
  raise(
    b,
    cmd,
    storeId,
    'cash-over-short',
    `${what} (${(amount / 100).toFixed(2)} in cash) was recorded outside an open shift of this register (shift ${shiftId}: ${problem}). Count the drawer and reconcile this amount by hand.`,
    { reason: 'outside-shift', shiftId, problem, amount },
    'outside-shift',
  );
  return undefined;
}

/** Rows a command naming a shift will read, fetched ahead with the rest [C2]. */
export const shiftPrefetch = (shiftId: string | undefined): Prefetch[] => (shiftId ? [{ table: 'shifts', keys: [shiftId] }] : []);

/**
 * Adds a completed sale to its shift's running totals [SH2]. Called by sale.complete after it has
 * built the sale row; a sale without a shift id (made before shifts, or with no cash) changes nothing.
 */
export async function recordSaleInShift(ctx: HandlerContext, b: EffectsBuilder, cmd: Command, sale: SaleRow): Promise<void> {
  if (!sale.shiftId) return;
  const cash = sale.tenders.reduce((s, t) => (t.kind === 'cash' ? s + t.amount : s), 0) - sale.change;
  const shift = await openShift(ctx, b, cmd, sale.shiftId, sale.storeId, `Sale ${sale.receiptNo}`, cash);
  if (!shift) return;
  b.put('shifts', { ...shift, totals: addEvent(shift.totals, { kind: 'sale', tenders: sale.tenders, change: sale.change as Minor }) });
}
