// Loyalty on the server, SQLite and PostgreSQL [LO2]: points and store credit are ledgers, and the
// balance a customer row carries is the sum of its entries under any interleaving and any retry.
import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { seededApp } from './helpers/fixture';
import { backends } from './helpers/stores';
import { TestTablet, sellable, CARLOS, MARTA } from './helpers/client';
import { createTestApp as createApp } from './helpers/client';
import type { Store } from '../src/store/store';
import type { CustomerRow, HistoryRow } from '../../src/core/model';
import { runDueJobs } from '../src/jobs/worker';
import { Migrator } from 'kysely';
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { openSqlite } from '../src/store/open';
import { migrations } from '../src/store/migrations';
import { spendLast12Months, tierForSpend, nextTierReview } from '../../src/core/loyalty/tiers';
import { pointsEarned } from '../../src/core/loyalty/points';
import type { Minor } from '../../src/core/shared/brand';
import type { Envelope } from '../../src/core/sync/protocol';

/** Σ entries per account, as the database holds them. */
async function sums(store: Store): Promise<Map<string, number>> {
  const rows = await store.db.selectFrom('ledger').select(['account', 'amount']).execute();
  const out = new Map<string, number>();
  for (const r of rows) out.set(r.account, (out.get(r.account) ?? 0) + Number(r.amount));
  return out;
}

/** Every live customer row's points and credit equal its ledgers' sums. */
async function expectBalancesAreSums(store: Store): Promise<void> {
  const s = await sums(store);
  const rows = await store.db.selectFrom('rows').select('data').where('tbl', '=', 'customers').where('deleted', '=', 0).execute();
  for (const r of rows) {
    const c = JSON.parse(r.data!) as CustomerRow;
    expect({ id: c.id, points: c.points, credit: c.storeCredit }).toEqual({ id: c.id, points: s.get(`points:${c.id}`) ?? 0, credit: s.get(`credit:${c.id}`) ?? 0 });
  }
}

for (const backend of backends) {
  describe.skipIf(backend.skip)(backend.name, () => {
    const fx = seededApp(backend, (store) => createApp({ store, rollupIntervalMs: 0 }));

    it('[LO2] the seed opens every balance, points and store credit, as a ledger entry', async () => {
      await expectBalancesAreSums(fx.db.store);
    });

    it('[LO2] a balance is the sum of its entries under any interleaving of entries, retried ids and aborted transactions', async () => {
      const accounts = ['points:P1', 'points:P2', 'credit:P1'];
      const entry = fc.record({ id: fc.integer({ min: 0, max: 30 }), account: fc.constantFrom(...accounts), amount: fc.integer({ min: -500, max: 500 }) });
      const batch = fc.record({ entries: fc.array(entry, { maxLength: 6 }), abort: fc.boolean() });
      let run = 0;
      await fc.assert(
        fc.asyncProperty(fc.array(batch, { maxLength: 6 }), async (batches) => {
          run += 1;
          const tag = `${backend.name}-${run}`;
          const model = new Map<string, { account: string; amount: number }>();
          for (const b of batches) {
            const es = b.entries.map((e) => ({ id: `${tag}:${e.id}`, account: `${tag}:${e.account}`, amount: e.amount, commandId: tag }));
            // An id already recorded (a retry) fails the whole transaction: nothing of it counts.
            const retried = es.some((e, i) => model.has(e.id) || es.findIndex((x) => x.id === e.id) !== i);
            let seen: Map<string, number> | undefined;
            const done = await fx.db.store
              .transaction(async (tx) => {
                // In two steps, so balances read mid-transaction see what was staged before.
                await tx.addLedger(es.slice(0, 2));
                seen = await tx.balancesWith(es.slice(2), accounts.map((a) => `${tag}:${a}`));
                await tx.addLedger(es.slice(2));
                if (b.abort) throw new Error('abort');
              })
              .then(() => true)
              .catch((e: Error) => {
                if (e.message !== 'abort' && !retried) throw e;
                return false;
              });
            expect(done).toBe(!b.abort && !retried);
            // Mid-transaction, each balance was the recorded sum plus this transaction's entries.
            for (const a of accounts) {
              const recorded = [...model.values()].filter((e) => e.account === `${tag}:${a}`).reduce((n, e) => n + e.amount, 0);
              expect(seen?.get(`${tag}:${a}`)).toBe(recorded + es.filter((e) => e.account === `${tag}:${a}`).reduce((n, e) => n + e.amount, 0));
            }
            if (done) for (const e of es) model.set(e.id, e);
          }
          const stored = await sums(fx.db.store);
          const balances = await fx.db.store.transaction((tx) => tx.balancesOf(accounts.map((a) => `${tag}:${a}`)));
          for (const a of accounts) {
            const expected = [...model.values()].filter((e) => e.account === `${tag}:${a}`).reduce((n, e) => n + e.amount, 0);
            expect(balances.get(`${tag}:${a}`)).toBe(expected);
            expect(stored.get(`${tag}:${a}`) ?? 0).toBe(expected);
          }
        }),
        { numRuns: backend.name === 'sqlite' ? 40 : 15 },
      );
    });

    it('[LO2] earning, redeeming, store credit, merges and retried pushes from two tablets keep every customer balance equal to its ledger', async () => {
      const [a, b] = [await TestTablet.enroll(fx.app, 'Ledger A'), await TestTablet.enroll(fx.app, 'Ledger B')];
      const items = sellable(fx.chain, 1).slice(0, 5);
      const pool = fx.chain.customers.slice(20, 26).map((c) => c.id as string);
      const op = fc.oneof(
        fc.record({ kind: fc.constant('earn' as const), c: fc.nat(5), i: fc.nat(4), tablet: fc.nat(1) }),
        fc.record({ kind: fc.constant('redeem' as const), c: fc.nat(5), i: fc.nat(4), points: fc.integer({ min: 1, max: 3000 }), tablet: fc.nat(1) }),
        fc.record({ kind: fc.constant('credit' as const), c: fc.nat(5), i: fc.nat(4), amount: fc.integer({ min: 1, max: 2000 }), tablet: fc.nat(1) }),
        fc.record({ kind: fc.constant('merge' as const), c: fc.nat(5), d: fc.nat(5), tablet: fc.nat(1) }),
        fc.record({ kind: fc.constant('retry' as const), tablet: fc.nat(1) }),
      );
      await fc.assert(
        fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 8 }), async (ops) => {
          const sent = new Map<TestTablet, Envelope[]>([[a, []], [b, []]]);
          for (const o of ops) {
            const t = o.tablet === 0 ? a : b;
            let cmd: Envelope | undefined;
            if (o.kind === 'merge') {
              if (o.c === o.d) continue;
              cmd = t.command('customer.merge', { survivorId: pool[o.c]!, mergedId: pool[o.d]! }, { actor: MARTA });
            } else if (o.kind === 'retry') {
              // The same commands again (a lost acknowledgement): nothing may count twice.
              const again = sent.get(t)!.slice(-2);
              if (again.length) await t.pushOk(again);
              continue;
            } else {
              const { stock, unitPrice } = items[o.i]!;
              const p = t.salePayload([{ sku: stock.sku, qty: 1, unitPrice }], { customerId: pool[o.c]! });
              const ledger = o.kind === 'redeem' ? Math.min(unitPrice, o.points) : o.kind === 'credit' ? Math.min(unitPrice, o.amount) : 0;
              const tenders = [...(ledger > 0 ? [{ kind: o.kind === 'redeem' ? 'loyalty' : 'store-credit', amount: ledger }] : []), ...(unitPrice - ledger > 0 ? [{ kind: 'cash', amount: unitPrice - ledger }] : [])];
              cmd = t.command('sale.complete', { ...p, tenders }, { actor: CARLOS, v: 2 });
            }
            sent.get(t)!.push(cmd);
            const res = await t.pushOk([cmd]);
            expect(res.results[0]?.status).not.toBe('rejected-fault');
          }
          await expectBalancesAreSums(fx.db.store);
        }),
        { numRuns: backend.name === 'sqlite' ? 12 : 6 },
      );
    }, 120_000);

    it('[LO1] a sale queues the customer\'s daily tier review; the server sets the tier from 12-month spend, and the next sale earns at its multiplier', async () => {
      const saleDay = Date.UTC(2025, 5, 2, 10, 0, 0);
      const clock = { now: () => saleDay };
      const timed = await createApp({ store: fx.db.store, rollupIntervalMs: 0, clock });
      try {
        const t = await TestTablet.enroll(timed, 'Tiers');
        const c = fx.chain.customers[28]!;
        const { stock, unitPrice } = sellable(fx.chain, 1).find((s) => s.unitPrice >= 2000)!;
        const qty = Math.ceil(160_000 / unitPrice);
        const p = t.salePayload([{ sku: stock.sku, qty, unitPrice }], { customerId: c.id });
        await t.pushOk([t.command('sale.complete', p, { actor: CARLOS })]);
        const review = nextTierReview(saleDay);
        const job = await fx.db.store.db.selectFrom('jobs').select(['kind', 'run_at']).where('id', '=', `loyalty.tier-review:${c.id}:${review}`).executeTakeFirst();
        expect(job).toMatchObject({ kind: 'loyalty.tier-review' });
        expect(Number(job!.run_at)).toBe(review);
        // Not before the review: the tablets' earn rate does not change in the middle of a day.
        expect((await runDueJobs(fx.db.store, clock)).done).toBe(0);
        expect((await runDueJobs(fx.db.store, { now: () => review })).done).toBeGreaterThanOrEqual(1);
        const row = (await fx.db.store.getRow('customers', c.id)) as CustomerRow;
        const spend = spendLast12Months((await fx.db.store.getRow('history', c.id)) as HistoryRow, review);
        expect(spend).toBeGreaterThanOrEqual(150_000);
        expect(row.tier).toBe(tierForSpend(spend));
        expect(['gold', 'platinum']).toContain(row.tier);
        // The next sale earns at the reviewed tier's multiplier.
        const next = t.salePayload([{ sku: stock.sku, qty: 1, unitPrice }], { customerId: c.id });
        const res = await t.pushOk([t.command('sale.complete', next, { actor: CARLOS })]);
        expect(res.results[0]?.status).toBe('applied');
        const after = (await fx.db.store.getRow('customers', c.id)) as CustomerRow;
        expect(after.points - row.points).toBe(pointsEarned(unitPrice as Minor, row.tier));
        expect(pointsEarned(unitPrice as Minor, row.tier)).toBeGreaterThan(pointsEarned(unitPrice as Minor, ''));
      } finally {
        await timed.close();
      }
    });

    it('[LO2] a handler that writes a wrong balance into the row is overruled: the pulled row carries Σ entries', async () => {
      const t = await TestTablet.enroll(fx.app, 'Overrule');
      const c = fx.chain.customers[27]!;
      const before = (await fx.db.store.getRow('customers', c.id)) as CustomerRow;
      // customer.update never touches points: the row it writes still says the ledger's sum.
      await fx.db.store.transaction(async (tx) => {
        await tx.lockStreams(['customers']);
        await tx.putRows([{ table: 'customers', key: c.id, stream: 'customers', row: { ...before, points: before.points + 999_999 } }]);
      });
      await t.pushOk([t.command('customer.update', { customerId: c.id, changes: { birthday: '1991-01-01' } }, { actor: CARLOS, v: 2 })]);
      const pulled = (await t.pullAll('customers')).filter((x) => x.table === 'customers' && x.key === c.id).pop();
      const row = (pulled && 'row' in pulled ? pulled.row : undefined) as CustomerRow;
      expect(row.points).toBe((await sums(fx.db.store)).get(`points:${c.id}`) ?? 0);
      expect(row.points).toBe(before.points);
    });
  });
}

describe('[LO2] migration 0007-loyalty', () => {
  it('[LO2] opens an entry for each balance its ledger did not explain, so every balance is the sum of its entries', async () => {
    const file = join(tmpdir(), `vitrine-0007-${randomBytes(4).toString('hex')}.sqlite`);
    const store = openSqlite(file);
    try {
      const all = migrations('sqlite');
      const before = Object.fromEntries(Object.entries(all).filter(([name]) => name < '0007-loyalty'));
      expect((await new Migrator({ db: store.db, provider: { getMigrations: async () => before } }).migrateToLatest()).error).toBeUndefined();
      const row = (id: string, points: number, storeCredit: number) => ({ tbl: 'customers', key: id, stream: 'customers', version: 1, data: JSON.stringify({ id, points, storeCredit }), deleted: 0 });
      await store.db.insertInto('rows').values([row('C1', 120, 500), row('C2', 0, 0), row('C3', 40, 0)]).execute();
      // C1's points were seeded as an entry, its credit was not; C3 has entries that add up already.
      await store.db.insertInto('ledger').values([
        { id: 'seed:points:C1', account: 'points:C1', amount: 120, command_id: 'seed' },
        { id: 'x:earn', account: 'points:C3', amount: 50, command_id: 'x' },
        { id: 'x:redeem', account: 'points:C3', amount: -10, command_id: 'x' },
      ]).execute();
      await store.migrate();
      const entries = await store.db.selectFrom('ledger').select(['id', 'account', 'amount']).orderBy('id').execute();
      expect(entries.filter((e) => e.id.startsWith('opening:'))).toEqual([{ id: 'opening:credit:C1', account: 'credit:C1', amount: 500 }]);
      await expectBalancesAreSums(store);
    } finally {
      await store.close();
      for (const suffix of ['', '-wal', '-shm']) rmSync(file + suffix, { force: true });
    }
  });
});
