// [T3] The server checks what a tablet claims about a sale, on SQLite and PostgreSQL: bounds on
// quantities, amounts and sizes; prices against the catalog; ledger tenders debited with overdraft
// exceptions [C5]; receipt numbers against the device; currency against the store; discount limits.
import { describe, it, expect } from 'vitest';
import { backends } from './helpers/stores';
import { seededApp } from './helpers/fixture';
import { TestTablet, sellable, approvalBy, CARLOS, MARTA } from './helpers/client';
import type { CustomerRow, ExceptionRow, SaleRow, StockRow } from '../../src/core/model';
import type { PushResponse } from '../../src/core/sync/protocol';

type Applied = Extract<PushResponse['results'][number], { status: 'applied' }>;
type Rejected = Extract<PushResponse['results'][number], { status: 'rejected' }>;

for (const backend of backends) {
  describe.skipIf(backend.skip)(backend.name, () => {
    const fx = seededApp(backend);

    const item = () => sellable(fx.chain, 1)[0]!;
    const customerRow = async (id: string) => (await fx.db.store.getRow('customers', id)) as CustomerRow;
    // Oversold depends on how much the tests before sold of the same SKU: not what these tests look at.
    const kinds = (r: PushResponse['results'][number]) => (r as Applied).exceptions.map((e) => e.kind).filter((k) => k !== 'oversold').sort();
    /** A v2 sale: the v1 payload plus whatever the test adds. */
    function v2(t: TestTablet, extra: Record<string, unknown>, lines = [{ sku: item().stock.sku, qty: 1, unitPrice: item().unitPrice }], opts: { customerId?: string } = {}) {
      return t.command('sale.complete', { ...t.salePayload(lines, opts), ...extra }, { v: 2 });
    }

    it('[T3] a quantity × price above 2^53 is refused as invalid-payload with a sentence, not a 500; stock is untouched', async () => {
      const t = await TestTablet.enroll(fx.app, 'Overflow');
      const { stock, unitPrice } = item();
      const before = (await fx.db.store.getRow('stock', stock.key)) as StockRow;
      const res = await t.pushOk([t.sale([{ sku: stock.sku, qty: 9_007_199_254_740, unitPrice: Math.max(unitPrice, 1001) }])]);
      expect(res.results[0]).toMatchObject({ status: 'rejected', error: { code: 'invalid-payload' } });
      expect((res.results[0] as Rejected).error.message).toMatch(/at most 9999 items/);
      expect(((await fx.db.store.getRow('stock', stock.key)) as StockRow).onHand).toBe(before.onHand);
    });

    it('[T3] a sale of 10,000 lines is refused; one of 200 is applied', async () => {
      const t = await TestTablet.enroll(fx.app, 'Long sale');
      const { stock, unitPrice } = item();
      const huge = t.sale(Array.from({ length: 10_000 }, () => ({ sku: stock.sku, qty: 1, unitPrice })));
      const most = t.sale(Array.from({ length: 200 }, () => ({ sku: stock.sku, qty: 1, unitPrice })));
      const res = await t.pushOk([huge, most]);
      expect(res.results.map((r) => r.status)).toEqual(['rejected', 'applied']);
      expect((res.results[0] as Rejected).error.message).toMatch(/at most 200 lines/);
    });

    it('[T3][C5] a 10,000,000.00 item paid with points is applied, debits the points, earns none for them, and raises loyalty-overdraft and price-mismatch', async () => {
      const t = await TestTablet.enroll(fx.app, 'Points');
      const c = fx.chain.customers.find((x) => x.tier === 'gold') ?? fx.chain.customers[0]!;
      const before = await customerRow(c.id);
      const { stock } = item();
      const price = 1_000_000_000;
      const cmd = t.command('sale.complete', { ...t.salePayload([{ sku: stock.sku, qty: 1, unitPrice: price }], { customerId: c.id }), tenders: [{ kind: 'loyalty', amount: price }] });
      const [r] = (await t.pushOk([cmd])).results;
      expect(r!.status).toBe('applied');
      expect(kinds(r!)).toEqual(['loyalty-overdraft', 'price-mismatch']);
      const after = await customerRow(c.id);
      expect(after.points).toBe(before.points - price); // 100 points = 1.00: one point per cent
      const sale = (await fx.db.store.getRow('sales', (cmd.payload as { saleId: string }).saleId)) as SaleRow;
      expect(sale.pointsEarned).toBe(0);
      expect(sale.tenders[0]).toMatchObject({ kind: 'loyalty', points: price });
    });

    it('[T3][LO3] points redeemed offline beyond the tablet\'s cap are applied and raise offline-limit; the same online, or within the cap, do not', async () => {
      const t = await TestTablet.enroll(fx.app, 'Offline points');
      const c = fx.chain.customers[2]!;
      const { stock } = item();
      const price = 60_000; // 60,000 points: above the 50,000 offline cap
      const sale = (tender: Record<string, unknown>, unitPrice = price) => t.command('sale.complete', { ...t.salePayload([{ sku: stock.sku, qty: 1, unitPrice }], { customerId: c.id }), tenders: [tender] }, { v: 2 });
      const res = await t.pushOk([sale({ kind: 'loyalty', amount: price, offline: true }), sale({ kind: 'loyalty', amount: price }), sale({ kind: 'loyalty', amount: 40_000, offline: true }, 40_000)]);
      const flagged = res.results.map((r) => r.status === 'applied' && r.exceptions.some((e) => e.kind === 'offline-limit'));
      expect(flagged).toEqual([true, false, false]);
    });

    it('[T3][C5] store credit is debited from its ledger; spending more than the balance raises store-credit-overdraft', async () => {
      const t = await TestTablet.enroll(fx.app, 'Credit');
      const c = fx.chain.customers[1]!;
      const before = await customerRow(c.id);
      const { stock, unitPrice } = item();
      const cmd = t.command('sale.complete', { ...t.salePayload([{ sku: stock.sku, qty: 1, unitPrice }], { customerId: c.id }), tenders: [{ kind: 'store-credit', amount: unitPrice }] });
      const [r] = (await t.pushOk([cmd])).results;
      expect(r!.status).toBe('applied');
      expect(kinds(r!)).toEqual(before.storeCredit >= unitPrice ? [] : ['store-credit-overdraft']);
      expect((await customerRow(c.id)).storeCredit).toBe(before.storeCredit - unitPrice);
    });

    it('[T3] a store-credit or loyalty tender with no customer is rejected tender-needs-customer', async () => {
      const t = await TestTablet.enroll(fx.app, 'No customer');
      const { stock, unitPrice } = item();
      const cmd = t.command('sale.complete', { ...t.salePayload([{ sku: stock.sku, qty: 1, unitPrice }]), tenders: [{ kind: 'store-credit', amount: unitPrice }] });
      expect((await t.pushOk([cmd])).results[0]).toMatchObject({ status: 'rejected', error: { code: 'tender-needs-customer' } });
    });

    it('[T3] a receipt number of another device, or a currency the store does not use, is rejected', async () => {
      const t = await TestTablet.enroll(fx.app, 'Forger');
      const { stock, unitPrice } = item();
      const other = t.command('sale.complete', { ...t.salePayload([{ sku: stock.sku, qty: 1, unitPrice }]), receiptNo: 'S01-ZZ99-000001' });
      const brl = t.command('sale.complete', { ...t.salePayload([{ sku: stock.sku, qty: 1, unitPrice }]), currency: 'BRL' });
      const res = await t.pushOk([other, brl]);
      expect(res.results[0]).toMatchObject({ status: 'rejected', error: { code: 'receipt-not-this-device' } });
      expect(res.results[1]).toMatchObject({ status: 'rejected', error: { code: 'currency-mismatch' } });
    });

    it('[T3] a price the catalog does not hold raises price-mismatch; a manager-approved override does not', async () => {
      const t = await TestTablet.enroll(fx.app, 'Prices');
      const { stock, unitPrice } = item();
      const lines = [{ sku: stock.sku, qty: 1, unitPrice: unitPrice - 1 }];
      const res = await t.pushOk([v2(t, {}, lines), v2(t, { approval: await approvalBy(fx.db.store, MARTA, t.id, t.wall) }, lines), v2(t, { approval: await approvalBy(fx.db.store, CARLOS, t.id, t.wall) }, lines)]);
      expect(res.results.map(kinds)).toEqual([['price-mismatch'], [], ['price-mismatch', 'unverified-actor']]);
      const raised = (await fx.db.store.getRow('exceptions', `${res.results[0]!.id}:price-mismatch:${stock.sku}`)) as ExceptionRow;
      expect(raised.message).toMatch(/without a manager's approval/);
    });

    it('[T2][RO3] an approval whose proof was not made with the manager\'s PIN is flagged unverified-actor; one naming a manager without any proof is refused', async () => {
      const t = await TestTablet.enroll(fx.app, 'Forged approval');
      const { stock, unitPrice } = item();
      const lines = [{ sku: stock.sku, qty: 1, unitPrice: unitPrice - 1 }];
      const forged = { ...(await approvalBy(fx.db.store, MARTA, t.id, t.wall)), mac: 'AAAA' };
      const res = await t.pushOk([v2(t, { approval: forged }, lines), v2(t, { approval: { by: MARTA } }, lines)]);
      expect(res.results[0]).toMatchObject({ status: 'applied' });
      expect((res.results[0] as Applied).exceptions.map((e) => e.kind)).toContain('unverified-actor');
      expect(res.results[1]).toMatchObject({ status: 'rejected', error: { code: 'invalid-payload' } });
    });

    it('[MO3][T3] a discount above 20 % without a manager is applied and raises discount-over-limit; with Marta\'s approval it is recorded on the sale', async () => {
      const t = await TestTablet.enroll(fx.app, 'Discounts');
      const { stock, unitPrice } = item();
      const lines = [{ sku: stock.sku, qty: 1, unitPrice, discount: { kind: 'percent', value: 2500, reason: 'damaged' } }];
      const due = unitPrice - Math.floor((unitPrice * 2500 + 5000) / 10000);
      const tenders = [{ kind: 'cash', amount: due }];
      const small = [{ sku: stock.sku, qty: 1, unitPrice, discount: { kind: 'percent', value: 2000, reason: 'damaged' } }];
      const unapproved = v2(t, { tenders }, lines);
      const approved = v2(t, { tenders, approval: await approvalBy(fx.db.store, MARTA, t.id, t.wall) }, lines);
      const within = v2(t, { tenders: [{ kind: 'cash', amount: unitPrice }] }, small);
      const res = await t.pushOk([unapproved, approved, within]);
      expect(res.results.map((r) => r.status)).toEqual(['applied', 'applied', 'applied']);
      expect(res.results.map(kinds)).toEqual([['discount-over-limit'], [], []]);
      const sale = (await fx.db.store.getRow('sales', (approved.payload as { saleId: string }).saleId)) as SaleRow;
      expect(sale).toMatchObject({ approvedBy: MARTA, total: due, subtotal: unitPrice });
      expect(sale.lines[0]).toMatchObject({ discountReason: 'damaged' });
    });

    it('[T3] discounts above the device\'s cap are flagged even when approved', async () => {
      const t = await TestTablet.enroll(fx.app, 'Cap');
      const { stock, unitPrice } = item();
      const qty = Math.ceil(200_000 / unitPrice) + 1;
      const res = await t.pushOk([v2(t, { tenders: [{ kind: 'cash', amount: 0 }], approval: await approvalBy(fx.db.store, MARTA, t.id, t.wall), cartDiscount: { kind: 'percent', value: 10000, reason: 'staff' } }, [{ sku: stock.sku, qty, unitPrice }])]);
      expect(kinds(res.results[0]!)).toEqual(['discount-over-limit']);
    });

    it('[W3][MO4] "Email receipt" queues a notification in the command\'s transaction; an unknown sale queues none', async () => {
      const t = await TestTablet.enroll(fx.app, 'Mailer');
      const { stock, unitPrice } = item();
      const sale = t.sale([{ sku: stock.sku, qty: 1, unitPrice }]);
      const saleId = (sale.payload as { saleId: string }).saleId;
      const email = t.command('receipt.email', { saleId, storeId: 'S01', email: 'ana.cliente@example.com' });
      const stray = t.command('receipt.email', { saleId: '0191a7b0-0000-7000-8000-000000000000', storeId: 'S01', email: 'nobody@example.com' });
      const res = await t.pushOk([sale, email, stray]);
      expect(res.results.map((r) => r.status)).toEqual(['applied', 'applied', 'rejected']);
      const rows = await fx.db.store.db.selectFrom('notifications').selectAll().where('recipient', 'in', ['ana.cliente@example.com', 'nobody@example.com']).execute();
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ kind: 'receipt', recipient: 'ana.cliente@example.com' });
      expect(JSON.parse(rows[0]!.payload)).toMatchObject({ saleId, receiptNo: (sale.payload as { receiptNo: string }).receiptNo });
    });

    it('[C6] a version 1 sale still applies, with the same totals', async () => {
      const t = await TestTablet.enroll(fx.app, 'Old tablet');
      const { stock, unitPrice } = item();
      const cmd = t.sale([{ sku: stock.sku, qty: 2, unitPrice }]);
      const res = await t.pushOk([cmd]);
      expect(res.results[0]).toMatchObject({ status: 'applied', summary: { total: 2 * unitPrice, change: 0 } });
    });
  });
}
