// Placing an order for a customer [OR1]: the same payment as a sale, one local command, final the moment
// it commits [C5]. The order takes the sale's id (one per cart), so an order already placed is found,
// never placed twice. It carries the availability the tablet saw [OR2]; the server sources it.
import type { VitrineDb } from '@/db/schema';
import { dispatch } from '@/db/dispatch';
import { AlreadyRung, notRungYet, orAlreadyRung } from './already-rung';
import { readSeen } from '@/db/hooks/use-order';
import { orderCreate, type OrderCreatePayload } from '@/core/orders/order-create';
import { checkAddress } from '@/core/customers/address';
import type { CartData } from '@/state/cart';
import type { LocationRow } from '@/core/model';

export async function placeOrder(db: VitrineDb, actor: string, store: LocationRow, cart: CartData, shiftId?: string): Promise<{ saleId: string; receiptNo: string; orderId: string }> {
  const saleId = cart.saleId;
  if (!saleId) throw new Error('An order needs its id from checkout');
  if (!cart.customer) throw new Error('An order needs a customer');
  const fulfillment = fulfillmentOf(cart, store);
  const { seen, seenAt } = await readSeen(db, cart.lines.map((l) => ({ sku: l.sku, productId: l.productId, qty: l.qty })));
  const alsoReads = [{ table: 'products' as const, keys: cart.lines.map((l) => l.productId) }];
  const res = await orAlreadyRung(
    dispatch(
      db,
      actor,
      orderCreate,
      (alloc): OrderCreatePayload => ({
        saleId,
        orderId: saleId,
        storeId: store.id,
        receiptNo: alloc.receiptNo(),
        currency: store.currency,
        customerId: cart.customer!.id,
        ...(shiftId ? { shiftId } : {}),
        lines: cart.lines.map((l) => ({ sku: l.sku, qty: l.qty, unitPrice: l.unitPrice, ...(l.discount ? { discount: l.discount as NonNullable<OrderCreatePayload['lines'][number]['discount']> } : {}) })),
        ...(cart.cartDiscount ? { cartDiscount: cart.cartDiscount as NonNullable<OrderCreatePayload['cartDiscount']> } : {}),
        ...(cart.approval ? { approval: { by: cart.approval.by, at: cart.approval.at, subject: cart.approval.subject, mac: cart.approval.mac } } : {}),
        tenders: cart.tenders.map((t) => ({ kind: t.kind, amount: t.amount, ...(t.ref ? { ref: t.ref } : {}), ...(t.offline ? { offline: true } : {}) })),
        fulfillment,
        seen,
        ...(seenAt !== undefined ? { seenAt } : {}),
      }),
      undefined,
      { alsoReads, precheck: notRungYet(saleId) },
    ),
  );
  if (res instanceof AlreadyRung) return { saleId, receiptNo: res.receiptNo, orderId: saleId };
  return { saleId, receiptNo: res.effects.summary.receiptNo, orderId: res.effects.summary.orderId };
}

function fulfillmentOf(cart: CartData, store: LocationRow): OrderCreatePayload['fulfillment'] {
  switch (cart.fulfillment) {
    case 'ship-home': {
      const a = checkAddress({ ...cart.address, country: cart.address.country || store.country });
      if (!a.ok) throw new Error(`The address is not complete (${a.problem})`);
      return { kind: 'ship-home', address: a.value };
    }
    case 'pickup-other':
      if (!cart.pickupStoreId) throw new Error('A pickup order needs its store');
      return { kind: 'pickup-other', storeId: cart.pickupStoreId };
    default:
      return { kind: 'ship-store' };
  }
}
