// Points adjustments and expiry on the server, SQLite and PostgreSQL [LO2][J2], and what an erasure
// leaves of the notification outbox [CL6]. Adjustments need a manager's approval of exactly them,
// are bounded and never take a balance below zero; expiry is a scheduled system command that takes
// only unspent points, oldest first, once; an erasure blanks the notices sent to or about the customer.
import { describe, it, expect } from 'vitest';
import { randomUUID } from 'node:crypto';
import { backends } from './helpers/stores';
import { seededApp } from './helpers/fixture';
import { TestTablet, sellable, approvalBy, createTestApp, ANA, CARLOS, MARTA } from './helpers/client';
import { testTrustConfig } from '../src/http/trust-config';
import { runDueJobs } from '../src/jobs/worker';
import { applySystemCommand } from '../src/apply/origins';
import { deliverNotifications, type Notifier } from '../src/oms/notifier';
import type { Store } from '../src/store/store';
import type { CustomerRow, HistoryRow } from '../../src/core/model';
import { adjustSubject } from '../../src/core/loyalty/points-adjust';
import { expiresAt, validUntil } from '../../src/core/loyalty/expiry';
import { Migrator } from 'kysely';
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { openSqlite } from '../src/store/open';
import { migrations } from '../src/store/migrations';

const ADMIN = { authorization: 'Bearer demo-admin-token' };

async function sums(store: Store): Promise<Map<string, number>> {
  const rows = await store.db.selectFrom('ledger').select(['account', 'amount']).execute();
  const out = new Map<string, number>();
  for (const r of rows) out.set(r.account, (out.get(r.account) ?? 0) + Number(r.amount));
  return out;
}

/** Every live customer row's points equal the sum of its ledger, adjustments and expiries included. */
async function expectBalancesAreSums(store: Store): Promise<void> {
  const s = await sums(store);
  const rows = await store.db.selectFrom('rows').select('data').where('tbl', '=', 'customers').where('deleted', '=', 0).execute();
  for (const r of rows) {
    const c = JSON.parse(r.data!) as CustomerRow;
    expect({ id: c.id, points: c.points }).toEqual({ id: c.id, points: s.get(`points:${c.id}`) ?? 0 });
  }
}

const customer = async (store: Store, id: string) => (await store.getRow('customers', id)) as CustomerRow;

for (const backend of backends) {
  describe.skipIf(backend.skip)(backend.name, () => {
    const clock = { now: () => Date.now() };
    const fx = seededApp(backend, (store) => createTestApp({ store, rollupIntervalMs: 0, trust: testTrustConfig(), clock }));

    it('[LO2] a manager-approved adjustment moves points with a reason, once; without an approval of exactly it, above the bound or below zero it is refused in words', async () => {
      const { db, chain, app } = fx;
      const t = await TestTablet.enroll(app, 'Adjust');
      const c = chain.customers.find((x) => x.points >= 100 && x.points <= 5_000)!;
      const adjustmentId = randomUUID();
      const payload = { adjustmentId, customerId: c.id, points: 500, reason: 'service-failure' as const, note: 'Order arrived two weeks late' };
      const approved = await approvalBy(db.store, MARTA, t.id, t.wall, adjustSubject(payload));
      const refused = await t.pushOk([
        // No approval at all: the payload is invalid.
        t.command('loyalty.adjust', payload, { actor: ANA }),
        // An approval of another amount.
        t.command('loyalty.adjust', { ...payload, approval: await approvalBy(db.store, MARTA, t.id, t.wall, adjustSubject({ ...payload, points: 50 })) }, { actor: ANA }),
        // "Approved" by an associate, not a manager: the server's check of the proof refuses it.
        t.command('loyalty.adjust', { ...payload, approval: await approvalBy(db.store, ANA, t.id, t.wall, adjustSubject(payload)) }, { actor: ANA }),
        // A forged proof.
        t.command('loyalty.adjust', { ...payload, approval: { ...approved, mac: approved.mac.replace(/^./, (x) => (x === 'A' ? 'B' : 'A')) } }, { actor: ANA }),
        // Above the bound of 10,000 points.
        t.command('loyalty.adjust', { ...payload, adjustmentId: randomUUID(), points: 10_001 }, { actor: ANA }),
      ]);
      expect(refused.results).toMatchObject([
        { status: 'rejected', error: { code: 'invalid-payload' } },
        { status: 'rejected', error: { code: 'approval-required', message: expect.stringContaining('another adjustment') } },
        { status: 'rejected', error: { code: 'unverified-actor' } },
        { status: 'rejected', error: { code: 'unverified-actor' } },
        { status: 'rejected', error: { code: 'invalid-payload', message: expect.stringContaining('at most 10,000 points') } },
      ]);
      expect((await customer(db.store, c.id)).points).toBe(c.points);

      const ok = t.command('loyalty.adjust', { ...payload, approval: approved }, { actor: ANA });
      expect((await t.pushOk([ok])).results[0]).toMatchObject({ status: 'applied', summary: { customerId: c.id, points: 500, balance: c.points + 500 } });
      // A retry answers from the record; the entry counts once.
      expect((await t.pushOk([ok])).results[0]).toMatchObject({ status: 'duplicate' });
      const entries = await db.store.db.selectFrom('ledger').select(['id', 'amount']).where('account', '=', `points:${c.id}`).where('id', 'like', 'adjust:%').execute();
      expect(entries.map((e) => ({ id: e.id, amount: Number(e.amount) }))).toEqual([{ id: `adjust:${adjustmentId}`, amount: 500 }]);
      const row = await customer(db.store, c.id);
      expect(row.points).toBe(c.points + 500);
      // Every tablet sees who, when and why on the customers stream.
      const last = (await t.pullAll('customers')).filter((x) => x.table === 'history' && x.key === c.id).pop()!;
      const history = ('row' in last ? last.row : undefined) as HistoryRow;
      expect(history.points?.[0]).toMatchObject({ id: `adjust:${adjustmentId}`, kind: 'adjust', points: 500, by: ANA, byName: 'Ana', approvedBy: MARTA, approvedByName: 'Marta', reason: 'service-failure', note: 'Order arrived two weeks late' });

      // Taking more than the balance is refused with the figures, and nothing moves.
      const take = { adjustmentId: randomUUID(), customerId: c.id, points: -(row.points + 1), reason: 'correction' as const };
      const below = await t.pushOk([t.command('loyalty.adjust', { ...take, approval: await approvalBy(db.store, MARTA, t.id, t.wall, adjustSubject(take)) }, { actor: ANA })]);
      expect(below.results[0]).toMatchObject({ status: 'rejected', error: { code: 'points-below-zero', message: `Taking ${row.points + 1} points would leave the customer's balance below zero: it is ${row.points} points. Take at most ${row.points}.` } });
      // Taking all of it is allowed.
      const all = { ...take, adjustmentId: randomUUID(), points: -row.points };
      expect((await t.pushOk([t.command('loyalty.adjust', { ...all, approval: await approvalBy(db.store, MARTA, t.id, t.wall, adjustSubject(all)) }, { actor: MARTA })])).results[0]).toMatchObject({ status: 'applied', summary: { balance: 0 } });
      expect((await customer(db.store, c.id)).points).toBe(0);
      await expectBalancesAreSums(db.store);
    });

    it('[LO2][J2] the expiry job takes only points past their last valid day that were not spent, oldest first, once; the row says what expires next; run-now works', async () => {
      const { db, chain, app } = fx;
      const t = await TestTablet.enroll(app, 'Expiry');
      // The seed's points were earned at its date (June 2025): valid through 30 June 2026, so due now.
      const [keeper, spender] = chain.customers.filter((x) => x.points >= 400 && x.points <= 5_000).slice(2, 4) as [CustomerRow, CustomerRow];
      const seedDay = (await customer(db.store, keeper.id)).pointsExpiring!.on;
      expect(seedDay).toBe('2026-06-30');
      expect(expiresAt(seedDay)).toBeLessThanOrEqual(Date.now());
      // The spender redeems 300 of her old points before the schedule runs, and buys (new points).
      const { stock, unitPrice } = sellable(chain, 1)[0]!;
      const qty = Math.ceil(1_000 / unitPrice) + 1;
      const sale = t.command('sale.complete', { ...t.salePayload([{ sku: stock.sku, qty, unitPrice }], { customerId: spender.id }), tenders: [{ kind: 'loyalty', amount: 300 }, { kind: 'cash', amount: qty * unitPrice - 300 }] }, { actor: CARLOS, v: 2 });
      expect((await t.pushOk([sale])).results[0]).toMatchObject({ status: 'applied' });
      const earned = (await customer(db.store, spender.id)).points - (spender.points - 300);
      expect(earned).toBeGreaterThan(0);
      // Her row names the next expiry: still the old lot, less what she spent.
      expect((await customer(db.store, spender.id)).pointsExpiring).toEqual({ points: spender.points - 300, on: seedDay });
      const jobId = `loyalty.expire:${spender.id}:${seedDay}`;
      expect(await db.store.db.selectFrom('jobs').select(['status', 'run_at']).where('id', '=', jobId).executeTakeFirst()).toMatchObject({ status: 'pending' });

      const run = await runDueJobs(db.store, clock);
      expect(run.done).toBeGreaterThanOrEqual(2);
      const [k, s] = [await customer(db.store, keeper.id), await customer(db.store, spender.id)];
      expect(k.points).toBe(0);
      expect(k.pointsExpiring).toBeUndefined();
      // Spent points were not expired: what is left is what she earned today, valid for 12 months.
      expect(s.points).toBe(earned);
      expect(s.pointsExpiring).toEqual({ points: earned, on: validUntil(Date.now()) });
      const expire = await db.store.db.selectFrom('ledger').select(['id', 'amount']).where('account', '=', `points:${spender.id}`).where('id', 'like', 'expire:%').execute();
      expect(expire.map((e) => ({ id: e.id, amount: Number(e.amount) }))).toEqual([{ id: `expire:${spender.id}:${seedDay}`, amount: -(spender.points - 300) }]);
      const history = (await db.store.getRow('history', spender.id)) as HistoryRow;
      expect(history.points?.[0]).toMatchObject({ kind: 'expire', points: -(spender.points - 300), validUntil: seedDay });

      // Twice: the schedule has nothing left, and the same expiry run again by hand expires nothing more.
      expect((await runDueJobs(db.store, clock)).done).toBe(0);
      const again = await applySystemCommand(db.store, `again:${spender.id}`, { type: 'loyalty.expire', payload: { customerId: spender.id, day: seedDay } }, clock);
      expect(again.result).toMatchObject({ status: 'applied', summary: { expired: 0 } });
      expect((await customer(db.store, spender.id)).points).toBe(earned);

      // [J2] The next expiry is queued; the admin's run-now (test and demo servers) expires it early.
      const next = `loyalty.expire:${spender.id}:${s.pointsExpiring!.on}`;
      const now = await app.inject({ method: 'POST', url: `/api/v1/admin/jobs/${encodeURIComponent(next)}/run-now`, headers: ADMIN });
      expect(now.statusCode).toBe(200);
      expect(now.json()).toMatchObject({ id: next, status: 'done' });
      expect((await customer(db.store, spender.id)).points).toBe(0);
      await expectBalancesAreSums(db.store);
    });

    it('[CL4][CL6][J1] the per-customer jobs (expiry, tier review) run on the survivor of a merge, and answer gone for an erased profile', async () => {
      const { db, chain, app } = fx;
      const t = await TestTablet.enroll(app, 'Jobs');
      const [survivor, merged] = chain.customers.filter((x) => x.points >= 400 && x.points <= 5_000).slice(6, 8) as [CustomerRow, CustomerRow];
      // The seed's lots end on this day (the expiry test above has run them already: what matters here is whose).
      const day = '2026-06-30';
      expect((await t.pushOk([t.command('customer.merge', { survivorId: survivor.id, mergedId: merged.id }, { actor: MARTA })])).results[0]).toMatchObject({ status: 'applied' });

      const expire = await applySystemCommand(db.store, `merged-expire:${merged.id}`, { type: 'loyalty.expire', payload: { customerId: merged.id, day } }, clock);
      expect(expire.result).toMatchObject({ status: 'applied', summary: { customerId: survivor.id } });
      const review = await applySystemCommand(db.store, `merged-review:${merged.id}`, { type: 'loyalty.tier-review', payload: { customerId: merged.id } }, clock);
      expect(review.result).toMatchObject({ status: 'applied', summary: { customerId: survivor.id } });
      await expectBalancesAreSums(db.store);

      expect((await app.inject({ method: 'POST', url: `/api/v1/admin/customers/${survivor.id}/erase`, headers: ADMIN })).statusCode).toBe(200);
      await runDueJobs(db.store, clock);
      for (const [key, type, payload] of [['gone-expire', 'loyalty.expire', { customerId: merged.id, day }], ['gone-review', 'loyalty.tier-review', { customerId: survivor.id }]] as const) {
        const r = await applySystemCommand(db.store, `${key}:${survivor.id}`, { type, payload }, clock);
        expect(r.result).toMatchObject({ status: 'applied', summary: { gone: true } });
      }
    });

    it('[CL6] an erasure blanks the recipient and body of notices sent to the customer or about their purchases, keeps the rows, and a queued one is never sent', async () => {
      const { db, chain, app } = fx;
      const t = await TestTablet.enroll(app, 'Outbox');
      const target = chain.customers.find((x) => x.email && x.phone && !chain.orders.some((o) => o.customerId === x.id))!;
      const { stock, unitPrice } = sellable(chain, 1)[0]!;
      // Her sale, receipt e-mailed to another address; an anonymous sale's receipt to her address; a stranger's.
      const hers = t.command('sale.complete', { ...t.salePayload([{ sku: stock.sku, qty: 1, unitPrice }], { customerId: target.id }) }, { actor: CARLOS, v: 2 });
      const anon = t.command('sale.complete', { ...t.salePayload([{ sku: stock.sku, qty: 1, unitPrice }]) }, { actor: CARLOS, v: 2 });
      const saleId = (e: { payload: unknown }) => (e.payload as { saleId: string }).saleId;
      await t.pushOk([
        hers,
        anon,
        t.command('receipt.email', { saleId: saleId(hers), storeId: 'S01', email: 'work.address@example.com' }),
        t.command('receipt.email', { saleId: saleId(anon), storeId: 'S01', email: target.email.toUpperCase() }),
        t.command('receipt.email', { saleId: saleId(anon), storeId: 'S01', email: 'stranger@example.com' }),
      ]);
      // An order notice of another customer's order (stays), and one for an order of hers by phone.
      const at = new Date().toISOString();
      await db.store.db.insertInto('notifications').values([
        { kind: 'ready-for-pickup', recipient: 'other.customer@example.com', payload: JSON.stringify({ orderId: 'O-OTHER', customerName: 'Someone Else' }), created_at: at, sent_at: null },
        { kind: 'ready-for-pickup', recipient: target.phone, payload: JSON.stringify({ orderId: 'O-HERS', customerName: `${target.firstName} ${target.lastName}` }), created_at: at, sent_at: at },
      ]).execute();
      const before = await db.store.db.selectFrom('notifications').select((eb) => eb.fn.countAll<number | string>().as('n')).executeTakeFirstOrThrow();

      expect((await app.inject({ method: 'POST', url: `/api/v1/admin/customers/${target.id}/erase`, headers: ADMIN })).statusCode).toBe(200);
      await runDueJobs(db.store, clock);

      const after = await db.store.db.selectFrom('notifications').select((eb) => eb.fn.countAll<number | string>().as('n')).executeTakeFirstOrThrow();
      expect(Number(after.n)).toBe(Number(before.n));
      const list = (await app.inject({ method: 'GET', url: '/api/v1/admin/notifications', headers: ADMIN })).json<{ notifications: { recipient: string; payload: Record<string, unknown>; redacted_at: string | null; kind: string }[] }>().notifications;
      const text = JSON.stringify(list);
      for (const word of [target.email, target.email.toUpperCase(), target.phone, 'work.address@example.com', target.lastName, saleId(hers)]) expect(text).not.toContain(word);
      const redacted = list.filter((n) => n.redacted_at);
      expect(redacted.map((n) => n.kind).sort()).toEqual(['ready-for-pickup', 'receipt', 'receipt']);
      for (const n of redacted) expect(n).toMatchObject({ recipient: '', payload: { redacted: true } });
      expect(text).toContain('stranger@example.com');
      expect(text).toContain('other.customer@example.com');

      // Delivery sends what is left, never a redacted notice.
      const sent: string[] = [];
      const notifier: Notifier = { send: async (n) => void sent.push(n.recipient) };
      while ((await deliverNotifications(db.store, notifier, Date.now())) > 0);
      expect(sent).not.toContain('');
      expect(sent).toContain('stranger@example.com');
    });
  });
}

describe('[LO2] migration 0009-points-expiry-outbox-redaction', () => {
  it('[LO2][J2] dates older entries at the migration, and gives each customer holding points the next expiry on their row and the job that expires it', async () => {
    const file = join(tmpdir(), `vitrine-0009-${randomBytes(4).toString('hex')}.sqlite`);
    const store = openSqlite(file);
    try {
      const all = migrations('sqlite');
      const before = Object.fromEntries(Object.entries(all).filter(([name]) => name < '0009'));
      expect((await new Migrator({ db: store.db, provider: { getMigrations: async () => before } }).migrateToLatest()).error).toBeUndefined();
      const row = (id: string, points: number) => ({ tbl: 'customers', key: id, stream: 'customers', version: 1, data: JSON.stringify({ id, points, storeCredit: 0 }), deleted: 0 });
      await store.db.insertInto('stream_versions').values({ stream: 'customers', version: 2 }).execute();
      await store.db.insertInto('rows').values([row('C1', 120), row('C2', 0)]).execute();
      await store.db.insertInto('ledger').values([
        { id: 'seed:points:C1', account: 'points:C1', amount: 150, command_id: 'seed' },
        { id: 'x:redeem', account: 'points:C1', amount: -30, command_id: 'x' },
      ]).execute();
      const t0 = Date.now();
      await store.migrate();
      const entries = await store.db.selectFrom('ledger').select(['id', 'at']).execute();
      for (const e of entries) expect(Number(e.at)).toBeGreaterThanOrEqual(t0);
      const on = validUntil(t0);
      const c1 = JSON.parse((await store.db.selectFrom('rows').select('data').where('key', '=', 'C1').executeTakeFirstOrThrow()).data!) as CustomerRow;
      expect(c1.pointsExpiring).toEqual({ points: 120, on });
      const jobs = await store.db.selectFrom('jobs').select(['id', 'run_at', 'status']).execute();
      expect(jobs.map((j) => ({ ...j, run_at: Number(j.run_at) }))).toEqual([{ id: `loyalty.expire:C1:${on}`, run_at: expiresAt(on), status: 'pending' }]);
      // The row's new version reaches the tablets at their next pull.
      expect(Number((await store.db.selectFrom('stream_versions').select('version').where('stream', '=', 'customers').executeTakeFirstOrThrow()).version)).toBe(3);
    } finally {
      await store.close();
      for (const suffix of ['', '-wal', '-shm']) rmSync(file + suffix, { force: true });
    }
  });
});
