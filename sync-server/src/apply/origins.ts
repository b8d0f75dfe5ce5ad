// Commands that do not come from a tablet [O1]: a channel's (the web shop, idempotent on its own key
// such as an order's externalId) and the system's (follow-ups and schedules, with a deterministic id).
// They run the same handlers through runHandler and record their result in the same `commands` table.
import type { Store, StoreTx } from '../store/store';
import type { Principal } from '../../../src/core/sync/command';
import type { StoredResult } from '../../../src/core/sync/protocol';
import { COMMANDS } from '../../../src/core/sync/registry';
import { DomainError } from '../../../src/core/shared/errors';
import { encodeHlc } from '../../../src/core/shared/hlc';
import { HttpError } from '../http/errors';
import { deterministicId, parseCommand, payloadHash, rejectionRow, rejectionStream, runHandler, streamsToLock, type Clock, type Registry } from './run';

export interface OriginCommand {
  type: string;
  /** Payload version; the command's current one when omitted. */
  v?: number;
  payload: unknown;
}

export interface OriginResult {
  /** `duplicate`: this key was applied before; `result` is what was stored then. */
  status: 'applied' | 'rejected' | 'duplicate';
  /** The deterministic command id. */
  commandId: string;
  result: StoredResult;
}

type Origin = { kind: 'channel'; channel: string; key: string } | { kind: 'system'; key: string };

/** The idempotency key a command is recorded under: `commands.device_id`, with seq 0 [O1]. */
export const originKey = (o: Origin): string => (o.kind === 'channel' ? `channel:${o.channel}:${o.key}` : `system:${o.key}`);

/**
 * [O1] A channel's command, idempotent on (channel, key): the same key with the same content answers
 * the stored result; with other content it is 409 `idempotency-conflict`, and nothing changes.
 * An invalid payload is 400 `invalid-payload` and is not recorded, so the caller can fix it and retry.
 */
export async function applyChannelCommand(store: Store, channel: string, key: string, cmd: OriginCommand, clock: Clock, registry: Registry = COMMANDS): Promise<OriginResult> {
  return store.transaction((tx) => applyOriginInTx(tx, { kind: 'channel', channel, key }, cmd, clock.now(), registry));
}

/** [O1] A system command with a deterministic id derived from `key`: applying it again answers the stored result. */
export async function applySystemCommand(store: Store, key: string, cmd: OriginCommand, clock: Clock, registry: Registry = COMMANDS): Promise<OriginResult> {
  return store.transaction((tx) => applyOriginInTx(tx, { kind: 'system', key }, cmd, clock.now(), registry));
}

/** Applies a channel's or the system's command inside the caller's transaction (the jobs worker marks its job in the same one). */
export async function applyOriginInTx(tx: StoreTx, origin: Origin, cmd: OriginCommand, now: number, registry: Registry = COMMANDS): Promise<OriginResult> {
  const okey = originKey(origin);
  const id = deterministicId(okey);
  const def = registry.get(cmd.type);
  if (!def) throw new HttpError(400, 'unknown-command', `There is no command "${cmd.type}"; check the type the ${origin.kind} sends.`);
  const v = cmd.v ?? def.version;
  const env = { id, deviceId: okey, seq: 0, type: cmd.type, v, at: encodeHlc({ wall: now, counter: 0, node: 'server' }), actor: origin.kind === 'channel' ? `channel:${origin.channel}` : 'system', payload: cmd.payload };
  let parsed;
  try {
    parsed = parseCommand(env, registry);
  } catch (e) {
    if (e instanceof DomainError) throw new HttpError(400, e.code, e.message, e.details);
    throw e;
  }
  const { command } = parsed;
  const storeId = def.storeOf(command.payload);
  const scope = { deviceId: okey, storeId: storeId ?? '' };
  // Lock first, then look for the stored result: two deliveries of one key serialise on the locks.
  await tx.lockStreams([...(await streamsToLock(tx, def, command, scope)), rejectionStream(storeId)]);
  tx.forgetReads();
  const hash = payloadHash(env);
  const prior = await tx.command(okey, 0);
  if (prior) {
    if (prior.hash !== hash) {
      throw new HttpError(409, 'idempotency-conflict', `${origin.kind === 'channel' ? `Key ${origin.key}` : `System command ${origin.key}`} was already used for a different ${prior.type} command; nothing was changed. Use a new key for a new request.`, { key: origin.key });
    }
    return { status: 'duplicate', commandId: prior.id, result: JSON.parse(prior.result) as StoredResult };
  }
  const principal: Principal = origin.kind === 'channel' ? { kind: 'channel', channel: origin.channel } : { kind: 'system' };
  let stored: StoredResult;
  try {
    stored = await runHandler(tx, { def, command, principal, scope, now });
  } catch (e) {
    if (!(e instanceof DomainError)) throw e;
    stored = { status: 'rejected', error: { code: e.code, message: e.message } };
    // [O2] A command without a store raises its rejection in the chain-level queue.
    await tx.putRows([rejectionRow(`rejected:${okey}`, storeId, `${cmd.type} from ${origin.kind === 'channel' ? `channel ${origin.channel} (key ${origin.key})` : `the server (${origin.key})`} was rejected: ${e.message}`, { code: e.code, type: cmd.type, key: origin.key, origin: origin.kind }, command.at, id, env.actor)]);
  }
  await tx.recordCommand({ deviceId: okey, seq: 0, id, type: cmd.type, hash, status: stored.status, result: JSON.stringify(stored) }, new Date(now).toISOString(), origin.kind);
  return { status: stored.status, commandId: id, result: stored };
}
