// The simulation knows the right answer: each sabotage (a bug put into a temporary copy of the code,
// or one the simulation applies to itself) must make `npm run sim` fail within a few seeds, with one
// of the simulation's own verdicts. Then the clean code must pass the seeds that caught them, so
// every catch is the sabotage's doing. Runs two simulations at a time (one per core).
import { rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { SABOTAGES, caught, runSimCli, sabotagedCopy, type Sabotage } from './sabotage';

/** Seeds each sabotage may take to be caught (the run stops at the first failing seed). A sabotage whose
 * fault must strike at a precise moment (a crash between two transactions) needs more than a few, and
 * a seed is not an exact replay (async interleavings vary with the host's timing): the same sabotage
 * was caught at seed 4 in one run and survived 20 in another; the cursor one took 36 seeds, the cancel one 45 (decision 81). */
const SEEDS = 100;
/** Smaller runs than the CLI's default: each seed costs less, and every sabotage is still caught early. */
const RUN = ['--tablets', '8', '--steps', '80'];
const ROOT = resolve(import.meta.dirname, '../../..');
const verdicts = new Map<string, { verdict?: string; seed?: number; output: string; error?: string }>();

async function attempt(s: Sabotage): Promise<void> {
  let dir: string | undefined;
  try {
    dir = s.patches ? sabotagedCopy(s.patches) : ROOT;
    const run = await runSimCli(dir, ['--seeds', String(SEEDS), ...RUN, ...(s.simFlag ? ['--sabotage', s.simFlag] : [])], 600_000);
    const verdict = caught(run);
    const seed = Number(/\[sim\] FAILED at seed (\d+)/.exec(run.output)?.[1]);
    verdicts.set(s.name, { ...(verdict ? { verdict, seed } : {}), output: run.output.slice(-1500) });
  } catch (e) {
    verdicts.set(s.name, { output: '', error: e instanceof Error ? e.message : String(e) });
  } finally {
    if (dir && dir !== ROOT) rmSync(dir, { recursive: true, force: true });
  }
}

beforeAll(async () => {
  const queue = [...SABOTAGES];
  await Promise.all(
    [0, 1].map(async () => {
      for (let s = queue.shift(); s; s = queue.shift()) await attempt(s);
    }),
  );
}, 1_500_000);

describe('the simulation catches every sabotage', () => {
  for (const s of SABOTAGES) {
    it(`[${s.rule}] ${s.name}: ${s.what}`, () => {
      const v = verdicts.get(s.name)!;
      expect(v.error, v.error).toBeUndefined();
      expect(v.verdict, `sabotage "${s.name}" survived ${SEEDS} seeds; last output:\n${v.output}`).toBeDefined();
    });
  }

  it('[C3][P5] the clean code passes every seed that caught a sabotage', async () => {
    const seeds = [...new Set([...verdicts.values()].flatMap((v) => (v.seed ? [v.seed] : [])))].sort((a, b) => a - b);
    expect(seeds.length).toBeGreaterThan(0);
    for (const seed of seeds) {
      const run = await runSimCli(ROOT, ['--seed', String(seed), ...RUN], 300_000);
      expect(run.code, `seed ${seed}: ${run.output.slice(-1500)}`).toBe(0);
    }
  }, 900_000);
});
