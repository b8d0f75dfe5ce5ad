// [D7] What a revoked tablet keeps: the export of its unsent commands, nothing else. Customers, notes,
// kept server copies, orders, sales, associates, exceptions, stock, the catalog, the outbox (once
// exported), the session, the offline PIN verifiers, the device key and token are all deleted.
import type { VitrineDb } from './schema';
import { getDevice } from './device';
import type { Envelope } from '@/core/sync/protocol';

/** The unsent commands of a revoked tablet, as a file an administrator imports [D6]. */
export interface RevokedExport {
  deviceId: string;
  storeId: string;
  commands: Envelope[];
  /** When the tablet learned it was revoked (ms). */
  at: number;
}

const EXPORT_KEY = 'revoked-export';

/**
 * Wipes the tablet in one transaction: either the export is written and everything else is gone, or
 * (a crash, a quota error) nothing changed and the next contact tries again. Every table is cleared,
 * including ones added by later schema versions, so a new table cannot be forgotten here.
 */
export async function wipeRevokedDevice(db: VitrineDb, now: number = Date.now()): Promise<RevokedExport[]> {
  return db.transaction('rw', db.tables, async () => {
    const device = await getDevice(db);
    const earlier = await revokedExports(db);
    const pending = await db.outbox.orderBy('seq').toArray();
    const commands: Envelope[] = pending.map(({ createdAt: _c, created: _r, ...env }) => env);
    // One file per revoked identity: a tablet revoked twice keeps both exports until imported.
    const kept = device && commands.length > 0 ? [...earlier, { deviceId: device.deviceId, storeId: device.storeId, commands, at: now }] : earlier;
    await Promise.all(db.tables.map((t) => t.clear()));
    if (kept.length > 0) await db.meta.put({ key: EXPORT_KEY, value: kept });
    return kept;
  });
}

/** The exports a revoked tablet kept: offered for download on the enrollment screen. */
export async function revokedExports(db: VitrineDb): Promise<RevokedExport[]> {
  return ((await db.meta.get(EXPORT_KEY))?.value as RevokedExport[] | undefined) ?? [];
}
