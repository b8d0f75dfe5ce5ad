// [SE2] Tenders cover the total; change is never negative and comes from cash only (property tests).
import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { settle, remaining } from './tenders';
import type { Minor } from '../shared/brand';
import type { Tender } from '../model';

const tenderArb = fc.record({ kind: fc.constantFrom<Tender['kind']>('cash', 'card', 'store-credit', 'loyalty'), amount: fc.integer({ min: 0, max: 1e12 }).map((n) => n as Minor) });

describe('settle', () => {
  it('[SE2] a settled sale is covered, its change is never negative and never more than the cash given (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1e12 }).map((n) => n as Minor), fc.array(tenderArb, { minLength: 1, maxLength: 8 }), (total, tenders) => {
        const s = settle(total, tenders);
        const tendered = tenders.reduce((a, t) => a + t.amount, 0);
        const cash = tenders.filter((t) => t.kind === 'cash').reduce((a, t) => a + t.amount, 0);
        if (s.ok) {
          expect(tendered).toBeGreaterThanOrEqual(total);
          expect(s.change).toBeGreaterThanOrEqual(0);
          expect(s.change).toBeLessThanOrEqual(cash);
          expect(s.change).toBe(tendered - total);
        } else if (s.code === 'underpaid') {
          expect(tendered).toBeLessThan(total);
          expect(s.short).toBe(total - tendered);
        } else {
          expect(tendered - total).toBeGreaterThan(cash);
        }
        expect(remaining(total, tenders)).toBe(Math.max(0, total - tendered));
      }),
    );
  });

  it('[SE2] change from a card overpayment is refused; from cash it is given', () => {
    expect(settle(1000 as Minor, [{ kind: 'card', amount: 1200 as Minor }])).toMatchObject({ ok: false, code: 'change-without-cash' });
    expect(settle(1000 as Minor, [{ kind: 'card', amount: 600 as Minor }, { kind: 'cash', amount: 500 as Minor }])).toEqual({ ok: true, change: 100, tendered: 1100 });
  });
});
