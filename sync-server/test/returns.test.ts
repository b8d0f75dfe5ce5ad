// Returns on the server, on SQLite and PostgreSQL [RE1]–[RE7]: the server recomputes refunds from
// the purchase's prices [T3], applies over-returns and raises `over-returned` [RE4][C5], refunds to
// the drawer, the card, store credit or the web payment [RE5], restocks [RE6], checks unseen web
// orders [RE7], and records each return exactly once.
import { describe, it, expect } from 'vitest';
import { randomUUID } from 'node:crypto';
import { seededApp } from './helpers/fixture';
import { backends } from './helpers/stores';
import { TestTablet, approvalBy, createTestApp, ANA, CARLOS, MARTA } from './helpers/client';
import { webOrderId } from '../src/http/channels';
import { stockKey, type CustomerRow, type ExceptionRow, type HistoryRow, type ReturnTallyRow, type SaleRow, type ShiftRow, type StockRow } from '../../src/core/model';
import type { CommandResult, PushResponse } from '../../src/core/sync/protocol';
import { lineRefund } from '../../src/core/returns/return-math';
import { returnSubject, type ReturnCreateSummary } from '../../src/core/returns/return-create';
import { xReport } from '../../src/core/register/shift-report';

type Applied = Extract<CommandResult, { status: 'applied' }>;
const KEY = { 'x-api-key': 'demo-web-key' };

for (const backend of backends) {
  describe.skipIf(backend.skip)(`returns (${backend.name})`, () => {
    let n = 0;
    const now = Date.UTC(2025, 5, 2, 9, 30, 0);
    const fx = seededApp(backend, (store) => createTestApp({ store, rollupIntervalMs: 0, jobsIntervalMs: 0, clock: { now: () => now } }));

    const row = <T>(table: Parameters<typeof fx.db.store.getRow>[0], key: string) => fx.db.store.getRow(table, key) as Promise<T | undefined>;
    /** A SKU with stock at S01, its price, not used by another test of this file. */
    const used = new Set<string>();
    const item = async () => {
      for (const s of fx.chain.stock.filter((x) => x.locationId === 'S01' && !used.has(x.sku))) {
        const price = fx.chain.variants.find((v) => v.sku === s.sku)?.prices.EUR ?? 0;
        const cur = await row<StockRow>('stock', s.key);
        if (price > 100 && cur && cur.onHand - cur.reserved >= 3) {
          used.add(s.sku);
          return { sku: s.sku as string, unitPrice: price };
        }
      }
      throw new Error('no SKU left');
    };
    const returnPayload = (t: TestTablet, extra: Record<string, unknown>) => {
      t.receipts += 1;
      return { returnId: randomUUID(), receiptNo: `S01-${t.enrollment.deviceCode}-${String(t.receipts).padStart(6, '0')}`, storeId: 'S01', currency: 'EUR', refundTo: 'original', ...extra };
    };
    const push = async (t: TestTablet, type: string, payload: unknown, opts: { actor?: string; v?: number } = {}) => (await t.pushOk([t.command(type, payload, opts)])).results[0]!;
    const openShift = async (t: TestTablet) => {
      const shiftId = randomUUID();
      expect(await push(t, 'shift.open', { shiftId, storeId: 'S01', float: 10_000 })).toMatchObject({ status: 'applied' });
      return shiftId;
    };
    const exceptionsOf = async (commandId: string) =>
      (await fx.db.store.db.selectFrom('rows').select('data').where('tbl', '=', 'exceptions').where('deleted', '=', 0).execute())
        .map((r) => JSON.parse(r.data!) as ExceptionRow)
        .filter((e) => e.commandId === commandId);

    it('[RE5][RE6][T3][SH1] a cash return refunds what the line cost after its discount (not a price the tablet names), from the open shift, and restocks here', async () => {
      const t = await TestTablet.enroll(fx.app, 'Returns 1');
      const shiftId = await openShift(t);
      const l = await item();
      const salePayload = { ...t.salePayload([{ ...l, qty: 3 }]), cartDiscount: { kind: 'percent', value: 1000, reason: 'promotion' }, shiftId };
      // 10 % off 3 × price: the cash tender is the discounted total.
      const total = 3 * l.unitPrice - Math.round((3 * l.unitPrice * 1000) / 10000);
      salePayload.tenders = [{ kind: 'cash', amount: total }];
      expect(await push(t, 'sale.complete', salePayload, { v: 2 })).toMatchObject({ status: 'applied' });
      const sale = (await row<SaleRow>('sales', salePayload.saleId))!;
      const before = (await row<StockRow>('stock', stockKey('S01', l.sku)))!;
      const shiftBefore = xReport((await row<ShiftRow>('shifts', shiftId))!.float, (await row<ShiftRow>('shifts', shiftId))!.totals);

      // The tablet adds a made-up unitPrice: the schema drops it and the server prices from the sale.
      const p = returnPayload(t, { purchase: { kind: 'sale', id: sale.id, number: sale.receiptNo }, lines: [{ line: 0, sku: l.sku, qty: 1, disposition: 'restock', reason: 'wrong-size', unitPrice: 1 }], shiftId });
      const r = (await push(t, 'return.create', p)) as Applied;
      expect(r.status).toBe('applied');
      const expected = lineRefund({ sku: l.sku, name: '', qty: 3, lineTotal: sale.lines[0]!.lineTotal }, 0, 1);
      expect(expected).not.toBe(l.unitPrice);
      expect((r.summary as ReturnCreateSummary).refunds).toEqual([{ kind: 'cash', amount: expected }]);
      const after = (await row<StockRow>('stock', stockKey('S01', l.sku)))!;
      expect(after.onHand).toBe(before.onHand + 1);
      const moves = await fx.db.store.db.selectFrom('movements').selectAll().where('kind', '=', 'return-restock').where('sku', '=', l.sku).execute();
      expect(moves.map((m) => Number(m.qty))).toEqual([1]);
      const shift = (await row<ShiftRow>('shifts', shiftId))!;
      expect(xReport(shift.float, shift.totals).expectedCash).toBe(shiftBefore.expectedCash - expected);
      const tally = (await row<ReturnTallyRow>('returnTallies', sale.id))!;
      expect(tally.returned).toEqual([1]);

      // [RE3] Sums match: returning the other two refunds exactly the rest of the line.
      const rest = (await push(t, 'return.create', returnPayload(t, { purchase: { kind: 'sale', id: sale.id, number: sale.receiptNo }, lines: [{ line: 0, sku: l.sku, qty: 2, disposition: 'damaged', reason: 'defective' }], shiftId }))) as Applied;
      expect((rest.summary as ReturnCreateSummary).refunds[0]!.amount + expected).toBe(sale.lines[0]!.lineTotal);
      // Damaged goods do not go back on the shelf.
      expect((await row<StockRow>('stock', stockKey('S01', l.sku)))!.onHand).toBe(before.onHand + 1);
    });

    it('[RE3][RE4][C5] two tablets return the same line offline: both are applied, the second raises over-returned, and the goods are counted twice', async () => {
      const seller = await TestTablet.enroll(fx.app, 'Returns sell');
      const l = await item();
      const sp = seller.salePayload([{ ...l, qty: 1 }]);
      await push(seller, 'sale.complete', sp);
      const before = (await row<StockRow>('stock', stockKey('S01', l.sku)))!;
      const a = await TestTablet.enroll(fx.app, 'Returns A');
      const b = await TestTablet.enroll(fx.app, 'Returns B');
      const purchase = { kind: 'sale', id: sp.saleId, number: sp.receiptNo };
      const line = [{ line: 0, sku: l.sku, qty: 1, disposition: 'restock', reason: 'changed-mind' }];
      const ca = a.command('return.create', returnPayload(a, { purchase, lines: line, refundTo: 'original' }));
      const cb = b.command('return.create', returnPayload(b, { purchase, lines: line, refundTo: 'original' }));
      // Each tablet handed the cash back before it knew of the other (no shift here: each also raises its own cash alarm).
      const ra = (await a.pushOk([ca])).results[0] as Applied;
      const rb = (await b.pushOk([cb])).results[0] as Applied;
      expect([ra.status, rb.status]).toEqual(['applied', 'applied']);
      expect(ra.exceptions.map((e) => e.kind)).not.toContain('over-returned');
      expect(rb.exceptions.map((e) => e.kind)).toContain('over-returned');
      const over = (await exceptionsOf(cb.id)).filter((e) => e.kind === 'over-returned');
      expect(over).toHaveLength(1);
      expect(over[0]!.message).toMatch(/more than was left to return/);
      expect((await row<ReturnTallyRow>('returnTallies', sp.saleId))!.returned).toEqual([2]);
      expect((await row<StockRow>('stock', stockKey('S01', l.sku)))!.onHand).toBe(before.onHand + 2);
      // A retry of the second push is answered from the record: nothing twice.
      const again = (await b.pushOk([cb])).results[0]!;
      expect(again.status).toBe('duplicate');
      expect((await row<ReturnTallyRow>('returnTallies', sp.saleId))!.returned).toEqual([2]);
    });

    it('[RE5][LO2][CL1] store credit: a ledger entry with a deterministic id, the balance grows, points earned are taken back pro rata, the history shows the return', async () => {
      const t = await TestTablet.enroll(fx.app, 'Returns credit');
      const l = await item();
      const c = fx.chain.customers.find((x) => x.tier === '')!;
      const sp = t.salePayload([{ ...l, qty: 2 }], { customerId: c.id });
      await push(t, 'sale.complete', sp);
      const sale = (await row<SaleRow>('sales', sp.saleId))!;
      const cBefore = (await row<CustomerRow>('customers', c.id))!;
      const cmd = t.command('return.create', returnPayload(t, { purchase: { kind: 'sale', id: sale.id, number: sale.receiptNo }, lines: [{ line: 0, sku: l.sku, qty: 1, disposition: 'restock', reason: 'wrong-size' }], refundTo: 'store-credit' }));
      const r = (await t.pushOk([cmd])).results[0] as Applied;
      expect(r.status).toBe('applied');
      const amount = lineRefund({ sku: l.sku, name: '', qty: 2, lineTotal: sale.lines[0]!.lineTotal }, 0, 1);
      const s = r.summary as ReturnCreateSummary;
      expect(s.refunds).toEqual([{ kind: 'store-credit', amount }]);
      expect(s.pointsReversed).toBe(Math.round((sale.pointsEarned! * amount) / sale.total));
      const ledger = await fx.db.store.db.selectFrom('ledger').selectAll().where('command_id', '=', cmd.id).execute();
      expect(ledger.map((e) => [e.id, e.account, Number(e.amount)]).sort()).toEqual(
        [[`${cmd.id}:credit`, `credit:${c.id}`, amount], ...(s.pointsReversed ? [[`${cmd.id}:unearn`, `points:${c.id}`, -s.pointsReversed]] : [])].sort(),
      );
      const cAfter = (await row<CustomerRow>('customers', c.id))!;
      expect(cAfter.storeCredit).toBe(cBefore.storeCredit + amount);
      expect(cAfter.points).toBe(cBefore.points - s.pointsReversed);
      const history = (await row<HistoryRow>('history', c.id))!;
      expect(history.entries[0]).toMatchObject({ kind: 'return', number: s.number, total: -amount });
    });

    it('[RE5][W2][RE6] a web order returned in the store: refund requested to the web payment, shown with the returned line in the channel\'s order status; S01 stock +1', async () => {
      const t = await TestTablet.enroll(fx.app, 'Returns web');
      const l = await item();
      const externalId = `RET-${backend.name}-${++n}`;
      const placed = await fx.app.inject({
        method: 'POST',
        url: '/api/v1/channels/web/orders',
        headers: KEY,
        payload: { externalId, customer: { firstName: 'Inês', lastName: 'Barros', email: 'ines@example.com', phone: '+351 912 345 678' }, lines: [{ ...l, qty: 1 }], currency: 'EUR', payment: { reference: 'psp_ret', amount: l.unitPrice }, fulfillment: { kind: 'pickup', storeId: 'S01' } },
      });
      expect(placed.statusCode, placed.body).toBe(201);
      const o = placed.json<{ orderId: string; number: string }>();
      const ids = { orderId: o.orderId, storeId: 'S01' };
      await push(t, 'order.mark-ready', ids, { actor: ANA });
      await push(t, 'order.hand-over', { ...ids, code: o.number }, { actor: ANA });
      const before = (await row<StockRow>('stock', stockKey('S01', l.sku)))!;
      const r = (await push(t, 'return.create', returnPayload(t, { purchase: { kind: 'order', id: o.orderId, number: o.number }, lines: [{ line: 0, sku: l.sku, qty: 1, disposition: 'restock', reason: 'not-as-described' }] }))) as Applied;
      expect(r.status).toBe('applied');
      expect((r.summary as ReturnCreateSummary).refunds).toEqual([{ kind: 'web', amount: l.unitPrice, ref: 'psp_ret' }]);
      expect((await row<StockRow>('stock', stockKey('S01', l.sku)))!.onHand).toBe(before.onHand + 1);
      const status = (await fx.app.inject({ method: 'GET', url: `/api/v1/channels/web/orders/${externalId}`, headers: KEY })).json<{ refunded: number; history: { kind: string; sku?: string; amount?: number }[]; returned: { returned: number }[] }>();
      expect(status.refunded).toBe(l.unitPrice);
      expect(status.history.filter((e) => e.kind === 'returned')).toMatchObject([{ sku: l.sku, qty: 1 }]);
      expect(status.history.filter((e) => e.kind === 'refund')).toMatchObject([{ amount: l.unitPrice, to: 'web' }]);
      expect(status.returned).toEqual([{ sku: l.sku, qty: 1, returned: 1 }]);
      expect(webOrderId(externalId)).toBe(o.orderId);
    });

    it('[RE7] an order the tablet never saw: by number, store credit only; the server matches it (no alarm) or raises return-unverified when it does not exist', async () => {
      const t = await TestTablet.enroll(fx.app, 'Returns unseen');
      const seeded = fx.chain.orders[0]!;
      const line = seeded.lines[0]!;
      const good = (await push(t, 'return.create', returnPayload(t, { purchase: { kind: 'order', number: seeded.number }, customerId: seeded.customerId, lines: [{ sku: line.sku, qty: 1, disposition: 'restock', reason: 'wrong-size' }], refundTo: 'store-credit' }))) as Applied;
      expect(good.status).toBe('applied');
      expect(good.exceptions.map((e) => e.kind)).not.toContain('return-unverified');
      expect((good.summary as ReturnCreateSummary).refunds).toEqual([{ kind: 'store-credit', amount: line.unitPrice }]);
      expect((await row<ReturnTallyRow>('returnTallies', seeded.id))!.returned[0]).toBe(1);

      const bad = (await push(t, 'return.create', returnPayload(t, { purchase: { kind: 'order', number: 'W9999999' }, customerId: seeded.customerId, lines: [{ sku: line.sku, qty: 1, disposition: 'damaged', reason: 'defective' }], refundTo: 'store-credit' }))) as Applied;
      expect(bad.status).toBe('applied');
      expect(bad.exceptions.map((e) => e.kind)).toContain('return-unverified');
      expect((bad.summary as ReturnCreateSummary).unverified).toBe(true);
    });

    it('[RE1][RO3][T2] a no-receipt return goes to store credit at the catalog price; without Marta\'s approval it is applied and flagged, with it it is not', async () => {
      const t = await TestTablet.enroll(fx.app, 'Returns no receipt');
      const l = await item();
      const c = fx.chain.customers[1]!;
      const bare = (await push(t, 'return.create', returnPayload(t, { customerId: c.id, lines: [{ sku: l.sku, qty: 1, disposition: 'restock', reason: 'other' }], refundTo: 'store-credit' }))) as Applied;
      expect(bare.exceptions.map((e) => e.kind)).toContain('return-unverified');
      expect((bare.summary as ReturnCreateSummary).refunds).toEqual([{ kind: 'store-credit', amount: l.unitPrice }]);

      const p = returnPayload(t, { customerId: c.id, lines: [{ sku: l.sku, qty: 1, disposition: 'restock', reason: 'other' }], refundTo: 'store-credit' });
      const cmd = t.command('return.create', { ...p, approval: await approvalBy(fx.db.store, MARTA, t.id, now, returnSubject(p.returnId)) });
      const ok = (await t.pushOk([cmd])).results[0] as Applied;
      expect(ok.status).toBe('applied');
      expect(ok.exceptions).toEqual([]);
      expect((await row<{ approvedBy?: string }>('returns', p.returnId))!.approvedBy).toBe(MARTA);

      // A no-receipt return to cash is refused by the schema: it cannot have happened.
      const cash = (await push(t, 'return.create', returnPayload(t, { lines: [{ sku: l.sku, qty: 1, disposition: 'restock', reason: 'other' }], refundTo: 'original' }))) as PushResponse['results'][number];
      expect(cash).toMatchObject({ status: 'rejected', error: { code: 'invalid-payload' } });
    });

    it('[RO2] a return above the refund limit needs a manager', async () => {
      const t = await TestTablet.enroll(fx.app, 'Returns limit');
      const l = await item();
      const qty = Math.ceil(50_001 / l.unitPrice) + 1;
      const sp = { ...t.salePayload([{ ...l, qty }]) };
      await push(t, 'sale.complete', sp);
      const big = (await push(t, 'return.create', returnPayload(t, { purchase: { kind: 'sale', id: sp.saleId, number: sp.receiptNo }, lines: [{ line: 0, sku: l.sku, qty, disposition: 'restock', reason: 'changed-mind' }] }))) as Applied;
      expect(big.status).toBe('applied');
      expect(big.exceptions.find((e) => e.kind === 'return-unverified')?.message).toMatch(/limit/);
    });

    it('[T3] offline caps: a return refunding more than 200.00 in cash, or worth more than 100.00 without a receipt, is applied and raises offline-limit; online or to store credit it does not', async () => {
      const t = await TestTablet.enroll(fx.app, 'Returns offline');
      const shiftId = await openShift(t);
      const l = await item();
      const qty = Math.ceil(20_001 / l.unitPrice);
      const sp = { ...t.salePayload([{ ...l, qty }]) };
      await push(t, 'sale.complete', sp);
      const line = { line: 0, sku: l.sku, qty, disposition: 'restock', reason: 'changed-mind' };
      const purchase = { kind: 'sale', id: sp.saleId, number: sp.receiptNo };
      const flagged = (await push(t, 'return.create', returnPayload(t, { purchase, lines: [line], shiftId, offline: true }))) as Applied;
      expect(flagged.status).toBe('applied');
      expect(flagged.exceptions.map((e) => e.kind)).toContain('offline-limit');
      const sp2 = { ...t.salePayload([{ ...l, qty }]) };
      await push(t, 'sale.complete', sp2);
      const online = (await push(t, 'return.create', returnPayload(t, { purchase: { ...purchase, id: sp2.saleId, number: sp2.receiptNo }, lines: [line], shiftId }))) as Applied;
      expect(online.exceptions.map((e) => e.kind)).not.toContain('offline-limit');
      // No receipt, offline, above 100.00 (with Marta's approval, which does not lift the offline cap).
      const noReceipt = (await push(t, 'return.create', returnPayload(t, { lines: [{ sku: l.sku, qty: Math.ceil(10_001 / l.unitPrice), disposition: 'restock', reason: 'other' }], refundTo: 'store-credit', customerId: fx.chain.customers[0]!.id, offline: true }))) as Applied;
      expect(noReceipt.exceptions.filter((e) => e.kind === 'offline-limit')).toHaveLength(1);
    });

    it('[RE8][SH1] an exchange with money back: the new sale is paid from the refund in cash (the drawer nets to the difference), the rest goes back to the card', async () => {
      const t = await TestTablet.enroll(fx.app, 'Returns exchange');
      const shiftId = await openShift(t);
      const a = await item();
      const sp = { ...t.salePayload([{ ...a, qty: 1 }]), tenders: [{ kind: 'card', amount: a.unitPrice, ref: 'SIM-1' }], shiftId };
      await push(t, 'sale.complete', sp, { v: 2 });
      const shift0 = (await row<ShiftRow>('shifts', shiftId))!;
      const x0 = xReport(shift0.float, shift0.totals).expectedCash;
      // The new item costs less: it is paid with part of the refund, the rest goes back to the card.
      const cheaper = Math.max(1, Math.floor(a.unitPrice / 3));
      const exchangeSaleId = randomUUID();
      const ret = (await push(t, 'return.create', returnPayload(t, { purchase: { kind: 'sale', id: sp.saleId, number: sp.receiptNo }, lines: [{ line: 0, sku: a.sku, qty: 1, disposition: 'restock', reason: 'wrong-size' }], shiftId, exchange: { saleId: exchangeSaleId, amount: cheaper }, cardRef: 'RSIM-9' }))) as Applied;
      expect(ret.status).toBe('applied');
      expect((ret.summary as ReturnCreateSummary).refunds).toEqual([
        { kind: 'card', amount: a.unitPrice - cheaper, ref: 'RSIM-9' },
        { kind: 'cash', amount: cheaper, ref: 'exchange' },
      ]);
      const b = await item();
      const sale2 = { ...t.salePayload([{ sku: b.sku, qty: 1, unitPrice: b.unitPrice }]), saleId: exchangeSaleId, tenders: [{ kind: 'cash', amount: b.unitPrice }], shiftId };
      // (The test's second item has its own price; the drawer's check below is about the exchange's cash only.)
      await push(t, 'sale.complete', sale2, { v: 2 });
      const shift1 = (await row<ShiftRow>('shifts', shiftId))!;
      expect(xReport(shift1.float, shift1.totals).expectedCash).toBe(x0 - cheaper + b.unitPrice);
      const stored = await fx.db.store.db.selectFrom('rows').select('data').where('tbl', '=', 'returns').where('data', 'like', `%${exchangeSaleId}%`).execute();
      expect(stored).toHaveLength(1);
      // The card part counts against the card; the exchange's cash does not count against the sale's tenders.
      expect((await row<ReturnTallyRow>('returnTallies', sp.saleId))!.refunded).toEqual({ card: a.unitPrice - cheaper });
    });

    it('[RE1][RE3] the lookup finds another store\'s sale and a web order by number, with bought, returned and returnable per line; an unknown number is a 404 in words', async () => {
      const t = await TestTablet.enroll(fx.app, 'Returns lookup');
      const other = fx.chain.sales.find((s) => s.storeId !== 'S01')!;
      const look = (number: string, auth = t.auth) => fx.app.inject({ method: 'GET', url: `/api/v1/returns/lookup?number=${encodeURIComponent(number)}`, headers: auth });
      const r = await look(other.receiptNo.toLowerCase());
      expect(r.statusCode, r.body).toBe(200);
      const a = r.json<{ purchase: { id: string; storeId: string; lines: { qty: number; returned: number; returnable: number }[] } }>();
      expect(a.purchase).toMatchObject({ id: other.id, storeId: other.storeId });
      expect(a.purchase.lines.map((l) => [l.qty, l.returned, l.returnable])).toEqual(other.lines.map((l) => [l.qty, 0, l.qty]));

      // After a return of one unit of an S01 order, the lookup shows it as returned.
      const o = fx.chain.orders[1]!;
      await push(t, 'return.create', returnPayload(t, { purchase: { kind: 'order', id: o.id, number: o.number }, lines: [{ line: 0, sku: o.lines[0]!.sku, qty: 1, disposition: 'restock', reason: 'wrong-size' }], refundTo: 'store-credit' }));
      const b = (await look(o.number)).json<{ purchase: { lines: { qty: number; returned: number; returnable: number }[] }; returns: unknown[] }>();
      expect(b.purchase.lines[0]).toMatchObject({ qty: o.lines[0]!.qty, returned: 1, returnable: o.lines[0]!.qty - 1 });
      expect(b.returns).toHaveLength(1);

      const missing = await look('S09-T99-000001');
      expect(missing.statusCode).toBe(404);
      expect(missing.json<{ error: { message: string } }>().error.message).toMatch(/No sale or web order has the number S09-T99-000001/);
      expect((await look('not a number!')).statusCode).toBe(400);
      expect((await look(o.number, {})).statusCode).toBe(401);
    });

    it('[T3] bounds: a quantity of 10,000 is refused with a sentence; an associate may not take a return', async () => {
      const t = await TestTablet.enroll(fx.app, 'Returns bounds');
      const l = await item();
      const big = await push(t, 'return.create', returnPayload(t, { customerId: fx.chain.customers[2]!.id, lines: [{ sku: l.sku, qty: 10_000, disposition: 'restock', reason: 'other' }], refundTo: 'store-credit' }));
      expect(big).toMatchObject({ status: 'rejected', error: { code: 'invalid-payload' } });
      const byAna = await push(t, 'return.create', returnPayload(t, { customerId: fx.chain.customers[2]!.id, lines: [{ sku: l.sku, qty: 1, disposition: 'restock', reason: 'other' }], refundTo: 'store-credit' }), { actor: ANA });
      expect(byAna).toMatchObject({ status: 'rejected', error: { code: 'forbidden' } });
      expect(CARLOS).toBeTruthy();
    });
  });
}
