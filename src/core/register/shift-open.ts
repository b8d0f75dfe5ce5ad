// shift.open: a cashier counts the float into the drawer and opens this register's shift [SH1].
// One open shift per register: the tablet refuses a second; the server applies it and tells the manager.
import { z } from 'zod';
import { EffectsBuilder, type CommandDef } from '../sync/command';
import type { RegisterRow, ShiftRow } from '../model';
import type { AssociateId, LocationId, Minor } from '../shared/brand';
import { fail } from '../shared/errors';
import { raise } from '../shared/exceptions';
import { EMPTY_TOTALS, MAX_SHIFT_AMOUNT } from './shift-report';
import { amountText } from './shift-guard';

export const shiftAmount = z
  .number()
  .int('Amounts are whole minor units (cents)')
  .nonnegative('Amounts cannot be negative')
  .max(MAX_SHIFT_AMOUNT, 'That amount is larger than a register can hold; check the figure');

export const shiftOpenV1 = z.object({
  shiftId: z.string().uuid(),
  storeId: z.string().min(1),
  float: shiftAmount,
});
export type ShiftOpenPayload = z.infer<typeof shiftOpenV1>;

export const shiftOpen: CommandDef<ShiftOpenPayload> = {
  type: 'shift.open',
  version: 1,
  schemas: { 1: shiftOpenV1 },
  roles: ['cashier', 'manager'],
  storeOf: (p) => p.storeId,
  streams: (p) => [`store:${p.storeId}`],
  prefetch: (p, scope) => [
    { table: 'locations', keys: [p.storeId] },
    { table: 'registers', keys: [scope.deviceId] },
    { table: 'shifts', keys: [p.shiftId] },
  ],
  async handle(ctx, cmd) {
    const p = cmd.payload;
    const b = new EffectsBuilder(ctx.tx);
    const [store, register] = await Promise.all([b.get('locations', p.storeId), b.get('registers', ctx.scope.deviceId)]);
    if (!store) fail('unknown-store', `Store ${p.storeId} is not in the chain's location list.`);
    // [O3] A shift id names one shift for good. The same command met again (a replay on the tablet
    // after the server sent its row back) finds its own row and builds it again.
    const existing = await b.get('shifts', p.shiftId);
    if (existing && (existing.deviceId !== ctx.scope.deviceId || existing.openedAt !== cmd.at)) {
      fail('id-taken', `Shift ${p.shiftId} already exists; open the shift again to give it a new id.`);
    }
    const current = register?.openShiftId ? await b.get('shifts', register.openShiftId) : undefined;
    if (current?.status === 'open') {
      if (ctx.side === 'tablet') fail('shift-already-open', 'A shift is already open on this register; close it before opening another.');
      // [C5] The float was counted into a drawer: record it, and let a manager sort out two open shifts.
      raise(
        b,
        cmd,
        p.storeId,
        'cash-over-short',
        `A second shift was opened on this register (float ${amountText(p.float, store!.currency)}) while shift ${current.id} was still open. Count the drawer and close both shifts.`,
        { reason: 'second-shift', shiftId: p.shiftId, openShiftId: current.id },
        'second-shift',
      );
    }
    const shift: ShiftRow = {
      id: p.shiftId,
      storeId: p.storeId as LocationId,
      deviceId: ctx.scope.deviceId,
      currency: store!.currency,
      status: 'open',
      openedAt: cmd.at,
      openedBy: cmd.actor as AssociateId,
      float: p.float as Minor,
      totals: EMPTY_TOTALS,
      moves: [],
    };
    const next: RegisterRow = {
      id: ctx.scope.deviceId,
      storeId: p.storeId as LocationId,
      openShiftId: p.shiftId,
      ...(register?.lastShiftId ? { lastShiftId: register.lastShiftId } : {}),
    };
    b.put('shifts', shift);
    b.put('registers', next);
    b.summary = { shiftId: p.shiftId, float: p.float };
    return b.done();
  },
};
