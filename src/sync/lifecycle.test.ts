// Device lifecycle against the real server: a tablet restored from a backup [D5], re-enrolled with
// unsent commands [D6], with a slow clock [D8], and a paid sale the server refuses [SE3].
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { liveServer, liveTablet, linkTo, type LiveServer, type TabletLink } from '../../sync-server/test/helpers/live-tablet';
import { sellable, CARLOS, ANA, MARTA } from '../../sync-server/test/helpers/client';
import { dispatch, type DispatchEnv } from '@/db/dispatch';
import { saleComplete, type SaleCompletePayload } from '@/core/sales/sale-complete';
import { customerUpdate } from '@/core/customers/customer-update';
import { customerMerge } from '@/core/customers/customer-merge';
import { getDevice, saveEnrollment } from '@/db/device';
import { exportUnsent } from '@/db/sync-store';
import { VitrineDb } from '@/db/schema';
import { SyncEngine } from './engine';
import type { Allocators } from '@/db/dispatch';
import type { FetchLike } from './transport';
import type { PushResponse } from '@/core/sync/protocol';
import type { CustomerRow, SaleRow } from '@/core/model';

let server: LiveServer;
let item: { sku: string; unitPrice: number };

beforeAll(async () => {
  server = await liveServer();
  const s = sellable(server.chain, 1)[0]!;
  item = { sku: s.stock.sku, unitPrice: s.unitPrice };
});
afterAll(async () => server?.close());

const sale = (a: Allocators): SaleCompletePayload => ({
  saleId: a.newId(),
  storeId: 'S01',
  receiptNo: a.receiptNo(),
  currency: 'EUR',
  lines: [{ sku: item.sku, qty: 1, unitPrice: item.unitPrice }],
  tenders: [{ kind: 'cash', amount: item.unitPrice }],
});

const env = (now: () => number): DispatchEnv => ({ now, random: (k) => crypto.getRandomValues(new Uint8Array(k)) });

/** Every row of every table, as a backup of the tablet's storage would hold it. */
async function backup(db: VitrineDb): Promise<Map<string, unknown[]>> {
  return new Map(await Promise.all(db.tables.map(async (t) => [t.name, await t.toArray()] as [string, unknown[]])));
}

async function restore(name: string, saved: Map<string, unknown[]>): Promise<VitrineDb> {
  const db = new VitrineDb(name);
  await db.open();
  await db.transaction('rw', db.tables, async () => {
    for (const t of db.tables) {
      await t.clear();
      await t.bulkAdd(saved.get(t.name) ?? []);
    }
  });
  return db;
}

const serverSales = async (deviceId: string) =>
  (await server.db.store.db.selectFrom('rows').select('data').where('tbl', '=', 'sales').where('deleted', '=', 0).execute())
    .map((row) => JSON.parse(row.data!) as SaleRow)
    .filter((s) => s.deviceId === deviceId);

describe('[D5] restore from a backup', () => {
  it('[D5] a restored tablet drops what the server has, renumbers the rest, never reuses a receipt number, and never wedges', async () => {
    const now = () => server.clock.now;
    const t = await liveTablet(server);
    await t.engine.syncNow(); // bootstrap
    await dispatch(t.db, CARLOS, saleComplete, sale, env(now));
    await t.engine.syncNow();
    // The backup is taken while sale 2 is still in the outbox.
    await dispatch(t.db, CARLOS, saleComplete, sale, env(now));
    const saved = await backup(t.db);
    await t.engine.syncNow();
    await dispatch(t.db, CARLOS, saleComplete, sale, env(now));
    await dispatch(t.db, CARLOS, saleComplete, sale, env(now));
    await t.engine.syncNow();
    expect((await serverSales(t.enrollment.deviceId)).map((s) => s.receiptNo).sort()).toEqual(['S01-T01-000001', 'S01-T01-000002', 'S01-T01-000003', 'S01-T01-000004'].map((n) => n.replace('T01', t.enrollment.deviceCode)));

    // The tablet is wiped and restored from the backup (seq 2, receipt 2), then sells before any sync.
    t.db.close();
    const db = await restore(`${t.db.name}-restored`, saved);
    const after = await dispatch(db, CARLOS, saleComplete, sale, env(now));
    expect(after.command.seq).toBe(3); // what the backup knew: the server already has a #3
    const engine = new SyncEngine(db, { fetch: linkTo(server), now, checksumEveryMs: 3_600_000 });
    await engine.syncNow();

    const code = t.enrollment.deviceCode;
    expect(engine.status.getState()).toMatchObject({ lastError: null, alarm: null });
    expect(await db.outbox.count()).toBe(0);
    const receipts = (await serverSales(t.enrollment.deviceId)).map((s) => s.receiptNo).sort();
    expect(receipts).toEqual([1, 2, 3, 4, 5].map((n) => `S01-${code}-00000${n}`)); // five sales, five numbers
    // The sale made after the restore took the next free number, and the tablet says which.
    expect(await db.sales.get(after.command.payload.saleId)).toMatchObject({ receiptNo: `S01-${code}-000005` });
    expect(await db.alerts.toArray()).toEqual([expect.objectContaining({ kind: 'renumbered', receiptNo: { printed: `S01-${code}-000003`, now: `S01-${code}-000005` } })]);
    expect(await getDevice(db)).toMatchObject({ lastSeq: 5, lastReceipt: 5 });
    // Pulls kept going: the tablet has the server's rows for all five sales.
    expect(await db.sales.where('receiptNo').startsWith(`S01-${code}-`).count()).toBe(5);
    const next = await dispatch(db, CARLOS, saleComplete, sale, env(now));
    expect(next.command).toMatchObject({ seq: 6, payload: { receiptNo: `S01-${code}-000006` } });
    await engine.syncNow();
    expect(engine.status.getState().lastError).toBeNull();
    db.close();
  });

  it('[D5] a restored tablet whose device check is cut off does not push until the check gets through: no seq-conflict, nobody alerted', async () => {
    const now = () => server.clock.now;
    const t = await liveTablet(server);
    await t.engine.syncNow();
    const saved = await backup(t.db);
    await dispatch(t.db, CARLOS, saleComplete, sale, env(now));
    await t.engine.syncNow(); // the server has seq 1; the backup does not
    t.db.close();
    const db = await restore(`${t.db.name}-restored`, saved);
    const after = await dispatch(db, CARLOS, saleComplete, sale, env(now));
    expect(after.command.seq).toBe(1); // reused: only the device check can tell
    let cut = true;
    const link: TabletLink = { offline: false, sent: [], drop: (r) => cut && r.endsWith('/sync/device') };
    const pushes = () => link.sent.filter((r) => r.endsWith('/sync/push')).length;
    const engine = new SyncEngine(db, { fetch: linkTo(server, link), now, checksumEveryMs: 3_600_000 });
    await engine.syncNow();
    expect(pushes()).toBe(0);
    expect(await db.outbox.count()).toBe(1);
    cut = false;
    await engine.syncNow();
    expect(pushes()).toBe(1);
    expect(await db.outbox.count()).toBe(0);
    expect(engine.status.getState()).toMatchObject({ lastError: null, alarm: null });
    const alarms = await server.db.store.db.selectFrom('rows').select('key').where('tbl', '=', 'exceptions').where('key', 'like', `seq-conflict:${t.enrollment.deviceId}:%`).execute();
    expect(alarms).toEqual([]);
    expect((await serverSales(t.enrollment.deviceId)).map((s) => s.receiptNo).sort()).toEqual([1, 2].map((n) => `S01-${t.enrollment.deviceCode}-00000${n}`));
    db.close();
  });

  it('[D5] a device check the server answers with a fault does not hold sales back: they are pushed, and the server\'s seq check still guards them', async () => {
    const now = () => server.clock.now;
    const t = await liveTablet(server);
    await t.engine.syncNow();
    const link: TabletLink = { offline: false, sent: [], fault: (r) => r.endsWith('/sync/device') };
    const engine = new SyncEngine(t.db, { fetch: linkTo(server, link), now, checksumEveryMs: 3_600_000 });
    const d = await dispatch(t.db, CARLOS, saleComplete, sale, env(now));
    await engine.syncNow();
    expect(link.sent.filter((r) => r.endsWith('/sync/push'))).toHaveLength(1);
    expect(await t.db.outbox.count()).toBe(0);
    expect((await serverSales(t.enrollment.deviceId)).map((s) => s.receiptNo)).toEqual([d.command.payload.receiptNo]);
  });

  it('[D5] once it has met the server, a restored tablet\'s export imports cleanly: its seqs follow the server\'s', async () => {
    const now = () => server.clock.now;
    const t = await liveTablet(server);
    await t.engine.syncNow();
    const saved = await backup(t.db);
    await dispatch(t.db, CARLOS, saleComplete, sale, env(now));
    await dispatch(t.db, CARLOS, saleComplete, sale, env(now));
    await t.engine.syncNow();
    t.db.close();
    const db = await restore(`${t.db.name}-restored`, saved);
    const made = await dispatch(db, CARLOS, saleComplete, sale, env(now));
    // Pushes are lost on the way (a broken proxy), everything else gets through: pulls go on [D10].
    const link = { offline: false, sent: [] as string[], drop: (r: string) => r === 'POST /api/v1/sync/push' };
    const engine = new SyncEngine(db, { fetch: linkTo(server, link), now, checksumEveryMs: 3_600_000 });
    await engine.syncNow();
    expect(link.sent).toContain('GET /api/v1/sync/pull');
    const file = await exportUnsent(db);
    expect(file.commands).toEqual([expect.objectContaining({ id: made.command.id, seq: 3 })]);
    const imported = await server.app.inject({ method: 'POST', url: '/api/v1/sync/import', headers: { authorization: `Bearer ${t.enrollment.deviceToken}` }, payload: file });
    expect(imported.statusCode).toBe(200);
    expect(imported.json<PushResponse>().results).toEqual([expect.objectContaining({ status: 'applied', seq: 3 })]);
    expect((await serverSales(t.enrollment.deviceId)).map((s) => s.receiptNo).sort()).toEqual([1, 2, 3].map((n) => `S01-${t.enrollment.deviceCode}-00000${n}`));
    db.close();
  });

  it('[D5][C4] a pending command the server already answered is not dropped unseen: its rejection reaches Needs attention after a restart', async () => {
    const now = () => server.clock.now;
    const t = await liveTablet(server);
    await t.engine.syncNow();
    // Ana may not sell [A4]: the server rejects her sale; Carlos's is applied; a note of Ana's is rejected too.
    const refused = await dispatch(t.db, ANA, saleComplete, sale, env(now));
    const sold = await dispatch(t.db, CARLOS, saleComplete, sale, env(now));
    // The push reaches the server, which records both; its answer is lost on the way back.
    const lose: FetchLike = async (input, init) => {
      const res = await linkTo(server)(input, init);
      if (String(input).includes('/sync/push')) throw new TypeError('fetch failed (response lost)');
      return res;
    };
    const first = new SyncEngine(t.db, { fetch: lose, now, checksumEveryMs: 3_600_000 });
    await first.syncNow();
    expect(await t.db.outbox.count()).toBe(2);
    expect(await t.db.alerts.count()).toBe(0);
    // The app restarts: at start the engine asks the server what it holds of this device.
    const engine = new SyncEngine(t.db, { fetch: linkTo(server), now, checksumEveryMs: 3_600_000 });
    await engine.syncNow();
    expect(engine.status.getState()).toMatchObject({ lastError: null, alarm: null });
    expect(await t.db.outbox.count()).toBe(0);
    expect(await t.db.alerts.toArray()).toEqual([expect.objectContaining({ kind: 'rejected', id: refused.command.id, error: expect.objectContaining({ code: 'forbidden' }) })]);
    // [SE3] The refused sale still happened: its receipt stays; the applied one came back from the server.
    expect(await t.db.sales.get(refused.command.payload.saleId)).toMatchObject({ receiptNo: refused.command.payload.receiptNo });
    expect(await t.db.sales.get(sold.command.payload.saleId)).toMatchObject({ _v: expect.any(Number) });
    expect(await getDevice(t.db)).toMatchObject({ lastSeq: 2, lastReceipt: 2 });
    expect((await serverSales(t.enrollment.deviceId)).map((s) => s.receiptNo)).toEqual([sold.command.payload.receiptNo]);
  });

  it('[D5][C4] a restored tablet lists again the rejections of commands it made after its backup (the wipe took their alerts)', async () => {
    const now = () => server.clock.now;
    const t = await liveTablet(server);
    await t.engine.syncNow();
    const saved = await backup(t.db);
    const refused = await dispatch(t.db, ANA, saleComplete, sale, env(now));
    await dispatch(t.db, CARLOS, saleComplete, sale, env(now));
    await t.engine.syncNow();
    expect(await t.db.alerts.count()).toBe(1);
    t.db.close();
    const db = await restore(`${t.db.name}-restored`, saved);
    const engine = new SyncEngine(db, { fetch: linkTo(server), now, checksumEveryMs: 3_600_000 });
    await engine.syncNow();
    expect(engine.status.getState()).toMatchObject({ lastError: null, alarm: null });
    // Only the server's record is left: the type and the reason, not what was sold.
    expect(await db.alerts.toArray()).toEqual([expect.objectContaining({ kind: 'rejected', id: refused.command.id, command: expect.objectContaining({ type: 'sale.complete', seq: 1, payload: null }), error: expect.objectContaining({ code: 'forbidden' }) })]);
    expect(await getDevice(db)).toMatchObject({ lastSeq: 2 });
    db.close();
  });

  it('[D5][C4] against a server that does not say its answers, held commands are pushed again at the server\'s seq and answered duplicate', async () => {
    const now = () => server.clock.now;
    const t = await liveTablet(server);
    await t.engine.syncNow();
    await dispatch(t.db, CARLOS, saleComplete, sale, env(now)); // #1, acknowledged
    await t.engine.syncNow();
    const refused = await dispatch(t.db, ANA, saleComplete, sale, env(now)); // #2
    const sold = await dispatch(t.db, CARLOS, saleComplete, sale, env(now)); // #3
    const saved = await backup(t.db);
    await t.engine.syncNow();
    t.db.close();
    const db = await restore(`${t.db.name}-restored`, saved);
    const later = await dispatch(db, CARLOS, saleComplete, sale, env(now)); // #4
    // An older server: its /sync/device answer names the commands it holds, not its answers to them.
    const pushed: number[] = [];
    const older: FetchLike = async (input, init) => {
      const url = String(input);
      if (url.includes('/sync/push')) pushed.push(...(JSON.parse(String(init?.body)) as { commands: { seq: number }[] }).commands.map((c) => c.seq));
      const res = await linkTo(server)(input, init);
      if (!url.includes('/sync/device')) return res;
      const body = (await res.json()) as { commands: { seq: number; id: string }[] };
      return new Response(JSON.stringify({ ...body, commands: body.commands.map(({ seq, id }) => ({ seq, id })) }), { status: res.status, headers: res.headers });
    };
    const engine = new SyncEngine(db, { fetch: older, now, checksumEveryMs: 3_600_000 });
    await engine.syncNow();
    expect(engine.status.getState()).toMatchObject({ lastError: null, alarm: null });
    expect(pushed.sort()).toEqual([2, 3, 4]);
    expect(await db.outbox.count()).toBe(0);
    expect(await db.alerts.toArray()).toEqual([expect.objectContaining({ kind: 'rejected', id: refused.command.id })]);
    for (const c of [sold, later]) expect(await db.sales.get(c.command.payload.saleId)).toMatchObject({ _v: expect.any(Number) });
    expect(await getDevice(db)).toMatchObject({ lastSeq: 4 });
    db.close();
  });

  it('[D5][C4] a restored tablet learns the answers to the commands its backup still held as pending', async () => {
    const now = () => server.clock.now;
    const t = await liveTablet(server);
    await t.engine.syncNow();
    const refused = await dispatch(t.db, ANA, saleComplete, sale, env(now));
    const sold = await dispatch(t.db, CARLOS, saleComplete, sale, env(now));
    const saved = await backup(t.db);
    await t.engine.syncNow();
    expect(await t.db.alerts.count()).toBe(1);
    await dispatch(t.db, CARLOS, saleComplete, sale, env(now));
    await t.engine.syncNow();
    t.db.close();
    // The backup still has both first commands pending, and no alert.
    const db = await restore(`${t.db.name}-restored`, saved);
    const engine = new SyncEngine(db, { fetch: linkTo(server), now, checksumEveryMs: 3_600_000 });
    await engine.syncNow();
    expect(engine.status.getState()).toMatchObject({ lastError: null, alarm: null });
    expect(await db.outbox.count()).toBe(0);
    expect(await db.alerts.toArray()).toEqual([expect.objectContaining({ kind: 'rejected', id: refused.command.id })]);
    expect(await db.sales.get(sold.command.payload.saleId)).toMatchObject({ _v: expect.any(Number) });
    expect(await getDevice(db)).toMatchObject({ lastSeq: 3 });
    const next = await dispatch(db, CARLOS, saleComplete, sale, env(now));
    // Receipt 1 was the refused sale's: never given out again.
    expect(next.command).toMatchObject({ seq: 4, payload: { receiptNo: `S01-${t.enrollment.deviceCode}-000004` } });
    db.close();
  });
});

describe('[D6] re-enrollment with unsent commands', () => {
  it('[D6] keeps the old identity\'s commands apart, pushes them with its token, and the new identity starts at seq 1', async () => {
    const now = () => server.clock.now;
    const t = await liveTablet(server);
    await t.engine.syncNow();
    t.link.offline = true;
    await dispatch(t.db, CARLOS, saleComplete, sale, env(now));
    await dispatch(t.db, CARLOS, saleComplete, sale, env(now));
    await t.engine.syncNow();
    const fresh = await server.enroll();
    await saveEnrollment(t.db, fresh, now());
    const made = await dispatch(t.db, CARLOS, saleComplete, sale, env(now)); // no ConstraintError
    expect(made.command).toMatchObject({ seq: 1, deviceId: fresh.deviceId });
    t.link.offline = false;
    await t.engine.syncNow();
    expect(t.engine.status.getState().lastError).toBeNull();
    expect(await t.db.alerts.toArray()).toEqual([]);
    expect(await serverSales(t.enrollment.deviceId)).toHaveLength(2);
    expect(await serverSales(fresh.deviceId)).toHaveLength(1);
    expect(await t.db.held.count()).toBe(0);
    expect(await t.db.outbox.count()).toBe(0);
  });

  it('[D6] the old identity\'s commands reach the server before the new one\'s: while the held push fails, the outbox waits (sim seed 1765)', async () => {
    const now = () => server.clock.now;
    const t = await liveTablet(server);
    await t.engine.syncNow();
    t.link.offline = true;
    await dispatch(t.db, CARLOS, saleComplete, sale, env(now));
    const fresh = await server.enroll();
    await saveEnrollment(t.db, fresh, now());
    await dispatch(t.db, CARLOS, saleComplete, sale, env(now));
    // The next cycle's first push (the held one, made first) is lost on the way.
    let lose = 1;
    const link: TabletLink = { offline: false, sent: [], drop: (r) => r.endsWith('/sync/push') && lose-- > 0 };
    const engine = new SyncEngine(t.db, { fetch: linkTo(server, link), now, checksumEveryMs: 3_600_000 });
    await engine.syncNow();
    expect(await serverSales(fresh.deviceId)).toHaveLength(0);
    expect(await serverSales(t.enrollment.deviceId)).toHaveLength(0);
    expect(await t.db.outbox.count()).toBe(1);
    await engine.syncNow();
    expect(await serverSales(t.enrollment.deviceId)).toHaveLength(1);
    expect(await serverSales(fresh.deviceId)).toHaveLength(1);
    expect(await t.db.held.count()).toBe(0);
    expect(await t.db.outbox.count()).toBe(0);
    expect(engine.status.getState().lastError).toBeNull();
  });

  it('[D6][D3] an export that also holds the earlier enrollment\'s commands is not imported out of order: the tablet\'s token is refused, an administrator imports it whole, earlier identity first (sim seed 1765)', async () => {
    const now = () => server.clock.now;
    const t = await liveTablet(server);
    await t.engine.syncNow();
    t.link.offline = true;
    const old = await dispatch(t.db, CARLOS, saleComplete, sale, env(now));
    const fresh = await server.enroll();
    await saveEnrollment(t.db, fresh, now());
    const made = await dispatch(t.db, CARLOS, saleComplete, sale, env(now));
    const file = await exportUnsent(t.db);
    expect(file.previous).toEqual([expect.objectContaining({ deviceId: t.enrollment.deviceId, commands: [expect.objectContaining({ id: old.command.id })] })]);
    const mine = await server.app.inject({ method: 'POST', url: '/api/v1/sync/import', headers: { authorization: `Bearer ${fresh.deviceToken}` }, payload: file });
    expect(mine.statusCode).toBe(409);
    expect(mine.json()).toMatchObject({ error: { code: 'previous-first', message: expect.stringContaining('administrator') } });
    expect(await serverSales(fresh.deviceId)).toHaveLength(0);
    const whole = await server.app.inject({ method: 'POST', url: '/api/v1/admin/import', headers: { authorization: 'Bearer demo-admin-token' }, payload: file });
    expect(whole.statusCode).toBe(200);
    expect(whole.json()).toMatchObject({ results: [expect.objectContaining({ id: made.command.id, status: 'applied' })], previous: [{ deviceId: t.enrollment.deviceId, results: [expect.objectContaining({ id: old.command.id, status: 'applied' })] }] });
    const applied = await server.db.store.db.selectFrom('commands').select(['id', 'received_at']).where('id', 'in', [old.command.id, made.command.id]).execute();
    expect(applied).toHaveLength(2);
    // Once the server has the earlier enrollment's commands, the tablet's own token imports the rest.
    const again = await server.app.inject({ method: 'POST', url: '/api/v1/sync/import', headers: { authorization: `Bearer ${fresh.deviceToken}` }, payload: file });
    expect(again.statusCode).toBe(200);
    expect(again.json()).toMatchObject({ results: [expect.objectContaining({ id: made.command.id, status: 'duplicate' })] });
  });

  it('[D6] a revoked old identity\'s commands are exported under that identity, and the new one syncs', async () => {
    const now = () => server.clock.now;
    const t = await liveTablet(server);
    await t.engine.syncNow();
    t.link.offline = true;
    const old = await dispatch(t.db, CARLOS, saleComplete, sale, env(now));
    await server.db.store.db.updateTable('devices').set({ revoked: 1 }).where('id', '=', t.enrollment.deviceId).execute();
    const fresh = await server.enroll();
    await saveEnrollment(t.db, fresh, now());
    await dispatch(t.db, CARLOS, saleComplete, sale, env(now));
    t.link.offline = false;
    await t.engine.syncNow();
    expect(await serverSales(fresh.deviceId)).toHaveLength(1);
    expect(await t.db.alerts.toArray()).toEqual([expect.objectContaining({ kind: 'export-needed', id: `export-needed:${old.command.id}` })]);
    const file = await exportUnsent(t.db);
    expect(file).toMatchObject({ deviceId: fresh.deviceId, commands: [], previous: [{ deviceId: t.enrollment.deviceId, commands: [expect.objectContaining({ id: old.command.id, seq: 1 })] }] });
  });
});

describe('[D8] clocks', () => {
  it('[D8] a tablet 5 minutes slow that pulled another tablet\'s edit wins with its own later edit', async () => {
    const fast = () => server.clock.now;
    const slow = () => server.clock.now - 5 * 60_000;
    const a = await liveTablet(server, { now: fast });
    const b = await liveTablet(server, { now: slow });
    await a.engine.syncNow();
    await b.engine.syncNow();
    const customer = server.chain.customers[0]!.id;
    await dispatch(a.db, MARTA, customerUpdate, { customerId: customer, changes: { phone: '+351 910 000 001' } }, env(fast));
    await a.engine.syncNow();
    server.clock.now += 1000;
    await b.engine.syncNow();
    expect((await b.db.customers.get(customer))?.phone).toBe('+351 910 000 001');
    server.clock.now += 1000;
    await dispatch(b.db, MARTA, customerUpdate, { customerId: customer, changes: { phone: '+351 910 000 002' } }, env(slow));
    expect((await b.db.customers.get(customer))?.phone).toBe('+351 910 000 002');
    await b.engine.syncNow();
    const row = await server.db.store.db.selectFrom('rows').select('data').where('tbl', '=', 'customers').where('key', '=', customer).executeTakeFirstOrThrow();
    expect((JSON.parse(row.data!) as CustomerRow).phone).toBe('+351 910 000 002');
    expect((await b.db.customers.get(customer))?.phone).toBe('+351 910 000 002');
  });

  it('[D8] ages are measured in server time: the offset comes from answers\' Date headers', async () => {
    const local = () => server.clock.now - 7 * 60_000;
    const t = await liveTablet(server, { now: local });
    await t.engine.syncNow();
    expect(Math.abs(t.engine.status.getState().serverOffsetMs - 7 * 60_000)).toBeLessThanOrEqual(1000);
    expect(Math.abs((t.engine.status.getState().lastSyncAt ?? 0) - server.clock.now)).toBeLessThanOrEqual(1000);
  });
});

describe('[SE3] a paid sale never disappears', () => {
  it('[SE3] a sale the server rejects stays on the tablet with its receipt, and Needs attention says why', async () => {
    const now = () => server.clock.now;
    const t = await liveTablet(server);
    await t.engine.syncNow();
    // Ana is an associate, not a cashier: the server refuses her sale [A4], but she took the money.
    const made = await dispatch(t.db, ANA, saleComplete, sale, env(now));
    await t.engine.syncNow();
    expect(await t.db.outbox.count()).toBe(0);
    expect(await t.db.sales.get(made.command.payload.saleId)).toMatchObject({ receiptNo: made.command.payload.receiptNo, total: item.unitPrice });
    const [alert] = await t.db.alerts.toArray();
    expect(alert).toMatchObject({ kind: 'rejected', id: made.command.id, error: { code: 'forbidden' } });
    // A resync (checksum repair) does not take it away either.
    await t.engine.syncNow();
    expect(await t.db.sales.get(made.command.payload.saleId)).toBeDefined();
  });
});

describe('[P5] an exception only the tablet raised', () => {
  it('[P5][C5] an "oversold" the tablet raised for a sale the server applied without it leaves with the acknowledgement', async () => {
    const now = () => server.clock.now;
    const other = sellable(server.chain, 1)[1]!;
    const t = await liveTablet(server);
    await t.engine.syncNow();
    const onHand = (await t.db.stock.get(`S01|${other.stock.sku}`))!.onHand;
    const buy = (qty: number) => (a: Allocators): SaleCompletePayload => ({ ...sale(a), lines: [{ sku: other.stock.sku, qty, unitPrice: other.unitPrice }], tenders: [{ kind: 'cash', amount: qty * other.unitPrice }] });
    // Ana may not sell [A4]: her sale of the whole shelf is refused by the server, but here it
    // empties the shelf, so Carlos's sale after it raises "oversold" on the tablet. The server, which
    // never applied Ana's, has the item and applies Carlos's without raising anything.
    await dispatch(t.db, ANA, saleComplete, buy(onHand), env(now));
    const carlos = await dispatch(t.db, CARLOS, saleComplete, buy(1), env(now));
    const raised = (await t.db.exceptions.toArray()).filter((e) => e.commandId === carlos.command.id && e.kind === 'oversold');
    expect(raised).toHaveLength(1);
    await t.engine.syncNow();
    expect(t.engine.status.getState().lastError).toBeNull();
    expect(await t.db.outbox.count()).toBe(0);
    const server1 = await server.db.store.db.selectFrom('rows').select('key').where('tbl', '=', 'exceptions').where('key', '=', raised[0]!.id).executeTakeFirst();
    expect(server1).toBeUndefined();
    expect(await t.db.exceptions.get(raised[0]!.id)).toBeUndefined();
    expect(await t.db.stock.get(`S01|${other.stock.sku}`)).toMatchObject({ onHand: onHand - 1 });
  });
});

describe('[M2] rows a command deletes', () => {
  it('[M2][CL4] a merged-away customer leaves the tablet when the merge is dispatched, and comes back if the server refuses the merge', async () => {
    const now = () => server.clock.now;
    const t = await liveTablet(server);
    await t.engine.syncNow();
    const [a, b, c] = server.chain.customers.slice(5, 8).map((x) => x.id);
    // Ana may not merge [RO3]: the server refuses it, and the tablet shows the profile again.
    await dispatch(t.db, ANA, customerMerge, { survivorId: a!, mergedId: b! }, env(now));
    expect(await t.db.customers.get(b!)).toBeUndefined();
    await t.engine.syncNow();
    expect(await t.db.alerts.toArray()).toEqual([expect.objectContaining({ kind: 'rejected', error: expect.objectContaining({ code: 'forbidden' }) })]);
    expect(await t.db.customers.get(b!)).toMatchObject({ id: b, _v: expect.any(Number) });
    // Marta merges c into a: c leaves at once, and stays gone once the server's tombstone arrives.
    await dispatch(t.db, MARTA, customerMerge, { survivorId: a!, mergedId: c! }, env(now));
    expect(await t.db.customers.get(c!)).toBeUndefined();
    expect((await t.db.customers.get(a!))?.mergedFrom).toContain(c);
    await t.engine.syncNow();
    expect(t.engine.status.getState().lastError).toBeNull();
    expect(await t.db.outbox.count()).toBe(0);
    expect(await t.db.customers.get(c!)).toBeUndefined();
    expect(await t.db.base.count()).toBe(0);
    const row = await server.db.store.db.selectFrom('rows').select('data').where('tbl', '=', 'customers').where('key', '=', a!).where('deleted', '=', 0).executeTakeFirstOrThrow();
    expect((await t.db.customers.get(a!))?.mergedFrom).toEqual((JSON.parse(row.data!) as CustomerRow).mergedFrom);
  });
});
