// The tablet's own trust code (src/sync/signing.ts, transport, pin-auth, dispatch, src/db/wipe.ts)
// against a real server: it signs every sync request [T1], corrects its clock from the server's
// Date, signs associates in online and proves them on each command [T2], and a revoked tablet keeps
// nothing but the export of its unsent commands [D7].
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { openSqliteDb, seedSmall, type TestDb } from './helpers/stores';
import { createTestApp, rawInject, sellable } from './helpers/client';
import type { GeneratedChain } from '../src/seed/generate';
import { VitrineDb } from '@/db/schema';
import { saveEnrollment } from '@/db/device';
import { dispatch } from '@/db/dispatch';
import { SyncEngine } from '@/sync/engine';
import { call } from '@/sync/transport';
import { deviceTransport, ensureDeviceKey } from '@/sync/signing';
import { refreshVerifiers, signIn, verifyManagerPin } from '@/state/pin-auth';
import type { EnrollResponse } from '@/core/sync/protocol';
import { noteAdd } from '../../src/core/customers/note-add';
import { saleComplete } from '../../src/core/sales/sale-complete';

let n = 0;
const ADMIN = { authorization: 'Bearer demo-admin-token' };

/** fetch() over app.inject, as the browser would send it (the tablet signs; nothing is added). */
function fetchVia(app: FastifyInstance): typeof fetch {
  return (async (input: string | URL | Request, init?: RequestInit) => {
    const url = new URL(String(input), 'http://tablet.test');
    const r = await rawInject(app, {
      method: (init?.method ?? 'GET') as 'GET',
      url: url.pathname + url.search,
      headers: (init?.headers ?? {}) as Record<string, string>,
      ...(init?.body !== undefined ? { payload: String(init.body) } : {}),
    });
    const headers = new Headers();
    for (const [k, v] of Object.entries(r.headers)) if (v !== undefined) headers.set(k, String(v));
    return new Response(r.body, { status: r.statusCode, headers });
  }) as typeof fetch;
}

describe('the tablet against a real server [T1][T2][D7]', () => {
  let tdb: TestDb;
  let app: FastifyInstance;
  let chain: GeneratedChain;

  beforeAll(async () => {
    tdb = await openSqliteDb();
    chain = await seedSmall(tdb.store);
    app = await createTestApp({ store: tdb.store, rollupIntervalMs: 0 });
  });
  afterAll(async () => {
    await app?.close();
    await tdb?.destroy();
  });

  async function enrolledTablet(now: () => number = Date.now) {
    const db = new VitrineDb(`tablet-trust-${n++}`);
    const key = await ensureDeviceKey(db);
    const e = await call<EnrollResponse>({ baseUrl: '', fetch: fetchVia(app) }, 'POST', '/api/v1/devices/enroll', { code: 'DEMO-S01', name: 'Real tablet', publicKey: key.publicKey });
    await saveEnrollment(db, e, now());
    const engine = new SyncEngine(db, { fetch: fetchVia(app), now, checksumEveryMs: 0 });
    return { db, engine, e };
  }

  it('[T1] syncs with signed requests; a tablet clock 10 minutes behind is corrected from the Date header', async () => {
    const behind = () => Date.now() - 10 * 60_000;
    const { db, engine } = await enrolledTablet(behind);
    await engine.syncNow();
    await engine.syncNow();
    expect(engine.status.getState().lastError).toBeNull();
    expect(await db.associates.count()).toBeGreaterThan(0);
    expect(await db.products.count()).toBe(chain.products.length);
    db.close();
  });

  it('[T2] an associate signed in online makes commands the server accepts as theirs', async () => {
    const { db, engine, e } = await enrolledTablet();
    await engine.syncNow();
    const transport = await deviceTransport(db, { fetch: fetchVia(app) });
    const r = await signIn(db, 'A-S01-CARLOS', '2222', Date.now(), { transport });
    expect(r).toMatchObject({ ok: true, who: { role: 'cashier' } });
    const customerId = chain.customers[0]!.id;
    await dispatch(db, 'A-S01-CARLOS', noteAdd, { customerId, noteId: crypto.randomUUID(), text: 'Prefers slim fits' });
    await engine.syncNow();
    const stored = await tdb.store.db.selectFrom('commands').select(['status', 'result']).where('device_id', '=', e.deviceId).execute();
    expect(stored).toHaveLength(1);
    expect(stored[0]!.status).toBe('applied');
    expect(stored[0]!.result).not.toContain('unverified-actor');
    db.close();
  });

  it('[T2] verifiers fetched while online let anyone sign in offline, and Marta approve, with nothing crackable stored', async () => {
    const { db, engine } = await enrolledTablet();
    await engine.syncNow();
    expect(await refreshVerifiers(db, await deviceTransport(db, { fetch: fetchVia(app) }))).toBe(3);
    expect(await signIn(db, 'A-S01-ANA', '3333', Date.now(), { transport: null })).toMatchObject({ ok: true, who: { name: 'Ana' } });
    expect(await verifyManagerPin(db, '1111', { kind: 'discount', pct: 30 }, Date.now())).toMatchObject({ ok: true, name: 'Marta' });
    const digests = await tdb.store.db.selectFrom('associate_pins').select('hash').execute();
    const stored = JSON.stringify(await db.meta.toArray());
    for (const d of digests) expect(stored).not.toContain(d.hash);
    db.close();
  });

  it('[D7] a revoked tablet deletes every table with personal or store data and keeps only the export of unsent commands', async () => {
    const { db, engine, e } = await enrolledTablet();
    await engine.syncNow();
    const transport = await deviceTransport(db, { fetch: fetchVia(app) });
    await signIn(db, 'A-S01-CARLOS', '2222', Date.now(), { transport });
    expect(await db.customers.count()).toBeGreaterThan(0);
    expect((await app.inject({ method: 'POST', url: `/api/v1/admin/devices/${e.deviceId}/revoke`, headers: ADMIN })).statusCode).toBe(200);
    // Made after the revocation, before the tablet hears of it: unsent.
    const s = sellable(chain, 1)[0]!;
    await dispatch(db, 'A-S01-CARLOS', saleComplete, ({ receiptNo, newId }) => ({
      saleId: newId(),
      storeId: 'S01',
      receiptNo: receiptNo(),
      currency: 'EUR',
      lines: [{ sku: s.stock.sku, qty: 1, unitPrice: s.unitPrice }],
      tenders: [{ kind: 'cash', amount: s.unitPrice }],
    }));
    await engine.syncNow();
    const name = db.name;
    db.close();

    const reopened = new VitrineDb(name);
    await reopened.open();
    const left: Record<string, number> = {};
    for (const t of reopened.tables) left[t.name] = await t.count();
    const { meta, ...rest } = left;
    expect(Object.values(rest).every((c) => c === 0), JSON.stringify(left)).toBe(true);
    expect(meta).toBe(1);
    const [kept] = await reopened.meta.toArray();
    expect(kept!.key).toBe('revoked-export');
    const exports = kept!.value as { deviceId: string; commands: { type: string }[] }[];
    expect(exports).toHaveLength(1);
    expect(exports[0]).toMatchObject({ deviceId: e.deviceId, commands: [expect.objectContaining({ type: 'sale.complete' })] });
    // The export is what an administrator imports for the revoked identity [D6].
    const imported = await app.inject({ method: 'POST', url: '/api/v1/admin/import', headers: ADMIN, payload: { deviceId: exports[0]!.deviceId, commands: exports[0]!.commands } });
    expect(imported.statusCode).toBe(200);
    reopened.close();
  });
});
