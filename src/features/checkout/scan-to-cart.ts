// A scan with the cart open adds the item to the cart instead of opening its page (till layout).
import type { VitrineDb } from '@/db/schema';
import type { VariantRow } from '@/core/model';
import { readSellable } from '@/db/hooks/read-sellable';
import { useCart } from '@/state/cart';

export type ScanOutcome = 'added' | 'not-sellable' | 'paying';

/** Adds the scanned variant, or says why not: no price here, or payment has started. */
export async function addScannedToCart(db: VitrineDb, v: VariantRow): Promise<ScanOutcome> {
  const item = await readSellable(db, v);
  if (!item) return 'not-sellable';
  // Lines are fixed once payment has started: a scan then waits for the payment to finish or be voided.
  const cart = useCart.getState();
  if (cart.stage === 'pay' && cart.tenders.length > 0) return 'paying';
  if (cart.stage === 'pay') cart.backToCart();
  useCart.getState().add(item);
  return 'added';
}
