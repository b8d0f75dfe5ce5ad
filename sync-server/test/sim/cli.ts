// npm run sim -- --seeds 5000 [--jobs 2] [--backend sqlite|postgres] [--from N] [--tablets 10] [--steps 100] [--verbose]
// npm run sim -- --seed N [--verbose]   (one seed: the same as --from N --seeds 1)
// Runs the seeded sync simulation over many seeds; stops at the first failure and exits 1 with its seed.
// --jobs N splits the seeds into N contiguous ranges, one child process each (one per core).
import 'fake-indexeddb/auto';
import { spawn } from 'node:child_process';
import { runSimulation, type SimOptions } from './sim';
import { disposeTemplates, type SimBackend } from './backend';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const one = arg('seed');
const seeds = one !== undefined ? 1 : Number(arg('seeds') ?? 100);
const from = Number(one ?? arg('from') ?? 1);
const backend = (arg('backend') ?? 'sqlite') as SimBackend;
const tablets = Number(arg('tablets') ?? 10);
const steps = Number(arg('steps') ?? 100);
const verbose = process.argv.includes('--verbose');
/** A sabotage the simulation applies to itself (checker self-test); code sabotages are in sabotage.ts. */
const sabotage = arg('sabotage') as SimOptions['sabotage'];
const jobs = Number(arg('jobs') ?? 1);
if (!Number.isInteger(jobs) || jobs < 1 || !Number.isInteger(seeds) || seeds < 1 || !Number.isInteger(from) || (backend !== 'sqlite' && backend !== 'postgres')) {
  console.error('usage: npm run sim -- --seeds <n> [--jobs <processes>] [--backend sqlite|postgres] [--from <first seed>] [--tablets 10] [--steps 100] [--verbose], or --seed <n> for one seed');
  process.exit(2);
}

if (jobs > 1) process.exit(await runJobs());

/** Splits the seeds over `jobs` child processes (this same script) and waits for all of them. */
async function runJobs(): Promise<number> {
  const t = Date.now();
  const per = Math.ceil(seeds / jobs);
  const codes = await Promise.all(
    Array.from({ length: jobs }, (_, j) => {
      const first = from + j * per;
      const count = Math.min(per, from + seeds - first);
      if (count <= 0) return Promise.resolve(0);
      const args = [...process.argv.slice(1).filter((a, i, all) => !['--jobs', '--from', '--seeds'].includes(a) && !['--jobs', '--from', '--seeds'].includes(all[i - 1] ?? '')), '--from', String(first), '--seeds', String(count)];
      const child = spawn(process.execPath, [...process.execArgv, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
      const prefix = (chunk: Buffer) => chunk.toString().replace(/^(?=.)/gm, `[job ${j + 1}] `);
      child.stdout.on('data', (c: Buffer) => process.stdout.write(prefix(c)));
      child.stderr.on('data', (c: Buffer) => process.stderr.write(prefix(c)));
      return new Promise<number>((done) => child.on('exit', (code) => done(code ?? 1)));
    }),
  );
  const failed = codes.filter((c) => c !== 0).length;
  console.log(`[sim] ${jobs} jobs over seeds ${from}..${from + seeds - 1} on ${backend}: ${failed ? `${failed} FAILED (see above)` : 'all passed'} in ${((Date.now() - t) / 1000).toFixed(1)} s`);
  return failed ? 1 : 0;
}

const t0 = Date.now();
let commands = 0;
const faults: Record<string, number> = {};
let failed: { seed: number; error: unknown } | undefined;
let done = 0;
const summary = (what: string) =>
  `[sim] summary: ${done} seeds (${from}..${from + done - 1}) ${what} on ${backend}, ${commands} commands, ${((Date.now() - t0) / 1000).toFixed(1)} s; faults ${JSON.stringify(Object.fromEntries(Object.entries(faults).sort(([a], [b]) => a.localeCompare(b))))}`;
// A bounded long run (`timeout … npm run sim`) still reports what it got through, and its faults.
process.on('SIGTERM', () => {
  console.log(summary('passed before the run was stopped'));
  process.exit(failed ? 1 : 0);
});
for (let seed = from; seed < from + seeds; seed++) {
  try {
    const r = await runSimulation({ seed, backend, tablets, steps, ...(sabotage ? { sabotage } : {}), ...(verbose ? { log: (l: string) => console.log(l) } : {}) });
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
  // The faults the passing seeds went through, so runs that go on after a failure can add them up.
  console.log(summary('passed before the failing seed'));
  console.error(`[sim] FAILED at seed ${failed.seed} on ${backend} after ${done} passing seeds (${secs} s). Replay: npm run sim -- --backend ${backend} --from ${failed.seed} --seeds 1 --verbose`);
  process.exit(1);
}
console.log(summary('passed'));
process.exit(0);
