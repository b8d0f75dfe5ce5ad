// checkout (Chromium): the till's checkout commit — sale + stock + shift totals + receipt number +
// outbox in one IndexedDB transaction, then the cart's receipt-on-screen write — with strict
// durability, against the same with the browser's default and a strict one-row put (same run).
import { browserEnv } from './browser/harness';
import { ensureBootstrapped } from './bootstrap';
import type { BenchApi } from './browser/entry';
import { fmtInt, fmtMs, p50, p95, printTable, ratio, verdict } from './lib';

declare const bench: BenchApi;
const N = Number(process.env.BENCH_CHECKOUT ?? 200);
const SETTLE_MS = Number(process.env.BENCH_SETTLE_MS ?? 10_000);

export async function benchCheckout(): Promise<void> {
  await ensureBootstrapped();
  const env = await browserEnv();
  // A settled tablet: a fresh page after a pause, as a till is for most of a day.
  await env.page.reload();
  await env.page.waitForFunction(() => 'bench' in globalThis);
  await new Promise((ok) => setTimeout(ok, SETTLE_MS));
  const shiftId = await env.page.evaluate(() => bench.openBenchShift());
  const r = await env.page.evaluate(([n, id]) => bench.checkoutBench(n, id), [N, shiftId] as const);
  printTable(
    'checkout — the till commits a sale (headless Chromium, IndexedDB on disk)',
    `params: ${N} checkouts of each kind (after 10 warm-up), interleaved one by one; a 2-line sale with a 10 % line discount, card + cash with change, in a register shift; tablet bootstrapped with ${fmtInt(env.skus)} SKUs`,
    [
      { measure: 'checkout commit p50, strict durability', value: fmtMs(p50(r.strict)), baseline: fmtMs(p50(r.put)), ratio: ratio(p50(r.strict), p50(r.put)) },
      { measure: 'checkout commit p95, strict durability', value: fmtMs(p95(r.strict)), baseline: fmtMs(p95(r.put)), ratio: ratio(p95(r.strict), p95(r.put)), target: `≤ 12 ms ${verdict(p95(r.strict) <= 12)}` },
      { measure: 'checkout commit p50, default (relaxed) durability', value: fmtMs(p50(r.relaxed)), baseline: fmtMs(p50(r.strict)), ratio: ratio(p50(r.relaxed), p50(r.strict)) },
      { measure: 'checkout commit p95, default (relaxed) durability', value: fmtMs(p95(r.relaxed)), baseline: fmtMs(p95(r.strict)), ratio: ratio(p95(r.relaxed), p95(r.strict)) },
    ],
    [
      'checkout commit = completeSale() (src/features/checkout): the already-committed check, then dispatch(sale.complete v2) — sale, stock, shift totals, receipt number and outbox in one transaction. The cart row with the receipt on screen is written after it, untimed, as the app writes it through.',
      'strict baseline = a one-row put in a rw transaction on the same strict connection, interleaved with the checkouts.',
      'relaxed rows compare the same checkout with the command committed relaxed (its durability flag flipped for those turns) against the strict one.',
      ...(r.error ? [`checkout failed: ${r.error}`] : []),
    ],
  );
}
