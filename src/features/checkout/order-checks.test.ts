// [OR1] What Checkout asks of an order before payment: a customer we can reach, a store or an address.
import { describe, it, expect } from 'vitest';
import { orderProblem } from './order-checks';
import { EMPTY_ADDRESS } from '@/state/cart';
import type { CustomerRow } from '@/core/model';

const who = { id: 'C1', name: 'Ana Lima', email: '' };
const row = (email: string, phone: string) => ({ id: 'C1', email, phone }) as unknown as CustomerRow;
const cart = (over: Partial<Parameters<typeof orderProblem>[0]>) => ({ fulfillment: 'pickup-other' as const, customer: who, pickupStoreId: 'S02', address: EMPTY_ADDRESS, ...over });

describe('orderProblem [OR1]', () => {
  it('[OR1] take now needs nothing more', () => {
    expect(orderProblem(cart({ fulfillment: 'take-now', customer: null }), undefined, 'PT')).toBeNull();
  });
  it('[OR1] an order needs a customer with an e-mail or a phone', () => {
    expect(orderProblem(cart({ customer: null }), undefined, 'PT')).toEqual({ key: 'order.needsCustomer' });
    expect(orderProblem(cart({}), row('', ''), 'PT')).toEqual({ key: 'order.needsContact', params: { name: 'Ana Lima' } });
    expect(orderProblem(cart({}), row('', '+351 912 345 678'), 'PT')).toBeNull();
  });
  it('[OR1] a pickup elsewhere needs its store; a shipment an address that fits its country (the store\'s by default)', () => {
    expect(orderProblem(cart({ pickupStoreId: null }), row('a@b.pt', ''), 'PT')).toEqual({ key: 'order.needsStore' });
    const address = { street: 'Rua Garrett 12', city: 'Lisboa', postalCode: '12002', country: '' };
    expect(orderProblem(cart({ fulfillment: 'ship-home', address }), row('a@b.pt', ''), 'PT')).toEqual({ key: 'order.address.postal-code', params: { example: '1200-109' } });
    expect(orderProblem(cart({ fulfillment: 'ship-home', address: { ...address, postalCode: '1200-203' } }), row('a@b.pt', ''), 'PT')).toBeNull();
    expect(orderProblem(cart({ fulfillment: 'ship-home', address: { ...address, street: '' } }), row('a@b.pt', ''), 'PT')).toEqual({ key: 'order.address.street' });
  });
});
