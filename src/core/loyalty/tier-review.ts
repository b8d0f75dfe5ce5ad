// loyalty.tier-review: the server's review of one customer's tier from their 12-month spend [LO1].
// Queued by a sale to a customer as a follow-up for the next daily review [J1][J2], so a customer's
// earn rate does not change under the tablets in the middle of a day. Only the server runs it.
import { z } from 'zod';
import { EffectsBuilder, nowOf, type CommandDef } from '../sync/command';
import { resolveCustomer } from '../customers/redirects';
import { spendLast12Months, tierForSpend } from './tiers';

export const tierReviewV1 = z.object({ customerId: z.string().min(1).max(64) });
export type TierReviewPayload = z.infer<typeof tierReviewV1>;

export const tierReview: CommandDef<TierReviewPayload> = {
  type: 'loyalty.tier-review',
  version: 1,
  schemas: { 1: tierReviewV1 },
  roles: ['system'],
  storeOf: () => undefined,
  streams: () => ['customers'],
  prefetch: (p) => [
    { table: 'customers', keys: [p.customerId] },
    { table: 'history', keys: [p.customerId] },
  ],
  async handle(ctx, cmd) {
    const b = new EffectsBuilder(ctx.tx);
    // A merged-away customer is reviewed as the survivor; an erased one has nothing to review.
    const c = await resolveCustomer(b, cmd.payload.customerId);
    if (!c) {
      b.summary = { customerId: cmd.payload.customerId, gone: true };
      return b.done();
    }
    const spend = spendLast12Months(await b.get('history', c.id), nowOf(ctx, cmd));
    const tier = tierForSpend(spend);
    if (tier !== c.tier) b.put('customers', { ...c, tier, clock: { ...c.clock, tier: cmd.at } });
    b.summary = { customerId: c.id, spend, tier, was: c.tier };
    return b.done();
  },
};
