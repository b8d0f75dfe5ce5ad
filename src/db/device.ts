// The tablet's own identity and counters, kept in the meta table: enrollment, next seq, HLC, receipts.
import type { TxIo } from './native-tx';
import type { VitrineDb, PreviousIdentity, AlertEntry } from './schema';
import type { EnrollResponse } from '@/core/sync/protocol';
import type { HlcState } from '@/core/shared/hlc';

export interface DeviceState extends EnrollResponse {
  /** Last seq allocated to a command [C1]: 1, 2, 3… with no gaps. */
  lastSeq: number;
  /** Last receipt number used on this device (gapless, never reused). */
  lastReceipt: number;
  hlc: HlcState;
  enrolledAt: number;
}

export async function getDevice(db: VitrineDb): Promise<DeviceState | undefined> {
  return (await db.meta.get('device'))?.value as DeviceState | undefined;
}

/** The device row and the sign-in session (meta `session`) in one request, as every dispatch reads them. */
export async function getDeviceAndSession(io: TxIo): Promise<[DeviceState | undefined, unknown]> {
  const [device, session] = (await io.getMany('meta', ['device', 'session'])) as ({ value: unknown } | undefined)[];
  return [device?.value as DeviceState | undefined, session?.value];
}

/**
 * Saves a new enrollment. [D6] A tablet enrolled before keeps its unsent commands: they move from the
 * outbox to `held` under their own identity (deviceId and seq), so the new identity starts at seq 1
 * without colliding with them; they are pushed with the old token if it still works, else exported
 * for an administrator. The clock carries on from the old identity's, so later edits still win [D8].
 */
export async function saveEnrollment(db: VitrineDb, e: EnrollResponse, now: number): Promise<DeviceState> {
  return db.transaction('rw', [db.meta, db.outbox, db.held, db.alerts], async () => {
    const old = await getDevice(db);
    const revoked = (await db.meta.get('revoked-device'))?.value as { deviceId: string; storeId: string } | undefined;
    const pending = await db.outbox.toArray();
    const node = e.deviceCode + '.' + e.deviceId.slice(-6);
    const state: DeviceState = { ...e, lastSeq: 0, lastReceipt: 0, hlc: { wall: old?.hlc.wall ?? 0, counter: old?.hlc.counter ?? 0, node }, enrolledAt: now };
    if (pending.length) {
      const ids = ((await db.meta.get('previous-identities'))?.value as PreviousIdentity[] | undefined) ?? [];
      const byDevice = new Set(pending.map((p) => p.deviceId));
      for (const deviceId of byDevice) {
        if (ids.some((i) => i.deviceId === deviceId)) continue;
        const current = old?.deviceId === deviceId ? old : undefined;
        ids.push({ deviceId, storeId: current?.storeId ?? revoked?.storeId ?? '', storeCode: current?.storeCode ?? '', deviceCode: current?.deviceCode ?? '', deviceToken: current?.deviceToken ?? null });
      }
      const orphaned = ids.filter((i) => i.deviceToken === null).map((i) => i.deviceId);
      await Promise.all([
        db.held.bulkPut(pending),
        db.outbox.clear(),
        db.meta.put({ key: 'previous-identities', value: ids }),
        // A revoked identity's commands can only reach the server through an administrator.
        db.alerts.bulkPut(
          pending.filter((p) => orphaned.includes(p.deviceId)).map((p): AlertEntry => {
            const { createdAt: _at, created: _c, ...command } = p;
            void _at;
            void _c;
            return { id: `export-needed:${p.id}`, kind: 'export-needed', command, at: now };
          }),
        ),
      ]);
    }
    await db.meta.put({ key: 'device', value: state });
    await db.meta.delete('revoked-device');
    return state;
  });
}

/**
 * [A2] A revoked tablet forgets customer data and its token, and keeps only what it needs to
 * export unsent commands (the outbox itself).
 */
export async function forgetDevice(db: VitrineDb): Promise<void> {
  await db.transaction('rw', [db.meta, db.customers, db.notes, db.history, db.cursors], async () => {
    await db.customers.clear();
    await db.notes.clear();
    await db.history.clear();
    await db.cursors.clear();
    const d = await getDevice(db);
    if (d) await db.meta.put({ key: 'revoked-device', value: { deviceId: d.deviceId, storeId: d.storeId } });
    await db.meta.delete('device');
    await db.meta.delete('session');
  });
}
