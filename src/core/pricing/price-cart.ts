// The one pricing function [MO2]: a cart's lines, discounts, tax and totals. The cart screen, the
// sale.complete handler, receipts and the demo seed all call it, so a total can never differ between them.
import type { Minor } from '../shared/brand';
import type { TaxMode } from '../model';

/** A discount: a percentage in basis points (1250 = 12.5 %) or an amount in minor units [MO3]. */
export interface Discount {
  kind: 'percent' | 'amount';
  value: number;
  reason: string;
}

export interface PriceLineIn {
  qty: number;
  unitPrice: Minor;
  /** Tax rate of the line's tax class, permille (230 = 23 %). */
  taxRate: number;
  discount?: Discount;
}

export interface PricedLine {
  /** qty × unit price, before any discount. */
  gross: Minor;
  /** Everything taken off this line: its own discount plus its share of the cart discount. */
  discount: Minor;
  /** What the customer pays for the line: net of discounts, tax included in inclusive stores, added in exclusive ones. */
  lineTotal: Minor;
  /** Tax of the line, rounded half-up on the line [MO2]. */
  tax: Minor;
}

export interface PricedCart {
  lines: PricedLine[];
  /** Sum of gross amounts. */
  subtotal: Minor;
  /** Sum of line discounts (cart discount included, spread over the lines). */
  discount: Minor;
  /** The cart discount alone (already inside `discount`). */
  cartDiscount: Minor;
  tax: Minor;
  /** Sum of line totals: what is due. */
  total: Minor;
}

/** Bounds the sale command enforces [T3]; at these bounds every sum stays an exact integer. */
export const MAX_QTY = 9_999;
export const MAX_UNIT_PRICE = 1_000_000_000; // 10,000,000.00
export const MAX_LINES = 200;
export const MAX_TAX_RATE = 1_000; // 100 %
export const BASIS_POINTS = 10_000;

const big = BigInt;

/** a × num / den, rounded half away from zero, exactly (BigInt: a × num can pass 2^53). */
export function mulDivHalfUp(a: number, num: number, den: number): Minor {
  if (den <= 0) throw new RangeError('Denominator must be positive');
  const p = big(a) * big(num);
  const neg = p < 0n;
  const abs = neg ? -p : p;
  const q = (abs * 2n + big(den)) / (big(den) * 2n);
  const r = Number(neg ? -q : q);
  return safe(r);
}

function safe(n: number): Minor {
  if (!Number.isSafeInteger(n)) throw new RangeError(`Amount ${n} is beyond what money can hold exactly`);
  return n as Minor;
}

function discountOf(base: Minor, d: Discount | undefined): Minor {
  if (!d || d.value <= 0 || base <= 0) return 0 as Minor;
  const raw = d.kind === 'percent' ? mulDivHalfUp(base, Math.min(d.value, BASIS_POINTS), BASIS_POINTS) : d.value;
  return Math.min(raw, base) as Minor;
}

/**
 * Spreads `amount` over `bases` in proportion, in whole minor units, so the shares add up to it
 * exactly: floor shares, then the remainder one unit at a time to the largest fractions (earlier
 * lines first on ties). Each line then carries its tax on what it really costs.
 */
export function allocate(amount: Minor, bases: readonly Minor[]): Minor[] {
  const total = bases.reduce((s, b) => s + big(b), 0n);
  if (amount <= 0 || total === 0n) return bases.map(() => 0 as Minor);
  const shares = bases.map((b) => (big(amount) * big(b)) / total);
  const rests = bases.map((b, i) => ({ i, rest: (big(amount) * big(b)) % total }));
  let left = big(amount) - shares.reduce((s, x) => s + x, 0n);
  rests.sort((a, b) => (a.rest === b.rest ? a.i - b.i : a.rest > b.rest ? -1 : 1));
  for (const { i } of rests) {
    if (left <= 0n) break;
    shares[i] = shares[i]! + 1n;
    left -= 1n;
  }
  return shares.map((s) => safe(Number(s)));
}

export function priceCart(input: { lines: readonly PriceLineIn[]; cartDiscount?: Discount; taxMode: TaxMode }): PricedCart {
  const gross = input.lines.map((l) => safe(Number(big(l.unitPrice) * big(l.qty))));
  const own = input.lines.map((l, i) => discountOf(gross[i]!, l.discount));
  const afterOwn = gross.map((g, i) => (g - own[i]!) as Minor);
  const cartBase = afterOwn.reduce((s, x) => s + x, 0) as Minor;
  const cartDiscount = discountOf(cartBase, input.cartDiscount);
  const shares = allocate(cartDiscount, afterOwn);
  const lines = input.lines.map((l, i): PricedLine => {
    const discount = (own[i]! + shares[i]!) as Minor;
    const net = (gross[i]! - discount) as Minor;
    const rate = Math.max(0, l.taxRate);
    const tax = input.taxMode === 'inclusive' ? mulDivHalfUp(net, rate, 1000 + rate) : mulDivHalfUp(net, rate, 1000);
    const lineTotal = input.taxMode === 'inclusive' ? net : safe(net + tax);
    return { gross: gross[i]!, discount, lineTotal, tax };
  });
  const add = (xs: readonly number[]) => safe(xs.reduce((s, x) => s + x, 0));
  return {
    lines,
    subtotal: add(gross),
    discount: add(lines.map((l) => l.discount)),
    cartDiscount,
    tax: add(lines.map((l) => l.tax)),
    total: add(lines.map((l) => l.lineTotal)),
  };
}
