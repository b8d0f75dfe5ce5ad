// [EX2] The store's day at a glance, from rows the tablet holds (so it works offline from what it
// last pulled): sales by channel and by tender, pickup orders ready on time, and each tablet's last
// sync and unsent commands. Pure: the day's start and now are passed in.
import type { OrderRow, SaleRow, TabletRow } from '../model';
import { decodeHlc } from '../shared/hlc';

export type Channel = 'store' | 'web' | 'store-order';
export type TenderBucket = 'cash' | 'card' | 'store-credit' | 'loyalty' | 'online';

export interface Bar<K extends string> {
  key: K;
  count: number;
  amount: number;
}

export interface TabletFigure {
  id: string;
  name: string;
  deviceCode: string;
  /** Server time of its last sync (ms), null if never reported. */
  lastSyncAt: number | null;
  unsent: number;
  /** When its oldest unsent command was made (ms). */
  oldestUnsentAt: number | null;
  /** This tablet: figures live from its own outbox, not from the row it last pulled. */
  self: boolean;
}

export interface TodayFigures {
  byChannel: Bar<Channel>[];
  byTender: Bar<TenderBucket>[];
  total: number;
  pickup: { onTime: number; late: number; /** 0–100, null when no order was due. */ pct: number | null };
  tablets: TabletFigure[];
}

export interface TodayInput {
  storeId: string;
  dayStart: number;
  now: number;
  sales: readonly SaleRow[];
  orders: readonly OrderRow[];
  tablets: readonly TabletRow[];
  self?: { deviceId: string; name: string; deviceCode: string; unsent: number; oldestUnsentAt: number | null; lastSyncAt: number | null };
}

const CHANNELS: readonly Channel[] = ['store', 'web', 'store-order'];
const TENDERS: readonly TenderBucket[] = ['cash', 'card', 'store-credit', 'loyalty', 'online'];

const wallOf = (at: string): number => {
  try {
    return decodeHlc(at).wall;
  } catch {
    return Date.parse(at);
  }
};

const bars = <K extends string>(keys: readonly K[]): Map<K, Bar<K>> => new Map(keys.map((key) => [key, { key, count: 0, amount: 0 }]));

export function todayFigures(input: TodayInput): TodayFigures {
  const { storeId, dayStart, now } = input;
  const today = (ms: number) => ms >= dayStart && ms <= now + 5 * 60_000;
  const channel = bars(CHANNELS);
  const tender = bars(TENDERS);

  for (const s of input.sales) {
    if (s.storeId !== storeId || !today(wallOf(s.at))) continue;
    const c = channel.get('store')!;
    c.count += 1;
    c.amount += s.total;
    for (const t of s.tenders) {
      const b = tender.get(t.kind)!;
      b.count += 1;
      // Change is given from cash: the drawer keeps what was tendered less the change.
      b.amount += t.amount;
    }
    if (s.change > 0) tender.get('cash')!.amount -= s.change;
  }

  let onTime = 0;
  let late = 0;
  for (const o of input.orders) {
    if (o.storeId !== storeId) continue;
    if (today(Date.parse(o.placedAt))) {
      const c = channel.get(o.channel === 'web' ? 'web' : 'store-order')!;
      c.count += 1;
      c.amount += o.total - (o.refunded ?? 0);
      if (o.channel === 'web') {
        const b = tender.get('online')!;
        b.count += 1;
        b.amount += o.total - (o.refunded ?? 0);
      }
    }
    if (o.fulfillment !== 'pickup') continue;
    // [PQ2] Ready on time: made ready by its promise. An order whose promise passed today and that is
    // still not ready counts as late already; one made ready today counts by when it was.
    const due = Date.parse(o.readyBy);
    const ready = o.history?.find((h) => h.kind === 'ready');
    const readyAt = ready ? Date.parse(ready.at) : undefined;
    if (readyAt !== undefined) {
      if (today(readyAt) && readyAt <= due) onTime++;
      else if (today(readyAt)) late++;
    } else if ((o.status === 'placed' || o.status === 'picking') && due < now && today(due)) late++;
  }

  const tablets = new Map<string, TabletFigure>();
  for (const r of input.tablets) {
    if (r.storeId !== storeId) continue;
    tablets.set(r.id, { id: r.id, name: r.name, deviceCode: r.deviceCode, lastSyncAt: Date.parse(r.lastSyncAt), unsent: r.unsent, oldestUnsentAt: r.oldestUnsentAt ? Date.parse(r.oldestUnsentAt) : null, self: false });
  }
  const me = input.self;
  if (me) {
    const row = tablets.get(me.deviceId);
    tablets.set(me.deviceId, {
      id: me.deviceId,
      name: row?.name ?? me.name,
      deviceCode: row?.deviceCode ?? me.deviceCode,
      lastSyncAt: Math.max(me.lastSyncAt ?? 0, row?.lastSyncAt ?? 0) || null,
      unsent: me.unsent,
      oldestUnsentAt: me.oldestUnsentAt,
      self: true,
    });
  }
  const byTender = [...tender.values()];
  const byChannel = [...channel.values()];
  return {
    byChannel,
    byTender,
    total: byChannel.reduce((s, b) => s + b.amount, 0),
    pickup: { onTime, late, pct: onTime + late === 0 ? null : Math.round((onTime * 100) / (onTime + late)) },
    tablets: [...tablets.values()].sort((a, b) => Number(b.self) - Number(a.self) || a.deviceCode.localeCompare(b.deviceCode)),
  };
}
