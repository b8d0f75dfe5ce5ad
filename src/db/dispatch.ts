// dispatch(): the one way a screen writes. Runs the command's handler against local state and commits
// its effects, the command and its seq in ONE IndexedDB transaction [C2]: all of it or none of it.
import type { VitrineDb, OutboxEntry } from './schema';
import { SYNCED_TABLES } from './schema';
import { getDeviceAndSession, type DeviceState } from './device';
import { announce } from './waiting';
import { readTx, applyEffectsLocally, createdRows, TxCache } from './local-tx';
import { nativeTransaction } from './native-tx';
import { parseCommand } from '@/core/sync/registry';
import { encodeHlc, tick } from '@/core/shared/hlc';
import { uuidv7, receiptNumber } from '@/core/shared/ids';
import { DomainError } from '@/core/shared/errors';
import type { CommandDef, Effects, Prefetch, ReadTx, Summary } from '@/core/sync/command';
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

/** What dispatch committed: the command with its payload as typed, and the effects with its summary. */
export interface Dispatched<P = unknown, S extends Summary = Summary> {
  command: OutboxEntry & { payload: P };
  effects: Effects<S>;
}

export interface DispatchOptions {
  /**
   * Rows the caller knows the command will read beyond what its payload names: the cart knows each
   * line's product, which the sale reads only after it has read the variant. They are fetched in the
   * command's first round trip instead of a second one. Only a hint: the handler reads what it
   * reads either way, so a wrong or missing hint costs a round trip, never a wrong result.
   */
  alsoReads?: readonly Prefetch[];
  /**
   * Checked inside the command's own transaction, after its first reads and before its handler:
   * throwing here aborts the transaction with nothing written. A check made before dispatch, in a
   * transaction of its own, lets two taps both find no sale and both ring it; this one cannot, and
   * costs no round trip when the row it reads is among the command's first reads.
   */
  precheck?: (tx: ReadTx) => Promise<void>;
}

export const browserEnv: DispatchEnv = {
  now: () => Date.now(),
  random: (n) => crypto.getRandomValues(new Uint8Array(n)),
};

/** Every store a command may read or write, and the outbox, kept copies and device row. */
const STORES: readonly string[] = [...SYNCED_TABLES, 'outbox', 'base', 'meta'];

/** The device row as this tab last committed it: a dispatch's first reads go out together with it. */
const lastDevice = new WeakMap<VitrineDb, DeviceState>();

/** A payload, or how to build it from the allocators; P is inferred from the command alone. */
export type Built<P> = [P] extends [infer Q] ? Q | ((a: Allocators) => Q) : never;

/**
 * Runs `def` (a registered command, e.g. `saleComplete`) with `payload` or with what `build` makes
 * from the allocators, in the spirit of Replicache's mutators: the payload is checked against the
 * command's own type and the summary comes back typed, so no call site names a command by string.
 */
export async function dispatch<P, S extends Summary>(
  db: VitrineDb,
  actor: string,
  def: CommandDef<P, S>,
  payload: Built<P>,
  env: DispatchEnv = browserEnv,
  options: DispatchOptions = {},
): Promise<Dispatched<P, S>> {
  const type = def.type;
  // This must be one transaction: the seq, the receipt number, the effects and the outbox entry are
  // committed together or not at all, so a crash can neither lose a sale nor leave a gap. [D9] A
  // command that hands over money or goods is committed strictly (flushed before it is reported).
  // Straight on IndexedDB, not through Dexie's tables: the path every sale takes (decision 84).
  const run = () => nativeTransaction(db, STORES, def.durability === 'strict' ? 'strict' : 'relaxed', async (io) => {
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
      const envelope: Envelope = {
        id: cache.minted(uuidv7(now, env.random)),
        deviceId: device.deviceId,
        seq: next.lastSeq,
        type,
        v: def.version,
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
    const [[device, session]] = await Promise.all([getDeviceAndSession(io), cache.prime(io, reads)]);
    if (!device) throw new DomainError('not-enrolled', 'This tablet is not enrolled yet; enroll it before selling.');
    if (!prepared || JSON.stringify(prepared.device) !== JSON.stringify(device)) prepared = prepare(device);
    const { command, envelope, next } = prepared;
    const tx = readTx(io, cache);
    if (options.precheck) await options.precheck(tx);
    // The registry parsed it (so only a registered command reaches the outbox); `def` is the same one.
    const effects = await def.handle({ tx, scope: { deviceId: device.deviceId, storeId: device.storeId, deviceCode: device.deviceCode }, side: 'tablet' }, command as typeof command & { payload: P });
    const created = createdRows(effects, cache);
    // [T2] The command carries the sign-in it was made under, for the server to check the actor.
    const signIn = (session as { id?: string; proof?: Envelope['signIn'] } | undefined)?.id === actor ? (session as { proof?: Envelope['signIn'] }).proof : undefined;
    const entry: OutboxEntry = { ...envelope, ...(signIn ? { signIn } : {}), createdAt: now, ...(created.length ? { created } : {}) };
    // Independent writes of the same transaction go out together; the transaction commits them all.
    await Promise.all([applyEffectsLocally(io, effects, cache), io.add('outbox', entry), io.putAll('meta', [{ key: 'device', value: next }], [{ key: 'device', value: device }])]);
    return { command: entry as OutboxEntry & { payload: P }, effects, device: next };
  });
  // [SE3] Announced as its transaction is created: a pull writing a page ends its transaction at the
  // next step and lets this one go first (decision 78).
  const result = await announce(db, run());
  lastDevice.set(db, result.device);
  return { command: result.command, effects: result.effects };
}
