// Two small indexes written with every sale and order, in the transaction that writes the row:
// `purchase_numbers` finds a purchase by its number without scanning stored rows (decision 67), and
// `price_lows` keeps the lowest unit price each SKU sold for per currency and UTC day (decision 65).
// The migration that created them (0008) backfilled them with the same functions.
import type { Kysely, Transaction } from 'kysely';
import type { DB } from './schema';
import type { OrderRow, SaleRow } from '../../../src/core/model';
import { dailyLows, orderPrices, salePrices, type SoldPrice } from '../../../src/core/returns/lowest-price';
import { bulkInsert, type Dialect } from './bulk';

export interface PurchaseIndex {
  numbers: { number: string; tbl: string; key: string }[];
  lows: SoldPrice[];
}

/** What the indexes get from written rows (other tables and deletions are skipped; a row in several streams counts once). */
export function purchaseIndexOf(rows: readonly { tbl: string; key: string; data: string | null }[]): PurchaseIndex {
  const numbers = new Map<string, { number: string; tbl: string; key: string }>();
  const prices: SoldPrice[] = [];
  const seen = new Set<string>();
  for (const r of rows) {
    if ((r.tbl !== 'sales' && r.tbl !== 'orders') || r.data === null) continue;
    const id = `${r.tbl}\u0000${r.key}`;
    if (seen.has(id)) continue;
    seen.add(id);
    const row = JSON.parse(r.data) as SaleRow | OrderRow;
    if (r.tbl === 'sales') {
      const sale = row as SaleRow;
      if (typeof sale.receiptNo === 'string') numbers.set(`${sale.receiptNo}\u0000${id}`, { number: sale.receiptNo, tbl: r.tbl, key: r.key });
      prices.push(...salePrices(sale));
    } else {
      const order = row as OrderRow;
      if (typeof order.number === 'string') numbers.set(`${order.number}\u0000${id}`, { number: order.number, tbl: r.tbl, key: r.key });
      prices.push(...orderPrices(order));
    }
  }
  return { numbers: [...numbers.values()], lows: dailyLows(prices) };
}

/**
 * Writes an index: numbers once, each daily low only where it is new or lower than the stored one.
 * The SKUs whose low went down are marked for the price roll-up (`price_dirty`). Answers them.
 */
export async function writePurchaseIndex(db: Kysely<DB> | Transaction<DB>, idx: PurchaseIndex, dialect: Dialect): Promise<string[]> {
  await bulkInsert(db, dialect, 'purchase_numbers', ['number', 'tbl', 'key'], idx.numbers, (n) => [n.number, n.tbl, n.key], 'on conflict ("number", "tbl", "key") do nothing');
  const changed = await bulkInsert(
    db,
    dialect,
    'price_lows',
    ['sku', 'currency', 'day', 'price'],
    idx.lows,
    (p) => [p.sku, p.currency, p.day, p.price],
    'on conflict ("sku", "currency", "day") do update set "price" = excluded."price" where excluded."price" < "price_lows"."price" returning "sku"',
  );
  const lowered = [...new Set(changed.map((c) => c.sku as string))];
  await markPriceDirty(db, lowered, dialect);
  return lowered;
}

/** Marks SKUs for the price roll-up; a mark it has not seen yet is never cleared (gen). */
export async function markPriceDirty(db: Kysely<DB> | Transaction<DB>, skus: readonly string[], dialect: Dialect): Promise<void> {
  await bulkInsert(db, dialect, 'price_dirty', ['sku', 'gen'], skus, (sku) => [sku, 1], 'on conflict ("sku") do update set "gen" = "price_dirty"."gen" + 1');
}
