// Customer hooks for screens [CL1][CL2][CL5][CL6]: search (also the cart's), probable duplicates, and
// a profile with its history, notes, wishlist availability and suggestions. Nothing is read unless
// an associate is signed in.
import { useEffect, useMemo, useSyncExternalStore } from 'react';
import { useLiveQuery } from 'dexie-react-hooks';
import { useServices } from '@/state/services';
import { useSession } from '@/state/session';
import type { CustomerHit, CustomerDoc } from '@/core/customers/customer-index';
import { members } from '@/core/customers/sets';
import { suggestFor, type Suggestion, type CandidateProduct } from '@/core/customers/suggestions';
import type { CustomerRow, HistoryRow, LocationRow, NoteRow, ProductRow, VariantRow } from '@/core/model';
import { stockKey, variantsOf } from '@/core/model';
import { findByBarcode } from '../catalog';
import type { VitrineDb } from '../schema';
import { getDevice } from '../device';
import { forgetCustomerIndex, holderOf, refreshCustomerIndex, type CustomerIndexSnapshot } from './customers-index';

const EMPTY: CustomerIndexSnapshot = { index: null, revision: 0 };

/** The live customer index (null until built, or when nobody is signed in); catches up on every change. */
export function useCustomerIndex(): CustomerIndexSnapshot {
  const { db } = useServices();
  const signedIn = useSession((s) => s.who !== null);
  const h = holderOf(db);
  const snapshot = useSyncExternalStore(
    (cb) => {
      h.listeners.add(cb);
      return () => h.listeners.delete(cb);
    },
    () => h.snapshot,
  );
  // Any write to customers (a pull, a dispatch, another tab) re-runs this, and with it the catch-up.
  const tick = useLiveQuery(async () => (signedIn ? [await db.customers.count(), (await db.cursors.get('customers'))?.version ?? 0, await db.outbox.count()] : null), [db, signedIn]);
  useEffect(() => {
    if (!signedIn) {
      if (h.snapshot.index) forgetCustomerIndex(db);
      return;
    }
    if (!tick) return;
    void refreshCustomerIndex(db).catch((e: unknown) => console.warn('[customer-index] refresh failed', e));
  }, [db, h, signedIn, tick]);
  return signedIn ? snapshot : EMPTY;
}

/** Customers matching what the associate typed [CL2]: on the customers page and in the cart. */
export function useCustomerSearch(query: string, limit = 20): { hits: CustomerHit[]; ready: boolean } {
  const { index, revision } = useCustomerIndex();
  const hits = useMemo(() => (index ? index.search(query, limit) : []), [index, revision, query, limit]); // eslint-disable-line react-hooks/exhaustive-deps
  return { hits, ready: index !== null };
}

/** Other customers with the same e-mail or phone as a profile being saved [CL3]. */
export function useProbableDuplicates(candidate: { id?: string; email: string; phone: string }): CustomerDoc[] {
  const { index, revision } = useCustomerIndex();
  const { id, email, phone } = candidate;
  return useMemo(() => (index ? index.duplicatesOf({ id, email, phone }) : []), [index, revision, id, email, phone]); // eslint-disable-line react-hooks/exhaustive-deps
}

export interface WishlistItem {
  sku: string;
  name: string;
  size: string;
  color: string;
  /** Available here (on hand − reserved), null when this store has no stock row for it. */
  here: number | null;
}

export interface CustomerProfile {
  customer: CustomerRow | undefined;
  history: HistoryRow | undefined;
  notes: NoteRow[];
  wishlist: WishlistItem[];
  loaded: boolean;
  /** The profile this one was merged into [CL4]. */
  redirectTo?: string;
  /** [CL6] The profile was erased at the customer's request. */
  erased?: boolean;
}

/** Everything the profile screen shows, live. Empty when nobody is signed in [CL6]. */
export function useCustomerProfile(id: string | undefined, storeId: string | undefined): CustomerProfile {
  const { db } = useServices();
  const signedIn = useSession((s) => s.who !== null);
  const data = useLiveQuery(async () => {
    if (!signedIn || !id) return null;
    const [customer, history] = await Promise.all([db.customers.get(id), db.history.get(id)]);
    // [CL4] Merged away: the screen moves to the survivor. Merged in: their notes show here too.
    if (!customer) {
      const r = await db.redirects.get(id);
      // [CL6] An erased profile's marker points at itself: nothing to move to.
      return { customer, history, notes: [], wishlist: [], redirectTo: r && !r.erased ? r.to : undefined, erased: r?.erased === true };
    }
    const notes = await db.notes.where('customerId').anyOf([id, ...(customer.mergedFrom ?? [])]).toArray();
    const skus = members(customer?.wishlist);
    const wishlist = storeId ? await wishlistItems(db, skus, storeId) : [];
    notes.sort((a, b) => (a.at < b.at ? 1 : -1));
    return { customer, history, notes, wishlist, redirectTo: undefined, erased: false };
  }, [db, id, signedIn, storeId]);
  return { customer: data?.customer, history: data?.history, notes: data?.notes ?? [], wishlist: data?.wishlist ?? [], loaded: data !== undefined, redirectTo: data?.redirectTo, erased: data?.erased === true };
}

async function wishlistItems(db: VitrineDb, skus: string[], storeId: string): Promise<WishlistItem[]> {
  const [variants, stock] = await Promise.all([variantsBySku(db, skus), db.stock.bulkGet(skus.map((s) => stockKey(storeId, s)))]);
  return skus.map((sku, i) => {
    const v = variants.get(sku);
    const s = stock[i];
    return { sku, name: v?.name ?? sku, size: v?.size ?? '', color: v?.color ?? '', here: s ? s.onHand - s.reserved : null };
  });
}

/** Candidate styles scanned for suggestions: enough to find a handful in stock without reading the whole catalog. */
const CANDIDATE_SCAN = 4000;

/** Suggestions for the associate [CL5]: wishlist items back in stock, and styles like past purchases in the customer's sizes, in stock here. */
export function useSuggestions(customer: CustomerRow | undefined, history: HistoryRow | undefined, storeId: string | undefined, limit = 6): Suggestion[] | undefined {
  const { db } = useServices();
  const signedIn = useSession((s) => s.who !== null);
  return useLiveQuery(async () => {
    if (!signedIn || !customer || !storeId) return [];
    const boughtSkus = [...new Set((history?.entries ?? []).flatMap((e) => (e.kind === 'return' ? [] : e.lines.map((l) => l.sku))))].slice(0, 60);
    const wished = members(customer.wishlist);
    const found = await variantsBySku(db, [...boughtSkus, ...wished]);
    const variants: VariantRow[] = [...found.values()].map(({ name: _name, product: _product, ...v }) => v);
    const ownProducts = [...new Map([...found.values()].map((v) => [v.product.id, v.product])).values()];
    const categories = new Set(ownProducts.map((p) => p.category.join('>')));
    const brands = new Set([...ownProducts.map((p) => p.brand), ...(customer.favoriteBrands ?? [])]);
    // Styles in the same categories or of the same brands, read in one pass that stops early.
    const picked: ProductRow[] = [];
    await db.products
      .filter((p) => categories.has(p.category.join('>')) || brands.has(p.brand))
      .until(() => picked.length >= CANDIDATE_SCAN)
      .each((p) => {
        picked.push(p);
      });
    const candidateVariants = picked.flatMap((p) => variantsOf(p));
    const allVariants = [...candidateVariants, ...variants];
    const stockRows = await db.stock.bulkGet(allVariants.map((v) => stockKey(storeId, v.sku)));
    const here = new Map(allVariants.map((v, i) => [v.sku as string, stockRows[i] ? stockRows[i].onHand - stockRows[i].reserved : 0]));
    const byProduct = new Map<string, VariantRow[]>();
    for (const v of allVariants) byProduct.set(v.productId, [...(byProduct.get(v.productId) ?? []).filter((x) => x.sku !== v.sku), v]);
    const products = new Map([...ownProducts, ...picked].map((p) => [p.id, p]));
    const candidates: CandidateProduct[] = [...products.values()].map((p) => ({ product: p, variants: byProduct.get(p.id) ?? [] }));
    const variantOf = new Map(variants.map((v) => [v.sku as string, v]));
    return suggestFor({ customer, bought: boughtSkus.flatMap((s) => (variantOf.get(s) ? [variantOf.get(s)!] : [])), products, candidates, availableHere: (sku) => here.get(sku) ?? 0, limit });
  }, [db, signedIn, storeId, customer, history, limit]);
}

/** This tablet's store (its country reads phones typed without a country code; its stock is "here"). */
export function useThisStore(): LocationRow | undefined {
  const { db } = useServices();
  return useLiveQuery(async () => {
    const d = await getDevice(db);
    return d ? db.locations.get(d.storeId) : undefined;
  }, [db]);
}

/** Store names by id, for the history's "where". */
export function useStoreNames(): ReadonlyMap<string, string> {
  const { db } = useServices();
  const rows = useLiveQuery(() => db.locations.toArray(), [db]);
  return useMemo(() => new Map((rows ?? []).map((l) => [l.id as string, l.name])), [rows]);
}

/** A SKU from what the associate typed or scanned: a barcode, or the SKU itself. */
export async function findSku(db: VitrineDb, code: string): Promise<{ sku: string; name: string } | undefined> {
  const c = code.trim();
  if (!c) return undefined;
  const v = await findByBarcode(db, c);
  if (!v) return undefined;
  const p = await db.products.get(v.productId);
  return { sku: v.sku, name: p?.name ?? v.sku };
}

/** [P1] The variants of these SKUs with their product documents, found through the `*skus` index in one request. */
async function variantsBySku(db: VitrineDb, skus: readonly string[]): Promise<Map<string, VariantRow & { name: string; product: ProductRow }>> {
  const out = new Map<string, VariantRow & { name: string; product: ProductRow }>();
  if (skus.length === 0) return out;
  const want = new Set(skus);
  const products = await db.products.where('skus').anyOf([...want]).toArray();
  for (const p of products) for (const v of p.variants) if (want.has(v.sku)) out.set(v.sku, { ...v, productId: p.id, name: p.name, product: p });
  return out;
}
