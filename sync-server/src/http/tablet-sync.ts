// [EX2] Each tablet's sync as the server sees it, published to its store's stream as a `tablets` row:
// a pull of the store's stream reports the tablet's unsent commands (`unsent`, and `oldest`, when
// the oldest was made), and the server stamps its own time as the last sync. The Today screen of
// every tablet of the store reads those rows, so it works offline from what it last pulled.
import type { Store, DeviceRecord } from '../store/store';
import type { LocationId } from '../../../src/core/shared/brand';
import type { TabletRow } from '../../../src/core/model';

/**
 * A tablet's row is written again only when its figures change or its last sync is this old: every
 * write bumps the store's stream and pokes its tablets, which pull, so an unchanged tablet must not
 * write on every pull (that would loop). "Last sync" is therefore accurate to this much.
 */
export const TABLET_SYNC_EVERY_MS = 5 * 60_000;

/** Most unsent commands a report may claim (a tablet's outbox is far smaller in practice). */
export const MAX_REPORTED_UNSENT = 1_000_000;

export interface TabletReport {
  unsent: number;
  /** When the oldest unsent command was made (ms, the tablet's clock). */
  oldest?: number | undefined;
}

/**
 * What this instance last published per device: skips the read when nothing changed. Another
 * instance may write once more than needed; the row is the same either way.
 */
const published = new WeakMap<Store, Map<string, { unsent: number; oldest: number | undefined; at: number }>>();

/** Whether `prev` still says what the report says, recently enough. */
const fresh = (prev: { unsent: number; oldest?: number | undefined; at: number }, r: TabletReport, now: number) =>
  prev.unsent === r.unsent && prev.oldest === r.oldest && now - prev.at < TABLET_SYNC_EVERY_MS;

export async function reportTabletSync(store: Store, device: DeviceRecord, reported: TabletReport, now: number): Promise<void> {
  const report = { unsent: reported.unsent, oldest: reported.unsent > 0 ? reported.oldest : undefined };
  const seen = published.get(store) ?? new Map();
  published.set(store, seen);
  const mine = seen.get(device.id);
  if (mine && fresh(mine, report, now)) return;
  const at = await store.transaction(async (tx) => {
    const stream = `store:${device.storeId}` as const;
    await tx.lockStreams([stream]);
    const prior = (await tx.get('tablets', device.id)) as TabletRow | undefined;
    const priorAt = prior ? Date.parse(prior.lastSyncAt) : 0;
    if (prior && fresh({ unsent: prior.unsent, oldest: prior.oldestUnsentAt ? Date.parse(prior.oldestUnsentAt) : undefined, at: priorAt }, report, now)) return priorAt;
    const row: TabletRow = {
      id: device.id,
      storeId: device.storeId as LocationId,
      name: device.name,
      deviceCode: device.deviceCode,
      lastSyncAt: new Date(now).toISOString(),
      unsent: report.unsent,
      ...(report.oldest !== undefined ? { oldestUnsentAt: new Date(report.oldest).toISOString() } : {}),
    };
    await tx.putRows([{ table: 'tablets', key: device.id, stream, row }]);
    return now;
  });
  seen.set(device.id, { ...report, at });
}
