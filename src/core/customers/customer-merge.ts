// customer.merge: a manager merges a duplicate profile into the one that stays [CL4]. History, points,
// store credit, lifetime spend, tags, consents and the wishlist move to the survivor (points and
// credit as ledger transfers, so balances stay sums of entries); notes stay under their ids and show
// on the survivor through `mergedFrom`. The merged row is deleted, so it leaves every tablet at its
// next pull [M2], and a redirect sends later commands naming it to the survivor.
import { z } from 'zod';
import { EffectsBuilder, type CommandDef } from '../sync/command';
import { CUSTOMER_FIELDS, type CustomerRow, type HistoryRow } from '../model';
import type { AssociateId, CustomerId, Minor } from '../shared/brand';
import { fail } from '../shared/errors';
import { mergeSets } from './sets';
import { HISTORY_MAX_ENTRIES } from './history';
import { mergePointsEvents } from '../loyalty/points-history';
import { erasedMessage, isErased, resolveCustomer } from './redirects';

export const customerMergeV1 = z.object({
  survivorId: z.string().min(1).max(64, 'A customer id is at most 64 characters'),
  mergedId: z.string().min(1).max(64, 'A customer id is at most 64 characters'),
});
export type CustomerMergePayload = z.infer<typeof customerMergeV1>;

const TIER_RANK: Record<string, number> = { '': 0, silver: 1, gold: 2, platinum: 3 };
const union = (a: string[] | undefined, b: string[] | undefined) => [...new Set([...(a ?? []), ...(b ?? [])])];

/** The survivor with the merged profile folded in: its own values win, blanks are filled from the other. */
export function mergeProfiles(s: CustomerRow, m: CustomerRow): CustomerRow {
  const next: CustomerRow = { ...s, clock: { ...s.clock } };
  for (const f of CUSTOMER_FIELDS) {
    if (!s[f] && m[f]) {
      next[f] = m[f];
      const at = m.clock[f];
      if (at) next.clock[f] = at;
    }
  }
  if ((TIER_RANK[m.tier] ?? 0) > (TIER_RANK[s.tier] ?? 0)) next.tier = m.tier;
  next.points = s.points + m.points;
  next.storeCredit = (s.storeCredit + m.storeCredit) as Minor;
  next.lifetimeSpend = (s.lifetimeSpend + m.lifetimeSpend) as Minor;
  next.createdAt = s.createdAt < m.createdAt ? s.createdAt : m.createdAt;
  if (!s.addresses?.length && m.addresses?.length) next.addresses = m.addresses;
  if (m.sizes) next.sizes = { ...m.sizes, ...s.sizes };
  if (m.favoriteBrands) next.favoriteBrands = union(s.favoriteBrands, m.favoriteBrands);
  if (m.favoriteColors) next.favoriteColors = union(s.favoriteColors, m.favoriteColors);
  if (m.tags) next.tags = mergeSets(s.tags, m.tags);
  if (m.consents) next.consents = mergeSets(s.consents, m.consents);
  if (m.wishlist) next.wishlist = mergeSets(s.wishlist, m.wishlist);
  next.mergedFrom = union(s.mergedFrom, [m.id, ...(m.mergedFrom ?? [])]) as CustomerId[];
  return next;
}

function mergeHistories(survivorId: CustomerId, s: HistoryRow | undefined, m: HistoryRow | undefined): HistoryRow {
  const byId = new Map([...(s?.entries ?? []), ...(m?.entries ?? [])].map((e) => [e.id, e]));
  const entries = [...byId.values()].sort((a, b) => (a.at === b.at ? (a.id < b.id ? 1 : -1) : a.at < b.at ? 1 : -1));
  // [LO2] The points history (adjustments, expiries) moves with the points.
  const points = mergePointsEvents(s?.points, m?.points);
  return { customerId: survivorId, entries: entries.slice(0, HISTORY_MAX_ENTRIES), count: (s?.count ?? 0) + (m?.count ?? 0), ...(points.length ? { points } : {}) };
}

export const customerMerge: CommandDef<CustomerMergePayload> = {
  type: 'customer.merge',
  version: 1,
  schemas: { 1: customerMergeV1 },
  roles: ['manager'],
  storeOf: () => undefined,
  streams: () => ['customers'],
  prefetch: (p) => [
    { table: 'customers', keys: [p.survivorId, p.mergedId] },
    { table: 'history', keys: [p.survivorId, p.mergedId] },
  ],
  async handle(ctx, cmd) {
    const b = new EffectsBuilder(ctx.tx);
    const p = cmd.payload;
    const [s, m] = await Promise.all([resolveCustomer(b, p.survivorId), resolveCustomer(b, p.mergedId)]);
    for (const [id, row] of [[p.survivorId, s], [p.mergedId, m]] as const) {
      if (!row && (await isErased(b, id))) return fail('customer-erased', erasedMessage(id, 'nothing was merged'));
    }
    if (!s) return fail('unknown-customer', `There is no customer ${p.survivorId} to keep; search for the profile again.`);
    if (!m) return fail('unknown-customer', `There is no customer ${p.mergedId} to merge; it may have been erased.`);
    if (s.id === m.id) {
      // Already merged (by this manager on another tablet, or a retry): nothing more to move.
      b.summary = { survivorId: s.id, alreadyMerged: true };
      return b.done();
    }
    const [hs, hm] = await b.getMany('history', [s.id, m.id]);
    b.put('customers', mergeProfiles(s, m));
    b.put('history', mergeHistories(s.id, hs, hm));
    if (hm) b.delete('history', m.id);
    b.delete('customers', m.id);
    b.put('redirects', { id: m.id, to: s.id, at: cmd.at, by: cmd.actor as AssociateId });
    // Balances are sums of ledger entries: move them as a pair of entries, never by overwriting.
    for (const [account, amount] of [['points', m.points], ['credit', m.storeCredit]] as const) {
      if (amount === 0) continue;
      b.entry({ id: `${cmd.id}:${account}-out`, account: `${account}:${m.id}`, amount: -amount, commandId: cmd.id });
      b.entry({ id: `${cmd.id}:${account}-in`, account: `${account}:${s.id}`, amount, commandId: cmd.id });
    }
    b.summary = { survivorId: s.id, mergedId: m.id };
    return b.done();
  },
};
