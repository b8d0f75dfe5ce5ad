// shift.close: a manager counts the drawer and closes the shift [SH2][RO3]; the Z report's figures are
// stored on the shift, and an over/short beyond the store's threshold goes to the manager queue.
import { z } from 'zod';
import { EffectsBuilder, type CommandDef } from '../sync/command';
import type { RegisterRow } from '../model';
import type { AssociateId, LocationId, Minor } from '../shared/brand';
import { raise } from '../shared/exceptions';
import { DEFAULT_OVER_SHORT_THRESHOLD, needsAttention, zReport } from './shift-report';
import { amountText, openShift, shiftPrefetch } from './shift-guard';
import { shiftAmount } from './shift-open';

export const shiftCloseV1 = z.object({
  shiftId: z.string().uuid(),
  storeId: z.string().min(1),
  counted: shiftAmount,
  /** The expected cash the tablet's Z report showed, so the server can say when its records differ [SH3]. */
  expected: z.number().int().min(-Number.MAX_SAFE_INTEGER).max(Number.MAX_SAFE_INTEGER).optional(),
});
export type ShiftClosePayload = z.infer<typeof shiftCloseV1>;

export const shiftClose: CommandDef<ShiftClosePayload> = {
  type: 'shift.close',
  version: 1,
  schemas: { 1: shiftCloseV1 },
  // [RO3] Closing the register is a manager's: the count is checked by someone other than the
  // cashier whose drawer it is.
  roles: ['manager'],
  storeOf: (p) => p.storeId,
  streams: (p) => [`store:${p.storeId}`],
  prefetch: (p, scope) => [...shiftPrefetch(p.shiftId), { table: 'locations', keys: [p.storeId] }, { table: 'registers', keys: [scope.deviceId] }],
  async handle(ctx, cmd) {
    const p = cmd.payload;
    const b = new EffectsBuilder(ctx.tx);
    const shift = await openShift(ctx, b, cmd, p.shiftId, p.storeId, 'A shift close', p.counted);
    if (!shift) {
      b.summary = { shiftId: p.shiftId, closed: false };
      return b.done();
    }
    const [store, register] = await Promise.all([b.get('locations', p.storeId), b.get('registers', ctx.scope.deviceId)]);
    const z = zReport(shift.float, shift.totals, p.counted as Minor);
    b.put('shifts', { ...shift, status: 'closed', closed: { at: cmd.at, by: cmd.actor as AssociateId, counted: z.counted, expected: z.expectedCash, overShort: z.overShort } });
    const next: RegisterRow = { id: ctx.scope.deviceId, storeId: p.storeId as LocationId, lastShiftId: shift.id };
    if (register?.openShiftId && register.openShiftId !== shift.id) next.openShiftId = register.openShiftId;
    b.put('registers', next);

    const threshold = store?.cashOverShortThreshold ?? DEFAULT_OVER_SHORT_THRESHOLD;
    if (needsAttention(z.overShort, threshold)) {
      const word = z.overShort > 0 ? 'over' : 'short';
      raise(
        b,
        cmd,
        p.storeId,
        'cash-over-short',
        `The drawer closed ${amountText(Math.abs(z.overShort), shift.currency)} ${word}: counted ${amountText(z.counted, shift.currency)}, expected ${amountText(z.expectedCash, shift.currency)}. Recount the drawer and check the shift's cash movements.`,
        { reason: 'over-short', shiftId: shift.id, counted: z.counted, expected: z.expectedCash, overShort: z.overShort, threshold },
      );
    }
    // [SH3] The tablet showed a Z report from what it knew; if the server's records of the same shift
    // give another expected cash, a command of this shift never arrived or was rejected.
    if (ctx.side === 'server' && p.expected !== undefined && p.expected !== z.expectedCash) {
      raise(
        b,
        cmd,
        p.storeId,
        'cash-over-short',
        `The tablet's Z report expected ${amountText(p.expected, shift.currency)} in the drawer, but the server's records of this shift give ${amountText(z.expectedCash, shift.currency)}. A sale or cash movement of this shift was rejected: see Needs attention on that tablet.`,
        { reason: 'figures-differ', shiftId: shift.id, tabletExpected: p.expected, serverExpected: z.expectedCash },
        'figures-differ',
      );
    }
    b.summary = { shiftId: shift.id, ...z };
    return b.done();
  },
};
