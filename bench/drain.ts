// drain (Chromium): 5,000 sales dispatched offline on a bootstrapped tablet, then the time until its
// outbox drains to a real server over HTTP, beside PouchDB's push of 5,000 sale docs from the peer
// (../shared/peers/pouchdb), run in the same sitting [C2][C3].
import { browserEnv } from './browser/harness';
import { ensureBootstrapped } from './bootstrap';
import type { BenchApi } from './browser/entry';
import { fmtInt, fmtMs, fmtRate, printTable, ratio, verdict } from './lib';
import { pouchPush, PEER_DIR } from './peer-pouchdb';

declare const bench: BenchApi;
const N = Number(process.env.BENCH_DRAIN ?? 5000);
/** The engine's push batch (its default when unset). */
const BATCH = process.env.BENCH_PUSH_BATCH ? Number(process.env.BENCH_PUSH_BATCH) : undefined;

export async function benchDrain(): Promise<void> {
  await ensureBootstrapped();
  const env = await browserEnv();
  const shiftId = await env.page.evaluate(() => bench.openBenchShift());
  const r = await env.page.evaluate(([n, id, batch]) => bench.drainBench(n, id, batch), [N, shiftId, BATCH] as const);
  const pouch = Number(process.env.BENCH_POUCH_N ?? 1) > 0 ? pouchPush(N) : { ok: false as const, reason: 'skipped (BENCH_POUCH_N=0)' };
  const faster = pouch.ok ? pouch.ms / r.drainMs : NaN;
  printTable(
    `drain — ${fmtInt(N)} sales dispatched offline, then pushed over HTTP until the outbox is empty (headless Chromium)`,
    `params: ${fmtInt(N)} two-line cash sales in a register shift, dispatched back to back with no sync; then SyncEngine.syncNow() against the real server (SQLite), ${BATCH ? `push batches of ${BATCH}` : 'its default push batches'}; tablet bootstrapped with ${fmtInt(env.skus)} SKUs`,
    [
      { measure: `outbox drained (${fmtInt(N)} sales applied by the server, ${fmtInt(r.pushes)} push requests)`, value: fmtMs(r.drainMs), baseline: pouch.ok ? fmtMs(pouch.ms) : 'n/a', ratio: pouch.ok ? ratio(r.drainMs, pouch.ms) : '', target: pouch.ok ? `≥ 3× faster than PouchDB: ${faster.toFixed(2)}× ${verdict(faster >= 3)}` : '' },
      { measure: 'sales per second, drained', value: fmtRate(N / (r.drainMs / 1000)), baseline: pouch.ok ? fmtRate(N / (pouch.ms / 1000)) : 'n/a' },
      { measure: '· before the first push (device check [D5], signer, first read of the outbox)', value: fmtMs(r.firstPushMs) },
      { measure: '· push requests in flight (network + server, summed)', value: fmtMs(r.inFlightMs) },
      { measure: '· tablet between pushes, and after the last answer until the outbox is empty', value: fmtMs(r.drainMs - r.firstPushMs - r.inFlightMs) },
      { measure: 'whole sync cycle (push, then pull of the store stream with those sales, rebase)', value: fmtMs(r.cycleMs) },
      { measure: `dispatching the ${fmtInt(N)} sales offline (strict durability each)`, value: fmtMs(r.dispatchMs), baseline: '', ratio: '' },
    ],
    [
      `baseline = PouchDB 9 (${PEER_DIR}, its own bench.mjs, indexeddb adapter, push batch 1000): replicate of ${fmtInt(N)} sale docs already in a local PouchDB to an empty remote database, in a fresh Chromium profile. ${pouch.ok ? '' : `Not run: ${pouch.reason}.`}`,
      'Vitrine\'s server applies each sale (handler, stock, ledger, shift totals, exactly-once record) inside the push; PouchDB\'s server stores documents.',
      'The bench tablet has no signed-in session, so each sale is applied with an unverified-actor exception [T2]: a little more work than a real till.',
      ...(r.error ? [`drain reported: ${r.error}`] : []),
    ],
  );
}
