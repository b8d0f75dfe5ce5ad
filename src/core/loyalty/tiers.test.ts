// Tiers from 12-month spend [LO1]: what counts, the thresholds, and when the server reviews them.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { nextTierReview, spendLast12Months, tierForSpend, TIER_REVIEW_HOUR_UTC, TIER_THRESHOLDS, YEAR_MS } from './tiers';
import type { HistoryEntry, HistoryRow } from '../model';
import type { CustomerId, Currency, LocationId, Minor } from '../shared/brand';

const NOW = Date.UTC(2026, 5, 1, 12);
const entry = (kind: HistoryEntry['kind'], total: number, daysAgo: number, status?: string): HistoryEntry => ({
  id: `${kind}-${total}-${daysAgo}`,
  kind,
  channel: kind === 'order' ? 'web' : 'store',
  storeId: 'S01' as LocationId,
  number: 'N',
  at: new Date(NOW - daysAgo * 86_400_000).toISOString(),
  currency: 'EUR' as Currency,
  total: total as Minor,
  ...(status ? { status } : {}),
  lines: [],
});
const history = (entries: HistoryEntry[]): HistoryRow => ({ customerId: 'C1' as CustomerId, entries, count: entries.length });

describe('[LO1] tiers', () => {
  it('[LO1] 12-month spend counts sales and live orders of the last 365 days, less returns', () => {
    const h = history([entry('sale', 40_000, 10), entry('order', 20_000, 100), entry('order', 99_000, 5, 'cancelled'), entry('return', -5_000, 3), entry('sale', 70_000, 400)]);
    expect(spendLast12Months(h, NOW)).toBe(55_000);
    expect(tierForSpend(55_000)).toBe('silver');
    expect(spendLast12Months(undefined, NOW)).toBe(0);
  });

  it('[LO1] the tier is the best whose threshold the spend reaches, and more spend never earns a lower tier (property)', () => {
    const rank = (t: string) => ['', 'silver', 'gold', 'platinum'].indexOf(t);
    for (const t of TIER_THRESHOLDS) {
      expect(tierForSpend(t.spend)).toBe(t.tier);
      expect(rank(tierForSpend(t.spend - 1))).toBe(rank(t.tier) - 1);
    }
    fc.assert(fc.property(fc.nat(10_000_000), fc.nat(10_000_000), (a, b) => {
        expect(rank(tierForSpend(Math.max(a, b)))).toBeGreaterThanOrEqual(rank(tierForSpend(Math.min(a, b))));
      }),
    );
  });

  it('[LO1] the review runs at the next daily review hour, within a day, never now or before', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 4_000_000_000_000 }), (now) => {
        const at = nextTierReview(now);
        expect(at).toBeGreaterThan(now);
        expect(at - now).toBeLessThanOrEqual(86_400_000);
        expect(new Date(at).getUTCHours()).toBe(TIER_REVIEW_HOUR_UTC);
      }),
    );
    expect(YEAR_MS).toBe(365 * 86_400_000);
  });
});
