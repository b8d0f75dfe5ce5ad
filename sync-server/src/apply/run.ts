// One apply path for every origin [O1]: the same handler runs for a device's, a channel's and the
// system's command, with its principal [O2], server time [D8], checked ownership and scope [O3], and
// its effects, deletes [M2] and follow-ups [J1] written in the caller's transaction.
import { createHash } from 'node:crypto';
import type { StoreTx } from '../store/store';
import type { Command, CommandDef, DeviceScope, Effects, Principal, PrincipalRole } from '../../../src/core/sync/command';
import type { StoredResult } from '../../../src/core/sync/protocol';
import { parseCommand as parseEnvelope, COMMANDS } from '../../../src/core/sync/registry';
import { DomainError } from '../../../src/core/shared/errors';
import { canonicalJson } from '../../../src/core/shared/canonical';
import { CHAIN_WIDE, type ExceptionRow, type StreamName, type TableName } from '../../../src/core/model';
import type { LocationId } from '../../../src/core/shared/brand';
import type { Envelope } from '../../../src/core/sync/protocol';
import { deriveBalances } from './balances';
import { forgetNotices } from './forget';

/** Command definitions by type; tests may pass their own. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Registry = ReadonlyMap<string, CommandDef<any>>;

export interface Clock {
  now(): number;
}

export const payloadHash = (c: Pick<Envelope, 'id' | 'type' | 'v' | 'payload'>) =>
  createHash('sha256').update(canonicalJson({ id: c.id, type: c.type, v: c.v, payload: c.payload })).digest('hex');

/** Validation is the costliest pure step of a command: parse each envelope once per push. */
const parsed = new WeakMap<Envelope, ReturnType<typeof parseEnvelope> | DomainError>();

/** Validates an envelope against `registry` (the app's commands by default), caching the answer per envelope. */
export function parseCommand(env: Envelope, registry: Registry = COMMANDS): ReturnType<typeof parseEnvelope> {
  if (registry !== COMMANDS) return parseWith(env, registry);
  let r = parsed.get(env);
  if (!r) {
    try {
      r = parseEnvelope(env);
    } catch (e) {
      if (!(e instanceof DomainError)) throw e;
      r = e;
    }
    parsed.set(env, r);
  }
  if (r instanceof DomainError) throw r;
  return r;
}

function parseWith(env: Envelope, registry: Registry): ReturnType<typeof parseEnvelope> {
  const def = registry.get(env.type);
  if (!def) throw new DomainError('unknown-command', `This server does not know the command type "${env.type}".`);
  const schema = def.schemas[env.v];
  if (!schema) throw new DomainError('unknown-version', `${env.type} version ${env.v} is not one this server accepts.`);
  const r = schema.safeParse(env.payload);
  if (!r.success) throw new DomainError('invalid-payload', `${env.type}: ${r.error.issues[0]?.message ?? 'invalid payload'}.`, r.error.issues);
  const payload: unknown = env.v === def.version || !def.upcast ? r.data : def.upcast(env.v, r.data);
  return { def, command: { ...env, at: env.at as Command['at'], payload } };
}

/** What a principal may write [A3][O3]: a tablet its store, customers and the chain queue; a channel every store; the system everything. */
export function mayWrite(principal: Principal, stream: string): boolean {
  switch (principal.kind) {
    case 'associate':
      return stream === `store:${principal.storeId}` || stream === 'customers' || stream === 'chain';
    case 'channel':
      return stream.startsWith('store:') || stream === 'customers' || stream === 'chain';
    case 'system':
      return true;
  }
}

export const roleOf = (p: Principal): PrincipalRole => (p.kind === 'associate' ? p.role : p.kind);

/** The stream a rejection of this command is raised in: its store's, else the chain queue [O2]. */
export function rejectionStream(storeId: string | undefined): StreamName {
  return storeId ? `store:${storeId}` : 'chain';
}

/**
 * [J3] The streams a command will write, known before anything is locked: those its definition names
 * from the payload, plus those its plan finds by reading (without locks; the handler re-reads under them).
 */
export async function streamsToLock(tx: StoreTx, def: CommandDef<unknown>, command: Command, scope: DeviceScope): Promise<StreamName[]> {
  const named = def.streams(command.payload, scope);
  if (!def.plan) return named;
  try {
    return [...named, ...(await def.plan({ tx, scope }, command))];
  } catch (e) {
    // A plan that finds the command impossible plans nothing more: the handler, re-reading under
    // the locks, rejects it with its own reason.
    if (e instanceof DomainError) return named;
    throw e;
  }
}

export interface RunInput {
  def: CommandDef<unknown>;
  command: Command;
  principal: Principal;
  scope: DeviceScope;
  now: number;
}

/**
 * Runs a command's handler and writes its effects. Throws DomainError when the command is rejected,
 * before anything is written (effects are checked first, then staged). A write to a stream the
 * transaction has not locked throws UnlockedStreamFault [J3].
 */
export async function runHandler(tx: StoreTx, input: RunInput): Promise<StoredResult> {
  const { def, command, principal } = input;
  const role = roleOf(principal);
  if (!def.roles.includes(role)) {
    const who = principal.kind === 'associate' ? `${principal.id} (${principal.role})` : principal.kind === 'channel' ? `Channel ${principal.channel}` : 'The server';
    throw new DomainError('forbidden', `${who} may not ${command.type}; it needs ${def.roles.join(' or ')}.`);
  }
  // [LO2] Balances are the ledger's sums, whatever the handler wrote in the customer rows.
  const effects = await deriveBalances(tx, await def.handle({ tx, scope: input.scope, side: 'server', principal, now: input.now }, command), input.now);
  // Rows keyed under this command's id (the exceptions it raises) are new by construction.
  const own = `${command.id}:`;
  for (const p of effects.puts) if (p.key.startsWith(own)) tx.assumeNew(p.table, [p.key]);
  await checkEffects(tx, principal, command, effects);
  await tx.putRows(effects.puts, command.id);
  if (effects.deletes?.length) await tx.deleteRows(effects.deletes, command.id);
  await tx.addMovements(effects.movements);
  // [LO2] Entries are dated by the server's clock: points expiry counts from it.
  await tx.addLedger(effects.ledger.map((e) => ({ ...e, at: input.now })));
  if (effects.followUps?.length) tx.addJobs(effects.followUps, command.id, input.now);
  // [W3] The outbox: notices commit with the command's effects, or not at all.
  if (effects.forget) await forgetNotices(tx, effects.forget, input.now);
  if (effects.notifications?.length) await tx.db.insertInto('notifications').values(effects.notifications.map((n) => ({ kind: n.kind, recipient: n.recipient, payload: JSON.stringify({ ...n.payload, commandId: command.id }), created_at: new Date(input.now).toISOString(), sent_at: null }))).execute();
  return { status: 'applied', summary: effects.summary, exceptions: effects.exceptions };
}

/** [O3] A command creates only rows nobody else wrote, and writes (or leaves) only streams its principal may write. */
async function checkEffects(tx: StoreTx, principal: Principal, command: Command, effects: Effects): Promise<void> {
  for (const p of effects.puts) {
    if (p.create) {
      const o = await tx.owner(p.table, p.key);
      if (o.exists && o.writtenBy !== command.id) {
        throw new DomainError('id-taken', `${command.type} creates ${p.table} ${p.key}, but that id already belongs to another record; nothing was changed. Make the ${p.table} again with a new id.`);
      }
    }
  }
  const touched: { table: TableName; key: string; after: string[] }[] = [
    ...effects.puts.map((p) => ({ table: p.table, key: p.key, after: [p.stream, ...(p.also ?? [])] })),
    ...(effects.deletes ?? []).map((d) => ({ table: d.table, key: d.key, after: [] })),
  ];
  const own = principal.kind === 'associate' ? `store:${principal.storeId}` : undefined;
  for (const item of touched) {
    const before = await tx.membership(item.table, item.key);
    const after = item.after;
    // [M1][OR3] An order its store shares with others (collected here, placed or sourced elsewhere) may be
    // changed by that store's tablets in the streams it is already in; it may not join or leave one.
    const shared = (s: string) => item.table === 'orders' && own !== undefined && before.includes(own) && after.includes(own) && before.includes(s) && after.includes(s);
    const out = [...after, ...before].find((s) => !mayWrite(principal, s) && !shared(s));
    if (out) throw new DomainError('out-of-scope', `${command.type} would change ${item.table} ${item.key} in ${out}, which this ${principal.kind === 'associate' ? 'tablet' : principal.kind} may not write.`);
  }
}

/** The exception a rejected command raises for managers [C4]: in its store's queue, or the chain's [O2]. */
export function rejectionRow(id: string, storeId: string | undefined, message: string, details: Record<string, unknown>, raisedAt: string, commandId: string, by?: string): { table: 'exceptions'; key: string; stream: StreamName; row: ExceptionRow } {
  return {
    table: 'exceptions',
    key: id,
    stream: rejectionStream(storeId),
    row: { id, storeId: (storeId ?? CHAIN_WIDE) as LocationId, kind: 'rejected-command', message, details, raisedAt, commandId, ...(by ? { by } : {}) },
  };
}

/** A UUID (version 8, RFC 9562) derived from a name: the deterministic id of a channel's or the system's command [O1]. */
export function deterministicId(name: string): string {
  const h = createHash('sha256').update(`vitrine:${name}`).digest('hex');
  const variant = ((parseInt(h[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-8${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}
