// order.place: a web order from the channel [W1][O1]. Sources the stock [J3], reserves it there, and
// puts the order in the pickup store's stream (and the sourcing location's, when it differs [M1]).
import { z } from 'zod';
import type { CommandDef, EffectsBuilder as Builder, Command } from '../sync/command';
import { EffectsBuilder, nowOf } from '../sync/command';
import { stockKey, type OrderRow, type StreamName } from '../model';
import { asSku, type Currency, type CustomerId, type LocationId, type Minor } from '../shared/brand';
import { fail } from '../shared/errors';
import { raise } from '../shared/exceptions';
import { lookupSkus } from '../catalog/sku-lookup';
import { webOrderSchema } from './web-order';
import { sourceOrder } from './sourcing';
import { notice } from '../pickup/order-state';

/** [PQ2] The promised ready-by time after placement (config; the chain's default). */
export const READY_WITHIN_MS = 2 * 3_600_000;

export const orderPlaceV1 = z.object({
  orderId: z.string().uuid(),
  number: z.string().regex(/^W[0-9A-Z]{4,10}$/),
  order: webOrderSchema,
});
export type OrderPlacePayload = z.infer<typeof orderPlaceV1>;

const pickupStore = (p: OrderPlacePayload) => (p.order.fulfillment.kind === 'pickup' ? p.order.fulfillment.storeId : undefined);

export const orderPlace: CommandDef<OrderPlacePayload> = {
  type: 'order.place',
  version: 1,
  schemas: { 1: orderPlaceV1 },
  roles: ['channel'],
  storeOf: pickupStore,
  streams: (p) => {
    const s = pickupStore(p);
    return s ? [`store:${s}`] : [];
  },
  // [J3] Where the stock comes from is known only by reading availability: plan names that stream.
  async plan({ tx }, cmd) {
    return [`store:${await sourceOrder(tx, pickupStore(cmd.payload), cmd.payload.order.lines)}` as StreamName];
  },
  async handle(ctx, cmd) {
    const p = cmd.payload;
    const o = p.order;
    const b = new EffectsBuilder(ctx.tx);
    const now = nowOf(ctx, cmd);
    const storeId = pickupStore(p);
    if (storeId) {
      const store = await b.get('locations', storeId);
      if (!store || store.kind !== 'store') fail('unknown-store', `There is no store ${storeId} to pick up from; use a store code from the chain's store list.`);
    }
    const items = await lookupSkus(b, o.lines.map((l) => l.sku));
    const missing = o.lines.find((_, i) => !items[i]);
    if (missing) fail('unknown-sku', `SKU ${missing.sku} is not in the catalog; check the web shop's product feed.`);

    // Re-read under the locks: the same reads as the plan, so the same answer unless stock moved in between.
    const source = await sourceOrder(b, storeId, o.lines);
    const at = new Date(now).toISOString();
    for (const [i, l] of o.lines.entries()) await reserve(b, cmd, source, l.sku, l.qty, i, now);
    const unsourceable = await shortAt(b, source, o.lines);
    if (unsourceable.length) {
      raise(b, cmd, storeId ?? source, 'unsourceable', `Web order ${p.number} needs ${unsourceable.join(', ')} but no location has enough; ${source} reserved it anyway. Transfer stock to ${source} or cancel the line.`, { number: p.number, skus: unsourceable, sourceId: source });
    }
    const order: OrderRow = {
      id: p.orderId,
      number: p.number,
      channel: 'web',
      storeId: (storeId ?? source) as LocationId,
      customerId: `web:${o.customer.email.toLowerCase()}` as CustomerId,
      customerName: `${o.customer.firstName} ${o.customer.lastName}`,
      lines: o.lines.map((l, i) => ({ sku: asSku(l.sku), name: items[i]!.name, qty: l.qty, unitPrice: l.unitPrice as Minor })),
      currency: o.currency as Currency,
      total: o.payment.amount as Minor,
      fulfillment: o.fulfillment.kind,
      status: 'placed',
      placedAt: at,
      readyBy: new Date(now + READY_WITHIN_MS).toISOString(),
      paymentRef: o.payment.reference,
      externalId: o.externalId,
      sourceId: source as LocationId,
      contact: { email: o.customer.email, phone: o.customer.phone },
      ...(o.fulfillment.kind === 'ship' ? { shipTo: o.fulfillment.address } : {}),
      refunded: 0 as Minor,
      history: [{ kind: 'placed', at }],
    };
    // [M1] A pickup sourced elsewhere is in both stores' streams: one picks and sends, one hands over.
    b.create('orders', order, source !== order.storeId ? { also: [`store:${source}`] } : {});
    // [W3] The customer's receipt for the order: what was bought, what was paid, where to collect.
    notice(b, order, 'receipt', {
      lines: order.lines.map((l) => ({ sku: l.sku, name: l.name, qty: l.qty, unitPrice: l.unitPrice })),
      total: order.total,
      currency: order.currency,
      paymentRef: order.paymentRef,
      fulfillment: order.fulfillment,
      placedAt: at,
    });
    b.summary = { orderId: order.id, number: order.number, sourceId: source };
    return b.done();
  },
};

/** Reserves `qty` at `locationId`: the stock row's `reserved` and a `reserve` movement with a deterministic id. */
export async function reserve(b: Builder, cmd: Command, locationId: string, sku: string, qty: number, i: number, now: number): Promise<void> {
  const key = stockKey(locationId, sku);
  const s = (await b.get('stock', key)) ?? { key, locationId: locationId as LocationId, sku: asSku(sku), onHand: 0, reserved: 0, at: now };
  b.put('stock', { ...s, reserved: s.reserved + qty, at: now });
  b.move({ id: `${cmd.id}:reserve:${i}`, locationId, sku, qty, kind: 'reserve', commandId: cmd.id });
}

/** SKUs whose reservation at `locationId` now exceeds what is on hand. */
async function shortAt(b: Builder, locationId: string, lines: readonly { sku: string }[]): Promise<string[]> {
  const rows = await b.getMany('stock', lines.map((l) => stockKey(locationId, l.sku)));
  return lines.filter((_, i) => (rows[i]?.onHand ?? 0) < (rows[i]?.reserved ?? 0)).map((l) => l.sku);
}
