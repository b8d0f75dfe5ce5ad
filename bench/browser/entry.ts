// The in-page half of the Chromium benchmarks (bundled by bench/browser/harness.ts with Vite):
// bootstrap through SyncEngine vs a raw Dexie bulkPut, dispatch() vs a one-row put, barcode lookup.
import { VitrineDb } from '@/db/schema';
import { saveEnrollment } from '@/db/device';
import { dispatch } from '@/db/dispatch';
import { tablesOfStream } from '@/db/sync-store';
import { loadOpenShift } from '@/db/hooks/use-shift';
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

/** Opens a register shift on the bench tablet (closing none): sales then carry its id [SH1]. */
async function openBenchShift(): Promise<string> {
  const db = new VitrineDb(SYNC_DB);
  await db.open();
  const device = (await db.meta.get('device'))?.value as { storeId: string; deviceId: string };
  // A tablet reused from an earlier run may still have its shift open: sell in that one.
  const open = await loadOpenShift(db, device.deviceId);
  if (open) {
    db.close();
    return open.id;
  }
  const r = await dispatch(db, 'A-S01-CARLOS', 'shift.open', (al) => ({ shiftId: al.newId(), storeId: device.storeId, float: 10000 }));
  db.close();
  return (r.command.payload as { shiftId: string }).shiftId;
}

/**
 * `shiftId` set: sales alternate one in the shift, one without (times in `dispatch` and `put`
 * respectively), so load on a shared host falls on both alike.
 */
async function dispatchBench(n: number, currency = 'EUR', shiftId?: string): Promise<{ dispatch: number[]; put: number[]; error: string | null }> {
  const db = new VitrineDb(SYNC_DB);
  await db.open();
  const device = (await db.meta.get('device'))?.value as { storeId: string } | undefined;
  if (!device) throw new Error('no device: run the bootstrap first');
  const stock = await db.stock.where('sku').above('').limit(2000).toArray();
  const sellable: Sellable[] = [];
  for (const s of stock) {
    if (s.locationId !== device.storeId) continue;
    const v = await db.variants.get(s.sku);
    const price = v?.prices[currency as 'EUR'];
    if (price) sellable.push({ sku: s.sku, productId: v.productId, unitPrice: price });
    if (sellable.length >= 200) break;
  }
  if (sellable.length === 0) throw new Error('no sellable SKU at the store');
  const times: number[] = [];
  const without: number[] = [];
  let error: string | null = null;
  for (let i = 0; i < n + 10; i++) {
    const a = sellable[i % sellable.length]!;
    const b = sellable[(i * 7 + 3) % sellable.length]!;
    const lines = [
      { sku: a.sku, qty: 1, unitPrice: a.unitPrice },
      { sku: b.sku, qty: 1, unitPrice: b.unitPrice },
    ];
    const total = a.unitPrice + b.unitPrice;
    const t0 = performance.now();
    try {
      await dispatch(db, 'A-S01-CARLOS', 'sale.complete', (al) => ({
        saleId: al.newId(),
        storeId: device.storeId,
        receiptNo: al.receiptNo(),
        currency,
        ...(shiftId && i % 2 === 0 ? { shiftId } : {}),
        lines,
        tenders: [{ kind: 'cash', amount: total * 2 }],
      }), undefined, { alsoReads: [{ table: 'products', keys: [a.productId, b.productId] }] }); // as the cart does
    } catch (e) {
      error = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
      break;
    }
    if (i >= 10) (shiftId && i % 2 === 1 ? without : times).push(performance.now() - t0);
  }
  if (shiftId) {
    db.close();
    return { dispatch: times, put: without, error };
  }
  const puts: number[] = [];
  for (let i = 0; i < n + 10; i++) {
    const t0 = performance.now();
    await db.transaction('rw', db.meta, () => db.meta.put({ key: `bench-${i}`, value: { i, at: Date.now() } }));
    if (i >= 10) puts.push(performance.now() - t0);
  }
  db.close();
  return { dispatch: times, put: puts, error };
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

const api = { bootstrap, rawBulkPut, dispatchBench, openBenchShift, barcodeBench, coldSearch, searchBench, incrementalPull, pct };
export type BenchApi = typeof api;
(globalThis as unknown as { bench: BenchApi }).bench = api;
