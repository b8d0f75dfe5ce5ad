// order.source: the server sources an order placed at a till [OR2], run as a follow-up [J1] of
// order.create. Plan reads availability without locks and names every location it will reserve at;
// the handler re-reads under the locks and reserves [J3]. The order then lives in the placing store's
// stream, the collecting store's and every sourcing location's [M1][OR3]. What no location has raises
// `unsourceable` at the placing store and flags the customer for contact.
import { z } from 'zod';
import type { CommandDef, ReadTx } from '../sync/command';
import { EffectsBuilder, nowOf } from '../sync/command';
import type { Allocation, OrderRow } from '../model';
import type { LocationId } from '../shared/brand';
import { raise } from '../shared/exceptions';
import { applySetOp } from '../customers/sets';
import { recordHistory, orderEntry } from '../customers/history';
import { resolveCustomer } from '../customers/redirects';
import { allocate, WAREHOUSE, type Sourcing } from './sourcing';
import { reserve, READY_WITHIN_MS } from './order-place';
import { promiseDelivery } from './promise';
import { orderStreams } from '../pickup/order-state';

export const orderSourceV1 = z.object({ orderId: z.string().uuid() }).strict();
export type OrderSourcePayload = z.infer<typeof orderSourceV1>;

/** The customer tag that asks a store to contact the customer [OR2]. */
export const CONTACT_TAG = 'contact-needed';

/** Where sourcing starts: the collecting store, or the warehouse for a shipment home. */
const nearOf = (o: OrderRow) => o.storeOrder?.pickupStoreId;
const needsOf = (o: OrderRow) => o.lines.map((l) => ({ sku: l.sku, qty: l.qty }));

async function sourceOf(tx: ReadTx, o: OrderRow): Promise<Sourcing> {
  return allocate(tx, nearOf(o), needsOf(o));
}

/** The sourced order: collected where the customer chose; a shipment is sent from where most of it is. */
function sourced(o: OrderRow, s: Sourcing, now: number): OrderRow {
  const so = o.storeOrder!;
  const allocations: Allocation[] = s.shares.map((x) => ({ ...x, locationId: x.locationId as LocationId }));
  const first = allocations[0]?.locationId;
  const storeId = (so.pickupStoreId ?? first ?? so.placedIn) as LocationId;
  const at = new Date(now).toISOString();
  const fromStoresOnly = s.unsourced.length === 0 && allocations.every((a) => a.locationId !== WAREHOUSE);
  return {
    ...o,
    storeId,
    status: 'placed',
    readyBy: new Date(now + READY_WITHIN_MS).toISOString(),
    ...(first ? { sourceId: first } : {}),
    history: [...(o.history ?? []), { kind: 'sourced', at }],
    storeOrder: {
      ...so,
      allocations,
      ...(s.unsourced.length ? { unsourced: s.unsourced.map((u) => ({ sku: u.sku, qty: u.qty })) } : {}),
      ...(so.kind === 'ship-home' ? { promisedBy: promiseDelivery(now, fromStoresOnly) } : {}),
      sourcedAt: at,
    },
  };
}

export const orderSource: CommandDef<OrderSourcePayload> = {
  type: 'order.source',
  version: 1,
  schemas: { 1: orderSourceV1 },
  roles: ['system'],
  storeOf: () => undefined,
  // The customer's history and contact flag; the stores are known only by reading [J3].
  streams: () => ['customers'],
  async plan({ tx }, cmd) {
    const o = await tx.get('orders', cmd.payload.orderId);
    if (!o) return [];
    if (o.status !== 'sourcing' || !o.storeOrder) return orderStreams(o);
    return orderStreams(sourced(o, await sourceOf(tx, o), 0));
  },
  prefetch: (p) => [{ table: 'orders', keys: [p.orderId] }],
  async handle(ctx, cmd) {
    const b = new EffectsBuilder(ctx.tx);
    const o = await b.get('orders', cmd.payload.orderId);
    // Sourced already (a job run twice, or an order cancelled first): nothing to do, the job is done.
    if (!o || o.status !== 'sourcing' || !o.storeOrder) {
      b.summary = { orderId: cmd.payload.orderId, noop: true, status: o?.status ?? 'unknown' };
      return b.done();
    }
    const now = nowOf(ctx, cmd);
    const s = await sourceOf(b, o);
    for (const [i, x] of s.shares.entries()) await reserve(b, cmd, x.locationId, x.sku, x.qty, i, now);
    const next = sourced(o, s, now);
    b.put('orders', next, { also: orderStreams(next) });
    const customer = await resolveCustomer(b, o.customerId);
    if (s.unsourced.length) {
      const what = s.unsourced.map((u) => `${u.qty} × ${o.lines[u.line]?.name ?? u.sku} (${u.sku})`).join(', ');
      const contact = o.contact?.phone || o.contact?.email || 'no contact on file';
      raise(b, cmd, o.storeOrder.placedIn, 'unsourceable', `Order ${o.number} for ${o.customerName}: no location has ${what}. Call the customer (${contact}) to offer a wait, another item or a refund of those lines.`, { orderId: o.id, number: o.number, customerId: o.customerId, unsourced: s.unsourced });
      // [OR2] The customer is flagged for contact on every tablet (a set member, so it merges [CL3]).
      if (customer) b.put('customers', { ...customer, tags: applySetOp(customer.tags, { member: CONTACT_TAG, on: true, at: cmd.at, source: `order:${o.number}` }) });
    }
    await recordHistory(b, customer?.id ?? o.customerId, orderEntry(next));
    b.summary = { orderId: o.id, number: o.number, storeId: next.storeId, allocations: s.shares.length, unsourced: s.unsourced.length };
    return b.done();
  },
};
