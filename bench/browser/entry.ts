// The in-page half of the Chromium benchmarks (bundled by bench/browser/harness.ts with Vite):
// bootstrap through SyncEngine vs a raw Dexie bulkPut, dispatch() vs a one-row put, barcode lookup.
import { VitrineDb, strictly } from '@/db/schema';
import { saveEnrollment } from '@/db/device';
import { dispatch } from '@/db/dispatch';
import { saleComplete, type SaleCompletePayload } from '@/core/sales/sale-complete';
import { tablesOfStream } from '@/db/sync-store';
import { SyncEngine } from '@/sync/engine';
import type { EnrollResponse, PullResponse } from '@/core/sync/protocol';
import { refreshCatalogIndex, saveCatalogIndex } from '@/features/catalog/catalog-index';
import { foldText, queryWords } from '@/core/catalog/search/normalize';

const SYNC_DB = 'bench-sync';
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
  /** Time spent inside HTTP requests (server + transfer, body read); overlaps the writes (pipelined pages). */
  httpMs: number;
  requests: number;
  counts: Record<string, number>;
  error: string | null;
}

async function bootstrap(enrollment: EnrollResponse, pullLimit: number): Promise<BootstrapResult> {
  const db = await fresh(SYNC_DB);
  await saveEnrollment(db, enrollment, Date.now());
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
  await engine.syncNow();
  const totalMs = performance.now() - t0;
  engine.stop();
  const c = await counts(db);
  db.close();
  return { totalMs, httpMs, requests, counts: c, error: engine.status.getState().lastError };
}

/** Baseline: the same rows fetched first (untimed), then one Dexie bulkPut per table into a fresh db. */
async function rawBulkPut(enrollment: EnrollResponse, pullLimit: number): Promise<{ ms: number; rows: number }> {
  const byTable = new Map<string, unknown[]>();
  for (const stream of enrollment.streams) {
    let after = 0;
    for (;;) {
      const res = await fetch(`/api/v1/sync/pull?stream=${encodeURIComponent(stream)}&after=${after}&limit=${pullLimit}`, { headers: { authorization: `Bearer ${enrollment.deviceToken}` } });
      const page = (await res.json()) as PullResponse;
      for (const c of page.changes) {
        if ('deleted' in c) continue;
        const list = byTable.get(c.table) ?? [];
        list.push({ ...(c.row as object), _v: c.version });
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
    const v = await db.variants.get(s.sku);
    const price = v?.prices[currency];
    if (price) sellable.push({ sku: s.sku, productId: v.productId, unitPrice: price });
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
  for (let i = 0; i < n + 10; i++) {
    let t0 = performance.now();
    await db.transaction('rw', db.meta, () => db.meta.put({ key: `bench-${i}`, value: { i, at: Date.now() } }));
    if (i >= 10) puts.push(performance.now() - t0);
    t0 = performance.now();
    await strictly(() => db.transaction('rw', db.meta, () => db.meta.put({ key: `bench-s-${i}`, value: { i, at: Date.now() } })));
    if (i >= 10) strictPut.push(performance.now() - t0);
  }
  db.close();
  return { dispatch: times, relaxed, put: puts, strictPut, error };
}

/**
 * [SE3] Dispatch while the sync loop pulls: the catalog cursor is moved back `rewind` versions, so
 * the engine catches up through pull pages of `pullLimit` rows (each page one transaction) while
 * sales are dispatched back to back, as a cashier would during a big price change. Returns the
 * dispatch times taken while the pull ran, and how many pages it wrote.
 */
async function dispatchDuringPull(n: number, rewind: number, pullLimit: number, currency: SaleCompletePayload['currency'] = 'EUR'): Promise<{ dispatch: number[]; pulls: number; error: string | null }> {
  const db = new VitrineDb(SYNC_DB);
  await db.open();
  const device = (await db.meta.get('device'))?.value as { storeId: string } | undefined;
  if (!device) throw new Error('no device: run the bootstrap first');
  const sellable = await sellables(db, device.storeId, currency);
  const times: number[] = [];
  let pulls = 0;
  let error: string | null = null;
  const engine = new SyncEngine(db, {
    pullLimit,
    checksumEveryMs: 3_600_000,
    fetch: (input, init) => {
      if (String(input).includes('/sync/pull')) pulls += 1;
      return fetch(input, init);
    },
  });
  await engine.syncNow(); // untimed: sends what earlier rounds left in the outbox
  for (let i = 0; times.length < n && i < n * 20 && !error; ) {
    const cursor = (await db.cursors.get('catalog'))?.version ?? 0;
    await db.cursors.update('catalog', { version: Math.max(1, cursor - rewind) });
    let done = false;
    const sync = engine.syncNow().finally(() => (done = true));
    // Let the first page arrive: only dispatches made while pages are being written count.
    await new Promise((ok) => setTimeout(ok, 50));
    while (!done && times.length < n) {
      try {
        times.push(await sellOne(db, device.storeId, sellable, i++, currency));
      } catch (e) {
        error = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
        break;
      }
    }
    await sync;
    error ??= engine.status.getState().lastError;
  }
  engine.stop();
  db.close();
  return { dispatch: times, pulls, error };
}

async function barcodeBench(n: number): Promise<{ barcode: number[]; primary: number[]; found: number }> {
  const db = new VitrineDb(SYNC_DB);
  await db.open();
  // Spread the picks over the whole key range (offset() would walk the index each time).
  const keys = (await db.variants.toCollection().primaryKeys()) as string[];
  const chosen = Array.from({ length: n }, (_, i) => keys[Math.floor((i * 7919) % keys.length)]!);
  const picks = (await db.variants.bulkGet(chosen)).filter((v) => v !== undefined).map((v) => ({ sku: v.sku, barcode: v.barcode }));
  const barcode: number[] = [];
  const primary: number[] = [];
  let found = 0;
  for (const p of picks) {
    let t0 = performance.now();
    const v = await db.variants.where('barcode').equals(p.barcode).first();
    barcode.push(performance.now() - t0);
    if (v?.sku === p.sku) found += 1;
    t0 = performance.now();
    await db.variants.get(p.sku);
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
async function incrementalPull(enrollment: EnrollResponse, word: string, expected: number): Promise<{ pullMs: number; indexMs: number; found: number }> {
  const db = new VitrineDb(SYNC_DB);
  await db.open();
  await refreshCatalogIndex(db);
  const engine = new SyncEngine(db, { checksumEveryMs: 3_600_000 });
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
  return { pullMs, indexMs, found };
}

const api = { bootstrap, rawBulkPut, dispatchBench, dispatchDuringPull, barcodeBench, coldSearch, searchBench, incrementalPull, pct };
export type BenchApi = typeof api;
(globalThis as unknown as { bench: BenchApi }).bench = api;
