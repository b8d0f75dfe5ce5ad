// channel: web orders accepted per second through POST /api/v1/channels/web/orders on PostgreSQL with
// two server instances (two apps, two pools, one database), against the same number of bare INSERTs
// at the same concurrency; and poke-to-queue latency: from the POST's answer to the SSE poke of the
// pickup store's stream on the other instance (what a tablet waits for before it pulls) [W1][P6].
import { sql } from 'kysely';
import { createApp } from '../sync-server/src/http/app';
import { openFixture, pgStatus } from './server-fixture';
import { fmtMs, fmtRate, p50, p95, pool, printTable, ratio, type Row } from './lib';
import type { Store } from '../sync-server/src/store/store';

const ORDERS = Number(process.env.BENCH_CHANNEL_ORDERS ?? 400);
const CONCURRENCY = 16;
const POKES = 40;

export async function benchChannel(): Promise<void> {
  const rows: Row[] = [];
  const notes: string[] = [];
  const pg = pgStatus();
  if (!pg.ok) {
    notes.push(`PostgreSQL skipped: ${pg.reason}`);
    printTable('channel — web orders through the channel API', 'PostgreSQL, two instances', rows, notes);
    return;
  }
  const fx = await openFixture({ backend: 'postgres', skus: 2_000, stores: 4 });
  const second: Store = await fx.db.another();
  const app2 = await createApp({ store: second, rollupIntervalMs: 0 });
  await app2.ready();
  try {
    const apps = [fx.app, app2];
    // SKUs the pickup store has plenty of, so sourcing stays at S01 (the common case).
    const skus = fx.chain.stock.filter((s) => s.locationId === 'S01' && s.onHand - s.reserved >= 1).map((s) => s.sku);
    const price = new Map(fx.chain.variants.map((v) => [v.sku as string, v.prices.EUR ?? 100]));
    const body = (i: number) => {
      const sku = skus[i % skus.length]!;
      const unitPrice = price.get(sku) ?? 100;
      return { externalId: `BENCH-${i}`, customer: { firstName: 'Inês', lastName: 'Barros', email: 'ines@example.com', phone: '+351 912 345 678' }, lines: [{ sku, qty: 1, unitPrice }], currency: 'EUR', payment: { reference: `psp_${i}`, amount: unitPrice }, fulfillment: { kind: 'pickup', storeId: 'S01' } };
    };
    const post = (i: number) => apps[i % 2]!.inject({ method: 'POST', url: '/api/v1/channels/web/orders', headers: { 'x-api-key': 'demo-web-key' }, payload: body(i) });
    await pool([...Array(20).keys()].map((i) => i + 1_000_000), 4, post); // warm-up
    let t0 = performance.now();
    const codes = await pool([...Array(ORDERS).keys()], CONCURRENCY, async (i) => (await post(i)).statusCode);
    const rate = ORDERS / ((performance.now() - t0) / 1000);
    const accepted = codes.filter((c) => c === 201).length;
    if (accepted !== ORDERS) notes.push(`only ${accepted}/${ORDERS} answered 201`);

    const db = fx.db.store.db;
    await sql.raw('create table if not exists bench_scratch (id bigserial primary key, device text not null, seq integer not null, payload text not null)').execute(db);
    t0 = performance.now();
    await pool([...Array(ORDERS).keys()], CONCURRENCY, (i) => sql`insert into bench_scratch (device, seq, payload) values (${'web'}, ${i}, ${JSON.stringify(body(i))})`.execute(db));
    const base = ORDERS / ((performance.now() - t0) / 1000);
    rows.push({ measure: `postgres, 2 instances: ${ORDERS} web orders, ${CONCURRENCY} at a time`, value: fmtRate(rate), baseline: fmtRate(base), ratio: ratio(base, rate) + ' slower', target: '—' });

    // Poke-to-queue: post on instance 1, time until instance 2's store emits the poke for store:S01.
    const lat: number[] = [];
    for (let i = 0; i < POKES; i++) {
      const seen = new Promise<number>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('no poke within 10 s')), 10_000);
        const off = second.onPoke((p) => {
          if (p.stream === 'store:S01') {
            off();
            clearTimeout(timer);
            resolve(performance.now());
          }
        });
      });
      const start = performance.now();
      await fx.app.inject({ method: 'POST', url: '/api/v1/channels/web/orders', headers: { 'x-api-key': 'demo-web-key' }, payload: body(2_000_000 + i) });
      lat.push((await seen) - start);
    }
    rows.push({ measure: `poke-to-queue (POST on instance 1 → poke on instance 2), ${POKES} orders`, value: `p50 ${fmtMs(p50(lat))}, p95 ${fmtMs(p95(lat))}`, baseline: '—', ratio: '—', target: 'p95 < 2 s (then one pull)' });
  } finally {
    await app2.close();
    await fx.close();
  }
  notes.push('value = POSTs answered 201 per second, alternating between two apps on two pools of one PostgreSQL database; each order has one S01 line (sourcing, a reservation, the order row and its idempotency record).');
  notes.push('baseline = the same number of bare INSERTs of the order body into a scratch table at the same concurrency; ratio = baseline / value.');
  printTable('channel — web orders through the channel API', `params: seed 42, 2,000 SKUs, 4 stores; ${ORDERS} orders, concurrency ${CONCURRENCY}; PostgreSQL pool 10 per instance`, rows, notes);
}
