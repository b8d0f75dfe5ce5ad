// `npm run seed -- --skus N --stores N --customers N [--seed N] [--dry-run]`: generates a chain and
// loads it into the configured database (DATA_DIR or DATABASE_URL) if that database is empty.
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { generateChain, DEFAULT_SEED } from './generate';
import { loadChain } from './load';
import { openStore } from '../store/open';
import { rollUpAvailability } from '../oms/rollup';

const { values } = parseArgs({
  options: {
    skus: { type: 'string' },
    stores: { type: 'string' },
    customers: { type: 'string' },
    seed: { type: 'string' },
    'dry-run': { type: 'boolean', default: false },
  },
});
const num = (v: string | undefined, d: number, name: string) => {
  if (v === undefined) return d;
  const n = Number(v);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`--${name} must be a positive whole number, got "${v}"`);
  return n;
};

async function main() {
  const now = Date.now();
  const opts = {
    ...DEFAULT_SEED,
    skus: num(values.skus, DEFAULT_SEED.skus, 'skus'),
    stores: num(values.stores, DEFAULT_SEED.stores, 'stores'),
    customers: num(values.customers, DEFAULT_SEED.customers, 'customers'),
    seed: num(values.seed, DEFAULT_SEED.seed, 'seed'),
    now,
  };
  let t = performance.now();
  const chain = generateChain(opts);
  console.log(`generated ${chain.variants.length} SKUs (${chain.products.length} styles), ${chain.locations.length} locations, ${chain.stock.length} stock rows, ${chain.customers.length} customers, ${chain.sales.length} sales in ${Math.round(performance.now() - t)} ms`);
  if (values['dry-run']) return;
  const store = openStore({ DATABASE_URL: process.env.DATABASE_URL, DATA_DIR: process.env.DATA_DIR ?? resolve('data') });
  await store.migrate();
  if (await store.getMeta('seeded')) {
    console.error('This database is already seeded; point DATA_DIR (or DATABASE_URL) at an empty one.');
    await store.close();
    process.exit(2);
  }
  t = performance.now();
  await loadChain(store, chain, now, { demo: true });
  await rollUpAvailability(store, now);
  console.log(`loaded into ${store.dialect} in ${Math.round(performance.now() - t)} ms`);
  await store.close();
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
