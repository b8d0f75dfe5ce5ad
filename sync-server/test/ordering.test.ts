// Ordering for a customer from the till [OR1]–[OR3], on SQLite and PostgreSQL: a tablet's order.create
// is paid like a sale and waits as `sourcing` in the placing store's stream; the server's follow-up
// order.source [J1][J3] reserves stock where sourcing finds it and puts the order in every store
// concerned [M1]; what nobody has raises `unsourceable` and flags the customer for contact.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { backends, seedSmall, type Backend, type TestDb } from './helpers/stores';
import { TestTablet, createTestApp } from './helpers/client';
import { runDueJobs } from '../src/jobs/worker';
import type { Store } from '../src/store/store';
import type { GeneratedChain } from '../src/seed/generate';
import { stockKey, type CustomerRow, type ExceptionRow, type OrderRow, type SaleRow, type StockRow } from '../../src/core/model';
import type { PushResponse } from '../../src/core/sync/protocol';
import { CONTACT_TAG } from '../../src/core/orders/order-source';
import { has } from '../../src/core/customers/sets';

type Applied = Extract<PushResponse['results'][number], { status: 'applied' }>;
type Rejected = Extract<PushResponse['results'][number], { status: 'rejected' }>;

function orderingSuite(backend: Backend) {
  describe.skipIf(backend.skip)(backend.name, () => {
    let db: TestDb;
    let store: Store;
    let chain: GeneratedChain;
    let app: FastifyInstance;
    let t: TestTablet;
    const now = Date.UTC(2025, 5, 2, 9, 30, 0);
    const clock = { now: () => now };

    beforeAll(async () => {
      db = await backend.open();
      store = db.store;
      chain = await seedSmall(store);
      app = await createTestApp({ store, rollupIntervalMs: 0, jobsIntervalMs: 0, clock });
      t = await TestTablet.enroll(app, 'Orders');
      // A reusable code for tablets of S02 (the demo code is S01's).
      await store.db.insertInto('enrollment_codes').values({ code: `PORTO-${backend.name.toUpperCase()}`, store_id: 'S02', reusable: 1, used_by: null, created_at: new Date(now).toISOString(), expires_at: null }).execute();
    });
    afterAll(async () => {
      await app?.close();
      await db?.destroy();
    });

    const row = <T>(table: 'orders' | 'stock' | 'sales' | 'customers' | 'exceptions', key: string) => store.transaction((tx) => tx.get(table, key)) as Promise<T | undefined>;
    const streamsOf = async (key: string) =>
      (await store.db.selectFrom('rows').select('stream').where('tbl', '=', 'orders').where('key', '=', key).where('deleted', '=', 0).execute()).map((r) => r.stream).sort();
    const customer = () => chain.customers.find((c) => c.email && c.phone)!;
    /** A SKU with at least `min` available at `loc` now and `max` or fewer at `not`. */
    const skuAt = async (loc: string, min: number, notAt?: { loc: string; max: number }) => {
      for (const s of chain.stock.filter((x) => x.locationId === loc)) {
        const cur = await row<StockRow>('stock', s.key);
        const price = chain.variants.find((v) => v.sku === s.sku)?.prices.EUR ?? 0;
        if (!cur || cur.onHand - cur.reserved < min || price <= 0) continue;
        if (notAt) {
          const other = await row<StockRow>('stock', stockKey(notAt.loc, s.sku));
          if (other && other.onHand - other.reserved > notAt.max) continue;
        }
        return { sku: s.sku as string, unitPrice: price as number };
      }
      throw new Error(`no SKU with ${min} at ${loc}`);
    };
    function order(lines: { sku: string; qty: number; unitPrice: number }[], fulfillment: Record<string, unknown>, extra: Record<string, unknown> = {}) {
      const sale = t.salePayload(lines, { customerId: customer().id });
      return t.command('order.create', { ...sale, orderId: randomUUID(), fulfillment, seen: lines.map((l) => ({ sku: l.sku, where: [{ locationId: 'S02', available: 1 }] })), seenAt: now - 60_000, ...extra });
    }
    const idOf = (cmd: { payload: unknown }) => (cmd.payload as { orderId: string }).orderId;

    it('[OR1][OR2][M1] a pickup at another store is paid like a sale, waits as sourcing at S01, then is sourced at S02 with a reservation and is in both stores\' streams', async () => {
      const l = await skuAt('S02', 2);
      const s01 = await row<StockRow>('stock', stockKey('S01', l.sku));
      const before = (await row<StockRow>('stock', stockKey('S02', l.sku)))!;
      const cmd = order([{ ...l, qty: 2 }], { kind: 'pickup-other', storeId: 'S02' });
      const [r] = (await t.pushOk([cmd])).results;
      expect(r, JSON.stringify(r)).toMatchObject({ status: 'applied' });
      const placed = (await row<OrderRow>('orders', idOf(cmd)))!;
      expect(placed).toMatchObject({ status: 'sourcing', storeId: 'S01', channel: 'store', storeOrder: { kind: 'pickup-other', placedIn: 'S01', pickupStoreId: 'S02' } });
      expect(await streamsOf(placed.id)).toEqual(['store:S01']);
      const sale = (await row<SaleRow>('sales', (cmd.payload as { saleId: string }).saleId))!;
      expect(sale.orderId).toBe(placed.id);
      // The till's lines left nothing at S01: the order is not carried out of this store.
      expect((await row<StockRow>('stock', stockKey('S01', l.sku)))?.onHand).toBe(s01?.onHand);

      const run = await runDueJobs(store, clock);
      expect(run.done).toBeGreaterThanOrEqual(1);
      const sourced = (await row<OrderRow>('orders', placed.id))!;
      expect(sourced).toMatchObject({ status: 'placed', storeId: 'S02', sourceId: 'S02' });
      expect(sourced.storeOrder!.allocations).toEqual([{ line: 0, sku: l.sku, locationId: 'S02', qty: 2 }]);
      expect(sourced.history!.map((e) => e.kind)).toEqual(['placed', 'sourced']);
      expect((await row<StockRow>('stock', stockKey('S02', l.sku)))!.reserved).toBe(before.reserved + 2);
      expect(await streamsOf(placed.id)).toEqual(['store:S01', 'store:S02']);
      const moves = await store.db.selectFrom('movements').selectAll().where('kind', '=', 'reserve').where('sku', '=', l.sku).where('location_id', '=', 'S02').execute();
      expect(moves.map((m) => Number(m.qty))).toContain(2);
      // [J1] Run again: the job is done, nothing is reserved twice.
      await runDueJobs(store, clock);
      expect((await row<StockRow>('stock', stockKey('S02', l.sku)))!.reserved).toBe(before.reserved + 2);
    });

    it('[OR3][M1][PQ1] the collecting store\'s tablet works the order through the queue although it is in the placing store\'s stream too; the placing store sees each step', async () => {
      const porto = await TestTablet.enroll(app, 'Porto till', `PORTO-${backend.name.toUpperCase()}`);
      const staff = chain.associates.find((a) => a.storeId === 'S02')!.id;
      const l = await skuAt('S02', 1);
      const before = (await row<StockRow>('stock', stockKey('S02', l.sku)))!;
      const cmd = order([{ ...l, qty: 1 }], { kind: 'pickup-other', storeId: 'S02' });
      await t.pushOk([cmd]);
      await runDueJobs(store, clock);
      const o = (await row<OrderRow>('orders', idOf(cmd)))!;
      const ids = { orderId: o.id, storeId: 'S02' };
      const steps = [porto.command('order.start-picking', ids, { actor: staff }), porto.command('order.mark-ready', ids, { actor: staff }), porto.command('order.hand-over', { ...ids, code: o.number }, { actor: staff })];
      const res = await porto.pushOk(steps);
      expect(res.results.map((r) => r.status), JSON.stringify(res.results)).toEqual(['applied', 'applied', 'applied']);
      expect(await streamsOf(o.id)).toEqual(['store:S01', 'store:S02']);
      const s01 = ((await t.pullAll('store:S01')).filter((c) => c.table === 'orders' && c.key === o.id).at(-1) as unknown as { row: OrderRow }).row;
      expect(s01.status).toBe('collected');
      const after = (await row<StockRow>('stock', stockKey('S02', l.sku)))!;
      expect([after.onHand, after.reserved]).toEqual([before.onHand - 1, before.reserved]);
      // A third store's tablet still may not touch it [O3].
      const s01Steal = await t.pushOk([t.command('order.cancel', { orderId: o.id, storeId: 'S01' })]);
      expect(s01Steal.results[0]).toMatchObject({ status: 'rejected' });
    });

    it('[OR1][PQ1] a discounted line marked short refunds what the customer paid for it, not its catalog price', async () => {
      const porto = await TestTablet.enroll(app, 'Porto till 2', `PORTO-${backend.name.toUpperCase()}`);
      const staff = chain.associates.find((a) => a.storeId === 'S02')!.id;
      const l = await skuAt('S02', 1);
      const discounted = order([{ ...l, qty: 1 }], { kind: 'pickup-other', storeId: 'S02' });
      const p = discounted.payload as { lines: { discount?: unknown }[]; tenders: { amount: number }[] };
      p.lines[0]!.discount = { kind: 'percent', value: 1000, reason: 'promotion' };
      const paid = l.unitPrice - Math.round(l.unitPrice / 10);
      p.tenders[0]!.amount = paid;
      expect((await t.pushOk([discounted])).results[0], 'order').toMatchObject({ status: 'applied' });
      await runDueJobs(store, clock);
      const o = (await row<OrderRow>('orders', idOf(discounted)))!;
      expect(o.lines[0]!.paid).toBe(paid);
      const r = await porto.pushOk([porto.command('order.mark-short', { orderId: o.id, storeId: 'S02', sku: l.sku }, { actor: staff })]);
      expect(r.results[0], JSON.stringify(r.results[0])).toMatchObject({ status: 'applied' });
      const after = (await row<OrderRow>('orders', o.id))!;
      expect(after.refunded).toBe(paid);
      expect(after.history!.find((e) => e.kind === 'refund')?.amount).toBe(paid);
    });

    it('[OR2][M1] when the pickup store lacks it, the nearest location with enough reserves it, and the order is in all three streams', async () => {
      const l = await skuAt('S03', 1, { loc: 'S02', max: 0 });
      const cmd = order([{ ...l, qty: 1 }], { kind: 'pickup-other', storeId: 'S02' });
      expect((await t.pushOk([cmd])).results[0]).toMatchObject({ status: 'applied' });
      await runDueJobs(store, clock);
      const o = (await row<OrderRow>('orders', idOf(cmd)))!;
      expect(o.status).toBe('placed');
      expect(o.storeId).toBe('S02');
      const at = o.storeOrder!.allocations![0]!.locationId;
      expect(at).not.toBe('S02');
      expect(await streamsOf(o.id)).toEqual([...new Set(['store:S01', 'store:S02', `store:${at}`])].sort());
    });

    it('[OR3][J1][O3] Porto hands over an order reserved at another store: its tablet writes only its own stream, the system takes the stock off the other shelf', async () => {
      const porto = await TestTablet.enroll(app, 'Porto till 3', `PORTO-${backend.name.toUpperCase()}`);
      const staff = chain.associates.find((a) => a.storeId === 'S02')!.id;
      const l = await skuAt('S03', 1, { loc: 'S02', max: 0 });
      const cmd = order([{ ...l, qty: 1 }], { kind: 'pickup-other', storeId: 'S02' });
      await t.pushOk([cmd]);
      await runDueJobs(store, clock);
      const o = (await row<OrderRow>('orders', idOf(cmd)))!;
      const at = o.storeOrder!.allocations![0]!.locationId;
      expect(at).not.toBe('S02');
      const reserved = (await row<StockRow>('stock', stockKey(at, l.sku)))!;
      const ids = { orderId: o.id, storeId: 'S02' };
      const res = await porto.pushOk([porto.command('order.mark-ready', ids, { actor: staff }), porto.command('order.hand-over', { ...ids, code: o.number }, { actor: staff })]);
      expect(res.results.map((r) => r.status), JSON.stringify(res.results)).toEqual(['applied', 'applied']);
      // Until the follow-up runs, the other store's shelf is as it was.
      expect((await row<StockRow>('stock', stockKey(at, l.sku)))!.reserved).toBe(reserved.reserved);
      await runDueJobs(store, clock);
      const after = (await row<StockRow>('stock', stockKey(at, l.sku)))!;
      expect([after.onHand, after.reserved]).toEqual([reserved.onHand - 1, reserved.reserved - 1]);
      // Run again: moved once.
      await runDueJobs(store, clock);
      expect((await row<StockRow>('stock', stockKey(at, l.sku)))!.onHand).toBe(reserved.onHand - 1);
      expect((await row<OrderRow>('orders', o.id))!.status).toBe('collected');
    });

    it('[OR2] a line no location can cover raises unsourceable at the placing store and flags the customer for contact', async () => {
      const l = await skuAt('S01', 1);
      const cmd = order([{ ...l, qty: 900 }], { kind: 'ship-store' });
      expect((await t.pushOk([cmd])).results[0]).toMatchObject({ status: 'applied' });
      await runDueJobs(store, clock);
      const o = (await row<OrderRow>('orders', idOf(cmd)))!;
      expect(o.storeOrder!.unsourced).toEqual([{ sku: l.sku, qty: expect.any(Number) }]);
      const ex = (await store.db.selectFrom('rows').select('data').where('tbl', '=', 'exceptions').where('stream', '=', 'store:S01').execute())
        .map((r) => JSON.parse(r.data ?? 'null') as ExceptionRow | null)
        .find((e) => e?.kind === 'unsourceable' && (e.details as { orderId?: string }).orderId === o.id);
      expect(ex?.message).toMatch(new RegExp(`Order ${o.number}.*Call the customer`));
      const c = (await row<CustomerRow>('customers', customer().id))!;
      expect(has(c.tags, CONTACT_TAG)).toBe(true);
    });

    it('[OR3] a ship-to-home order carries its address and a promised delivery date', async () => {
      const l = await skuAt('W01', 1);
      const cmd = order([{ ...l, qty: 1 }], { kind: 'ship-home', address: { street: 'Rua Garrett 12', city: 'Lisboa', postalCode: '1200-203', country: 'PT' } });
      expect((await t.pushOk([cmd])).results[0]).toMatchObject({ status: 'applied' });
      await runDueJobs(store, clock);
      const o = (await row<OrderRow>('orders', idOf(cmd)))!;
      expect(o.fulfillment).toBe('ship');
      expect(o.shipTo).toMatchObject({ postalCode: '1200-203', country: 'PT' });
      expect(o.storeOrder!.promisedBy).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(Date.parse(o.storeOrder!.promisedBy!)).toBeGreaterThan(now);
    });

    it('[OR1] a ship-to-home address whose postal code does not fit its country is refused with a sentence naming the form', async () => {
      const l = await skuAt('S01', 1);
      const cmd = order([{ ...l, qty: 1 }], { kind: 'ship-home', address: { street: 'Rua Garrett 12', city: 'Lisboa', postalCode: '12002', country: 'PT' } });
      const [r] = (await t.pushOk([cmd])).results;
      expect(r).toMatchObject({ status: 'rejected', error: { code: 'invalid-payload' } });
      expect((r as Rejected).error.message).toMatch(/1200-109/);
    });

    it('[OR1][T3] the server prices the order itself: tenders short of its total are rejected underpaid', async () => {
      const l = await skuAt('S02', 1);
      const cmd = order([{ ...l, qty: 1 }], { kind: 'pickup-other', storeId: 'S02' }, { tenders: [{ kind: 'cash', amount: 1 }] });
      const [r] = (await t.pushOk([cmd])).results;
      expect(r).toMatchObject({ status: 'rejected', error: { code: 'underpaid' } });
      expect((r as Applied | Rejected).status).toBe('rejected');
    });
  });
}

for (const b of backends) orderingSuite(b);
