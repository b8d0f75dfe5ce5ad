// Sign-in [A4][T2]: online, the server checks the PIN and enforces the lock-out. Offline verifiers
// reach the tablet over a signed route (never a stream) and are kept only as HMACs under a
// non-extractable device-bound key, so the tablet's storage holds nothing a PIN can be cracked from
// elsewhere. Offline, the PIN is checked against them. Every sign-in carries a proof the server
// re-checks on each command.
import type { VitrineDb } from '@/db/schema';
import { getDevice } from '@/db/device';
import { hashPin, sameDigest } from '@/core/shared/pin';
import { approvalMac, signInMac, type Approval, type SignInProof } from '@/core/shared/sign-in-proof';
import { call, SyncHttpError, type Transport } from '@/sync/transport';
import { SESSION_HOURS, type SignedIn } from '@/state/session';
import type { Role } from '@/core/model';
import { unlockSubject } from '@/core/shared/unlock';

export const MAX_TRIES = 5;
export const LOCK_MS = 5 * 60_000;

interface Lockout {
  fails: number;
  until: number;
}

/** What the tablet keeps per associate after an online sign-in: never the digest itself. */
interface OfflineVerifier {
  associateId: string;
  name: string;
  role: Role;
  salt: string;
  iterations: number;
  /** hex HMAC-SHA256 of the PIN digest under the device's wrap key. */
  wrapped: string;
}

interface SignInAnswer {
  associate: { id: string; name: string; role: Role };
  verifier: { salt: string; iterations: number; hash: string };
}

export type SignInResult =
  | { ok: true; who: SignedIn }
  | { ok: false; reason: 'wrong'; left: number }
  | { ok: false; reason: 'locked'; until: number }
  /** Offline, and this associate's verifier never reached this tablet: nothing to check against. */
  | { ok: false; reason: 'needs-online' }
  | { ok: false; reason: 'refused'; message: string };

export interface AuthEnv {
  /** The signed transport to the server, or null to check offline only. */
  transport: Transport | null;
  subtle?: SubtleCrypto;
  /** A fresh UUID for the sign-in. */
  newId?: () => string;
}

const WRAP_KEY = 'pin-wrap-key';
const verifierKey = (id: string) => `pin:${id}`;
const hex = (b: ArrayBuffer) => [...new Uint8Array(b)].map((x) => x.toString(16).padStart(2, '0')).join('');

/** The device-bound key that wraps offline verifiers: made once, never extractable. */
async function wrapKey(db: VitrineDb, subtle: SubtleCrypto): Promise<CryptoKey> {
  const have = (await db.meta.get(WRAP_KEY))?.value as CryptoKey | undefined;
  if (have) return have;
  const key = await subtle.generateKey({ name: 'HMAC', hash: 'SHA-256', length: 256 }, false, ['sign']);
  await db.meta.put({ key: WRAP_KEY, value: key });
  return key;
}

async function wrap(db: VitrineDb, subtle: SubtleCrypto, digestHex: string): Promise<string> {
  return hex(await subtle.sign('HMAC', await wrapKey(db, subtle), new TextEncoder().encode(digestHex)));
}

async function offlineCheck(db: VitrineDb, subtle: SubtleCrypto, v: OfflineVerifier, pin: string): Promise<string | null> {
  const digest = await hashPin(subtle, pin, v.salt, v.iterations);
  return sameDigest(await wrap(db, subtle, digest), v.wrapped) ? digest : null;
}

function errorDetails(e: SyncHttpError): { left?: number; until?: string } {
  return (e.details ?? {}) as { left?: number; until?: string };
}

async function keep(db: VitrineDb, subtle: SubtleCrypto, a: SignInAnswer): Promise<void> {
  const v: OfflineVerifier = { associateId: a.associate.id, name: a.associate.name, role: a.associate.role, salt: a.verifier.salt, iterations: a.verifier.iterations, wrapped: await wrap(db, subtle, a.verifier.hash) };
  await db.meta.put({ key: verifierKey(a.associate.id), value: v });
}

/**
 * Fetches this store's offline verifiers (a signed route: a token alone cannot) and keeps each only
 * wrapped; an associate no longer listed loses theirs. Called while online, so that anyone can sign in
 * offline later. Failures are quiet: the verifiers kept so far stay.
 */
export async function refreshVerifiers(db: VitrineDb, transport: Transport | null, subtle: SubtleCrypto = crypto.subtle): Promise<number> {
  if (!transport) return 0;
  let list: SignInAnswer[];
  try {
    list = (await call<{ verifiers: SignInAnswer[] }>(transport, 'GET', '/api/v1/associates/verifiers')).verifiers;
  } catch {
    return 0;
  }
  const listed = new Set(list.map((a) => verifierKey(a.associate.id)));
  const stale = (await db.meta.where('key').startsWith('pin:').primaryKeys()).filter((k) => !listed.has(k));
  await db.meta.bulkDelete(stale);
  for (const a of list) await keep(db, subtle, a);
  return list.length;
}

export async function signIn(db: VitrineDb, associateId: string, pin: string, now: number, env: AuthEnv): Promise<SignInResult> {
  const subtle = env.subtle ?? crypto.subtle;
  const device = await getDevice(db);
  if (!device) return { ok: false, reason: 'refused', message: 'This tablet is not enrolled.' };
  const key = `lockout:${associateId}`;
  const lock = ((await db.meta.get(key))?.value as Lockout | undefined) ?? { fails: 0, until: 0 };
  if (lock.until > now) return { ok: false, reason: 'locked', until: lock.until };

  let digest: string | null = null;
  let who: { id: string; name: string; role: Role } | undefined;
  let online = false;
  if (env.transport) {
    try {
      const a = await call<SignInAnswer>(env.transport, 'POST', '/api/v1/associates/sign-in', { associateId, pin });
      online = true;
      digest = a.verifier.hash;
      who = a.associate;
      await keep(db, subtle, a);
    } catch (e) {
      if (!(e instanceof SyncHttpError) || e.status === 0 || e.status >= 500) {
        // Unreachable (or failing): fall back to the offline verifier below.
      } else if (e.code === 'wrong-pin') {
        return { ok: false, reason: 'wrong', left: errorDetails(e).left ?? 0 };
      } else if (e.code === 'associate-locked') {
        const until = Date.parse(errorDetails(e).until ?? '') || now + LOCK_MS;
        await db.meta.put({ key, value: { fails: 0, until } satisfies Lockout });
        return { ok: false, reason: 'locked', until };
      } else return { ok: false, reason: 'refused', message: e.message };
    }
  }
  if (!online) {
    const v = (await db.meta.get(verifierKey(associateId)))?.value as OfflineVerifier | undefined;
    if (!v) return { ok: false, reason: 'needs-online' };
    digest = await offlineCheck(db, subtle, v, pin);
    who = { id: v.associateId, name: v.name, role: v.role };
    if (!digest) {
      const fails = lock.fails + 1;
      if (fails >= MAX_TRIES) {
        const until = now + LOCK_MS;
        await db.meta.put({ key, value: { fails: 0, until } satisfies Lockout });
        return { ok: false, reason: 'locked', until };
      }
      await db.meta.put({ key, value: { fails, until: 0 } satisfies Lockout });
      return { ok: false, reason: 'wrong', left: MAX_TRIES - fails };
    }
  }
  await db.meta.delete(key);
  const signInId = (env.newId ?? (() => crypto.randomUUID()))();
  const proof: SignInProof = { id: signInId, at: now, mac: await signInMac(subtle, digest!, { associateId, deviceId: device.deviceId, signInId, at: now }) };
  const signedIn: SignedIn = { id: who!.id, name: who!.name, role: who!.role, until: now + SESSION_HOURS * 3600_000, proof };
  await db.meta.put({ key: 'session', value: signedIn });
  return { ok: true, who: signedIn };
}

export type ManagerCheck = { ok: true; approval: Approval; name: string } | { ok: false; reason: 'wrong' | 'needs-online' };

/**
 * [RO3] The "Manager approval" dialog: finds the manager of this store whose PIN this is, from the
 * verifiers this tablet keeps (managers who signed in here online before), and returns their
 * approval of `subject`, which the server checks on its own ([T2], decision 16). Offline-capable.
 */
export async function verifyManagerPin(db: VitrineDb, pin: string, subject: unknown, now: number, subtle: SubtleCrypto = crypto.subtle): Promise<ManagerCheck> {
  const device = await getDevice(db);
  if (!device) return { ok: false, reason: 'wrong' };
  const managers = (await db.meta.where('key').startsWith('pin:').toArray()).map((m) => m.value as OfflineVerifier).filter((v) => v.role === 'manager');
  if (managers.length === 0) return { ok: false, reason: 'needs-online' };
  for (const v of managers) {
    const digest = await offlineCheck(db, subtle, v, pin);
    if (digest) {
      const approval: Approval = { by: v.associateId, at: now, subject, mac: await approvalMac(subtle, digest, { by: v.associateId, deviceId: device.deviceId, at: now, subject }) };
      return { ok: true, approval, name: v.name };
    }
  }
  return { ok: false, reason: 'wrong' };
}

export type UnlockResult = { ok: true; by: string } | { ok: false; reason: 'wrong' | 'needs-online' | 'self' } | { ok: false; reason: 'refused'; message: string };

/**
 * [T2] A manager lifts `associateId`'s lock-out with their PIN: the approval of exactly this unlock
 * is made here and, online, sent to the server, which checks it and clears its own lock-out; offline,
 * only this tablet's lock-out goes (the server's ends by itself). A manager cannot lift their own.
 */
export async function unlockWithManager(db: VitrineDb, associateId: string, pin: string, now: number, env: AuthEnv): Promise<UnlockResult> {
  const subtle = env.subtle ?? crypto.subtle;
  const check = await verifyManagerPin(db, pin, unlockSubject(associateId), now, subtle);
  if (!check.ok) return { ok: false, reason: check.reason };
  if (check.approval.by === associateId) return { ok: false, reason: 'self' };
  if (env.transport) {
    try {
      await call(env.transport, 'POST', '/api/v1/associates/unlock', { associateId, approval: check.approval });
    } catch (e) {
      // Unreachable or failing: the lock-out is lifted here only. A refusal is said as it is.
      if (e instanceof SyncHttpError && e.status > 0 && e.status < 500) return { ok: false, reason: 'refused', message: e.message };
    }
  }
  await db.meta.delete(`lockout:${associateId}`);
  return { ok: true, by: check.name };
}

/** Signing out only ends the session: the outbox and all data stay untouched [D3]. */
export async function signOut(db: VitrineDb): Promise<void> {
  await db.meta.delete('session');
}

export async function restoreSession(db: VitrineDb, now: number): Promise<SignedIn | null> {
  const who = (await db.meta.get('session'))?.value as SignedIn | undefined;
  if (!who || who.until <= now || !who.proof) return null;
  const a = await db.associates.get(who.id);
  return a && a.active ? who : null;
}
