// A sale as this tablet holds it, with the rows its receipt shows (store, associate, customer) [MO4].
import { useLiveQuery } from 'dexie-react-hooks';
import type { VitrineDb } from '../schema';
import type { AssociateRow, CustomerRow, LocationRow, OrderRow, SaleRow } from '@/core/model';

export interface SaleRecord {
  sale: SaleRow;
  store: LocationRow | undefined;
  associate: AssociateRow | undefined;
  approver: AssociateRow | undefined;
  customer: CustomerRow | undefined;
  /** [LO1] The sale has not reached the server yet: the points it earned are pending. */
  unsent: boolean;
  /** [OR1] The order this sale paid for, and the store it is collected at. */
  order?: OrderRow | undefined;
  pickupStore?: LocationRow | undefined;
}

export async function readSaleRecord(db: VitrineDb, saleId: string): Promise<SaleRecord | null> {
  const sale = await db.sales.get(saleId);
  if (!sale) return null;
  const [store, associate, approver, customer, unsent] = await Promise.all([
    db.locations.get(sale.storeId),
    db.associates.get(sale.actor),
    sale.approvedBy ? db.associates.get(sale.approvedBy) : undefined,
    sale.customerId ? db.customers.get(sale.customerId) : undefined,
    db.outbox.filter((e) => (e.type === 'sale.complete' || e.type === 'order.create') && (e.payload as { saleId?: string }).saleId === saleId).count(),
  ]);
  const order = sale.orderId ? await db.orders.get(sale.orderId) : undefined;
  const pickupStore = order?.storeOrder?.pickupStoreId ? await db.locations.get(order.storeOrder.pickupStoreId) : undefined;
  return { sale, store, associate, approver, customer, unsent: unsent > 0, order, pickupStore };
}

/** undefined while loading, null if this tablet has no such sale. */
export function useSaleRecord(db: VitrineDb, saleId: string | undefined): SaleRecord | null | undefined {
  return useLiveQuery(async () => (saleId ? readSaleRecord(db, saleId) : null), [db, saleId]);
}

/** Whether a sale is on this tablet: a sale being completed is checked before it is rung again. */
export async function hasSale(db: VitrineDb, saleId: string): Promise<boolean> {
  return (await db.sales.get(saleId)) !== undefined;
}

/** This tablet's latest sales, newest first, for a reprint. */
export function useRecentSales(db: VitrineDb, limit = 5): SaleRow[] | undefined {
  return useLiveQuery(() => db.sales.orderBy('at').reverse().limit(limit).toArray(), [db, limit]);
}
