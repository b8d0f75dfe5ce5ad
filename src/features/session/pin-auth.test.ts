// Offline sign-in against synced PIN hashes [A4]: right PIN, wrong PIN, lock-out, and sign-out that
// never touches unsent commands [D3].
import { describe, it, expect } from 'vitest';
import { webcrypto } from 'node:crypto';
import { signIn, signOut, restoreSession, MAX_TRIES, LOCK_MS } from './pin-auth';
import { hashPin } from '@/core/shared/pin';
import { dispatch } from '@/db/dispatch';
import { enrolledDb, testEnv } from '@/testing/factories';
import type { AssociateId, LocationId } from '@/core/shared/brand';

async function withCarlos() {
  const db = await enrolledDb();
  const salt = '00112233445566778899aabbccddeeff';
  await db.associates.put({
    id: 'A-S01-CARLOS' as AssociateId,
    storeId: 'S01' as LocationId,
    name: 'Carlos',
    role: 'cashier',
    pinSalt: salt,
    pinIterations: 1000,
    pinHash: await hashPin(webcrypto.subtle as unknown as SubtleCrypto, '2222', salt, 1000),
    active: true,
  });
  return db;
}

describe('sign-in on the tablet', () => {
  it('[A4] accepts the right PIN and keeps the session across a reload', async () => {
    const db = await withCarlos();
    const r = await signIn(db, 'A-S01-CARLOS', '2222', 10_000);
    expect(r).toMatchObject({ ok: true, who: { name: 'Carlos', role: 'cashier' } });
    expect(await restoreSession(db, 20_000)).toMatchObject({ name: 'Carlos' });
  });

  it('refuses a wrong PIN and locks the name after five, even against the right PIN', async () => {
    const db = await withCarlos();
    for (let i = 1; i < MAX_TRIES; i++) expect(await signIn(db, 'A-S01-CARLOS', '9999', 1_000)).toMatchObject({ ok: false, reason: 'wrong', left: MAX_TRIES - i });
    expect(await signIn(db, 'A-S01-CARLOS', '9999', 1_000)).toMatchObject({ ok: false, reason: 'locked' });
    expect(await signIn(db, 'A-S01-CARLOS', '2222', 2_000)).toMatchObject({ ok: false, reason: 'locked' });
    expect(await signIn(db, 'A-S01-CARLOS', '2222', 1_000 + LOCK_MS + 1)).toMatchObject({ ok: true });
  });

  it('[D3] signing out and switching associate keep every unsent command', async () => {
    const db = await withCarlos();
    await signIn(db, 'A-S01-CARLOS', '2222', 1_000);
    await dispatch(db, 'A-S01-CARLOS', 'customer.create', (a) => ({ customerId: a.newId(), profile: { firstName: 'Rita' } }), testEnv());
    await signOut(db);
    expect(await restoreSession(db, 2_000)).toBeNull();
    expect(await db.outbox.count()).toBe(1);
    await signIn(db, 'A-S01-CARLOS', '2222', 3_000);
    expect(await db.outbox.count()).toBe(1);
  });
});
