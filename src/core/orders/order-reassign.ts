// order.reassign-line: the server sources a line marked short again [PQ1][J1][J3], asked for by the
// store's `order.mark-short` with `resolve: reassign`. Like order.source, its plan reads stock without
// locks and names every location it will reserve at; the handler re-reads under the locks. The line is
// sourced whole (one location, or split across several) without the locations it was short at, and
// reserved there; the order's ready-by moves to when a transfer can arrive. When no location has it,
// the line stays open as `unsourceable` and the pickup store's managers are told what to decide.
import { z } from 'zod';
import type { CommandDef, ReadTx } from '../sync/command';
import { EffectsBuilder, nowOf } from '../sync/command';
import type { LineReassign, OrderEvent, OrderRow } from '../model';
import type { LocationId } from '../shared/brand';
import { raise } from '../shared/exceptions';
import { allocate, WAREHOUSE } from './sourcing';
import { reserve, READY_WITHIN_MS } from './order-place';
import { notice, orderStreams, reassignOf, saveOrder } from '../pickup/order-state';

export const orderReassignLineV1 = z
  .object({
    orderId: z.string().min(1).max(64),
    sku: z.string().min(1).max(64),
    /** The mark-short command that asked: a later request for the same line supersedes this one. */
    request: z.string().min(1).max(64),
  })
  .strict();
export type OrderReassignLinePayload = z.infer<typeof orderReassignLineV1>;

/** [PQ1] How long goods take to reach the pickup store (the chain's defaults): another store's transfer, the warehouse's. */
export const TRANSFER_MS = { store: 86_400_000, warehouse: 2 * 86_400_000 } as const;

/** Where sourcing starts: the store the customer collects at; a shipment starts from the warehouse. */
const nearOf = (o: OrderRow): string | undefined => (o.storeOrder ? o.storeOrder.pickupStoreId : o.fulfillment === 'pickup' ? o.storeId : undefined);

interface Pending {
  order: OrderRow;
  entry: LineReassign;
  line: OrderRow['lines'][number];
}

/** The request this job answers, when it is still the line's open one (not superseded, cancelled, or the order moved on). */
async function pendingOf(tx: ReadTx, p: OrderReassignLinePayload): Promise<Pending | undefined> {
  const order = await tx.get('orders', p.orderId);
  if (!order || (order.status !== 'placed' && order.status !== 'picking') || (order.shortSkus ?? []).includes(p.sku)) return undefined;
  const entry = reassignOf(order, p.sku);
  const line = order.lines.find((l) => l.sku === p.sku);
  if (!entry || !line || entry.state !== 'sourcing' || entry.request !== p.request) return undefined;
  return { order, entry, line };
}

/** The line's new shares, one per location, or undefined when no set of locations covers it all. */
async function findShares(tx: ReadTx, x: Pending): Promise<LineReassign['shares'] | undefined> {
  const s = await allocate(tx, nearOf(x.order), [{ sku: x.line.sku, qty: x.line.qty }], x.entry.shortAt);
  if (s.unsourced.length) return undefined;
  return s.shares.map((sh) => ({ locationId: sh.locationId as LocationId, qty: sh.qty }));
}

/** The order with the line's outcome: reserved at `shares` with a later ready-by, or open as unsourceable. */
function resolved(x: Pending, shares: LineReassign['shares'] | undefined, now: number): { order: OrderRow; events: OrderEvent[] } {
  const { order: o, entry } = x;
  const at = new Date(now).toISOString();
  const state: LineReassign['state'] = shares ? 'sourced' : 'unsourceable';
  const reassigned = (o.reassigned ?? []).map((r) => (r.sku === entry.sku ? { ...r, state, shares: shares ?? [] } : r));
  if (!shares) return { order: { ...o, reassigned }, events: [{ kind: 'unsourceable', at, sku: entry.sku }] };
  const away = shares.filter((s) => s.locationId !== o.storeId);
  const wait = away.length === 0 ? READY_WITHIN_MS : away.some((s) => s.locationId === WAREHOUSE) ? TRANSFER_MS.warehouse : TRANSFER_MS.store;
  const readyBy = new Date(Math.max(Date.parse(o.readyBy), now + wait)).toISOString();
  return { order: { ...o, reassigned, readyBy }, events: [{ kind: 'reassigned', at, sku: entry.sku, sourceIds: shares.map((s) => s.locationId), readyBy }] };
}

export const orderReassignLine: CommandDef<OrderReassignLinePayload> = {
  type: 'order.reassign-line',
  version: 1,
  schemas: { 1: orderReassignLineV1 },
  roles: ['system'],
  storeOf: () => undefined,
  streams: () => [],
  // [J3] Where the line will be reserved is known only by reading stock: the plan names those streams.
  async plan({ tx }, cmd) {
    const x = await pendingOf(tx, cmd.payload);
    if (!x) {
      const o = await tx.get('orders', cmd.payload.orderId);
      return o ? orderStreams(o) : [];
    }
    return orderStreams(resolved(x, await findShares(tx, x), 0).order);
  },
  prefetch: (p) => [{ table: 'orders', keys: [p.orderId] }],
  async handle(ctx, cmd) {
    const b = new EffectsBuilder(ctx.tx);
    const x = await pendingOf(b, cmd.payload);
    // Answered already, superseded, or the line was cancelled or the order moved on meanwhile: the job is done.
    if (!x) {
      b.summary = { orderId: cmd.payload.orderId, sku: cmd.payload.sku, noop: true };
      return b.done();
    }
    const now = nowOf(ctx, cmd);
    const shares = await findShares(b, x);
    for (const [i, s] of (shares ?? []).entries()) await reserve(b, cmd, s.locationId, x.line.sku, s.qty, i, now);
    const { order, events } = resolved(x, shares, now);
    saveOrder(b, order, order.status, events);
    const o = x.order;
    if (!shares) {
      raise(b, cmd, o.storeId, 'unsourceable', `Order ${o.number} for ${o.customerName}: ${x.line.qty} × ${x.line.name} (${x.line.sku}) was short at ${x.entry.shortAt.join(', ')} and no other location has it. Cancel the line with a refund, or try again when stock arrives.`, {
        reason: 'reassign',
        orderId: o.id,
        number: o.number,
        sku: x.line.sku,
        qty: x.line.qty,
        shortAt: x.entry.shortAt,
      });
    } else if (order.readyBy !== o.readyBy) {
      // [W3] The customer learns the new ready-by time; the code and the store stay the same.
      notice(b, o, 'delayed', { sku: x.line.sku, name: x.line.name, readyBy: order.readyBy });
    }
    b.summary = { orderId: o.id, number: o.number, sku: x.line.sku, sourceIds: (shares ?? []).map((s) => s.locationId), unsourceable: !shares };
    return b.done();
  },
};
