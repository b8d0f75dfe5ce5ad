// order.create: ordering for a customer from the till [OR1]. Paid exactly as a sale is (the same
// ringSale: tenders, approvals, shift, receipt), but its lines leave nothing on this store's shelf: the
// order waits in this store's stream as `sourcing`, carrying the availability the tablet saw, and
// asks the server to source it as a follow-up (order.source, [OR2][J1]). A tablet may write only its
// own store's stream, so the other stores' copies are the follow-up's to write [O3][M1].
import { z } from 'zod';
import type { Command, CommandDef } from '../sync/command';
import { EffectsBuilder, nowOf } from '../sync/command';
import type { OrderRow, StoreOrderKind } from '../model';
import type { Currency, CustomerId, LocationId, Minor } from '../shared/brand';
import { fail } from '../shared/errors';
import { saleComplete, saleCompleteV2, ringSale, type SaleCompletePayload } from '../sales/sale-complete';
import { resolveCustomer } from '../customers/redirects';
import { recordHistory, orderEntry } from '../customers/history';
import { shippingAddressSchema } from '../customers/address';
import { READY_WITHIN_MS } from './order-place';
import { promiseDelivery } from './promise';
import { WAREHOUSE } from './sourcing';

const storeCode = z.string().regex(/^[A-Z0-9]{2,12}$/, 'A store is named by its code, such as S02');

const seenLine = z.object({
  sku: z.string().min(1).max(64),
  where: z.array(z.object({ locationId: storeCode, available: z.number().int().min(-1e9).max(1e9) })).max(64),
});

export const orderCreateV1 = saleCompleteV2.extend({
  orderId: z.string().uuid(),
  /** [OR1] A customer with contact details is required. */
  customerId: z.string().min(1, 'An order needs a customer').max(64),
  fulfillment: z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('ship-home'), address: shippingAddressSchema }).strict(),
    z.object({ kind: z.literal('ship-store') }).strict(),
    z.object({ kind: z.literal('pickup-other'), storeId: storeCode }).strict(),
  ]),
  /** [OR2] What the tablet knew when it placed the order: available per location of each line, and when that was computed. */
  seen: z.array(seenLine).max(200),
  seenAt: z.number().int().nonnegative().optional(),
});
export type OrderCreatePayload = z.infer<typeof orderCreateV1>;

export type OrderCreateSummary = { receiptNo: string; number: string; orderId: string; total: Minor; change: Minor };

const pickupOf = (p: OrderCreatePayload): string | undefined => (p.fulfillment.kind === 'pickup-other' ? p.fulfillment.storeId : p.fulfillment.kind === 'ship-store' ? p.storeId : undefined);

export const orderCreate: CommandDef<OrderCreatePayload, OrderCreateSummary> = {
  type: 'order.create',
  // [D9] Money changed hands, as in a sale.
  durability: 'strict',
  version: 1,
  schemas: { 1: orderCreateV1 },
  roles: ['cashier', 'manager'],
  storeOf: (p) => p.storeId,
  streams: (p) => ['customers', `store:${p.storeId}`],
  prefetch: (p, scope) => [
    ...(saleComplete.prefetch?.(p, scope) ?? []),
    { table: 'orders', keys: [p.orderId] },
    ...(p.fulfillment.kind === 'pickup-other' ? [{ table: 'locations' as const, keys: [p.fulfillment.storeId] }] : []),
  ],
  async handle(ctx, cmd) {
    const p = cmd.payload;
    const b = new EffectsBuilder<OrderCreateSummary>(ctx.tx);
    const f = p.fulfillment;
    const [customer, pickup] = await Promise.all([resolveCustomer(b, p.customerId), f.kind === 'pickup-other' ? b.get('locations', f.storeId) : undefined]);
    if (f.kind === 'pickup-other') {
      if (!pickup || pickup.kind !== 'store') fail('unknown-store', `There is no store ${f.storeId} to pick up from; choose a store from the list.`);
      if (f.storeId === p.storeId) fail('pickup-here', 'The customer collects here: choose "Ship to this store" instead of another store.');
    }
    // [OR1] Notices about the order reach the customer: on the tablet, an order needs an e-mail or a phone.
    // The server applies it whatever (the customer paid [C5]); the profile may have changed since.
    if (ctx.side === 'tablet') {
      if (!customer) fail('customer-needed', 'An order needs a customer: add the customer to the cart first.');
      if (!customer?.email && !customer?.phone) fail('customer-needs-contact', `${customer?.firstName ?? ''} ${customer?.lastName ?? ''} has no e-mail or phone: add one to the profile so we can tell them when the order is ready.`.trim());
    }

    const { sale, total, change } = await ringSale(ctx, cmd as unknown as Command<SaleCompletePayload>, b, { moveStock: false, orderId: p.orderId });
    const now = nowOf(ctx, cmd);
    const at = new Date(now).toISOString();
    const kind: StoreOrderKind = f.kind;
    const pickupStoreId = pickupOf(p);
    const order: OrderRow = {
      id: p.orderId,
      number: p.receiptNo,
      channel: 'store',
      // Until it is sourced the order lives in the placing store's stream, the one this tablet may write.
      storeId: p.storeId as LocationId,
      customerId: (customer?.id ?? p.customerId) as CustomerId,
      customerName: customer ? `${customer.firstName} ${customer.lastName}`.trim() : p.customerId,
      lines: sale.lines.map((l) => ({ sku: l.sku, name: l.name, qty: l.qty, unitPrice: l.unitPrice, ...(l.lineTotal !== l.qty * l.unitPrice ? { paid: l.lineTotal } : {}) })),
      currency: p.currency as Currency,
      total,
      fulfillment: f.kind === 'ship-home' ? 'ship' : 'pickup',
      status: 'sourcing',
      placedAt: at,
      readyBy: new Date(now + READY_WITHIN_MS).toISOString(),
      paymentRef: p.receiptNo,
      ...(customer && (customer.email || customer.phone) ? { contact: { email: customer.email, phone: customer.phone } } : {}),
      ...(f.kind === 'ship-home' ? { shipTo: f.address } : {}),
      refunded: 0 as Minor,
      history: [{ kind: 'placed', at }],
      storeOrder: {
        kind,
        placedIn: p.storeId as LocationId,
        ...(pickupStoreId ? { pickupStoreId: pickupStoreId as LocationId } : {}),
        saleId: p.saleId,
        seen: p.seen,
        ...(p.seenAt !== undefined ? { seenAt: p.seenAt } : {}),
        // [OR3] The promise the till shows at once, from what it saw; the server's sourcing confirms it.
        ...(kind === 'ship-home' ? { promisedBy: promiseDelivery(now, seenFromStores(p)) } : {}),
      },
    };
    // [O3] A new order under the id the tablet minted.
    b.create('orders', order);
    await recordHistory(b, order.customerId, orderEntry(order));
    // [OR2][J1] The server sources it: where the stock is decides the streams it writes [J3].
    b.followUp({ kind: 'order.source', key: p.orderId, payload: { orderId: p.orderId } });
    b.summary = { receiptNo: p.receiptNo, number: order.number, orderId: order.id, total, change };
    return b.done();
  },
};

/** Whether every line was available at some store (not only at the warehouse) when the tablet placed it. */
function seenFromStores(p: OrderCreatePayload): boolean {
  return p.lines.every((l) => p.seen.find((s) => s.sku === l.sku)?.where.some((w) => w.locationId !== WAREHOUSE && w.available >= l.qty) ?? false);
}
