// The arithmetic of returns [RE3][RE5]: partial returns in any order refund exactly what was paid,
// never more; mixed tenders refund in the stated order; points come back pro rata.
import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import type { Minor } from '../shared/brand';
import { addToTally, inWindow, lineRefund, planRefund, prorate, returnable, REFUND_ORDER, type PurchaseView } from './return-math';
import type { ReturnTallyRow } from '../model';

const purchase = (lines: { qty: number; lineTotal: number }[], paid: PurchaseView['paid'], points: { earned?: number; spent?: number } = {}): PurchaseView => ({
  kind: 'sale',
  id: 'p1',
  number: 'S01-T01-000001',
  storeId: 'S01',
  at: 0,
  currency: 'EUR',
  lines: lines.map((l, i) => ({ sku: `SKU${i}`, name: `Item ${i}`, qty: l.qty, lineTotal: l.lineTotal as Minor })),
  total: lines.reduce((s, l) => s + l.lineTotal, 0) as Minor,
  paid,
  pointsEarned: points.earned ?? 0,
  pointsSpent: points.spent ?? 0,
});

describe('return arithmetic', () => {
  it('[RE3] returnable is bought minus returned, never negative', () => {
    expect(returnable({ sku: 'A', name: 'A', qty: 3, lineTotal: 300 as Minor }, 1)).toBe(2);
    expect(returnable({ sku: 'A', name: 'A', qty: 3, lineTotal: 300 as Minor }, 5)).toBe(0);
  });

  it('[RE2] the window includes day 30 and excludes day 31', () => {
    expect(inWindow(0, 30 * 86_400_000, 30)).toBe(true);
    expect(inWindow(0, 30 * 86_400_000 + 1, 30)).toBe(false);
  });

  it('[RE3][RE5] partial returns of a line in any split refund exactly its total, never more', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 50 }), fc.integer({ min: 0, max: 10_000_000 }), fc.array(fc.integer({ min: 1, max: 5 }), { maxLength: 20 }), (qty, lineTotal, parts) => {
        const l = { sku: 'A', name: 'A', qty, lineTotal: lineTotal as Minor };
        let before = 0;
        let refunded = 0;
        for (const q0 of parts) {
          const q = Math.min(q0, qty - before);
          if (q <= 0) break;
          refunded += lineRefund(l, before, q);
          before += q;
          expect(refunded).toBeLessThanOrEqual(lineTotal);
        }
        if (before === qty) expect(refunded).toBe(lineTotal);
      }),
      { seed: 20261212 },
    );
  });

  it('[RE5] refunds to the original tenders never exceed what each tender paid and add up to the value, in any order of partial returns', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ qty: fc.integer({ min: 1, max: 4 }), unit: fc.integer({ min: 1, max: 100_000 }) }), { minLength: 1, maxLength: 5 }),
        fc.array(fc.integer({ min: 0, max: 1_000 }), { minLength: 4, maxLength: 4 }),
        fc.integer({ min: 0, max: 2 ** 31 }),
        (ls, weights, seed) => {
          const lines = ls.map((l) => ({ qty: l.qty, lineTotal: l.qty * l.unit }));
          const total = lines.reduce((s, l) => s + l.lineTotal, 0);
          // Split the total over web, card, store credit and cash by the weights.
          const w = weights.reduce((s, x) => s + x, 0) || 1;
          const paid: PurchaseView['paid'] = {};
          let left = total;
          REFUND_ORDER.forEach((k, i) => {
            const a = i === REFUND_ORDER.length - 1 ? left : Math.min(left, Math.floor((total * weights[i]!) / w));
            if (a > 0) paid[k] = a as Minor;
            left -= a;
          });
          const p = purchase(lines, paid);
          // Return every unit, one random unit at a time.
          const units = lines.flatMap((l, i) => Array.from({ length: l.qty }, () => i));
          let r = seed;
          for (let i = units.length - 1; i > 0; i--) {
            r = (r * 1103515245 + 12345) % 2 ** 31;
            const j = r % (i + 1);
            [units[i], units[j]] = [units[j]!, units[i]!];
          }
          let tally: ReturnTallyRow | undefined;
          let refundedTotal = 0;
          for (const [n, i] of units.entries()) {
            const before = tally?.returned[i] ?? 0;
            const value = lineRefund(p.lines[i]!, before, 1);
            const plan = planRefund(p, tally, value, 'original');
            expect(plan.refunds.reduce((s, f) => s + f.amount, 0)).toBe(value);
            refundedTotal += value;
            tally = addToTally(tally, p, { id: `r${n}`, number: `R${n}`, storeId: 'S01', at: '', lines: [{ line: i, sku: p.lines[i]!.sku, qty: 1 }], plan });
            for (const k of REFUND_ORDER) expect(tally.refunded[k] ?? 0).toBeLessThanOrEqual(paid[k] ?? 0);
          }
          expect(refundedTotal).toBe(total);
          for (const k of REFUND_ORDER) expect(tally?.refunded[k] ?? 0).toBe(paid[k] ?? 0);
        },
      ),
      { seed: 20261213 },
    );
  });

  it('[RE5] mixed tenders refund in the stated order: card before cash; store credit puts everything on credit', () => {
    const p = purchase([{ qty: 2, lineTotal: 10_000 }], { card: 6_000 as Minor, cash: 4_000 as Minor });
    expect(planRefund(p, undefined, 5_000 as Minor, 'original').refunds).toEqual([{ kind: 'card', amount: 5_000 }]);
    expect(planRefund(p, { value: 5_000 as Minor, refunded: { card: 5_000 as Minor } }, 5_000 as Minor, 'original').refunds).toEqual([
      { kind: 'card', amount: 1_000 },
      { kind: 'cash', amount: 4_000 },
    ]);
    expect(planRefund(p, undefined, 5_000 as Minor, 'store-credit').refunds).toEqual([{ kind: 'store-credit', amount: 5_000 }]);
  });

  it('[RE5][LO2] points spent are restored and points earned taken back pro rata; the points part is not refunded as money', () => {
    // 100.00 paid 20.00 with 2000 points and 80.00 by card; 80 points earned.
    const p = purchase([{ qty: 4, lineTotal: 10_000 }], { loyalty: 2_000 as Minor, card: 8_000 as Minor }, { earned: 80, spent: 2_000 });
    const plan = planRefund(p, undefined, 2_500 as Minor, 'original');
    expect(plan.pointsRestored).toBe(500);
    expect(plan.pointsReversed).toBe(20);
    expect(plan.pointsValue).toBe(500);
    expect(plan.refunds).toEqual([{ kind: 'card', amount: 2_000 }]);
  });

  it('[RE4] an over-return refunds beyond the line at its unit price (the goods came back) and the overflow goes to the last tender', () => {
    const l = { sku: 'A', name: 'A', qty: 1, lineTotal: 999 as Minor };
    expect(lineRefund(l, 1, 1)).toBe(999);
    const p = purchase([{ qty: 1, lineTotal: 999 }], { cash: 999 as Minor });
    expect(planRefund(p, { value: 999 as Minor, refunded: { cash: 999 as Minor } }, 999 as Minor, 'original').refunds).toEqual([{ kind: 'cash', amount: 999 }]);
    expect(prorate(7, 1, 2)).toBe(4);
  });
});
