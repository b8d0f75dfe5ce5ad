// [RE1] What a no-receipt return refunds: the lowest unit price the item sold for in the return
// window, in the return's currency, net of its line's discounts (decision 65). The server keeps the
// lowest per SKU, currency and UTC day (`price_lows`), written with each sale and web order; a daily
// and incremental roll-up publishes, on the `network` stream, the SKUs whose window low is below
// their catalog price (`priceLows`), so a tablet prices offline. These are the pure rules both use.
import type { OrderRow, PriceLowRow, SaleRow } from '../model';
import type { Currency, Minor } from '../shared/brand';
import { decodeHlc } from '../shared/hlc';

export const DAY_MS = 86_400_000;

/** The UTC day number (days since 1970-01-01) of a time in ms. */
export const dayOf = (ms: number): number => Math.floor(ms / DAY_MS);

/** ISO date (YYYY-MM-DD) of a day number. */
export const dayIso = (day: number): string => new Date(day * DAY_MS).toISOString().slice(0, 10);

/**
 * The first day of the window that ends at `now`: every day from it to today counts, so a sale made
 * exactly `windowDays` days before `now` is inside (as [RE2]'s `inWindow` has it), and so is the rest
 * of that first day (the window is counted in whole UTC days).
 */
export const windowStartDay = (now: number, windowDays: number): number => dayOf(now - windowDays * DAY_MS);

/**
 * What one unit of a line sold for, net of its discounts (its own and its share of the cart's):
 * the line's total over its quantity, rounded up to the cent, so no buyer paid less per unit.
 * Undefined for a line that sold nothing or for nothing (a gift is not a price the item sold for).
 */
export function unitNet(total: number, qty: number): Minor | undefined {
  if (!Number.isSafeInteger(total) || !Number.isInteger(qty) || qty <= 0 || total <= 0) return undefined;
  return Math.ceil(total / qty) as Minor;
}

/** One observed sale price: a SKU sold at `price` per unit, in `currency`, on UTC `day`. */
export interface SoldPrice {
  sku: string;
  currency: Currency;
  day: number;
  price: Minor;
}

/** The prices a store sale sold its SKUs at (its day is the day of its HLC time). */
export function salePrices(sale: Pick<SaleRow, 'at' | 'currency' | 'lines'>): SoldPrice[] {
  const day = dayOf(decodeHlc(sale.at).wall);
  return sale.lines.flatMap((l) => {
    const price = unitNet(l.lineTotal, l.qty);
    return price === undefined ? [] : [{ sku: l.sku, currency: sale.currency, day, price }];
  });
}

/**
 * The prices a web or store order sold its SKUs at, on the day it was placed: what the customer paid
 * for a line (`paid`) or its quantity at its unit price. Web orders are sales of the chain, so they
 * count; an order cancelled before it was ever recorded does not.
 */
export function orderPrices(order: Pick<OrderRow, 'placedAt' | 'currency' | 'lines' | 'status'>): SoldPrice[] {
  const t = Date.parse(order.placedAt);
  if (!Number.isFinite(t) || order.status === 'cancelled') return [];
  const day = dayOf(t);
  return order.lines.flatMap((l) => {
    const price = unitNet(l.paid ?? l.qty * l.unitPrice, l.qty);
    return price === undefined ? [] : [{ sku: l.sku, currency: order.currency, day, price }];
  });
}

/** The lowest of each (sku, currency, day): what `price_lows` holds, one row per key. */
export function dailyLows(prices: readonly SoldPrice[]): SoldPrice[] {
  const by = new Map<string, SoldPrice>();
  for (const p of prices) {
    const k = `${p.sku}\u0000${p.currency}\u0000${p.day}`;
    const had = by.get(k);
    if (!had || p.price < had.price) by.set(k, p);
  }
  return [...by.values()];
}

/** The lowest price of `sku` in `currency` from `fromDay` to `toDay` (inclusive), or undefined. */
export function lowestIn(prices: readonly SoldPrice[], sku: string, currency: Currency, fromDay: number, toDay: number): Minor | undefined {
  let low: number | undefined;
  for (const p of prices) if (p.sku === sku && p.currency === currency && p.day >= fromDay && p.day <= toDay && (low === undefined || p.price < low)) low = p.price;
  return low as Minor | undefined;
}

/** Where a no-receipt price came from: the window's lowest sale, or today's catalog price. */
export type PriceSource = 'lowest' | 'catalog';

/**
 * [RE1] A no-receipt unit price: the lowest the item sold for in the window, or today's catalog
 * price when that is lower (today is in the window, and the item sells for it) or when no sale is
 * known. Undefined when neither is known.
 */
export function noReceiptPrice(low: number | undefined, catalog: number | undefined): { price: Minor; source: PriceSource } | undefined {
  if (low !== undefined && (catalog === undefined || low < catalog)) return { price: low as Minor, source: 'lowest' };
  if (catalog !== undefined) return { price: catalog as Minor, source: 'catalog' };
  return undefined;
}

/**
 * What the roll-up publishes for one SKU: the window's lows that are below the catalog's price in
 * their currency (or in a currency the catalog does not price the SKU in). Undefined when there is
 * none: the tablet then uses the catalog price, which is the right answer.
 */
export function publishedLows(sku: string, lows: Partial<Record<Currency, number>>, catalog: Partial<Record<Currency, number>>, fromDay: number, at: number): PriceLowRow | undefined {
  const kept: Partial<Record<Currency, Minor>> = {};
  for (const [currency, low] of Object.entries(lows) as [Currency, number | undefined][]) {
    if (low === undefined) continue;
    const list = catalog[currency];
    if (list === undefined || low < list) kept[currency] = low as Minor;
  }
  return Object.keys(kept).length ? { sku, lows: kept, since: dayIso(fromDay), at } : undefined;
}
