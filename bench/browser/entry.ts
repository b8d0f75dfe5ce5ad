// The in-page half of the Chromium benchmarks (bundled by bench/browser/harness.ts with Vite):
// bootstrap through SyncEngine vs a raw Dexie bulkPut, dispatch() vs a one-row put, barcode lookup.
import { VitrineDb } from '@/db/schema';
import { saveEnrollment } from '@/db/device';
import { dispatch } from '@/db/dispatch';
import { saleComplete, type SaleCompletePayload } from '@/core/sales/sale-complete';
import { findByBarcode } from '@/db/catalog';
import { productIndexKeys, rebase, tablesOfStream } from '@/db/sync-store';
import type { ProductRow } from '@/core/model';
import { SyncEngine } from '@/sync/engine';
import { DeviceSigner, ensureDeviceKey, storeDeviceKey, type DeviceKey } from '@/sync/signing';
import type { EnrollResponse, PullResponse } from '@/core/sync/protocol';
import { refreshCatalogIndex, saveCatalogIndex } from '@/features/catalog/catalog-index';
import { foldText, queryWords } from '@/core/catalog/search/normalize';
import { completeSale } from '@/features/checkout/complete-sale';
import { saveCart } from '@/db/cart-store';
import { EMPTY_CART, type CartData } from '@/state/cart';
import type { Minor } from '@/core/shared/brand';
import { priceCart } from '@/core/pricing/price-cart';
import { loadOpenShift } from '@/db/hooks/use-shift';
import { shiftOpen } from '@/core/register/shift-open';

const SYNC_DB = 'bench-sync';
const KEY_DB = 'bench-key';

/** The bench tablet's device key [T1], made in the page as on a tablet; every request is signed with it. */
let deviceKey: DeviceKey | undefined;

async function enroll(): Promise<EnrollResponse> {
  const keys = await fresh(KEY_DB);
  deviceKey = await ensureDeviceKey(keys);
  keys.close();
  const res = await fetch('/api/v1/devices/enroll', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code: 'DEMO-S01', name: 'Bench tablet', publicKey: deviceKey.publicKey }) });
  if (!res.ok) throw new Error(`enroll failed: ${res.status} ${await res.text()}`);
  return (await res.json()) as EnrollResponse;
}

function key(): DeviceKey {
  if (!deviceKey) throw new Error('call bench.enroll() first');
  return deviceKey;
}
const RAW_DB = 'bench-raw';

async function fresh(name: string): Promise<VitrineDb> {
  const db = new VitrineDb(name);
  await db.delete();
  const again = new VitrineDb(name);
  await again.open();
  return again;
}

async function counts(db: VitrineDb): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const t of db.tables) out[t.name] = await t.count();
  return out;
}

const pct = (v: number[], p: number) => {
  const s = [...v].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(p * s.length) - 1))] ?? NaN;
};

export interface BootstrapResult {
  totalMs: number;
  /** IndexedDB usage of the origin after the bootstrap (navigator.storage.estimate), bytes. */
  usageBytes: number;
  /** JS heap in use after the bootstrap (after a GC when the page can ask for one), bytes. */
  heapBytes: number;
  /** Live mode (searching while it lands): ms from the start to the first search with hits and the first barcode found. */
  firstSearchMs?: number;
  firstScanMs?: number;
  /** Products searchable at that first answer, and the catalog rows received by then. */
  firstSearchProducts?: number;
  /** Live mode: index size and heap once everything landed and the index caught up. */
  indexedProducts?: number;
  /** Time spent inside HTTP requests (server + transfer, body read); overlaps the writes (pipelined pages). */
  httpMs: number;
  requests: number;
  counts: Record<string, number>;
  error: string | null;
}

const heap = () => {
  (globalThis as { gc?: () => void }).gc?.();
  return (performance as unknown as { memory?: { usedJSHeapSize: number } }).memory?.usedJSHeapSize ?? NaN;
};

/**
 * While a first sync runs, does what the products screen does on each page (catch the search index
 * up with the catalog cursor) and tries a search and a scan of a barcode from the part already
 * there, until both answer. Resolves with when they first did (ms since `t0`).
 */
function searchWhileLanding(db: VitrineDb, t0: number, done: () => boolean): Promise<{ searchMs?: number; scanMs?: number; products?: number }> {
  return new Promise((resolve) => {
    const out: { searchMs?: number; scanMs?: number; products?: number } = {};
    const tick = async () => {
      try {
        const index = await refreshCatalogIndex(db);
        const hits = index.search('a', { limit: 20 });
        if (out.searchMs === undefined && hits.length > 0) {
          out.searchMs = performance.now() - t0;
          out.products = index.size;
        }
        const first = hits[0] && (await db.products.get(hits[0].id));
        if (out.scanMs === undefined && first && (await findByBarcode(db, first.variants[0]!.barcode))) out.scanMs = performance.now() - t0;
      } catch {
        /* the database is still opening: try again */
      }
      if ((out.searchMs !== undefined && out.scanMs !== undefined) || done()) resolve(out);
      else setTimeout(() => void tick(), 100);
    };
    void tick();
  });
}

async function bootstrap(enrollment: EnrollResponse, pullLimit: number, live = false): Promise<BootstrapResult> {
  const db = await fresh(SYNC_DB);
  await saveEnrollment(db, enrollment, Date.now());
  await storeDeviceKey(db, key());
  let requests = 0;
  let httpMs = 0;
  const engine = new SyncEngine(db, {
    pullLimit,
    fetch: async (input, init) => {
      requests += 1;
      // Time each request until its body is read (server + transfer), then hand the body back.
      const t = performance.now();
      const res = await fetch(input, init);
      const body = await res.text();
      httpMs += performance.now() - t;
      return new Response(body, { status: res.status, statusText: res.statusText, headers: res.headers });
    },
  });
  const t0 = performance.now();
  let finished = false;
  const landing = live ? searchWhileLanding(db, t0, () => finished) : undefined;
  await engine.syncNow();
  const totalMs = performance.now() - t0;
  finished = true;
  engine.stop();
  const first = await landing;
  const indexed = live ? (await refreshCatalogIndex(db)).size : undefined;
  // Write the index now rather than on its debounce timer, which would fire in the middle of the
  // next benchmark run in this page (a main-thread pause of a few hundred ms).
  if (live) await saveCatalogIndex(db);
  const c = await counts(db);
  const usageBytes = (await navigator.storage.estimate()).usage ?? NaN;
  const heapBytes = heap();
  db.close();
  return {
    totalMs,
    httpMs,
    requests,
    counts: c,
    usageBytes,
    heapBytes,
    firstSearchMs: first?.searchMs,
    firstScanMs: first?.scanMs,
    firstSearchProducts: first?.products,
    indexedProducts: indexed,
    error: engine.status.getState().lastError,
  };
}

/** Baseline: the same rows fetched first (untimed), then one Dexie bulkPut per table into a fresh db. */
async function rawBulkPut(enrollment: EnrollResponse, pullLimit: number): Promise<{ ms: number; rows: number }> {
  const byTable = new Map<string, unknown[]>();
  const signer = new DeviceSigner(key().privateKey, enrollment.deviceId);
  for (const stream of enrollment.streams) {
    let after = 0;
    for (;;) {
      const path = `/api/v1/sync/pull?stream=${encodeURIComponent(stream)}&after=${after}&limit=${pullLimit}`;
      const res = await fetch(path, { headers: { authorization: `Bearer ${enrollment.deviceToken}`, ...(await signer.sign('GET', path)) } });
      const page = (await res.json()) as PullResponse;
      for (const c of page.changes) {
        if ('deleted' in c) continue;
        const list = byTable.get(c.table) ?? [];
        // The same rows the engine writes: products with their derived index keys.
        list.push({ ...(c.row as object), _v: c.version, ...(c.table === 'products' ? productIndexKeys(c.row as ProductRow) : undefined) });
        byTable.set(c.table, list);
      }
      after = page.version;
      if (!page.more) break;
    }
    void tablesOfStream(stream);
  }
  const db = await fresh(RAW_DB);
  let rows = 0;
  const t0 = performance.now();
  for (const [t, list] of byTable) {
    await db.table(t).bulkPut(list);
    rows += list.length;
  }
  const ms = performance.now() - t0;
  db.close();
  await db.delete();
  return { ms, rows };
}

interface Sellable {
  sku: string;
  productId: string;
  unitPrice: number;
}

/** Up to 200 SKUs the store has, with their price: what the benchmark sells. */
async function sellables(db: VitrineDb, storeId: string, currency: SaleCompletePayload['currency']): Promise<Sellable[]> {
  const stock = await db.stock.where('sku').above('').limit(2000).toArray();
  const sellable: Sellable[] = [];
  for (const s of stock) {
    if (s.locationId !== storeId) continue;
    const v = await findByBarcode(db, s.sku);
    const price = v?.prices[currency];
    if (v && price) sellable.push({ sku: s.sku, productId: v.productId, unitPrice: price });
    if (sellable.length >= 200) break;
  }
  if (sellable.length === 0) throw new Error('no sellable SKU at the store');
  return sellable;
}

/** Dispatches the i-th 2-line cash sale as the cart does; returns its time (ms). */
async function sellOne(db: VitrineDb, storeId: string, sellable: Sellable[], i: number, currency: SaleCompletePayload['currency']): Promise<number> {
  const a = sellable[i % sellable.length]!;
  const b = sellable[(i * 7 + 3) % sellable.length]!;
  const lines = [
    { sku: a.sku, qty: 1, unitPrice: a.unitPrice },
    { sku: b.sku, qty: 1, unitPrice: b.unitPrice },
  ];
  const total = a.unitPrice + b.unitPrice;
  const t0 = performance.now();
  await dispatch(db, 'A-S01-CARLOS', saleComplete, (al) => ({
    saleId: al.newId(),
    storeId,
    receiptNo: al.receiptNo(),
    currency,
    lines,
    tenders: [{ kind: 'cash', amount: total * 2 }],
  }), undefined, { alsoReads: [{ table: 'products', keys: [a.productId, b.productId] }] }); // as the cart does
  return performance.now() - t0;
}

async function dispatchBench(n: number, currency: SaleCompletePayload['currency'] = 'EUR'): Promise<{ dispatch: number[]; relaxed: number[]; put: number[]; strictPut: number[]; error: string | null }> {
  const db = new VitrineDb(SYNC_DB);
  await db.open();
  const device = (await db.meta.get('device'))?.value as { storeId: string } | undefined;
  if (!device) throw new Error('no device: run the bootstrap first');
  const sellable = await sellables(db, device.storeId, currency);
  const times: number[] = [];
  const relaxed: number[] = [];
  let error: string | null = null;
  // Same-run baseline [D9]: every other sale is committed relaxed (the command's durability flag
  // lifted for it alone), so disk hiccups and compactions fall on both alike.
  const def = saleComplete as { durability?: 'strict' | 'relaxed' };
  for (let i = 0; i < 2 * (n + 10); i++) {
    const strict = i % 2 === 0;
    def.durability = strict ? 'strict' : 'relaxed';
    try {
      const ms = await sellOne(db, device.storeId, sellable, i, currency);
      if (i >= 20) (strict ? times : relaxed).push(ms);
    } catch (e) {
      error = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
      break;
    } finally {
      def.durability = 'strict';
    }
  }
  // Baselines: a one-row put, relaxed (as every non-money write) and strict (as a sale's commit).
  const puts: number[] = [];
  const strictPut: number[] = [];
  const strictDb = new VitrineDb(SYNC_DB, { chromeTransactionDurability: 'strict' });
  await strictDb.open();
  for (let i = 0; i < n + 10; i++) {
    let t0 = performance.now();
    await db.transaction('rw', db.meta, () => db.meta.put({ key: `bench-${i}`, value: { i, at: Date.now() } }));
    if (i >= 10) puts.push(performance.now() - t0);
    t0 = performance.now();
    await strictDb.transaction('rw', strictDb.meta, () => strictDb.meta.put({ key: `bench-s-${i}`, value: { i, at: Date.now() } }));
    if (i >= 10) strictPut.push(performance.now() - t0);
  }
  strictDb.close();
  db.close();
  return { dispatch: times, relaxed, put: puts, strictPut, error };
}

/**
 * [SE3] Dispatch while the sync loop pulls: the catalog cursor is moved back `rewind` versions, so
 * the engine catches up through pull pages of `pullLimit` rows (each page one transaction) while
 * sales are dispatched back to back, as a cashier would during a big price change. Returns the
 * dispatch times taken while the pull ran, and how many pages it wrote.
 */
/** How the engine writes pulled pages in one mode of dispatchDuringPulls. */
export interface PullMode {
  /** The engine's applyBudgetMs (-1: Infinity, which JSON cannot carry), applyChunkMs and applyEveryStep; unset: the engine's defaults. */
  stepMs?: number;
  chunkMs?: number;
  everyStep?: boolean;
  pullLimit: number;
}

export interface DuringPull {
  dispatch: number[];
  pulls: number;
  syncMs: number[];
  /** The pacer's counts over the timed catch-ups (ApplyPacer.stats). */
  stats: { transactions: number; yielded: number; steps: number; rows: number; stepMs: number; yieldCommitMs: number };
  /** Catch-ups with no sale meanwhile (ms). */
  quietMs: number[];
}

/**
 * [SE3][P3] Sales dispatched back to back while the engine catches up with the catalog, for each of
 * `modes` (one engine each): the catch-ups take turns, mode after mode, at most n / 6 sales each,
 * until every mode has `n` sales, so disk and host moments fall on all alike. Before each catch-up an untimed sync sends
 * what the previous one's sales left in the outbox; with `gapMs`, sales are that far apart (on
 * average) instead of back to back. Then `quiet` catch-ups each with nobody selling.
 */
async function dispatchDuringPulls(n: number, rewind: number, modes: PullMode[], quiet: number, gapMs = 0, currency: SaleCompletePayload['currency'] = 'EUR'): Promise<{ modes: DuringPull[]; error: string | null }> {
  const db = new VitrineDb(SYNC_DB);
  await db.open();
  const device = (await db.meta.get('device'))?.value as { storeId: string } | undefined;
  if (!device) throw new Error('no device: run the bootstrap first');
  const sellable = await sellables(db, device.storeId, currency);
  let error: string | null = null;
  const runs = modes.map((m) => {
    const out: DuringPull = { dispatch: [], pulls: 0, syncMs: [], stats: { transactions: 0, yielded: 0, steps: 0, rows: 0, stepMs: 0, yieldCommitMs: 0 }, quietMs: [] };
    const engine = new SyncEngine(db, {
      pullLimit: m.pullLimit,
      ...(m.stepMs !== undefined ? { applyBudgetMs: m.stepMs === -1 ? Infinity : m.stepMs } : {}),
      ...(m.chunkMs !== undefined ? { applyChunkMs: m.chunkMs } : {}),
      ...(m.everyStep !== undefined ? { applyEveryStep: m.everyStep } : {}),
      checksumEveryMs: 3_600_000,
      fetch: (input, init) => {
        if (String(input).includes('/sync/pull')) out.pulls += 1;
        return fetch(input, init);
      },
    });
    return { out, engine };
  });
  let i = 0;
  for (let round = 0; round < n * 20 && !error && runs.some((r) => r.out.dispatch.length < n); round++) {
    const { out, engine } = runs[round % runs.length]!;
    if (out.dispatch.length >= n) continue;
    await engine.syncNow(); // untimed: sends what earlier rounds left in the outbox
    const cursor = (await db.cursors.get('catalog'))?.version ?? 0;
    await db.cursors.update('catalog', { version: Math.max(1, cursor - rewind) });
    const before = { ...engine.applyStats };
    let done = false;
    const t0 = performance.now();
    const sync = engine.syncNow().finally(() => {
      done = true;
      out.syncMs.push(performance.now() - t0);
    });
    // Let the first page arrive: only dispatches made while pages are being written count.
    await new Promise((ok) => setTimeout(ok, 50));
    // At most a sixth of the sales in one catch-up: a writer that yields stretches its catch-up over
    // all of them otherwise, and the ways would no longer share the host's moments.
    const cap = out.dispatch.length + Math.ceil(n / 6);
    while (!done && out.dispatch.length < Math.min(n, cap)) {
      try {
        out.dispatch.push(await sellOne(db, device.storeId, sellable, i++, currency));
        // Sales spaced as at a till (0.5–1.5 × gapMs apart) arrive while the writer has been busy a while.
        if (gapMs > 0) await new Promise((ok) => setTimeout(ok, gapMs * (0.5 + Math.random())));
      } catch (e) {
        error = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
        break;
      }
    }
    await sync;
    const after = engine.applyStats;
    for (const k of Object.keys(out.stats) as (keyof DuringPull['stats'])[]) out.stats[k] += after[k] - before[k];
    error ??= engine.status.getState().lastError;
  }
  // The same catch-ups with nobody selling, taking turns too: what each way of writing costs the pull alone.
  for (let round = 0; round < quiet * runs.length && !error; round++) {
    const { out, engine } = runs[round % runs.length]!;
    await engine.syncNow();
    const cursor = (await db.cursors.get('catalog'))?.version ?? 0;
    await db.cursors.update('catalog', { version: Math.max(1, cursor - rewind) });
    const t0 = performance.now();
    await engine.syncNow();
    out.quietMs.push(performance.now() - t0);
    error ??= engine.status.getState().lastError;
  }
  for (const r of runs) r.engine.stop();
  db.close();
  return { modes: runs.map((r) => r.out), error };
}

/**
 * [P5] What a rebase costs a sale: `pending` sales are left unsent, then a rebase replays them
 * while one more sale is dispatched right behind it (its transaction queued after the rebase's).
 * `reps` times; the pending sales go out with the next sync.
 */
async function rebaseBench(pending: number, reps: number, currency: SaleCompletePayload['currency'] = 'EUR'): Promise<{ rebase: number[]; behind: number[]; error: string | null }> {
  const db = new VitrineDb(SYNC_DB);
  await db.open();
  const device = (await db.meta.get('device'))?.value as { storeId: string } | undefined;
  if (!device) throw new Error('no device: run the bootstrap first');
  const sellable = await sellables(db, device.storeId, currency);
  const engine = new SyncEngine(db, { checksumEveryMs: 3_600_000 });
  const times: number[] = [];
  const behind: number[] = [];
  let error: string | null = null;
  let i = 0;
  try {
    for (let r = 0; r < reps; r++) {
      await engine.syncNow(); // the outbox empty, as after a push
      for (let k = 0; k < pending; k++) await sellOne(db, device.storeId, sellable, i++, currency);
      const t0 = performance.now();
      const replay = rebase(db).then(() => times.push(performance.now() - t0));
      behind.push(await sellOne(db, device.storeId, sellable, i++, currency));
      await replay;
    }
    await engine.syncNow();
  } catch (e) {
    error = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
  }
  engine.stop();
  db.close();
  return { rebase: times, behind, error };
}

async function barcodeBench(n: number): Promise<{ barcode: number[]; primary: number[]; found: number }> {
  const db = new VitrineDb(SYNC_DB);
  await db.open();
  // Spread the picks over the whole key range (offset() would walk the index each time).
  const keys = (await db.products.toCollection().primaryKeys()) as string[];
  const chosen = Array.from({ length: n }, (_, i) => keys[Math.floor((i * 7919) % keys.length)]!);
  const picks = (await db.products.bulkGet(chosen)).flatMap((p, i) => {
    const v = p?.variants[i % p.variants.length];
    return p && v ? [{ id: p.id, sku: v.sku, barcode: v.barcode }] : [];
  });
  const barcode: number[] = [];
  const primary: number[] = [];
  let found = 0;
  for (const p of picks) {
    // What a scan does: the multiEntry barcode index, then the variant inside the document.
    let t0 = performance.now();
    const v = await findByBarcode(db, p.barcode);
    barcode.push(performance.now() - t0);
    if (v?.sku === p.sku) found += 1;
    t0 = performance.now();
    await db.products.get(p.id);
    primary.push(performance.now() - t0);
  }
  db.close();
  return { barcode, primary, found };
}

/**
 * Cold start to first search: called right after a page load, with the catalog already in IndexedDB.
 * Returns ms since navigation start (performance.now()) when the first search answered.
 */
async function coldSearch(query: string, save: boolean): Promise<{ at: number; hits: number; saved: boolean }> {
  const db = new VitrineDb(SYNC_DB);
  await db.open();
  const hadSaved = !!(await db.meta.get('catalog-index'));
  const index = await refreshCatalogIndex(db);
  const hits = index.search(query, { limit: 50 }).length;
  const at = performance.now();
  if (save) await saveCatalogIndex(db);
  db.close();
  return { at, hits, saved: hadSaved };
}

/** Text search in the page vs a Dexie filter() scan over product names (the baseline). */
async function searchBench(queries: string[], rounds: number): Promise<{ search: number[]; scan: number[]; empty: number }> {
  const db = new VitrineDb(SYNC_DB);
  await db.open();
  const index = await refreshCatalogIndex(db);
  for (const q of queries) index.search(q, { limit: 50 });
  const search: number[] = [];
  const scan: number[] = [];
  let empty = 0;
  for (let r = 0; r < rounds; r++) {
    for (const q of queries) {
      let t0 = performance.now();
      const hits = index.search(q, { limit: 50 }).length;
      search.push(performance.now() - t0);
      if (r === 0 && hits === 0) empty += 1;
      if (r === 0) {
        const words = queryWords(q);
        t0 = performance.now();
        await db.products.filter((p) => words.every((w) => foldText(p.name).includes(w))).limit(50).toArray();
        scan.push(performance.now() - t0);
      }
    }
  }
  db.close();
  return { search, scan, empty };
}

/** After the server changed products: pull them, catch the index up, and find them by their new name. */
async function incrementalPull(enrollment: EnrollResponse, word: string, expected: number): Promise<{ pullMs: number; indexMs: number; found: number; bytes: number }> {
  const db = new VitrineDb(SYNC_DB);
  await db.open();
  await refreshCatalogIndex(db);
  let bytes = 0;
  const engine = new SyncEngine(db, {
    checksumEveryMs: 3_600_000,
    fetch: async (input, init) => {
      const res = await fetch(input, init);
      const body = await res.text();
      if (String(input).includes('/sync/pull')) bytes += body.length;
      return new Response(body, { status: res.status, statusText: res.statusText, headers: res.headers });
    },
  });
  void enrollment;
  let t0 = performance.now();
  await engine.syncNow();
  const pullMs = performance.now() - t0;
  engine.stop();
  t0 = performance.now();
  const index = await refreshCatalogIndex(db);
  const found = index.search(word, { limit: expected + 50 }).length;
  const indexMs = performance.now() - t0;
  db.close();
  return { pullMs, indexMs, found, bytes };
}

/**
 * The till's checkout commit as the cart page runs it [SE3]: the already-committed check and the sale
 * (stock, points, shift totals, receipt number, outbox) in one transaction — what the cashier waits
 * for. The cart's own write of the receipt on screen follows untimed, as in the app (write-through).
 * Interleaved one by one: with strict durability (an fsync per commit), the same with the browser's
 * default, and a strict one-row put as the baseline.
 */
async function checkoutBench(n: number, shiftId: string): Promise<{ strict: number[]; relaxed: number[]; put: number[]; error: string | null }> {
  const strictDb = new VitrineDb(SYNC_DB, { chromeTransactionDurability: 'strict' });
  await strictDb.open();
  // A sale is committed strictly whatever the connection [D9]: the relaxed rows flip the command's
  // own flag for their turns, as the dispatch bench does.
  const def = saleComplete as { durability?: 'strict' | 'relaxed' };
  const device = (await strictDb.meta.get('device'))?.value as { storeId: string };
  const store = (await strictDb.locations.get(device.storeId))!;
  const stock = await strictDb.stock.where('sku').above('').limit(2000).toArray();
  const lines: CartData['lines'] = [];
  for (const s of stock) {
    if (s.locationId !== device.storeId) continue;
    const v = await findByBarcode(strictDb, s.sku);
    const p = v ? await strictDb.products.get(v.productId) : undefined;
    const price = v?.prices[store.currency];
    if (v && p && price) lines.push({ sku: v.sku, productId: v.productId, name: p.name, size: v.size, color: v.color, qty: 1, unitPrice: price });
    if (lines.length >= 200) break;
  }
  const out = { strict: [] as number[], relaxed: [] as number[], put: [] as number[], error: null as string | null };
  for (let i = 0; i < 3 * (n + 10); i++) {
    const which = i % 3;
    const k = Math.floor(i / 3);
    const a = lines[k % lines.length]!;
    const b = lines[(k * 7 + 3) % lines.length]!;
    const cartLines = [{ ...a, discount: { kind: 'percent' as const, value: 1000, reason: 'promotion' } }, b];
    const total = priceCart({ taxMode: store.taxMode, lines: cartLines.map((l) => ({ qty: l.qty, unitPrice: l.unitPrice, taxRate: 0, ...(l.discount ? { discount: l.discount } : {}) })) }).total;
    const card = Math.floor(total / 2) as Minor;
    const cart: CartData = { ...EMPTY_CART, lines: cartLines, stage: 'pay', saleId: crypto.randomUUID(), tenders: [{ id: 'c', kind: 'card', amount: card, ref: `SIM-${i}` }, { id: 'k', kind: 'cash', amount: (total - card + 500) as Minor }] };
    const db = strictDb;
    def.durability = which === 1 ? 'relaxed' : 'strict';
    const t0 = performance.now();
    try {
      if (which === 2) await strictDb.transaction('rw', strictDb.meta, () => strictDb.meta.put({ key: 'bench-put', value: { i } }));
      else {
        const receipt = await completeSale(db, 'A-S01-CARLOS', store, cart, shiftId);
        if (k >= 10) [out.strict, out.relaxed, out.put][which]!.push(performance.now() - t0);
        await saveCart(db, { ...EMPTY_CART, stage: 'done', receipt });
        continue;
      }
    } catch (e) {
      out.error = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
      break;
    }
    if (k >= 10) out.put.push(performance.now() - t0);
  }
  def.durability = 'strict';
  strictDb.close();
  return out;
}

/** Opens a register shift on the bench tablet (or finds the one still open): checkout sales carry its id [SH1]. */
async function openBenchShift(): Promise<string> {
  const db = new VitrineDb(SYNC_DB);
  await db.open();
  const device = (await db.meta.get('device'))?.value as { storeId: string; deviceId: string };
  const open = await loadOpenShift(db, device.deviceId);
  if (open) {
    db.close();
    return open.id;
  }
  const r = await dispatch(db, 'A-S01-CARLOS', shiftOpen, (al) => ({ shiftId: al.newId(), storeId: device.storeId, float: 10000 }));
  db.close();
  return r.command.payload.shiftId;
}

/**
 * [C2][P5] n cash sales dispatched while offline (no sync), then the time until the outbox drains
 * to the real server over HTTP (the engine's pushes), and until the whole sync cycle ends.
 */
async function drainBench(n: number, shiftId: string, pushBatch?: number): Promise<{ dispatchMs: number; drainMs: number; cycleMs: number; pushes: number; left: number; firstPushMs: number; inFlightMs: number; lastAnswerMs: number; error: string | null }> {
  const db = new VitrineDb(SYNC_DB);
  await db.open();
  const device = (await db.meta.get('device'))?.value as { storeId: string };
  const store = (await db.locations.get(device.storeId))!;
  const stock = await db.stock.where('sku').above('').limit(500).toArray();
  const lines: { sku: string; unitPrice: number }[] = [];
  for (const s of stock) {
    if (s.locationId !== device.storeId) continue;
    const v = await findByBarcode(db, s.sku);
    const price = v?.prices[store.currency];
    if (v && price) lines.push({ sku: v.sku, unitPrice: price });
    if (lines.length >= 100) break;
  }
  const before = await db.outbox.count();
  let t0 = performance.now();
  for (let i = 0; i < n; i++) {
    const a = lines[i % lines.length]!;
    const b = lines[(i * 7 + 3) % lines.length]!;
    const total = a.unitPrice + b.unitPrice;
    await dispatch(db, 'A-S01-CARLOS', saleComplete, (al): SaleCompletePayload => ({
      saleId: al.newId(),
      storeId: device.storeId,
      receiptNo: al.receiptNo(),
      currency: store.currency,
      shiftId,
      lines: [{ sku: a.sku, qty: 1, unitPrice: a.unitPrice }, { sku: b.sku, qty: 1, unitPrice: b.unitPrice }],
      tenders: [{ kind: 'cash', amount: total }],
    }));
  }
  const dispatchMs = performance.now() - t0;
  let pushes = 0;
  /** Where the drain's time goes: each push request from its start to its answer read whole. */
  const spans: [number, number][] = [];
  const engine = new SyncEngine(db, {
    checksumEveryMs: 3_600_000,
    ...(pushBatch ? { pushBatch } : {}),
    fetch: async (input, init) => {
      if (!String(input).includes('/sync/push')) return fetch(input, init);
      pushes += 1;
      const start = performance.now() - t0;
      const res = await fetch(input, init);
      const body = await res.arrayBuffer();
      spans.push([start, performance.now() - t0]);
      return new Response(body, { status: res.status, statusText: res.statusText, headers: res.headers });
    },
  });
  let drainMs = NaN;
  let error: string | null = null;
  t0 = performance.now();
  const watch = (async () => {
    while (Number.isNaN(drainMs)) {
      if ((await db.outbox.count()) <= before) drainMs = performance.now() - t0;
      else await new Promise((ok) => setTimeout(ok, 10));
    }
  })();
  try {
    // One cycle pushes the whole outbox, batch after batch, then pulls; another if anything is left.
    for (let round = 0; round < 5 && (await db.outbox.count()) > before; round++) await engine.syncNow();
  } catch (e) {
    error = e instanceof Error ? e.message : String(e);
  }
  const cycleMs = performance.now() - t0;
  const left = (await db.outbox.count()) - before;
  if (left > 0) drainMs = Infinity;
  await watch;
  engine.stop();
  db.close();
  const inFlight = spans.reduce((a, [b, e]) => a + (e - b), 0);
  return { dispatchMs, drainMs, cycleMs, pushes, left, firstPushMs: spans[0]?.[0] ?? NaN, inFlightMs: inFlight, lastAnswerMs: spans.at(-1)?.[1] ?? NaN, error: error ?? (left > 0 ? `${left} commands still in the outbox` : null) };
}

const api = { enroll, checkoutBench, openBenchShift, drainBench, bootstrap, rawBulkPut, dispatchBench, dispatchDuringPulls, rebaseBench, barcodeBench, coldSearch, searchBench, incrementalPull, pct };
export type BenchApi = typeof api;
(globalThis as unknown as { bench: BenchApi }).bench = api;
