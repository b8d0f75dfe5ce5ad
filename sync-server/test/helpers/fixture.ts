// One seeded server per backend for a describe block: a fresh migrated store with the small demo
// chain and an app on it, opened before the block's tests and closed after them.
import { beforeAll, afterAll } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { Store } from '../../src/store/store';
import type { GeneratedChain } from '../../src/seed/generate';
import { seedSmall, type Backend, type TestDb } from './stores';
import { createTestApp } from './client';

export interface Seeded {
  db: TestDb;
  chain: GeneratedChain;
  app: FastifyInstance;
}

/** Registers the block's beforeAll/afterAll; the returned object is filled once beforeAll has run. */
export function seededApp(backend: Backend, make: (store: Store) => Promise<FastifyInstance> = (store) => createTestApp({ store, rollupIntervalMs: 0 })): Seeded {
  const fx = {} as Seeded;
  beforeAll(async () => {
    fx.db = await backend.open();
    fx.chain = await seedSmall(fx.db.store);
    fx.app = await make(fx.db.store);
  });
  afterAll(async () => {
    await fx.app?.close();
    await fx.db?.destroy();
  });
  return fx;
}
