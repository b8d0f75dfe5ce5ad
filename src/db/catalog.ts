// Catalog reads for screens: product documents with their variants, found by id, SKU or barcode,
// with this store's stock and the network's availability. Screens and other features read the
// catalog through these (never through its tables), so its layout can change behind them.
import { useLiveQuery } from 'dexie-react-hooks';
import type { VitrineDb } from './schema';
import { getDevice } from './device';
import { stockKey, variantsOf, type AvailabilityRow, type LocationRow, type ProductRow, type StockRow, type VariantRow } from '@/core/model';
import { normalizeRetailBarcode } from '@/core/catalog/barcode';

export interface ProductView {
  product: ProductRow | undefined;
  /** The product's variants, each with its product id. */
  variants: VariantRow[];
  /** This store's stock row of each variant, aligned with `variants`. */
  stock: (StockRow | undefined)[];
  /** Available per location of each variant, aligned with `variants` (undefined: no figures yet). */
  avail: (Record<string, number> | undefined)[];
  /** When the roll-up computed the availability figures (ms). */
  availAt: number | undefined;
  locations: LocationRow[];
  here: LocationRow | undefined;
  storeId: string;
}

/** One product with its variants, this store's stock and every location's availability. */
export async function readProduct(db: VitrineDb, id: string): Promise<ProductView> {
  const [device, product, locations, availability] = await Promise.all([getDevice(db), db.products.get(id), db.locations.toArray(), db.productAvailability.get(id)]);
  const storeId = device?.storeId ?? '';
  const variants = product ? variantsOf(product) : [];
  const stock = await db.stock.bulkGet(variants.map((v) => stockKey(storeId, v.sku)));
  return { product, variants, stock, avail: variants.map((v) => availability?.by[v.sku]), availAt: availability?.at, locations, here: locations.find((l) => l.id === storeId), storeId };
}

/** `readProduct`, live: updates when a pull or a sale changes what it shows. */
export function useProduct(db: VitrineDb, id: string): ProductView | undefined {
  return useLiveQuery(() => readProduct(db, id), [db, id]);
}

/** Products by id, in the order asked, missing ones left out. */
export async function productsById(db: VitrineDb, ids: readonly string[]): Promise<ProductRow[]> {
  return (await db.products.bulkGet([...ids])).filter((p) => p !== undefined);
}

/**
 * The variant a hardware scanner or a typed code names: an exact barcode (a 12-digit UPC-A is kept
 * as its EAN-13, so scanners reporting either find it), else a SKU. One index read per try.
 */
export async function findByBarcode(db: VitrineDb, code: string): Promise<VariantRow | undefined> {
  const c = code.trim();
  if (!c) return undefined;
  const retail = normalizeRetailBarcode(c);
  const tries: [index: 'barcodes' | 'skus', key: string, field: 'barcode' | 'sku'][] = [['barcodes', c, 'barcode']];
  if (retail && retail !== c) tries.push(['barcodes', retail, 'barcode']);
  tries.push(['skus', c.toUpperCase(), 'sku']);
  for (const [index, key, field] of tries) {
    const product = await db.products.where(index).equals(key).first();
    const v = product?.variants.find((x) => x[field] === key);
    if (product && v) return { ...v, productId: product.id };
  }
  return undefined;
}

/** Which product holds each SKU, kept per database and caught up with the catalog cursor. */
interface SkuOwners {
  version: number;
  owner: Map<string, string>;
  skusOf: Map<string, readonly string[]>;
}
const owners = new WeakMap<VitrineDb, SkuOwners>();

/**
 * The product of every SKU, in memory. Screens that test thousands of SKUs at once (the "in stock
 * here" filter reads every stock row of the store) would otherwise make thousands of index reads,
 * one IndexedDB round trip each. Caught up like the search index: only products whose document has
 * a version above the one last seen are read again; a catalog reset or a deletion rebuilds it.
 */
async function skuOwners(db: VitrineDb): Promise<Map<string, string>> {
  let o = owners.get(db);
  const { version, changed, count } = await db.transaction('r', [db.products, db.cursors], async () => {
    const version = (await db.cursors.get('catalog'))?.version ?? 0;
    if (o && o.version === version) return { version, changed: [], count: -1 };
    if (o && version < o.version) o = undefined;
    return { version, changed: await db.products.where('_v').above(o?.version ?? -1).toArray(), count: await db.products.count() };
  });
  if (!o) owners.set(db, (o = { version: -1, owner: new Map(), skusOf: new Map() }));
  for (const p of changed) {
    for (const sku of o.skusOf.get(p.id) ?? []) o.owner.delete(sku);
    const skus = p.variants.map((v) => v.sku as string);
    for (const sku of skus) o.owner.set(sku, p.id);
    o.skusOf.set(p.id, skus);
  }
  o.version = version;
  if (count >= 0 && o.skusOf.size !== count) {
    // Some product was deleted (a deletion leaves no version behind): start again from the rows.
    owners.delete(db);
    return skuOwners(db);
  }
  return o.owner;
}

/** The ids of the products holding these SKUs. */
export async function productIdsOfSkus(db: VitrineDb, skus: readonly string[]): Promise<Set<string>> {
  if (skus.length === 0) return new Set();
  const owner = await skuOwners(db);
  const ids = new Set<string>();
  for (const s of skus) {
    const id = owner.get(s);
    if (id) ids.add(id);
  }
  return ids;
}

/** Availability rows of the network, one per product, visited in turn. */
export async function eachAvailability(db: VitrineDb, fn: (a: AvailabilityRow) => void): Promise<void> {
  await db.productAvailability.each(fn);
}

/** This store's stock of a product's variants and their availability elsewhere, for a result row. */
export async function readProductStock(db: VitrineDb, productId: string, storeId: string): Promise<{ stock: (StockRow | undefined)[]; avail: AvailabilityRow | undefined; locations: LocationRow[] }> {
  const [product, avail, locations] = await Promise.all([db.products.get(productId), db.productAvailability.get(productId), db.locations.toArray()]);
  const stock = await db.stock.bulkGet((product?.variants ?? []).map((v) => stockKey(storeId, v.sku)));
  return { stock, avail, locations };
}
