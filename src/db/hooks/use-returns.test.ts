// Returns on the tablet [RE1]–[RE6]: return.create through dispatch on IndexedDB, as the Returns
// screen runs it offline, and the local lookup the screen reads.
import { describe, it, expect } from 'vitest';
import { dispatch, type Allocators } from '../dispatch';
import { enrolledDb, testEnv } from '@/testing/factories';
import { findItem, findLocalPurchase, noReceiptPriceOf, offlineRefundsPending } from './use-returns';
import { offlineLimitBreach } from '@/core/returns/returns-config';
import { loadOpenShift } from './use-shift';
import { xReport } from '@/core/register/shift-report';
import { saleComplete, type SaleCompletePayload } from '@/core/sales/sale-complete';
import { shiftOpen, type ShiftOpenPayload } from '@/core/register/shift-open';
import { returnCreate, type ReturnCreatePayload } from '@/core/returns/return-create';
import type { CustomerRow } from '@/core/model';
import type { CustomerId, Minor } from '@/core/shared/brand';

const CARLOS = 'A-S01-CARLOS';
const customer: CustomerRow = { id: 'C-9' as CustomerId, firstName: 'Rita', lastName: 'Lopes', email: 'rita@example.com', phone: '', birthday: '', tier: '', clock: {}, points: 0, storeCredit: 0 as Minor, lifetimeSpend: 0 as Minor, createdAt: '' };

async function soldTwo(customerId?: string) {
  const db = await enrolledDb({ onHand: 10 });
  await db.customers.put({ ...customer, _v: 1 });
  const env = testEnv();
  const shiftId = ((await dispatch(db, CARLOS, shiftOpen, (a: Allocators): ShiftOpenPayload => ({ shiftId: a.newId(), storeId: 'S01', float: 10000 }), env)).command.payload as ShiftOpenPayload).shiftId;
  const sale = await dispatch(db, CARLOS, saleComplete, (a: Allocators): SaleCompletePayload => ({ saleId: a.newId(), storeId: 'S01', receiptNo: a.receiptNo(), currency: 'EUR', shiftId, ...(customerId ? { customerId } : {}), lines: [{ sku: 'VT-1-BLK-M', qty: 2, unitPrice: 4999 }], tenders: [{ kind: 'cash', amount: 9998 }] }), env);
  const saleId = (sale.command.payload as SaleCompletePayload).saleId;
  return { db, env, shiftId, saleId, receiptNo: sale.effects.summary.receiptNo };
}

const ret = (extra: Partial<ReturnCreatePayload>) => (a: Allocators): ReturnCreatePayload => ({
  returnId: a.newId(),
  receiptNo: a.receiptNo(),
  storeId: 'S01',
  currency: 'EUR',
  lines: [{ line: 0, sku: 'VT-1-BLK-M', qty: 1, disposition: 'restock', reason: 'wrong-size' }],
  refundTo: 'original',
  ...extra,
});

describe('returns on the tablet', () => {
  it('[RE1][RE3] the local lookup finds a sale by receipt number with bought, returned and returnable; a return updates them at once', async () => {
    const { db, env, shiftId, saleId, receiptNo } = await soldTwo();
    expect((await findLocalPurchase(db, receiptNo))?.purchase.lines[0]).toMatchObject({ qty: 2, returned: 0, returnable: 2 });
    await dispatch(db, CARLOS, returnCreate, ret({ purchase: { kind: 'sale', id: saleId, number: receiptNo }, shiftId }), env);
    expect((await findLocalPurchase(db, receiptNo))?.purchase.lines[0]).toMatchObject({ returned: 1, returnable: 1 });
    expect(await findLocalPurchase(db, 'S01-T01-999999')).toBeNull();
  });

  it('[RE5][RE6][SH1] a cash return comes out of the open shift and restocks the shelf here, offline', async () => {
    const { db, env, shiftId, saleId, receiptNo } = await soldTwo();
    const before = (await db.stock.get('S01|VT-1-BLK-M'))!.onHand;
    const r = await dispatch(db, CARLOS, returnCreate, ret({ purchase: { kind: 'sale', id: saleId, number: receiptNo }, shiftId }), env);
    expect(r.effects.summary.refunds).toEqual([{ kind: 'cash', amount: 4999 }]);
    expect((await db.stock.get('S01|VT-1-BLK-M'))!.onHand).toBe(before + 1);
    const shift = (await loadOpenShift(db, 'dev-1'))!;
    expect(xReport(shift.float, shift.totals).expectedCash).toBe(10000 + 9998 - 4999);
  });

  it('[RE5][SH1] a cash refund without an open shift is refused before anything is written', async () => {
    const { db, env, saleId, receiptNo } = await soldTwo();
    const outbox = await db.outbox.count();
    await expect(dispatch(db, CARLOS, returnCreate, ret({ purchase: { kind: 'sale', id: saleId, number: receiptNo } }), env)).rejects.toMatchObject({ code: 'shift-not-open' });
    expect(await db.outbox.count()).toBe(outbox);
    expect(await db.returns.count()).toBe(0);
  });

  it('[RE5][LO2] store credit needs a customer; with one, the balance grows at once', async () => {
    const { db, env, saleId, receiptNo } = await soldTwo();
    await expect(dispatch(db, CARLOS, returnCreate, ret({ purchase: { kind: 'sale', id: saleId, number: receiptNo }, refundTo: 'store-credit' }), env)).rejects.toMatchObject({ code: 'refund-needs-customer' });
    await dispatch(db, CARLOS, returnCreate, ret({ purchase: { kind: 'sale', id: saleId, number: receiptNo }, refundTo: 'store-credit', customerId: customer.id }), env);
    expect((await db.customers.get(customer.id))!.storeCredit).toBe(4999);
    expect((await db.history.get(customer.id))!.entries[0]).toMatchObject({ kind: 'return', total: -4999 });
  });

  it('[RE1][RE2] a no-receipt return without a manager\'s approval is refused on the tablet; an item is found by barcode at its catalog price', async () => {
    const { db, env } = await soldTwo();
    expect(await findItem(db, '5600000000017', 'EUR')).toMatchObject({ sku: 'VT-1-BLK-M', price: 4999 });
    await expect(dispatch(db, CARLOS, returnCreate, ret({ lines: [{ sku: 'VT-1-BLK-M', qty: 1, disposition: 'damaged', reason: 'other' }], refundTo: 'store-credit', customerId: customer.id }), env)).rejects.toMatchObject({ code: 'needs-approval' });
  });

  it('[RE1] offline, a no-receipt item is quoted at the lowest price the server published for the window, else at today\'s catalog price', async () => {
    const { db } = await soldTwo();
    expect(await noReceiptPriceOf(db, 'VT-1-BLK-M', 'EUR', 4999)).toEqual({ price: 4999, source: 'catalog' });
    await db.priceLows.put({ sku: 'VT-1-BLK-M', lows: { EUR: 3999 as Minor, BRL: 100 as Minor }, since: '2026-11-01', at: 0, _v: 1 });
    expect(await noReceiptPriceOf(db, 'VT-1-BLK-M', 'EUR', 4999)).toEqual({ price: 3999, source: 'lowest' });
    // A catalog price cut below the published low wins: the item sells for it today.
    expect(await noReceiptPriceOf(db, 'VT-1-BLK-M', 'EUR', 3500)).toEqual({ price: 3500, source: 'catalog' });
    expect(await noReceiptPriceOf(db, 'VT-1-BLK-M', 'USD', 5500)).toEqual({ price: 5500, source: 'catalog' });
  });

  it('[T3] offline, a return refunding more than the cap in cash is refused before anything is written; to store credit it goes through', async () => {
    const { db, env, shiftId } = await soldTwo();
    const sale = await dispatch(db, CARLOS, saleComplete, (a: Allocators): SaleCompletePayload => ({ saleId: a.newId(), storeId: 'S01', receiptNo: a.receiptNo(), currency: 'EUR', shiftId, lines: [{ sku: 'VT-1-BLK-M', qty: 5, unitPrice: 4999 }], tenders: [{ kind: 'cash', amount: 24995 }] }), env);
    const purchase = { kind: 'sale' as const, id: (sale.command.payload as SaleCompletePayload).saleId, number: sale.effects.summary.receiptNo };
    const lines = [{ line: 0, sku: 'VT-1-BLK-M', qty: 5, disposition: 'restock' as const, reason: 'wrong-size' as const }];
    const outbox = await db.outbox.count();
    await expect(dispatch(db, CARLOS, returnCreate, ret({ purchase, lines, shiftId, offline: true }), env)).rejects.toMatchObject({ code: 'offline-limit' });
    expect(await db.outbox.count()).toBe(outbox);
    const r = await dispatch(db, CARLOS, returnCreate, ret({ purchase, lines, refundTo: 'store-credit', customerId: customer.id, offline: true }), env);
    expect(r.effects.summary.refunds).toEqual([{ kind: 'store-credit', amount: 24995 }]);
  });

  it('[T3] offline refunds are counted per tablet until they sync: the next one above the running total is refused on the screen', async () => {
    const { db, env, shiftId } = await soldTwo();
    const sale = await dispatch(db, CARLOS, saleComplete, (a: Allocators): SaleCompletePayload => ({ saleId: a.newId(), storeId: 'S01', receiptNo: a.receiptNo(), currency: 'EUR', shiftId, lines: [{ sku: 'VT-1-BLK-M', qty: 10, unitPrice: 4999 }], tenders: [{ kind: 'cash', amount: 49990 }] }), env);
    const purchase = { kind: 'sale' as const, id: (sale.command.payload as SaleCompletePayload).saleId, number: sale.effects.summary.receiptNo };
    const back = (qty: number, offline: boolean) => ret({ purchase, shiftId, offline, lines: [{ line: 0, sku: 'VT-1-BLK-M', qty, disposition: 'restock', reason: 'wrong-size' }] });
    await dispatch(db, CARLOS, returnCreate, back(3, true), env); // 149.97 offline
    await dispatch(db, CARLOS, returnCreate, back(1, false), env); // online: not counted
    await dispatch(db, CARLOS, returnCreate, back(3, true), env); // 149.97 offline
    await dispatch(db, CARLOS, returnCreate, back(3, true), env); // 149.97 offline
    const pending = await offlineRefundsPending(db);
    expect(pending).toBe(3 * 3 * 4999);
    // 2 × 49.99 more would pass the 200.00 per-return cap, but not the 500.00 per tablet.
    expect(offlineLimitBreach({ money: 2 * 4999, noReceipt: false, value: 2 * 4999, pending })).toMatchObject({ kind: 'device', left: 50_000 - pending });
    expect(offlineLimitBreach({ money: 2 * 4999, noReceipt: false, value: 2 * 4999, pending: 0 })).toBeUndefined();
    // Store credit is not capped.
    expect(offlineLimitBreach({ money: 0, noReceipt: false, value: 9 * 4999, pending })).toBeUndefined();
  });

  it('[RE7] an order the tablet has never seen is taken by number to store credit only', async () => {
    const { db, env } = await soldTwo();
    await expect(dispatch(db, CARLOS, returnCreate, ret({ purchase: { kind: 'order', number: 'W1234567' }, lines: [{ sku: 'VT-1-BLK-M', qty: 1, disposition: 'restock', reason: 'other' }], refundTo: 'original', customerId: customer.id }), env)).rejects.toMatchObject({ code: 'unseen-store-credit-only' });
    const r = await dispatch(db, CARLOS, returnCreate, ret({ purchase: { kind: 'order', number: 'W1234567' }, lines: [{ sku: 'VT-1-BLK-M', qty: 1, disposition: 'restock', reason: 'other' }], refundTo: 'store-credit', customerId: customer.id }), env);
    expect(r.effects.summary).toMatchObject({ unverified: true, refunds: [{ kind: 'store-credit', amount: 4999 }] });
  });
});
