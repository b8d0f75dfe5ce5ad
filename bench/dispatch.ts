// dispatch (Chromium): local dispatch() of a sale.complete (handler + effects + outbox in one
// IndexedDB transaction) on the bootstrapped tablet, vs a one-row Dexie put in a rw transaction.
import { browserEnv } from './browser/harness';
import { ensureBootstrapped } from './bootstrap';
import type { BenchApi, DuringPull } from './browser/entry';
import { fmtInt, fmtMs, p50, p95, printTable, ratio, verdict } from './lib';

declare const bench: BenchApi;
const N = Number(process.env.BENCH_DISPATCH ?? 300);
const BARCODES = 300;
const SETTLE_MS = Number(process.env.BENCH_SETTLE_MS ?? 10_000);
/** [SE3] Catalog versions re-pulled while selling, and the catch-up page size (the engine's default). */
const REWIND = Number(process.env.BENCH_PULL_REWIND ?? 20_000);
const PULL_LIMIT = Number(process.env.BENCH_PULL_LIMIT ?? 2000);
/** [P5] Sales left pending before each timed rebase, and how many rebases. */
const REBASE_PENDING = Number(process.env.BENCH_REBASE_PENDING ?? 20);
const REBASE_REPS = Number(process.env.BENCH_REBASE_REPS ?? 20);
/** Catch-ups per way of writing pages with nobody selling. */
const QUIET = Number(process.env.BENCH_QUIET_CATCHUPS ?? 3);
const TARGET_MS = 12;

/**
 * How pulled pages are written, compared in the same run (catch-ups taking turns): the engine's
 * default (decision 78: steps of ~4 ms in one transaction that ends only for a waiting sale, or after
 * 100 ms); decision 73's pacer (each ~4 ms chunk its own transaction, a pause between, sale or not);
 * and each page in one transaction, as before decision 73 (stepMs -1: Infinity).
 */
const MODES = [
  { name: 'yields to a waiting sale (decision 78)', mode: { pullLimit: PULL_LIMIT } },
  { name: 'chunks of ~4 ms, always (decision 73)', mode: { pullLimit: PULL_LIMIT, everyStep: true } },
  { name: 'each page in one transaction (before 73)', mode: { pullLimit: PULL_LIMIT, stepMs: -1 } },
  // BENCH_ALSO_CHUNK_MS=50: one more engine that yields, its transactions ending after that many ms.
  ...(process.env.BENCH_ALSO_CHUNK_MS ? [{ name: `yields to a waiting sale, transactions of ${process.env.BENCH_ALSO_CHUNK_MS} ms at most`, mode: { pullLimit: PULL_LIMIT, chunkMs: Number(process.env.BENCH_ALSO_CHUNK_MS) } }] : []),
];
/** Sales spaced as at a till: this many ms apart on average (BENCH_SALE_GAP_MS), this many per way (BENCH_SPACED_SALES). */
const GAP_MS = Number(process.env.BENCH_SALE_GAP_MS ?? 250);
const SPACED = Number(process.env.BENCH_SPACED_SALES ?? 60);

export async function benchDispatch(): Promise<void> {
  await ensureBootstrapped();
  const env = await browserEnv();
  // Right after the bootstrap (the page's heap full of parsed pages, the disk still compacting), then
  // on a settled tablet: a fresh page after a pause, as a till is for most of a day.
  const r = await env.page.evaluate((n) => bench.dispatchBench(n), N);
  await env.page.reload();
  await env.page.waitForFunction(() => 'bench' in globalThis);
  await new Promise((ok) => setTimeout(ok, SETTLE_MS));
  const settled = await env.page.evaluate((n) => bench.dispatchBench(n), N);
  // [SE3][P3] The three ways of writing a page, catch-ups taking turns; then [P5] rebases with a sale behind.
  const pulls = await env.page.evaluate(([n, w, m, q]) => bench.dispatchDuringPulls(n, w, m, q), [N, REWIND, MODES.map((m) => m.mode), QUIET] as const);
  const spaced = await env.page.evaluate(([n, w, m, g]) => bench.dispatchDuringPulls(n, w, m, 0, g), [SPACED, REWIND, MODES.map((m) => m.mode), GAP_MS] as const);
  // A rebase after a cycle replays what was made during it (a sale or two); after a failed push, more.
  const rb = await env.page.evaluate(([k, reps]) => bench.rebaseBench(k, reps), [2, REBASE_REPS] as const);
  const rbMany = await env.page.evaluate(([k, reps]) => bench.rebaseBench(k, reps), [REBASE_PENDING, REBASE_REPS] as const);
  const [during, old, whole] = pulls.modes as [DuringPull, DuringPull, DuringPull];
  const max = (v: number[]) => (v.length ? Math.max(...v) : NaN);
  const trio = (v: number[]) => `${fmtMs(p50(v))} / ${fmtMs(p95(v))} / ${fmtMs(max(v))}`;
  const perCatchUp = (d: DuringPull) => {
    const c = Math.max(1, d.syncMs.length);
    const s = d.stats;
    return `${(s.transactions / c).toFixed(0)} tx, ${(s.yielded / c).toFixed(0)} ended for a sale, ${(s.rows / Math.max(1, s.steps)).toFixed(0)} rows a step of ${fmtMs(s.stepMs / Math.max(1, s.steps))}${s.yielded ? `, commit after a yield ${fmtMs(s.yieldCommitMs / s.yielded)}` : ''}`;
  };
  const b = await env.page.evaluate((n) => bench.barcodeBench(n), BARCODES);
  printTable(
    'dispatch — local sale.complete on the tablet (headless Chromium)',
    `params: ${N} dispatches (after 10 warm-up) of a 2-line cash sale, twice, on the tablet bootstrapped with ${fmtInt(env.skus)} SKUs; ${BARCODES} barcode lookups`,
    [
      { measure: 'dispatch(sale.complete) p50, right after bootstrap (strict)', value: fmtMs(p50(r.dispatch)), baseline: fmtMs(p50(r.put)), ratio: ratio(p50(r.dispatch), p50(r.put)) },
      { measure: 'dispatch(sale.complete) p95, right after bootstrap (strict)', value: fmtMs(p95(r.dispatch)), baseline: fmtMs(p95(r.put)), ratio: ratio(p95(r.dispatch), p95(r.put)), target: `≤ ${TARGET_MS} ms ${verdict(p95(r.dispatch) <= TARGET_MS)}` },
      { measure: 'dispatch(sale.complete) p50, settled (strict)', value: fmtMs(p50(settled.dispatch)), baseline: fmtMs(p50(settled.put)), ratio: ratio(p50(settled.dispatch), p50(settled.put)) },
      { measure: 'dispatch(sale.complete) p95, settled (strict)', value: fmtMs(p95(settled.dispatch)), baseline: fmtMs(p95(settled.put)), ratio: ratio(p95(settled.dispatch), p95(settled.put)), target: `≤ ${TARGET_MS} ms ${verdict(p95(settled.dispatch) <= TARGET_MS)}` },
      { measure: 'dispatch(sale.complete) relaxed p50 / p95, right after bootstrap (interleaved)', value: `${fmtMs(p50(r.relaxed))} / ${fmtMs(p95(r.relaxed))}`, baseline: `${fmtMs(p50(r.dispatch))} / ${fmtMs(p95(r.dispatch))}`, ratio: ratio(p95(r.dispatch), p95(r.relaxed)) },
      { measure: 'dispatch(sale.complete) relaxed p50 / p95, settled (interleaved)', value: `${fmtMs(p50(settled.relaxed))} / ${fmtMs(p95(settled.relaxed))}`, baseline: `${fmtMs(p50(settled.dispatch))} / ${fmtMs(p95(settled.dispatch))}`, ratio: ratio(p95(settled.dispatch), p95(settled.relaxed)) },
      { measure: 'one-row put, strict durability p50 / p95 (settled)', value: `${fmtMs(p50(settled.strictPut))} / ${fmtMs(p95(settled.strictPut))}`, baseline: `${fmtMs(p50(settled.put))} / ${fmtMs(p95(settled.put))}`, ratio: ratio(p95(settled.strictPut), p95(settled.put)) },
      { measure: 'dispatch(sale.complete) p50 / p95 / max, settled (no pull)', value: trio(settled.dispatch) },
      ...MODES.map((m, k) => {
        const d = pulls.modes[k]!;
        return { measure: `dispatch p50 / p95 / max while a pull runs, ${m.name} (${d.dispatch.length} sales)`, value: trio(d.dispatch), baseline: `${fmtMs(p95(settled.dispatch))} settled`, ratio: ratio(p95(d.dispatch), p95(settled.dispatch)), ...(k === 0 ? { target: `≤ ${TARGET_MS} ms ${verdict(p95(d.dispatch) <= TARGET_MS)}` } : {}) };
      }),
      ...MODES.map((m, k) => {
        const d = spaced.modes[k]!;
        return { measure: `dispatch p50 / p95 / max, sales ~${GAP_MS} ms apart while a pull runs, ${m.name} (${d.dispatch.length} sales; ${perCatchUp(d)})`, value: trio(d.dispatch), baseline: `${fmtMs(p95(settled.dispatch))} settled`, ratio: ratio(p95(d.dispatch), p95(settled.dispatch)), ...(k === 0 ? { target: `≤ ${TARGET_MS} ms ${verdict(p95(d.dispatch) <= TARGET_MS)}` } : {}) };
      }),
      { measure: 'dispatch p95 while a pull runs: decision 78 / decision 73', value: fmtMs(p95(during.dispatch)), baseline: fmtMs(p95(old.dispatch)), ratio: ratio(p95(during.dispatch), p95(old.dispatch)) },
      { measure: 'dispatch p50 while a pull runs: decision 78 / decision 73', value: fmtMs(p50(during.dispatch)), baseline: fmtMs(p50(old.dispatch)), ratio: ratio(p50(during.dispatch), p50(old.dispatch)) },
      { measure: 'dispatch max while a pull runs: decision 78 / whole pages', value: fmtMs(max(during.dispatch)), baseline: fmtMs(max(whole.dispatch)), ratio: ratio(max(during.dispatch), max(whole.dispatch)) },
      ...MODES.map((m, k) => {
        const d = pulls.modes[k]!;
        return { measure: `catch-up sync median (${d.syncMs.length} catch-ups, ${perCatchUp(d)}), ${m.name}`, value: fmtMs(p50(d.syncMs)), baseline: `${fmtMs(p50(whole.syncMs))} whole`, ratio: ratio(p50(d.syncMs), p50(whole.syncMs)) };
      }),
      ...MODES.map((m, k) => {
        const d = pulls.modes[k]!;
        return { measure: `catch-up sync median with nobody selling (${d.quietMs.length} catch-ups), ${m.name}`, value: fmtMs(p50(d.quietMs)), baseline: `${fmtMs(p50(whole.quietMs))} whole`, ratio: ratio(p50(d.quietMs), p50(whole.quietMs)) };
      }),
      ...([[2, rb], [REBASE_PENDING, rbMany]] as const).flatMap(([k, x]) => [
        { measure: `rebase of ${k} pending sales p50 / p95 / max (${x.rebase.length} rebases)`, value: trio(x.rebase) },
        { measure: `dispatch queued right behind a rebase of ${k} p50 / p95 / max`, value: trio(x.behind), baseline: `${fmtMs(p95(settled.dispatch))} settled`, ratio: ratio(p95(x.behind), p95(settled.dispatch)) },
      ]),
      { measure: 'barcode lookup (variants.where("barcode")) p50', value: fmtMs(p50(b.barcode)), baseline: fmtMs(p50(b.primary)), ratio: ratio(p50(b.barcode), p50(b.primary)) },
      { measure: 'barcode lookup p95', value: fmtMs(p95(b.barcode)), baseline: fmtMs(p95(b.primary)), ratio: ratio(p95(b.barcode), p95(b.primary)) },
    ],
    [
      'dispatch baseline = db.transaction("rw", db.meta, () => db.meta.put(row)) for one row (relaxed), same page, same count; the strict put is the same row on a connection opened with strict durability. A sale commits with strict durability [D9]; the relaxed rows are the same sales, every other one committed relaxed (baseline column: the strict ones, ratio strict/relaxed at p95).',
      `"while a pull runs": the catalog cursor moved back ${fmtInt(REWIND)} versions (BENCH_PULL_REWIND), the engine catching up in pages of ${fmtInt(PULL_LIMIT)} rows (BENCH_PULL_LIMIT), sales dispatched back to back meanwhile; one engine per way of writing pages, their catch-ups taking turns (pull requests: ${pulls.modes.map((d) => d.pulls).join(' / ')}); ratio = p95 / settled p95 of the same run.`,
      '"catch-up sync": the timed syncNow() that pulls the rewound catalog, at most a sixth of the sales dispatched during it (then it finishes alone; an untimed sync before it sends the previous catch-up\'s sales); ratio against each page in one transaction.',
      `rebase: 2 or ${REBASE_PENDING} sales left unsent (BENCH_REBASE_PENDING), then rebase() replays them while one more sale is dispatched right behind it; ${REBASE_REPS} times each (BENCH_REBASE_REPS). "nobody selling": ${QUIET} more catch-ups per way (BENCH_QUIET_CATCHUPS).`,
      `"right after bootstrap" runs in the page that just bootstrapped; "settled" in a reloaded page after a ${SETTLE_MS / 1000} s pause (BENCH_SETTLE_MS).`,
      'barcode baseline = db.variants.get(sku), the primary-key lookup of the same variant.',
      `barcode lookups that found the right SKU: ${b.found}/${BARCODES}.`,
      ...(r.error || settled.error || pulls.error || spaced.error || rb.error || rbMany.error ? [`dispatch failed: ${r.error ?? settled.error ?? pulls.error ?? spaced.error ?? rb.error ?? rbMany.error}`] : []),
    ],
  );
}
