// BENCH_MINIFY=0 BENCH_SKUS=20000 npx tsx bench/profile-checkout.ts: the checkout bench's strict commits under a
// Chromium CPU profile (.tmp/checkout.cpuprofile, open it in DevTools), with p50/p95 and the slowest
// samples; PROFILE=0 measures without the profiler, N sets the number of checkouts.
import { writeFileSync, mkdirSync } from 'node:fs';
import { browserEnv, closeBrowserEnv } from './browser/harness';
import { ensureBootstrapped } from './bootstrap';
import type { BenchApi } from './browser/entry';

declare const bench: BenchApi;
await ensureBootstrapped();
const env = await browserEnv();
await env.page.reload();
await env.page.waitForFunction(() => 'bench' in globalThis);
const shiftId = await env.page.evaluate(() => bench.openBenchShift());
const cdp = await env.page.context().newCDPSession(env.page);
await cdp.send('Profiler.enable');
await cdp.send('Profiler.setSamplingInterval', { interval: 100 });
const profiling = process.env.PROFILE !== '0';
if (profiling) await cdp.send('Profiler.start');
const r = await env.page.evaluate(([n, id]) => bench.checkoutBench(n, id), [Number(process.env.N ?? 200), shiftId] as const);
if (profiling) {
  const { profile } = await cdp.send('Profiler.stop');
  mkdirSync('.tmp', { recursive: true });
  writeFileSync('.tmp/checkout.cpuprofile', JSON.stringify(profile));
}
const s = [...r.strict].sort((a, b) => a - b);
const top = r.strict.map((v, i) => [v, i] as const).sort((a, b) => b[0] - a[0]).slice(0, 15);
console.log('slowest (ms@index):', top.map(([v, i]) => `${v.toFixed(1)}@${i}`).join(' '));
console.log(`strict p50 ${s[Math.floor(s.length / 2)]} p95 ${s[Math.floor(s.length * 0.95)]} ${r.error ?? ''}`);
await closeBrowserEnv();
process.exit(0);
