// The compact per-customer purchase history [CL1][M1]: the handlers that record a sale, an order or a
// return also put the customer's history row, on the customers stream, so every tablet shows a
// customer's purchases in any store and on the web offline (the store streams carry only their own).
import type { HistoryEntry, HistoryRow, OrderRow, SaleRow } from '../model';
import type { CustomerId, Minor } from '../shared/brand';
import type { EffectsBuilder } from '../sync/command';
import { decodeHlc } from '../shared/hlc';

/** Entries kept per customer; older ones are dropped (the count remembers them). */
export const HISTORY_MAX_ENTRIES = 200;

/** Newest first; the id breaks ties so every replica orders the same way. */
const newestFirst = (a: HistoryEntry, b: HistoryEntry) => (a.at === b.at ? (a.id < b.id ? 1 : a.id > b.id ? -1 : 0) : a.at < b.at ? 1 : -1);

/** The row with `entry` added, or replaced when its id is already there (a status change, a retry). */
export function withEntry(row: HistoryRow | undefined, customerId: CustomerId, entry: HistoryEntry): HistoryRow {
  const entries = row?.entries ?? [];
  const known = entries.some((e) => e.id === entry.id);
  const next = [...entries.filter((e) => e.id !== entry.id), entry].sort(newestFirst).slice(0, HISTORY_MAX_ENTRIES);
  return { ...row, customerId, entries: next, count: (row?.count ?? entries.length) + (known ? 0 : 1) };
}

/** Records an entry in the customer's history row, as an effect of the handler building `b`. */
export async function recordHistory(b: EffectsBuilder, customerId: string, entry: HistoryEntry): Promise<void> {
  const row = await b.get('history', customerId);
  b.put('history', withEntry(row, customerId as CustomerId, entry));
}

export function saleEntry(sale: SaleRow): HistoryEntry {
  return {
    id: sale.id,
    kind: 'sale',
    channel: 'store',
    storeId: sale.storeId,
    number: sale.receiptNo,
    at: new Date(decodeHlc(sale.at).wall).toISOString(),
    currency: sale.currency,
    total: sale.total,
    lines: sale.lines.map((l) => ({ sku: l.sku, name: l.name, qty: l.qty, amount: l.lineTotal })),
  };
}

export function orderEntry(order: OrderRow): HistoryEntry {
  return {
    id: order.id,
    kind: 'order',
    channel: order.channel,
    storeId: order.storeId,
    number: order.number,
    at: order.placedAt,
    currency: order.currency,
    total: order.total,
    status: order.status,
    lines: order.lines.map((l) => ({ sku: l.sku, name: l.name, qty: l.qty, amount: (l.unitPrice * l.qty) as Minor })),
  };
}

/** Every customer's history row from sales and orders (the seed's bulk load, or a rebuild). */
export function buildHistories(sales: Iterable<SaleRow>, orders: Iterable<OrderRow>): HistoryRow[] {
  const by = new Map<string, HistoryEntry[]>();
  const add = (customerId: string | undefined, e: HistoryEntry) => {
    if (!customerId) return;
    const list = by.get(customerId);
    if (list) list.push(e);
    else by.set(customerId, [e]);
  };
  for (const s of sales) add(s.customerId, saleEntry(s));
  for (const o of orders) add(o.customerId, orderEntry(o));
  return [...by].map(([customerId, entries]) => ({
    customerId: customerId as CustomerId,
    entries: entries.sort(newestFirst).slice(0, HISTORY_MAX_ENTRIES),
    count: entries.length,
  }));
}
