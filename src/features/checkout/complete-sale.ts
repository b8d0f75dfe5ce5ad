// Completing the sale: one local command, final the moment it commits [SE3][C5]. The sale goes in
// under the id the cart chose at checkout, so a sale already committed (a crash between the commit
// and the cart's own write, a double tap) is found, never rung twice.
import type { VitrineDb } from '@/db/schema';
import { dispatch } from '@/db/dispatch';
import { AlreadyRung, notRungYet, orAlreadyRung } from './already-rung';
import { saleComplete, type SaleCompletePayload } from '@/core/sales/sale-complete';
import type { CartData } from '@/state/cart';
import type { LocationRow } from '@/core/model';

/** `shiftId`: this register's open shift [SH1], which a sale with cash needs and any sale counts in. */
export async function completeSale(db: VitrineDb, actor: string, store: LocationRow, cart: CartData, shiftId?: string): Promise<{ saleId: string; receiptNo: string }> {
  const saleId = cart.saleId;
  if (!saleId) throw new Error('A sale needs its id from checkout');
  // The cart knows each line's product: the sale reads it in its first round trip, not a second.
  const alsoReads = [{ table: 'products' as const, keys: cart.lines.map((l) => l.productId) }];
  const res = await orAlreadyRung(
    dispatch(
      db,
      actor,
      saleComplete,
      (alloc): SaleCompletePayload => ({
        saleId,
        storeId: store.id,
        receiptNo: alloc.receiptNo(),
        currency: store.currency,
        ...(cart.customer ? { customerId: cart.customer.id } : {}),
        ...(shiftId ? { shiftId } : {}),
        lines: cart.lines.map((l) => ({ sku: l.sku, qty: l.qty, unitPrice: l.unitPrice, ...(l.discount ? { discount: l.discount as NonNullable<SaleCompletePayload['lines'][number]['discount']> } : {}) })),
        ...(cart.cartDiscount ? { cartDiscount: cart.cartDiscount as NonNullable<SaleCompletePayload['cartDiscount']> } : {}),
        ...(cart.approval ? { approval: { by: cart.approval.by, at: cart.approval.at, subject: cart.approval.subject, mac: cart.approval.mac } } : {}),
        tenders: cart.tenders.map((t) => ({ kind: t.kind, amount: t.amount, ...(t.ref ? { ref: t.ref } : {}), ...(t.offline ? { offline: true } : {}) })),
      }),
      undefined,
      { alsoReads, precheck: notRungYet(saleId) },
    ),
  );
  return { saleId, receiptNo: res instanceof AlreadyRung ? res.receiptNo : res.effects.summary.receiptNo };
}
