// [SE3] A cart is rung once: completing it twice — a double tap, two at once, a retry after the
// commit — leaves one sale, one outbox entry and one receipt number, and both attempts show it.
import { describe, it, expect } from 'vitest';
import { enrolledDb, lisboa } from '@/testing/factories';
import { EMPTY_CART, type CartData } from '@/state/cart';
import type { Minor } from '@/core/shared/brand';
import type { CustomerRow } from '@/core/model';
import { completeSale } from './complete-sale';
import { placeOrder } from './place-order';

const cart = (saleId: string): CartData => ({
  ...EMPTY_CART,
  lines: [{ sku: 'VT-1-BLK-M', productId: 'VT-1', name: 'Calça Chino', size: 'M', color: 'Black', qty: 1, unitPrice: 4999 as Minor }],
  stage: 'pay',
  saleId,
  tenders: [{ id: 't', kind: 'cash', amount: 5000 as Minor }],
});

describe('completing a cart', () => {
  it('[SE3] two completions of one cart at once ring it once: one sale, one command, the same receipt for both', async () => {
    const db = await enrolledDb({ onHand: 5 });
    const c = cart('0191a7b0-0000-7000-8000-0000000000a1');
    // Both start before either commits: a check made outside the command's transaction lets both ring.
    const [a, b] = await Promise.all([completeSale(db, 'A-S01-CARLOS', lisboa, c), completeSale(db, 'A-S01-CARLOS', lisboa, c)]);
    expect(a).toEqual(b);
    expect(a.receiptNo).toBe('S01-T01-000001');
    expect(await db.sales.count()).toBe(1);
    expect(await db.outbox.count()).toBe(1);
    expect((await db.stock.get('S01|VT-1-BLK-M'))?.onHand).toBe(4);
  });

  it('[SE3] completing a cart already rung shows its receipt and writes nothing', async () => {
    const db = await enrolledDb({ onHand: 5 });
    const c = cart('0191a7b0-0000-7000-8000-0000000000a2');
    const first = await completeSale(db, 'A-S01-CARLOS', lisboa, c);
    const again = await completeSale(db, 'A-S01-CARLOS', lisboa, c);
    expect(again).toEqual(first);
    expect(await db.outbox.count()).toBe(1);
    expect((await db.meta.get('device'))?.value).toMatchObject({ lastSeq: 1, lastReceipt: 1 });
  });

  it('[SE3][OR1] an order placed twice at once is placed once', async () => {
    const db = await enrolledDb({ onHand: 5 });
    await db.customers.put({ id: 'C-1', firstName: 'Rita', lastName: 'Sousa', email: 'rita@example.com', phone: '', birthday: '', tier: '', clock: {}, points: 0, storeCredit: 0, lifetimeSpend: 0, createdAt: '2025-01-01', _v: 1 } as unknown as CustomerRow);
    const c: CartData = { ...cart('0191a7b0-0000-7000-8000-0000000000a3'), fulfillment: 'ship-store', customer: { id: 'C-1', name: 'Rita Sousa', email: 'rita@example.com' } };
    const [a, b] = await Promise.all([placeOrder(db, 'A-S01-CARLOS', lisboa, c), placeOrder(db, 'A-S01-CARLOS', lisboa, c)]);
    expect(a).toEqual(b);
    expect(await db.outbox.count()).toBe(1);
  });
});
