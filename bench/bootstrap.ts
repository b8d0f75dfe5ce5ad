// bootstrap (Chromium): SyncEngine.syncNow() pulling every stream of a fresh tablet into a fresh
// VitrineDb from a real server, vs a raw Dexie bulkPut of the same rows in the same page.
import { SYNCED_TABLES } from '../src/db/schema';
import { MAX_PULL_LIMIT } from '../src/core/sync/protocol';
import { browserEnv } from './browser/harness';
import type { BenchApi, BootstrapResult } from './browser/entry';
import { fmtInt, fmtMs, fmtRate, printTable, ratio, verdict } from './lib';
import { PEER_DIR, pouchPull, type PeerPull } from './peer-pouchdb';

declare const bench: BenchApi;
const PULL_LIMIT = Number(process.env.BENCH_PULL_LIMIT ?? 2000);
const TARGET = 1.3;
const ROUNDS = Number(process.env.BENCH_BOOTSTRAP_ROUNDS ?? 2);

export async function ensureBootstrapped(): Promise<void> {
  const env = await browserEnv();
  if (env.bootstrapped) return;
  await env.page.evaluate(([e, l]) => bench.bootstrap(e, l), [env.enrollment, PULL_LIMIT] as const);
  env.bootstrapped = true;
}

export async function benchBootstrap(): Promise<void> {
  const env = await browserEnv();
  // Baseline first (it deletes its own database afterwards), then the real bootstrap, whose
  // database the dispatch benchmark reuses.
  // Alternating rounds, best of each: one disk hiccup or a background compaction must not decide
  // the ratio either way.
  // The PouchDB peer takes part in every round too (after ours, our Chromium idle meanwhile), so the
  // three figures are each the best of the same number of runs in the same sitting.
  const pouchN = Number(process.env.BENCH_POUCH_N ?? env.skus);
  let raw: { ms: number; rows: number } | undefined;
  let r: BootstrapResult | undefined;
  let pouch: PeerPull = { ok: false, reason: 'skipped (BENCH_POUCH_N=0)' };
  for (let round = 0; round < ROUNDS; round++) {
    const rr = await env.page.evaluate(([e, l]) => bench.rawBulkPut(e, l), [env.enrollment, PULL_LIMIT] as const);
    const sr = await env.page.evaluate(([e, l]) => bench.bootstrap(e, l), [env.enrollment, PULL_LIMIT] as const);
    const pr: PeerPull = pouchN > 0 ? pouchPull(pouchN) : pouch;
    console.log(`(bootstrap round ${round + 1}: syncNow ${fmtMs(sr.totalMs)}, raw bulkPut ${fmtMs(rr.ms)}, ${ratio(sr.totalMs, rr.ms)}; PouchDB ${pr.ok ? fmtMs(pr.ms) : pr.reason})`);
    if (!raw || rr.ms < raw.ms) raw = rr;
    if (!r || sr.totalMs < r.totalMs) r = sr;
    if (pr.ok && (!pouch.ok || pr.ms < pouch.ms)) pouch = pr;
    else if (!pouch.ok) pouch = pr;
  }
  if (!raw || !r) throw new Error('BENCH_BOOTSTRAP_ROUNDS must be at least 1');
  // As a tablet does it: the products screen open, its search index caught up page by page.
  const live = await env.page.evaluate(([e, l]) => bench.bootstrap(e, l, true), [env.enrollment, PULL_LIMIT] as const);
  console.log(`(bootstrap with search while landing: ${fmtMs(live.totalMs)}; first search ${fmtMs(live.firstSearchMs ?? NaN)}, first scan ${fmtMs(live.firstScanMs ?? NaN)})`);
  env.bootstrapped = true;

  const rows = SYNCED_TABLES.reduce((s, t) => s + (r.counts[t] ?? 0), 0);
  const perTable = SYNCED_TABLES.filter((t) => r.counts[t]).map((t) => `${t} ${fmtInt(r.counts[t]!)}`).join(', ');
  const ratioTotal = r.totalMs / raw.ms;
  const perSku = r.totalMs / env.skus;
  const pouchPerSku = pouch.ok ? pouch.ms / pouch.docs : NaN;
  const faster = pouchPerSku / perSku;
  const mb = (b: number | undefined) => (b !== undefined && Number.isFinite(b) ? `${(b / 1048576).toFixed(0)} MB` : 'n/a');
  printTable(
    `bootstrap — fresh tablet, ${fmtInt(env.skus)} SKUs (headless Chromium, IndexedDB on disk)`,
    `params: seed 42, ${fmtInt(env.skus)} SKUs, 2 stores + W01, 200 customers; pages of ${fmtInt(MAX_PULL_LIMIT)} rows (catch-up pull limit ${PULL_LIMIT}); streams ${env.enrollment.streams.join(', ')}; real server on 127.0.0.1 (SQLite)`,
    [
      { measure: 'syncNow() total (push + pull all streams + rebase + checksum verify)', value: fmtMs(r.totalMs), baseline: fmtMs(raw.ms), ratio: ratio(r.totalMs, raw.ms), target: `≤ ${TARGET}× raw ${verdict(ratioTotal <= TARGET)}` },
      {
        measure: `PouchDB 9 pull of ${pouch.ok ? fmtInt(pouch.docs) : '—'} product docs (peer, ${pouch.ok ? `${pouch.adapter} adapter, batch ${pouch.batch}` : 'not run'})`,
        value: pouch.ok ? fmtMs(pouch.ms) : 'n/a',
        target: pouch.ok ? `per SKU ≥ 3× slower than ours: ${faster.toFixed(2)}× ${verdict(faster >= 3)}` : '',
      },
      { measure: 'per SKU: Vitrine / PouchDB', value: `${(perSku * 1000).toFixed(0)} µs`, baseline: pouch.ok ? `${(pouchPerSku * 1000).toFixed(0)} µs` : 'n/a', ratio: pouch.ok ? ratio(perSku, pouchPerSku) : 'n/a' },
      { measure: 'searching while it lands: first search answered (from the start of the sync)', value: fmtMs(live.firstSearchMs ?? NaN), target: `≤ 5 s ${verdict((live.firstSearchMs ?? Infinity) <= 5000)}` },
      { measure: 'searching while it lands: first barcode scan answered', value: fmtMs(live.firstScanMs ?? NaN), target: `≤ 5 s ${verdict((live.firstScanMs ?? Infinity) <= 5000)}` },
      { measure: 'bootstrap total with the search index following every page', value: fmtMs(live.totalMs), baseline: fmtMs(r.totalMs), ratio: ratio(live.totalMs, r.totalMs) },
      { measure: 'time inside HTTP requests (server + transfer; overlaps the writes, pages are pipelined)', value: fmtMs(r.httpMs) },
      { measure: 'rows written', value: fmtInt(rows), baseline: fmtInt(raw.rows) },
      { measure: 'rows/s (total)', value: fmtRate(rows / (r.totalMs / 1000)), baseline: fmtRate(raw.rows / (raw.ms / 1000)), ratio: ratio(raw.rows / (raw.ms / 1000), rows / (r.totalMs / 1000)) },
      { measure: 'HTTP requests', value: fmtInt(r.requests) },
      { measure: 'IndexedDB usage after bootstrap (navigator.storage.estimate)', value: mb(r.usageBytes), baseline: pouch.ok ? mb(pouch.usageBytes) : '', ratio: pouch.ok && pouch.usageBytes ? ratio(r.usageBytes, pouch.usageBytes) : '' },
      { measure: 'JS heap after bootstrap (after GC): without / with the search index', value: mb(live.heapBytes), baseline: mb(r.heapBytes) },
    ],
    [
      `rows per table: ${perTable}. The catalog is one row per product (its variants embedded) and availability one row per product; the store's stock stays one row per SKU held.`,
      'baseline = in the same page, the same rows fetched first (untimed), then one Dexie bulkPut per table into a fresh VitrineDb; the syncNow figure includes the network, JSON parsing and the per-page transactions.',
      `PouchDB = ${PEER_DIR}'s own bench.mjs (its server on memdown, a fresh Chromium profile), run after ours in each round; one PouchDB doc per SKU, so per SKU = its time / docs, ours = syncNow total / SKUs. ${pouch.ok ? '' : `Not run: ${pouch.reason}.`}`,
      `searching while it lands = a separate bootstrap that, like the products screen, catches the search index up every 100 ms and tries a search and the first result's barcode; ${fmtInt(live.firstSearchProducts ?? 0)} products were searchable at the first answer, ${fmtInt(live.indexedProducts ?? 0)} at the end.`,
      `best of ${ROUNDS} alternating rounds each, PouchDB included (BENCH_BOOTSTRAP_ROUNDS); the server runs on the same 2 cores as Chromium. A first bootstrap pages by ${fmtInt(MAX_PULL_LIMIT)} rows (the engine's default bootstrapLimit).`,
      r.error ? `syncNow reported an error: ${r.error}` : 'syncNow finished without error.',
      env.skus !== 100_000 ? `run at ${fmtInt(env.skus)} SKUs (BENCH_SKUS); for 100k: BENCH_SKUS=100000 npm run bench -- --only bootstrap` : 'larger: BENCH_SKUS=500000 npm run bench -- --only bootstrap',
    ],
  );
}
