// [RE1] The lowest price an item sold for in the return window: net of line discounts, per currency,
// whole UTC days, never a gift's zero; today's catalog price when lower or when it did not sell.
import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import type { Currency, Minor, Sku } from '../shared/brand';
import { encodeHlc } from '../shared/hlc';
import type { OrderRow, SaleLine } from '../model';
import { DAY_MS, dailyLows, dayOf, lowestIn, noReceiptPrice, orderPrices, publishedLows, salePrices, unitNet, windowStartDay, type SoldPrice } from './lowest-price';
import { inWindow } from './return-math';

const at = (ms: number) => encodeHlc({ wall: ms, counter: 0, node: 'T1' });
const line = (sku: string, qty: number, lineTotal: number, unitPrice = lineTotal): SaleLine => ({ sku: sku as Sku, name: sku, qty, unitPrice: unitPrice as Minor, lineTotal: lineTotal as Minor, tax: 0 as Minor });
const T0 = Date.UTC(2026, 10, 30, 15, 0, 0);

describe('[RE1] lowest price in the window', () => {
  it('[RE1] a sold unit is priced net of its discounts, rounded up to the cent; a free line is no price', () => {
    expect(unitNet(2900, 3)).toBe(967);
    expect(unitNet(2995, 1)).toBe(2995);
    expect(unitNet(0, 1)).toBeUndefined();
    expect(unitNet(100, 0)).toBeUndefined();
    const prices = salePrices({ at: at(T0), currency: 'EUR', lines: [line('A', 2, 5990 - 1198, 2995), line('B', 1, 0, 1500)] });
    expect(prices).toEqual([{ sku: 'A', currency: 'EUR', day: dayOf(T0), price: 2396 }]);
  });

  it('[RE1] web orders count at what the customer paid, on the day they were placed; an order cancelled before it was recorded does not', () => {
    const order = { placedAt: new Date(T0).toISOString(), currency: 'BRL' as Currency, status: 'placed' as OrderRow['status'], lines: [{ sku: 'A' as Sku, name: 'A', qty: 2, unitPrice: 5000 as Minor, paid: 9000 as Minor }, { sku: 'B' as Sku, name: 'B', qty: 1, unitPrice: 3000 as Minor }] };
    expect(orderPrices(order)).toEqual([
      { sku: 'A', currency: 'BRL', day: dayOf(T0), price: 4500 },
      { sku: 'B', currency: 'BRL', day: dayOf(T0), price: 3000 },
    ]);
    expect(orderPrices({ ...order, status: 'cancelled' })).toEqual([]);
  });

  it('[RE1][RE2] the window is whole UTC days: a sale exactly 30 days before the return is in, one the day before that day is out', () => {
    const now = T0;
    const from = windowStartDay(now, 30);
    expect(inWindow(now - 30 * DAY_MS, now, 30)).toBe(true);
    expect(dayOf(now - 30 * DAY_MS)).toBe(from);
    expect(dayOf(now - 31 * DAY_MS)).toBe(from - 1);
    const prices: SoldPrice[] = [
      { sku: 'A', currency: 'EUR', day: from - 1, price: 1000 as Minor },
      { sku: 'A', currency: 'EUR', day: from, price: 2000 as Minor },
      { sku: 'A', currency: 'EUR', day: dayOf(now), price: 2500 as Minor },
    ];
    expect(lowestIn(prices, 'A', 'EUR', from, dayOf(now))).toBe(2000);
    // The day after the window moved, the oldest day has left it.
    expect(lowestIn(prices, 'A', 'EUR', windowStartDay(now + DAY_MS, 30), dayOf(now + DAY_MS))).toBe(2500);
  });

  it('[RE1] currencies never mix: a lower price in another currency is not this one\'s', () => {
    const prices: SoldPrice[] = [
      { sku: 'A', currency: 'BRL', day: 10, price: 100 as Minor },
      { sku: 'A', currency: 'EUR', day: 10, price: 2995 as Minor },
    ];
    expect(lowestIn(prices, 'A', 'EUR', 0, 20)).toBe(2995);
    expect(lowestIn(prices, 'A', 'USD', 0, 20)).toBeUndefined();
  });

  it('[RE1] the refund price is the window low when below today\'s catalog price, else the catalog price', () => {
    expect(noReceiptPrice(2995, 3995)).toEqual({ price: 2995, source: 'lowest' });
    expect(noReceiptPrice(3995, 2995)).toEqual({ price: 2995, source: 'catalog' });
    expect(noReceiptPrice(undefined, 3995)).toEqual({ price: 3995, source: 'catalog' });
    expect(noReceiptPrice(2995, undefined)).toEqual({ price: 2995, source: 'lowest' });
    expect(noReceiptPrice(undefined, undefined)).toBeUndefined();
  });

  it('[RE1] only lows below the catalog price are published; none, no row', () => {
    expect(publishedLows('A', { EUR: 2995, BRL: 20000 }, { EUR: 3995, BRL: 19990 }, 20000, 5)).toEqual({ sku: 'A', lows: { EUR: 2995 }, since: '2024-10-04', at: 5 });
    expect(publishedLows('A', { EUR: 3995 }, { EUR: 3995 }, 20000, 5)).toBeUndefined();
  });

  it('[RE1] property: daily lows then the window\'s minimum equal the minimum of every sale in the window, per currency, in any order', () => {
    const sold = fc.record({ sku: fc.constantFrom('A', 'B'), currency: fc.constantFrom<Currency>('EUR', 'BRL', 'USD'), day: fc.integer({ min: 0, max: 60 }), price: fc.integer({ min: 1, max: 1_000_000 }).map((n) => n as Minor) });
    fc.assert(
      fc.property(fc.array(sold, { maxLength: 80 }), fc.integer({ min: 0, max: 60 }), fc.integer({ min: 0, max: 40 }), fc.constantFrom<Currency>('EUR', 'BRL', 'USD'), (all, to, days, currency) => {
        const from = to - days;
        const inside = all.filter((p) => p.sku === 'A' && p.currency === currency && p.day >= from && p.day <= to).map((p) => p.price);
        const expected = inside.length ? Math.min(...inside) : undefined;
        expect(lowestIn(dailyLows(all), 'A', currency, from, to)).toBe(expected);
        expect(lowestIn(dailyLows([...all].reverse()), 'A', currency, from, to)).toBe(expected);
        // One row per (sku, currency, day): what the table's key allows.
        const keys = dailyLows(all).map((p) => `${p.sku}|${p.currency}|${p.day}`);
        expect(new Set(keys).size).toBe(keys.length);
      }),
    );
  });

  it('[RE1] property: a line\'s unit net price times its quantity covers what the line cost, by less than one cent per unit', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 999 }), fc.integer({ min: 1, max: 10_000_000 }), (qty, total) => {
        const u = unitNet(total, qty)!;
        expect(u * qty).toBeGreaterThanOrEqual(total);
        expect(u * qty - total).toBeLessThan(qty);
      }),
    );
  });
});
