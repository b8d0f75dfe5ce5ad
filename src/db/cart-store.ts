// Where the till's cart is kept: one `meta` row, so a reload, a crash or an associate switch finds
// it as it was [SE1]. The cart is UI state; only this file knows it lives in IndexedDB.
import type { VitrineDb } from './schema';

const CART_KEY = 'cart';

export async function loadCart(db: VitrineDb): Promise<unknown> {
  return (await db.meta.get(CART_KEY))?.value;
}

export async function saveCart(db: VitrineDb, value: unknown): Promise<void> {
  await db.meta.put({ key: CART_KEY, value });
}
