// The sync API over HTTP (createApp + app.inject), against SQLite and PostgreSQL: enrollment and tokens
// [A1]–[A3], envelopes and errors [C1]/[E1], exactly-once push [C3]–[C6], per-field customer merge,
// body limits, pokes [P6] and the network availability roll-up [P2].
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { createHash, randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { backends, seedSmall, type Backend, type TestDb } from './helpers/stores';
import { TestTablet, enroll, errorOf, sellable, ANA, CARLOS, MARTA } from './helpers/client';
import { createTestApp } from './helpers/client';
import { rollUpAvailability } from '../src/oms/rollup';
import type { Store } from '../src/store/store';
import type { GeneratedChain } from '../src/seed/generate';
import type { EnrollResponse, Envelope, PullResponse, PushResponse, Poke } from '../../src/core/sync/protocol';
import { stockKey, type AvailabilityRow, type CustomerRow, type ExceptionRow, type StockRow } from '../../src/core/model';
import { MAX_PUSH_BYTES } from '../../src/core/sync/protocol';

function pushSuite(backend: Backend) {
  describe.skipIf(backend.skip)(backend.name, () => {
    let db: TestDb;
    let store: Store;
    let chain: GeneratedChain;
    let app: FastifyInstance;
    /** S01 SKUs with stock, handed out one per test so tests never share a stock row. */
    let pool: ReturnType<typeof sellable>;
    /** A SKU for tests that do not look at stock figures (it may end up oversold). */
    let scratch: ReturnType<typeof sellable>[number];
    const takeSku = (min = 1) => {
      const i = pool.findIndex((p) => p.stock.onHand - p.stock.reserved >= min);
      if (i < 0) throw new Error(`no S01 SKU left with ${min} available`);
      return pool.splice(i, 1)[0]!;
    };

    beforeAll(async () => {
      db = await backend.open();
      store = db.store;
      chain = await seedSmall(store);
      pool = sellable(chain, 1);
      scratch = takeSku();
      app = await createTestApp({ store, rollupIntervalMs: 0 });
    });
    afterAll(async () => {
      await app?.close();
      await db?.destroy();
    });

    const stock = async (sku: string, storeId = 'S01') => (await store.getRow('stock', stockKey(storeId, sku))) as StockRow;
    const commandsOf = (deviceId: string) => store.db.selectFrom('commands').selectAll().where('device_id', '=', deviceId).orderBy('seq').execute();
    const movementsOf = (commandId: string) => store.db.selectFrom('movements').selectAll().where('command_id', '=', commandId).execute();
    const lastSeqOf = async (deviceId: string) =>
      Number((await store.db.selectFrom('devices').select('last_seq').where('id', '=', deviceId).executeTakeFirstOrThrow()).last_seq);
    const rowCount = async (tbl: string, key: string) =>
      Number((await store.db.selectFrom('rows').select((eb) => eb.fn.countAll<number>().as('n')).where('tbl', '=', tbl).where('key', '=', key).executeTakeFirstOrThrow()).n);
    const exceptionsOf = async (t: TestTablet, after = 0) =>
      (await t.pullAll('store:S01', after)).flatMap((c) => ('row' in c && c.table === 'exceptions' ? [c.row as ExceptionRow] : []));

    describe('enrollment and access [A1]–[A3]', () => {
      it('[A1] the demo code DEMO-S01 is reusable: each tablet gets its own id, token and device code', async () => {
        const r1 = await enroll(app, 'DEMO-S01', 'Till 1');
        const r2 = await enroll(app, 'demo-s01', 'Till 2');
        expect(r1.statusCode).toBe(200);
        expect(r2.statusCode).toBe(200);
        const a = r1.json<EnrollResponse>();
        const b = r2.json<EnrollResponse>();
        expect(a).toMatchObject({ storeId: 'S01', streams: ['catalog', 'network', 'customers', 'store:S01', 'chain'] });
        expect(a.deviceCode).toMatch(/^T\d{2}$/);
        expect(a.deviceToken.length).toBeGreaterThanOrEqual(40);
        expect(b.deviceId).not.toBe(a.deviceId);
        expect(b.deviceToken).not.toBe(a.deviceToken);
        expect(b.deviceCode).not.toBe(a.deviceCode);
      });

      it('[A1] a one-time code enrolls one tablet, then answers 403 invalid-enrollment-code', async () => {
        await store.db.insertInto('enrollment_codes').values({ code: 'ONCE-S02-A', store_id: 'S02', reusable: 0, used_by: null, created_at: new Date().toISOString() }).execute();
        const first = await enroll(app, 'once-s02-a', 'Porto till');
        expect(first.statusCode).toBe(200);
        const dev = first.json<EnrollResponse>();
        expect(dev).toMatchObject({ storeId: 'S02', deviceCode: 'T01', streams: ['catalog', 'network', 'customers', 'store:S02', 'chain'] });
        const code = await store.db.selectFrom('enrollment_codes').selectAll().where('code', '=', 'ONCE-S02-A').executeTakeFirstOrThrow();
        expect(code.used_by).toBe(dev.deviceId);

        const second = await enroll(app, 'ONCE-S02-A', 'Another till');
        expect(second.statusCode).toBe(403);
        expect(errorOf(second)).toMatchObject({ code: 'invalid-enrollment-code' });
        expect(errorOf(second).message).toMatch(/^[A-Z].+\.$/);
        expect((await store.db.selectFrom('devices').selectAll().where('store_id', '=', 'S02').execute()).length).toBe(1);
      });

      it('[A1] an unknown code is 403 invalid-enrollment-code; a missing name is 400 invalid-body', async () => {
        const r = await enroll(app, 'NOPE-123', 'Till');
        expect(r.statusCode).toBe(403);
        expect(errorOf(r).code).toBe('invalid-enrollment-code');
        const bad = await app.inject({ method: 'POST', url: '/api/v1/devices/enroll', payload: { code: 'DEMO-S01', name: '  ' } });
        expect(bad.statusCode).toBe(400);
        expect(errorOf(bad)).toMatchObject({ code: 'invalid-body' });
        expect(errorOf(bad).message).toMatch(/name/);
      });

      it('[A1] the server stores only a hash of the device token, never the token itself', async () => {
        const t = await TestTablet.enroll(app, 'Hash check');
        const token = t.enrollment.deviceToken;
        const rows = await store.db.selectFrom('devices').selectAll().execute();
        const dump = JSON.stringify(rows);
        expect(dump).not.toContain(token);
        expect(dump).not.toContain(token.replace(/^vt_/, ''));
        const mine = rows.find((r) => r.id === t.id)!;
        expect(mine.token_hash).toBe(createHash('sha256').update(token).digest('hex'));
        expect(mine.token_hash).not.toBe(token);
      });

      // BUG (app.ts, POST /api/v1/devices/enroll, PostgreSQL): the code row is read without a lock
      // (no SELECT … FOR UPDATE, no conditional UPDATE … WHERE used_by IS NULL), so concurrent
      // enrollments under READ COMMITTED all see the one-time code unused and all succeed.
      const enrollRace = it;
      enrollRace('[A1] concurrent enrollments with one one-time code enroll exactly one tablet', async () => {
        await store.db.insertInto('enrollment_codes').values({ code: 'ONCE-S03-RACE', store_id: 'S03', reusable: 0, used_by: null, created_at: new Date().toISOString() }).execute();
        const rs = await Promise.all(Array.from({ length: 10 }, (_, i) => enroll(app, 'ONCE-S03-RACE', `Milano ${i}`)));
        expect(rs.map((r) => r.statusCode).sort()).toEqual([200, ...Array<number>(9).fill(403)]);
        expect((await store.db.selectFrom('devices').selectAll().where('store_id', '=', 'S03').execute()).length).toBe(1);
      });

      // BUG (app.ts, enroll): deviceCode = count(devices of the store) + 1, computed without a lock
      // or a unique constraint on (store_id, device_code): concurrent enrollments on PostgreSQL get the
      // same code, and then print colliding receipt numbers (<store>-<device>-<n>).
      enrollRace('[A1] concurrent enrollments at one store get distinct device codes', async () => {
        const rs = await Promise.all(Array.from({ length: 10 }, (_, i) => enroll(app, 'DEMO-S01', `Rush ${i}`)));
        expect(rs.every((r) => r.statusCode === 200)).toBe(true);
        const codes = rs.map((r) => r.json<EnrollResponse>().deviceCode);
        expect(new Set(codes).size).toBe(codes.length);
        const all = await store.db.selectFrom('devices').select('device_code').where('store_id', '=', 'S01').execute();
        expect(new Set(all.map((d) => d.device_code)).size).toBe(all.length);
      });

      it('[A2] an unknown token is 401 device-revoked on push, pull and checksum', async () => {
        const headers = { authorization: 'Bearer vt_not-a-real-token' };
        const push = await app.inject({ method: 'POST', url: '/api/v1/sync/push', headers, payload: { deviceId: 'x', commands: [] } });
        const pull = await app.inject({ method: 'GET', url: '/api/v1/sync/pull?stream=catalog', headers });
        const sum = await app.inject({ method: 'GET', url: '/api/v1/sync/checksum?stream=catalog&at=0', headers });
        for (const r of [push, pull, sum]) {
          expect(r.statusCode).toBe(401);
          expect(errorOf(r).code).toBe('device-revoked');
        }
        const none = await app.inject({ method: 'GET', url: '/api/v1/sync/pull?stream=catalog' });
        expect(none.statusCode).toBe(401);
      });

      it('[A2] a revoked device is 401 device-revoked and its commands are not applied', async () => {
        const t = await TestTablet.enroll(app, 'Soon revoked');
        expect((await t.pull('catalog', 0, 1)).statusCode).toBe(200);
        await store.db.updateTable('devices').set({ revoked: 1 }).where('id', '=', t.id).execute();
        const { stock: s, unitPrice } = takeSku();
        const before = (await stock(s.sku)).onHand;
        const r = await t.push([t.sale([{ sku: s.sku, qty: 1, unitPrice }])]);
        expect(r.statusCode).toBe(401);
        expect(errorOf(r)).toMatchObject({ code: 'device-revoked' });
        expect((await t.pull('catalog')).statusCode).toBe(401);
        expect((await stock(s.sku)).onHand).toBe(before);
        expect(await commandsOf(t.id)).toHaveLength(0);
      });

      it('[A3] a tablet pulls its own store, catalog, network and customers, but another store is 403 out-of-scope', async () => {
        const t = await TestTablet.enroll(app, 'Scope');
        for (const s of ['catalog', 'network', 'customers', 'store:S01', 'chain']) expect((await t.pull(s, 0, 1)).statusCode).toBe(200);
        const other = await t.pull('store:S02');
        expect(other.statusCode).toBe(403);
        expect(errorOf(other).code).toBe('out-of-scope');
        expect(errorOf(other).message).toContain('store:S02');
        const sum = await app.inject({ method: 'GET', url: '/api/v1/sync/checksum?stream=store:S02&at=0', headers: t.auth });
        expect(sum.statusCode).toBe(403);
        expect(errorOf(sum).code).toBe('out-of-scope');
      });

      it('[A3] a sale naming another store is rejected out-of-scope and does not block the commands behind it', async () => {
        const t = await TestTablet.enroll(app, 'Scope sale');
        const { stock: s, unitPrice } = takeSku();
        const s02 = sellable(chain, 1, 'S02')[0]!;
        const s02Before = (await stock(s02.stock.sku, 'S02')).onHand;
        const before = (await stock(s.sku)).onHand;
        const foreign = t.sale([{ sku: s02.stock.sku, qty: 1, unitPrice: s02.unitPrice }], { storeId: 'S02' });
        const ok = t.sale([{ sku: s.sku, qty: 1, unitPrice }]);
        const res = await t.pushOk([foreign, ok]);
        expect(res.results.map((r) => r.status)).toEqual(['rejected', 'applied']);
        expect(res.results[0]).toMatchObject({ status: 'rejected', error: { code: 'out-of-scope' } });
        expect(res.lastSeq).toBe(2);
        expect((await stock(s02.stock.sku, 'S02')).onHand).toBe(s02Before);
        expect((await stock(s.sku)).onHand).toBe(before - 1);
      });

      it('[A3] a push in another device\'s name is 403 out-of-scope', async () => {
        const t = await TestTablet.enroll(app, 'Impostor');
        const victim = await TestTablet.enroll(app, 'Victim');
        const r = await t.push([], victim.id);
        expect(r.statusCode).toBe(403);
        expect(errorOf(r).code).toBe('out-of-scope');
      });

      // BUG (apply/push.ts, pushCommands): the per-command `env.deviceId !== device.id` check runs
      // inside the apply loop, after the earlier commands of the batch were committed; the 403 then
      // hides their results. Validate every envelope's deviceId before applying anything.
      it('[A3] a push smuggling another device\'s command is refused as a whole, with nothing applied', async () => {
        const t = await TestTablet.enroll(app, 'Smuggler');
        const victim = await TestTablet.enroll(app, 'Smuggled');
        const { stock: s, unitPrice } = takeSku();
        const before = (await stock(s.sku)).onHand;
        const mine = t.sale([{ sku: s.sku, qty: 1, unitPrice }]);
        const theirs = { ...victim.sale([{ sku: s.sku, qty: 1, unitPrice }]), seq: 2 };
        const r = await t.push([mine, theirs]);
        expect(r.statusCode).toBe(403);
        expect(errorOf(r).code).toBe('out-of-scope');
        expect((await stock(s.sku)).onHand).toBe(before);
        expect(await commandsOf(t.id)).toHaveLength(0);
      });

      it('[A4] an actor from another store is rejected unknown-actor', async () => {
        const t = await TestTablet.enroll(app, 'Foreign actor');
        const { stock: s, unitPrice } = scratch;
        const res = await t.pushOk([t.sale([{ sku: s.sku, qty: 1, unitPrice }], { actor: 'A-S02-1' })]);
        expect(res.results[0]).toMatchObject({ status: 'rejected', error: { code: 'unknown-actor' } });
      });
    });

    describe('envelopes and errors [C1]/[E1]', () => {
      let t: TestTablet;
      let sku: { sku: string; unitPrice: number };
      beforeAll(async () => {
        t = await TestTablet.enroll(app, 'Envelopes');
        sku = { sku: scratch.stock.sku, unitPrice: scratch.unitPrice };
      });
      const valid = (): Envelope => ({ ...t.sale([{ sku: sku.sku, qty: 1, unitPrice: sku.unitPrice }], { seq: 1 }) });
      const cases: [string, (e: Envelope) => unknown][] = [
        ['a missing id', (e) => ({ ...e, id: undefined })],
        ['an id that is not a UUID', (e) => ({ ...e, id: 'cmd-1' })],
        ['seq 0', (e) => ({ ...e, seq: 0 })],
        ['a fractional seq', (e) => ({ ...e, seq: 1.5 })],
        ['a seq given as a string', (e) => ({ ...e, seq: '1' })],
        ['a malformed type', (e) => ({ ...e, type: 'Sale Complete' })],
        ['a version that is not a positive integer', (e) => ({ ...e, v: 0 })],
        ['an `at` that is not an HLC', (e) => ({ ...e, at: '2025-06-02T09:00:00Z' })],
        ['an empty actor', (e) => ({ ...e, actor: '' })],
      ];
      const nothingStored = async () => {
        expect(await commandsOf(t.id)).toHaveLength(0);
        expect(await lastSeqOf(t.id)).toBe(0);
      };

      for (const [name, mutate] of cases) {
        it(`[C1] an envelope with ${name} is 400 invalid-body with a sentence, and nothing is stored`, async () => {
          const v0 = await store.streamVersion('store:S01');
          // A valid command first: a bad envelope anywhere refuses the whole push.
          const r = await t.push([valid(), mutate({ ...valid(), seq: 2 })]);
          expect(r.statusCode).toBe(400);
          const err = errorOf(r);
          expect(err.code).toBe('invalid-body');
          expect(err.message).toMatch(/^Invalid push: commands\.1\.\S+.* .+\.$/);
          await nothingStored();
          expect(await store.streamVersion('store:S01')).toBe(v0);
        });
      }

      it('[E1] a body that is not a push (no commands array, bad JSON) is 400 invalid-body', async () => {
        const noArray = await app.inject({ method: 'POST', url: '/api/v1/sync/push', headers: t.auth, payload: { deviceId: t.id, commands: 'all of them' } });
        expect(noArray.statusCode).toBe(400);
        expect(errorOf(noArray)).toMatchObject({ code: 'invalid-body' });
        expect(errorOf(noArray).message).toMatch(/^Invalid push: commands: .+\.$/);
        const badJson = await app.inject({ method: 'POST', url: '/api/v1/sync/push', headers: { ...t.auth, 'content-type': 'application/json' }, payload: '{"deviceId":' });
        expect(badJson.statusCode).toBe(400);
        expect(errorOf(badJson).code).toBe('invalid-body');
        await nothingStored();
      });

      it('[C3] more than 500 commands in one push is 400 invalid-body, nothing stored', async () => {
        const many = Array.from({ length: 501 }, (_, i) => ({ ...valid(), id: randomUUID(), seq: i + 1 }));
        const r = await t.push(many);
        expect(r.statusCode).toBe(400);
        expect(errorOf(r).code).toBe('invalid-body');
        expect(errorOf(r).message).toContain('500');
        await nothingStored();
      });

      it('[E1] a pull with a bad stream name or limit is 400 invalid-body', async () => {
        for (const q of ['stream=everything', 'stream=catalog&limit=0', 'stream=catalog&limit=100000', 'stream=catalog&after=-1']) {
          const r = await app.inject({ method: 'GET', url: `/api/v1/sync/pull?${q}`, headers: t.auth });
          expect(r.statusCode, q).toBe(400);
          expect(errorOf(r).code).toBe('invalid-body');
          expect(errorOf(r).message).toMatch(/^Invalid pull query: .+\.$/);
        }
      });

      it('[C1] after all those refusals, seq 1 is still the one the server expects', async () => {
        const res = await t.pushOk([valid()]);
        expect(res.results).toMatchObject([{ seq: 1, status: 'applied' }]);
      });
    });

    describe('exactly-once push [C3]', () => {
      it('[C3] a replayed push returns the stored result and changes nothing', async () => {
        const t = await TestTablet.enroll(app, 'Replay');
        const { stock: s, unitPrice } = takeSku(2);
        const customer = chain.customers[0]!;
        const before = (await stock(s.sku)).onHand;
        const pointsBefore = (await store.getRow('customers', customer.id))!.points;
        const cmd = t.sale([{ sku: s.sku, qty: 2, unitPrice }], { customerId: customer.id });
        const first = await t.pushOk([cmd]);
        expect(first.results).toHaveLength(1);
        const applied = first.results[0]!;
        expect(applied).toMatchObject({ seq: 1, id: cmd.id, status: 'applied', summary: { total: 2 * unitPrice } });
        const pointsAfter = (await store.getRow('customers', customer.id))!.points;
        expect(pointsAfter).toBeGreaterThan(pointsBefore);

        const again = await t.pushOk([cmd]);
        const third = await t.pushOk([cmd]);
        for (const r of [again, third]) {
          expect(r.lastSeq).toBe(1);
          expect(r.results).toEqual([
            { seq: 1, id: cmd.id, status: 'duplicate', result: { status: 'applied', summary: (applied as { summary: unknown }).summary, exceptions: [] } },
          ]);
        }
        expect((await stock(s.sku)).onHand).toBe(before - 2);
        expect(await movementsOf(cmd.id)).toHaveLength(1);
        expect(await rowCount('sales', (cmd.payload as { saleId: string }).saleId)).toBe(1);
        const ledger = await store.db.selectFrom('ledger').selectAll().where('command_id', '=', cmd.id).execute();
        expect(ledger.map((l) => [l.id, l.account, Number(l.amount)])).toEqual([[`${cmd.id}:earn`, `points:${customer.id}`, pointsAfter - pointsBefore]]);
        expect((await store.getRow('customers', customer.id))!.points).toBe(pointsAfter);
        expect(await commandsOf(t.id)).toHaveLength(1);
      });

      it('[C3] a resend after a lost response: old commands come back duplicate, new ones apply', async () => {
        const t = await TestTablet.enroll(app, 'Resend');
        const { stock: s, unitPrice } = takeSku(3);
        const before = (await stock(s.sku)).onHand;
        const c1 = t.sale([{ sku: s.sku, qty: 1, unitPrice }]);
        const c2 = t.sale([{ sku: s.sku, qty: 1, unitPrice }]);
        await t.pushOk([c1, c2]);
        const c3 = t.sale([{ sku: s.sku, qty: 1, unitPrice }]);
        const res = await t.pushOk([c1, c2, c3]);
        expect(res.results.map((r) => [r.seq, r.status])).toEqual([
          [1, 'duplicate'],
          [2, 'duplicate'],
          [3, 'applied'],
        ]);
        expect(res.lastSeq).toBe(3);
        expect((await stock(s.sku)).onHand).toBe(before - 3);
      });

      it('[C3] commands are applied in seq order whatever their order in the batch', async () => {
        const t = await TestTablet.enroll(app, 'Shuffled');
        const { stock: s, unitPrice } = scratch;
        const cmds = [1, 2, 3].map(() => t.sale([{ sku: s.sku, qty: 1, unitPrice }]));
        const res = await t.pushOk([cmds[2], cmds[0], cmds[1]]);
        expect(res.results.map((r) => [r.seq, r.id, r.status])).toEqual(cmds.map((c) => [c.seq, c.id, 'applied']));
        expect((await commandsOf(t.id)).map((c) => [Number(c.seq), c.id])).toEqual(cmds.map((c) => [c.seq, c.id]));
      });

      it('[C3] two tabs pushing the same batch at once apply it exactly once', async () => {
        const t = await TestTablet.enroll(app, 'Two tabs');
        const { stock: s, unitPrice } = takeSku(2);
        const before = (await stock(s.sku)).onHand;
        const cmds = [t.sale([{ sku: s.sku, qty: 1, unitPrice }]), t.sale([{ sku: s.sku, qty: 1, unitPrice }])];
        const [a, b] = await Promise.all([t.push(cmds), t.push(cmds)]);
        expect([a.statusCode, b.statusCode]).toEqual([200, 200]);
        const statuses = [...a.json<PushResponse>().results, ...b.json<PushResponse>().results].map((r) => r.status).sort();
        expect(statuses).toEqual(['applied', 'applied', 'duplicate', 'duplicate']);
        expect((await stock(s.sku)).onHand).toBe(before - 2);
        expect(await commandsOf(t.id)).toHaveLength(2);
      });

      it('[C3] the same seq with a different payload is 409 seq-conflict, raises an exception and changes nothing', async () => {
        const t = await TestTablet.enroll(app, 'Conflict');
        const { stock: s, unitPrice } = takeSku(3);
        const original = t.sale([{ sku: s.sku, qty: 1, unitPrice }]);
        await t.pushOk([original]);
        const afterFirst = (await stock(s.sku)).onHand;
        const v0 = await store.streamVersion('store:S01');
        const impostor = t.sale([{ sku: s.sku, qty: 2, unitPrice }], { seq: 1 });
        const r = await t.push([impostor]);
        expect(r.statusCode).toBe(409);
        expect(errorOf(r)).toMatchObject({ code: 'seq-conflict', details: { seq: 1 } });
        expect(errorOf(r).message).toMatch(/^Command 1 .+\.$/);
        expect((await stock(s.sku)).onHand).toBe(afterFirst);
        expect(await commandsOf(t.id)).toHaveLength(1);
        const raised = (await exceptionsOf(t, v0)).filter((e) => e.kind === 'seq-conflict');
        expect(raised).toHaveLength(1);
        expect(raised[0]).toMatchObject({ storeId: 'S01', details: { deviceId: t.id, seq: 1, commandId: impostor.id } });
        // The original content still replays as a duplicate.
        const replay = await t.pushOk([original]);
        expect(replay.results[0]).toMatchObject({ status: 'duplicate' });
        // The alarm does not wedge the device: the next seq applies.
        const next = await t.pushOk([t.sale([{ sku: s.sku, qty: 1, unitPrice }], { seq: 2 })]);
        expect(next.results[0]).toMatchObject({ seq: 2, status: 'applied' });
      });

      it('[C3] a gap stops the push and answers the expected seq; nothing after the gap is stored', async () => {
        const t = await TestTablet.enroll(app, 'Gappy');
        const { stock: s, unitPrice } = takeSku(4);
        const before = (await stock(s.sku)).onHand;
        const c = [1, 2, 3, 4, 5].map(() => t.sale([{ sku: s.sku, qty: 1, unitPrice }]));
        await t.pushOk([c[0]]);
        const jump = await t.pushOk([c[2], c[3]]);
        expect(jump).toEqual({ results: [], gap: { expectedSeq: 2 }, lastSeq: 1 });
        // A hole in the middle of a batch: what comes before the hole applies, the rest waits.
        const partial = await t.pushOk([c[1], c[2], c[4]]);
        expect(partial.results.map((r) => [r.seq, r.status])).toEqual([
          [2, 'applied'],
          [3, 'applied'],
        ]);
        expect(partial.gap).toEqual({ expectedSeq: 4 });
        expect(partial.lastSeq).toBe(3);
        expect((await commandsOf(t.id)).map((x) => Number(x.seq))).toEqual([1, 2, 3]);
        expect((await stock(s.sku)).onHand).toBe(before - 3);
        const rest = await t.pushOk([c[3], c[4]]);
        expect(rest.results.map((r) => r.status)).toEqual(['applied', 'applied']);
        expect(rest.gap).toBeUndefined();
      });
    });

    describe('results and exceptions [C4]–[C6]', () => {
      it('[C4] a rejected command (an associate completing a sale) is recorded, never blocks, and replays as a rejected duplicate', async () => {
        const t = await TestTablet.enroll(app, 'Ana till');
        const { stock: s, unitPrice } = takeSku(2);
        const before = (await stock(s.sku)).onHand;
        const v0 = await store.streamVersion('store:S01');
        const byAna = t.sale([{ sku: s.sku, qty: 1, unitPrice }], { actor: ANA });
        const byCarlos = t.sale([{ sku: s.sku, qty: 1, unitPrice }], { actor: CARLOS });
        const res = await t.pushOk([byAna, byCarlos]);
        expect(res.results).toHaveLength(2);
        expect(res.results[0]).toMatchObject({ seq: 1, status: 'rejected', error: { code: 'forbidden' } });
        const rejected = res.results[0] as { error: { code: string; message: string } };
        expect(rejected.error.message).toMatch(/Ana .*associate.* sale\.complete/);
        expect(res.results[1]).toMatchObject({ seq: 2, status: 'applied' });
        expect((await stock(s.sku)).onHand).toBe(before - 1);
        expect(await rowCount('sales', (byAna.payload as { saleId: string }).saleId)).toBe(0);
        expect((await commandsOf(t.id)).map((c) => [Number(c.seq), c.status])).toEqual([
          [1, 'rejected'],
          [2, 'applied'],
        ]);
        const raised = (await exceptionsOf(t, v0)).filter((e) => e.kind === 'rejected-command');
        expect(raised).toHaveLength(1);
        expect(raised[0]).toMatchObject({ id: `rejected:${t.id}:${byAna.seq}`, commandId: byAna.id, details: { code: 'forbidden', seq: 1, deviceId: t.id } });

        const replay = await t.pushOk([byAna, byCarlos]);
        expect(replay.results[0]).toEqual({ seq: 1, id: byAna.id, status: 'duplicate', result: { status: 'rejected', error: rejected.error } });
        expect(replay.results[1]).toMatchObject({ seq: 2, status: 'duplicate', result: { status: 'applied' } });
        expect((await stock(s.sku)).onHand).toBe(before - 1);
      });

      it('[C4] an unknown SKU and an invalid payload are rejected with their codes, and the next command applies', async () => {
        const t = await TestTablet.enroll(app, 'Typos');
        const { stock: s, unitPrice } = takeSku();
        const before = (await stock(s.sku)).onHand;
        const unknown = t.sale([{ sku: 'VT-00000-XX-0', qty: 1, unitPrice: 100 }]);
        const noLines = t.command('sale.complete', { ...t.salePayload([{ sku: s.sku, qty: 1, unitPrice }]), lines: [] });
        const good = t.sale([{ sku: s.sku, qty: 1, unitPrice }], { actor: MARTA });
        const res = await t.pushOk([unknown, noLines, good]);
        expect(res.results.map((r) => r.status)).toEqual(['rejected', 'rejected', 'applied']);
        expect(res.results[0]).toMatchObject({ error: { code: 'unknown-sku' } });
        expect(res.results[1]).toMatchObject({ error: { code: 'invalid-payload' } });
        expect((res.results[1] as { error: { message: string } }).error.message).toContain('at least one line');
        expect(await store.getRow('stock', stockKey('S01', 'VT-00000-XX-0'))).toBeUndefined();
        expect((await stock(s.sku)).onHand).toBe(before - 1);
        expect(await lastSeqOf(t.id)).toBe(3);
      });

      // BUG (apply/push.ts applyOne → StoreTx.recordCommand): commands.id is UNIQUE, so a command that
      // reuses an earlier command's id under a new seq (an outbox re-enqueue after a migration or
      // restore) makes the INSERT fail with a constraint error. It is not a DomainError, so the
      // transaction aborts and the push answers 500 on every retry: the device's queue is wedged
      // forever, which [C4] forbids. Look the id up first and answer `duplicate` (same device and
      // hash) or record a rejection under the new seq (e.g. code `duplicate-command-id`).
      it('[C4] a command reusing an earlier command id under a new seq does not wedge the queue', async () => {
        const t = await TestTablet.enroll(app, 'Re-enqueue');
        const { stock: s, unitPrice } = scratch;
        const first = t.sale([{ sku: s.sku, qty: 1, unitPrice }]);
        await t.pushOk([first]);
        const reused = { ...t.sale([{ sku: s.sku, qty: 1, unitPrice }]), id: first.id };
        const next = t.sale([{ sku: s.sku, qty: 1, unitPrice }]);
        const r = await t.push([reused, next]);
        expect(r.statusCode).toBe(200);
        const res = r.json<PushResponse>();
        expect(res.results.map((x) => x.seq)).toEqual([2, 3]);
        expect(res.results[1]).toMatchObject({ status: 'applied' });
      });

      it('[C5] selling more than on hand is applied, stock goes negative and an oversold exception is raised', async () => {
        const t = await TestTablet.enroll(app, 'Oversell');
        const { stock: s, unitPrice } = takeSku();
        const before = (await stock(s.sku)).onHand;
        const qty = before + 2;
        const v0 = await store.streamVersion('store:S01');
        const cmd = t.sale([{ sku: s.sku, qty, unitPrice }]);
        const res = await t.pushOk([cmd]);
        expect(res.results[0]).toMatchObject({ status: 'applied', exceptions: [{ kind: 'oversold', id: `${cmd.id}:oversold:${s.sku}` }] });
        expect((await stock(s.sku)).onHand).toBe(-2);
        expect(await movementsOf(cmd.id)).toMatchObject([{ sku: s.sku, qty: -qty, kind: 'sale' }]);
        const raised = (await exceptionsOf(t, v0)).filter((e) => e.kind === 'oversold');
        expect(raised).toHaveLength(1);
        expect(raised[0]).toMatchObject({ commandId: cmd.id, storeId: 'S01', details: { sku: s.sku, onHandBefore: before, qty } });
      });

      it('[C6] a command version or type the server does not know yet is not judged: 503 server-too-old, nothing recorded, retried later', async () => {
        const t = await TestTablet.enroll(app, 'Future');
        const { stock: s, unitPrice } = scratch;
        const ok = t.sale([{ sku: s.sku, qty: 1, unitPrice }]);
        const future = t.command('sale.complete', t.salePayload([{ sku: s.sku, qty: 1, unitPrice }]), { v: 99 });
        const res = await t.push([ok, future]);
        expect(res.statusCode).toBe(503);
        expect(res.json()).toMatchObject({ error: { code: 'server-too-old', message: 'sale.complete version 99 is not one this server accepts (it knows 1, 2).' } });
        // The command before it was applied and is answered as a duplicate on the retry; the unknown
        // one was not recorded, so an updated server will still apply it.
        const again = await t.push([ok, future]);
        expect(again.statusCode).toBe(503);
        const t2 = await TestTablet.enroll(app, 'Future 2');
        const unknownType = t2.command('sale.teleport', { saleId: randomUUID() });
        const r3 = await t2.push([unknownType]);
        expect(r3.statusCode).toBe(503);
        expect(r3.json()).toMatchObject({ error: { code: 'server-too-old' } });
        expect((r3.json() as { error: { message: string } }).error.message).toContain('sale.teleport');
      });
    });

    describe('bounds [T3]', () => {
      it('[T3] a sale whose total passes the largest amount is rejected amount-too-large, never a server fault, and the queue moves on', async () => {
        const t = await TestTablet.enroll(app, 'Huge sale');
        const huge = t.sale([{ sku: scratch.stock.sku, qty: 200, unitPrice: 1e9 }]); // each within its bound, the total (2e11) beyond
        const next = t.command('customer.update', { customerId: chain.customers[0]!.id, changes: { tier: 'gold' } });
        const res = await t.pushOk([huge, next]);
        expect(res.results[0]).toMatchObject({ status: 'rejected', error: { code: 'amount-too-large' } });
        expect((res.results[0] as { error: { message: string } }).error.message).toMatch(/^An amount of .+ is beyond the largest this system handles/);
        expect(res.results[1]).toMatchObject({ status: 'applied' });
      });

      it('[T3] ids and texts in customer, note and exception commands are bounded: an oversized one is rejected invalid-payload', async () => {
        const t = await TestTablet.enroll(app, 'Long strings');
        const long = 'C'.repeat(10_000);
        const res = await t.pushOk([
          t.command('note.add', { noteId: randomUUID(), customerId: long, text: 'hello' }),
          t.command('customer.update', { customerId: long, changes: { firstName: 'A' } }),
          t.command('customer.update', { customerId: chain.customers[0]!.id, changes: { email: `${'a'.repeat(300)}@example.com` } }),
          t.command('exception.resolve', { exceptionId: long, storeId: 'S01', note: 'done' }, { actor: MARTA }),
        ]);
        expect(res.results.map((r) => (r.status === 'rejected' ? r.error.code : r.status))).toEqual(['invalid-payload', 'invalid-payload', 'invalid-payload', 'invalid-payload']);
        expect(await store.getRow('customers', long)).toBeUndefined();
      });
    });

    describe('customer profiles merge per field', () => {
      const W = Date.UTC(2025, 5, 3, 10, 0, 0);
      async function scenario(customerId: string, order: 'AB' | 'BA') {
        const a = await TestTablet.enroll(app, `Merge A ${order}`);
        const b = await TestTablet.enroll(app, `Merge B ${order}`);
        const upd = (t: TestTablet, changes: Record<string, string>, wall: number, actor: string) =>
          t.command('customer.update', { customerId, changes }, { actor, at: { wall } });
        const fromA = [upd(a, { firstName: 'Alpha' }, W + 20, ANA), upd(a, { email: 'alpha@example.com' }, W + 10, ANA)];
        const fromB = [upd(b, { firstName: 'Bravo' }, W + 10, CARLOS), upd(b, { email: 'bravo@example.com' }, W + 20, CARLOS)];
        const pushes = order === 'AB' ? [() => a.pushOk(fromA), () => b.pushOk(fromB)] : [() => b.pushOk(fromB), () => a.pushOk(fromA)];
        for (const p of pushes) expect((await p()).results.map((r) => r.status)).toEqual(['applied', 'applied']);
        return { row: (await store.getRow('customers', customerId))!, winFirst: fromA[0]!.at, winEmail: fromB[1]!.at };
      }

      it('customer.update merges each field by HLC, last writer wins, whatever order the devices sync in', async () => {
        const [c1, c2] = [chain.customers[1]!, chain.customers[2]!];
        const ab = await scenario(c1.id, 'AB');
        const ba = await scenario(c2.id, 'BA');
        for (const [{ row, winFirst, winEmail }, seeded] of [
          [ab, c1],
          [ba, c2],
        ] as const) {
          expect(row.firstName).toBe('Alpha');
          expect(row.email).toBe('bravo@example.com');
          expect(row.clock.firstName).toBe(winFirst);
          expect(row.clock.email).toBe(winEmail);
          expect(row.lastName).toBe(seeded.lastName);
          expect(row.points).toBe(seeded.points);
        }
      });

      it('customer.update of an unknown customer creates the profile at the device\'s store', async () => {
        const t = await TestTablet.enroll(app, 'New customer');
        const id = `C-NEW-${randomUUID().slice(0, 8)}`;
        const res = await t.pushOk([t.command('customer.update', { customerId: id, changes: { firstName: 'Nova', phone: '+351 912 345 678' } }, { actor: ANA })]);
        expect(res.results[0]).toMatchObject({ status: 'applied' });
        const pulled = (await t.pullAll('customers')).find((c) => c.key === id);
        expect(pulled && 'row' in pulled ? (pulled.row as CustomerRow) : undefined).toMatchObject({ id, firstName: 'Nova', homeStoreId: 'S01', points: 0 });
      });
    });

    describe('limits, pokes and availability', () => {
      it('[C3] a push body far over 1 MiB is 413 body-too-large, nothing stored', async () => {
        const t = await TestTablet.enroll(app, 'Huge');
        const r = await app.inject({ method: 'POST', url: '/api/v1/sync/push', headers: t.auth, payload: { deviceId: t.id, commands: [], pad: 'x'.repeat(2 * MAX_PUSH_BYTES) } });
        expect(r.statusCode).toBe(413);
        expect(errorOf(r)).toMatchObject({ code: 'body-too-large' });
        expect(errorOf(r).message).toMatch(/^The request is larger than .+\.$/);
        expect(await commandsOf(t.id)).toHaveLength(0);
      });

      // Spec mismatch (app.ts, createApp): bodyLimit is MAX_PUSH_BYTES + 64 KiB, so a push body up to
      // 1.0625 MiB is accepted although [C3] says "at most 1 MiB". Either set bodyLimit to
      // MAX_PUSH_BYTES or document the allowance for the envelope in the protocol.
      it('[C3] a push body just over 1 MiB is 413 body-too-large', async () => {
        const t = await TestTablet.enroll(app, 'Just over');
        const r = await app.inject({ method: 'POST', url: '/api/v1/sync/push', headers: t.auth, payload: { deviceId: t.id, commands: [], pad: 'x'.repeat(MAX_PUSH_BYTES + 1024) } });
        expect(r.statusCode).toBe(413);
      });

      it('[P6] a push pokes listeners with the store stream and its new version after commit', async () => {
        const t = await TestTablet.enroll(app, 'Poker');
        const { stock: s, unitPrice } = scratch;
        const pokes: Poke[] = [];
        const off = store.onPoke((p) => pokes.push(p));
        try {
          await t.pushOk([t.sale([{ sku: s.sku, qty: 1, unitPrice }])]);
          const v = await store.streamVersion('store:S01');
          const deadline = Date.now() + 2000;
          while (!pokes.some((p) => p.stream === 'store:S01' && p.version === v) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
          expect(pokes).toContainEqual({ stream: 'store:S01', version: v });
          expect(pokes.some((p) => p.stream === 'network')).toBe(false);
        } finally {
          off();
        }
      });

      it('[P2] a push leaves the network stream alone; the roll-up publishes on hand − reserved for the SKUs that moved', async () => {
        const t = await TestTablet.enroll(app, 'Roll-up');
        const { stock: s, unitPrice } = takeSku(2);
        await rollUpAvailability(store, Date.now()); // start from a clean slate
        const n0 = await store.streamVersion('network');
        await t.pushOk([t.sale([{ sku: s.sku, qty: 2, unitPrice }])]);
        expect(await store.streamVersion('network')).toBe(n0);
        const dirty = await store.db.selectFrom('dirty_skus').select('sku').execute();
        expect(dirty.map((d) => d.sku)).toEqual([s.sku]);

        const now = Date.UTC(2025, 5, 2, 12, 0, 0);
        expect(await rollUpAvailability(store, now)).toBe(1);
        const page = (await t.pull('network', n0)).json<PullResponse>();
        expect(page.changes).toHaveLength(1);
        const row = (page.changes[0] as { row: AvailabilityRow }).row;
        const sNow = await stock(s.sku);
        // One row for the product, holding every variant's figures [P1].
        const product = chain.products.find((p) => p.variants.some((v) => v.sku === s.sku))!;
        expect(row).toMatchObject({ productId: product.id, at: now });
        expect(Object.keys(row.by).sort()).toEqual(product.variants.map((v) => v.sku).sort());
        expect(row.by[s.sku]!.S01).toBe(sNow.onHand - sNow.reserved);
        expect(await store.db.selectFrom('dirty_skus').selectAll().execute()).toHaveLength(0);
        // Nothing moved since: the next run publishes nothing.
        expect(await rollUpAvailability(store, now + 5000)).toBe(0);
        expect(await store.streamVersion('network')).toBe(page.version);
      });

      it('[P1] every published availability figure is on hand − reserved of its stock row', async () => {
        await rollUpAvailability(store, Date.now());
        const t = await TestTablet.enroll(app, 'Availability');
        const rows = (await t.pullAll('network')).flatMap((c) => ('row' in c && c.table === 'productAvailability' ? [c.row as AvailabilityRow] : []));
        expect(rows).toHaveLength(chain.products.length);
        const stockRows = await store.db.selectFrom('rows').select('data').where('tbl', '=', 'stock').execute();
        const expected = new Map<string, Record<string, number>>();
        let reservedSeen = 0;
        for (const r of stockRows) {
          const s = JSON.parse(r.data!) as StockRow;
          if (s.reserved > 0) reservedSeen++;
          expected.set(s.sku, { ...(expected.get(s.sku) ?? {}), [s.locationId]: s.onHand - s.reserved });
        }
        expect(reservedSeen).toBeGreaterThan(0); // the seeded pickup orders hold reservations
        for (const a of rows) for (const [sku, by] of Object.entries(a.by)) expect(by, sku).toEqual(expected.get(sku) ?? {});
      });
    });
  });
}

for (const backend of backends) pushSuite(backend);
