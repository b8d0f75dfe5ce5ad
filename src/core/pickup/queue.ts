// The pickup queue as a store sees it [PQ2]: tabs with counts, overdue first, search by number or name.
import type { OrderRow } from '../model';

export type QueueTab = 'new' | 'picking' | 'ready' | 'overdue' | 'send';
/** [OR3] `send`: orders other stores collect whose stock is reserved here (the transfers to send). */
export const QUEUE_TABS: readonly QueueTab[] = ['new', 'picking', 'ready', 'overdue', 'send'];

/** Not yet ready and past the promised ready-by time. */
export const isOverdue = (o: OrderRow, now: number) => (o.status === 'placed' || o.status === 'picking') && Date.parse(o.readyBy) < now;

/** Minutes from now to the ready-by time: negative when late. */
export const minutesToDue = (o: OrderRow, now: number) => Math.round((Date.parse(o.readyBy) - now) / 60_000);

const fold = (s: string) => s.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();

/** Whether an order matches a search by order number or customer name (accents and case ignored). */
export const matches = (o: OrderRow, query: string) => {
  const q = fold(query.trim());
  return q === '' || fold(o.number).includes(q) || fold(o.customerName).includes(q);
};

export interface Queue {
  tabs: Record<QueueTab, OrderRow[]>;
}

/** Groups active orders into tabs; each tab lists overdue orders first, then by ready-by time. */
export function groupQueue(orders: readonly OrderRow[], now: number, query = '', sending: readonly OrderRow[] = []): Queue {
  const shown = orders.filter((o) => matches(o, query));
  const order = (xs: OrderRow[]) => xs.sort((a, b) => Number(isOverdue(b, now)) - Number(isOverdue(a, now)) || a.readyBy.localeCompare(b.readyBy) || a.number.localeCompare(b.number));
  return {
    tabs: {
      new: order(shown.filter((o) => o.status === 'placed')),
      picking: order(shown.filter((o) => o.status === 'picking')),
      ready: order(shown.filter((o) => o.status === 'ready')),
      overdue: order(shown.filter((o) => isOverdue(o, now))),
      send: order(sending.filter((o) => matches(o, query))),
    },
  };
}
