// Trust at the HTTP edge, on SQLite and PostgreSQL: signed device requests [T1], server-checked
// associates and approvals [T2], codes and throttling [T4], the admin API [T5], revocation [D7] and
// hardened edges [T6]. Each test reproduces a finding of the probe in issue 9 against today's code.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { connect } from 'node:net';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { webcrypto } from 'node:crypto';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { backends, seedSmall, type Backend, type TestDb } from './helpers/stores';
import { TestTablet, createTestApp, withSignIn, enroll, errorOf, keyOf, newDeviceKey, rawInject, sellable, signatureHeaders, ANA, CARLOS, MARTA } from './helpers/client';
import type { Store } from '../src/store/store';
import type { GeneratedChain } from '../src/seed/generate';
import type { ExceptionRow } from '../../src/core/model';
import type { PushResponse } from '../../src/core/sync/protocol';
import { testTrustConfig, trustConfig } from '../src/http/trust-config';
import { approvalMac } from '../../src/core/shared/sign-in-proof';
import { unlockSubject } from '../../src/core/shared/unlock';
import { jsonDepth } from '../src/http/hardening';
import { retireDemoSecrets } from '../src/seed/demo';

const subtle = webcrypto.subtle as unknown as SubtleCrypto;
const ADMIN = { authorization: 'Bearer demo-admin-token' };

function trustSuite(backend: Backend) {
  describe.skipIf(backend.skip)(backend.name, () => {
    let db: TestDb;
    let store: Store;
    let chain: GeneratedChain;
    let app: FastifyInstance;

    beforeAll(async () => {
      db = await backend.open();
      store = db.store;
      chain = await seedSmall(store);
      app = await createTestApp({ store, rollupIntervalMs: 0 });
    });
    afterAll(async () => {
      await app?.close();
      await db?.destroy();
    });

    const sku = () => sellable(chain, 1)[0]!;
    const exceptionsOf = async (t: TestTablet) => (await t.pullAll('store:S01')).flatMap((c) => ('row' in c && c.table === 'exceptions' ? [c.row as ExceptionRow] : []));
    const signed = (t: TestTablet, method: 'GET' | 'POST', url: string, body?: string, now = Date.now()) => ({
      ...t.auth,
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...signatureHeaders(keyOf(t.enrollment.deviceToken)!.privateKey, t.id, method, url, body, now),
    });

    describe('[T1] device-bound requests', () => {
      it('[T1] a token copied out of a tablet is refused on every sync route: 401 signature-required', async () => {
        const t = await TestTablet.enroll(app, 'Copied');
        const routes: [string, string, unknown?][] = [
          ['POST', '/api/v1/sync/push', { deviceId: t.id, commands: [] }],
          ['POST', '/api/v1/sync/import', { deviceId: t.id, commands: [] }],
          ['GET', '/api/v1/sync/pull?stream=store%3AS01&after=0'],
          ['GET', '/api/v1/sync/checksum?stream=catalog&at=0'],
          ['GET', '/api/v1/sync/events'],
          ['POST', '/api/v1/associates/sign-in', { associateId: MARTA, pin: '1111' }],
          ['GET', '/api/v1/associates/verifiers'],
        ];
        for (const [method, url, payload] of routes) {
          const r = await rawInject(app, { method: method as 'GET', url, headers: t.auth, ...(payload ? { payload: payload as object } : {}) });
          expect(r.statusCode, `${method} ${url}`).toBe(401);
          expect(errorOf(r).code).toBe('signature-required');
        }
        // The same token, signed with the tablet's key, is accepted.
        expect((await t.pull('store:S01', 0, 10)).statusCode).toBe(200);
      });

      it('[T1] a signature made with another key, over another body, path or time, or replayed, is 401 bad-signature', async () => {
        const t = await TestTablet.enroll(app, 'Tamper');
        const url = '/api/v1/sync/pull?stream=store%3AS01&after=0&limit=5';
        const other = newDeviceKey();
        const bad = async (headers: Record<string, string>, target = url, method: 'GET' | 'POST' = 'GET', payload?: string) => {
          const r = await rawInject(app, { method, url: target, headers, ...(payload !== undefined ? { payload } : {}) });
          expect(r.statusCode).toBe(401);
          expect(errorOf(r).code).toBe('bad-signature');
          return errorOf(r).message;
        };
        await bad({ ...t.auth, ...signatureHeaders(other.privateKey, t.id, 'GET', url, undefined) });
        await bad(signed(t, 'GET', url), '/api/v1/sync/pull?stream=store%3AS01&after=0&limit=6');
        await bad(signed(t, 'GET', url), url.replace('/pull', '/checksum'));
        expect(await bad(signed(t, 'GET', url, undefined, Date.now() - 6 * 60_000))).toMatch(/more than 5 minutes/);
        const body = JSON.stringify({ deviceId: t.id, commands: [] });
        expect(await bad(signed(t, 'POST', '/api/v1/sync/push', body), '/api/v1/sync/push', 'POST', body.replace('[]', '[ ]'))).toMatch(/Content-Digest/);
        // Within the window and untouched, it passes once; the same signature a second time is a replay.
        const once = signed(t, 'GET', url, undefined, Date.now() - 4 * 60_000);
        expect((await rawInject(app, { method: 'GET', url, headers: once })).statusCode).toBe(200);
        expect(await bad(once)).toMatch(/replay/);
      });

      it('[T1] enrollment needs a P-256 public key', async () => {
        const r = await rawInject(app, { method: 'POST', url: '/api/v1/devices/enroll', payload: { code: 'DEMO-S01', name: 'No key' } });
        expect(r.statusCode).toBe(400);
        expect(errorOf(r)).toMatchObject({ code: 'invalid-body' });
        expect(errorOf(r).message).toMatch(/publicKey/);
      });
    });

    describe('[T2] associates', () => {
      it('[T2] pulling the store stream as a token holder yields no crackable PIN material', async () => {
        const t = await TestTablet.enroll(app, 'Curious');
        const rows = (await t.pullAll('store:S01')).filter((c) => c.table === 'associates');
        expect(rows.length).toBeGreaterThan(0);
        for (const c of rows) {
          const text = JSON.stringify('row' in c ? c.row : null);
          expect(text).not.toMatch(/pin/i);
          expect(text).not.toMatch(/[0-9a-f]{32,}/);
        }
      });

      it('[T2] a forged actor is refused: exception.resolve as Marta without her PIN is rejected unverified-actor', async () => {
        const t = await TestTablet.enroll(app, 'Forger');
        const s = sku();
        await t.pushOk([t.sale([{ sku: s.stock.sku, qty: 999, unitPrice: s.unitPrice }])]);
        const exceptionId = (await exceptionsOf(t)).find((e) => e.kind === 'oversold' && !e.resolved)!.id;
        const forged = { ...t.command('exception.resolve', { exceptionId, storeId: 'S01', note: 'Forged close' }, { actor: MARTA }), signIn: { id: crypto.randomUUID(), at: t.wall, mac: 'A'.repeat(43) } };
        const res = await t.pushOk([forged]);
        expect(res.results[0]).toMatchObject({ status: 'rejected', error: { code: 'unverified-actor' } });
        // Ana's own, real sign-in does not make her a manager either.
        const byAna = await t.pushOk([t.command('exception.resolve', { exceptionId, storeId: 'S01', note: 'Ana closes it' }, { actor: ANA })]);
        expect(byAna.results[0]).toMatchObject({ status: 'rejected', error: { code: 'forbidden' } });
        // Marta's real sign-in (her PIN, on this device) is applied.
        const real = await t.pushOk([t.command('exception.resolve', { exceptionId, storeId: 'S01', note: 'Counted the shelf' }, { actor: MARTA })]);
        expect(real.results[0]).toMatchObject({ status: 'applied' });
      });

      it('[T2][C5] a sale whose sign-in does not verify is applied and raises unverified-actor', async () => {
        const t = await TestTablet.enroll(app, 'No proof');
        const s = sku();
        const sale = { ...t.sale([{ sku: s.stock.sku, qty: 1, unitPrice: s.unitPrice }]), signIn: { id: crypto.randomUUID(), at: t.wall, mac: 'B'.repeat(43) } };
        const res = await t.pushOk([sale]);
        expect(res.results[0]).toMatchObject({ status: 'applied', exceptions: expect.arrayContaining([expect.objectContaining({ kind: 'unverified-actor' })]) });
      });

      it('[T2][C5][OR1][PQ3] an order paid at the till and a web order handed over are applied with unverified-actor when their sign-in does not verify; a pickup step before it is refused (sim seed 31)', async () => {
        const t = await TestTablet.enroll(app, 'Unproved orders');
        const s = sku();
        const forged = () => ({ id: crypto.randomUUID(), at: t.wall, mac: 'C'.repeat(43) });
        const customerId = chain.customers.find((c) => c.email)!.id;
        const line = { sku: s.stock.sku, qty: 1, unitPrice: s.unitPrice };
        const order = { ...t.command('order.create', { ...t.salePayload([line], { customerId }), orderId: crypto.randomUUID(), fulfillment: { kind: 'ship-store' }, seen: [{ sku: line.sku, where: [{ locationId: 'S01', available: 1 }] }] }, { actor: CARLOS }), signIn: forged() };
        const [paid] = (await t.pushOk([order])).results;
        expect(paid).toMatchObject({ status: 'applied', exceptions: [expect.objectContaining({ kind: 'unverified-actor' })] });
        // A web order for pickup at S01: picked and readied under real sign-ins, handed over under a forged one.
        const web = await app.inject({ method: 'POST', url: '/api/v1/channels/web/orders', headers: { 'x-api-key': 'demo-web-key' }, payload: { externalId: `WEB-TRUST-${backend.name}`, customer: { firstName: 'Inês', lastName: 'Barros', email: 'ines@example.com', phone: '+351 912 345 678' }, lines: [line], currency: 'EUR', payment: { reference: 'psp_1', amount: line.unitPrice }, fulfillment: { kind: 'pickup', storeId: 'S01' } } });
        expect(web.statusCode, web.body).toBe(201);
        const { orderId, number } = web.json<{ orderId: string; number: string }>();
        const ids = { orderId, storeId: 'S01' };
        const early = await t.pushOk([{ ...t.command('order.start-picking', ids, { actor: ANA }), signIn: forged() }]);
        expect(early.results[0]).toMatchObject({ status: 'rejected', error: { code: 'unverified-actor' } });
        const steps = await t.pushOk([t.command('order.start-picking', ids, { actor: ANA }), t.command('order.mark-ready', ids, { actor: ANA })]);
        expect(steps.results.map((r) => r.status)).toEqual(['applied', 'applied']);
        const [handed] = (await t.pushOk([{ ...t.command('order.hand-over', { ...ids, code: number }, { actor: ANA }), signIn: forged() }])).results;
        expect(handed).toMatchObject({ status: 'applied', summary: { status: 'collected' }, exceptions: [expect.objectContaining({ kind: 'unverified-actor' })] });
      });

      it('[T2] one batch checks each sign-in proof once, yet a proof copied to another actor or with a changed MAC still fails', async () => {
        const t = await TestTablet.enroll(app, 'Proof cache');
        const s = sku();
        const line = [{ sku: s.stock.sku, qty: 1, unitPrice: s.unitPrice }];
        const real = await withSignIn(store, t.sale(line, { actor: CARLOS }));
        const proof = real.signIn!;
        const tampered = { ...t.sale(line, { actor: CARLOS }), signIn: { ...proof, mac: proof.mac.slice(0, -2) + (proof.mac.endsWith('AA') ? 'BB' : 'AA') } };
        const borrowed = { ...t.sale(line, { actor: MARTA }), signIn: proof };
        const again = { ...t.sale(line, { actor: CARLOS }), signIn: proof };
        const res = await t.pushOk([real, tampered, borrowed, again]);
        const doubted = res.results.map((r) => r.status === 'applied' && r.exceptions.some((e) => e.kind === 'unverified-actor'));
        expect(doubted).toEqual([false, true, true, false]);
      });

      it('[T2] the server checks PINs and locks an associate out after five wrong ones, even against the right PIN', async () => {
        const t = await TestTablet.enroll(app, 'Guesser');
        const signIn = (pin: string) => t.app.inject({ method: 'POST', url: '/api/v1/associates/sign-in', headers: t.auth, payload: { associateId: ANA, pin } });
        const first = await signIn('0000');
        expect(first.statusCode).toBe(401);
        expect(errorOf(first)).toMatchObject({ code: 'wrong-pin', details: { left: 4 } });
        for (const pin of ['0001', '0002', '0003']) expect((await signIn(pin)).statusCode).toBe(401);
        const locked = await signIn('0004');
        expect(locked.statusCode).toBe(429);
        expect(errorOf(locked).code).toBe('associate-locked');
        const right = await signIn('3333');
        expect(right.statusCode).toBe(429);
        expect(Number(right.headers['retry-after'])).toBeGreaterThan(0);
        await store.db.updateTable('associate_pins').set({ locked_until: null, fails: 0 }).where('associate_id', '=', ANA).execute();
        const ok = await signIn('3333');
        expect(ok.statusCode).toBe(200);
        expect(ok.json()).toMatchObject({ associate: { id: ANA, role: 'associate' } });
      });

      it('[T2] a manager lifts a lock-out with an approval made with her PIN; a cashier, a forged or stale approval, or the manager herself cannot', async () => {
        const t = await TestTablet.enroll(app, 'Unlocker');
        const signIn = (id: string, pin: string) => t.app.inject({ method: 'POST', url: '/api/v1/associates/sign-in', headers: t.auth, payload: { associateId: id, pin } });
        const digest = async (id: string) => (await store.db.selectFrom('associate_pins').select('hash').where('associate_id', '=', id).executeTakeFirstOrThrow()).hash;
        const approval = async (by: string, of: string, at = Date.now()) => ({ by, at, subject: unlockSubject(of), mac: await approvalMac(subtle, await digest(by), { by, deviceId: t.id, at, subject: unlockSubject(of) }) });
        const unlock = async (associateId: string, a: unknown) => t.app.inject({ method: 'POST', url: '/api/v1/associates/unlock', headers: t.auth, payload: { associateId, approval: a } });
        for (const pin of ['0000', '0001', '0002', '0003', '0004']) await signIn(CARLOS, pin);
        expect((await signIn(CARLOS, '2222')).statusCode).toBe(429);

        expect(errorOf(await unlock(CARLOS, await approval(ANA, CARLOS))).code).toBe('not-a-manager');
        expect(errorOf(await unlock(CARLOS, { ...(await approval(MARTA, CARLOS)), mac: 'A'.repeat(43) })).code).toBe('approval-invalid');
        expect(errorOf(await unlock(CARLOS, await approval(MARTA, CARLOS, Date.now() - 10 * 60_000))).code).toBe('approval-expired');
        expect(errorOf(await unlock(CARLOS, await approval(MARTA, ANA))).code).toBe('approval-mismatch');
        expect(errorOf(await unlock(MARTA, await approval(MARTA, MARTA))).code).toBe('own-lock-out');
        expect((await signIn(CARLOS, '2222')).statusCode).toBe(429);

        const ok = await unlock(CARLOS, await approval(MARTA, CARLOS));
        expect(ok.statusCode).toBe(200);
        expect((await signIn(CARLOS, '2222')).statusCode).toBe(200);
      });

      it('[T2][RO3] a manager approval inside a cashier\'s sale is verified against the manager\'s PIN', async () => {
        const t = await TestTablet.enroll(app, 'Approvals');
        const signInAs = async (id: string, pin: string) => (await t.app.inject({ method: 'POST', url: '/api/v1/associates/sign-in', headers: t.auth, payload: { associateId: id, pin } })).json<{ verifier: { hash: string } }>().verifier.hash;
        const martaDigest = await signInAs(MARTA, '1111');
        const carlosDigest = await signInAs(CARLOS, '2222');
        const s = sku();
        const approve = async (digest: string, by: string, subject: unknown) => ({ by, at: 1, subject, mac: await approvalMac(subtle, digest, { by, deviceId: t.id, at: 1, subject }) });
        const subject = { kind: 'discount', pct: 40 };
        const good = t.command('sale.complete', { ...t.salePayload([{ sku: s.stock.sku, qty: 1, unitPrice: s.unitPrice }]), approval: await approve(martaDigest, MARTA, subject) });
        const byCashier = t.command('sale.complete', { ...t.salePayload([{ sku: s.stock.sku, qty: 1, unitPrice: s.unitPrice }]), approval: await approve(carlosDigest, CARLOS, subject) });
        const forged = t.command('sale.complete', { ...t.salePayload([{ sku: s.stock.sku, qty: 1, unitPrice: s.unitPrice }]), approval: { ...(await approve(martaDigest, MARTA, subject)), subject: { kind: 'discount', pct: 90 } } });
        const res = await t.pushOk([good, byCashier, forged]);
        const kinds = res.results.map((r) => (r.status === 'applied' ? r.exceptions.map((e) => e.kind).filter((k) => k === 'unverified-actor') : ['not applied']));
        expect(kinds).toEqual([[], ['unverified-actor'], ['unverified-actor']]);
      });
    });

    describe('[T4] codes and throttling', () => {
      it('[T4] admin codes carry ≥ 128 random bits, work once, and expire after 24 hours', async () => {
        let now = Date.UTC(2026, 0, 1);
        const local = await createTestApp({ store, rollupIntervalMs: 0, clock: { now: () => now } });
        try {
          const make = async () => (await local.inject({ method: 'POST', url: '/api/v1/admin/enrollment-codes', headers: ADMIN, payload: { storeId: 'S02' } })).json<{ code: string; expiresAt: string }>();
          const a = await make();
          expect(a.code.replace(/^S02-/, '').replace(/-/g, '')).toMatch(/^[0-9A-Z]{26}$/); // 26 × 5 = 130 bits
          expect(Date.parse(a.expiresAt) - now).toBe(24 * 3600_000);
          const key = newDeviceKey();
          const first = await rawInject(local, { method: 'POST', url: '/api/v1/devices/enroll', payload: { code: a.code, name: 'S02 till', publicKey: key.publicKey } });
          expect(first.statusCode).toBe(200);
          const other = await rawInject(local, { method: 'POST', url: '/api/v1/devices/enroll', payload: { code: a.code, name: 'Thief', publicKey: newDeviceKey().publicKey } });
          expect(errorOf(other).code).toBe('invalid-enrollment-code');
          const b = await make();
          now += 24 * 3600_000 + 1;
          const late = await rawInject(local, { method: 'POST', url: '/api/v1/devices/enroll', payload: { code: b.code, name: 'Late', publicKey: newDeviceKey().publicKey } });
          expect(late.statusCode).toBe(403);
          expect(errorOf(late).message).toMatch(/expired/);
        } finally {
          await local.close();
        }
      });

      it('[T4] a retried enrollment (answer lost) gets the same device back with a fresh token; the old token dies', async () => {
        const code = (await app.inject({ method: 'POST', url: '/api/v1/admin/enrollment-codes', headers: ADMIN, payload: { storeId: 'S01' } })).json<{ code: string }>().code;
        const key = newDeviceKey();
        const body = { code, name: 'Lost answer', publicKey: key.publicKey };
        const a = (await rawInject(app, { method: 'POST', url: '/api/v1/devices/enroll', payload: body })).json<{ deviceId: string; deviceToken: string }>();
        const b = (await rawInject(app, { method: 'POST', url: '/api/v1/devices/enroll', payload: body })).json<{ deviceId: string; deviceToken: string }>();
        expect(b.deviceId).toBe(a.deviceId);
        expect(b.deviceToken).not.toBe(a.deviceToken);
        const url = '/api/v1/sync/checksum?stream=catalog&at=0';
        const use = (token: string) => rawInject(app, { method: 'GET', url, headers: { authorization: `Bearer ${token}`, ...signatureHeaders(key.privateKey, a.deviceId, 'GET', url, undefined) } });
        expect((await use(b.deviceToken)).statusCode).toBe(200);
        expect(errorOf(await use(a.deviceToken)).code).toBe('device-revoked');
      });

      it('[T4] enrollment guessing and failed authentication are throttled: 429 with Retry-After', async () => {
        const local = await createTestApp({ store, rollupIntervalMs: 0, trust: testTrustConfig({ enrollPerMinute: 10, authFailuresPerMinute: 5 }) });
        try {
          const codes: number[] = [];
          for (let i = 0; i < 12; i++) codes.push((await enroll(local, `S01-GUESS${i}`, 'Guess')).statusCode);
          expect(codes.slice(0, 10).every((c) => c === 403)).toBe(true);
          expect(codes.slice(10)).toEqual([429, 429]);
          const r = await enroll(local, 'S01-GUESS', 'Guess');
          expect(Number(r.headers['retry-after'])).toBeGreaterThan(0);
          expect(errorOf(r).code).toBe('too-many-requests');
          const fails: number[] = [];
          for (let i = 0; i < 7; i++) fails.push((await rawInject(local, { method: 'GET', url: '/api/v1/sync/pull?stream=catalog', headers: { authorization: `Bearer vt_guess${i}` } })).statusCode);
          expect(fails).toEqual([401, 401, 401, 401, 401, 429, 429]);
          // Routes that need no credential keep answering this address.
          expect((await local.inject({ method: 'GET', url: '/api/v1/health' })).statusCode).toBe(200);
        } finally {
          await local.close();
        }
      });

      it('[T4] production mode refuses the demo code, the demo admin credential and the demo PINs', async () => {
        const prod = await createTestApp({ store, rollupIntervalMs: 0, trust: testTrustConfig({ mode: 'production', adminToken: 'a-long-production-admin-secret-0123' }) });
        try {
          const r = await enroll(prod, 'DEMO-S01', 'Demo in prod');
          expect(r.statusCode).toBe(403);
          expect(errorOf(r).code).toBe('demo-code-refused');
          expect((await prod.inject({ method: 'GET', url: '/api/v1/admin/notifications', headers: ADMIN })).statusCode).toBe(401);
          // A device enrolled earlier (on the demo server) signs Marta in with 1111: refused here.
          const t = await TestTablet.enroll(app, 'Moved to prod');
          const s = await prod.inject({ method: 'POST', url: '/api/v1/associates/sign-in', headers: t.auth, payload: { associateId: MARTA, pin: '1111' } });
          expect(s.statusCode).toBe(403);
          expect(errorOf(s).code).toBe('pin-not-allowed');
          expect((await prod.inject({ method: 'GET', url: '/api/v1/health' })).json()).toMatchObject({ mode: 'production' });
        } finally {
          await prod.close();
        }
        expect(() => trustConfig({ VITRINE_MODE: 'production', ADMIN_TOKEN: 'demo-admin-token' })).toThrow(/ADMIN_TOKEN/);
        // A production start on a database that once ran the demo retires its code and web key.
        const other = await backend.open();
        try {
          await seedSmall(other.store);
          expect(await retireDemoSecrets(other.store)).toBe(2);
          expect(await other.store.db.selectFrom('enrollment_codes').selectAll().where('code', '=', 'DEMO-S01').execute()).toEqual([]);
          expect(await other.store.db.selectFrom('api_keys').selectAll().execute()).toEqual([]);
        } finally {
          await other.destroy();
        }
        expect(trustConfig({ VITRINE_MODE: 'production' }).pins.minDigits.manager).toBe(6);
      });
    });

    describe('[T5][D7] admin API and revocation', () => {
      it('[T5] notifications (customers\' contact data) answer only with the admin credential', async () => {
        const anon = await app.inject({ method: 'GET', url: '/api/v1/admin/notifications' });
        expect(anon.statusCode).toBe(401);
        expect(errorOf(anon).code).toBe('admin-credential-required');
        const t = await TestTablet.enroll(app, 'Not admin');
        expect((await app.inject({ method: 'GET', url: '/api/v1/admin/notifications', headers: t.auth })).statusCode).toBe(401);
        expect((await app.inject({ method: 'GET', url: '/api/v1/admin/notifications', headers: ADMIN })).statusCode).toBe(200);
      });

      it('[D7] revoking a device closes its open event stream at once; its export is imported by an admin [D6]', async () => {
        const t = await TestTablet.enroll(app, 'Stolen');
        const address = await app.listen({ port: 0, host: '127.0.0.1' });
        const url = '/api/v1/sync/events';
        const res = await fetch(address + url, { headers: signed(t, 'GET', url) });
        expect(res.status).toBe(200);
        const reader = res.body!.getReader();
        await reader.read(); // ": connected"
        const t0 = Date.now();
        const ended = (async () => {
          for (;;) if ((await reader.read()).done) return Date.now() - t0;
        })();
        const revoke = await app.inject({ method: 'POST', url: `/api/v1/admin/devices/${t.id}/revoke`, headers: ADMIN });
        expect(revoke.statusCode).toBe(200);
        expect(await ended).toBeLessThan(1000);
        const s = sku();
        const unsent = [t.sale([{ sku: s.stock.sku, qty: 1, unitPrice: s.unitPrice }])];
        expect(errorOf(await t.push(unsent)).code).toBe('device-revoked');
        const imported = await app.inject({ method: 'POST', url: '/api/v1/admin/import', headers: ADMIN, payload: { deviceId: t.id, commands: unsent } });
        expect(imported.statusCode).toBe(200);
        expect(imported.json<PushResponse>().results[0]).toMatchObject({ status: 'applied' });
        expect((await app.inject({ method: 'POST', url: '/api/v1/admin/import', payload: { deviceId: t.id, commands: unsent } })).statusCode).toBe(401);
      });
    });

    describe('[T6] hardened edges', () => {
      it('[T6] security headers: CSP without inline script, nosniff, frame-ancestors none, Referrer-Policy', async () => {
        const r = await app.inject({ method: 'GET', url: '/api/v1/health' });
        const csp = String(r.headers['content-security-policy']);
        expect(csp).toContain("default-src 'self'");
        expect(csp).toContain("frame-ancestors 'none'");
        expect(csp).not.toContain('unsafe-inline');
        expect(r.headers['x-content-type-options']).toBe('nosniff');
        expect(r.headers['referrer-policy']).toBe('no-referrer');
      });

      it('[T6] a 20 KB body nested 10,000 deep, a __proto__ key and a wrong media type are clear 400/415s; nothing is stored', async () => {
        const t = await TestTablet.enroll(app, 'Deep');
        const before = await store.db.selectFrom('commands').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
        const deep = `{"deviceId":"${t.id}","commands":[{"id":"0","payload":${'['.repeat(10_000)}${']'.repeat(10_000)}}]}`;
        const r1 = await t.app.inject({ method: 'POST', url: '/api/v1/sync/push', headers: t.auth, payload: deep });
        expect(r1.statusCode).toBe(400);
        expect(errorOf(r1)).toMatchObject({ code: 'invalid-body' });
        expect(errorOf(r1).message).toMatch(/nested more than 32/);
        const proto = `{"deviceId":"${t.id}","commands":[],"__proto__":{"polluted":true}}`;
        const r2 = await t.app.inject({ method: 'POST', url: '/api/v1/sync/push', headers: t.auth, payload: proto });
        expect(r2.statusCode).toBe(400);
        expect(errorOf(r2).message).toMatch(/__proto__/);
        const r3 = await t.app.inject({ method: 'POST', url: '/api/v1/sync/push', headers: { ...t.auth, 'content-type': 'text/plain' }, payload: 'hello' });
        expect(r3.statusCode).toBe(415);
        expect(errorOf(r3).code).toBe('unsupported-media-type');
        const after = await store.db.selectFrom('commands').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
        expect(Number(after.n)).toBe(Number(before.n));
        expect(jsonDepth('{"a":"[[[[","b":[1,[2]]}', 99)).toBe(3);
      });

      it('[T6] framework errors keep the [E1] shape: bad URL, 431, traversal, unknown route', async () => {
        const dir = mkdtempSync(join(tmpdir(), 'vitrine-static-'));
        writeFileSync(join(dir, 'index.html'), '<!doctype html><title>x</title>');
        const web = await createTestApp({ store, rollupIntervalMs: 0, staticDir: dir });
        try {
          const shape = (r: LightMyRequestResponse | { statusCode: number; body: string }) => {
            const body = JSON.parse(r.body) as { error?: { code?: unknown; message?: unknown } };
            expect(typeof body.error?.code).toBe('string');
            expect(String(body.error?.message)).toMatch(/\.$/);
          };
          const badUrl = await web.inject({ method: 'GET', url: '/api/v1/sync/pull?stream=%E0%A4%A' });
          expect([400, 401]).toContain(badUrl.statusCode);
          shape(badUrl);
          const badPath = await web.inject({ method: 'GET', url: '/api/v1/%E0%A4%A' });
          expect(badPath.statusCode).toBe(400);
          shape(badPath);
          // A climb out of the root gets the app shell, never a file; a NUL byte is @fastify/static's 403.
          const climb = await web.inject({ method: 'GET', url: '/assets/..%2f..%2f..%2fetc%2fpasswd' });
          expect(climb.body).toContain('<title>x</title>');
          const nul = await web.inject({ method: 'GET', url: '/index.html%00' });
          expect(nul.statusCode).toBe(403);
          shape(nul);
          const missing = await web.inject({ method: 'GET', url: '/api/v1/nope' });
          expect(missing.statusCode).toBe(404);
          shape(missing);
          const address = await web.listen({ port: 0, host: '127.0.0.1' });
          const { port } = new URL(address);
          const raw = await new Promise<string>((resolve, reject) => {
            const sock = connect(Number(port), '127.0.0.1');
            let out = '';
            sock.on('data', (d) => (out += d.toString()));
            sock.on('end', () => resolve(out));
            sock.on('error', reject);
            sock.write(`GET /api/v1/health HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(40_000)}\r\n\r\n`);
          });
          expect(raw).toMatch(/^HTTP\/1\.1 431/);
          shape({ statusCode: 431, body: raw.slice(raw.indexOf('\r\n\r\n') + 4) });
        } finally {
          await web.close();
        }
      });

      it('[EX1] twenty conflicting re-sends make one seq-conflict exception with a count of 20', async () => {
        const t = await TestTablet.enroll(app, 'Flooder');
        const s = sku();
        await t.pushOk([t.sale([{ sku: s.stock.sku, qty: 1, unitPrice: s.unitPrice }])]);
        for (let i = 0; i < 20; i++) expect((await t.push([t.sale([{ sku: s.stock.sku, qty: 2 + i, unitPrice: s.unitPrice }], { seq: 1 })])).statusCode).toBe(409);
        const conflicts = (await exceptionsOf(t)).filter((e) => e.kind === 'seq-conflict' && (e.details as { deviceId?: string }).deviceId === t.id);
        expect(conflicts).toHaveLength(1);
        expect(conflicts[0]!.details).toMatchObject({ count: 20 });
        expect(conflicts[0]!.message).toMatch(/20 times/);
      });
    });
  });
}

describe('trust at the edge [T1]–[T6]', () => {
  for (const b of backends) trustSuite(b);
});

