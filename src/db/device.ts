// The tablet's own identity and counters, kept in the meta table: enrollment, next seq, HLC, receipts.
import type { VitrineDb } from './schema';
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

export async function saveEnrollment(db: VitrineDb, e: EnrollResponse, now: number): Promise<DeviceState> {
  const state: DeviceState = { ...e, lastSeq: 0, lastReceipt: 0, hlc: { wall: 0, counter: 0, node: e.deviceCode + '.' + e.deviceId.slice(-6) }, enrolledAt: now };
  await db.meta.put({ key: 'device', value: state });
  return state;
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
