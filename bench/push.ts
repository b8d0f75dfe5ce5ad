// push: server push throughput (commands/s) on SQLite and PostgreSQL, 1 device and 20 concurrent
// devices, vs the same number of bare autocommit INSERTs into a scratch table on that backend.
import { sql } from 'kysely';
import { TestTablet, sellable } from '../sync-server/test/helpers/client';
import type { Envelope, PushResponse } from '../src/core/sync/protocol';
import { openFixture, pgStatus, type Fixture } from './server-fixture';
import { fmtRate, printTable, ratio, verdict, type Row } from './lib';
import { prng } from '../src/core/catalog/search/synthetic-catalog';
import type { BackendName } from '../sync-server/test/helpers/stores';

const SKUS = 2_000;
const BATCH = 200;
const ONE_DEVICE_COMMANDS = Number(process.env.BENCH_PUSH_SOLO ?? 3000);
const DEVICES = 20;
const PER_DEVICE = Number(process.env.BENCH_PUSH_PER_DEVICE ?? 100);
const TARGET: Record<BackendName, number> = { sqlite: 2_000, postgres: 1_000 };

function salesFor(t: TestTablet, fx: Fixture, n: number, rnd: () => number): Envelope[] {
  const items = sellable(fx.chain, 1);
  return Array.from({ length: n }, () => {
    const lines = Array.from({ length: 1 + Math.floor(rnd() * 3) }, () => {
      const it = items[Math.floor(rnd() * items.length)]!;
      return { sku: it.stock.sku, qty: 1, unitPrice: it.unitPrice };
    });
    return t.sale(lines);
  });
}

async function pushAll(t: TestTablet, cmds: Envelope[]): Promise<number> {
  let applied = 0;
  for (let i = 0; i < cmds.length; i += BATCH) {
    const r: PushResponse = await t.pushOk(cmds.slice(i, i + BATCH));
    applied += r.results.filter((x) => x.status === 'applied').length;
  }
  return applied;
}

async function bareInserts(fx: Fixture, total: number, concurrency: number): Promise<number> {
  const db = fx.db.store.db;
  const pk = fx.db.backend === 'postgres' ? 'bigserial primary key' : 'integer primary key autoincrement';
  await sql.raw(`create table if not exists bench_scratch (id ${pk}, device text not null, seq integer not null, payload text not null)`).execute(db);
  const payload = JSON.stringify({ sku: 'X', qty: 1, unitPrice: 1990 });
  const per = Math.ceil(total / concurrency);
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async (_, d) => {
      for (let i = 0; i < per; i++) await sql`insert into bench_scratch (device, seq, payload) values (${`d${d}`}, ${i}, ${payload})`.execute(db);
    }),
  );
  return (per * concurrency) / ((performance.now() - t0) / 1000);
}

async function runBackend(backend: BackendName, rows: Row[], notes: string[]): Promise<void> {
  const fx = await openFixture({ backend, skus: SKUS });
  try {
    const rnd = prng(backend === 'sqlite' ? 1 : 2);
    // 1 device
    const solo = await TestTablet.enroll(fx.app, 'Bench solo');
    await pushAll(solo, salesFor(solo, fx, 1, rnd)); // signed in before the measured pushes
    const soloCmds = salesFor(solo, fx, ONE_DEVICE_COMMANDS, rnd);
    // warm-up: one small push (JIT, statement caches)
    const warm = await TestTablet.enroll(fx.app, 'Bench warm');
    await pushAll(warm, salesFor(warm, fx, 20, rnd));
    let t0 = performance.now();
    const appliedSolo = await pushAll(solo, soloCmds);
    const soloRate = appliedSolo / ((performance.now() - t0) / 1000);
    const baseSolo = await bareInserts(fx, ONE_DEVICE_COMMANDS, 1);
    rows.push({ measure: `${backend}: 1 device, ${ONE_DEVICE_COMMANDS} sales in batches of ${BATCH}`, value: fmtRate(soloRate), baseline: fmtRate(baseSolo), ratio: ratio(baseSolo, soloRate) + ' slower', target: `≥ ${fmtRate(TARGET[backend])} ${verdict(soloRate >= TARGET[backend])}` });
    if (appliedSolo !== ONE_DEVICE_COMMANDS) notes.push(`${backend} 1 device: only ${appliedSolo}/${ONE_DEVICE_COMMANDS} applied`);

    // 20 concurrent devices (each one batch of 200)
    const tablets = [];
    for (let i = 0; i < DEVICES; i++) tablets.push(await TestTablet.enroll(fx.app, `Bench ${i + 1}`));
    // Each cashier signed in at the start of the shift, not during the measured pushes: one sale
    // each first (untimed), which also gives every device its sign-in proof (PBKDF2 on the server).
    await Promise.all(tablets.map((t) => pushAll(t, salesFor(t, fx, 1, rnd))));
    const batches = tablets.map((t) => salesFor(t, fx, PER_DEVICE, rnd));
    t0 = performance.now();
    const applied = await Promise.all(tablets.map((t, i) => pushAll(t, batches[i]!)));
    const total = applied.reduce((a, b) => a + b, 0);
    const manyRate = total / ((performance.now() - t0) / 1000);
    const baseMany = await bareInserts(fx, DEVICES * PER_DEVICE, DEVICES);
    rows.push({ measure: `${backend}: ${DEVICES} devices concurrently, ${PER_DEVICE} sales each`, value: fmtRate(manyRate), baseline: fmtRate(baseMany), ratio: ratio(baseMany, manyRate) + ' slower', target: `≥ ${fmtRate(TARGET[backend])} ${verdict(manyRate >= TARGET[backend])}` });
    if (total !== DEVICES * PER_DEVICE) notes.push(`${backend} ${DEVICES} devices: only ${total}/${DEVICES * PER_DEVICE} applied`);
  } finally {
    await fx.close();
  }
}

export async function benchPush(): Promise<void> {
  const rows: Row[] = [];
  const notes: string[] = [
    'value = applied sale.complete commands per second through POST /api/v1/sync/push (app.inject, devices enrolled via POST /api/v1/devices/enroll); each sale has 1–3 lines of random in-stock S01 SKUs.',
    `${DEVICES} devices each push ${PER_DEVICE} sales in one batch at once (all 20 write store:S01, so they serialise on its stream lock); raise with BENCH_PUSH_SOLO / BENCH_PUSH_PER_DEVICE.`,
    'baseline = the same number of bare autocommit INSERTs of one row into a scratch table on the same store (same concurrency); ratio = baseline rate / push rate (how many times slower a command is than a bare insert).',
  ];
  await runBackend('sqlite', rows, notes);
  const pg = pgStatus();
  if (pg.ok) await runBackend('postgres', rows, notes);
  else notes.push(`PostgreSQL skipped: ${pg.reason}`);
  printTable('push — server push throughput', `params: seed 42, ${SKUS} SKUs, 2 stores; batches of ${BATCH}; 1 device × ${ONE_DEVICE_COMMANDS} and ${DEVICES} devices × ${PER_DEVICE}; PostgreSQL pool 10`, rows, notes);
}
