// A line marked short at the pickup store, found elsewhere through sourcing [PQ1][PQ5][J1][J3][W2][W3],
// and a web order whose stock sits at another store worked by the pickup store's tablet [OR3][M1].
// On SQLite and PostgreSQL.
import { describe, it, expect } from 'vitest';
import { randomUUID } from 'node:crypto';
import { backends, type Backend } from './helpers/stores';
import { TestTablet, ANA, MARTA } from './helpers/client';
import { createTestApp } from './helpers/client';
import { seededApp } from './helpers/fixture';
import { webOrderId } from '../src/http/channels';
import { runDueJobs } from '../src/jobs/worker';
import { stockKey, type ExceptionRow, type OrderRow, type StockRow } from '../../src/core/model';
import type { CommandResult } from '../../src/core/sync/protocol';

const KEY = { 'x-api-key': 'demo-web-key' };
const HOUR = 3_600_000;

interface Status {
  status: string;
  number: string;
  orderId: string;
  readyBy: string;
  refunded: number;
  history: { kind: string; sku?: string; from?: string; sourceIds?: string[]; readyBy?: string }[];
  lines: { sku: string; qty: number; state: string; sourceIds: string[] }[];
  notices: { kind: string }[];
}

function reassignSuite(backend: Backend) {
  describe.skipIf(backend.skip)(backend.name, () => {
    const now = Date.UTC(2025, 5, 2, 9, 30, 0);
    const clock = { now: () => now };
    const fx = seededApp(backend, (store) => createTestApp({ store, rollupIntervalMs: 0, jobsIntervalMs: 0, clock }));
    let n = 0;
    const store = () => fx.db.store;

    const stock = (loc: string, sku: string) => store().transaction((tx) => tx.get('stock', stockKey(loc, sku))) as Promise<StockRow | undefined>;
    const order = (id: string) => store().transaction((tx) => tx.get('orders', id)) as Promise<OrderRow | undefined>;
    const available = async (loc: string, sku: string) => {
      const s = await stock(loc, sku);
      return s ? s.onHand - s.reserved : 0;
    };
    /** Sets what `loc` has available of `sku` (on hand over what is reserved), as a stock count would. */
    const setAvailable = (loc: string, sku: string, n: number) =>
      store().transaction(async (tx) => {
        const stream = `store:${loc}` as const;
        await tx.lockStreams([stream]);
        const s = (await tx.get('stock', stockKey(loc, sku))) ?? ({ key: stockKey(loc, sku), locationId: loc, sku, onHand: 0, reserved: 0, at: now } as StockRow);
        await tx.putRows([{ table: 'stock', key: s.key, stream, row: { ...s, onHand: s.reserved + n, at: now } }]);
      });
    /** A priced SKU S01 has at least `min` of, and at least one other store has `min` of too. */
    const skuAtS01AndElsewhere = async (min: number, not: string[] = []) => {
      for (const s of fx.chain.stock.filter((x) => x.locationId === 'S01' && !not.includes(x.sku))) {
        const price = fx.chain.variants.find((v) => v.sku === s.sku)?.prices.EUR ?? 0;
        if (price <= 0 || (await available('S01', s.sku)) < min) continue;
        const other = fx.chain.stock.find((x) => x.sku === s.sku && x.locationId !== 'S01' && x.locationId !== 'W01' && x.onHand - x.reserved >= min);
        if (other && (await available(other.locationId, s.sku)) >= min) return { sku: s.sku as string, unitPrice: price as number };
      }
      throw new Error(`no SKU with ${min} at S01 and another store`);
    };
    const place = async (lines: { sku: string; qty: number; unitPrice: number }[]) => {
      const externalId = `WEB-RE-${backend.name}-${++n}`;
      const r = await fx.app.inject({
        method: 'POST',
        url: '/api/v1/channels/web/orders',
        headers: KEY,
        payload: {
          externalId,
          customer: { firstName: 'Inês', lastName: 'Barros', email: 'ines@example.com', phone: '+351 912 345 678' },
          lines,
          currency: 'EUR',
          payment: { reference: 'psp_123', amount: lines.reduce((s, l) => s + l.qty * l.unitPrice, 0) },
          fulfillment: { kind: 'pickup', storeId: 'S01' },
        },
      });
      expect(r.statusCode, r.body).toBe(201);
      return { externalId, ...r.json<{ orderId: string; number: string; sourceId: string }>() };
    };
    const status = async (externalId: string) => (await fx.app.inject({ method: 'GET', url: `/api/v1/channels/web/orders/${externalId}`, headers: KEY })).json<Status>();
    const send = async (t: TestTablet, type: string, payload: unknown, actor = ANA, v?: number): Promise<CommandResult> => (await t.pushOk([t.command(type, payload, { actor, ...(v ? { v } : {}) })])).results[0]!;
    const short = (t: TestTablet, orderId: string, sku: string, resolve: 'cancel' | 'reassign', from = 'S01', actor = ANA) => send(t, 'order.mark-short', { orderId, storeId: 'S01', sku, resolve, from }, actor, 2);
    const streamsOf = async (orderId: string) => (await store().db.selectFrom('rows').select('stream').where('tbl', '=', 'orders').where('key', '=', orderId).where('deleted', '=', 0).execute()).map((r) => r.stream).sort();

    it('[PQ1][J1][J3][W2][W3] a line short at S01 is reassigned through sourcing: released at S01, reserved at the nearest store that has it, a later ready-by, `reassigned` in the channel history, the customer told', async () => {
      const t = await TestTablet.enroll(fx.app, 'Reassign A');
      const l = await skuAtS01AndElsewhere(1);
      const placed = await place([{ ...l, qty: 1 }]);
      expect(placed.sourceId).toBe('S01');
      const s01 = (await stock('S01', l.sku))!.reserved;
      const ids = { orderId: placed.orderId, storeId: 'S01' };
      expect(await send(t, 'order.start-picking', ids)).toMatchObject({ status: 'applied' });
      expect(await short(t, placed.orderId, l.sku, 'reassign')).toMatchObject({ status: 'applied' });
      expect((await stock('S01', l.sku))!.reserved).toBe(s01 - 1);
      // Until the server's follow-up runs the line is being sourced: it cannot be made ready yet.
      expect((await status(placed.externalId)).lines).toEqual([{ sku: l.sku, qty: 1, state: 'sourcing', sourceIds: [] }]);
      const early = await send(t, 'order.mark-ready', ids);
      expect(early).toMatchObject({ status: 'rejected', error: { code: 'line-undecided' } });

      const before = await store().transaction(async (tx) => Object.fromEntries(await Promise.all(fx.chain.locations.map(async (loc) => [loc.id, (await tx.get('stock', stockKey(loc.id, l.sku)))?.reserved ?? 0] as const))));
      await runDueJobs(store(), clock);
      const s = await status(placed.externalId);
      const to = s.lines[0]!.sourceIds;
      expect(to).toHaveLength(1);
      expect(to[0]).not.toBe('S01');
      expect(to[0]).not.toBe('W01');
      expect(s.lines[0]).toMatchObject({ state: 'open' });
      expect((await stock(to[0]!, l.sku))!.reserved).toBe(before[to[0]!]! + 1);
      expect(s.status).toBe('picking');
      expect(s.history.map((e) => e.kind)).toEqual(['placed', 'picking', 'reassigning', 'reassigned']);
      expect(s.history[2]).toMatchObject({ sku: l.sku, from: 'S01' });
      expect(s.history[3]).toMatchObject({ sku: l.sku, sourceIds: to, readyBy: new Date(now + 24 * HOUR).toISOString() });
      expect(s.readyBy).toBe(new Date(now + 24 * HOUR).toISOString());
      expect(s.notices.map((x) => x.kind)).toEqual(['receipt', 'delayed']);
      // [M1] The order is in the new location's stream now, so that store sees what it must send.
      expect(await streamsOf(placed.orderId)).toEqual(['store:S01', `store:${to[0]}`].sort());

      // The job run again changes nothing; the pickup store then works the order to the end [OR3].
      await runDueJobs(store(), clock);
      expect((await stock(to[0]!, l.sku))!.reserved).toBe(before[to[0]!]! + 1);
      expect(await send(t, 'order.mark-ready', ids)).toMatchObject({ status: 'applied' });
      const onHand = (await stock(to[0]!, l.sku))!.onHand;
      expect(await send(t, 'order.hand-over', { ...ids, code: placed.number })).toMatchObject({ status: 'applied' });
      await runDueJobs(store(), clock);
      const after = (await stock(to[0]!, l.sku))!;
      expect([after.onHand, after.reserved]).toEqual([onHand - 1, before[to[0]!]!]);
      expect((await status(placed.externalId)).status).toBe('collected');
    });

    it('[PQ1][J3] with no other store holding it, the warehouse W01 reserves the reassigned line, with the warehouse\'s longer ready-by', async () => {
      const t = await TestTablet.enroll(fx.app, 'Reassign B');
      const l = await skuAtS01AndElsewhere(1);
      for (const loc of fx.chain.locations) if (loc.id !== 'S01' && loc.id !== 'W01') await setAvailable(loc.id, l.sku, 0);
      await setAvailable('W01', l.sku, 5);
      const placed = await place([{ ...l, qty: 1 }]);
      const w = (await stock('W01', l.sku))!.reserved;
      expect(await short(t, placed.orderId, l.sku, 'reassign')).toMatchObject({ status: 'applied' });
      await runDueJobs(store(), clock);
      const s = await status(placed.externalId);
      expect(s.lines[0]).toMatchObject({ state: 'open', sourceIds: ['W01'] });
      expect(s.readyBy).toBe(new Date(now + 48 * HOUR).toISOString());
      expect((await stock('W01', l.sku))!.reserved).toBe(w + 1);
      expect(await streamsOf(placed.orderId)).toEqual(['store:S01', 'store:W01']);
    });

    it('[PQ1][EX1] no location has it: the line stays open as unsourceable, S01\'s managers are told in words, mark ready is refused, and cancelling the line refunds it', async () => {
      const t = await TestTablet.enroll(fx.app, 'Reassign C');
      const a = await skuAtS01AndElsewhere(1);
      const c = await skuAtS01AndElsewhere(1, [a.sku]);
      for (const loc of fx.chain.locations) if (loc.id !== 'S01') await setAvailable(loc.id, a.sku, 0);
      const placed = await place([
        { ...a, qty: 1 },
        { ...c, qty: 1 },
      ]);
      expect(await short(t, placed.orderId, a.sku, 'reassign')).toMatchObject({ status: 'applied' });
      await runDueJobs(store(), clock);
      let s = await status(placed.externalId);
      expect(s.lines[0]).toEqual({ sku: a.sku, qty: 1, state: 'unsourceable', sourceIds: [] });
      expect(s.history.map((e) => e.kind)).toEqual(['placed', 'reassigning', 'unsourceable']);
      const ex = (await store().db.selectFrom('rows').select('data').where('tbl', '=', 'exceptions').where('stream', '=', 'store:S01').execute()).map((r) => JSON.parse(r.data!) as ExceptionRow);
      const mine = ex.filter((e) => e.kind === 'unsourceable' && e.details.orderId === placed.orderId);
      expect(mine).toHaveLength(1);
      expect(mine[0]!.details).toMatchObject({ reason: 'reassign', number: placed.number, sku: a.sku, shortAt: ['S01'] });
      expect(mine[0]!.message).toContain('Cancel the line with a refund');
      expect(await send(t, 'order.mark-ready', { orderId: placed.orderId, storeId: 'S01' })).toMatchObject({ status: 'rejected', error: { code: 'line-undecided' } });

      expect(await short(t, placed.orderId, a.sku, 'cancel')).toMatchObject({ status: 'applied' });
      s = await status(placed.externalId);
      expect(s.lines[0]).toMatchObject({ state: 'short' });
      expect(s.refunded).toBe(a.unitPrice);
      expect(s.status).toBe('placed');
      expect(s.notices.map((x) => x.kind)).toEqual(['receipt', 'refund-issued']);
      expect(await send(t, 'order.mark-ready', { orderId: placed.orderId, storeId: 'S01' })).toMatchObject({ status: 'applied' });
    });

    it('[PQ5] the same reassignment from two tablets is harmless: sourced once, one follow-up, one reservation', async () => {
      const t1 = await TestTablet.enroll(fx.app, 'Reassign D1');
      const t2 = await TestTablet.enroll(fx.app, 'Reassign D2');
      const l = await skuAtS01AndElsewhere(1);
      const placed = await place([{ ...l, qty: 1 }]);
      expect(await short(t1, placed.orderId, l.sku, 'reassign')).toMatchObject({ status: 'applied' });
      expect(await short(t2, placed.orderId, l.sku, 'reassign', 'S01', MARTA)).toMatchObject({ status: 'applied', summary: { noop: true } });
      const reserves = async () => (await store().db.selectFrom('movements').select('id').where('sku', '=', l.sku).where('kind', '=', 'reserve').execute()).length;
      const before = await reserves();
      await runDueJobs(store(), clock);
      // The second tablet's push after the line was found elsewhere: S01 is no longer where it is short.
      expect(await short(t2, placed.orderId, l.sku, 'reassign', 'S01', MARTA)).toMatchObject({ status: 'applied', summary: { noop: true } });
      await runDueJobs(store(), clock);
      const s = await status(placed.externalId);
      expect(s.history.map((e) => e.kind)).toEqual(['placed', 'reassigning', 'reassigned']);
      expect(await reserves()).toBe(before + 1);
      const jobs = await store().db.selectFrom('jobs').selectAll().where('kind', '=', 'order.reassign-line').execute();
      expect(jobs.filter((j) => j.payload.includes(placed.orderId))).toHaveLength(1);
    });

    it('[PQ5] conflicting transitions are decided in arrival order: a reassignment after the line was cancelled, or after the order was cancelled, is refused in words', async () => {
      const t1 = await TestTablet.enroll(fx.app, 'Reassign E1');
      const t2 = await TestTablet.enroll(fx.app, 'Reassign E2');
      const a = await skuAtS01AndElsewhere(1);
      const c = await skuAtS01AndElsewhere(1, [a.sku]);
      const placed = await place([
        { ...a, qty: 1 },
        { ...c, qty: 1 },
      ]);
      expect(await short(t1, placed.orderId, a.sku, 'cancel')).toMatchObject({ status: 'applied' });
      const late = await short(t2, placed.orderId, a.sku, 'reassign', 'S01', MARTA);
      expect(late).toMatchObject({ status: 'rejected', error: { code: 'invalid-transition' } });
      expect((late as { error: { message: string } }).error.message).toContain(`on order ${placed.number} was cancelled and refunded already`);

      // A reassignment first, then a cancel of the whole order: the follow-up finds nothing to do.
      expect(await short(t1, placed.orderId, c.sku, 'reassign')).toMatchObject({ status: 'applied' });
      expect(await send(t2, 'order.cancel', { orderId: placed.orderId, storeId: 'S01' }, MARTA)).toMatchObject({ status: 'applied' });
      await runDueJobs(store(), clock);
      const s = await status(placed.externalId);
      expect(s.status).toBe('cancelled');
      expect(s.history.map((e) => e.kind)).toEqual(['placed', 'short', 'refund', 'reassigning', 'cancelled', 'refund']);
      expect(s.refunded).toBe(a.unitPrice + c.unitPrice);
      expect(await short(t1, placed.orderId, c.sku, 'reassign')).toMatchObject({ status: 'rejected', error: { code: 'invalid-transition' } });
    });

    it('[PQ1][C6] an order.mark-short queued as version 1 (no choice) still cancels the line with a refund', async () => {
      const t = await TestTablet.enroll(fx.app, 'Reassign F');
      const l = await skuAtS01AndElsewhere(1);
      const placed = await place([{ ...l, qty: 1 }]);
      expect(await send(t, 'order.mark-short', { orderId: placed.orderId, storeId: 'S01', sku: l.sku })).toMatchObject({ status: 'applied' });
      const o = (await order(placed.orderId))!;
      expect([o.status, o.shortSkus, o.refunded]).toEqual(['cancelled', [l.sku], l.unitPrice]);
    });

    it('[OR3][M1][O3] a web order for S01 sourced at S02: S01\'s tablet picks, readies and hands it over; S02\'s stock is settled by the system', async () => {
      const t = await TestTablet.enroll(fx.app, 'Reassign G');
      const l = await skuAtS01AndElsewhere(2);
      // S01 lacks it now: the order is sourced at the nearest store that has it.
      await setAvailable('S01', l.sku, 0);
      const placed = await place([{ ...l, qty: 2 }]);
      expect(placed.sourceId).not.toBe('S01');
      const at = placed.sourceId;
      const held = (await stock(at, l.sku))!;
      const ids = { orderId: placed.orderId, storeId: 'S01' };
      expect((await status(placed.externalId)).lines).toEqual([{ sku: l.sku, qty: 2, state: 'open', sourceIds: [at] }]);
      expect(await send(t, 'order.start-picking', ids)).toMatchObject({ status: 'applied' });
      expect(await send(t, 'order.mark-ready', ids)).toMatchObject({ status: 'applied' });
      expect(await send(t, 'order.hand-over', { ...ids, code: placed.number })).toMatchObject({ status: 'applied' });
      await runDueJobs(store(), clock);
      const after = (await stock(at, l.sku))!;
      expect([after.onHand, after.reserved]).toEqual([held.onHand - 2, held.reserved - 2]);
      expect(await order(webOrderId(placed.externalId))).toMatchObject({ status: 'collected' });
    });

    it('[CL6][M1][J3] erasing the customer of a till order sourced at another store anonymises it in both stores\' streams, and the job locks both (sim seed 218)', async () => {
      const t = await TestTablet.enroll(fx.app, 'Reassign H');
      const l = await skuAtS01AndElsewhere(1);
      await setAvailable('S01', l.sku, 0);
      const customerId = fx.chain.customers.find((c) => c.email && c.id !== fx.chain.orders[0]?.customerId)!.id;
      const orderId = randomUUID();
      const placed = await send(t, 'order.create', { ...t.salePayload([{ ...l, qty: 1 }], { customerId }), orderId, fulfillment: { kind: 'ship-store' }, seen: [{ sku: l.sku, where: [{ locationId: 'S01', available: 0 }] }] }, MARTA);
      expect(placed, JSON.stringify(placed)).toMatchObject({ status: 'applied' });
      await runDueJobs(store(), clock);
      const at = (await order(orderId))!.sourceId!;
      expect(at).not.toBe('S01');
      const streams = ['store:S01', `store:${at}`].sort();
      expect(await streamsOf(orderId)).toEqual(streams);
      const erased = await fx.app.inject({ method: 'POST', url: `/api/v1/admin/customers/${customerId}/erase`, headers: { authorization: 'Bearer demo-admin-token' } });
      expect(erased.statusCode, erased.body).toBe(200);
      await runDueJobs(store(), clock);
      // The job ran (no fault for an unlocked stream): the order is anonymised, and still in both streams.
      const o = (await order(orderId))!;
      expect([o.customerName, o.contact]).toEqual(['', undefined]);
      expect(await streamsOf(orderId)).toEqual(streams);
      const jobs = await store().db.selectFrom('jobs').select(['status', 'last_error']).where('kind', '=', 'customer.erase-records').where('key', '=', customerId).execute();
      expect(jobs).toEqual([{ status: 'done', last_error: null }]);
    });
  });
}

describe('reassigning a short line [PQ1][PQ5]', () => {
  for (const b of backends) reassignSuite(b);
});
