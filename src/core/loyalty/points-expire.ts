// loyalty.expire: the server's schedule expires a customer's points that are past their last valid
// day [LO2][J2]. A job `loyalty.expire:<customerId>:<day>` is queued for the next expiry whenever a
// command moves the customer's points (the server's balance derivation does it), and runs as this
// system command at the midnight (UTC) that ends the day. Points are taken oldest first from what is
// left after every debit (expiry.ts), so spent points are never expired and a second run expires
// nothing: the entry it wrote already took those lots. Only the server runs it.
import { z } from 'zod';
import { nowOf } from '../sync/command';
import type { CustomerId } from '../shared/brand';
import { customerJob } from './customer-job';
import { dueToExpire, expiresAt } from './expiry';
import { recordPoints } from './points-history';

export const pointsExpireV1 = z.object({
  customerId: z.string().min(1).max(64),
  /** The last valid day of the lot the job was queued for (`YYYY-MM-DD`). */
  day: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'day is a date such as 2027-03-31'),
});
export type PointsExpirePayload = z.infer<typeof pointsExpireV1>;

export const pointsExpire = customerJob<PointsExpirePayload>({
  type: 'loyalty.expire',
  schema: pointsExpireV1,
  reads: ['history'],
  async run(b, c, ctx, cmd) {
    const now = nowOf(ctx, cmd);
    // Run on time, `now` is the end of the day. Run early (the admin's run-now on a test or demo
    // server; production refuses it) it expires what it was queued for, as at that day's end.
    const due = dueToExpire(await b.ledgerOf(`points:${c.id}`), Math.max(now, expiresAt(cmd.payload.day)));
    if (due.points > 0) {
      const id = `expire:${c.id}:${cmd.payload.day}`;
      b.entry({ id, account: `points:${c.id}`, amount: -due.points, commandId: cmd.id });
      b.put('customers', { ...c, points: c.points - due.points });
      await recordPoints(b, c.id as CustomerId, { id, kind: 'expire', points: -due.points, at: new Date(now).toISOString(), validUntil: due.lots[due.lots.length - 1]!.validUntil });
    }
    b.summary = { customerId: c.id, expired: due.points, lots: due.lots };
  },
});
