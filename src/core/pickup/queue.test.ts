// [PQ2] The queue's grouping: counts per tab, overdue first, search by number or name.
import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { groupQueue, isOverdue, matches } from './queue';
import type { OrderRow } from '../model';

const NOW = Date.UTC(2025, 5, 2, 12, 0, 0);
const order = (number: string, status: OrderRow['status'], readyInMin: number, name = 'Inês Barros'): OrderRow =>
  ({ id: number, number, channel: 'web', storeId: 'S01', customerId: 'c', customerName: name, lines: [], currency: 'EUR', total: 0, fulfillment: 'pickup', status, placedAt: '', readyBy: new Date(NOW + readyInMin * 60_000).toISOString(), paymentRef: '' }) as unknown as OrderRow;

describe('pickup queue [PQ2]', () => {
  it('[PQ2] tabs count their orders; an overdue new or picking order is also under Overdue, and listed first in its tab', () => {
    const q = groupQueue([order('W2', 'placed', 30), order('W1', 'placed', -10), order('W3', 'picking', -5), order('W4', 'ready', -60)], NOW);
    expect(q.tabs.new.map((o) => o.number)).toEqual(['W1', 'W2']);
    expect(q.tabs.picking.map((o) => o.number)).toEqual(['W3']);
    expect(q.tabs.ready.map((o) => o.number)).toEqual(['W4']);
    expect(q.tabs.overdue.map((o) => o.number)).toEqual(['W1', 'W3']);
  });

  it('[PQ2] search finds by order number or customer name, ignoring case and accents', () => {
    const o = order('W7K3MQ2A', 'placed', 10, 'Inês Barros');
    expect(matches(o, 'ines')).toBe(true);
    expect(matches(o, 'w7k3')).toBe(true);
    expect(matches(o, 'silva')).toBe(false);
  });

  it('[PQ2] every listed order is in exactly the tab of its status, and overdue ones come before the others (property)', () => {
    const arb = fc.array(fc.record({ s: fc.constantFrom<OrderRow['status']>('placed', 'picking', 'ready'), m: fc.integer({ min: -600, max: 600 }) }), { maxLength: 30 });
    fc.assert(
      fc.property(arb, (xs) => {
        const orders = xs.map((x, i) => order(`W${i}`, x.s, x.m));
        const q = groupQueue(orders, NOW);
        expect(q.tabs.new.length + q.tabs.picking.length + q.tabs.ready.length).toBe(orders.length);
        for (const tab of [q.tabs.new, q.tabs.picking]) {
          const firstOnTime = tab.findIndex((o) => !isOverdue(o, NOW));
          if (firstOnTime >= 0) expect(tab.slice(firstOnTime).every((o) => !isOverdue(o, NOW))).toBe(true);
        }
      }),
      { verbose: true },
    );
  });
});
