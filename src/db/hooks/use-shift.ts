// Register shifts as the screens read them [SH1]: this tablet's open shift, its last closed one, and
// the store row for currency. Loaders are plain functions (testable without React); hooks wrap them live.
import { useLiveQuery } from 'dexie-react-hooks';
import type { VitrineDb } from '../schema';
import { getDevice } from '../device';
import type { LocationRow, ShiftRow } from '@/core/model';

/** The open shift of a register (device), or null when none is open. */
export async function loadOpenShift(db: VitrineDb, deviceId: string): Promise<ShiftRow | null> {
  const register = await db.registers.get(deviceId);
  const shift = register?.openShiftId ? await db.shifts.get(register.openShiftId) : undefined;
  return shift?.status === 'open' ? shift : null;
}

export interface RegisterView {
  deviceId: string;
  /** Short code of this tablet (e.g. T03), printed on reports. */
  deviceCode: string;
  store: LocationRow | undefined;
  open: ShiftRow | null;
  /** The shift closed last on this register: its Z report stays on screen and can be reprinted. */
  lastClosed: ShiftRow | null;
  /** Names of the associates who opened and closed the shifts shown, by id. */
  names: Record<string, string>;
}

/** Everything the register screen shows, read in one go; undefined while the tablet is not enrolled. */
export async function loadRegister(db: VitrineDb): Promise<RegisterView | undefined> {
  const device = await getDevice(db);
  if (!device) return undefined;
  const [register, store] = await Promise.all([db.registers.get(device.deviceId), db.locations.get(device.storeId)]);
  const [open, last] = await Promise.all([
    register?.openShiftId ? db.shifts.get(register.openShiftId) : undefined,
    register?.lastShiftId ? db.shifts.get(register.lastShiftId) : undefined,
  ]);
  const shown = { open: open?.status === 'open' ? open : null, lastClosed: last?.status === 'closed' ? last : null };
  const ids = [shown.open?.openedBy, shown.lastClosed?.openedBy, shown.lastClosed?.closed?.by].filter((x): x is NonNullable<typeof x> => !!x);
  const people = await db.associates.bulkGet(ids);
  const names = Object.fromEntries(people.flatMap((a) => (a ? [[a.id, a.name]] : [])));
  return { deviceId: device.deviceId, deviceCode: device.deviceCode, store, ...shown, names };
}

/**
 * This register's open shift, live: null when none is open (a cash tender must then be refused
 * [SH1]), undefined while loading. The till passes its id as the sale's `shiftId`.
 */
export function useOpenShift(db: VitrineDb, deviceId: string | undefined): ShiftRow | null | undefined {
  return useLiveQuery(async () => (deviceId ? loadOpenShift(db, deviceId) : null), [db, deviceId]);
}

export function useRegister(db: VitrineDb): RegisterView | null | undefined {
  return useLiveQuery(async () => (await loadRegister(db)) ?? null, [db]);
}
