// GET /api/v1/sync/device [D5] on SQLite and PostgreSQL: a device learns its last seq, its last
// receipt number and the ids of its commands after a seq, so a restored tablet can renumber.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { backends, seedSmall, type Backend, type TestDb } from './helpers/stores';
import { TestTablet, errorOf, sellable, ANA } from './helpers/client';
import { createTestApp as createApp } from './helpers/client';
import { MAX_DEVICE_COMMANDS, type DeviceStateAnswer } from '../src/http/device-state';

function suite(backend: Backend) {
  describe.skipIf(backend.skip)(backend.name, () => {
    let db: TestDb;
    let app: FastifyInstance;
    let line: { sku: string; qty: number; unitPrice: number };
    let chain: Awaited<ReturnType<typeof seedSmall>>;

    beforeAll(async () => {
      db = await backend.open();
      chain = await seedSmall(db.store);
      const s = sellable(chain, 1)[0]!;
      line = { sku: s.stock.sku, qty: 1, unitPrice: s.unitPrice };
      app = await createApp({ store: db.store, rollupIntervalMs: 0 });
    });
    afterAll(async () => {
      await app?.close();
      await db?.destroy();
    });

    const state = (t: TestTablet, query = '') => app.inject({ method: 'GET', url: `/api/v1/sync/device${query}`, headers: t.auth });

    it('[D5] a new device has seq 0, no receipt and no commands', async () => {
      const t = await TestTablet.enroll(app);
      const r = await state(t);
      expect(r.statusCode).toBe(200);
      expect(r.json<DeviceStateAnswer>()).toEqual({ deviceId: t.id, lastSeq: 0, lastReceipt: 0, commands: [], more: false });
    });

    it('[D5][C4] answers the last seq, the last receipt number and the command ids after a seq, with their answers', async () => {
      const t = await TestTablet.enroll(app);
      const cmds = [t.sale([line]), t.sale([line]), t.sale([line])];
      // A rejected sale (Ana is no cashier) has no summary: its receipt number is not counted.
      const refused = t.sale([line], { actor: ANA });
      await t.pushOk([...cmds, refused]);
      const all = (await state(t)).json<DeviceStateAnswer>();
      expect(all).toMatchObject({ deviceId: t.id, lastSeq: 4, lastReceipt: 3, more: false });
      // [C4] With each command, the server's answer: a tablet whose answer was lost learns it here.
      expect(all.commands).toEqual([
        ...cmds.map((c) => ({ seq: c.seq, id: c.id, type: 'sale.complete', status: 'applied' })),
        { seq: refused.seq, id: refused.id, type: 'sale.complete', status: 'rejected', error: { code: 'forbidden', message: expect.any(String) } },
      ]);
      const after = (await state(t, '?after=2&limit=1')).json<DeviceStateAnswer>();
      expect(after).toMatchObject({ lastSeq: 4, commands: [{ seq: 3, id: cmds[2]!.id, status: 'applied' }], more: true });
    });

    it('[D5] a receipt e-mailed from this tablet (another tablet\'s sale, or an old one) does not move its receipt counter', async () => {
      const other = await TestTablet.enroll(app);
      const otherSales = [other.sale([line]), other.sale([line]), other.sale([line])];
      await other.pushOk(otherSales);
      const t = await TestTablet.enroll(app);
      const mine = t.sale([line]);
      await t.pushOk([mine]);
      const mail = (saleId: string) => t.command('receipt.email', { saleId, storeId: 'S01', email: 'customer@example.com' });
      // Its own sale #1, then the other tablet's #3: both summaries name a receipt number.
      const answer = await t.pushOk([mail((mine.payload as { saleId: string }).saleId), mail((otherSales[2]!.payload as { saleId: string }).saleId)]);
      expect(answer.results.map((r) => r.status)).toEqual(['applied', 'applied']);
      expect((await state(t)).json<DeviceStateAnswer>()).toMatchObject({ lastSeq: 3, lastReceipt: 1 });
    });

    it('[D5][OR1][RE1] an order and a return give out receipt numbers from the same counter as a sale, and count in the last one', async () => {
      const t = await TestTablet.enroll(app);
      const sale = t.sale([line]);
      const p = sale.payload as { saleId: string; receiptNo: string };
      const customerId = chain.customers.find((c) => c.email)!.id;
      // #2: an order for a customer, paid at the till like a sale.
      const order = t.command('order.create', { ...t.salePayload([line], { customerId }), orderId: randomUUID(), fulfillment: { kind: 'ship-store' }, seen: [{ sku: line.sku, where: [{ locationId: 'S01', available: 1 }] }] });
      await t.pushOk([sale, order]);
      expect((await state(t)).json<DeviceStateAnswer>()).toMatchObject({ lastSeq: 2, lastReceipt: 2 });
      // #3: a return of the sale. A restored tablet that did not count these would give out #2 or #3 again (sim seed 310).
      t.receipts += 1;
      const ret = t.command('return.create', { returnId: randomUUID(), receiptNo: `S01-${t.enrollment.deviceCode}-${String(t.receipts).padStart(6, '0')}`, storeId: 'S01', currency: 'EUR', refundTo: 'original', purchase: { kind: 'sale', id: p.saleId, number: p.receiptNo }, lines: [{ line: 0, sku: line.sku, qty: 1, disposition: 'restock', reason: 'wrong-size' }] });
      const [r] = (await t.pushOk([ret])).results;
      expect(r, JSON.stringify(r)).toMatchObject({ status: 'applied' });
      expect((await state(t)).json<DeviceStateAnswer>()).toMatchObject({ lastSeq: 3, lastReceipt: 3 });
    });

    it('[D5] [E1] answers only for the calling device, and refuses a bad query in words', async () => {
      const t = await TestTablet.enroll(app);
      const none = await app.inject({ method: 'GET', url: '/api/v1/sync/device' });
      expect(none.statusCode).toBe(401);
      const bad = await state(t, `?limit=${MAX_DEVICE_COMMANDS + 1}`);
      expect(bad.statusCode).toBe(400);
      expect(errorOf(bad)).toMatchObject({ code: 'invalid-body', message: expect.stringMatching(/limit/) });
    });
  });
}

describe('[D5] device state endpoint', () => {
  for (const b of backends) suite(b);
});
