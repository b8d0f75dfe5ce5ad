// Sign-in on the tablet [A4][T2]: online answers are trusted and leave a wrapped verifier; offline
// sign-in checks against it, with lock-out; nothing in storage is a crackable PIN digest; sign-out
// keeps unsent commands [D3]. The server side of the same flow is in sync-server/test/trust-tablet.test.ts.
import { describe, it, expect } from 'vitest';
import { webcrypto } from 'node:crypto';
import { signIn, signOut, restoreSession, verifyManagerPin, MAX_TRIES, LOCK_MS, type AuthEnv } from '@/state/pin-auth';
import { hashPin } from '@/core/shared/pin';
import { dispatch } from '@/db/dispatch';
import { customerCreate } from '@/core/customers/customer-create';
import { enrolledDb, testEnv } from '@/testing/factories';
import type { AssociateId, LocationId } from '@/core/shared/brand';
import type { Transport } from '@/sync/transport';
import type { VitrineDb } from '@/db/schema';

const subtle = webcrypto.subtle as unknown as SubtleCrypto;
const SALT = '00112233445566778899aabbccddeeff';
const PEOPLE: Record<string, { name: string; role: 'cashier' | 'manager'; pin: string }> = {
  'A-S01-CARLOS': { name: 'Carlos', role: 'cashier', pin: '2222' },
  'A-S01-MARTA': { name: 'Marta', role: 'manager', pin: '1111' },
};

/** A stand-in for the server's sign-in route: checks the PIN, answers as the route does. */
function server(): Transport & { calls: number } {
  const t = {
    baseUrl: '',
    calls: 0,
    fetch: (async (_url: string, init?: RequestInit) => {
      t.calls += 1;
      const { associateId, pin } = JSON.parse(String(init?.body)) as { associateId: string; pin: string };
      const who = PEOPLE[associateId];
      if (!who || who.pin !== pin) return new Response(JSON.stringify({ error: { code: 'wrong-pin', message: 'Wrong PIN.', details: { left: 4 } } }), { status: 401 });
      return new Response(JSON.stringify({ associate: { id: associateId, name: who.name, role: who.role }, verifier: { salt: SALT, iterations: 1000, hash: await hashPin(subtle, pin, SALT, 1000) } }), { status: 200 });
    }) as typeof fetch,
  };
  return t;
}

const offline: AuthEnv = { transport: null, subtle };
const online = (t: Transport): AuthEnv => ({ transport: t, subtle });

async function withPeople(): Promise<VitrineDb> {
  const db = await enrolledDb();
  for (const [id, p] of Object.entries(PEOPLE)) await db.associates.put({ id: id as AssociateId, storeId: 'S01' as LocationId, name: p.name, role: p.role, active: true });
  return db;
}

describe('sign-in on the tablet', () => {
  it('[T2] online, the server decides; its answer leaves only a wrapped verifier on the tablet', async () => {
    const db = await withPeople();
    const t = server();
    expect(await signIn(db, 'A-S01-CARLOS', '9999', 1_000, online(t))).toMatchObject({ ok: false, reason: 'wrong', left: 4 });
    const r = await signIn(db, 'A-S01-CARLOS', '2222', 2_000, online(t));
    expect(r).toMatchObject({ ok: true, who: { name: 'Carlos', role: 'cashier', proof: { at: 2_000 } } });
    // Nothing in storage equals the PIN's digest: what is kept is an HMAC under a non-extractable key.
    const digest = await hashPin(subtle, '2222', SALT, 1000);
    const stored = JSON.stringify(await db.meta.toArray());
    expect(stored).not.toContain(digest);
    const wrapKey = (await db.meta.get('pin-wrap-key'))?.value as CryptoKey;
    expect(wrapKey.extractable).toBe(false);
  });

  it('[T2] offline, a PIN is checked against the verifier an online sign-in left, with lock-out', async () => {
    const db = await withPeople();
    expect(await signIn(db, 'A-S01-CARLOS', '2222', 1_000, offline)).toEqual({ ok: false, reason: 'needs-online' });
    await signIn(db, 'A-S01-CARLOS', '2222', 1_000, online(server()));
    expect(await signIn(db, 'A-S01-CARLOS', '2222', 2_000, offline)).toMatchObject({ ok: true });
    for (let i = 1; i < MAX_TRIES; i++) expect(await signIn(db, 'A-S01-CARLOS', '9999', 3_000, offline)).toMatchObject({ ok: false, reason: 'wrong', left: MAX_TRIES - i });
    expect(await signIn(db, 'A-S01-CARLOS', '9999', 3_000, offline)).toMatchObject({ ok: false, reason: 'locked' });
    expect(await signIn(db, 'A-S01-CARLOS', '2222', 4_000, offline)).toMatchObject({ ok: false, reason: 'locked' });
    expect(await signIn(db, 'A-S01-CARLOS', '2222', 3_000 + LOCK_MS + 1, offline)).toMatchObject({ ok: true });
  });

  it('[T2] a network failure falls back to the offline verifier', async () => {
    const db = await withPeople();
    await signIn(db, 'A-S01-CARLOS', '2222', 1_000, online(server()));
    const down: Transport = { baseUrl: '', fetch: (async () => Promise.reject(new TypeError('Failed to fetch'))) as typeof fetch };
    expect(await signIn(db, 'A-S01-CARLOS', '2222', 2_000, online(down))).toMatchObject({ ok: true });
  });

  it('[RO3] verifyManagerPin finds the manager by PIN, offline, and returns an approval of the subject', async () => {
    const db = await withPeople();
    expect(await verifyManagerPin(db, '1111', { kind: 'discount' }, 1_000, subtle)).toEqual({ ok: false, reason: 'needs-online' });
    await signIn(db, 'A-S01-MARTA', '1111', 1_000, online(server()));
    await signIn(db, 'A-S01-CARLOS', '2222', 2_000, online(server()));
    expect(await verifyManagerPin(db, '2222', { kind: 'discount' }, 3_000, subtle)).toEqual({ ok: false, reason: 'wrong' });
    const ok = await verifyManagerPin(db, '1111', { kind: 'discount', pct: 30 }, 3_000, subtle);
    expect(ok).toMatchObject({ ok: true, name: 'Marta', approval: { by: 'A-S01-MARTA', at: 3_000, subject: { kind: 'discount', pct: 30 } } });
  });

  it('[D3][T2] signing out keeps unsent commands; a command carries the sign-in it was made under', async () => {
    const db = await withPeople();
    const r = await signIn(db, 'A-S01-CARLOS', '2222', 1_000, online(server()));
    await dispatch(db, 'A-S01-CARLOS', customerCreate, (a) => ({ customerId: a.newId(), profile: { firstName: 'Rita' } }), testEnv());
    const [cmd] = await db.outbox.toArray();
    expect(cmd!.signIn).toEqual(r.ok ? r.who.proof : undefined);
    await signOut(db);
    expect(await restoreSession(db, 2_000)).toBeNull();
    expect(await db.outbox.count()).toBe(1);
    await signIn(db, 'A-S01-CARLOS', '2222', 3_000, offline);
    expect(await db.outbox.count()).toBe(1);
  });
});
