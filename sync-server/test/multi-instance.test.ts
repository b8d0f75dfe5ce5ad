// Several server instances on one PostgreSQL database [P2]/[P6]/[O1]: two Stores (two pools), each behind
// its own app. Devices of one store push concurrently through both; stock, the command log and the
// stream versions must come out exactly as if the pushes had run one by one.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { openPostgresDb, seedSmall, skipPg, type TestDb } from './helpers/stores';
import { TestTablet, sellable } from './helpers/client';
import { createApp } from '../src/http/app';
import { rollUpAvailability } from '../src/oms/rollup';
import { applyChannelCommand } from '../src/apply/origins';
import type { Store } from '../src/store/store';
import type { GeneratedChain } from '../src/seed/generate';
import { stockKey, type AvailabilityRow, type StockRow } from '../../src/core/model';
import type { Poke, PushResponse } from '../../src/core/sync/protocol';

const DEVICES = 4;
const SALES_PER_DEVICE = 50;
const BATCH = 10;

describe.skipIf(skipPg)('postgres: two server instances on one database', () => {
  let db: TestDb;
  let storeA: Store;
  let storeB: Store;
  let appA: FastifyInstance;
  let appB: FastifyInstance;
  let chain: GeneratedChain;

  beforeAll(async () => {
    db = await openPostgresDb();
    storeA = db.store;
    storeB = await db.another();
    chain = await seedSmall(storeA);
    appA = await createApp({ store: storeA, rollupIntervalMs: 0 });
    appB = await createApp({ store: storeB, rollupIntervalMs: 0 });
  });
  afterAll(async () => {
    await appA?.close();
    await appB?.close();
    await db?.destroy();
  });

  it('[P2] 4 devices × 50 sales of one SKU through both instances at once: stock, movements, commands and versions are exact', async () => {
    const { stock: s, unitPrice } = sellable(chain, 1)[0]!;
    const key = stockKey('S01', s.sku);
    const initial = ((await storeA.getRow('stock', key)) as StockRow).onHand;
    const seedMovements = (await storeA.db.selectFrom('movements').select('id').where('location_id', '=', 'S01').where('sku', '=', s.sku).execute()).length;
    const v0 = await storeA.streamVersion('store:S01');
    const apps = [appA, appB];

    // Devices enroll alternately through A and B; tokens work on either instance. One after the
    // other: concurrent enrollments can get the same device code (see push.test.ts, [A1]), and
    // then their receipt numbers would collide.
    const tablets: TestTablet[] = [];
    for (let i = 0; i < DEVICES; i++) tablets.push(await TestTablet.enroll(apps[i % 2]!, `Till ${i + 1}`));
    expect(new Set(tablets.map((t) => t.enrollment.deviceCode)).size).toBe(DEVICES);

    // Roll-ups run on both instances while the sales come in, as their timers would.
    let selling = true;
    const rollups = [storeA, storeB].map(async (st, i) => {
      let runs = 0;
      while (selling) {
        await rollUpAvailability(st, Date.now());
        runs++;
        await new Promise((r) => setTimeout(r, 15 + 10 * i));
      }
      return runs;
    });

    const results = await Promise.all(
      tablets.map(async (t, i) => {
        const out: PushResponse['results'] = [];
        for (let j = 0; j < SALES_PER_DEVICE / BATCH; j++) {
          const cmds = Array.from({ length: BATCH }, () => t.sale([{ sku: s.sku, qty: 1, unitPrice }]));
          // A load balancer: consecutive pushes of one device land on alternating instances.
          const app = apps[(i + j) % 2]!;
          const r = await app.inject({ method: 'POST', url: '/api/v1/sync/push', headers: t.auth, payload: { deviceId: t.id, commands: cmds } });
          expect(r.statusCode, r.body).toBe(200);
          out.push(...r.json<PushResponse>().results);
        }
        return out;
      }),
    );
    selling = false;
    const runs = await Promise.all(rollups);
    expect(runs.every((n) => n > 0)).toBe(true);

    const total = DEVICES * SALES_PER_DEVICE;
    expect(results.flat().map((r) => r.status)).toEqual(Array<string>(total).fill('applied'));
    const oversold = results.flat().filter((r) => r.status === 'applied' && r.exceptions.some((e) => e.kind === 'oversold')).length;
    // Lost updates would show here: exactly the sales past the shelf's count are oversold.
    expect(oversold).toBe(Math.max(0, total - Math.max(0, initial)));

    const after = (await storeB.getRow('stock', key)) as StockRow;
    expect(after.onHand).toBe(initial - total);
    const moves = await storeA.db.selectFrom('movements').select(['id', 'qty']).where('location_id', '=', 'S01').where('sku', '=', s.sku).execute();
    expect(moves).toHaveLength(total + seedMovements);
    expect(moves.reduce((sum, m) => sum + Number(m.qty), 0)).toBe(after.onHand);

    const cmds = await storeA.db
      .selectFrom('commands')
      .select(['device_id', 'seq', 'status'])
      .where('device_id', 'in', tablets.map((t) => t.id))
      .orderBy('device_id')
      .orderBy('seq')
      .execute();
    expect(cmds).toHaveLength(total);
    for (const t of tablets) {
      const mine = cmds.filter((c) => c.device_id === t.id);
      expect(mine.map((c) => Number(c.seq))).toEqual(Array.from({ length: SALES_PER_DEVICE }, (_, k) => k + 1));
      expect(mine.every((c) => c.status === 'applied')).toBe(true);
    }
    const devices = await storeA.db.selectFrom('devices').select(['id', 'last_seq']).where('id', 'in', tablets.map((t) => t.id)).execute();
    expect(devices.map((d) => Number(d.last_seq))).toEqual(Array<number>(DEVICES).fill(SALES_PER_DEVICE));

    const sales = await storeA.db.selectFrom('rows').select('data').where('tbl', '=', 'sales').where('stream', '=', 'store:S01').where('version', '>', v0).execute();
    const receipts = sales.map((r) => (JSON.parse(r.data!) as { receiptNo: string }).receiptNo);
    expect(receipts).toHaveLength(total);
    expect(new Set(receipts).size).toBe(total);

    // [P2] Versions of the store stream are unique and gapless up to the counter.
    const versions = (await storeA.db.selectFrom('rows').select('version').where('stream', '=', 'store:S01').execute()).map((r) => Number(r.version));
    expect(new Set(versions).size).toBe(versions.length);
    const top = await storeB.streamVersion('store:S01');
    expect(Math.max(...versions)).toBe(top);
    // Each sale wrote its sale row and the stock row (+ an exception when oversold): the counter moved by exactly that.
    expect(top - v0).toBe(total * 2 + oversold);

    // The roll-ups, racing the pushes on both instances, still end on the true figure.
    await rollUpAvailability(storeB, Date.now());
    expect(await storeA.db.selectFrom('dirty_skus').selectAll().execute()).toHaveLength(0);
    const avail = (await storeA.getRow('availability', s.sku)) as AvailabilityRow;
    expect(avail.by.S01).toBe(after.onHand - after.reserved);
  });

  // BUG (store.ts, Store.pull): see store-contract.test.ts — on the last page the cursor becomes
  // max(last row's version, streamVersion()) read in a later statement, so every write committing in
  // between is skipped for good. Under this load a polling reader misses a large share of the rows
  // (hundreds of the ~450 in a typical run); with the cursor = last row's version it misses none.
  it('[P2] a reader on instance B polling while devices push through A misses no row', async () => {
    const { stock: s, unitPrice } = sellable(chain, 1)[2]!;
    const tablets: TestTablet[] = [];
    for (let i = 0; i < 4; i++) tablets.push(await TestTablet.enroll(appA, `Load ${i + 1}`));
    const seen = new Map<string, number>();
    let cursor = 0;
    let writing = true;
    const page = async () => {
      const p = await storeB.pull('store:S01', cursor, 50);
      for (const c of p.changes) seen.set(`${c.table}|${c.key}`, c.version);
      cursor = p.version;
      return p;
    };
    const reader = (async () => {
      while (writing) await page();
    })();
    await Promise.all(
      tablets.map(async (t) => {
        for (let j = 0; j < 10; j++) await t.pushOk(Array.from({ length: 5 }, () => t.sale([{ sku: s.sku, qty: 1, unitPrice }])));
      }),
    );
    writing = false;
    await reader;
    while ((await page()).more);
    const truth = await storeA.pull('store:S01', 0, 5000);
    const missed = truth.changes.filter((c) => seen.get(`${c.table}|${c.key}`) !== c.version).map((c) => `${c.table}|${c.key}@${c.version}`);
    expect(missed).toEqual([]);
  });

  it('[P6] a poke emitted by a push on instance A reaches a listener of instance B within 2 s', async () => {
    const { stock: s, unitPrice } = sellable(chain, 1)[1]!;
    const t = await TestTablet.enroll(appA, 'Poke source');
    const before = await storeA.streamVersion('store:S01');
    let resolve!: (p: Poke) => void;
    const received = new Promise<Poke>((r) => (resolve = r));
    const off = storeB.onPoke((p) => {
      if (p.stream === 'store:S01' && p.version > before) resolve(p);
    });
    try {
      const started = Date.now();
      const r = await appA.inject({ method: 'POST', url: '/api/v1/sync/push', headers: t.auth, payload: { deviceId: t.id, commands: [t.sale([{ sku: s.sku, qty: 1, unitPrice }])] } });
      expect(r.statusCode).toBe(200);
      const timeout = new Promise<never>((_, reject) => setTimeout(() => reject(new Error('no poke reached instance B within 2 s')), 2000));
      const poke = await Promise.race([received, timeout]);
      expect(Date.now() - started).toBeLessThan(2000);
      expect(poke).toEqual({ stream: 'store:S01', version: await storeA.streamVersion('store:S01') });
    } finally {
      off();
    }
  });

  it('[O1] one channel request delivered to both instances at once is applied once; the other answers the stored result', async () => {
    const c = chain.customers[2]!.id;
    for (let round = 0; round < 5; round++) {
      const cmd = { type: 'customer.update', payload: { customerId: c, changes: { lastName: `Round ${round}` } } };
      const clock = { now: () => Date.now() };
      const [a, b] = await Promise.all([applyChannelCommand(storeA, 'web', `race-${round}`, cmd, clock), applyChannelCommand(storeB, 'web', `race-${round}`, cmd, clock)]);
      expect([a.status, b.status].sort()).toEqual(['applied', 'duplicate']);
      expect(b.commandId).toBe(a.commandId);
      expect(b.result).toEqual(a.result);
    }
    const recorded = await storeA.db.selectFrom('commands').select('device_id').where('device_id', 'like', 'channel:web:race-%').execute();
    expect(recorded).toHaveLength(5);
  });
});
