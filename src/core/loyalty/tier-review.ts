// loyalty.tier-review: the server's review of one customer's tier from their 12-month spend [LO1].
// Queued by a sale to a customer as a follow-up for the next daily review [J1][J2], so a customer's
// earn rate does not change under the tablets in the middle of a day. Only the server runs it.
import { z } from 'zod';
import { nowOf } from '../sync/command';
import { customerJob } from './customer-job';
import { spendLast12Months, tierForSpend } from './tiers';

export const tierReviewV1 = z.object({ customerId: z.string().min(1).max(64) });
export type TierReviewPayload = z.infer<typeof tierReviewV1>;

export const tierReview = customerJob<TierReviewPayload>({
  type: 'loyalty.tier-review',
  schema: tierReviewV1,
  reads: ['history'],
  async run(b, c, ctx, cmd) {
    const spend = spendLast12Months(await b.get('history', c.id), nowOf(ctx, cmd));
    const tier = tierForSpend(spend);
    if (tier !== c.tier) b.put('customers', { ...c, tier, clock: { ...c.clock, tier: cmd.at } });
    b.summary = { customerId: c.id, spend, tier, was: c.tier };
  },
});
