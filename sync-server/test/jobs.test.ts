// Follow-ups and the schedule on both backends [J1][J2]: a follow-up is written in its command's
// transaction, runs when due as a system command with a deterministic id, retries with backoff while
// staying visible, fires once across two server instances, and a stopped server catches up on start.
import { describe, it, expect, beforeAll, afterAll, onTestFinished } from 'vitest';
import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { backends, seedSmall, type Backend, type TestDb } from './helpers/stores';
import { TestTablet } from './helpers/client';
import { createTestApp as createApp, withSignIn } from './helpers/client';
import { tokenHash } from '../src/http/auth';
import { DEMO_ADMIN_TOKEN, testTrustConfig } from '../src/http/trust-config';
import { pushCommands } from '../src/apply/push';
import { applySystemCommand } from '../src/apply/origins';
import { deterministicId, type Registry } from '../src/apply/run';
import { runDueJobs, listJobs, backoff } from '../src/jobs/worker';
import type { Store } from '../src/store/store';
import type { GeneratedChain } from '../src/seed/generate';
import { COMMANDS } from '../../src/core/sync/registry';
import { EffectsBuilder, type CommandDef } from '../../src/core/sync/command';
import { fail } from '../../src/core/shared/errors';
import { CHAIN_WIDE, type CustomerRow, type ExceptionRow, type NoteRow } from '../../src/core/model';
import type { AssociateId, CustomerId } from '../../src/core/shared/brand';

const T0 = Date.UTC(2025, 5, 2, 10, 0, 0);
const anySchema = { safeParse: (p: unknown) => ({ success: true, data: p }) } as never;

/** Test commands: `test.order` asks for an expiry at `runAt`; `test.expire` (system only) writes a note. */
function registryFor(customerId: string, calls: Map<string, number>, failing: Set<string>): Registry {
  const order: CommandDef<{ id: string; runAt?: number; reject?: boolean }> = {
    type: 'test.order',
    version: 1,
    schemas: { 1: anySchema },
    roles: ['associate', 'cashier', 'manager', 'system'],
    storeOf: () => undefined,
    streams: () => ['customers'],
    async handle(ctx, cmd) {
      const b = new EffectsBuilder(ctx.tx);
      if (cmd.payload.reject) fail('not-today', 'This order cannot be placed today.');
      b.followUp({ kind: 'test.expire', key: cmd.payload.id, ...(cmd.payload.runAt !== undefined ? { runAt: cmd.payload.runAt } : {}), payload: { id: cmd.payload.id } });
      return b.done();
    },
  };
  const expire: CommandDef<{ id: string }> = {
    type: 'test.expire',
    version: 1,
    schemas: { 1: anySchema },
    roles: ['system'],
    storeOf: () => undefined,
    streams: () => ['customers'],
    async handle(ctx, cmd) {
      calls.set(cmd.payload.id, (calls.get(cmd.payload.id) ?? 0) + 1);
      if (failing.has(cmd.payload.id)) throw new Error(`carrier API down for ${cmd.payload.id}`);
      const b = new EffectsBuilder(ctx.tx);
      b.create('notes', { id: `expired:${cmd.payload.id}`, customerId: customerId as CustomerId, text: 'Expired', author: 'system' as AssociateId, authorName: 'Vitrine', at: cmd.at });
      b.summary = { expired: cmd.payload.id };
      return b.done();
    },
  };
  return new Map([...COMMANDS, [order.type, order], [expire.type, expire]]) as Registry;
}

function jobsSuite(backend: Backend) {
  describe.skipIf(backend.skip)(backend.name, () => {
    let db: TestDb;
    let store: Store;
    let chain: GeneratedChain;
    let app: FastifyInstance;
    let now = T0;
    const clock = { now: () => now };
    const calls = new Map<string, number>();
    const failing = new Set<string>();
    let registry: Registry;

    beforeAll(async () => {
      db = await backend.open();
      store = db.store;
      chain = await seedSmall(store);
      registry = registryFor(chain.customers[0]!.id, calls, failing);
      app = await createApp({ store, rollupIntervalMs: 0, clock });
    });
    afterAll(async () => {
      await app?.close();
      await db?.destroy();
    });

    const job = (id: string) => store.db.selectFrom('jobs').selectAll().where('id', '=', id).executeTakeFirst();
    const order = (id: string, extra: { runAt?: number; reject?: boolean } = {}) => applySystemCommand(store, `order:${id}`, { type: 'test.order', payload: { id, ...extra } }, clock, registry);

    it('[J1] a follow-up is written in its command\'s transaction; a rejected command leaves none', async () => {
      const t = await TestTablet.enroll(app, 'Follow-ups');
      const device = (await store.findDeviceByTokenHash(tokenHash(t.enrollment.deviceToken)))!;
      const ok = t.command('test.order', { id: 'F1', runAt: T0 + 60_000 });
      const no = t.command('test.order', { id: 'F2', reject: true });
      const res = await pushCommands(store, device, [await withSignIn(store, ok), await withSignIn(store, no)], clock, { registry });
      expect(res.results.map((r) => r.status)).toEqual(['applied', 'rejected']);
      expect(await job('test.expire:F1')).toMatchObject({ kind: 'test.expire', key: 'F1', status: 'pending', attempts: 0, run_at: T0 + 60_000, created_by: ok.id });
      expect(await job('test.expire:F2')).toBeUndefined();
    });

    it('[J1][J2] a job runs when due, once, as a system command with a deterministic id', async () => {
      await order('R1', { runAt: T0 + 5 * 60_000 });
      expect(await runDueJobs(store, clock, { registry })).toEqual({ done: 0, duplicate: 0, rejected: 0, failed: 0 });
      expect(calls.get('R1')).toBeUndefined();
      now = T0 + 5 * 60_000;
      expect((await runDueJobs(store, clock, { registry })).done).toBeGreaterThanOrEqual(1);
      expect(calls.get('R1')).toBe(1);
      expect(await job('test.expire:R1')).toMatchObject({ status: 'done', attempts: 1, last_error: null });
      const cmd = await store.db.selectFrom('commands').selectAll().where('device_id', '=', 'system:test.expire:R1').executeTakeFirstOrThrow();
      expect(cmd).toMatchObject({ id: deterministicId('system:test.expire:R1'), origin: 'system', status: 'applied', seq: 0 });
      expect(((await store.getRow('notes', 'expired:R1')) as NoteRow).text).toBe('Expired');
      expect(await runDueJobs(store, clock, { registry })).toEqual({ done: 0, duplicate: 0, rejected: 0, failed: 0 });
      expect(calls.get('R1')).toBe(1);
    });

    it('[J1] a failing job is retried with exponential backoff, counts its attempts and keeps its last error, visible until it succeeds', async () => {
      failing.add('B1');
      await order('B1');
      const start = now;
      expect((await runDueJobs(store, clock, { registry })).failed).toBe(1);
      expect(await job('test.expire:B1')).toMatchObject({ status: 'pending', attempts: 1, last_error: 'carrier API down for B1', run_at: start + 1000, lease_until: null });
      // Not due again before the backoff has passed; then 2 s, then 4 s.
      expect((await runDueJobs(store, clock, { registry })).failed).toBe(0);
      now = start + 1000;
      expect((await runDueJobs(store, clock, { registry })).failed).toBe(1);
      expect(await job('test.expire:B1')).toMatchObject({ attempts: 2, run_at: start + 1000 + 2000 });
      expect(backoff(3)).toBe(4000);
      expect(backoff(40)).toBe(3_600_000);
      const visible = await listJobs(store);
      expect(visible.find((j) => j.id === 'test.expire:B1')).toMatchObject({ status: 'pending', attempts: 2, lastError: 'carrier API down for B1' });
      expect(await store.getRow('notes', 'expired:B1')).toBeUndefined();
      failing.delete('B1');
      now = start + 3000;
      expect((await runDueJobs(store, clock, { registry })).done).toBe(1);
      expect(await job('test.expire:B1')).toMatchObject({ status: 'done', attempts: 3, last_error: null });
      expect((await listJobs(store)).some((j) => j.id === 'test.expire:B1')).toBe(false);
    });

    it('[J1][EX1] a job that keeps failing reaches every manager as one chain-level exception, counted in place', async () => {
      failing.add('K1');
      await order('K1');
      const start = now;
      for (const [i, wait] of [0, 1000, 2000].entries()) {
        now += wait;
        expect((await runDueJobs(store, clock, { registry })).failed, `attempt ${i + 1}`).toBe(1);
        // Not an alarm before FAILING_AFTER attempts: a blip retried once is no manager's business.
        if (i < 2) expect(await store.getRow('exceptions', 'job-failing:test.expire:K1')).toBeUndefined();
      }
      const alarm = (await store.getRow('exceptions', 'job-failing:test.expire:K1')) as ExceptionRow;
      expect(alarm).toMatchObject({ storeId: CHAIN_WIDE, kind: 'job-failing', by: 'system', details: { type: 'test.expire', key: 'K1', attempts: 3 } });
      // On the chain stream, which every tablet pulls [O2].
      const pulled = await store.pull('chain', 0, 1000);
      expect(pulled.changes.some((c) => c.key === 'job-failing:test.expire:K1')).toBe(true);
      // …and the admin API lists the chain-level queue [O2].
      const listed = await app.inject({ method: 'GET', url: '/api/v1/admin/exceptions', headers: { authorization: `Bearer ${DEMO_ADMIN_TOKEN}` } });
      expect(listed.statusCode).toBe(200);
      expect(listed.json<{ exceptions: ExceptionRow[] }>().exceptions.map((e) => e.id)).toContain('job-failing:test.expire:K1');
      expect((await app.inject({ method: 'GET', url: '/api/v1/admin/exceptions' })).statusCode).toBe(401);
      expect((await app.inject({ method: 'GET', url: '/api/v1/admin/exceptions?stream=customers', headers: { authorization: `Bearer ${DEMO_ADMIN_TOKEN}` } })).statusCode).toBe(400);
      now = start + 1000 + 2000 + 4000;
      expect((await runDueJobs(store, clock, { registry })).failed).toBe(1);
      const again = (await store.getRow('exceptions', 'job-failing:test.expire:K1')) as ExceptionRow;
      expect(again.details.attempts).toBe(4);
      expect(again.raisedAt).toBe(alarm.raisedAt);
      failing.delete('K1');
    });

    it('[J2] an administrator runs one scheduled job now, outside production only; others wait for their time', async () => {
      await order('N1', { runAt: now + 7 * 86_400_000 });
      await order('N2', { runAt: now + 7 * 86_400_000 });
      const admin = { authorization: `Bearer ${DEMO_ADMIN_TOKEN}` };
      const demo = await createApp({ store, rollupIntervalMs: 0, clock, jobsRegistry: registry });
      onTestFinished(() => demo.close());
      const r = await demo.inject({ method: 'POST', url: '/api/v1/admin/jobs/test.expire:N1/run-now', headers: admin });
      expect(r.statusCode, r.body).toBe(200);
      expect(r.json()).toMatchObject({ id: 'test.expire:N1', status: 'done', attempts: 1 });
      expect(calls.get('N1')).toBe(1);
      expect(await job('test.expire:N2')).toMatchObject({ status: 'pending', attempts: 0 });
      expect((await demo.inject({ method: 'POST', url: '/api/v1/admin/jobs/test.expire:N1/run-now', headers: admin })).statusCode).toBe(409);
      expect((await demo.inject({ method: 'POST', url: '/api/v1/admin/jobs/nope/run-now', headers: admin })).statusCode).toBe(404);
      expect((await demo.inject({ method: 'POST', url: '/api/v1/admin/jobs/test.expire:N2/run-now' })).statusCode).toBe(401);
      const prod = await createApp({ store, rollupIntervalMs: 0, clock, trust: testTrustConfig({ mode: 'production', adminToken: 'a-production-secret-of-24-chars' }) });
      try {
        const p = await prod.inject({ method: 'POST', url: '/api/v1/admin/jobs/test.expire:N2/run-now', headers: { authorization: 'Bearer a-production-secret-of-24-chars' } });
        expect(p.statusCode).toBe(403);
        expect(p.json()).toMatchObject({ error: { code: 'not-in-production' } });
      } finally {
        await prod.close();
      }
      expect(await job('test.expire:N2')).toMatchObject({ status: 'pending', attempts: 0 });
    });

    // PostgreSQL: two instances (two pools) on one database. SQLite has one writer per database (a second
    // connection in this process would block the event loop on its busy wait), so there concurrent
    // workers share the one Store, as the instances of one SQLite server do.
    it(`[J2] timed jobs fire once across ${backend.name === 'postgres' ? 'two server instances' : 'concurrent workers'} running at the same time`, async () => {
      const other = backend.name === 'postgres' ? await db.another() : store;
      const ids = Array.from({ length: 30 }, (_, i) => `M${i}`);
      for (const id of ids) await order(id, { runAt: now - 1 });
      const runs = await Promise.all([runDueJobs(store, clock, { registry, batch: 4 }), runDueJobs(other, clock, { registry, batch: 4 }), runDueJobs(store, clock, { registry, batch: 3 })]);
      // Each job is claimed by one worker: none runs twice, not even as a duplicate the idempotency record would absorb.
      expect(runs.reduce((n, r) => n + r.done, 0)).toBe(ids.length);
      expect(runs.reduce((n, r) => n + r.duplicate, 0)).toBe(0);
      expect(ids.map((id) => calls.get(id))).toEqual(ids.map(() => 1));
      const recorded = await store.db.selectFrom('commands').select('device_id').where('device_id', 'like', 'system:test.expire:M%').execute();
      expect(recorded).toHaveLength(ids.length);
      expect(await store.db.selectFrom('jobs').select('id').where('id', 'like', 'test.expire:M%').where('status', '!=', 'done').execute()).toEqual([]);
    });

    it('[J2] a server that was stopped runs the jobs that fell due meanwhile as soon as it starts', async () => {
      const c = chain.customers[1]!.id;
      const key = randomUUID();
      await store.transaction(async (tx) => {
        tx.addJobs([{ kind: 'customer.update', key, runAt: now - 3_600_000, payload: { customerId: c, changes: { tier: 'platinum' } } }], 'test', now - 7_200_000);
      });
      const started = await createApp({ store, rollupIntervalMs: 0, clock, jobsIntervalMs: 60_000 });
      try {
        await started.ready();
        for (let i = 0; i < 100 && (await job(`customer.update:${key}`))?.status !== 'done'; i++) await new Promise((r) => setTimeout(r, 50));
        expect(await job(`customer.update:${key}`)).toMatchObject({ status: 'done', attempts: 1 });
        expect(((await store.getRow('customers', c)) as CustomerRow).tier).toBe('platinum');
      } finally {
        await started.close();
      }
    });
  });
}

for (const backend of backends) jobsSuite(backend);
