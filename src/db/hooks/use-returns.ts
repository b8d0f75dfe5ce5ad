// Returns as this tablet knows them [RE1][RE3]: a purchase by number with what has been returned of
// it (the chain's tallies it has pulled plus its own pending returns), a SKU's catalog facts, and a
// return with the rows its receipt shows.
import { useLiveQuery } from 'dexie-react-hooks';
import type { VitrineDb } from '../schema';
import type { AssociateRow, CustomerRow, LocationRow, ReturnRow } from '@/core/model';
import { lookedUp, orderView, saleView, type LookedUpPurchase } from '@/core/returns/return-math';
import { noReceiptPrice, type PriceSource } from '@/core/returns/lowest-price';
import type { Currency } from '@/core/shared/brand';

/** The purchase with this receipt or order number among what this tablet holds, or null. */
/**
 * [T3] Money (cash and card) this tablet refunded in returns taken offline that have not reached the
 * server yet: the running total its offline cap is counted against.
 */
export async function offlineRefundsPending(db: VitrineDb): Promise<number> {
  const ids = (await db.outbox.filter((e) => e.type === 'return.create' && (e.payload as { offline?: boolean }).offline === true).toArray()).map((e) => (e.payload as { returnId: string }).returnId);
  const rows = await db.returns.bulkGet(ids);
  return rows.reduce((sum, r) => sum + (r?.refunds ?? []).filter((x) => (x.kind === 'cash' || x.kind === 'card') && x.ref !== 'exchange').reduce((s, x) => s + x.amount, 0), 0);
}

export async function findLocalPurchase(db: VitrineDb, number: string): Promise<LookedUpPurchase | null> {
  const sale = await db.sales.where('receiptNo').equals(number).first();
  const order = sale ? undefined : await db.orders.where('number').equals(number).first();
  const view = sale ? saleView(sale) : order ? orderView(order) : undefined;
  if (!view) return null;
  const [tally, customer] = await Promise.all([db.returnTallies.get(view.id), view.customerId ? db.customers.get(view.customerId) : undefined]);
  return lookedUp(view, tally, customer ? `${customer.firstName} ${customer.lastName}` : undefined);
}

/** What this tablet knows was returned of a purchase (its pulled tally and its own pending returns). */
export async function localReturned(db: VitrineDb, purchaseId: string): Promise<number[]> {
  return (await db.returnTallies.get(purchaseId))?.returned ?? [];
}

/** A SKU or barcode's product name and price in `currency`, from the local catalog. */
export async function findItem(db: VitrineDb, code: string, currency: string): Promise<{ sku: string; name: string; price: number; taxClass: string } | null> {
  const c = code.trim();
  const product = (await db.products.where('skus').equals(c).first()) ?? (await db.products.where('barcodes').equals(c).first());
  const v = product?.variants.find((x) => x.sku === c || x.barcode === c);
  const price = v?.prices[currency as keyof typeof v.prices];
  return product && v && price !== undefined ? { sku: v.sku, name: `${product.name} ${[v.size, v.color].filter(Boolean).join(' ')}`.trim(), price, taxClass: product.taxClass } : null;
}

/**
 * [RE1] What a no-receipt return pays for one unit, as this tablet knows it: the lowest price the
 * item sold for in the window, published by the server (`priceLows`), or today's catalog price when
 * that is lower or when nothing was published (decision 65). The server prices it again.
 */
export async function noReceiptPriceOf(db: VitrineDb, sku: string, currency: string, catalog: number): Promise<{ price: number; source: PriceSource }> {
  const row = await db.priceLows.get(sku);
  return noReceiptPrice(row?.lows[currency as Currency], catalog) ?? { price: catalog, source: 'catalog' };
}

export interface ReturnRecord {
  ret: ReturnRow;
  store: LocationRow | undefined;
  associate: AssociateRow | undefined;
  customer: CustomerRow | undefined;
}

/** undefined while loading, null if this tablet has no such return. */
export function useReturnRecord(db: VitrineDb, id: string | undefined): ReturnRecord | null | undefined {
  return useLiveQuery(async () => {
    const ret = id ? await db.returns.get(id) : undefined;
    if (!ret) return null;
    const [store, associate, customer] = await Promise.all([db.locations.get(ret.storeId), db.associates.get(ret.actor), ret.customerId ? db.customers.get(ret.customerId) : undefined]);
    return { ret, store, associate, customer };
  }, [db, id]);
}

/** A customer's purchases from their history (sales and orders), newest first, for picking one to return. */
export function useCustomerPurchases(db: VitrineDb, customerId: string | undefined) {
  return useLiveQuery(async () => (customerId ? ((await db.history.get(customerId))?.entries ?? []).filter((e) => e.kind !== 'return') : []), [db, customerId]) ?? [];
}

/** [RE3] What has been returned of each of these purchases (quantity per line), as the tablet knows it. */
export function useReturnedOf(db: VitrineDb, purchaseIds: readonly string[]): ReadonlyMap<string, number[]> {
  const key = purchaseIds.join('|');
  return (
    useLiveQuery(async () => {
      const rows = await db.returnTallies.bulkGet([...purchaseIds]);
      return new Map(rows.flatMap((r) => (r ? [[r.purchaseId, r.returned] as const] : [])));
    }, [db, key]) ?? new Map<string, number[]>()
  );
}
