// [EX2] The store's day from what this tablet holds: its sales and orders, the tablets rows the server
// published, and — for this tablet — its own outbox and last sync, live. Works offline.
import { useLiveQuery } from 'dexie-react-hooks';
import type { VitrineDb } from '../schema';
import { getDevice } from '../device';
import { todayFigures, type TodayFigures } from '@/core/today/today-figures';
import type { Currency } from '@/core/shared/brand';

export interface TodayData extends TodayFigures {
  currency: Currency;
  storeName: string;
}

/** Midnight of the tablet's day (local time). */
export const dayStartOf = (now: number): number => {
  const d = new Date(now);
  d.setHours(0, 0, 0, 0);
  return d.getTime();
};

export async function loadToday(db: VitrineDb, now: number): Promise<TodayData | undefined> {
  const device = await getDevice(db);
  if (!device) return undefined;
  const storeId = device.storeId;
  const [store, sales, orders, tablets, outbox, held, first, lastSync] = await Promise.all([
    db.locations.get(storeId),
    db.sales.toArray(),
    db.orders.toArray(),
    db.tablets.toArray(),
    db.outbox.count(),
    db.held.count(),
    db.outbox.orderBy('seq').first(),
    db.meta.get('lastSyncAt'),
  ]);
  const figures = todayFigures({
    storeId,
    dayStart: dayStartOf(now),
    now,
    sales,
    orders,
    tablets,
    self: {
      deviceId: device.deviceId,
      name: device.deviceCode,
      deviceCode: device.deviceCode,
      unsent: outbox + held,
      oldestUnsentAt: first?.createdAt ?? null,
      lastSyncAt: typeof lastSync?.value === 'number' ? lastSync.value : null,
    },
  });
  return { ...figures, currency: (store?.currency ?? 'EUR') as Currency, storeName: store?.name ?? storeId };
}

/** Re-read live; `now` moves on the caller's timer so ages and "today" stay true. */
export function useToday(db: VitrineDb, now: number): TodayData | null | undefined {
  return useLiveQuery(async () => (await loadToday(db, now)) ?? null, [db, Math.floor(now / 60_000)]);
}
