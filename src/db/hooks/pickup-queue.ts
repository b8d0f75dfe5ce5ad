// The pickup queue's data [PQ2]: this store's open orders, with per line where to take it from (the
// sourcing location and what its stock row says) — read live from IndexedDB, so it works offline.
import { useLiveQuery } from 'dexie-react-hooks';
import type { VitrineDb } from '../schema';
import { getDevice } from '../device';
import { stockKey, type OrderRow } from '@/core/model';
import { openLines, reassignOf, sharesOf } from '@/core/pickup/order-state';

export interface LineHint {
  /** Where the line is picked: this store, or another location's name. */
  locationId: string;
  locationName: string;
  /** On hand there, as last synced (undefined when that stock row is not on this tablet). */
  onHand: number | undefined;
  /** [PQ1] A line marked short and reassigned: still being found elsewhere, or found nowhere. */
  state?: 'sourcing' | 'unsourceable';
}

/** [OR3] An order another store collects, with what this store must send it. */
export interface Outgoing {
  order: OrderRow;
  /** The pickup store's name. */
  toName: string;
  lines: { sku: string; name: string; qty: number }[];
}

export interface PickupQueueData {
  storeId: string;
  orders: OrderRow[];
  /** Orders other stores collect whose stock is reserved here: the transfers to send. */
  outgoing: Outgoing[];
  /** Hints per order id, aligned with its lines. */
  hints: Record<string, LineHint[]>;
}

/** This store's orders that still need work (placed, picking, ready), with line hints, and what it must send to other stores. */
export async function loadPickupQueue(db: VitrineDb): Promise<PickupQueueData | undefined> {
  const device = await getDevice(db);
  if (!device) return undefined;
  const open = await db.orders.where('status').anyOf('placed', 'picking', 'ready').toArray();
  const orders = open.filter((o) => o.storeId === device.storeId);
  const sending = open.flatMap((o) => {
    if (o.storeId === device.storeId) return [];
    const lines = openLines(o).flatMap((l) => sharesOf(o, [l]).filter((x) => x.locationId === device.storeId).map((x) => ({ sku: l.sku as string, name: l.name, qty: x.qty })));
    return lines.length ? [{ order: o, lines }] : [];
  });
  // [OR2][PQ1] A line is picked where sourcing reserved it (its first share when split; a reassigned
  // line's new location); while the server looks for it elsewhere, here.
  const where = (o: OrderRow, i: number) => {
    const l = o.lines[i]!;
    if (reassignOf(o, l.sku)) return sharesOf(o, [l])[0]?.locationId ?? o.storeId;
    return o.storeOrder?.allocations?.find((a) => a.line === i)?.locationId ?? o.sourceId ?? o.storeId;
  };
  const keys = orders.flatMap((o) => o.lines.map((l, i) => stockKey(where(o, i), l.sku)));
  const locIds = [...new Set([...orders.flatMap((o) => o.lines.map((_, i) => where(o, i))), ...sending.map((x) => x.order.storeId)])];
  const [stock, locs] = await Promise.all([db.stock.bulkGet(keys), db.locations.bulkGet(locIds)]);
  const names = new Map(locs.flatMap((l) => (l ? [[l.id as string, l.name]] : [])));
  let i = 0;
  const hints: Record<string, LineHint[]> = {};
  for (const o of orders) {
    hints[o.id] = o.lines.map((l, n) => {
      const loc = where(o, n);
      const state = reassignOf(o, l.sku)?.state;
      return { locationId: loc, locationName: names.get(loc) ?? loc, onHand: stock[i++]?.onHand, ...(state === 'sourcing' || state === 'unsourceable' ? { state } : {}) };
    });
  }
  const outgoing = sending.map((x) => ({ ...x, toName: names.get(x.order.storeId) ?? x.order.storeId }));
  return { storeId: device.storeId, orders, outgoing, hints };
}

export function usePickupQueue(db: VitrineDb): PickupQueueData | null | undefined {
  return useLiveQuery(async () => (await loadPickupQueue(db)) ?? null, [db]);
}
