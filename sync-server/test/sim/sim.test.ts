// [C3][P5] The seeded sync simulation: real tablets (Dexie on fake-indexeddb, dispatch, SyncEngine)
// against the real server on SQLite and PostgreSQL, with dropped requests and responses, duplicated
// and reordered pushes, server restarts, tablet crashes, clock skew and two tabs. A failure names
// its seed: replay it with `npm run sim -- --from <seed> --seeds 1 [--backend postgres]`.
import { afterAll, describe, expect, it } from 'vitest';
import { runSimulation } from './sim';
import { disposeTemplates } from './backend';
import { skipPg, pgUnavailableReason } from '../helpers/stores';

const SQLITE_SEEDS = [1, 2, 3, 7, 42, 1234];
const PG_SEEDS = [5, 11, 2024];
/** Steps of the chaotic phase per CI seed; the CLI runs longer ones over thousands of seeds. */
const STEPS = 80;

afterAll(async () => {
  await disposeTemplates();
});

describe('sync simulation on SQLite', () => {
  for (const seed of SQLITE_SEEDS) {
    it(`[C3][P5] seed ${seed} on sqlite: exactly once, ordered, convergent`, async () => {
      await runSimulation({ seed, backend: 'sqlite', tablets: 10, steps: STEPS });
    }, 90_000);
  }
});

describe.skipIf(skipPg)(`sync simulation on PostgreSQL${skipPg ? ` (skipped: ${pgUnavailableReason})` : ''}`, () => {
  for (const seed of PG_SEEDS) {
    it(`[C3][P5] seed ${seed} on postgres: exactly once, ordered, convergent`, async () => {
      await runSimulation({ seed, backend: 'postgres', tablets: 10, steps: STEPS });
    }, 90_000);
  }
});

// The checker is not vacuous: each sabotage must make a run fail, naming its seed and the invariant.
describe('the simulation checker catches broken runs', () => {
  it.each([
    ['conflict', /^seed 3: .*seq-conflict/s],
    ['tablet-row', /^seed 3: tablet .* (checksum|customers .* differs)/s],
    ['stock', /^seed 3: stock: /],
  ] as const)('[C3][P7] sabotage %s is reported', async (sabotage, expected) => {
    await expect(runSimulation({ seed: 3, backend: 'sqlite', tablets: 4, steps: 30, sabotage })).rejects.toThrow(expected);
  }, 90_000);
});
