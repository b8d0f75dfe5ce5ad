// dispatch(): the one way a screen writes. Runs the command's handler against local state and commits
// its effects, the command and its seq in ONE IndexedDB transaction [C2]: all of it or none of it.
import type { VitrineDb, OutboxEntry } from './schema';
import { SYNCED_TABLES } from './schema';
import { getDevice, type DeviceState } from './device';
import { readTx, applyEffectsLocally, createdRows, TxCache } from './local-tx';
import { parseCommand, COMMANDS } from '@/core/sync/registry';
import { encodeHlc, tick } from '@/core/shared/hlc';
import { uuidv7, receiptNumber } from '@/core/shared/ids';
import { DomainError } from '@/core/shared/errors';
import type { Effects, Prefetch } from '@/core/sync/command';
import type { Envelope } from '@/core/sync/protocol';

export interface DispatchEnv {
  now: () => number;
  random: (n: number) => Uint8Array;
}

export interface Allocators {
  /** Allocates the next gapless receipt number of this device, inside the same transaction. */
  receiptNo(): string;
  /** A fresh UUIDv7 for a document the command creates. */
  newId(): string;
}

export interface Dispatched {
  command: OutboxEntry;
  effects: Effects;
}

export interface DispatchOptions {
  /**
   * Rows the caller knows the command will read beyond what its payload names: the cart knows each
   * line's product, which the sale reads only after it has read the variant. They are fetched in the
   * command's first round trip instead of a second one. Only a hint: the handler reads what it
   * reads either way, so a wrong or missing hint costs a round trip, never a wrong result.
   */
  alsoReads?: readonly Prefetch[];
}

export const browserEnv: DispatchEnv = {
  now: () => Date.now(),
  random: (n) => crypto.getRandomValues(new Uint8Array(n)),
};

/** The device row as this tab last committed it: a dispatch's first reads go out together with it. */
const lastDevice = new WeakMap<VitrineDb, DeviceState>();

export async function dispatch<P>(
  db: VitrineDb,
  actor: string,
  type: string,
  payload: P | ((a: Allocators) => P),
  env: DispatchEnv = browserEnv,
  options: DispatchOptions = {},
): Promise<Dispatched> {
  // This must be one transaction: the seq, the receipt number, the effects and the outbox entry are
  // committed together or not at all, so a crash can neither lose a sale nor leave a gap.
  const result = await db.transaction('rw', [...SYNCED_TABLES.map((t) => db.table(t)), db.outbox, db.base, db.meta], async () => {
    const cache = new TxCache();
    const now = env.now();
    const prepare = (device: DeviceState) => {
      const next: DeviceState = { ...device, hlc: tick(device.hlc, now), lastSeq: device.lastSeq + 1 };
      const alloc: Allocators = {
        receiptNo: () => {
          next.lastReceipt += 1;
          return receiptNumber(device.storeCode, device.deviceCode, next.lastReceipt);
        },
        newId: () => cache.minted(uuidv7(now, env.random)),
      };
      const body = typeof payload === 'function' ? (payload as (a: Allocators) => P)(alloc) : payload;
      const def = COMMANDS.get(type);
      const envelope: Envelope = {
        id: cache.minted(uuidv7(now, env.random)),
        deviceId: device.deviceId,
        seq: next.lastSeq,
        type,
        v: def?.version ?? 1,
        at: encodeHlc(next.hlc),
        actor,
        payload: body,
      };
      return { device, next, envelope, ...parseCommand(envelope) };
    };
    // Built first against the device as this tab last left it, so the command's reads (and the kept
    // server copies of the rows it will write) go out in the same round trip as the device row.
    // Another tab may have dispatched meanwhile: then the command is built again on the real row.
    const guess = lastDevice.get(db);
    let prepared: ReturnType<typeof prepare> | undefined;
    try {
      prepared = guess && prepare(guess);
    } catch {
      prepared = undefined; // judged again below against the device as stored
    }
    const reads = [...(prepared?.def.prefetch?.(prepared.command.payload, { deviceId: prepared.device.deviceId, storeId: prepared.device.storeId }) ?? []), ...(options.alsoReads ?? [])];
    const [device] = await Promise.all([getDevice(db), cache.prime(db, reads)]);
    if (!device) throw new DomainError('not-enrolled', 'This tablet is not enrolled yet; enroll it before selling.');
    if (!prepared || JSON.stringify(prepared.device) !== JSON.stringify(device)) prepared = prepare(device);
    const { def, command, envelope, next } = prepared;
    const effects = await def.handle({ tx: readTx(db, cache), scope: { deviceId: device.deviceId, storeId: device.storeId, deviceCode: device.deviceCode }, side: 'tablet' }, command);
    const created = createdRows(effects, cache);
    const entry: OutboxEntry = { ...envelope, createdAt: now, ...(created.length ? { created } : {}) };
    // Independent writes of the same transaction go out together; the transaction commits them all.
    await Promise.all([applyEffectsLocally(db, effects, cache), db.outbox.add(entry), db.meta.put({ key: 'device', value: next })]);
    return { command: entry, effects, device: next };
  });
  lastDevice.set(db, result.device);
  return { command: result.command, effects: result.effects };
}
