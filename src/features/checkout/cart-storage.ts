// Starts the till's durable cart: loads it from IndexedDB, writes every change back, and finishes a
// sale that was committed but whose cart was not yet cleared (a crash between the two) [SE1][SE3].
import type { VitrineDb } from '@/db/schema';
import { loadCart, saveCart } from '@/db/cart-store';
import { hasSale } from '@/db/hooks/use-sale';
import { bindCartStorage, useCart } from '@/state/cart';

export async function startCartStorage(db: VitrineDb): Promise<() => Promise<void>> {
  const stop = await bindCartStorage(
    () => loadCart(db),
    (data) => saveCart(db, data),
  );
  const s = useCart.getState();
  if (s.stage === 'pay' && s.saleId && (await hasSale(db, s.saleId))) {
    const sale = await db.sales.get(s.saleId);
    if (sale) s.completed({ saleId: sale.id, receiptNo: sale.receiptNo });
  }
  return stop;
}
