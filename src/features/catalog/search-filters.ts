// The products page's filters: form state → search options, and the stock sets behind "in stock here / nearby".
import type { VitrineDb } from '@/db/schema';
import { eachAvailability, productIdsOfSkus } from '@/db/catalog';
import type { CatalogSearchOptions } from '@/core/catalog/search/catalog-index';
import type { Currency } from '@/core/shared/brand';

export interface Filters {
  category: string;
  subcategory: string;
  size: string;
  color: string;
  /** As typed, in major units of the store currency ("49.90" or "49,90"). */
  priceMin: string;
  priceMax: string;
  inStockHere: boolean;
  inStockNearby: boolean;
}

export const NO_FILTERS: Filters = { category: '', subcategory: '', size: '', color: '', priceMin: '', priceMax: '', inStockHere: false, inStockNearby: false };

export const hasFilters = (f: Filters) =>
  f.category !== '' || f.size !== '' || f.color !== '' || f.priceMin.trim() !== '' || f.priceMax.trim() !== '' || f.inStockHere || f.inStockNearby;

/** "49,90" or "49.90" → 4990 minor units; undefined when empty or not a number. */
export function parseMajor(text: string): number | undefined {
  const t = text.trim().replace(',', '.');
  if (t === '' || !/^\d+(\.\d{0,2})?$/.test(t)) return undefined;
  return Math.round(Number(t) * 100);
}

/** Products with stock: here (this store, on hand − reserved > 0) and nearby (another store has some available). */
export interface StockSets {
  here?: ReadonlySet<string>;
  nearby?: ReadonlySet<string>;
}

/** The search options of a filter form (stock sets already read, or undefined when those filters are off). */
export function toSearchOptions(f: Filters, currency: Currency, sets: StockSets = {}, limit?: number): CatalogSearchOptions {
  const opts: CatalogSearchOptions = { currency };
  if (limit !== undefined) opts.limit = limit;
  if (f.category) opts.category = f.subcategory ? [f.category, f.subcategory] : [f.category];
  if (f.size) opts.size = f.size;
  if (f.color) opts.color = f.color;
  const min = parseMajor(f.priceMin);
  const max = parseMajor(f.priceMax);
  if (min !== undefined) opts.priceMin = min;
  if (max !== undefined) opts.priceMax = max;
  const tests: ((id: string) => boolean)[] = [];
  const { here, nearby } = sets;
  if (f.inStockHere && here) tests.push((id) => here.has(id));
  if (f.inStockNearby && nearby) tests.push((id) => nearby.has(id));
  if (tests.length > 0) opts.where = (id) => tests.every((t) => t(id));
  return opts;
}

/**
 * Reads, once per change of the stock tables (not per row tested), which products have stock here
 * and which have some available in another store.
 */
export async function readStockSets(db: VitrineDb, storeId: string, want: { here: boolean; nearby: boolean }): Promise<StockSets> {
  const out: StockSets = {};
  if (!want.here && !want.nearby) return out;
  if (want.here) {
    const rows = await db.stock.where('key').startsWith(`${storeId}|`).toArray();
    out.here = await productIdsOfSkus(db, rows.filter((r) => r.onHand - r.reserved > 0).map((r) => r.sku));
  }
  if (want.nearby) {
    const stores = (await db.locations.toArray()).filter((l) => l.kind === 'store' && l.id !== storeId).map((l) => l.id as string);
    const nearby = new Set<string>();
    await eachAvailability(db, (a) => {
      if (Object.values(a.by).some((by) => stores.some((s) => (by[s] ?? 0) > 0))) nearby.add(a.productId);
    });
    out.nearby = nearby;
  }
  return out;
}
