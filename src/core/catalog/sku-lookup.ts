// One way for command handlers to read what the catalog says about SKUs: the sellable facts of each
// variant with its product's name and tax class. Handlers never read catalog tables directly, so the
// catalog's storage layout (product documents with embedded variants) can change behind it.
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
  const products = await tx.productsBySku(skus);
  return skus.map((sku, i) => {
    const p = products[i];
    const v = p?.variants.find((x) => x.sku === sku);
    if (!p || !v) return undefined;
    return { sku: v.sku, productId: p.id, name: p.name, brand: p.brand, taxClass: p.taxClass, barcode: v.barcode, size: v.size, color: v.color, prices: v.prices };
  });
}

/** The rows `lookupSkus` reads, for a command's prefetch: the products holding these SKUs. */
export const skuPrefetch = (skus: readonly string[]): Prefetch[] => [{ table: 'products', keys: skus, by: 'sku' }];
