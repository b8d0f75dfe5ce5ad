// Applies pushed commands exactly once, in seq order, each in its own transaction that also records
// the result and the device's last seq [C3]. The handlers are the same ones the tablet ran.
import { createHash } from 'node:crypto';
import type { Store, DeviceRecord, StoreTx } from '../store/store';
import type { Envelope, CommandResult, PushResponse, StoredResult } from '../../../src/core/sync/protocol';
import { parseCommand } from '../../../src/core/sync/registry';
import { DomainError } from '../../../src/core/shared/errors';
import { canonicalJson } from '../../../src/core/shared/canonical';
import type { LocationId } from '../../../src/core/shared/brand';
import { HttpError } from '../http/errors';

export interface Clock {
  now(): number;
}

export const payloadHash = (c: Pick<Envelope, 'id' | 'type' | 'v' | 'payload'>) =>
  createHash('sha256').update(canonicalJson({ id: c.id, type: c.type, v: c.v, payload: c.payload })).digest('hex');

export async function pushCommands(store: Store, device: DeviceRecord, commands: readonly Envelope[], clock: Clock): Promise<PushResponse> {
  // Reordered delivery inside one batch is harmless: we always work in seq order.
  const ordered = [...commands].sort((a, b) => a.seq - b.seq);
  // Refuse a batch carrying another device's command before anything in it is applied.
  const foreign = ordered.find((c) => c.deviceId !== device.id);
  if (foreign) throw new HttpError(403, 'out-of-scope', `Command ${foreign.seq} was made by device ${foreign.deviceId}, not by the device whose token signed this push.`);
  const results: CommandResult[] = [];
  let lastSeq = device.lastSeq;
  for (const env of ordered) {
    const outcome = await store.transaction((tx) => applyOne(tx, device, env, clock));
    if (outcome.kind === 'gap') return { results, gap: { expectedSeq: outcome.expectedSeq }, lastSeq: outcome.expectedSeq - 1 };
    if (outcome.kind === 'conflict') {
      await raiseSeqConflict(store, device, env, clock);
      throw new HttpError(409, 'seq-conflict', `Command ${env.seq} of this device was already received with different content. Nothing was changed; a manager has been alerted. Export the unsent commands and contact support.`, { seq: env.seq });
    }
    results.push(outcome.result);
    lastSeq = Math.max(lastSeq, env.seq);
  }
  return { results, lastSeq };
}

type Outcome = { kind: 'result'; result: CommandResult } | { kind: 'gap'; expectedSeq: number } | { kind: 'conflict' };

async function applyOne(tx: StoreTx, device: DeviceRecord, env: Envelope, clock: Clock): Promise<Outcome> {
  // Locking the device row first serialises two concurrent pushes of one device (two tabs) [D1].
  const d = await tx.device(device.id);
  if (!d || d.revoked) throw new HttpError(401, 'device-revoked', 'This tablet is no longer enrolled. Export its unsent commands and enroll it again.');
  const hash = payloadHash(env);
  if (env.seq <= d.lastSeq) {
    const stored = await tx.command(d.id, env.seq);
    if (!stored || stored.hash !== hash) return { kind: 'conflict' };
    return { kind: 'result', result: { seq: env.seq, id: env.id, status: 'duplicate', result: JSON.parse(stored.result) as StoredResult } };
  }
  if (env.seq > d.lastSeq + 1) return { kind: 'gap', expectedSeq: d.lastSeq + 1 };

  const receivedAt = new Date(clock.now()).toISOString();
  let stored: StoredResult;
  try {
    const reused = await tx.db.selectFrom('commands').select(['device_id', 'seq']).where('id', '=', env.id).executeTakeFirst();
    if (reused) throw new DomainError('duplicate-command-id', `Command id ${env.id} was already used by command #${reused.seq} of device ${reused.device_id}; this one was not applied.`);
    stored = await run(tx, d, env);
  } catch (e) {
    if (!(e instanceof DomainError)) throw e;
    // A command this server does not know yet is not judged: a newer tablet met an older instance
    // during a deploy. Nothing is recorded; the tablet retries later [C5][C6].
    if (e.code === 'unknown-command' || e.code === 'unknown-version') throw new HttpError(503, 'server-too-old', e.message);
    stored = { status: 'rejected', error: { code: e.code, message: e.message } };
    // A rejected command never blocks the ones behind it [C4]; the manager sees it as an exception.
    await tx.lockStreams([`store:${d.storeId}`]);
    await tx.putRows([
      {
        table: 'exceptions',
        key: `${env.id}:rejected-command`,
        stream: `store:${d.storeId}`,
        row: {
          id: `${env.id}:rejected-command`,
          storeId: d.storeId as LocationId,
          kind: 'rejected-command',
          message: `${env.type} #${env.seq} from ${d.name} (${d.deviceCode}) was rejected: ${e.message}`,
          details: { code: e.code, type: env.type, seq: env.seq, deviceId: d.id },
          raisedAt: env.at,
          commandId: env.id,
        },
      },
    ]);
  }
  await tx.recordCommand({ deviceId: d.id, seq: env.seq, id: env.id, type: env.type, hash, status: stored.status, result: JSON.stringify(stored) }, receivedAt);
  await tx.setLastSeq(d.id, env.seq);
  const result: CommandResult =
    stored.status === 'applied'
      ? { seq: env.seq, id: env.id, status: 'applied', summary: stored.summary, exceptions: stored.exceptions }
      : { seq: env.seq, id: env.id, status: 'rejected', error: stored.error };
  return { kind: 'result', result };
}

async function run(tx: StoreTx, d: DeviceRecord, env: Envelope): Promise<StoredResult> {
  const { def, command } = parseCommand(env);
  const store = def.storeOf(command.payload);
  if (store !== undefined && store !== d.storeId) {
    throw new DomainError('out-of-scope', `${env.type} names store ${store}, but this tablet is enrolled at ${d.storeId}.`);
  }
  // [A4] The server re-checks the actor's role: a PIN screen on a tablet is not the last word.
  const actor = await tx.get('associates', env.actor);
  if (!actor || !actor.active || actor.storeId !== d.storeId) {
    throw new DomainError('unknown-actor', `Associate ${env.actor} is not active at store ${d.storeId}.`);
  }
  if (!def.roles.includes(actor.role)) {
    throw new DomainError('forbidden', `${actor.name} (${actor.role}) may not ${env.type}; it needs ${def.roles.join(' or ')}.`);
  }
  const scope = { deviceId: d.id, storeId: d.storeId };
  await tx.lockStreams(def.streams(command.payload, scope));
  const effects = await def.handle({ tx, scope, side: 'server' }, command);
  await tx.putRows(effects.puts);
  await tx.addMovements(effects.movements);
  await tx.addLedger(effects.ledger);
  return { status: 'applied', summary: effects.summary, exceptions: effects.exceptions };
}

async function raiseSeqConflict(store: Store, d: DeviceRecord, env: Envelope, clock: Clock): Promise<void> {
  const id = `seq-conflict:${d.id}:${env.seq}:${env.id}`;
  await store.transaction(async (tx) => {
    const existing = await tx.get('exceptions', id);
    if (existing) return;
    await tx.putRows([
      {
        table: 'exceptions',
        key: id,
        stream: `store:${d.storeId}`,
        row: {
          id,
          storeId: d.storeId as LocationId,
          kind: 'seq-conflict',
          message: `Device ${d.name} (${d.deviceCode}) sent command #${env.seq} twice with different content. Its outbox may be damaged: export its unsent commands.`,
          details: { deviceId: d.id, seq: env.seq, commandId: env.id, at: new Date(clock.now()).toISOString() },
          raisedAt: env.at,
        },
      },
    ]);
  });
}
