// The tablet's catalog search index: one per database, persisted in meta, caught up incrementally
// (only the products a pull changed) whenever the catalog cursor moves.
import { useEffect, useSyncExternalStore } from 'react';
import { useLiveQuery } from 'dexie-react-hooks';
import type { VitrineDb } from '@/db/schema';
import { CATALOG_INDEX_VERSION, CatalogIndex } from '@/core/catalog/search/catalog-index';
import { variantsOf } from '@/core/model';

/** Where the saved index lives in the meta table. */
export const INDEX_META_KEY = 'catalog-index';
/** Saving serialises the whole index (≈ 100–300 ms at 100k styles): wait for changes to settle. */
export const SAVE_DELAY_MS = 3000;

/** Products indexed between two yields to the event loop during a catch-up (≈ 50–100 ms of work). */
const CATCH_UP_SLICE = 250;

/** What is kept under INDEX_META_KEY: the index as JSON text (one string clones fastest) and its catalog version. */
export interface SavedIndexEntry {
  format: number;
  version: number;
  json: string;
}

export interface CatalogIndexStats {
  /** How the index was first made in this tab. */
  path?: 'loaded' | 'built';
  /** Time to have a searchable index (load or build, before any catch-up), ms. */
  openMs?: number;
  /** Last incremental catch-up: time and products touched. */
  lastCatchUp?: { ms: number; upserted: number; removed: number };
  /** Last time the saved copy was written, ms taken. */
  lastSaveMs?: number;
}

export interface IndexSnapshot {
  index: CatalogIndex | null;
  /** Bumped on every change of the index: results computed at an older revision are stale. */
  revision: number;
}

class IndexHolder {
  snapshot: IndexSnapshot = { index: null, revision: 0 };
  /** The catalog version the index reflects (-1: none yet). */
  version = -1;
  savedVersion = -1;
  readonly stats: CatalogIndexStats = {};
  readonly listeners = new Set<() => void>();
  /** The refresh in progress; refreshes run one at a time. */
  running: Promise<CatalogIndex> | null = null;
  again = false;
  saveTimer: ReturnType<typeof setTimeout> | null = null;

  constructor(readonly db: VitrineDb) {}

  publish(index: CatalogIndex, version: number): void {
    this.version = version;
    this.snapshot = { index, revision: this.snapshot.revision + 1 };
    for (const l of this.listeners) l();
  }
}

const holders = new WeakMap<VitrineDb, IndexHolder>();

function holderOf(db: VitrineDb): IndexHolder {
  let h = holders.get(db);
  if (!h) holders.set(db, (h = new IndexHolder(db)));
  return h;
}

const cursorVersion = async (db: VitrineDb) => (await db.cursors.get('catalog'))?.version ?? 0;

function measure(name: string, start: number): number {
  const ms = performance.now() - start;
  try {
    performance.measure(`catalog-index:${name}`, { start, duration: ms });
  } catch {
    /* no User Timing here: the figure is still returned */
  }
  return ms;
}

/** Builds the index from every product document, reading rows and cursor in one snapshot. */
async function build(db: VitrineDb): Promise<{ index: CatalogIndex; version: number }> {
  const { version, products } = await db.transaction('r', [db.products, db.cursors], async () => ({
    version: await cursorVersion(db),
    products: await db.products.toArray(),
  }));
  return { index: CatalogIndex.fromProducts(products), version };
}

/** The saved index, if there is one of this CATALOG_INDEX_VERSION. */
async function load(db: VitrineDb): Promise<{ index: CatalogIndex; version: number } | null> {
  const saved = (await db.meta.get(INDEX_META_KEY))?.value as Partial<SavedIndexEntry> | undefined;
  if (!saved || saved.format !== CATALOG_INDEX_VERSION || typeof saved.json !== 'string' || typeof saved.version !== 'number') return null;
  try {
    const index = await CatalogIndex.fromJSONAsync(saved.json);
    return index ? { index, version: saved.version } : null;
  } catch (e) {
    console.warn('[catalog-index] saved index unreadable, rebuilding', e);
    return null;
  }
}

/**
 * Applies to `index` what changed in the catalog since version `from`: products whose document has
 * a server version above it are upserted (a document carries its variants, so one row says it all),
 * and products deleted locally are removed. Returns the version the index now reflects. During a
 * first sync this runs after every page, so the index grows page by page while the rest lands.
 */
export async function catchUp(db: VitrineDb, index: CatalogIndex, from: number): Promise<{ version: number; upserted: number; removed: number }> {
  // One read snapshot: the cursor and the rows it covers must agree, or a page applied in between
  // would be skipped forever (its rows' _v at or below the version we record).
  const snap = await db.transaction('r', [db.products, db.cursors], async () => {
    const version = await cursorVersion(db);
    const changed = await db.products.where('_v').above(from).toArray();
    return { version, changed, count: await db.products.count() };
  });
  // In slices, yielding between them: a bootstrap page brings thousands of products, and indexing
  // them in one go would freeze the screen the associate is already searching on.
  for (let i = 0; i < snap.changed.length; i += CATCH_UP_SLICE) {
    if (i > 0) await new Promise((ok) => setTimeout(ok, 0));
    index.upsertMany(snap.changed.slice(i, i + CATCH_UP_SLICE).map((product) => ({ product, variants: variantsOf(product) })));
  }
  const upserted = snap.changed.length;
  let removed = 0;
  // A deleted row leaves no _v behind. Every product still in the table is indexed, so a size
  // above the table's count means some indexed products were deleted: find them by key.
  if (index.size !== snap.count) {
    const keys = new Set(await db.products.toCollection().primaryKeys());
    for (const id of [...index.ids()]) {
      if (!keys.has(id) && index.remove(id)) removed += 1;
    }
  }
  return { version: snap.version, upserted, removed };
}

/** One refresh: open (load, else build) when there is no index, rebuild when the cursor went back, else catch up. */
async function refreshOnce(h: IndexHolder): Promise<CatalogIndex> {
  const { db } = h;
  let index = h.snapshot.index;
  if (!index) {
    const t0 = performance.now();
    const loaded = await load(db);
    const opened = loaded ?? (await build(db));
    h.stats.path = loaded ? 'loaded' : 'built';
    h.stats.openMs = measure(loaded ? 'load' : 'build', t0);
    console.info(`[catalog-index] ${h.stats.path} ${opened.index.size} products in ${h.stats.openMs.toFixed(0)} ms`);
    h.publish(opened.index, opened.version);
    if (loaded) h.savedVersion = loaded.version;
    else scheduleSave(h);
    index = opened.index;
  }
  const cursor = await cursorVersion(db);
  if (cursor === h.version) return index;
  if (cursor < h.version) {
    // The stream was reset (checksum mismatch): rebuild beside the old index, which keeps serving.
    const t0 = performance.now();
    const rebuilt = await build(db);
    console.info(`[catalog-index] rebuilt after a catalog reset in ${measure('build', t0).toFixed(0)} ms`);
    h.publish(rebuilt.index, rebuilt.version);
    scheduleSave(h);
    return rebuilt.index;
  }
  const t0 = performance.now();
  const r = await catchUp(db, index, h.version);
  h.stats.lastCatchUp = { ms: measure('catch-up', t0), upserted: r.upserted, removed: r.removed };
  if (r.upserted + r.removed > 0) {
    console.info(`[catalog-index] caught up ${r.upserted} upserted, ${r.removed} removed in ${h.stats.lastCatchUp.ms.toFixed(1)} ms`);
  }
  h.publish(index, r.version);
  if (r.upserted + r.removed > 0 || h.savedVersion < 0) scheduleSave(h);
  return index;
}

/** Last key or touch on this tab: saving blocks the main thread, so it waits for a quiet moment. */
let lastInputAt = 0;
let watchingInput = false;
function watchInput(): void {
  if (watchingInput || typeof window === 'undefined') return;
  watchingInput = true;
  const seen = () => {
    lastInputAt = performance.now();
  };
  window.addEventListener('keydown', seen, { capture: true, passive: true });
  window.addEventListener('pointerdown', seen, { capture: true, passive: true });
}

function scheduleSave(h: IndexHolder, delay = SAVE_DELAY_MS): void {
  watchInput();
  if (h.saveTimer) clearTimeout(h.saveTimer);
  h.saveTimer = setTimeout(() => {
    h.saveTimer = null;
    // Serialising a large index takes long enough to split a scanner's burst of keys: never mid-typing.
    const quietFor = performance.now() - lastInputAt;
    if (quietFor < SAVE_DELAY_MS) return scheduleSave(h, SAVE_DELAY_MS - quietFor);
    void saveCatalogIndex(h.db);
  }, delay);
}

/** Writes the index and its version to meta now (the debounced save calls this). */
export async function saveCatalogIndex(db: VitrineDb): Promise<void> {
  const h = holderOf(db);
  if (h.saveTimer) {
    clearTimeout(h.saveTimer);
    h.saveTimer = null;
  }
  const index = h.snapshot.index;
  if (!index || h.savedVersion === h.version) return;
  const t0 = performance.now();
  const entry: SavedIndexEntry = { format: CATALOG_INDEX_VERSION, version: h.version, json: JSON.stringify(index) };
  try {
    await db.meta.put({ key: INDEX_META_KEY, value: entry });
    h.savedVersion = entry.version;
    h.stats.lastSaveMs = measure('save', t0);
  } catch (e) {
    // Quota or a closed database: the index still works, the next cold start rebuilds.
    console.warn('[catalog-index] could not save the index', e);
  }
}

/**
 * Brings the index up to the catalog cursor and resolves with it. Calls made while one runs are
 * folded into one more run after it.
 */
export function refreshCatalogIndex(db: VitrineDb): Promise<CatalogIndex> {
  const h = holderOf(db);
  if (h.running) {
    h.again = true;
    return h.running;
  }
  const run = (async () => {
    let index: CatalogIndex;
    do {
      h.again = false;
      index = await refreshOnce(h);
    } while (h.again);
    return index;
  })().finally(() => {
    h.running = null;
  });
  h.running = run;
  return run;
}

/**
 * The index to search now: the current one when there is one (a catch-up or rebuild is started
 * in the background and swapped in when ready), else the first load or build.
 */
export async function catalogIndex(db: VitrineDb): Promise<CatalogIndex> {
  const h = holderOf(db);
  const current = h.snapshot.index;
  void refreshCatalogIndex(db).catch((e: unknown) => console.error('[catalog-index] refresh failed', e));
  return current ?? refreshCatalogIndex(db);
}

export const catalogIndexStats = (db: VitrineDb): Readonly<CatalogIndexStats> => holderOf(db).stats;

/** The current index (null until the first load or build) and its revision, live; catches up when the cursor moves. */
export function useCatalogIndex(db: VitrineDb): IndexSnapshot {
  const h = holderOf(db);
  const snapshot = useSyncExternalStore(
    (cb) => {
      h.listeners.add(cb);
      return () => h.listeners.delete(cb);
    },
    () => h.snapshot,
  );
  const cursor = useLiveQuery(() => cursorVersion(db), [db]);
  useEffect(() => {
    if (cursor === undefined) return;
    void refreshCatalogIndex(db).catch((e: unknown) => console.error('[catalog-index] refresh failed', e));
  }, [db, cursor]);
  return snapshot;
}
