// Seeds the demo chain into an empty database on first start (SEED_SKUS etc. override its size).
import type { FastifyBaseLogger } from 'fastify';
import type { Store } from '../store/store';
import { generateChain, DEFAULT_SEED } from './generate';
import { loadChain, apiKeyHash, DEMO_ENROLLMENT_CODE, DEMO_WEB_API_KEY } from './load';
import { trustConfig } from '../http/trust-config';

export async function ensureDemo(store: Store, now: number, log?: Pick<FastifyBaseLogger, 'info'>): Promise<boolean> {
  if (await store.getMeta('seeded')) return false;
  const env = process.env;
  const t0 = performance.now();
  const chain = generateChain({
    ...DEFAULT_SEED,
    skus: Number(env.SEED_SKUS ?? DEFAULT_SEED.skus),
    customers: Number(env.SEED_CUSTOMERS ?? DEFAULT_SEED.customers),
    now,
  });
  // PINs are hashed at the configured cost [T2]: a sign-in costs what it will cost in a real store.
  await loadChain(store, chain, now, { demo: true, pinIterations: trustConfig(env).pins.iterations });
  log?.info(`Seeded the demo chain: ${chain.variants.length} SKUs, ${chain.locations.length} locations, ${chain.customers.length} customers in ${Math.round(performance.now() - t0)} ms`);
  return true;
}

/**
 * [T4] A production start on a database that once ran the demo: the demo's enrollment code and web
 * key stop working (demo PINs are refused at sign-in, the demo admin credential by the config).
 */
export async function retireDemoSecrets(store: Store): Promise<number> {
  const codes = await store.db.deleteFrom('enrollment_codes').where('code', '=', DEMO_ENROLLMENT_CODE).executeTakeFirst();
  const keys = await store.db.deleteFrom('api_keys').where('key_hash', '=', apiKeyHash(DEMO_WEB_API_KEY)).executeTakeFirst();
  return Number(codes.numDeletedRows) + Number(keys.numDeletedRows);
}
