// One way for command handlers to read what the catalog says about SKUs: the sellable facts of each
// variant with its product's name and tax class. Handlers never read catalog tables directly, so the
// catalog's storage layout (flat variants today, product documents tomorrow) can change behind it.
import type { ReadTx, Prefetch } from '../sync/command';
import type { Currency, Minor, Sku } from '../shared/brand';

export interface SkuInfo {
  sku: Sku;
  productId: string;
  name: string;
  brand: string;
  taxClass: string;
  barcode: string;
  size: string;
  color: string;
  prices: Partial<Record<Currency, Minor>>;
}

/** The catalog facts of each SKU, aligned with `skus` (undefined where the catalog has no such SKU). */
export async function lookupSkus(tx: ReadTx, skus: readonly string[]): Promise<(SkuInfo | undefined)[]> {
  const variants = await tx.getMany('variants', skus);
  const products = await tx.getMany('products', variants.map((v) => v?.productId ?? ''));
  return variants.map((v, i) => {
    if (!v) return undefined;
    const p = products[i];
    return { sku: v.sku, productId: v.productId, name: p?.name ?? v.sku, brand: p?.brand ?? '', taxClass: p?.taxClass ?? 'standard', barcode: v.barcode, size: v.size, color: v.color, prices: v.prices };
  });
}

/** The rows `lookupSkus` reads first, for a command's prefetch. */
export const skuPrefetch = (skus: readonly string[]): Prefetch[] => [{ table: 'variants', keys: skus }];
