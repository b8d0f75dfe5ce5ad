// Ordering from the till on the tablet [OR1]–[OR3]: order.create through dispatch on IndexedDB (the
// customer must be reachable; no stock leaves this store), the pickup-store list (stores with
// availability first), and the pickup queue (a sourcing order is nobody's task yet; a sourced one is
// the collecting store's, picked where sourcing reserved each line).
import { describe, it, expect } from 'vitest';
import { dispatch, type Allocators } from '../dispatch';
import { enrolledDb, lisboa, testEnv } from '@/testing/factories';
import { orderCreate, type OrderCreatePayload } from '@/core/orders/order-create';
import { readPickupStores } from './use-order';
import { loadPickupQueue } from './pickup-queue';
import { DomainError } from '@/core/shared/errors';
import type { CustomerRow, LocationRow, OrderRow } from '@/core/model';
import type { LocationId } from '@/core/shared/brand';

const CARLOS = 'A-S01-CARLOS';
const customer = (email: string, phone: string) => ({ id: 'C-1', firstName: 'Rita', lastName: 'Sousa', email, phone, birthday: '', tier: '', clock: {}, points: 0, storeCredit: 0, lifetimeSpend: 0, createdAt: '2025-01-01', _v: 1 }) as unknown as CustomerRow;
const store = (id: string, name: string): LocationRow => ({ ...lisboa, id: id as LocationId, code: id, name });

const order = (a: Allocators): OrderCreatePayload => ({
  saleId: a.newId(),
  orderId: '00000000-0000-4000-8000-000000000001',
  storeId: 'S01',
  receiptNo: a.receiptNo(),
  currency: 'EUR',
  customerId: 'C-1',
  lines: [{ sku: 'VT-1-BLK-M', qty: 1, unitPrice: 4999 }],
  tenders: [{ kind: 'card', amount: 4999, ref: 'SIM-1' }],
  fulfillment: { kind: 'pickup-other', storeId: 'S02' },
  seen: [{ sku: 'VT-1-BLK-M', where: [{ locationId: 'S02', available: 2 }] }],
});

async function setUp(email: string, phone: string) {
  const db = await enrolledDb({ onHand: 3 });
  await db.customers.put(customer(email, phone));
  await db.locations.bulkPut([{ ...store('S02', 'Porto'), _v: 1 }, { ...store('S03', 'Milano'), _v: 1 }, { ...store('S04', 'Aveiro'), _v: 1 }]);
  await db.productAvailability.put({ productId: 'VT-1', at: 1, by: { 'VT-1-BLK-M': { S01: 3, S02: 0, S03: 2, S04: 0 } }, _v: 1 } as never);
  return db;
}

describe('ordering on the tablet [OR1]', () => {
  it('[OR1] an order for a customer with a phone commits as sourcing in this store, with its sale, and leaves the shelf as it was', async () => {
    const db = await setUp('', '+351 912 345 678');
    const r = await dispatch(db, CARLOS, orderCreate, order, testEnv());
    // Its sourcing on the server [OR2] (and, as for any sale to a customer, the tier review [LO1]).
    expect((r.effects.followUps ?? []).filter((f) => f.kind !== 'loyalty.tier-review')).toEqual([{ kind: 'order.source', key: r.command.payload.orderId, payload: { orderId: r.command.payload.orderId } }]);
    const o = (await db.orders.get(r.command.payload.orderId))!;
    expect(o).toMatchObject({ status: 'sourcing', storeId: 'S01', number: r.command.payload.receiptNo, storeOrder: { kind: 'pickup-other', pickupStoreId: 'S02', placedIn: 'S01' } });
    expect((await db.sales.get(r.command.payload.saleId))?.orderId).toBe(o.id);
    expect((await db.stock.get('S01|VT-1-BLK-M'))?.onHand).toBe(3);
    // Not S01's task, nor anyone's, until the server has sourced it.
    expect((await loadPickupQueue(db))?.orders).toEqual([]);
  });

  it('[OR1] a customer with neither e-mail nor phone is refused on the tablet with a sentence, and nothing is written', async () => {
    const db = await setUp('', '');
    const err = await dispatch(db, CARLOS, orderCreate, order, testEnv()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DomainError);
    expect((err as DomainError).code).toBe('customer-needs-contact');
    expect((err as DomainError).message).toMatch(/Rita Sousa has no e-mail or phone/);
    expect(await db.orders.count()).toBe(0);
    expect(await db.outbox.count()).toBe(0);
  });

  it('[OR1] the pickup stores: those with every line first, this store left out', async () => {
    const db = await setUp('r@s.pt', '');
    const list = await readPickupStores(db, [{ sku: 'VT-1-BLK-M', productId: 'VT-1', qty: 2 }]);
    expect(list.map((o) => [o.store.id, o.all])).toEqual([['S03', true], ['S04', false], ['S02', false]]);
  });

  it('[OR3][OR2] a sourced order is in the collecting store\'s queue, each line hinted where it is reserved', async () => {
    const db = await setUp('r@s.pt', '');
    const device = (await db.meta.get('device'))!;
    await db.meta.put({ key: 'device', value: { ...(device.value as object), storeId: 'S02' } });
    const sourced = { id: 'O-1', number: 'S01-T01-000001', channel: 'store', storeId: 'S02', customerId: 'C-1', customerName: 'Rita Sousa', lines: [{ sku: 'VT-1-BLK-M', name: 'Calça', qty: 1, unitPrice: 4999 }], currency: 'EUR', total: 4999, fulfillment: 'pickup', status: 'placed', placedAt: '2025-01-01T00:00:00Z', readyBy: '2025-01-01T02:00:00Z', paymentRef: 'x', sourceId: 'S02', storeOrder: { kind: 'pickup-other', placedIn: 'S01', pickupStoreId: 'S02', saleId: 's', seen: [], allocations: [{ line: 0, sku: 'VT-1-BLK-M', locationId: 'S03', qty: 1 }] }, _v: 1 } as unknown as OrderRow;
    await db.orders.put(sourced);
    const q = (await loadPickupQueue(db))!;
    expect(q.orders.map((o) => o.id)).toEqual(['O-1']);
    expect(q.hints['O-1']).toEqual([{ locationId: 'S03', locationName: 'Milano', onHand: undefined }]);
  });
});
