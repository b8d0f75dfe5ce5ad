// [T2] The server's own check of who made a command: the envelope's sign-in proof must have been made
// with the actor's PIN on this device, and a manager's approval inside it with that manager's PIN.
// A token, a device key or a tablet's storage is not enough to make either (decision 16).
import { webcrypto } from 'node:crypto';
import type { StoreTx } from '../store/store';
import type { Envelope } from '../../../src/core/sync/protocol';
import { approvalMac, signInMac, type Approval } from '../../../src/core/shared/sign-in-proof';
import { sameDigest } from '../../../src/core/shared/pin';

const subtle = webcrypto.subtle as unknown as SubtleCrypto;

/** How long a sign-in lasts on the tablet (12 h) plus clock slack: a command made later is not covered. */
const SESSION_MS = 12 * 3600_000 + 5 * 60_000;
const SLACK_MS = 5 * 60_000;

/**
 * Commands that record money or goods already handed over [C5]: applied even when their proof fails,
 * with an `unverified-actor` exception for the manager. An order paid at the till (`order.create`
 * [OR1]) took the customer's money like a sale, and a web order handed over (`order.hand-over`
 * [PQ3]) has left with the customer: refusing either would lose what happened (sim seed 31).
 * Anything else is rejected without a proof — a manager's adjustment of points too
 * (`loyalty.adjust` [LO2]): nothing was handed over, and a forged approval must not move points.
 */
export const HAPPENED = /^(?:(?:sale|return|loyalty(?!\.adjust$)|cash|shift|register|refund)\.|order\.(?:create|hand-over)$)/;

export type Verdict = { ok: true } | { ok: false; why: string };

/** Reads PIN digests once per batch. */
export class PinDigests {
  private readonly cache = new Map<string, string | undefined>();
  /**
   * Sign-in proofs this batch has already checked. Every command made under one sign-in carries the
   * same proof, so a batch of 200 sales verifies one HMAC instead of 200 (the MAC covers actor,
   * device, sign-in id and time, all part of the key).
   */
  readonly proofs = new Map<string, Promise<boolean>>();
  constructor(private readonly tx: StoreTx) {}

  async of(associateId: string): Promise<string | undefined> {
    if (!this.cache.has(associateId)) {
      const r = await this.tx.db.selectFrom('associate_pins').select('hash').where('associate_id', '=', associateId).executeTakeFirst();
      this.cache.set(associateId, r?.hash);
    }
    return this.cache.get(associateId);
  }
}

const wallOf = (at: string) => Number(at.slice(0, 15));

export async function checkSignIn(pins: PinDigests, env: Envelope, deviceId: string): Promise<Verdict> {
  const p = env.signIn;
  if (!p) return { ok: false, why: `it carries no sign-in, so nothing shows that ${env.actor} typed their PIN` };
  const digest = await pins.of(env.actor);
  if (!digest) return { ok: false, why: `${env.actor} has no PIN on this server` };
  const key = JSON.stringify([env.actor, deviceId, p.id, p.at, p.mac]);
  let valid = pins.proofs.get(key);
  if (!valid) {
    valid = signInMac(subtle, digest, { associateId: env.actor, deviceId, signInId: p.id, at: p.at }).then((expected) => sameDigest(expected, p.mac));
    pins.proofs.set(key, valid);
  }
  if (!(await valid)) return { ok: false, why: `its sign-in proof was not made with ${env.actor}'s PIN on this device` };
  const wall = wallOf(env.at);
  if (wall < p.at - SLACK_MS || wall > p.at + SESSION_MS) return { ok: false, why: 'it was made outside the sign-in it names (sessions last 12 hours)' };
  return { ok: true };
}

/** The approval a command carries (payload field `approval`), if any. */
export function approvalOf(payload: unknown): Approval | undefined {
  const a = payload && typeof payload === 'object' ? (payload as { approval?: unknown }).approval : undefined;
  if (!a || typeof a !== 'object') return undefined;
  const { by, at, mac } = a as Partial<Approval>;
  return typeof by === 'string' && typeof at === 'number' && typeof mac === 'string' ? (a as Approval) : undefined;
}

/** [RO3] A manager's approval: made with that manager's PIN, for exactly this subject, on this device. */
export async function checkApproval(pins: PinDigests, approval: Approval, deviceId: string, isManager: (id: string) => Promise<boolean>): Promise<Verdict> {
  if (!(await isManager(approval.by))) return { ok: false, why: `${approval.by} is not an active manager of this store` };
  const digest = await pins.of(approval.by);
  if (!digest) return { ok: false, why: `${approval.by} has no PIN on this server` };
  const expected = await approvalMac(subtle, digest, { by: approval.by, deviceId, at: approval.at, subject: approval.subject });
  return sameDigest(expected, approval.mac) ? { ok: true } : { ok: false, why: `the approval was not made with ${approval.by}'s PIN for this subject` };
}
