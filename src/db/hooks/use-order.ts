// Ordering for a customer [OR1]–[OR3]: which stores could hand the cart over (from the network's
// availability rows this tablet holds), what the tablet saw when it placed the order, and the order as
// it stands now (its status arrives with the placing store's stream).
import { useLiveQuery } from 'dexie-react-hooks';
import type { VitrineDb } from '../schema';
import { getDevice } from '../device';
import type { LocationRow, OrderRow } from '@/core/model';

export interface LineRef {
  sku: string;
  productId: string;
  qty: number;
}

export interface PickupStoreOption {
  store: LocationRow;
  /** Lines this store has enough of, as last synced. */
  covered: number;
  /** Whether it has every line. */
  all: boolean;
}

/** Available per location of each line, as this tablet knows it, and when the roll-up computed it. */
export async function readSeen(db: VitrineDb, lines: readonly LineRef[]): Promise<{ seen: { sku: string; where: { locationId: string; available: number }[] }[]; seenAt: number | undefined }> {
  const rows = await db.productAvailability.bulkGet(lines.map((l) => l.productId));
  const at = rows.reduce<number | undefined>((m, r) => (r ? Math.max(m ?? 0, r.at) : m), undefined);
  return {
    seen: lines.map((l, i) => ({ sku: l.sku, where: Object.entries(rows[i]?.by[l.sku] ?? {}).slice(0, 64).map(([locationId, available]) => ({ locationId, available })) })),
    seenAt: at,
  };
}

/** Other stores of the chain, those that have every line first, then by how many lines they cover, then by name. */
export async function readPickupStores(db: VitrineDb, lines: readonly LineRef[]): Promise<PickupStoreOption[]> {
  const [device, locations, { seen }] = await Promise.all([getDevice(db), db.locations.toArray(), readSeen(db, lines)]);
  const stores = locations.filter((l) => l.kind === 'store' && l.id !== device?.storeId);
  return stores
    .map((store) => {
      const covered = lines.filter((l, i) => (seen[i]?.where.find((w) => w.locationId === store.id)?.available ?? 0) >= l.qty).length;
      return { store, covered, all: lines.length > 0 && covered === lines.length };
    })
    .sort((a, b) => Number(b.all) - Number(a.all) || b.covered - a.covered || a.store.name.localeCompare(b.store.name));
}

export function usePickupStores(db: VitrineDb, lines: readonly LineRef[]): PickupStoreOption[] | undefined {
  const key = lines.map((l) => `${l.sku}:${l.qty}`).join(',');
  return useLiveQuery(() => readPickupStores(db, lines), [db, key]);
}

export interface OrderView {
  order: OrderRow;
  /** Names of the stores and locations the order mentions. */
  names: Record<string, string>;
}

/** An order with the names of its locations; undefined while loading, null when this tablet does not have it. */
export function useOrder(db: VitrineDb, orderId: string | undefined): OrderView | null | undefined {
  return useLiveQuery(async () => {
    if (!orderId) return null;
    const order = await db.orders.get(orderId);
    if (!order) return null;
    const ids = [order.storeId, order.storeOrder?.pickupStoreId, ...(order.storeOrder?.allocations ?? []).map((a) => a.locationId)].filter((x): x is NonNullable<typeof x> => !!x);
    const locs = await db.locations.bulkGet([...new Set(ids)]);
    return { order, names: Object.fromEntries(locs.flatMap((l) => (l ? [[l.id as string, l.name]] : []))) };
  }, [db, orderId]);
}
