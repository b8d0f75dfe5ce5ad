// The web shop's channel API on both backends [W1][W2][W3][O1]: placing orders (idempotent on
// externalId, validated with nothing stored), sourcing [J3], key handling, the OpenAPI document, and
// pickup transitions [PQ1][PQ3][PQ5] with the schedule's expiry [J2].
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { backends, seedSmall, type Backend, type TestDb } from './helpers/stores';
import { TestTablet, ANA, MARTA } from './helpers/client';
import { createTestApp as createApp } from './helpers/client';
import { webOrderId, type channelOpenApi } from '../src/http/channels';
import { apiKeyHash } from '../src/seed/load';
import { runDueJobs } from '../src/jobs/worker';
import { deliverNotifications, LogNotifier } from '../src/oms/notifier';
import type { Store } from '../src/store/store';
import type { GeneratedChain } from '../src/seed/generate';
import { stockKey, type OrderRow, type StockRow } from '../../src/core/model';
import { webOrderSchema } from '../../src/core/orders/web-order';
import type { CommandResult } from '../../src/core/sync/protocol';

const KEY = { 'x-api-key': 'demo-web-key' };
const DAY = 86_400_000;

function channelSuite(backend: Backend) {
  describe.skipIf(backend.skip)(backend.name, () => {
    let db: TestDb;
    let store: Store;
    let chain: GeneratedChain;
    let app: FastifyInstance;
    let now = Date.UTC(2025, 5, 2, 9, 30, 0);
    const clock = { now: () => now };
    let n = 0;

    beforeAll(async () => {
      db = await backend.open();
      store = db.store;
      chain = await seedSmall(store);
      app = await createApp({ store, rollupIntervalMs: 0, jobsIntervalMs: 0, clock });
    });
    afterAll(async () => {
      await app?.close();
      await db?.destroy();
    });

    const stock = (loc: string, sku: string) => store.transaction((tx) => tx.get('stock', stockKey(loc, sku))) as Promise<StockRow | undefined>;
    const order = (externalId: string) => store.transaction((tx) => tx.get('orders', webOrderId(externalId))) as Promise<OrderRow | undefined>;
    const count = async (table: 'movements' | 'commands' | 'notifications') => Number((await store.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
    /** A SKU with at least `min` available at `loc` right now (read from the store, not the seed). */
    const skuAt = async (loc: string, min: number, not: string[] = []) => {
      for (const s of chain.stock.filter((x) => x.locationId === loc && !not.includes(x.sku))) {
        const cur = await stock(loc, s.sku);
        const price = chain.variants.find((v) => v.sku === s.sku)?.prices.EUR ?? 0;
        if (cur && cur.onHand - cur.reserved >= min && price > 0) return { sku: s.sku as string, unitPrice: price as number };
      }
      throw new Error(`no SKU with ${min} at ${loc}`);
    };
    const body = (lines: { sku: string; qty: number; unitPrice: number }[], extra: Record<string, unknown> = {}) => ({
      externalId: `WEB-${backend.name}-${++n}`,
      customer: { firstName: 'Inês', lastName: 'Barros', email: 'ines@example.com', phone: '+351 912 345 678' },
      lines,
      currency: 'EUR',
      payment: { reference: 'psp_123', amount: lines.reduce((s, l) => s + l.qty * l.unitPrice, 0) },
      fulfillment: { kind: 'pickup', storeId: 'S01' },
      ...extra,
    });
    const post = (b: unknown, headers: Record<string, string> = KEY) => app.inject({ method: 'POST', url: '/api/v1/channels/web/orders', headers, payload: b as object });
    const get = (externalId: string, headers: Record<string, string> = KEY) => app.inject({ method: 'GET', url: `/api/v1/channels/web/orders/${externalId}`, headers });

    describe('placing orders [W1][O1]', () => {
      it('[W1][M1] a pickup order is placed: 201 with its number and status, stock reserved at S01 with a reserve movement, the order in S01\'s stream', async () => {
        const l = await skuAt('S01', 2);
        const before = await stock('S01', l.sku);
        const b = body([{ ...l, qty: 2 }]);
        const r = await post(b);
        expect(r.statusCode, r.body).toBe(201);
        const a = r.json<{ externalId: string; number: string; status: string; sourceId: string; history: { kind: string }[] }>();
        expect(a).toMatchObject({ externalId: b.externalId, status: 'placed', sourceId: 'S01' });
        expect(a.number).toMatch(/^W[0-9A-Z]{7}$/);
        expect(a.history.map((e) => e.kind)).toEqual(['placed']);
        expect((await stock('S01', l.sku))!.reserved).toBe(before!.reserved + 2);
        const moves = await store.db.selectFrom('movements').selectAll().where('kind', '=', 'reserve').where('sku', '=', l.sku).execute();
        expect(moves.map((m) => [m.location_id, Number(m.qty)])).toContainEqual(['S01', 2]);
        const t = await TestTablet.enroll(app, 'Pickup');
        const pulled = await t.pullAll('store:S01');
        expect(pulled.some((c) => c.table === 'orders' && c.key === webOrderId(b.externalId))).toBe(true);
      });

      it('[W3] placing an order queues the customer\'s receipt once: lines, total, payment; a repeat delivery adds none', async () => {
        const l = await skuAt('S01', 1);
        const b = body([{ ...l, qty: 1 }]);
        const r = await post(b);
        expect(r.statusCode, r.body).toBe(201);
        const { number } = r.json<{ number: string }>();
        expect((await post(b)).statusCode).toBe(200);
        const receipts = (await store.db.selectFrom('notifications').selectAll().where('kind', '=', 'receipt').execute()).filter((x) => x.payload.includes(webOrderId(b.externalId)));
        expect(receipts).toHaveLength(1);
        expect(receipts[0]!.recipient).toBe('ines@example.com');
        expect(JSON.parse(receipts[0]!.payload)).toMatchObject({ number, total: l.unitPrice, currency: 'EUR', paymentRef: 'psp_123', fulfillment: 'pickup', lines: [{ sku: l.sku, qty: 1, unitPrice: l.unitPrice }] });
        expect((await get(b.externalId)).json<{ notices: { kind: string }[] }>().notices.map((n) => n.kind)).toEqual(['receipt']);
      });

      it('[O1] the same body again answers the same order and changes nothing; the same externalId with other content is 409', async () => {
        const l = await skuAt('S01', 1);
        const b = body([{ ...l, qty: 1 }]);
        const first = await post(b);
        expect(first.statusCode).toBe(201);
        const moves = await count('movements');
        const again = await post(b);
        expect(again.statusCode).toBe(200);
        expect(again.json()).toEqual(first.json());
        expect(await count('movements')).toBe(moves);
        const other = await post({ ...b, lines: [{ ...l, qty: 1, unitPrice: l.unitPrice + 1 }], payment: { reference: 'psp_123', amount: l.unitPrice + 1 } });
        expect(other.statusCode).toBe(409);
        expect(other.json<{ error: { code: string } }>().error.code).toBe('idempotency-conflict');
        expect(await count('movements')).toBe(moves);
      });

      it('[W1] a shipment is sourced at the warehouse when it has the stock, and its order travels on W01\'s stream with the address', async () => {
        const l = await skuAt('W01', 1);
        const address = { street: 'Rua Garrett 12', city: 'Lisboa', postalCode: '1200-203', country: 'PT' };
        const r = await post(body([{ ...l, qty: 1 }], { fulfillment: { kind: 'ship', address } }));
        expect(r.statusCode, r.body).toBe(201);
        expect(r.json()).toMatchObject({ status: 'placed', storeId: 'W01', sourceId: 'W01' });
        const o = await order(r.json<{ externalId: string }>().externalId);
        expect(o).toMatchObject({ fulfillment: 'ship', shipTo: address });
      });

      it('[O1] two deliveries of one order at the same time place it once', async () => {
        const l = await skuAt('S01', 1);
        const b = body([{ ...l, qty: 1 }]);
        const before = (await stock('S01', l.sku))!.reserved;
        const [x, y] = await Promise.all([post(b), post(b)]);
        expect([x.statusCode, y.statusCode].sort()).toEqual([200, 201]);
        expect(x.json()).toEqual(y.json());
        expect((await stock('S01', l.sku))!.reserved).toBe(before + 1);
      });

      it('[W1][E1] an unknown SKU or store is 422, amounts that do not add up or a bad address 400, and nothing is stored', async () => {
        const l = await skuAt('S01', 1);
        const commands = await count('commands');
        const moves = await count('movements');
        const cases: [unknown, number, string][] = [
          [body([{ sku: 'NOPE-1', qty: 1, unitPrice: 100 }]), 422, 'unknown-sku'],
          [body([{ ...l, qty: 1 }], { fulfillment: { kind: 'pickup', storeId: 'S99' } }), 422, 'unknown-store'],
          [{ ...body([{ ...l, qty: 1 }]), payment: { reference: 'p', amount: l.unitPrice + 5 } }, 400, 'invalid-body'],
          [body([{ ...l, qty: 1 }], { fulfillment: { kind: 'ship', address: { street: '', city: 'Lisbon', postalCode: '1200-001', country: 'PT' } } }), 400, 'invalid-body'],
          [body([{ ...l, qty: 1 }], { fulfillment: { kind: 'ship', address: { street: 'Rua A 1', city: 'Lisbon', postalCode: '1200-001', country: 'Portugal' } } }), 400, 'invalid-body'],
        ];
        for (const [b, status, code] of cases) {
          const r = await post(b);
          expect(r.statusCode, r.body).toBe(status);
          const e = r.json<{ error: { code: string; message: string } }>().error;
          expect(e.code).toBe(code);
          expect(e.message.length).toBeGreaterThan(20);
          expect(await order((b as { externalId: string }).externalId)).toBeUndefined();
        }
        expect(await count('commands')).toBe(commands);
        expect(await count('movements')).toBe(moves);
      });

      it('[W1] keys: none or an unknown one is 401; a key is stored hashed and names its channel', async () => {
        const l = await skuAt('S01', 1);
        expect((await post(body([{ ...l, qty: 1 }]), {})).statusCode).toBe(401);
        expect((await post(body([{ ...l, qty: 1 }]), { 'x-api-key': 'guess' })).statusCode).toBe(401);
        expect((await get('WEB-x', { 'x-api-key': 'guess' })).statusCode).toBe(401);
        const rows = await store.db.selectFrom('api_keys').selectAll().execute();
        expect(rows).toEqual([expect.objectContaining({ key_hash: apiKeyHash('demo-web-key'), channel: 'web' })]);
        expect(JSON.stringify(rows)).not.toContain('demo-web-key');
      });
    });

    describe('sourcing [W1][J3]', () => {
      it('[J3][M1] S01 without enough stock: the nearest location that has it reserves, and the order is in both stores\' streams', async () => {
        // A SKU S01 lacks (qty beyond its shelf) but another store covers.
        let pick: { sku: string; unitPrice: number; qty: number; at: string } | undefined;
        for (const s of chain.stock.filter((x) => x.locationId !== 'S01' && x.locationId !== 'W01' && x.onHand - x.reserved >= 3)) {
          const s01 = await stock('S01', s.sku);
          const qty = Math.max(1, (s01 ? s01.onHand - s01.reserved : 0) + 1);
          const there = await stock(s.locationId, s.sku);
          const price = chain.variants.find((v) => v.sku === s.sku)!.prices.EUR ?? 0;
          if (there && there.onHand - there.reserved >= qty && price > 0) {
            pick = { sku: s.sku, unitPrice: price, qty, at: s.locationId };
            break;
          }
        }
        expect(pick).toBeDefined();
        const r = await post(body([{ sku: pick!.sku, qty: pick!.qty, unitPrice: pick!.unitPrice }]));
        expect(r.statusCode, r.body).toBe(201);
        const src = r.json<{ sourceId: string }>().sourceId;
        expect(src).not.toBe('S01');
        expect(src).not.toBe('W01');
        const held = await stock(src, pick!.sku);
        expect(held!.reserved).toBeGreaterThanOrEqual(pick!.qty);
        const streams = await store.db.selectFrom('rows').select('stream').where('tbl', '=', 'orders').where('key', '=', webOrderId(r.json<{ externalId: string }>().externalId)).where('deleted', '=', 0).execute();
        expect(streams.map((s) => s.stream).sort()).toEqual(['store:S01', `store:${src}`].sort());
      });

      it('[W1] no location has enough: the warehouse W01 reserves it and an `unsourceable` exception is raised', async () => {
        const l = await skuAt('S01', 1);
        const r = await post(body([{ ...l, qty: 99 }]));
        expect(r.statusCode, r.body).toBe(201);
        expect(r.json<{ sourceId: string }>().sourceId).toBe('W01');
        const ex = await store.db.selectFrom('rows').select('data').where('tbl', '=', 'exceptions').where('stream', '=', 'store:S01').execute();
        expect(ex.some((e) => e.data?.includes('"unsourceable"'))).toBe(true);
      });
    });

    describe('pickup transitions [PQ1][PQ3][PQ5][W2][W3]', () => {
      const send = async (t: TestTablet, type: string, payload: unknown, actor = ANA): Promise<CommandResult> => (await t.pushOk([t.command(type, payload, { actor })])).results[0]!;

      it('[PQ1][PQ3][PQ4][W2][W3] start picking, mark ready (notice + expiry job), hand over with the order code: collected, stock off the shelf, history through GET', async () => {
        const t = await TestTablet.enroll(app, 'Pickup 2');
        const l = await skuAt('S01', 1);
        const b = body([{ ...l, qty: 1 }]);
        const placed = (await post(b)).json<{ orderId: string; number: string }>();
        const before = (await stock('S01', l.sku))!;
        const ids = { orderId: placed.orderId, storeId: 'S01' };
        expect(await send(t, 'order.start-picking', ids)).toMatchObject({ status: 'applied' });
        expect(await send(t, 'order.mark-ready', ids)).toMatchObject({ status: 'applied' });
        const notes = await store.db.selectFrom('notifications').selectAll().where('kind', '=', 'ready-for-pickup').execute();
        const mine = notes.filter((x) => x.payload.includes(placed.orderId));
        expect(mine).toHaveLength(1);
        expect(mine[0]!.recipient).toBe('ines@example.com');
        expect(JSON.parse(mine[0]!.payload)).toMatchObject({ code: placed.number });
        const job = await store.db.selectFrom('jobs').selectAll().where('id', '=', `order.expire:${placed.orderId}`).executeTakeFirst();
        expect(Number(job!.run_at)).toBe(now + 7 * DAY);
        expect((await get(b.externalId)).json()).toMatchObject({ status: 'ready' });

        const wrong = await send(t, 'order.hand-over', { ...ids, code: 'W0000000' });
        expect(wrong).toMatchObject({ status: 'rejected', error: { code: 'wrong-order-code' } });
        expect(await send(t, 'order.hand-over', { ...ids, code: placed.number.toLowerCase() })).toMatchObject({ status: 'applied' });
        const after = (await stock('S01', l.sku))!;
        expect([after.onHand, after.reserved]).toEqual([before.onHand - 1, before.reserved - 1]);
        const status = (await get(b.externalId)).json<{ status: string; history: { kind: string }[] }>();
        expect(status.status).toBe('collected');
        expect(status.history.map((e) => e.kind)).toEqual(['placed', 'picking', 'ready', 'collected']);
        expect((await get(b.externalId)).json<{ notices: { kind: string; sentAt: string | null }[] }>().notices).toEqual([expect.objectContaining({ kind: 'receipt', sentAt: null }), expect.objectContaining({ kind: 'ready-for-pickup', sentAt: null })]);

        // The notifier delivers the outbox and marks what it sent.
        const notifier = new LogNotifier();
        await deliverNotifications(store, notifier, now);
        expect(notifier.sent.some((s) => s.kind === 'ready-for-pickup' && s.payload.orderId === placed.orderId)).toBe(true);
        expect(await store.db.selectFrom('notifications').select('id').where('sent_at', 'is', null).execute()).toHaveLength(0);
        expect(await deliverNotifications(store, notifier, now)).toBe(0);
        expect((await get(b.externalId)).json<{ notices: { sentAt: string | null }[] }>().notices[0]!.sentAt).toBe(new Date(now).toISOString());
      });

      it('[PQ5] the same transition from two tablets is harmless; a conflicting one is rejected invalid-transition, in words', async () => {
        const t1 = await TestTablet.enroll(app, 'Pickup A');
        const t2 = await TestTablet.enroll(app, 'Pickup B');
        const l = await skuAt('S01', 1);
        const placed = (await post(body([{ ...l, qty: 1 }]))).json<{ orderId: string; number: string }>();
        const ids = { orderId: placed.orderId, storeId: 'S01' };
        expect(await send(t1, 'order.start-picking', ids)).toMatchObject({ status: 'applied' });
        const twice = await send(t2, 'order.start-picking', ids);
        expect(twice).toMatchObject({ status: 'applied', summary: { noop: true } });
        expect(await send(t1, 'order.cancel', ids, MARTA)).toMatchObject({ status: 'applied' });
        const late = await send(t2, 'order.mark-ready', ids);
        expect(late).toMatchObject({ status: 'rejected', error: { code: 'invalid-transition' } });
        expect((late as { error: { message: string } }).error.message).toContain(`Order ${placed.number} is cancelled`);
        const o = (await order((await store.transaction((tx) => tx.get('orders', placed.orderId)))!.externalId!))!;
        expect(o.status).toBe('cancelled');
        expect(o.history!.map((e) => e.kind)).toEqual(['placed', 'picking', 'cancelled', 'refund']);
      });

      it('[PQ1] mark short cancels the line with a refund notice and releases its reservation; every line short cancels the order', async () => {
        const t = await TestTablet.enroll(app, 'Pickup C');
        const a = await skuAt('S01', 1);
        const c = await skuAt('S01', 1, [a.sku]);
        const b = body([{ ...a, qty: 1 }, { ...c, qty: 1 }]);
        const placed = (await post(b)).json<{ orderId: string }>();
        const ids = { orderId: placed.orderId, storeId: 'S01' };
        const reserved = (await stock('S01', a.sku))!.reserved;
        await send(t, 'order.start-picking', ids);
        expect(await send(t, 'order.mark-short', { ...ids, sku: a.sku })).toMatchObject({ status: 'applied' });
        expect((await stock('S01', a.sku))!.reserved).toBe(reserved - 1);
        let s = (await get(b.externalId)).json<{ status: string; refunded: number; history: { kind: string; amount?: number }[] }>();
        expect(s).toMatchObject({ status: 'picking', refunded: a.unitPrice });
        const refunds = await store.db.selectFrom('notifications').selectAll().where('kind', '=', 'refund-issued').execute();
        expect(refunds.filter((r) => r.payload.includes(placed.orderId))).toHaveLength(1);
        expect(await send(t, 'order.mark-short', { ...ids, sku: c.sku })).toMatchObject({ status: 'applied' });
        s = (await get(b.externalId)).json();
        expect(s.status).toBe('cancelled');
        expect(s.refunded).toBe(a.unitPrice + c.unitPrice);
      });

      it('[PQ1][J2] a ready order not collected in 7 days expires on the schedule: restocked, refunded, notified; a collected one does not', async () => {
        const t = await TestTablet.enroll(app, 'Pickup D');
        const l = await skuAt('S01', 1);
        const b = body([{ ...l, qty: 1 }]);
        const placed = (await post(b)).json<{ orderId: string }>();
        const ids = { orderId: placed.orderId, storeId: 'S01' };
        const reservedBefore = (await stock('S01', l.sku))!.reserved;
        await send(t, 'order.start-picking', ids);
        await send(t, 'order.mark-ready', ids);
        // Another order readied at the same time and collected before its expiry.
        const other = await skuAt('S01', 1, [l.sku]);
        const kept = body([{ ...other, qty: 1 }]);
        const keptIds = { orderId: (await post(kept)).json<{ orderId: string }>().orderId, storeId: 'S01' };
        await send(t, 'order.mark-ready', keptIds);
        const number = (await get(kept.externalId)).json<{ number: string }>().number;
        expect(await send(t, 'order.hand-over', { ...keptIds, code: number })).toMatchObject({ status: 'applied' });
        await runDueJobs(store, clock);
        expect((await get(b.externalId)).json()).toMatchObject({ status: 'ready' });
        const saved = now;
        now += 7 * DAY + 1;
        try {
          await runDueJobs(store, clock);
        } finally {
          now = saved;
        }
        const s = (await get(b.externalId)).json<{ status: string; refunded: number; history: { kind: string }[] }>();
        expect(s.status).toBe('expired');
        expect(s.refunded).toBe(l.unitPrice);
        expect(s.history.map((e) => e.kind)).toEqual(['placed', 'picking', 'ready', 'expired', 'refund']);
        expect((await stock('S01', l.sku))!.reserved).toBe(reservedBefore - 1);
        const kinds = (await store.db.selectFrom('notifications').selectAll().execute()).filter((x) => x.payload.includes(placed.orderId)).map((x) => x.kind);
        expect(kinds).toEqual(['receipt', 'ready-for-pickup', 'expired', 'refund-issued']);
        expect((await get(kept.externalId)).json()).toMatchObject({ status: 'collected', refunded: 0 });
        const job = await store.db.selectFrom('jobs').selectAll().where('id', '=', `order.expire:${keptIds.orderId}`).executeTakeFirstOrThrow();
        expect(job.status).toBe('done');
      });
    });

    it('[W1] the OpenAPI document\'s request schema is the validator\'s own', async () => {
      const r = await app.inject({ method: 'GET', url: '/api/v1/openapi.json' });
      expect(r.statusCode).toBe(200);
      const doc = r.json<ReturnType<typeof channelOpenApi>>();
      expect(doc.openapi).toMatch(/^3\./);
      const served = doc.paths['/api/v1/channels/web/orders'].post.requestBody.content['application/json'].schema;
      expect(served).toEqual(JSON.parse(JSON.stringify(z.toJSONSchema(webOrderSchema, { io: 'input', unrepresentable: 'any' }))));
      expect(JSON.stringify(served)).toContain('externalId');
    });
  });
}

describe('web channel [W1][W2][W3]', () => {
  for (const b of backends) channelSuite(b);
});
