// Applies pushed commands exactly once, in seq order, each in its own transaction that also records
// the result and the device's last seq [C3]. The handlers are the same ones the tablet ran, through
// the apply path every origin shares (run.ts) [O1]; the batch plans, then locks, then applies [J3].
import type { Store, DeviceRecord, StoreTx } from '../store/store';
import type { Envelope, CommandResult, PushResponse, StoredResult } from '../../../src/core/sync/protocol';
import { COMMANDS } from '../../../src/core/sync/registry';
import { DomainError } from '../../../src/core/shared/errors';
import type { LocationId } from '../../../src/core/shared/brand';
import { decodeHlc, encodeHlc, type Hlc } from '../../../src/core/shared/hlc';
import { HttpError } from '../http/errors';
import type { AssociateRow, ExceptionRow, StreamName, TableName } from '../../../src/core/model';
import { parseCommand, payloadHash, rejectionRow, runHandler, streamsToLock, type Clock, type Registry } from './run';
import { HAPPENED, PinDigests, approvalOf, checkApproval, checkSignIn } from './sign-in-check';

export { payloadHash, type Clock } from './run';

/** [D8] How far ahead of server time a command's `at` may be before it is clamped. */
export const MAX_CLOCK_AHEAD_MS = 5 * 60_000;

/**
 * Applies a push. The batch runs in one database transaction: each command's effects, its recorded
 * result and the device's last seq are committed together ([C3] atomicity holds per command because
 * it holds for the whole batch), and the batch pays for one commit — one disk flush on PostgreSQL
 * instead of one per command. A command that is rejected writes only its rejection; one that hits a
 * fault aborts the batch, and the tablet retries it. The answer is sent only after the commit, so
 * every `applied` a tablet receives is durable.
 */
export async function pushCommands(store: Store, device: DeviceRecord, commands: readonly Envelope[], clock: Clock, opts: { allowRevoked?: boolean; registry?: Registry } = {}): Promise<PushResponse> {
  const registry = opts.registry ?? COMMANDS;
  // Reordered delivery inside one batch is harmless: we always work in seq order.
  const ordered = [...commands].sort((a, b) => a.seq - b.seq);
  // Refuse a batch carrying another device's command before anything in it is applied.
  const foreign = ordered.find((c) => c.deviceId !== device.id);
  if (foreign) throw new HttpError(403, 'out-of-scope', `Command ${foreign.seq} was made by device ${foreign.deviceId}, not by the device whose token signed this push.`);

  const outcome = await store.transaction(async (tx) => {
    // Locking the device row first serialises two concurrent pushes of one device (two tabs) [D1].
    const d = await tx.device(device.id);
    // An administrator may import a revoked device's export under its old identity [D6].
    if (!d || (d.revoked && !opts.allowRevoked)) throw new HttpError(401, 'device-revoked', 'This tablet is no longer enrolled. Export its unsent commands and enroll it again.');
    const results: CommandResult[] = [];
    let lastSeq = d.lastSeq;
    let stop: Stop | undefined;
    const batch = new BatchContext(tx, d, registry, clock.now());
    const fresh = ordered.filter((c) => c.seq > d.lastSeq);
    await batch.loadUsedIds(fresh.map((c) => c.id));
    // The batch holds its stream locks until it commits, so take every lock it may need now, in one
    // sorted call: two batches locking `customers` and `store:S01` in opposite orders would deadlock.
    // [J3] Commands that find their streams by reading plan first; what they read is read again
    // under the locks.
    const planned = await Promise.all(fresh.map((c) => streamsOf(tx, c, d, registry)));
    await tx.lockStreams([`store:${d.storeId}`, ...planned.flat()]);
    tx.forgetReads();
    await prefetch(tx, fresh, d, registry);
    for (const env of ordered) {
      const hash = payloadHash(env);
      if (env.seq <= lastSeq) {
        const stored = await tx.command(d.id, env.seq);
        if (!stored || stored.hash !== hash) {
          stop = { kind: 'conflict', env };
          break;
        }
        results.push({ seq: env.seq, id: env.id, status: 'duplicate', result: JSON.parse(stored.result) as StoredResult });
        continue;
      }
      if (env.seq > lastSeq + 1) {
        stop = { kind: 'gap', expectedSeq: lastSeq + 1 };
        break;
      }
      // No savepoint is needed: a command writes nothing until its handler has succeeded, and its
      // writes are staged in the transaction (StoreTx) and flushed together at commit.
      try {
        const stored = await applyNew(tx, batch, env, hash);
        results.push(
          stored.status === 'applied'
            ? { seq: env.seq, id: env.id, status: 'applied', summary: stored.summary, exceptions: stored.exceptions }
            : { seq: env.seq, id: env.id, status: 'rejected', error: stored.error },
        );
        lastSeq = env.seq;
      } catch (e) {
        if (e instanceof TooOld) {
          stop = { kind: 'too-old', message: e.message };
          break;
        }
        throw e;
      }
    }
    if (lastSeq !== d.lastSeq) await tx.setLastSeq(d.id, lastSeq);
    await batch.raiseClockSkew();
    return { results, lastSeq, stop };
  });

  const { results, lastSeq, stop } = outcome;
  if (stop?.kind === 'gap') return { results, gap: { expectedSeq: stop.expectedSeq }, lastSeq };
  if (stop?.kind === 'conflict') {
    await raiseSeqConflict(store, device, stop.env, clock);
    throw new HttpError(409, 'seq-conflict', `Command ${stop.env.seq} of this device was already received with different content. Nothing was changed; a manager has been alerted. Export the unsent commands and contact support.`, { seq: stop.env.seq });
  }
  // A command this server does not know yet is not judged: a newer tablet met an older instance
  // during a deploy. Nothing is recorded for it; the tablet retries later [C5][C6].
  if (stop?.kind === 'too-old') throw new HttpError(503, 'server-too-old', stop.message);
  return { results, lastSeq };
}

/** The streams a command may write, or none if it does not parse (it will be rejected, in the store stream). */
async function streamsOf(tx: StoreTx, env: Envelope, d: DeviceRecord, registry: Registry): Promise<StreamName[]> {
  let parsed;
  try {
    parsed = parseCommand(env, registry);
  } catch {
    return [];
  }
  return streamsToLock(tx, parsed.def, parsed.command, { deviceId: d.id, storeId: d.storeId });
}

/**
 * Reads, in one query per table, the rows the batch's handlers will ask for (products through the
 * products-by-SKU index), so a batch of 200 sales costs a handful of reads instead of 600.
 */
async function prefetch(tx: StoreTx, fresh: readonly Envelope[], d: DeviceRecord, registry: Registry): Promise<void> {
  const want = new Map<TableName, Set<string>>();
  const skus = new Set<string>();
  for (const env of fresh) {
    try {
      const { def, command } = parseCommand(env, registry);
      for (const r of def.prefetch?.(command.payload, { deviceId: d.id, storeId: d.storeId }) ?? []) {
        if (r.by === 'sku') {
          for (const k of r.keys) skus.add(k);
          continue;
        }
        const set = want.get(r.table) ?? new Set<string>();
        for (const k of r.keys) set.add(k);
        want.set(r.table, set);
      }
    } catch {
      // It will be rejected when its turn comes; nothing to fetch for it.
    }
  }
  await Promise.all([...[...want].map(([table, keys]) => tx.getMany(table, [...keys])), skus.size ? tx.productsBySku([...skus]) : undefined]);
}

type Stop = { kind: 'gap'; expectedSeq: number } | { kind: 'conflict'; env: Envelope } | { kind: 'too-old'; message: string };

class TooOld extends Error {}

/** What one batch learns once: the actor rows it checked, the command ids already used, skewed clocks. */
class BatchContext {
  private readonly actors = new Map<string, AssociateRow | undefined>();
  readonly usedIds = new Map<string, { deviceId: string; seq: number }>();
  /** [D8] Commands of this batch whose `at` was clamped, and the furthest ahead one. */
  skewed = 0;
  maxAhead = 0;
  /** [T2] The sign-in and approval digests this batch checks commands against. */
  readonly pins: PinDigests;

  constructor(
    private readonly tx: StoreTx,
    readonly device: DeviceRecord,
    readonly registry: Registry,
    /** Server time of the batch [D8]. */
    readonly now: number,
  ) {
    this.pins = new PinDigests(tx);
  }

  async loadUsedIds(ids: readonly string[]): Promise<void> {
    for (let i = 0; i < ids.length; i += 500) {
      const rows = await this.tx.db.selectFrom('commands').select(['id', 'device_id', 'seq']).where('id', 'in', ids.slice(i, i + 500)).execute();
      for (const r of rows) this.usedIds.set(r.id, { deviceId: r.device_id, seq: Number(r.seq) });
    }
  }

  async actor(id: string): Promise<AssociateRow | undefined> {
    if (!this.actors.has(id)) this.actors.set(id, await this.tx.get('associates', id));
    return this.actors.get(id);
  }

  /**
   * [D8] A timestamp more than 5 minutes ahead of server time would pin every field it writes: it is
   * clamped to server time (keeping its counter and node, so it stays unique).
   */
  clamp(at: string): Hlc {
    const h = decodeHlc(at);
    const ahead = h.wall - this.now;
    if (ahead <= MAX_CLOCK_AHEAD_MS) return at as Hlc;
    this.skewed++;
    this.maxAhead = Math.max(this.maxAhead, ahead);
    return encodeHlc({ ...h, wall: this.now });
  }

  /** [D8] One `clock-skew` alarm per device, counted: a later skewed batch updates its count, never adds another. */
  async raiseClockSkew(): Promise<void> {
    if (this.skewed === 0) return;
    const d = this.device;
    const id = `clock-skew:${d.id}`;
    const prior = await this.tx.get('exceptions', id);
    const count = Number(prior?.details.count ?? 0) + this.skewed;
    const minutes = Math.round(this.maxAhead / 60_000);
    const row: ExceptionRow = {
      id,
      storeId: d.storeId as LocationId,
      kind: 'clock-skew',
      message: `The clock of ${d.name} (${d.deviceCode}) is ${minutes} minutes ahead of the server: its times were corrected ${count} times. Set the tablet's date and time to automatic.`,
      details: { deviceId: d.id, count, maxAheadMs: Math.max(this.maxAhead, Number(prior?.details.maxAheadMs ?? 0)) },
      raisedAt: prior?.raisedAt ?? encodeHlc({ wall: this.now, counter: 0, node: 'server' }),
    };
    await this.tx.putRows([{ table: 'exceptions', key: id, stream: `store:${d.storeId}`, row }]);
  }
}

async function applyNew(tx: StoreTx, batch: BatchContext, env: Envelope, hash: string): Promise<StoredResult> {
  const d = batch.device;
  let stored: StoredResult;
  try {
    const reused = batch.usedIds.get(env.id);
    if (reused) throw new DomainError('duplicate-command-id', `Command id ${env.id} was already used by command #${reused.seq} of device ${reused.deviceId}; this one was not applied.`);
    stored = await run(tx, batch, env);
  } catch (e) {
    if (!(e instanceof DomainError)) throw e;
    if (e.code === 'unknown-command' || e.code === 'unknown-version') throw new TooOld(e.message);
    stored = { status: 'rejected', error: { code: e.code, message: e.message } };
    // A rejected command never blocks the ones behind it [C4]; the manager sees it as an exception.
    // [O3] Keyed by device and seq, not by the command id a tablet chose: a reused id must not
    // rewrite another device's exception.
    const key = `rejected:${d.id}:${env.seq}`;
    tx.assumeNew('exceptions', [key]);
    await tx.putRows([
      rejectionRow(key, d.storeId, `${env.type} #${env.seq} from ${d.name} (${d.deviceCode}) was rejected: ${e.message}`, { code: e.code, type: env.type, seq: env.seq, deviceId: d.id }, env.at, env.id, env.actor),
    ]);
  }
  await tx.recordCommand({ deviceId: d.id, seq: env.seq, id: env.id, type: env.type, hash, status: stored.status, result: JSON.stringify(stored) }, new Date(batch.now).toISOString());
  batch.usedIds.set(env.id, { deviceId: d.id, seq: env.seq });
  return stored;
}

async function run(tx: StoreTx, batch: BatchContext, env: Envelope): Promise<StoredResult> {
  const d = batch.device;
  const { def, command } = parseCommand(env, batch.registry);
  const store = def.storeOf(command.payload);
  if (store !== undefined && store !== d.storeId) {
    throw new DomainError('out-of-scope', `${env.type} names store ${store}, but this tablet is enrolled at ${d.storeId}.`);
  }
  // [A4] The server re-checks the actor's role: a PIN screen on a tablet is not the last word.
  const actor = await batch.actor(env.actor);
  if (!actor || !actor.active || actor.storeId !== d.storeId) {
    throw new DomainError('unknown-actor', `Associate ${env.actor} is not active at store ${d.storeId}.`);
  }
  if (!def.roles.includes(actor.role)) {
    throw new DomainError('forbidden', `${actor.name} (${actor.role}) may not ${env.type}; it needs ${def.roles.join(' or ')}.`);
  }
  // [T2] …and that the actor really signed in (their PIN, on this device), and that a manager's
  // approval inside the command was made with that manager's PIN. What already happened [C5] is
  // applied whatever the proof says, and the manager is told; anything else is rejected.
  const doubts: string[] = [];
  const signedIn = await checkSignIn(batch.pins, env, d.id);
  if (!signedIn.ok) doubts.push(`${env.type} #${env.seq} from ${d.name} (${d.deviceCode}) names ${actor.name} as its maker, but ${signedIn.why}.`);
  // Read from the payload as sent: a schema that does not know `approval` yet must not hide a forged one.
  const approval = approvalOf(env.payload);
  // A payload that names an approver without that manager's proof is a claim, not an approval.
  const claimed = (env.payload as { approval?: unknown } | null)?.approval;
  if (claimed !== undefined && !approval) doubts.push(`${env.type} #${env.seq} from ${d.name} (${d.deviceCode}) names a manager's approval without the manager's proof.`);
  if (approval) {
    const approved = await checkApproval(batch.pins, approval, d.id, async (id) => {
      const m = await batch.actor(id);
      return !!m && m.active && m.role === 'manager' && m.storeId === d.storeId;
    });
    if (!approved.ok) doubts.push(`${env.type} #${env.seq} from ${d.name} (${d.deviceCode}) carries a manager approval, but ${approved.why}.`);
  }
  const happened = HAPPENED.test(env.type);
  if (doubts.length > 0 && !happened) throw new DomainError('unverified-actor', `${doubts.join(' ')} Sign in again on the tablet and redo it.`);
  const result = await runHandler(tx, {
    def,
    command: { ...command, at: batch.clamp(command.at) },
    principal: { kind: 'associate', id: actor.id, role: actor.role, storeId: d.storeId, deviceId: d.id },
    scope: { deviceId: d.id, storeId: d.storeId, deviceCode: d.deviceCode },
    now: batch.now,
  });
  if (doubts.length === 0 || result.status !== 'applied') return result;
  const id = `${env.id}:unverified-actor`;
  const message = `${doubts.join(' ')} It was applied because it already happened; check it with ${actor.name}.`;
  // Keyed under the command's own id, which applyNew has just found unused [O3]: new by
  // construction, like the exceptions a handler raises (runHandler), so no read is needed.
  tx.assumeNew('exceptions', [id]);
  await tx.putRows([
    {
      table: 'exceptions',
      key: id,
      stream: `store:${d.storeId}`,
      row: { id, storeId: d.storeId as LocationId, kind: 'unverified-actor', message, details: { type: env.type, seq: env.seq, deviceId: d.id, actor: env.actor }, raisedAt: env.at, commandId: env.id, by: env.actor },
    },
  ]);
  return { ...result, exceptions: [...result.exceptions, { id, kind: 'unverified-actor', message }] };
}

/**
 * [EX1] Identical alarms are counted, not repeated: every conflicting re-send of one seq updates a
 * single exception (its count and last time) instead of adding another to the manager's queue.
 */
async function raiseSeqConflict(store: Store, d: DeviceRecord, env: Envelope, clock: Clock): Promise<void> {
  const id = `seq-conflict:${d.id}:${env.seq}`;
  const at = new Date(clock.now()).toISOString();
  await store.transaction(async (tx) => {
    await tx.lockStreams([`store:${d.storeId}`]);
    const existing = await tx.get('exceptions', id);
    const count = Number((existing?.details as { count?: number } | undefined)?.count ?? 0) + 1;
    const message = `Device ${d.name} (${d.deviceCode}) sent command #${env.seq} with different content than the first time${count > 1 ? ` (${count} times)` : ''}. Its outbox may be damaged: export its unsent commands.`;
    await tx.putRows([
      {
        table: 'exceptions',
        key: id,
        stream: `store:${d.storeId}`,
        row: existing
          ? { ...existing, message, details: { ...(existing.details as Record<string, unknown>), count, lastAt: at, lastCommandId: env.id } }
          : { id, storeId: d.storeId as LocationId, kind: 'seq-conflict', message, details: { deviceId: d.id, seq: env.seq, commandId: env.id, at, count, lastAt: at }, raisedAt: env.at, by: env.actor },
      },
    ]);
  });
}
