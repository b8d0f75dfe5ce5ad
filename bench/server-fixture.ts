// A seeded sync server for the benchmarks, on a scratch SQLite file or a scratch PostgreSQL database
// (both via the test helpers, so they are deleted afterwards).
import type { FastifyInstance } from 'fastify';
import { createTestApp } from '../sync-server/test/helpers/client';
import { generateChain, type GeneratedChain } from '../sync-server/src/seed/generate';
import { loadChain } from '../sync-server/src/seed/load';
import { rollUpAvailability } from '../sync-server/src/oms/rollup';
import { openPostgresDb, openSqliteDb, pgAvailable, pgUnavailableReason, SEED_NOW, type BackendName, type TestDb } from '../sync-server/test/helpers/stores';

export interface Fixture {
  db: TestDb;
  app: FastifyInstance;
  chain: GeneratedChain;
  seedMs: number;
  close(): Promise<void>;
}

export interface FixtureOptions {
  backend: BackendName;
  skus: number;
  stores?: number;
  customers?: number;
  seed?: number;
  staticDir?: string;
}

export const pgStatus = () => ({ ok: pgAvailable, reason: pgUnavailableReason });

export async function openFixture(o: FixtureOptions): Promise<Fixture> {
  const db = o.backend === 'sqlite' ? await openSqliteDb() : await openPostgresDb();
  const t0 = performance.now();
  const chain = generateChain({ seed: o.seed ?? 42, skus: o.skus, stores: o.stores ?? 2, customers: o.customers ?? 200, salesPerCustomer: 1, ordersAwaitingPickup: 4, now: SEED_NOW });
  await loadChain(db.store, chain, SEED_NOW, { demo: true });
  await rollUpAvailability(db.store, SEED_NOW);
  const seedMs = performance.now() - t0;
  const app = await createTestApp({ store: db.store, rollupIntervalMs: 0, ...(o.staticDir ? { staticDir: o.staticDir } : {}) });
  await app.ready();
  return {
    db,
    app,
    chain,
    seedMs,
    async close() {
      await app.close();
      await db.destroy();
    },
  };
}
