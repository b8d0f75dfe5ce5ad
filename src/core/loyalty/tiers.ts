// Tiers from 12-month spend [LO1] (config defaults). A customer's tier is what they spent in the last
// 12 months, from their purchase history (sales and web orders, less returns), against thresholds in
// minor units; the tier sets the earn multiplier (points.ts). The server reviews it (loyalty.tier-review).
import type { HistoryRow } from '../model';

/** Least 12-month spend (minor units) for each tier, best first. */
export const TIER_THRESHOLDS: readonly { tier: string; spend: number }[] = [
  { tier: 'platinum', spend: 400_000 },
  { tier: 'gold', spend: 150_000 },
  { tier: 'silver', spend: 50_000 },
];

export const YEAR_MS = 365 * 24 * 3600 * 1000;
const DAY_MS = 24 * 3600 * 1000;

/** [LO1] When tiers are reviewed: once a day, at this hour (UTC), for customers who bought since. */
export const TIER_REVIEW_HOUR_UTC = 3;

/** Spend in the 12 months up to `now`: sales and orders count, returns (negative totals) take back. */
export function spendLast12Months(history: HistoryRow | undefined, now: number): number {
  let spend = 0;
  for (const e of history?.entries ?? []) {
    const at = Date.parse(e.at);
    if (!(at > now - YEAR_MS && at <= now)) continue;
    if (e.kind === 'order' && (e.status === 'cancelled' || e.status === 'expired')) continue;
    spend += e.total;
  }
  return Math.max(0, spend);
}

/** The tier a 12-month spend earns ('' below the first threshold). */
export function tierForSpend(spend: number): string {
  return TIER_THRESHOLDS.find((t) => spend >= t.spend)?.tier ?? '';
}

/** The next review time after `now`: the coming TIER_REVIEW_HOUR_UTC. */
export function nextTierReview(now: number): number {
  const day = Math.floor(now / DAY_MS) * DAY_MS + TIER_REVIEW_HOUR_UTC * 3600 * 1000;
  return day > now ? day : day + DAY_MS;
}
