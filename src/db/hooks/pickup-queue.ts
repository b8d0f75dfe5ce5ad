// The pickup queue's data [PQ2]: this store's open orders, with per line where to take it from (the
// sourcing location and what its stock row says) — read live from IndexedDB, so it works offline.
import { useLiveQuery } from 'dexie-react-hooks';
import type { VitrineDb } from '../schema';
import { getDevice } from '../device';
import { stockKey, type OrderRow } from '@/core/model';

export interface LineHint {
  /** Where the line is picked: this store, or another location's name. */
  locationId: string;
  locationName: string;
  /** On hand there, as last synced (undefined when that stock row is not on this tablet). */
  onHand: number | undefined;
}

export interface PickupQueueData {
  storeId: string;
  orders: OrderRow[];
  /** Hints per order id, aligned with its lines. */
  hints: Record<string, LineHint[]>;
}

/** This store's orders that still need work (placed, picking, ready), with line hints. */
export async function loadPickupQueue(db: VitrineDb): Promise<PickupQueueData | undefined> {
  const device = await getDevice(db);
  if (!device) return undefined;
  const orders = (await db.orders.where('status').anyOf('placed', 'picking', 'ready').toArray()).filter((o) => o.storeId === device.storeId);
  // [OR2] A till order's line is picked where sourcing reserved it (its first share when split).
  const where = (o: OrderRow, i: number) => o.storeOrder?.allocations?.find((a) => a.line === i)?.locationId ?? o.sourceId ?? o.storeId;
  const keys = orders.flatMap((o) => o.lines.map((l, i) => stockKey(where(o, i), l.sku)));
  const locIds = [...new Set(orders.flatMap((o) => o.lines.map((_, i) => where(o, i))))];
  const [stock, locs] = await Promise.all([db.stock.bulkGet(keys), db.locations.bulkGet(locIds)]);
  const names = new Map(locs.flatMap((l) => (l ? [[l.id as string, l.name]] : [])));
  let i = 0;
  const hints: Record<string, LineHint[]> = {};
  for (const o of orders) {
    hints[o.id] = o.lines.map((_, n) => {
      const loc = where(o, n);
      return { locationId: loc, locationName: names.get(loc) ?? loc, onHand: stock[i++]?.onHand };
    });
  }
  return { storeId: device.storeId, orders, hints };
}

export function usePickupQueue(db: VitrineDb): PickupQueueData | null | undefined {
  return useLiveQuery(async () => (await loadPickupQueue(db)) ?? null, [db]);
}
