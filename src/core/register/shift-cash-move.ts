// shift.cash-move: cash put into or taken out of the drawer during a shift, with a reason from a list [SH2].
import { z } from 'zod';
import { EffectsBuilder, type CommandDef } from '../sync/command';
import { CASH_MOVE_REASONS } from '../model';
import type { AssociateId, Minor } from '../shared/brand';
import { fail } from '../shared/errors';
import { addEvent, xReport } from './shift-report';
import { amountText, openShift, shiftPrefetch } from './shift-guard';
import { shiftAmount } from './shift-open';

/** Enough for a long day of safe drops; keeps the shift row (pulled after every change) small. */
export const MAX_CASH_MOVES = 500;

export const shiftCashMoveV1 = z.object({
  shiftId: z.string().uuid(),
  storeId: z.string().min(1),
  moveId: z.string().uuid(),
  kind: z.enum(['in', 'out']),
  amount: shiftAmount.refine((n) => n > 0, 'A cash movement needs an amount above zero'),
  reason: z.enum(CASH_MOVE_REASONS),
});
export type ShiftCashMovePayload = z.infer<typeof shiftCashMoveV1>;

export const shiftCashMove: CommandDef<ShiftCashMovePayload> = {
  type: 'shift.cash-move',
  version: 1,
  schemas: { 1: shiftCashMoveV1 },
  roles: ['cashier', 'manager'],
  storeOf: (p) => p.storeId,
  streams: (p) => [`store:${p.storeId}`],
  prefetch: (p) => shiftPrefetch(p.shiftId),
  async handle(ctx, cmd) {
    const p = cmd.payload;
    const b = new EffectsBuilder(ctx.tx);
    const signed = p.kind === 'in' ? p.amount : -p.amount;
    const shift = await openShift(ctx, b, cmd, p.shiftId, p.storeId, `Cash ${p.kind} (${p.reason})`, signed);
    if (shift && ctx.side === 'tablet') {
      if (shift.moves.length >= MAX_CASH_MOVES) fail('too-many-cash-moves', `This shift already has ${MAX_CASH_MOVES} cash movements; close it and open a new shift.`);
      const inDrawer = xReport(shift.float, shift.totals).expectedCash;
      if (p.kind === 'out' && p.amount > inDrawer) {
        fail('not-enough-cash', `The drawer should hold ${amountText(inDrawer, shift.currency)}; count it and take out at most that.`);
      }
    }
    if (shift) {
      b.put('shifts', {
        ...shift,
        totals: addEvent(shift.totals, { kind: p.kind, amount: p.amount as Minor }),
        moves: [...shift.moves, { id: p.moveId, kind: p.kind, amount: p.amount as Minor, reason: p.reason, at: cmd.at, actor: cmd.actor as AssociateId }],
      });
    }
    b.summary = { shiftId: p.shiftId, kind: p.kind, amount: p.amount };
    return b.done();
  },
};
