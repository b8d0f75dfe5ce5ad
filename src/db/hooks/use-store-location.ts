// The store this tablet is enrolled at (its location row: currency, tax mode, rates, address).
import { useLiveQuery } from 'dexie-react-hooks';
import type { VitrineDb } from '../schema';
import type { LocationRow } from '@/core/model';
import { getDevice } from '../device';

/** This tablet's device id (its register), undefined while loading or before enrollment. */
export function useDeviceId(db: VitrineDb): string | undefined {
  return useLiveQuery(async () => (await getDevice(db))?.deviceId, [db]);
}

/** undefined while loading; null when the tablet is not enrolled or its store has not arrived yet. */
export function useStoreLocation(db: VitrineDb): LocationRow | null | undefined {
  return useLiveQuery(async () => {
    const d = await getDevice(db);
    return (d ? await db.locations.get(d.storeId) : undefined) ?? null;
  }, [db]);
}
