// The tablet's catalog search index: built from IndexedDB once per catalog version, kept per database.
import type { VitrineDb } from '@/db/schema';
import { CatalogIndex } from '@/core/catalog/search/catalog-index';

interface Cached {
  version: number;
  index: Promise<CatalogIndex>;
}
const cache = new WeakMap<VitrineDb, Cached>();

export async function catalogIndex(db: VitrineDb): Promise<CatalogIndex> {
  const version = (await db.cursors.get('catalog'))?.version ?? 0;
  const hit = cache.get(db);
  if (hit && hit.version === version) return hit.index;
  const index = (async () => CatalogIndex.fromRows(await db.products.toArray(), await db.variants.toArray()))();
  cache.set(db, { version, index });
  return index;
}

/** Exact barcode or SKU lookup (what a hardware scanner types). */
export async function lookupCode(db: VitrineDb, code: string) {
  const c = code.trim();
  if (!c) return undefined;
  return (await db.variants.where('barcode').equals(c).first()) ?? (await db.variants.get(c.toUpperCase()));
}
