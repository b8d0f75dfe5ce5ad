// What the till needs to put a scanned variant in the cart: its product's name and this store's price.
import type { VitrineDb } from '../schema';
import type { VariantRow } from '@/core/model';
import type { Minor } from '@/core/shared/brand';
import { getDevice } from '../device';

export interface Sellable {
  sku: string;
  productId: string;
  name: string;
  size: string;
  color: string;
  unitPrice: Minor;
}

/** undefined when the product is missing or has no price in this store's currency. */
export async function readSellable(db: VitrineDb, v: VariantRow): Promise<Sellable | undefined> {
  const device = await getDevice(db);
  const [product, store] = await Promise.all([db.products.get(v.productId), device ? db.locations.get(device.storeId) : undefined]);
  const price = store ? v.prices[store.currency] : undefined;
  if (!product || price === undefined) return undefined;
  return { sku: v.sku, productId: v.productId, name: product.name, size: v.size, color: v.color, unitPrice: price };
}
