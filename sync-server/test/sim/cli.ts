// npm run sim -- --seeds 5000 [--backend sqlite|postgres] [--from N] [--tablets 10] [--steps 100] [--verbose]
// Runs the seeded sync simulation over many seeds; stops at the first failure and exits 1 with its seed.
import 'fake-indexeddb/auto';
import { runSimulation } from './sim';
import { disposeTemplates, type SimBackend } from './backend';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const seeds = Number(arg('seeds') ?? 100);
const from = Number(arg('from') ?? 1);
const backend = (arg('backend') ?? 'sqlite') as SimBackend;
const tablets = Number(arg('tablets') ?? 10);
const steps = Number(arg('steps') ?? 100);
const verbose = process.argv.includes('--verbose');
if (!Number.isInteger(seeds) || seeds < 1 || !Number.isInteger(from) || (backend !== 'sqlite' && backend !== 'postgres')) {
  console.error('usage: npm run sim -- --seeds <n> [--backend sqlite|postgres] [--from <first seed>] [--tablets 10] [--steps 100] [--verbose]');
  process.exit(2);
}

const t0 = Date.now();
let commands = 0;
const faults: Record<string, number> = {};
let failed: { seed: number; error: unknown } | undefined;
let done = 0;
for (let seed = from; seed < from + seeds; seed++) {
  try {
    const r = await runSimulation({ seed, backend, tablets, steps, ...(verbose ? { log: (l: string) => console.log(l) } : {}) });
    commands += r.commands;
    for (const [k, v] of Object.entries(r.faults)) faults[k] = (faults[k] ?? 0) + v;
    done += 1;
    if (verbose || done % 5 === 0 || done === seeds) {
      const s = (Date.now() - t0) / 1000;
      console.log(`[sim] ${done}/${seeds} seeds ok on ${backend} (last ${seed}: ${r.commands} commands, ${r.ms} ms) — ${s.toFixed(1)} s`);
    }
  } catch (error) {
    failed = { seed, error };
    break;
  }
}
await disposeTemplates();
const secs = ((Date.now() - t0) / 1000).toFixed(1);
if (failed) {
  console.error(failed.error instanceof Error ? (failed.error.stack ?? failed.error.message) : String(failed.error));
  console.error(`[sim] FAILED at seed ${failed.seed} on ${backend} after ${done} passing seeds (${secs} s). Replay: npm run sim -- --backend ${backend} --from ${failed.seed} --seeds 1 --verbose`);
  process.exit(1);
}
console.log(`[sim] summary: ${done} seeds (${from}..${from + seeds - 1}) passed on ${backend}, ${commands} commands, ${secs} s; faults ${JSON.stringify(faults)}`);
process.exit(0);
