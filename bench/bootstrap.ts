// bootstrap (Chromium): SyncEngine.syncNow() pulling every stream of a fresh tablet into a fresh
// VitrineDb from a real server, vs a raw Dexie bulkPut of the same rows in the same page.
import { SYNCED_TABLES } from '../src/db/schema';
import { MAX_PULL_LIMIT } from '../src/core/sync/protocol';
import { browserEnv } from './browser/harness';
import type { BenchApi, BootstrapResult } from './browser/entry';
import { fmtInt, fmtMs, fmtRate, printTable, ratio, verdict } from './lib';

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
  let raw: { ms: number; rows: number } | undefined;
  let r: BootstrapResult | undefined;
  for (let round = 0; round < ROUNDS; round++) {
    const rr = await env.page.evaluate(([e, l]) => bench.rawBulkPut(e, l), [env.enrollment, PULL_LIMIT] as const);
    const sr = await env.page.evaluate(([e, l]) => bench.bootstrap(e, l), [env.enrollment, PULL_LIMIT] as const);
    console.log(`(bootstrap round ${round + 1}: syncNow ${fmtMs(sr.totalMs)}, raw bulkPut ${fmtMs(rr.ms)}, ${ratio(sr.totalMs, rr.ms)})`);
    if (!raw || rr.ms < raw.ms) raw = rr;
    if (!r || sr.totalMs < r.totalMs) r = sr;
  }
  if (!raw || !r) throw new Error('BENCH_BOOTSTRAP_ROUNDS must be at least 1');
  env.bootstrapped = true;
  const rows = SYNCED_TABLES.reduce((s, t) => s + (r.counts[t] ?? 0), 0);
  const perTable = SYNCED_TABLES.filter((t) => r.counts[t]).map((t) => `${t} ${fmtInt(r.counts[t]!)}`).join(', ');
  const ratioTotal = r.totalMs / raw.ms;
  printTable(
    `bootstrap — fresh tablet, ${fmtInt(env.skus)} SKUs (headless Chromium, IndexedDB on disk)`,
    `params: seed 42, ${fmtInt(env.skus)} SKUs, 2 stores + W01, 200 customers; pages of ${fmtInt(MAX_PULL_LIMIT)} rows (catch-up pull limit ${PULL_LIMIT}); streams ${env.enrollment.streams.join(', ')}; real server on 127.0.0.1 (SQLite)`,
    [
      { measure: 'syncNow() total (push + pull all streams + rebase + checksum verify)', value: fmtMs(r.totalMs), baseline: fmtMs(raw.ms), ratio: ratio(r.totalMs, raw.ms), target: `≤ ${TARGET}× ${verdict(ratioTotal <= TARGET)}` },
      { measure: 'time inside HTTP requests (server + transfer; overlaps the writes, pages are pipelined)', value: fmtMs(r.httpMs) },
      { measure: 'rows written', value: fmtInt(rows), baseline: fmtInt(raw.rows) },
      { measure: 'rows/s (total)', value: fmtRate(rows / (r.totalMs / 1000)), baseline: fmtRate(raw.rows / (raw.ms / 1000)), ratio: ratio(raw.rows / (raw.ms / 1000), rows / (r.totalMs / 1000)) },
      { measure: 'HTTP requests', value: fmtInt(r.requests) },
    ],
    [
      `rows per table: ${perTable}.`,
      'baseline = in the same page, the same rows fetched first (untimed), then one Dexie bulkPut per table into a fresh VitrineDb; the syncNow figure includes the network, JSON parsing and the per-page transactions.',
      `best of ${ROUNDS} alternating rounds each (BENCH_BOOTSTRAP_ROUNDS); the server runs on the same 2 cores as Chromium. A first bootstrap pages by ${fmtInt(MAX_PULL_LIMIT)} rows (the engine's default bootstrapLimit).`,
      r.error ? `syncNow reported an error: ${r.error}` : 'syncNow finished without error.',
      env.skus !== 100_000 ? `run at ${fmtInt(env.skus)} SKUs (BENCH_SKUS); for 100k: BENCH_SKUS=100000 npm run bench -- --only bootstrap` : 'smaller: BENCH_SKUS=20000 npm run bench -- --only bootstrap',
    ],
  );
}
