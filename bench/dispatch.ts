// dispatch (Chromium): local dispatch() of a sale.complete (handler + effects + outbox in one
// IndexedDB transaction) on the bootstrapped tablet, vs a one-row Dexie put in a rw transaction.
import { browserEnv } from './browser/harness';
import { ensureBootstrapped } from './bootstrap';
import type { BenchApi } from './browser/entry';
import { fmtInt, fmtMs, p50, p95, printTable, ratio, verdict } from './lib';

declare const bench: BenchApi;
const N = Number(process.env.BENCH_DISPATCH ?? 300);
const BARCODES = 300;
const SETTLE_MS = Number(process.env.BENCH_SETTLE_MS ?? 10_000);
/** [SE3] Catalog versions re-pulled while selling, and the catch-up page size (the engine's default). */
const REWIND = Number(process.env.BENCH_PULL_REWIND ?? 20_000);
const PULL_LIMIT = Number(process.env.BENCH_PULL_LIMIT ?? 2000);
/** The same, with pages this small: what a shorter pull transaction buys a sale (same run). */
const SMALL_PULL_LIMIT = Number(process.env.BENCH_SMALL_PULL_LIMIT ?? 250);
/** -1 (Infinity, which JSON cannot carry): each page written in one transaction, as before decision 73. */
const WHOLE = -1;
const TARGET_MS = 12;

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
  // [P3] Pages written in chunks (the engine's default), then the same catch-ups with each page in
  // one transaction (as before decision 73), then with small pages in one transaction each.
  const during = await env.page.evaluate(([n, w, l]) => bench.dispatchDuringPull(n, w, l), [N, REWIND, PULL_LIMIT] as const);
  const duringWhole = await env.page.evaluate(([n, w, l, b]) => bench.dispatchDuringPull(n, w, l, b), [N, REWIND, PULL_LIMIT, WHOLE] as const);
  const duringSmall = await env.page.evaluate(([n, w, l, b]) => bench.dispatchDuringPull(n, w, l, b), [N, REWIND, SMALL_PULL_LIMIT, WHOLE] as const);
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
      { measure: `dispatch(sale.complete) p50 while a pull runs (${during.dispatch.length} sales)`, value: fmtMs(p50(during.dispatch)), baseline: fmtMs(p50(settled.dispatch)), ratio: ratio(p50(during.dispatch), p50(settled.dispatch)) },
      { measure: 'dispatch(sale.complete) p95 while a pull runs', value: fmtMs(p95(during.dispatch)), baseline: fmtMs(p95(settled.dispatch)), ratio: ratio(p95(during.dispatch), p95(settled.dispatch)), target: `≤ ${TARGET_MS} ms ${verdict(p95(during.dispatch) <= TARGET_MS)}` },
      { measure: 'dispatch(sale.complete) max while a pull runs', value: fmtMs(Math.max(...during.dispatch)) },
      { measure: `dispatch(sale.complete) p50 / p95 / max while a pull runs, each page in one transaction (before decision 73)`, value: `${fmtMs(p50(duringWhole.dispatch))} / ${fmtMs(p95(duringWhole.dispatch))} / ${fmtMs(Math.max(...duringWhole.dispatch))}`, baseline: fmtMs(p95(during.dispatch)), ratio: ratio(p95(duringWhole.dispatch), p95(during.dispatch)) },
      { measure: 'catch-up sync (the pull, sales dispatched meanwhile), median: chunked', value: fmtMs(p50(during.syncMs)), baseline: fmtMs(p50(duringWhole.syncMs)), ratio: ratio(p50(during.syncMs), p50(duringWhole.syncMs)) },
      { measure: `dispatch(sale.complete) p50 / p95 / max while a pull of ${SMALL_PULL_LIMIT}-row pages runs, each in one transaction`, value: `${fmtMs(p50(duringSmall.dispatch))} / ${fmtMs(p95(duringSmall.dispatch))} / ${fmtMs(Math.max(...duringSmall.dispatch))}`, baseline: fmtMs(p95(during.dispatch)), ratio: ratio(p95(duringSmall.dispatch), p95(during.dispatch)) },
      { measure: 'barcode lookup (variants.where("barcode")) p50', value: fmtMs(p50(b.barcode)), baseline: fmtMs(p50(b.primary)), ratio: ratio(p50(b.barcode), p50(b.primary)) },
      { measure: 'barcode lookup p95', value: fmtMs(p95(b.barcode)), baseline: fmtMs(p95(b.primary)), ratio: ratio(p95(b.barcode), p95(b.primary)) },
    ],
    [
      'dispatch baseline = db.transaction("rw", db.meta, () => db.meta.put(row)) for one row (relaxed), same page, same count; the strict put is the same row under strictly(). A sale commits with strict durability [D9]; the relaxed rows are the same sales, every other one committed relaxed (baseline column: the strict ones, ratio strict/relaxed at p95).',
      `"while a pull runs": the catalog cursor moved back ${fmtInt(REWIND)} versions (BENCH_PULL_REWIND), the engine catching up in pages of ${fmtInt(PULL_LIMIT)} rows (BENCH_PULL_LIMIT), each page written in chunks of about 4 ms [P3] (decision 73), ${during.pulls} pull requests, sales dispatched back to back meanwhile; baseline = settled dispatch.`,
      `"each page in one transaction": the same catch-ups with the engine's applyBudgetMs at Infinity, as every page was written before decision 73 (${duringWhole.pulls} pull requests); baseline = p95 with chunks, ratio whole/chunked.`,
      `"right after bootstrap" runs in the page that just bootstrapped; "settled" in a reloaded page after a ${SETTLE_MS / 1000} s pause (BENCH_SETTLE_MS).`,
      'barcode baseline = db.variants.get(sku), the primary-key lookup of the same variant.',
      `barcode lookups that found the right SKU: ${b.found}/${BARCODES}.`,
      `small pages: the same catch-up in pages of ${SMALL_PULL_LIMIT} rows, each in one transaction (BENCH_SMALL_PULL_LIMIT, ${duringSmall.pulls} pull requests); baseline = p95 with ${fmtInt(PULL_LIMIT)}-row pages in chunks.`,
      ...(r.error || settled.error || during.error || duringWhole.error || duringSmall.error ? [`dispatch failed: ${r.error ?? settled.error ?? during.error ?? duringWhole.error ?? duringSmall.error}`] : []),
    ],
  );
}
