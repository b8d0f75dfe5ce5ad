// [EX2] Today's figures from the rows a tablet holds: sales by channel and tender (cash net of
// change), pickup ready on time, and per tablet last sync and unsent — this tablet's own live.
import { describe, expect, it } from 'vitest';
import { encodeHlc } from '../shared/hlc';
import type { OrderRow, SaleRow, TabletRow } from '../model';
import { todayFigures } from './today-figures';

const DAY = Date.UTC(2026, 11, 1, 0, 0, 0);
const NOW = DAY + 15 * 3_600_000;
const hlc = (wall: number) => encodeHlc({ wall, counter: 0, node: 'T01.abc' });
const iso = (ms: number) => new Date(ms).toISOString();

const sale = (id: string, at: number, total: number, tenders: SaleRow['tenders'], change = 0, storeId = 'S01'): SaleRow =>
  ({ id, storeId, deviceId: 'd1', receiptNo: id, at: hlc(at), actor: 'A', currency: 'EUR', lines: [], tenders, total, tax: 0, change }) as unknown as SaleRow;

const order = (id: string, placed: number, extra: Partial<OrderRow> = {}): OrderRow =>
  ({ id, number: id, channel: 'web', storeId: 'S01', customerId: 'c', customerName: 'C', lines: [], currency: 'EUR', total: 5000, fulfillment: 'pickup', status: 'placed', placedAt: iso(placed), readyBy: iso(placed + 2 * 3_600_000), paymentRef: 'p', refunded: 0, history: [], ...extra }) as unknown as OrderRow;

describe('[EX2] today figures', () => {
  it('[EX2] sums today\'s store sales and web orders by channel and by tender, cash net of change, nothing from yesterday or another store', () => {
    const f = todayFigures({
      storeId: 'S01',
      dayStart: DAY,
      now: NOW,
      sales: [
        sale('a', DAY + 9 * 3_600_000, 3000, [{ kind: 'cash', amount: 5000 }] as SaleRow['tenders'], 2000),
        sale('b', DAY + 10 * 3_600_000, 4000, [{ kind: 'card', amount: 3000 }, { kind: 'loyalty', amount: 1000 }] as SaleRow['tenders']),
        sale('old', DAY - 3_600_000, 9999, [{ kind: 'cash', amount: 9999 }] as SaleRow['tenders']),
        sale('s2', DAY + 3_600_000, 7777, [{ kind: 'cash', amount: 7777 }] as SaleRow['tenders'], 0, 'S02'),
      ],
      orders: [order('w1', DAY + 8 * 3_600_000, { refunded: 1000 as never }), order('w0', DAY - 86_400_000)],
      tablets: [],
    });
    expect(Object.fromEntries(f.byChannel.map((b) => [b.key, [b.count, b.amount]]))).toEqual({ store: [2, 7000], web: [1, 4000], 'store-order': [0, 0] });
    expect(Object.fromEntries(f.byTender.map((b) => [b.key, b.amount]))).toEqual({ cash: 3000, card: 3000, 'store-credit': 0, loyalty: 1000, online: 4000 });
    expect(f.total).toBe(11000);
  });

  it('[EX2][PQ2] pickup on time: ready by the promise counts on time, ready after it or still not ready past it counts late', () => {
    const placed = DAY + 8 * 3_600_000;
    const f = todayFigures({
      storeId: 'S01',
      dayStart: DAY,
      now: NOW,
      sales: [],
      orders: [
        order('ok', placed, { status: 'ready', history: [{ kind: 'placed', at: iso(placed) }, { kind: 'ready', at: iso(placed + 3_600_000) }] }),
        order('late', placed, { status: 'collected', history: [{ kind: 'ready', at: iso(placed + 3 * 3_600_000) }] }),
        order('overdue', placed, { status: 'picking' }),
        order('not-yet', NOW - 60_000),
        order('ship', placed, { fulfillment: 'ship' }),
      ],
      tablets: [],
    });
    expect(f.pickup).toEqual({ onTime: 1, late: 2, pct: 33 });
    expect(todayFigures({ storeId: 'S01', dayStart: DAY, now: NOW, sales: [], orders: [], tablets: [] }).pickup.pct).toBeNull();
  });

  it('[EX2] tablets: the rows the server published, this tablet first with its own live outbox and last sync', () => {
    const rows: TabletRow[] = [
      { id: 'd2', storeId: 'S01' as never, name: 'Till 2', deviceCode: 'T02', lastSyncAt: iso(NOW - 60_000), unsent: 4, oldestUnsentAt: iso(NOW - 600_000) },
      { id: 'd1', storeId: 'S01' as never, name: 'Till 1', deviceCode: 'T01', lastSyncAt: iso(NOW - 3_600_000), unsent: 9 },
      { id: 'x', storeId: 'S02' as never, name: 'Porto', deviceCode: 'T01', lastSyncAt: iso(NOW), unsent: 0 },
    ];
    const f = todayFigures({ storeId: 'S01', dayStart: DAY, now: NOW, sales: [], orders: [], tablets: rows, self: { deviceId: 'd1', name: 'T01', deviceCode: 'T01', unsent: 0, oldestUnsentAt: null, lastSyncAt: NOW - 5_000 } });
    expect(f.tablets.map((d) => [d.id, d.name, d.unsent, d.lastSyncAt, d.self])).toEqual([
      ['d1', 'Till 1', 0, NOW - 5_000, true],
      ['d2', 'Till 2', 4, NOW - 60_000, false],
    ]);
  });
});
