// [RE1] No-receipt returns at the lowest price the item sold for in the window, on SQLite and
// PostgreSQL (decisions 65–67): the server keeps each SKU's daily low with every sale and web order,
// re-prices a no-receipt return itself (the tablet's different quote stays on the line, the ledger
// gets the server's figure), the roll-up publishes the lows a tablet needs on the network stream,
// migration 0008 backfills both indexes from stored sales and orders, and purchases are found by
// number through an index, not a scan.
import { describe, it, expect } from 'vitest';
import { randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CompiledQuery, Migrator, sql } from 'kysely';
import { seededApp } from './helpers/fixture';
import { backends } from './helpers/stores';
import { TestTablet, approvalBy, createTestApp, MARTA } from './helpers/client';
import { openSqlite } from '../src/store/open';
import { migrations } from '../src/store/migrations';
import { rollUpPriceLows } from '../src/oms/price-lows';
import type { CommandResult } from '../../src/core/sync/protocol';
import type { PriceLowRow, ReturnRow, SaleRow } from '../../src/core/model';
import { returnSubject, type ReturnCreateSummary } from '../../src/core/returns/return-create';
import { DAY_MS, dayOf } from '../../src/core/returns/lowest-price';
import { encodeHlc } from '../../src/core/shared/hlc';

type Applied = Extract<CommandResult, { status: 'applied' }>;
const KEY = { 'x-api-key': 'demo-web-key' };

for (const backend of backends) {
  describe.skipIf(backend.skip)(`lowest price in the window (${backend.name})`, () => {
    const now = Date.UTC(2025, 5, 2, 9, 30, 0);
    const fx = seededApp(backend, (store) => createTestApp({ store, rollupIntervalMs: 0, jobsIntervalMs: 0, clock: { now: () => now } }));

    /** SKUs no seeded sale or order sold, with their EUR price. */
    const used = new Set<string>();
    const fresh = () => {
      for (const s of fx.chain.sales) for (const l of s.lines) used.add(l.sku);
      for (const o of fx.chain.orders) for (const l of o.lines) used.add(l.sku);
      const v = fx.chain.variants.find((x) => !used.has(x.sku) && (x.prices.EUR ?? 0) > 1000 && fx.chain.stock.some((st) => st.locationId === 'S01' && st.sku === x.sku && st.onHand > 5));
      if (!v) throw new Error('no SKU left');
      used.add(v.sku);
      return { sku: v.sku as string, unitPrice: v.prices.EUR! };
    };
    const push = async (t: TestTablet, type: string, payload: unknown, opts: { actor?: string; v?: number; at?: { wall: number } } = {}) => (await t.pushOk([t.command(type, payload, opts)])).results[0]!;
    const noReceipt = async (t: TestTablet, lines: { sku: string; qty: number; quoted?: number }[], customerId: string) => {
      t.receipts += 1;
      const p = { returnId: randomUUID(), receiptNo: `S01-${t.enrollment.deviceCode}-${String(t.receipts).padStart(6, '0')}`, storeId: 'S01', currency: 'EUR', refundTo: 'store-credit', customerId, lines: lines.map((l) => ({ ...l, disposition: 'restock', reason: 'other' })) };
      const cmd = t.command('return.create', { ...p, approval: await approvalBy(fx.db.store, MARTA, t.id, now, returnSubject(p.returnId)) }, { at: { wall: now } });
      return { id: p.returnId, cmdId: cmd.id, result: (await t.pushOk([cmd])).results[0] as Applied };
    };

    it('[RE1] the server re-prices a no-receipt return at the lowest price the item sold for in the window: net of the line discount, web orders counted, a sale before the window not; the tablet\'s other quote stays on the line and the ledger gets the server\'s figure', async () => {
      const t = await TestTablet.enroll(fx.app, 'Lows 1');
      const a = fresh();
      const b = fresh();
      const c = fx.chain.customers[2]!;
      // 40 % off 31 days ago (outside), 10 % off 3 days ago (inside), full price today.
      const sale = (l: typeof a, pct: number, daysAgo: number) => {
        const p = t.salePayload([{ ...l, qty: 2, ...(pct ? { discount: { kind: 'percent', value: pct * 100, reason: 'promotion' } } : {}) }]);
        const total = 2 * l.unitPrice - Math.round((2 * l.unitPrice * pct) / 100);
        return push(t, 'sale.complete', { ...p, tenders: [{ kind: 'cash', amount: total }] }, { v: 2, at: { wall: now - daysAgo * DAY_MS } });
      };
      expect(await sale(a, 40, 31)).toMatchObject({ status: 'applied' });
      expect(await sale(a, 10, 3)).toMatchObject({ status: 'applied' });
      expect(await sale(a, 0, 0)).toMatchObject({ status: 'applied' });
      const tenOff = Math.ceil((2 * a.unitPrice - Math.round((2 * a.unitPrice * 10) / 100)) / 2);

      // A web order of b, paid below the catalog price (the shop's promotion).
      const webPrice = b.unitPrice - 300;
      const placed = await fx.app.inject({
        method: 'POST',
        url: '/api/v1/channels/web/orders',
        headers: KEY,
        payload: { externalId: `LOWS-${backend.name}`, customer: { firstName: 'Inês', lastName: 'Barros', email: 'ines.lows@example.com', phone: '+351 912 345 678' }, lines: [{ sku: b.sku, qty: 1, unitPrice: webPrice }], currency: 'EUR', payment: { reference: 'psp_lows', amount: webPrice }, fulfillment: { kind: 'pickup', storeId: 'S01' } },
      });
      expect(placed.statusCode, placed.body).toBe(201);

      // The tablet quoted the catalog price for a (it knew no lows) and the right one for b.
      const before = await fx.db.store.transaction((tx) => tx.balancesOf([`credit:${c.id}`]));
      const r = await noReceipt(t, [{ sku: a.sku, qty: 1, quoted: a.unitPrice }, { sku: b.sku, qty: 2, quoted: webPrice }], c.id);
      expect(r.result.status).toBe('applied');
      expect(r.result.exceptions).toEqual([]);
      const s = r.result.summary as ReturnCreateSummary;
      expect(s.total).toBe(tenOff + 2 * webPrice);
      expect(s.refunds).toEqual([{ kind: 'store-credit', amount: tenOff + 2 * webPrice }]);
      expect(s.repriced).toBe(true);
      const ret = (await fx.db.store.getRow('returns', r.id)) as ReturnRow;
      expect(ret.lines.map((l) => ({ sku: l.sku, amount: l.amount, unitPrice: l.unitPrice, priceSource: l.priceSource, quoted: l.quoted }))).toEqual([
        { sku: a.sku, amount: tenOff, unitPrice: tenOff, priceSource: 'lowest', quoted: a.unitPrice },
        { sku: b.sku, amount: 2 * webPrice, unitPrice: webPrice, priceSource: 'lowest', quoted: undefined },
      ]);
      const after = await fx.db.store.transaction((tx) => tx.balancesOf([`credit:${c.id}`]));
      expect(after.get(`credit:${c.id}`)! - before.get(`credit:${c.id}`)!).toBe(tenOff + 2 * webPrice);
      const entry = await fx.db.store.db.selectFrom('ledger').selectAll().where('id', '=', `${r.cmdId}:credit`).executeTakeFirstOrThrow();
      expect(Number(entry.amount)).toBe(tenOff + 2 * webPrice);
    });

    it('[RE1] an item that did not sell in the window, or sold above today\'s price, is taken back at today\'s catalog price', async () => {
      const t = await TestTablet.enroll(fx.app, 'Lows 2');
      const a = fresh();
      const c = fx.chain.customers[3]!;
      const r = await noReceipt(t, [{ sku: a.sku, qty: 1 }], c.id);
      expect((r.result.summary as ReturnCreateSummary).total).toBe(a.unitPrice);
      expect(((await fx.db.store.getRow('returns', r.id)) as ReturnRow).lines[0]).toMatchObject({ unitPrice: a.unitPrice, priceSource: 'catalog' });
      expect((r.result.summary as ReturnCreateSummary).repriced).toBeUndefined();
    });

    it('[RE1] the roll-up publishes on the network stream the lows below the catalog price, only those, and withdraws them once the window has moved past', async () => {
      const t = await TestTablet.enroll(fx.app, 'Lows 3');
      const a = fresh();
      const full = fresh();
      const p = t.salePayload([{ ...a, qty: 1 }, { ...full, qty: 1 }]);
      const lines = [{ ...a, qty: 1, discount: { kind: 'amount', value: 500, reason: 'promotion' } }, { ...full, qty: 1 }];
      expect(await push(t, 'sale.complete', { ...p, lines, tenders: [{ kind: 'cash', amount: a.unitPrice - 500 + full.unitPrice }] }, { v: 2, at: { wall: now - DAY_MS } })).toMatchObject({ status: 'applied' });
      await rollUpPriceLows(fx.db.store, now);
      const network = await fx.db.store.pull('network', 0, 100_000);
      const lows = network.changes.filter((ch) => ch.table === 'priceLows' && !('deleted' in ch && ch.deleted));
      const published = lows.find((ch) => ch.key === a.sku);
      expect(published && 'row' in published ? (published.row as PriceLowRow) : undefined).toMatchObject({ sku: a.sku, lows: { EUR: a.unitPrice - 500 } });
      expect(lows.find((ch) => ch.key === full.sku)).toBeUndefined();
      // 31 days on, the sale has left the window: the row is withdrawn (a tombstone).
      const v = await fx.db.store.streamVersion('network');
      await rollUpPriceLows(fx.db.store, now + 31 * DAY_MS);
      const later = await fx.db.store.pull('network', v, 100_000);
      expect(later.changes.find((ch) => ch.table === 'priceLows' && ch.key === a.sku)).toMatchObject({ deleted: true });
    });

    it('[RE1] purchases are found by number through the purchase_numbers index, whatever the table\'s size', async () => {
      // Enough rows for the planner to prefer the index on its own (PostgreSQL) and statistics.
      const filler = Array.from({ length: 20_000 }, (_, i) => ({ number: `S09-T09-${String(i).padStart(6, '0')}`, tbl: 'sales', key: `filler-${i}` }));
      for (let i = 0; i < filler.length; i += 400) await fx.db.store.db.insertInto('purchase_numbers').values(filler.slice(i, i + 400)).execute();
      if (fx.db.backend === 'postgres') await sql`analyze purchase_numbers`.execute(fx.db.store.db);
      const q = fx.db.store.db.selectFrom('purchase_numbers').select(['tbl', 'key']).where('number', '=', 'S01-T01-000001').limit(4).compile();
      const explain = CompiledQuery.raw(`${fx.db.backend === 'postgres' ? 'explain' : 'explain query plan'} ${q.sql}`, [...q.parameters]);
      const rows = (await fx.db.store.db.executeQuery<Record<string, string>>(explain)).rows;
      const plan = rows.map((r) => r['QUERY PLAN'] ?? r.detail).join('\n');
      expect(plan).toMatch(fx.db.backend === 'postgres' ? /Index (Only )?Scan using purchase_numbers_pk/ : /SEARCH purchase_numbers USING (COVERING )?INDEX sqlite_autoindex_purchase_numbers_1 \(number=\?\)|USING PRIMARY KEY \(number=\?\)/);
      expect(plan).not.toMatch(/Seq Scan|SCAN purchase_numbers/);
      // And the lookup answers from it.
      const sale = fx.chain.sales[0]!;
      const found = await fx.db.store.transaction((tx) => tx.purchaseByNumber(sale.receiptNo));
      expect(found).toMatchObject({ kind: 'sale', row: { id: sale.id } });
    });
  });
}

describe('[RE1] migration 0008 on a database made by 0001–0007', () => {
  it('backfills purchase numbers and daily lows from the stored sales and orders, and marks their SKUs for the roll-up', async () => {
    const file = join(tmpdir(), `vitrine-0008-${randomUUID().slice(0, 8)}.sqlite`);
    const store = openSqlite(file);
    try {
      const all = migrations('sqlite');
      const before = Object.fromEntries(Object.entries(all).filter(([name]) => name < '0008'));
      expect((await new Migrator({ db: store.db, provider: { getMigrations: async () => before } }).migrateToLatest()).error).toBeUndefined();
      const day = Date.UTC(2025, 5, 1, 10, 0, 0);
      const sale = (id: string, receiptNo: string, sku: string, qty: number, lineTotal: number, wall: number): SaleRow =>
        ({ id, storeId: 'S01', deviceId: 'd', receiptNo, at: encodeHlc({ wall, counter: 0, node: 'd' }), actor: 'A', currency: 'EUR', lines: [{ sku, name: sku, qty, unitPrice: 5000, lineTotal, tax: 0 }], tenders: [], total: lineTotal, tax: 0, change: 0 }) as unknown as SaleRow;
      const rows = [
        sale('s1', 'S01-T01-000001', 'SKU-A', 2, 9000, day),
        sale('s2', 'S01-T01-000002', 'SKU-A', 1, 4800, day),
        sale('s3', 'S01-T01-000003', 'SKU-A', 1, 4000, day + DAY_MS),
      ];
      const order = { id: 'o1', number: 'W1234567', channel: 'web', storeId: 'S01', customerId: 'c', customerName: 'C', lines: [{ sku: 'SKU-B', name: 'B', qty: 3, unitPrice: 1000, paid: 2700 }], currency: 'BRL', total: 2700, fulfillment: 'pickup', status: 'placed', placedAt: new Date(day).toISOString(), readyBy: '', paymentRef: 'p' };
      let v = 0;
      for (const r of rows) await store.db.insertInto('rows').values({ tbl: 'sales', key: r.id, stream: 'store:S01', version: ++v, data: JSON.stringify(r), deleted: 0 }).execute();
      // [M1] An order in two streams is indexed once.
      for (const stream of ['store:S01', 'store:S02']) await store.db.insertInto('rows').values({ tbl: 'orders', key: order.id, stream, version: ++v, data: JSON.stringify(order), deleted: 0 }).execute();

      await store.migrate();

      const numbers = await store.db.selectFrom('purchase_numbers').selectAll().orderBy('number').execute();
      expect(numbers).toEqual([
        { number: 'S01-T01-000001', tbl: 'sales', key: 's1' },
        { number: 'S01-T01-000002', tbl: 'sales', key: 's2' },
        { number: 'S01-T01-000003', tbl: 'sales', key: 's3' },
        { number: 'W1234567', tbl: 'orders', key: 'o1' },
      ]);
      const lows = (await store.db.selectFrom('price_lows').selectAll().orderBy('sku').orderBy('day').execute()).map((r) => ({ ...r, day: Number(r.day), price: Number(r.price) }));
      expect(lows).toEqual([
        { sku: 'SKU-A', currency: 'EUR', day: dayOf(day), price: 4500 },
        { sku: 'SKU-A', currency: 'EUR', day: dayOf(day) + 1, price: 4000 },
        { sku: 'SKU-B', currency: 'BRL', day: dayOf(day), price: 900 },
      ]);
      expect((await store.db.selectFrom('price_dirty').select('sku').orderBy('sku').execute()).map((r) => r.sku)).toEqual(['SKU-A', 'SKU-B']);
      const found = await store.transaction((tx) => tx.purchaseByNumber('W1234567'));
      expect(found).toMatchObject({ kind: 'order', row: { id: 'o1' } });
    } finally {
      await store.close();
      for (const s of ['', '-wal', '-shm']) rmSync(file + s, { force: true });
    }
  });
});
