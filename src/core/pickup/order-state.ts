// What pickup transitions share [PQ1]: reading the order, releasing or fulfilling its reservation,
// refunding what will not be collected, and noticing the customer [PQ4][W3].
import type { Command, EffectsBuilder, Notice } from '../sync/command';
import { stockKey, type LineReassign, type OrderEvent, type OrderRow, type OrderStatus, type StreamName } from '../model';
import { asSku, type LocationId, type Minor } from '../shared/brand';
import { fail } from '../shared/errors';

export const DEFAULT_EXPIRY_DAYS = 7;
export const DAY_MS = 86_400_000;

/** The order, or `unknown-order`. */
export async function loadOrder(b: EffectsBuilder, orderId: string): Promise<OrderRow> {
  const o = await b.get('orders', orderId);
  if (!o) fail('unknown-order', `There is no order ${orderId} here; pull the latest orders and try again.`);
  return o!;
}

/**
 * [M1] Every stream an order is in, its store's first: the sourcing location's when sourced elsewhere,
 * and for an order placed at a till [OR3] the placing store's and every location a line is reserved at.
 */
export const orderStreams = (o: OrderRow): StreamName[] => {
  // [PQ1] A reassigned line keeps every location it was short at or reserved at: an order never leaves a stream.
  const moved = (o.reassigned ?? []).flatMap((r) => [...r.shortAt, ...r.shares.map((x) => x.locationId)]);
  const ids = [o.storeId, o.sourceId, o.storeOrder?.placedIn, ...(o.storeOrder?.allocations ?? []).map((a) => a.locationId), ...moved];
  return [...new Set(ids.filter((x): x is LocationId => x !== undefined))].map((id) => `store:${id}` as StreamName);
};

/** [PQ1] The reassignment of a line, if it was marked short and sent back to sourcing. */
export const reassignOf = (o: OrderRow, sku: string): LineReassign | undefined => (o.reassigned ?? []).find((r) => r.sku === sku);

/**
 * Where each line's stock is reserved: a reassigned line's new shares (none while the server looks,
 * or when nothing had it) [PQ1], else the allocations of a sourced till order [OR2], else the order's
 * one sourcing location.
 */
export function sharesOf(o: OrderRow, lines: OrderRow['lines']): { locationId: string; sku: string; qty: number }[] {
  const moved = lines.filter((l) => reassignOf(o, l.sku));
  const rest = lines.filter((l) => !reassignOf(o, l.sku));
  const again = moved.flatMap((l) => reassignOf(o, l.sku)!.shares.map((x) => ({ locationId: x.locationId as string, sku: l.sku as string, qty: x.qty })));
  const loc = o.sourceId ?? o.storeId;
  if (!o.storeOrder?.allocations) return [...rest.map((l) => ({ locationId: loc as string, sku: l.sku as string, qty: l.qty })), ...again];
  const skus = new Set(rest.map((l) => l.sku as string));
  return [...o.storeOrder.allocations.filter((a) => skus.has(a.sku)), ...again];
}

/** Writes the order back with its membership [M1] and a new history event. */
export function saveOrder(b: EffectsBuilder, o: OrderRow, status: OrderStatus, ev: OrderEvent[]): OrderRow {
  const refunds = ev.reduce((s, e) => s + (e.kind === 'refund' ? (e.amount ?? 0) : 0), 0);
  const next: OrderRow = { ...o, status, history: [...(o.history ?? []), ...ev], ...(refunds ? { refunded: ((o.refunded ?? 0) + refunds) as Minor } : {}) };
  b.put('orders', next, { also: orderStreams(next) });
  return next;
}

/** [PQ5] Why a transition does not apply to an order in `status`, in words for Needs attention. */
export function invalidTransition(o: OrderRow, what: string): never {
  return fail('invalid-transition', `Order ${o.number} is ${o.status} already, so it cannot ${what}; another tablet got there first. Check the order in the pickup queue.`, { orderId: o.id, status: o.status });
}

/** Lines still to be collected (not cancelled as short). */
export const openLines = (o: OrderRow) => o.lines.filter((l) => !(o.shortSkus ?? []).includes(l.sku));

/** Moves stock for lines at the sourcing location: `release` gives the reservation back; `fulfil` also takes it off the shelf. */
export async function settle(b: EffectsBuilder, cmd: Command, o: OrderRow, lines: OrderRow['lines'], kind: 'release' | 'fulfil', now: number): Promise<void> {
  const all = sharesOf(o, lines);
  // [OR3][O3] Shares reserved at another location than the collecting store (a till order's, a web
  // order sourced elsewhere, a reassigned line) are settled there by the system (order.settle-share),
  // since a store's tablet writes only its own stock.
  const remote = all.filter((x) => x.locationId !== o.storeId);
  const shares = all.filter((x) => !remote.includes(x));
  for (const loc of [...new Set(remote.map((x) => x.locationId))]) {
    const at = remote.filter((x) => x.locationId === loc).map((x) => ({ sku: x.sku, qty: x.qty }));
    b.followUp({ kind: 'order.settle-share', key: `${cmd.id}:${kind}:${loc}`, payload: { orderId: o.id, sourceCommandId: cmd.id, kind, locationId: loc, shares: at } });
  }
  const rows = await b.getMany('stock', shares.map((x) => stockKey(x.locationId, x.sku)));
  shares.forEach((x, i) => {
    const key = stockKey(x.locationId, x.sku);
    const s = rows[i] ?? { key, locationId: x.locationId as LocationId, sku: asSku(x.sku), onHand: 0, reserved: 0, at: now };
    b.put('stock', { ...s, reserved: Math.max(0, s.reserved - x.qty), onHand: kind === 'fulfil' ? s.onHand - x.qty : s.onHand, at: now });
    // One location per line keeps the id it always had; a split or reassigned line names each location.
    const id = o.storeOrder?.allocations || reassignOf(o, x.sku) ? `${cmd.id}:${kind}:${x.sku}:${x.locationId}` : `${cmd.id}:${kind}:${x.sku}`;
    b.move({ id, locationId: x.locationId, sku: x.sku, qty: -x.qty, kind, commandId: cmd.id });
  });
}

/** A customer notice about this order [W3]; none when the order has no contact (store orders). */
export function notice(b: EffectsBuilder, o: OrderRow, kind: Notice['kind'], extra: Record<string, unknown> = {}): void {
  const to = o.contact?.email || o.contact?.phone;
  if (!to) return;
  b.notify({ kind, recipient: to, payload: { orderId: o.id, number: o.number, externalId: o.externalId, storeId: o.storeId, customerName: o.customerName, ...extra } });
}

/** [PQ1] Refunds `lines` (their price), recording the refund and noticing the customer. */
export function refundEvent(b: EffectsBuilder, o: OrderRow, lines: OrderRow['lines'], at: string): OrderEvent[] {
  // [OR1] A till order refunds what was paid for the line, discounts included.
  const amount = lines.reduce((s, l) => s + (l.paid ?? l.qty * l.unitPrice), 0) as Minor;
  if (amount === 0) return [];
  notice(b, o, 'refund-issued', { amount, currency: o.currency, paymentRef: o.paymentRef });
  return [{ kind: 'refund', at, amount }];
}
