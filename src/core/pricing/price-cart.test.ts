// [MO2][MO3] The one pricing function: totals are sums of lines in both tax modes, every rounding
// case is half-up per line, discounts add up exactly and never exceed what they discount.
import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { priceCart, allocate, mulDivHalfUp, MAX_QTY, MAX_UNIT_PRICE, MAX_LINES, type Discount, type PriceLineIn } from './price-cart';
import { overApprovalLimit } from './discount-limit';
import type { Minor } from '../shared/brand';

const m = (n: number) => n as Minor;
const discountArb: fc.Arbitrary<Discount> = fc.oneof(
  fc.record({ kind: fc.constant('percent' as const), value: fc.integer({ min: 0, max: 10_000 }), reason: fc.constant('other') }),
  fc.record({ kind: fc.constant('amount' as const), value: fc.integer({ min: 0, max: 1e12 }), reason: fc.constant('other') }),
);
const lineArb: fc.Arbitrary<PriceLineIn> = fc.record(
  {
    qty: fc.integer({ min: 1, max: MAX_QTY }),
    unitPrice: fc.integer({ min: 0, max: MAX_UNIT_PRICE }).map(m),
    taxRate: fc.constantFrom(0, 60, 70, 100, 170, 220, 230, 1000),
    discount: discountArb,
  },
  { requiredKeys: ['qty', 'unitPrice', 'taxRate'] },
);
const cartArb = fc.record(
  { lines: fc.array(lineArb, { minLength: 1, maxLength: 30 }), cartDiscount: discountArb, taxMode: fc.constantFrom('inclusive' as const, 'exclusive' as const) },
  { requiredKeys: ['lines', 'taxMode'] },
);

/** Half-up rounding of a/b written the slow, obvious way (decimal strings), as an oracle. */
function oracleHalfUp(a: bigint, b: bigint): number {
  const q = a / b;
  const r = a % b;
  return Number(r * 2n >= b ? q + 1n : q);
}

describe('priceCart', () => {
  it('[MO2] totals equal the sum of their lines, in both tax modes (property)', () => {
    fc.assert(
      fc.property(cartArb, (cart) => {
        const p = priceCart(cart);
        const sum = (xs: number[]) => xs.reduce((s, x) => s + x, 0);
        expect(p.total).toBe(sum(p.lines.map((l) => l.lineTotal)));
        expect(p.tax).toBe(sum(p.lines.map((l) => l.tax)));
        expect(p.discount).toBe(sum(p.lines.map((l) => l.discount)));
        expect(p.subtotal).toBe(sum(p.lines.map((l) => l.gross)));
        for (const [i, l] of p.lines.entries()) {
          expect(l.gross).toBe(cart.lines[i]!.qty * cart.lines[i]!.unitPrice);
          expect(l.discount).toBeGreaterThanOrEqual(0);
          expect(l.discount).toBeLessThanOrEqual(l.gross);
          const net = l.gross - l.discount;
          expect(l.lineTotal).toBe(cart.taxMode === 'inclusive' ? net : net + l.tax);
          expect(Number.isSafeInteger(l.lineTotal)).toBe(true);
        }
        expect(Number.isSafeInteger(p.total)).toBe(true);
      }),
    );
  });

  it('[MO2] tax is rounded half-up per line, exactly, in every rounding case (property against a BigInt oracle)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: MAX_QTY * MAX_UNIT_PRICE }), fc.integer({ min: 0, max: 1000 }), (net, rate) => {
        const [inc] = priceCart({ taxMode: 'inclusive', lines: [{ qty: 1, unitPrice: m(net), taxRate: rate }] }).lines;
        const [exc] = priceCart({ taxMode: 'exclusive', lines: [{ qty: 1, unitPrice: m(net), taxRate: rate }] }).lines;
        expect(inc!.tax).toBe(oracleHalfUp(BigInt(net) * BigInt(rate), BigInt(1000 + rate)));
        expect(exc!.tax).toBe(oracleHalfUp(BigInt(net) * BigInt(rate), 1000n));
      }),
    );
  });

  it('[MO2] the half-way cases round up: 23 % of 0.50 on top is 0.115 → 0.12; 1.23 inclusive at 23 % holds 0.23', () => {
    expect(priceCart({ taxMode: 'exclusive', lines: [{ qty: 1, unitPrice: m(50), taxRate: 230 }] }).lines[0]!.tax).toBe(12);
    expect(priceCart({ taxMode: 'inclusive', lines: [{ qty: 1, unitPrice: m(123), taxRate: 230 }] }).lines[0]!.tax).toBe(23);
    expect(priceCart({ taxMode: 'exclusive', lines: [{ qty: 1, unitPrice: m(10), taxRate: 50 }] }).lines[0]!.tax).toBe(1); // 0.5 → 1
    expect(priceCart({ taxMode: 'exclusive', lines: [{ qty: 1, unitPrice: m(10), taxRate: 49 }] }).lines[0]!.tax).toBe(0); // 0.49 → 0
    expect(mulDivHalfUp(-5, 1, 10)).toBe(-1); // half away from zero
  });

  it('[MO2] a quantity × price far above 2^53 before the bounds is still exact at the bounds (200 lines of 9,999 × 10,000,000.00)', () => {
    const lines = Array.from({ length: MAX_LINES }, () => ({ qty: MAX_QTY, unitPrice: m(MAX_UNIT_PRICE), taxRate: 230 }));
    const p = priceCart({ taxMode: 'exclusive', lines, cartDiscount: { kind: 'percent', value: 3333, reason: 'other' } });
    expect(Number.isSafeInteger(p.total)).toBe(true);
    expect(p.subtotal).toBe(MAX_LINES * MAX_QTY * MAX_UNIT_PRICE);
  });

  it('[MO3] a cart discount is spread over the lines in whole cents that add up to it exactly (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1e12 }), fc.array(fc.integer({ min: 0, max: 1e12 }), { minLength: 1, maxLength: 50 }), (amount, bases) => {
        const total = bases.reduce((s, b) => s + b, 0);
        const shares = allocate(m(Math.min(amount, total)), bases.map(m));
        expect(shares.reduce((s, x) => s + x, 0)).toBe(total === 0 ? 0 : Math.min(amount, total));
        shares.forEach((s, i) => expect(s).toBeLessThanOrEqual(bases[i]!));
      }),
    );
  });

  it('[MO3] 10 % off a 3-line cart: 3.33 + 3.33 + 3.34 of 100.00 each, tax on what each line really costs', () => {
    const p = priceCart({
      taxMode: 'inclusive',
      lines: [1, 2, 3].map(() => ({ qty: 1, unitPrice: m(3333), taxRate: 230 })),
      cartDiscount: { kind: 'amount', value: 1000, reason: 'loyal-customer' },
    });
    expect(p.lines.map((l) => l.discount)).toEqual([334, 333, 333]);
    expect(p.total).toBe(9999 - 1000);
    expect(p.cartDiscount).toBe(1000);
  });

  it('[MO3] the approval limit: 20 % off needs no manager, 20.01 % does (line or cart)', () => {
    const one = (d: Discount) => priceCart({ taxMode: 'inclusive', lines: [{ qty: 1, unitPrice: m(10_000), taxRate: 230, discount: d }] });
    expect(overApprovalLimit(one({ kind: 'percent', value: 2000, reason: 'other' }), 2000)).toBe(false);
    expect(overApprovalLimit(one({ kind: 'percent', value: 2001, reason: 'other' }), 2000)).toBe(true);
    expect(overApprovalLimit(one({ kind: 'amount', value: 2001, reason: 'other' }), 2000)).toBe(true);
    const cart = priceCart({ taxMode: 'inclusive', lines: [{ qty: 1, unitPrice: m(5000), taxRate: 230 }, { qty: 1, unitPrice: m(5000), taxRate: 230 }], cartDiscount: { kind: 'percent', value: 2500, reason: 'other' } });
    expect(overApprovalLimit(cart, 2000)).toBe(true);
  });
});
