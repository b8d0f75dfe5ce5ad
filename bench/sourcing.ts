// sourcing: orders sourced per second on PostgreSQL [OR2][J1][J3]. Ten tablets push 1,000 till orders
// (order.create: pickup at another store, ship to this store, ship home; 1–3 lines each); the jobs
// worker then runs their order.source follow-ups — plan (availability, stock rows), lock the streams,
// re-read, reserve per share, put the order in every store concerned. Measured with one worker and
// with two workers on two pools of one database (FOR UPDATE SKIP LOCKED). Baseline in the same run:
// the same number of order.source jobs whose orders are already sourced (the no-op path), so the
// ratio is what sourcing costs on top of the job machinery (claim, idempotency record, done mark).
import { randomUUID } from 'node:crypto';
import { TestTablet } from '../sync-server/test/helpers/client';
import { runDueJobs } from '../sync-server/src/jobs/worker';
import type { Store } from '../sync-server/src/store/store';
import type { Envelope } from '../src/core/sync/protocol';
import { openFixture, pgStatus, type Fixture } from './server-fixture';
import { fmtRate, printTable, ratio, type Row } from './lib';
import { prng } from '../src/core/catalog/search/synthetic-catalog';

const ORDERS = Number(process.env.BENCH_SOURCING_ORDERS ?? 1000);
const TABLETS = 10;
const BATCH = 100;
const clock = { now: () => Date.now() + 60_000 };

function ordersFor(t: TestTablet, fx: Fixture, n: number, rnd: () => number): Envelope[] {
  const price = new Map(fx.chain.variants.map((v) => [v.sku as string, v.prices.EUR ?? 0]));
  // SKUs some location holds, so most orders source; a few will split or go unsourced.
  const skus = [...new Set(fx.chain.stock.filter((s) => s.onHand - s.reserved > 0 && (price.get(s.sku) ?? 0) > 0).map((s) => s.sku as string))];
  const customers = fx.chain.customers.filter((c) => c.email);
  return Array.from({ length: n }, () => {
    const picked = new Set<string>();
    const count = 1 + Math.floor(rnd() * 3);
    while (picked.size < count) picked.add(skus[Math.floor(rnd() * skus.length)]!);
    const lines = [...picked].map((sku) => ({ sku, qty: 1, unitPrice: price.get(sku)! }));
    const r = rnd();
    const fulfillment = r < 0.6 ? { kind: 'pickup-other', storeId: ['S02', 'S03', 'S04'][Math.floor(rnd() * 3)]! } : r < 0.8 ? { kind: 'ship-store' } : { kind: 'ship-home', address: { street: 'Rua Garrett 12', city: 'Lisboa', postalCode: '1200-203', country: 'PT' } };
    const sale = t.salePayload(lines, { customerId: customers[Math.floor(rnd() * customers.length)]!.id });
    return t.command('order.create', { ...sale, orderId: randomUUID(), fulfillment, seen: [] });
  });
}

/** Runs every due job with `workers` concurrent workers (one store each); answers jobs done per second. */
async function drain(stores: Store[], expect: number): Promise<{ rate: number; done: number }> {
  const t0 = performance.now();
  const runs = await Promise.all(stores.map((s) => runDueJobs(s, clock, { batch: 20 })));
  const done = runs.reduce((n, r) => n + r.done, 0);
  const rate = expect / ((performance.now() - t0) / 1000);
  return { rate, done };
}

async function pushOrders(fx: Fixture, tablets: TestTablet[], per: number, rnd: () => number): Promise<string[]> {
  const ids: string[] = [];
  await Promise.all(
    tablets.map(async (t) => {
      const cmds = ordersFor(t, fx, per, rnd);
      for (let i = 0; i < cmds.length; i += BATCH) {
        const r = await t.pushOk(cmds.slice(i, i + BATCH));
        const bad = r.results.find((x) => x.status !== 'applied');
        if (bad) throw new Error(`order.create not applied: ${JSON.stringify(bad)}`);
      }
      ids.push(...cmds.map((c) => (c.payload as { orderId: string }).orderId));
    }),
  );
  return ids;
}

/** Jobs that re-run order.source on already-sourced orders: the handler's no-op path. */
async function noopJobs(store: Store, ids: readonly string[], tag: string): Promise<void> {
  const at = new Date().toISOString();
  for (let i = 0; i < ids.length; i += 500) {
    await store.db
      .insertInto('jobs')
      .values(ids.slice(i, i + 500).map((id) => ({ id: `order.source:${tag}-${id}`, kind: 'order.source', key: `${tag}-${id}`, payload: JSON.stringify({ orderId: id }), run_at: 0, status: 'pending', attempts: 0, last_error: null, lease_until: null, created_by: 'bench', created_at: at, done_at: null })))
      .execute();
  }
}

export async function benchSourcing(): Promise<void> {
  const rows: Row[] = [];
  const notes: string[] = [];
  const pg = pgStatus();
  if (!pg.ok) {
    notes.push(`PostgreSQL skipped: ${pg.reason}`);
    printTable('sourcing — till orders sourced by the jobs worker', 'PostgreSQL', rows, notes);
    return;
  }
  const fx = await openFixture({ backend: 'postgres', skus: 2_000, stores: 4, customers: 300 });
  const second = await fx.db.another();
  try {
    const rnd = prng(10);
    const tablets = await Promise.all(Array.from({ length: TABLETS }, (_, i) => TestTablet.enroll(fx.app, `Bench orders ${i}`)));
    const per = Math.ceil(ORDERS / TABLETS);
    // Warm-up: a few orders sourced (JIT, statement caches).
    await pushOrders(fx, tablets.slice(0, 1), 10, rnd);
    await drain([fx.db.store], 10);

    const one = await pushOrders(fx, tablets, per, rnd);
    const solo = await drain([fx.db.store], one.length);
    await noopJobs(fx.db.store, one, 'noop1');
    const base1 = await drain([fx.db.store], one.length);
    rows.push({ measure: `1 worker: ${one.length} orders sourced`, value: fmtRate(solo.rate), baseline: fmtRate(base1.rate), ratio: ratio(base1.rate, solo.rate) + ' slower', target: '—' });
    if (solo.done !== one.length) notes.push(`1 worker: ${solo.done}/${one.length} jobs done`);

    const two = await pushOrders(fx, tablets, per, rnd);
    const duo = await drain([fx.db.store, second], two.length);
    await noopJobs(fx.db.store, two, 'noop2');
    const base2 = await drain([fx.db.store, second], two.length);
    rows.push({ measure: `2 workers (two pools, SKIP LOCKED): ${two.length} orders sourced`, value: fmtRate(duo.rate), baseline: fmtRate(base2.rate), ratio: ratio(base2.rate, duo.rate) + ' slower', target: '—' });
    if (duo.done !== two.length) notes.push(`2 workers: ${duo.done}/${two.length} jobs done`);

    const orders = await fx.db.store.db.selectFrom('rows').select(['data']).where('tbl', '=', 'orders').where('stream', 'like', 'store:%').execute();
    const parsed = new Map<string, { status: string; storeOrder?: { allocations?: { locationId: string }[]; unsourced?: unknown[] } }>();
    for (const r of orders) {
      const o = JSON.parse(r.data ?? 'null') as { id: string; status: string; storeOrder?: { allocations?: { locationId: string }[]; unsourced?: unknown[] } } | null;
      if (o?.storeOrder) parsed.set(o.id, o);
    }
    const all = [...parsed.values()];
    const split = all.filter((o) => new Set(o.storeOrder!.allocations?.map((a) => a.locationId)).size > 1).length;
    const unsourced = all.filter((o) => o.storeOrder!.unsourced?.length).length;
    notes.push(`${all.filter((o) => o.status === 'placed').length} of ${all.length} till orders placed after sourcing; ${split} split across locations; ${unsourced} with an unsourced line.`);
  } finally {
    await fx.close();
  }
  notes.push('value = order.source jobs run per second (claim, plan with availability and stock reads, lock the streams, re-read, reserve each share, put the order in every store concerned, mark done); orders of 1–3 lines: 60 % pick up at S02–S04, 20 % ship to this store, 20 % ship home.');
  notes.push('baseline = the same number of order.source jobs on orders already sourced (the no-op path: claim, idempotency record, one read, done mark); ratio = baseline / value.');
  printTable('sourcing — till orders sourced by the jobs worker [OR2]', `params: seed 42, 2,000 SKUs, 4 stores + W01; ${ORDERS} orders per row from ${TABLETS} tablets; worker batch 20; PostgreSQL pool 10 per store`, rows, notes);
}
