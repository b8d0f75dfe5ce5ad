// Offline sign-in: checks a PIN against the associate's PBKDF2 hash on this tablet, with lock-out
// after repeated wrong PINs, and keeps the session in IndexedDB so a reload offline stays signed in.
import type { VitrineDb } from '@/db/schema';
import { verifyPin } from '@/core/shared/pin';
import { SESSION_HOURS, type SignedIn } from '@/state/session';

export const MAX_TRIES = 5;
export const LOCK_MS = 5 * 60_000;

interface Lockout {
  fails: number;
  until: number;
}

export type SignInResult = { ok: true; who: SignedIn } | { ok: false; reason: 'wrong'; left: number } | { ok: false; reason: 'locked'; until: number };

export async function signIn(db: VitrineDb, associateId: string, pin: string, now: number): Promise<SignInResult> {
  const a = await db.associates.get(associateId);
  if (!a || !a.active) return { ok: false, reason: 'wrong', left: 0 };
  const key = `lockout:${associateId}`;
  const lock = ((await db.meta.get(key))?.value as Lockout | undefined) ?? { fails: 0, until: 0 };
  if (lock.until > now) return { ok: false, reason: 'locked', until: lock.until };
  if (await verifyPin(crypto.subtle, pin, a)) {
    await db.meta.delete(key);
    const who: SignedIn = { id: a.id, name: a.name, role: a.role, until: now + SESSION_HOURS * 3600_000 };
    await db.meta.put({ key: 'session', value: who });
    return { ok: true, who };
  }
  const fails = lock.fails + 1;
  if (fails >= MAX_TRIES) {
    const until = now + LOCK_MS;
    await db.meta.put({ key, value: { fails: 0, until } satisfies Lockout });
    return { ok: false, reason: 'locked', until };
  }
  await db.meta.put({ key, value: { fails, until: 0 } satisfies Lockout });
  return { ok: false, reason: 'wrong', left: MAX_TRIES - fails };
}

/** Signing out only ends the session: the outbox and all data stay untouched [D3]. */
export async function signOut(db: VitrineDb): Promise<void> {
  await db.meta.delete('session');
}

export async function restoreSession(db: VitrineDb, now: number): Promise<SignedIn | null> {
  const who = (await db.meta.get('session'))?.value as SignedIn | undefined;
  if (!who || who.until <= now) return null;
  const a = await db.associates.get(who.id);
  return a && a.active ? who : null;
}
