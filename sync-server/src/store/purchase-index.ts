// Two small indexes written with every sale and order, in the transaction that writes the row:
// `purchase_numbers` finds a purchase by its number without scanning stored rows (decision 67), and
// `price_lows` keeps the lowest unit price each SKU sold for per currency and UTC day (decision 65).
// The migration that created them (0008) backfilled them with the same functions.
import type { Kysely, Transaction } from 'kysely';
import type { DB } from './schema';
import type { OrderRow, SaleRow } from '../../../src/core/model';
import { dailyLows, orderPrices, salePrices, type SoldPrice } from '../../../src/core/returns/lowest-price';

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
export async function writePurchaseIndex(db: Kysely<DB> | Transaction<DB>, idx: PurchaseIndex, chunk = 400): Promise<string[]> {
  for (let i = 0; i < idx.numbers.length; i += chunk) {
    await db
      .insertInto('purchase_numbers')
      .values(idx.numbers.slice(i, i + chunk))
      .onConflict((oc) => oc.columns(['number', 'tbl', 'key']).doNothing())
      .execute();
  }
  const lowered = new Set<string>();
  for (let i = 0; i < idx.lows.length; i += chunk) {
    const changed = await db
      .insertInto('price_lows')
      .values(idx.lows.slice(i, i + chunk).map((p) => ({ sku: p.sku, currency: p.currency, day: p.day, price: p.price })))
      .onConflict((oc) =>
        oc
          .columns(['sku', 'currency', 'day'])
          .doUpdateSet((eb) => ({ price: eb.ref('excluded.price') }))
          .where((eb) => eb('excluded.price', '<', eb.ref('price_lows.price'))),
      )
      .returning('sku')
      .execute();
    for (const c of changed) lowered.add(c.sku);
  }
  await markPriceDirty(db, [...lowered]);
  return [...lowered];
}

/** Marks SKUs for the price roll-up; a mark it has not seen yet is never cleared (gen). */
export async function markPriceDirty(db: Kysely<DB> | Transaction<DB>, skus: readonly string[], chunk = 500): Promise<void> {
  for (let i = 0; i < skus.length; i += chunk) {
    await db
      .insertInto('price_dirty')
      .values(skus.slice(i, i + chunk).map((sku) => ({ sku, gen: 1 })))
      .onConflict((oc) => oc.column('sku').doUpdateSet((eb) => ({ gen: eb('price_dirty.gen', '+', 1) })))
      .execute();
  }
}
