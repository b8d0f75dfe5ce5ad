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
  // [SH1] Sales rung in a register shift (each also adds itself to the shift's totals), alternating
  // with sales without one in the same settled page.
  const shiftId = await env.page.evaluate(() => bench.openBenchShift());
  const pair = await env.page.evaluate(([n, id]) => bench.dispatchBench(n * 2, 'EUR', id), [N, shiftId] as const);
  const inShift = { dispatch: pair.dispatch, error: pair.error };
  const after = { dispatch: pair.put, error: pair.error };
  const b = await env.page.evaluate((n) => bench.barcodeBench(n), BARCODES);
  printTable(
    'dispatch — local sale.complete on the tablet (headless Chromium)',
    `params: ${N} dispatches (after 10 warm-up) of a 2-line cash sale, twice, on the tablet bootstrapped with ${fmtInt(env.skus)} SKUs; ${BARCODES} barcode lookups`,
    [
      { measure: 'dispatch(sale.complete) p50, right after bootstrap', value: fmtMs(p50(r.dispatch)), baseline: fmtMs(p50(r.put)), ratio: ratio(p50(r.dispatch), p50(r.put)) },
      { measure: 'dispatch(sale.complete) p95, right after bootstrap', value: fmtMs(p95(r.dispatch)), baseline: fmtMs(p95(r.put)), ratio: ratio(p95(r.dispatch), p95(r.put)), target: `≤ 10 ms ${verdict(p95(r.dispatch) <= 10)}` },
      { measure: 'dispatch(sale.complete) p50, settled', value: fmtMs(p50(settled.dispatch)), baseline: fmtMs(p50(settled.put)), ratio: ratio(p50(settled.dispatch), p50(settled.put)) },
      { measure: 'dispatch(sale.complete) p95, settled', value: fmtMs(p95(settled.dispatch)), baseline: fmtMs(p95(settled.put)), ratio: ratio(p95(settled.dispatch), p95(settled.put)), target: `≤ 10 ms ${verdict(p95(settled.dispatch) <= 10)}` },
      { measure: 'dispatch(sale.complete in a shift) p50, settled', value: fmtMs(p50(inShift.dispatch)), baseline: fmtMs(p50(after.dispatch)), ratio: ratio(p50(inShift.dispatch), p50(after.dispatch)) },
      { measure: 'dispatch(sale.complete in a shift) p95, settled', value: fmtMs(p95(inShift.dispatch)), baseline: fmtMs(p95(after.dispatch)), ratio: ratio(p95(inShift.dispatch), p95(after.dispatch)), target: `≤ 10 ms ${verdict(p95(inShift.dispatch) <= 10)}` },
      { measure: 'barcode lookup (variants.where("barcode")) p50', value: fmtMs(p50(b.barcode)), baseline: fmtMs(p50(b.primary)), ratio: ratio(p50(b.barcode), p50(b.primary)) },
      { measure: 'barcode lookup p95', value: fmtMs(p95(b.barcode)), baseline: fmtMs(p95(b.primary)), ratio: ratio(p95(b.barcode), p95(b.primary)) },
    ],
    [
      'dispatch baseline = db.transaction("rw", db.meta, () => db.meta.put(row)) for one row, same page, same count.',
      `"right after bootstrap" runs in the page that just bootstrapped; "settled" in a reloaded page after a ${SETTLE_MS / 1000} s pause (BENCH_SETTLE_MS).`,
      'in-a-shift baseline = the same sales without a shift id, alternating one by one with them in the same settled page.',
      'barcode baseline = db.variants.get(sku), the primary-key lookup of the same variant.',
      `barcode lookups that found the right SKU: ${b.found}/${BARCODES}.`,
      ...(r.error || settled.error || inShift.error || after.error ? [`dispatch failed: ${r.error ?? settled.error ?? inShift.error ?? after.error}`] : []),
    ],
  );
}
