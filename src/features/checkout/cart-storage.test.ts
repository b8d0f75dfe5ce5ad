// [SE1][SE3] The till's cart survives a reload, and a sale committed just before a crash is found
// on start-up (its receipt shown), never rung again.
import { describe, it, expect, afterEach } from 'vitest';
import { VitrineDb } from '@/db/schema';
import { saveCart } from '@/db/cart-store';
import { EMPTY_CART, useCart } from '@/state/cart';
import type { Minor } from '@/core/shared/brand';
import type { SaleRow } from '@/core/model';
import { startCartStorage } from './cart-storage';

const line = { sku: 'VT-1-M', productId: 'P1', name: 'Camisa', size: 'M', color: 'Azul', unitPrice: 2990 as Minor };
let stop: (() => Promise<void>) | undefined;
afterEach(async () => {
  await stop?.();
  useCart.setState({ ...EMPTY_CART, hydrated: false });
});

describe('the durable cart', () => {
  it('[SE1] lines, discounts, customer and tenders written at the till are there after a reload', async () => {
    const db = new VitrineDb(`cart-${Math.random()}`);
    stop = await startCartStorage(db);
    const cart = useCart.getState();
    cart.add(line, 2);
    cart.setLineDiscount(line.sku, { kind: 'percent', value: 1000, reason: 'promotion' });
    cart.setCustomer({ id: 'C000001', name: 'Ana Souza', email: 'ana@example.com' });
    cart.checkout('0191a7b0-0000-7000-8000-000000000001');
    cart.addTender({ id: 't1', kind: 'cash', amount: 1000 as Minor });
    await stop();

    // A reload: the in-memory store is gone, the page starts again from IndexedDB.
    useCart.setState({ ...EMPTY_CART, hydrated: false });
    stop = await startCartStorage(new VitrineDb(db.name));
    const again = useCart.getState();
    expect(again.hydrated).toBe(true);
    expect(again.lines).toEqual([{ ...line, qty: 2, discount: { kind: 'percent', value: 1000, reason: 'promotion' } }]);
    expect(again.customer?.name).toBe('Ana Souza');
    expect(again.stage).toBe('pay');
    expect(again.tenders).toHaveLength(1);
  });

  it('[SE3] a sale committed before the cart was cleared is found on start-up and its receipt shown', async () => {
    const db = new VitrineDb(`cart-${Math.random()}`);
    const saleId = '0191a7b0-0000-7000-8000-000000000002';
    await saveCart(db, { ...EMPTY_CART, lines: [{ ...line, qty: 1 }], stage: 'pay', saleId, tenders: [{ id: 't', kind: 'cash', amount: 2990 as Minor }] });
    await db.sales.put({ id: saleId, receiptNo: 'S01-T01-000007', storeId: 'S01', lines: [], tenders: [], total: 2990, tax: 0, change: 0 } as unknown as SaleRow);
    stop = await startCartStorage(db);
    const s = useCart.getState();
    expect(s.stage).toBe('done');
    expect(s.receipt).toEqual({ saleId, receiptNo: 'S01-T01-000007' });
    expect(s.lines).toEqual([]);
    await stop();
    expect(((await db.meta.get('cart'))?.value as { stage: string }).stage).toBe('done');
  });
});
