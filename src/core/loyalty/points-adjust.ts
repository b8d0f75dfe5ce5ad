// loyalty.adjust: a manager-approved adjustment of a customer's points, with a reason [LO2][RO3][T2].
// An associate makes it on the profile; a manager's PIN approves exactly this adjustment (customer,
// points, reason and the adjustment's own id, so one approval moves points once). It runs on the
// tablet (the profile shows the new balance and the history line at once, offline too) and again on
// the server, which re-checks the approval and the balance: one ledger entry `adjust:<adjustmentId>`.
import { z } from 'zod';
import { EffectsBuilder, type CommandDef } from '../sync/command';
import type { AssociateId, CustomerId } from '../shared/brand';
import { fail } from '../shared/errors';
import { canonicalJson } from '../shared/canonical';
import { decodeHlc } from '../shared/hlc';
import { erasedMessage, isErased, resolveCustomer } from '../customers/redirects';
import { ADJUST_REASONS, LOYALTY } from './loyalty-config';
import { recordPoints } from './points-history';

const limit = LOYALTY.adjustLimit.toLocaleString('en');

export const pointsAdjustV1 = z.object({
  adjustmentId: z.string().uuid(),
  customerId: z.string().min(1).max(64, 'A customer id is at most 64 characters'),
  points: z
    .number()
    .int('Points are whole numbers')
    .min(-LOYALTY.adjustLimit, `One adjustment takes at most ${limit} points`)
    .max(LOYALTY.adjustLimit, `One adjustment adds at most ${limit} points`)
    .refine((n) => n !== 0, 'An adjustment of 0 points changes nothing'),
  reason: z.enum(ADJUST_REASONS, { message: `The reason is one of: ${ADJUST_REASONS.join(', ')}` }),
  note: z.string().trim().max(200, 'A note is at most 200 characters').optional(),
  /** A manager's approval of `adjustSubject(…)` (its MAC is checked on push [T2]). */
  approval: z.object({ by: z.string().min(1).max(64), at: z.number().int().nonnegative(), subject: z.unknown(), mac: z.string().min(1).max(200) }),
});
export type PointsAdjustPayload = z.infer<typeof pointsAdjustV1>;

/** What a manager approves: this adjustment, of these points, for this reason, to this customer. */
export const adjustSubject = (p: Pick<PointsAdjustPayload, 'adjustmentId' | 'customerId' | 'points' | 'reason'>) => ({
  kind: 'points-adjust',
  adjustmentId: p.adjustmentId,
  customerId: p.customerId,
  points: p.points,
  reason: p.reason,
});

export const pointsAdjust: CommandDef<PointsAdjustPayload, { customerId: string; points: number; balance: number }> = {
  type: 'loyalty.adjust',
  version: 1,
  schemas: { 1: pointsAdjustV1 },
  roles: ['associate', 'cashier', 'manager'],
  storeOf: () => undefined,
  streams: () => ['customers'],
  prefetch: (p) => [
    { table: 'customers', keys: [p.customerId] },
    { table: 'redirects', keys: [p.customerId] },
    { table: 'history', keys: [p.customerId] },
    { table: 'associates', keys: [p.approval.by] },
  ],
  durability: 'strict',
  async handle(ctx, cmd) {
    const b = new EffectsBuilder<{ customerId: string; points: number; balance: number }>(ctx.tx);
    const p = cmd.payload;
    // [RO3] A manager's approval, given for exactly this adjustment.
    const approver = await b.get('associates', p.approval.by);
    if (!approver || !approver.active || approver.role !== 'manager') return fail('approval-required', 'Adjusting points needs a manager\'s approval: a manager enters their PIN to confirm.');
    if (canonicalJson(p.approval.subject) !== canonicalJson(adjustSubject(p))) return fail('approval-required', 'The manager\'s approval was given for another adjustment (customer, points or reason differ); ask for the approval again.');
    // [CL4] Points for a merged-away profile go to the profile it was merged into.
    const c = await resolveCustomer(b, p.customerId);
    if (!c) {
      if (await isErased(b, p.customerId)) return fail('customer-erased', erasedMessage(p.customerId, 'no points were adjusted'));
      return fail('unknown-customer', `There is no customer ${p.customerId}; search for the profile again.`);
    }
    // The balance this side knows: the server's is the sum of the ledger (customer rows follow it).
    if (c.points + p.points < 0) {
      // No name in the words: a refusal is kept as an exception, which must not outlive an erasure [CL6].
      return fail('points-below-zero', `Taking ${-p.points} points would leave the customer's balance below zero: it is ${c.points} points. Take at most ${Math.max(0, c.points)}.`);
    }
    const id = `adjust:${p.adjustmentId}`;
    b.entry({ id, account: `points:${c.id}`, amount: p.points, commandId: cmd.id });
    b.put('customers', { ...c, points: c.points + p.points });
    const maker = await b.get('associates', cmd.actor);
    await recordPoints(b, c.id as CustomerId, {
      id,
      kind: 'adjust',
      points: p.points,
      at: new Date(decodeHlc(cmd.at).wall).toISOString(),
      by: cmd.actor as AssociateId,
      byName: maker?.name ?? cmd.actor,
      approvedBy: approver.id,
      approvedByName: approver.name,
      reason: p.reason,
      ...(p.note ? { note: p.note } : {}),
    });
    b.summary = { customerId: c.id, points: p.points, balance: c.points + p.points };
    return b.done();
  },
};
