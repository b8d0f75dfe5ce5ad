// A deterministic, seeded simulation of a chain of tablets syncing with the server: the REAL tablet
// code (VitrineDb on fake-indexeddb, dispatch, SyncEngine) against the REAL server (createApp over a
// real SQLite or PostgreSQL store; two instances on one PostgreSQL), joined by a fetch adapter onto
// app.inject() that injects faults. An ORACLE (oracle.ts, model.ts) predicts the state from what the
// tablets did and judges the run; the system is never compared only with itself.
//
// Faults, each drawn from the seeded PRNG and counted in the report: requests dropped before the
// server, responses lost after it committed, pushes delivered twice (in turn or concurrently),
// commands of a push shuffled, a push held in the network and delivered after later ones (stale
// batch), server restarts and outages, a server instance killed in the middle of a push batch
// (PostgreSQL, two instances), server clock skew per instance, tablets offline, a tablet app
// restarted between dispatch and push, a tablet that dies in the middle of an IndexedDB write (the
// transaction aborts; the database is opened afresh), tablet clock skew and jumps of ±2 h, two tabs
// syncing one tablet at once, several tablets and the availability roll-up at once, commands
// dispatched while their tablet syncs or while its pull is in flight, commands the server rejects
// (an actor it does not know, or one who may not sell), an "Export unsent" file imported behind the
// tablet's back, and partitions and crashes during the bootstrap. Every command type of the
// registry is issued (workload.ts; the exceptions are listed in sim.test.ts), some through other
// origins [O1]: web orders through the channel route (sometimes sent twice), an order's expiry
// through the admin's run-now, an erasure through the admin API, follow-ups through the jobs worker.
//
// Judged while running: after every sync cycle that got through, what the tablet shows must be the
// server's state plus its pending commands replayed by the oracle's model [P5]; no non-2xx answer
// that the fault did not ask for, no sync error but "unreachable", no alarm, no checksum repair.
// Judged after healing (all online, no faults, outboxes drained, roll-up): every command recorded
// once with the answer the oracle expects (applied, or rejected with its code) [C3][C4]; seqs 1..n
// per device [C1]; stock = the chain's stock minus what the tablets sold, movements taking exactly
// the quantities sold, oversold raised exactly where a figure went below zero [C5]; customers'
// fields = the HLC winners, points and spend = what their sales earned; notes and resolutions as
// made; receipts gapless per device; orders' states, refunds and reservations as an order of arrival
// of their transitions explains [PQ5]; availability = on hand − reserved; every tablet equal to the
// server, row for row, with only its expected rejections under "Needs attention" [P3][P5][P7].
// A failure throws `seed <n>: <which invariant broke>`.
import type { FastifyInstance } from 'fastify';
import { approvalBy, createTestApp, withSignIn } from '../helpers/client';
import { webcrypto } from 'node:crypto';
import { approvalMac } from '../../../src/core/shared/sign-in-proof';
import type { Store } from '../../src/store/store';
import { rollUpAvailability } from '../../src/oms/rollup';
import { runDueJobs } from '../../src/jobs/worker';
import type { VitrineDb, OutboxEntry } from '../../../src/db/schema';
import { getDevice, saveEnrollment } from '../../../src/db/device';
import { dispatch, type DispatchEnv } from '../../../src/db/dispatch';
import { exportUnsent, handsOver, localChecksum, serverRow, tablesOfStream } from '../../../src/db/sync-store';
import { SyncEngine } from '../../../src/sync/engine';
import type { FetchLike } from '../../../src/sync/transport';
import type { EnrollResponse, Envelope, PushResponse } from '../../../src/core/sync/protocol';
import { DomainError } from '../../../src/core/shared/errors';
import { COMMANDS } from '../../../src/core/sync/registry';
import { keyOf, streamOf, type StreamName, type TableName, type Tables, type AssociateRow, type HistoryRow } from '../../../src/core/model';
import { canonicalJson } from '../../../src/core/shared/canonical';
import { Rng } from './prng';
import { createSimDatabase, type SimBackend, type SimDatabase } from './backend';
import { openTabletDb, type CrashSwitch } from './crash';
import { ChainFacts, spendInYear } from './model';
import { Oracle, serverState } from './oracle';
import { SIM_COMMANDS, rejectedActor, type Expectation, type SimCommand, type Workload } from './workload';
import { placePayload } from '../../src/http/channels';
import { deterministicId } from '../../src/apply/run';
import { originKey } from '../../src/apply/origins';
import { DEMO_WEB_API_KEY } from '../../src/seed/load';
import { DEMO_ADMIN_TOKEN } from '../../src/http/trust-config';
import { encodeHlc } from '../../../src/core/shared/hlc';
import type { WebOrder } from '../../../src/core/orders/web-order';

export interface SimOptions {
  seed: number;
  backend: SimBackend;
  /** Number of tablets (≥ 2 stores are used as soon as there are 2 tablets). Default 10. */
  tablets?: number;
  /** Steps of the chaotic phase. Default 120. */
  steps?: number;
  /** Server instances on the one database. Default: 2 on PostgreSQL, 1 on SQLite. */
  instances?: number;
  /**
   * Kill an instance mid-batch (PostgreSQL, several instances). Default on. The CI seeds turn it off:
   * with it, the harness's own connections sometimes break in ways a seed cannot replay (the timing
   * of the kill against the other tablets' requests), so it runs in `npm run sim` long runs instead.
   */
  kills?: boolean;
  /**
   * Self-test of the checker only: breaks something on purpose so a test can prove the run fails.
   * `conflict`: a duplicated push carries altered content; `tablet-row`: a tablet's customer row is
   * edited behind the sync's back; `stock`: a stock row moves without a movement.
   * (Sabotages of the code itself live in sabotage.test.ts.)
   */
  sabotage?: 'conflict' | 'tablet-row' | 'stock';
  /** Progress/debug lines. */
  log?: (line: string) => void;
}

export interface SimReport {
  seed: number;
  backend: SimBackend;
  tablets: number;
  steps: number;
  commands: number;
  /** Commands dispatched per type. */
  byType: Record<string, number>;
  faults: Record<string, number>;
  ms: number;
}

/** Simulated wall clock start: the day after the seeded chain's "now". */
const START = Date.UTC(2025, 5, 2, 9, 0, 0);
const STORES = ['S01', 'S02', 'S03', 'S04'];
const NETWORK_DOWN = 'fetch failed';

interface Dispatched {
  id: string;
  /** The identity that made it [D6]. */
  deviceId: string;
  /** Its seq: as dispatched, or as the server recorded it once a restore renumbered it [D5]. */
  seq: number;
  type: string;
  expect: Expectation;
}

interface Tablet {
  n: number;
  name: string;
  dbName: string;
  db: VitrineDb;
  crash: CrashSwitch;
  storeId: string;
  deviceId: string;
  skewMs: number;
  online: boolean;
  engines: SyncEngine[];
  dispatched: Dispatched[];
  bootstrapped: boolean;
  /** Requests left before the network drops (a partition during the bootstrap). */
  partitionIn?: number;
  /** A command is being dispatched from inside this tablet's fetch (no second one meanwhile). */
  busyInFetch: boolean;
  /** [D5] Restored from a backup at least once (its commands may have been renumbered). */
  restored: boolean;
  /** [D5] A copy of every table, and how many commands it had dispatched when it was taken. */
  backup?: { tables: Map<string, unknown[]>; dispatched: number; deviceId: string };
  /** How many times its database was replaced (restore), for the new database's name. */
  generation: number;
  /** [T1] Its last request was refused for its signature's time, signed at this time (it must sign again, correctly). */
  signatureRefused?: string | undefined;
}

/** One server process: its own app, its own connections, its own clock. */
interface Instance {
  label: string;
  store?: Store;
  app?: FastifyInstance;
  down: boolean;
  downFor: number;
  skewMs: number;
  /** Times this instance was killed: a request that saw it change met a dead process. */
  kills: number;
  /**
   * Tablet requests this instance is serving. A restart closes it gracefully, as Fastify's `close()`
   * does over real connections: requests in flight finish before the database closes. (`inject` has
   * no connection for `close()` to wait for, so the harness waits; a kill is the abrupt case.)
   */
  inflight: Set<Promise<unknown>>;
}

class SimFailure extends Error {}

export async function runSimulation(opts: SimOptions): Promise<SimReport> {
  const started = Date.now();
  const { seed, backend } = opts;
  const nTablets = opts.tablets ?? 10;
  const steps = opts.steps ?? 120;
  const log = opts.log ?? (() => undefined);
  const rng = new Rng(seed);
  const fail = (what: string): never => {
    throw new SimFailure(`seed ${seed}: ${what}`);
  };

  const faults: Record<string, number> = {};
  const count = (k: string) => (faults[k] = (faults[k] ?? 0) + 1);
  /** Anything that must never happen, seen while running (checked at the end, and fatal if serious). */
  const violations: string[] = [];

  let simNow = START;
  let faultsOn = true;

  // ---------------------------------------------------------------- servers (restartable, killable)
  let database: SimDatabase | undefined;
  /** The simulation's own window on the database (enrollment codes, the oracle's reads); never killed. */
  let control: Store | undefined;
  const runId = `${seed}_${process.pid}_${started.toString(36)}`;
  const nInstances = opts.instances ?? (backend === 'postgres' ? 2 : 1);
  const instances: Instance[] = Array.from({ length: nInstances }, (_, i) => ({ label: `sim_${'ab'[i] ?? i}_${runId}`, down: false, downFor: 0, skewMs: 0, kills: 0, inflight: new Set() }));
  const openInstance = async (x: Instance) => {
    x.store = await database!.open(x.label);
    x.app = await createTestApp({ store: x.store, clock: { now: () => simNow + x.skewMs }, rollupIntervalMs: 0, ...(process.env.SIM_SERVER_LOG ? { logger: { level: 'error' } } : {}) });
    await x.app.ready();
    x.down = false;
  };
  const closeInstance = async (x: Instance) => {
    const a = x.app;
    const s = x.store;
    x.app = undefined;
    x.store = undefined;
    x.down = true;
    await a?.close();
    await Promise.allSettled([...x.inflight]);
    await s?.close();
  };
  const live = () => instances.filter((x) => !x.down && x.app);
  /**
   * Kills still going on (a sync running in the background killed an instance): healing waits for
   * them, or it would reopen an instance that the kill then closes under the last passes (seed 339).
   */
  const killing = new Set<Promise<void>>();
  /** A store a server job (the roll-up) runs on: any live instance's. */
  const jobStore = () => live()[0]?.store;

  const tablets: Tablet[] = [];
  const byType: Record<string, number> = {};
  const report: SimReport = { seed, backend, tablets: nTablets, steps, commands: 0, byType, faults, ms: 0 };

  try {
    database = await createSimDatabase(backend);
    const chain = database.chain;
    for (const x of instances) await openInstance(x);
    control = await database.open(`sim_ctl_${runId}`);

    // Enrollment codes for the other stores (S01 has the demo's DEMO-S01).
    const at = new Date(START).toISOString();
    for (const s of STORES) {
      await instances[0]!.store!.db.insertInto('enrollment_codes').values({ code: `SIM-${s}`, store_id: s, reusable: 1, used_by: null, created_at: at }).execute();
    }
    const associates: AssociateRow[] = (await control.db.selectFrom('rows').select('data').where('tbl', '=', 'associates').where('deleted', '=', 0).execute()).map((r) => JSON.parse(r.data!) as AssociateRow);
    const facts = new ChainFacts(chain);
    const modelled = (await control.db.selectFrom('stream_versions').select('stream').execute()).map((r) => r.stream).filter((s) => s === 'customers' || s.startsWith('store:'));
    const oracle = new Oracle(facts, await serverState(control, modelled));
    // [LO1] The purchase histories the chain was seeded with: a tier review's 12-month spend starts from them.
    const seededHistory = new Map((await control.db.selectFrom('rows').select(['key', 'data']).where('tbl', '=', 'history').where('deleted', '=', 0).execute()).map((r) => [r.key, (JSON.parse(r.data!) as HistoryRow).entries]));
    /** [LO1] Customers whose tier the server reviewed in this run. */
    const reviewed = new Set<string>();

    // [W1] SKUs kept for web orders (every fifth of the catalog): sales and returns never move them, and
    // the workload orders at a store only what its stock still covers after every order placed so far
    // (whatever became of them), so each is reserved at its pickup store whatever the order of arrival.
    const orderSkus = new Set(chain.variants.filter((_, i) => i % 5 === 0).map((v) => v.sku as string));
    const orderable = new Map<string, number>();
    for (const [key, onHand] of oracle.initial.stock) if (orderSkus.has(key.split('|')[1]!)) orderable.set(key, onHand - (oracle.initial.reserved.get(key) ?? 0));
    const webOrders = new Map<string, string>();
    // [OR1] A SKU only the warehouse holds, kept for orders from the till (sourced there whatever the order of arrival).
    const storeHeld = new Set([...oracle.initial.stock.keys()].filter((k) => !k.startsWith('W01|')).map((k) => k.split('|')[1]!));
    const tillVariant = chain.variants.find((v) => !orderSkus.has(v.sku) && !storeHeld.has(v.sku) && oracle.initial.stock.has(`W01|${v.sku}`));
    if (tillVariant) orderSkus.add(tillVariant.sku);
    const tillSku = tillVariant ? { sku: tillVariant.sku as string, free: oracle.initial.stock.get(`W01|${tillVariant.sku}`)! - (oracle.initial.reserved.get(`W01|${tillVariant.sku}`) ?? 0) } : undefined;

    // Customers a tablet may name: the chain's, those the server holds, and its own new ones.
    const initialTier = new Map(chain.customers.map((c) => [c.id as string, c.tier]));
    /** `private`: only its creator ever names it (a profile a manager may merge, [CL4]). */
    const newCustomers = new Map<string, { creator: Tablet; commandId: string; confirmed: boolean; private: boolean }>();
    const confirmCustomers = async () => {
      const open = [...newCustomers.values()].filter((c) => !c.confirmed);
      if (open.length === 0) return;
      const applied = new Set((await control!.db.selectFrom('commands').select('id').where('id', 'in', open.map((c) => c.commandId)).where('status', '=', 'applied').execute()).map((r) => r.id));
      for (const c of open) if (applied.has(c.commandId)) c.confirmed = true;
    };
    let lastCommandId = '';
    const workload: Workload = {
      rng,
      chain,
      facts,
      associates,
      customersFor: (t) => [...initialTier.keys(), ...[...newCustomers].filter(([, c]) => (c.confirmed && !c.private) || c.creator === t).map(([id]) => id)],
      tierOf: (id) => initialTier.get(id) ?? '',
      created: (id, t, only) => newCustomers.set(id, { creator: t as Tablet, commandId: lastCommandId, confirmed: false, private: only ?? rng.chance(0.3) }),
      privateOf: (t) => [...newCustomers].filter(([, c]) => c.creator === t && c.private).map(([id]) => id),
      merged: (mergedId) => newCustomers.delete(mergedId),
      tierFixed: (id) => reviewed.has(id),
      orderSkus,
      webOrders,
      tillSku,
      tillOrdered: (orderId, storeId, qty) => {
        webOrders.set(orderId, storeId);
        tillSku!.free -= qty;
      },
      approve: async (by, deviceId, at, subject, forged) => {
        const a = await approvalBy(control!, by, deviceId, at, subject);
        return forged ? { ...a, mac: await approvalMac(webcrypto.subtle as unknown as SubtleCrypto, 'ff'.repeat(32), { by, deviceId, at, subject }) } : a;
      },
      reassigning: (storeId, sku, qty) => {
        for (const s of STORES) if (s !== storeId && orderable.has(`${s}|${sku}`)) orderable.set(`${s}|${sku}`, orderable.get(`${s}|${sku}`)! - qty);
      },
    };

    /**
     * [W1][O1] The web shop places an order for pickup at `storeId` through the channel route, with the
     * channel's key; sometimes it sends it twice (a retry after a lost answer), which must answer the
     * same order. Not through a tablet: the network faults of the tablets' adapter do not apply.
     */
    let webSerial = 0;
    const placeWebOrder = async (storeId: string) => {
      const x = live()[0];
      if (!x) return;
      const loc = chain.locations.find((l) => l.id === storeId)!;
      const skus = rng.shuffle([...orderSkus].filter((sku) => (orderable.get(`${storeId}|${sku}`) ?? 0) > 0)).slice(0, rng.int(1, 2));
      if (skus.length === 0) return;
      const lines = skus.map((sku) => {
        const v = chain.variants.find((x) => x.sku === sku)!;
        return { sku, qty: rng.int(1, Math.min(2, orderable.get(`${storeId}|${sku}`)!)), unitPrice: (v.prices[loc.currency] as number | undefined) ?? 1000 };
      });
      const externalId = `sim-${seed}-${++webSerial}`;
      const body: WebOrder = {
        externalId,
        customer: { firstName: rng.pick(['Lia', 'Rui', 'Noemi']), lastName: rng.pick(['Moreira', 'Galli']), email: `web-${webSerial}@example.com`, phone: '+351 912 345 678' },
        lines,
        currency: loc.currency as WebOrder['currency'],
        payment: { reference: `pay-${externalId}`, amount: lines.reduce((a, l) => a + l.qty * l.unitPrice, 0) },
        fulfillment: { kind: 'pickup', storeId },
      };
      const send = () => x.app!.inject({ method: 'POST', url: '/api/v1/channels/web/orders', headers: { 'x-api-key': DEMO_WEB_API_KEY }, payload: body });
      const first = await send();
      if (first.statusCode !== 201) violations.push(`web order ${externalId}: the channel route answered ${first.statusCode} ${first.body.slice(0, 300)}`);
      if (rng.chance(0.2)) {
        count('web-order-sent-twice');
        const again = await send();
        if (again.statusCode !== 200 || (again.json<{ orderId: string }>().orderId !== first.json<{ orderId: string }>().orderId)) violations.push(`web order ${externalId} sent again: answered ${again.statusCode} ${again.body.slice(0, 300)}`);
      }
      count('web-order');
      for (const l of lines) orderable.set(`${storeId}|${l.sku}`, orderable.get(`${storeId}|${l.sku}`)! - l.qty);
      const payload = placePayload(body);
      const okey = originKey({ kind: 'channel', channel: 'web', key: externalId });
      oracle.recordOrigin('channel', { id: deterministicId(okey), deviceId: okey, seq: 0, type: 'order.place', v: 1, at: encodeHlc({ wall: simNow + x.skewMs, counter: 0, node: 'server' }), actor: 'channel:web', payload });
      webOrders.set(payload.orderId, storeId);
    };

    /**
     * [CL6] The administrator erases a customer at their request (`POST /api/v1/admin/customers/<id>/erase`,
     * a system command): one a tablet created for itself alone, the server holds, and that tablet has no
     * unsent command naming; from then on nobody names it. Its follow-up `customer.erase-records` runs
     * with the other due jobs (jobsOn).
     */
    const eraseOne = async () => {
      const x = live()[0];
      if (!x) return;
      await confirmCustomers();
      const unsent = new Map<Tablet, string>();
      for (const t of tablets) unsent.set(t, t.crash.dead ? '' : JSON.stringify([...(await t.db.outbox.toArray()), ...(await t.db.held.toArray())].map((e) => e.payload)));
      const candidates = [];
      for (const [id, c] of newCustomers) if (c.private && c.confirmed && !c.creator.crash.dead && !unsent.get(c.creator)!.includes(id) && (await control!.getRow('customers', id))) candidates.push(id);
      if (candidates.length === 0) return;
      const id = rng.pick(candidates);
      newCustomers.delete(id);
      const r = await x.app!.inject({ method: 'POST', url: `/api/v1/admin/customers/${encodeURIComponent(id)}/erase`, headers: { authorization: `Bearer ${DEMO_ADMIN_TOKEN}` } });
      if (r.statusCode !== 200) {
        violations.push(`erasure of ${id} answered ${r.statusCode} ${r.body.slice(0, 300)}`);
        return;
      }
      count('customer-erased');
      const okey = originKey({ kind: 'system', key: `erase:${id}` });
      oracle.recordOrigin('system', { id: deterministicId(okey), deviceId: okey, seq: 0, type: 'customer.erase', v: 1, at: encodeHlc({ wall: simNow + x.skewMs, counter: 0, node: 'server' }), actor: 'system', payload: { customerId: id } });
    };

    /** [J1] The jobs worker's round on one instance: follow-ups that are due (an erasure's anonymising). */
    const jobsOn = async (ahead = 0) => {
      const x = live()[0];
      if (!x) return;
      const kills = x.kills;
      try {
        const run = await runDueJobs(x.store!, { now: () => simNow + x.skewMs + ahead });
        count('jobs-round');
        if (run.failed || run.rejected) {
          // Say which job and why: the worker keeps the error on the job's row.
          const bad = await control!.db.selectFrom('jobs').select(['id', 'attempts', 'last_error']).where('last_error', 'is not', null).where('status', '!=', 'done').execute();
          violations.push(`jobs round: ${JSON.stringify(run)}: ${bad.map((j) => `${j.id} (attempt ${j.attempts}): ${j.last_error}`).join('; ')}`);
        }
      } catch (e) {
        if (x.kills === kills && !x.down) throw e;
        count('jobs-died-with-their-instance');
      }
    };

    /**
     * [J2][PQ1] A ready order's expiry, days away on the schedule, is run now by the administrator
     * (`POST /api/v1/admin/jobs/<id>/run-now`): the order may have been collected or cancelled since.
     */
    const expireOne = async () => {
      const x = live()[0];
      if (!x) return;
      const jobs = await control!.db.selectFrom('jobs').select(['id', 'payload']).where('kind', '=', 'order.expire').where('status', '=', 'pending').orderBy('id').execute();
      const mine = jobs.filter((j) => webOrders.has((JSON.parse(j.payload) as { orderId: string }).orderId));
      if (mine.length === 0) return;
      const job = rng.pick(mine);
      const r = await x.app!.inject({ method: 'POST', url: `/api/v1/admin/jobs/${encodeURIComponent(job.id)}/run-now`, headers: { authorization: `Bearer ${DEMO_ADMIN_TOKEN}` } });
      if (r.statusCode !== 200 || r.json<{ status: string }>().status !== 'done') {
        violations.push(`run-now of ${job.id} answered ${r.statusCode} ${r.body.slice(0, 300)}`);
        return;
      }
      count('expire-run-now');
      const okey = originKey({ kind: 'system', key: job.id });
      oracle.recordOrigin('system', { id: deterministicId(okey), deviceId: okey, seq: 0, type: 'order.expire', v: 1, at: encodeHlc({ wall: simNow + x.skewMs, counter: 0, node: 'server' }), actor: 'system', payload: JSON.parse(job.payload) as unknown });
    };

    /**
     * [LO2][J2] A customer's points expiry, a year away on the schedule, is run now by the administrator
     * (run-now runs a `loyalty.expire` job "as at that day's end"). Every lot of a run falls in one month
     * (the seed's opening points and the run's sales), so it expires whatever the customer still holds
     * of them. What it should take depends on which of the tablets' commands the server had applied by
     * then: the oracle is told which (the applied commands at that moment) and computes the balance
     * itself. Mostly a customer who spent points, so spent points are there to be wrongly expired.
     * Not one merged away: its points answer to another profile, whose own expiry writes the same entry.
     */
    const expirePoints = async () => {
      const x = live()[0];
      if (!x) return;
      const jobs = (await control!.db.selectFrom('jobs').select(['id', 'payload']).where('kind', '=', 'loyalty.expire').where('status', '=', 'pending').orderBy('id').execute()).map((j) => ({ id: j.id, customerId: (JSON.parse(j.payload) as { customerId: string }).customerId }));
      const merged = new Set((await control!.db.selectFrom('rows').select('key').where('tbl', '=', 'redirects').where('deleted', '=', 0).execute()).map((r) => r.key));
      const open = jobs.filter((j) => !merged.has(j.customerId));
      if (open.length === 0) return;
      const spent = new Set((await control!.db.selectFrom('ledger').select('account').where('account', 'like', 'points:%').where('amount', '<', 0).execute()).map((e) => e.account.slice('points:'.length)));
      const spenders = open.filter((j) => spent.has(j.customerId));
      const job = rng.pick(spenders.length && rng.chance(0.7) ? spenders : open);
      const before = new Set((await control!.db.selectFrom('commands').select('id').where('status', '=', 'applied').execute()).map((c) => c.id));
      const r = await x.app!.inject({ method: 'POST', url: `/api/v1/admin/jobs/${encodeURIComponent(job.id)}/run-now`, headers: { authorization: `Bearer ${DEMO_ADMIN_TOKEN}` } });
      if (r.statusCode !== 200 || r.json<{ status: string }>().status !== 'done') {
        violations.push(`run-now of ${job.id} answered ${r.statusCode} ${r.body.slice(0, 300)}`);
        return;
      }
      count(spent.has(job.customerId) ? 'points-expired (customer who spent points)' : 'points-expired');
      const okey = originKey({ kind: 'system', key: job.id });
      oracle.recordOrigin('system', { id: deterministicId(okey), deviceId: okey, seq: 0, type: 'loyalty.expire', v: 1, at: encodeHlc({ wall: simNow + x.skewMs, counter: 0, node: 'server' }), actor: 'system', payload: JSON.parse((await control!.db.selectFrom('jobs').select('payload').where('id', '=', job.id).executeTakeFirstOrThrow()).payload) as unknown }, before);
    };

    /**
     * [LO1][J2] A customer's tier review, due at the next 03:00 UTC, is run now by the administrator. Only
     * one whose answer the oracle can work out (Oracle.reviewable): every command naming them decided by
     * the server, their spend moved only by sales. From then on the tablets leave their tier alone (an
     * edit from an older copy would undo the review) and may sell to them at the rate it gives.
     */
    const reviewTier = async () => {
      const x = live()[0];
      if (!x) return;
      const now = simNow + x.skewMs;
      const jobs = (await control!.db.selectFrom('jobs').select(['id', 'payload']).where('kind', '=', 'loyalty.tier-review').where('status', '=', 'pending').orderBy('id').execute()).map((j) => ({ id: j.id, customerId: (JSON.parse(j.payload) as { customerId: string }).customerId }));
      const decided = new Set((await control!.db.selectFrom('commands').select('id').execute()).map((c) => c.id));
      const redirected = new Set((await control!.db.selectFrom('rows').select('key').where('tbl', '=', 'redirects').where('deleted', '=', 0).execute()).map((r) => r.key));
      const salesOf = (id: string) => new Set(chain.sales.filter((x) => x.customerId === id).map((x) => x.id as string));
      const open = jobs.filter((j) => !reviewed.has(j.customerId) && !redirected.has(j.customerId) && !chain.orders.some((o) => o.customerId === j.customerId) && oracle.reviewable(j.customerId, decided, now, seededHistory.get(j.customerId)?.length ?? 0, salesOf(j.customerId)));
      if (open.length === 0) {
        if (jobs.some((j) => !reviewed.has(j.customerId))) count('tier-review-skipped (undecided commands)');
        return;
      }
      const job = rng.pick(open);
      const before = oracle.initial.customers.get(job.customerId);
      const payload = { customerId: job.customerId, seeded: spendInYear(seededHistory.get(job.customerId) ?? [], now), from: before?.lifetimeSpend ?? 0 };
      const r = await x.app!.inject({ method: 'POST', url: `/api/v1/admin/jobs/${encodeURIComponent(job.id)}/run-now`, headers: { authorization: `Bearer ${DEMO_ADMIN_TOKEN}` } });
      if (r.statusCode !== 200 || r.json<{ status: string }>().status !== 'done') {
        violations.push(`run-now of ${job.id} answered ${r.statusCode} ${r.body.slice(0, 300)}`);
        return;
      }
      reviewed.add(job.customerId);
      const okey = originKey({ kind: 'system', key: job.id });
      const id = deterministicId(okey);
      const result = await control!.db.selectFrom('commands').select('result').where('id', '=', id).executeTakeFirst();
      const summary = result ? (JSON.parse(result.result) as { summary?: { tier?: string; was?: string } }).summary : undefined;
      count(summary && summary.tier !== summary.was ? `tier-review (${summary.was || 'none'} → ${summary.tier || 'none'})` : 'tier-review (tier kept)');
      oracle.recordOrigin('system', { id, deviceId: okey, seq: 0, type: 'loyalty.tier-review', v: 1, at: encodeHlc({ wall: now, counter: 0, node: 'server' }), actor: 'system', payload });
    };

    // ---------------------------------------------------------------- the fetch adapter (faults here)
    /** Pushes held in the network, delivered later than the ones the tablet sent after them. */
    const held: { t: Tablet; url: string; headers: Record<string, string>; body: string }[] = [];
    const makeFetch = (t: Tablet): FetchLike =>
      (async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
        const url = typeof input === 'string' ? input : input instanceof URL ? input.toString() : input.url;
        const method = (init?.method ?? 'GET') as 'GET' | 'POST';
        const headers = { ...((init?.headers as Record<string, string> | undefined) ?? {}) };
        let body = typeof init?.body === 'string' ? init.body : undefined;
        if (t.partitionIn !== undefined && --t.partitionIn <= 0) {
          t.partitionIn = undefined;
          t.online = false;
        }
        const up = live();
        if (!t.online || up.length === 0) {
          count(up.length === 0 ? 'server-down' : 'offline');
          throw new TypeError(NETWORK_DOWN);
        }
        const x = rng.pick(up);
        // The instance this request goes to, as it is now: a request that waits (a sale rung up while
        // its pull is in flight, below) may find it killed meanwhile — killed, not yet closed, its
        // connections terminated. To the tablet that is a dropped connection, never a 500.
        const kills = x.kills;
        const isPush = method === 'POST' && url.includes('/sync/push');
        const isPull = url.includes('/sync/pull');
        // The chain queue [O2] stays empty in these runs, so its cursor stays 0: no repair there.
        if (isPull && url.includes('after=0&') && t.bootstrapped && !url.includes('stream=chain')) {
          // A pull from 0 after the bootstrap is the engine repairing a stream whose checksum diverged.
          const single = t.engines.length === 1;
          if (single) violations.push(`tablet ${t.name} had to re-bootstrap ${decodeURIComponent(url.split('stream=')[1]!.split('&')[0]!)} (checksum diverged)`);
          count(single ? 'repair' : 'repair-two-tabs');
        }
        if (faultsOn && isPull && t.bootstrapped && !t.busyInFetch && rng.chance(0.12)) {
          // The cashier completes a sale while the pull is in flight: it is pending when the rebase runs [P5].
          count('dispatch-during-pull');
          t.busyInFetch = true;
          try {
            await doCommand(t);
          } finally {
            t.busyInFetch = false;
          }
        }
        if (faultsOn && rng.chance(0.07)) {
          count('drop-request');
          throw new TypeError(`${NETWORK_DOWN} (request dropped)`);
        }
        if (faultsOn && isPush && body && rng.chance(0.3)) {
          const parsed = JSON.parse(body) as { deviceId: string; commands: OutboxEntry[] };
          if (parsed.commands.length > 1) {
            rng.shuffle(parsed.commands);
            body = JSON.stringify(parsed);
            count('reorder');
          }
        }
        if (faultsOn && isPush && body && rng.chance(0.04)) {
          // Held by a slow link: the tablet gives up on it; it reaches the server after later pushes.
          count('stale-batch-held');
          held.push({ t, url, headers, body });
          throw new TypeError(`${NETWORK_DOWN} (request held in the network)`);
        }
        if (x.kills !== kills || x.down || !x.app) throw new TypeError(`${NETWORK_DOWN} (server instance died)`);
        const a = x.app;
        const inject = async () => {
          // The server reads its clock as the request starts (the batch's time [D8]); the sim's clock
          // may move on while it runs, so it is read here, not when the answer comes.
          const serverNow = simNow + x.skewMs;
          const served = a.inject({ method, url, headers, ...(body !== undefined ? { payload: body } : {}) });
          x.inflight.add(served);
          const r = await served.finally(() => x.inflight.delete(served));
          // [D8] The server time each command was applied at (whichever answer said so), so the oracle
          // clamps what the server clamped; [O3] and which command each seq was.
          if ((isPush || /\/(sync|admin)\/import/.test(url)) && r.statusCode === 200) {
            for (const c of (JSON.parse(r.body) as PushResponse).results) {
              oracle.answered(t.deviceId, c.seq, c.id);
              if (c.status === 'applied') oracle.applied(c.id, serverNow);
            }
          }
          // Another request killed this instance meanwhile: to this tablet, the connection dropped.
          if (x.kills !== kills) throw new TypeError(`${NETWORK_DOWN} (server instance died)`);
          return r;
        };
        if (faultsOn && isPush && opts.kills !== false && database!.kill && instances.length > 1 && up.length > 1 && rng.chance(0.05)) {
          // [J2] Two instances on one PostgreSQL: this one dies in the middle of the batch. PostgreSQL
          // rolls back whatever it had not committed; the tablet only sees its connection drop.
          const before = await deviceSeq(t.deviceId);
          const answer = inject().catch(() => undefined);
          await new Promise((r) => setTimeout(r, rng.int(0, 6)));
          x.kills += 1;
          // No request starts on it from now on: it is gone for every tablet, not only this one.
          x.down = true;
          const dying = (async () => {
            await database!.kill!(x.label);
            await answer;
            await closeInstance(x);
          })();
          killing.add(dying);
          await dying.finally(() => killing.delete(dying));
          x.downFor = rng.int(1, 4);
          const after = await deviceSeq(t.deviceId);
          count(after === before ? 'instance-killed-mid-batch (rolled back)' : 'instance-killed-mid-batch (after commit)');
          // Committed before it died: the commands it applied ran at its time [D8].
          if (after !== before) for (const c of (JSON.parse(body!) as { commands: Envelope[] }).commands) if (c.seq > before && c.seq <= after) {
            oracle.answered(t.deviceId, c.seq, c.id);
            oracle.applied(c.id, simNow + x.skewMs);
          }
          throw new TypeError(`${NETWORK_DOWN} (server instance killed)`);
        }
        let res;
        if (faultsOn && isPush && rng.chance(opts.sabotage === 'conflict' ? 0.5 : 0.1)) {
          count('duplicate');
          if (rng.chance(0.5)) {
            const [r1, r2] = await Promise.all([inject(), inject()]);
            check(t, url, r1);
            check(t, url, r2);
            res = rng.chance(0.5) ? r1 : r2;
          } else {
            check(t, url, await inject());
            if (opts.sabotage === 'conflict') {
              const parsed = JSON.parse(body!) as { deviceId: string; commands: OutboxEntry[] };
              parsed.commands[0]!.payload = { ...(parsed.commands[0]!.payload as object), sabotaged: true };
              body = JSON.stringify(parsed);
            }
            res = await inject();
          }
        } else res = await inject();
        check(t, url, res);
        if (faultsOn && rng.chance(0.07)) {
          count('drop-response');
          throw new TypeError(`${NETWORK_DOWN} (response lost)`);
        }
        // [D8] The instance's clock in the Date header, as a real server sends it: the tablet learns it.
        const h = new Headers({ date: new Date(simNow + x.skewMs).toUTCString() });
        const ct = res.headers['content-type'];
        if (typeof ct === 'string') h.set('content-type', ct);
        return new Response(res.body, { status: res.statusCode, headers: h });
      }) as FetchLike;

    const deviceSeq = async (deviceId: string) => Number((await control!.db.selectFrom('devices').select('last_seq').where('id', '=', deviceId).executeTakeFirst())?.last_seq ?? 0);

    /** Every non-2xx answer is suspicious here: the sim only sends well-formed commands with valid tokens. */
    const check = (t: Tablet, url: string, r: { statusCode: number; body: string }) => {
      if (r.statusCode >= 200 && r.statusCode < 300) {
        t.signatureRefused = undefined;
        return;
      }
      // [T1] A signature refused for its time after a clock moved by more than the window (a server
      // instance's clock put right, a tablet's jump): the answer's Date header corrects the tablet's
      // offset and it signs again once. Refused twice in a row, the tablet did not learn — unless the
      // second refusal is of the same signed request: a copy the network duplicated, or the same
      // answer checked again (seed 1129: one request, duplicated, refused twice for one signed time).
      const signedAt = r.statusCode === 401 && r.body.includes('"bad-signature"') && r.body.includes("from the server's time") ? (/signature was made at ([^,]+?), more than/.exec(r.body)?.[1] ?? '?') : undefined;
      if (signedAt !== undefined && (!t.signatureRefused || t.signatureRefused === signedAt)) {
        if (!t.signatureRefused) count('signature-time-refused');
        t.signatureRefused = signedAt;
        return;
      }
      violations.push(`tablet ${t.name}: ${url.split('?')[0]} answered ${r.statusCode} ${r.body.slice(0, 300)}`);
    };

    const newEngine = (t: Tablet): SyncEngine => {
      const pushBatch = rng.pick([2, 5, 200]);
      // Bootstraps page at the same small sizes, so multi-page bootstraps are exercised too.
      const pullLimit = rng.pick([25, 200, 2000]);
      const e = new SyncEngine(t.db, {
        fetch: makeFetch(t),
        now: () => simNow + t.skewMs,
        random: rng.float,
        checksumEveryMs: 0,
        pushBatch,
        pullLimit,
        bootstrapLimit: pullLimit,
        // No wall-clock deadline: on a loaded machine (long runs at nice 19) a request could outlast
        // 30 real seconds, the engine would move on while this harness's adapter kept running (an
        // instance kill or close finishing behind the next steps' backs), and the run would no
        // longer be the sequence of steps it reports. Hung requests are modelled as faults here;
        // the deadline itself is tested in src/sync/push-robustness.test.ts [D10].
        requestTimeoutMs: 0,
      });
      // Never started: stop() only disarms the retry timer cycle() schedules (it would fire later).
      e.stop();
      e.status.subscribe((s, prev) => {
        if (t.crash.dead) return; // a dead tablet's last words are not the sync's fault
        if (s.alarm && s.alarm !== prev.alarm) violations.push(`tablet ${t.name}: alarm "${s.alarm}"`);
        if (s.lastError && s.lastError !== prev.lastError && !s.lastError.startsWith('The server could not be reached')) {
          violations.push(`tablet ${t.name}: sync error "${s.lastError}"`);
        }
      });
      return e;
    };

    /** The tablet "process" died: open its database afresh, with nothing of the old one in memory. */
    const reopen = async (t: Tablet) => {
      for (const e of t.engines) e.stop();
      t.db.close();
      t.crash = { dead: false };
      t.db = openTabletDb(t.dbName, t.crash);
      await t.db.open();
      t.engines = [newEngine(t)];
    };

    /**
     * [D5] The tablet is wiped and restored from its backup. What it made after the backup and the
     * server never received is gone with the wipe (the oracle forgets it: nobody can recover it);
     * what the server has comes back by pull. Pushes still in the network are lost with it.
     */
    const restore = async (t: Tablet) => {
      const b = t.backup!;
      const after = t.dispatched.slice(b.dispatched);
      const onServer = new Set(after.length ? (await control!.db.selectFrom('commands').select('id').where('id', 'in', after.map((d) => d.id)).execute()).map((r) => r.id) : []);
      const lost = new Set(after.filter((d) => !onServer.has(d.id)).map((d) => d.id));
      t.dispatched = t.dispatched.filter((d) => !lost.has(d.id));
      oracle.forget(lost);
      for (const [id, c] of newCustomers) if (lost.has(c.commandId)) newCustomers.delete(id);
      for (let i = held.length - 1; i >= 0; i--) if (held[i]!.t === t) held.splice(i, 1);
      for (const e of t.engines) e.stop();
      t.db.close();
      t.generation += 1;
      t.dbName = `${t.dbName.replace(/-r\d+$/, '')}-r${t.generation}`;
      t.crash = { dead: false };
      t.db = openTabletDb(t.dbName, t.crash);
      await t.db.open();
      await t.db.transaction('rw', t.db.tables, async () => {
        for (const table of t.db.tables) await table.bulkAdd(b.tables.get(table.name) ?? []);
      });
      t.engines = [newEngine(t)];
      t.restored = true;
      if (lost.size) count('restore-lost-unsent-commands');
    };

    /**
     * The roll-up as a job on one instance's store. If a push kills that instance meanwhile, the job
     * dies with it (its transaction rolled back, its connection gone): the next round catches up, as a
     * restarted server's would. Any other failure is the simulation's.
     */
    const rollUpOn = async (js: Store) => {
      const x = instances.find((i) => i.store === js);
      const kills = x?.kills;
      try {
        await rollUpAvailability(js, simNow);
      } catch (e) {
        if (!x || x.kills === kills) throw e;
        count('rollup-died-with-its-instance');
      }
    };

    const env = (t: Tablet): DispatchEnv => ({ now: () => simNow + t.skewMs, random: rng.bytes });

    // ---------------------------------------------------------------- commands
    const totalWeight = SIM_COMMANDS.reduce((s, c) => s + c.weight, 0);
    const pickKind = (): SimCommand => {
      let r = rng.float() * totalWeight;
      for (const c of SIM_COMMANDS) if ((r -= c.weight) < 0) return c;
      return SIM_COMMANDS[0]!;
    };

    /** An associate makes a command on this tablet; `reject` gives it an actor the server refuses [C4]. */
    const doCommand = async (t: Tablet, kind: SimCommand = pickKind(), reject = false): Promise<void> => {
      if (t.crash.dead) return;
      const plan = await kind.plan(workload, t).catch((e: unknown) => (t.crash.dead ? undefined : Promise.reject(e)));
      if (!plan) return;
      let { actor, expect } = plan;
      if (reject && plan.rejectable) {
        ({ actor, expect } = rejectedActor(workload, t, plan.type ?? kind.type));
        count(`rejected-command (${expect.status === 'rejected' ? expect.code : ''})`);
      }
      try {
        const type = plan.type ?? kind.type;
        const d = await dispatch(t.db, actor, COMMANDS.get(type)!, plan.payload, env(t));
        lastCommandId = d.command.id;
        oracle.record(t.name, d.command, expect);
        t.dispatched.push({ id: d.command.id, deviceId: d.command.deviceId, seq: d.command.seq, type, expect });
        byType[type] = (byType[type] ?? 0) + 1;
        plan.dispatched?.();
        if (plan.variant) count(plan.variant);
      } catch (e) {
        // [C2] A tablet that died inside dispatch's transaction made nothing: no seq, no effect.
        if (t.crash.dead) {
          count('crash-inside-dispatch');
          return;
        }
        // The tablet refuses what it can see is wrong (a note for a customer it has not pulled yet).
        if (e instanceof DomainError) {
          count(`refused-on-tablet (${e.code})`);
          return;
        }
        throw e;
      }
    };

    const syncTablet = async (t: Tablet) => {
      if (t.engines.length > 1) {
        count('two-tabs');
        await Promise.all(t.engines.map((e) => e.syncNow()));
      } else await t.engines[0]!.syncNow();
    };

    /**
     * [P5] After a sync cycle that got through, with the tablet's cursors at the head of its streams,
     * what it shows must be the server's state plus its pending commands, as the oracle replays them.
     */
    const checkView = async (t: Tablet, when: string, syncedBefore: number | null) => {
      if (t.crash.dead || t.engines.length !== 1 || live().length === 0) return;
      const s = t.engines[0]!.status.getState();
      if (s.lastError !== null || s.lastSyncAt === null || s.lastSyncAt === syncedBefore) return;
      const streams = ['customers', `store:${t.storeId}`];
      for (const stream of streams) {
        if ((await t.db.cursors.get(stream))?.version !== (await control!.streamVersion(stream))) {
          count('p5-check-skipped (stream moved on)');
          return;
        }
      }
      const phantoms = await phantomRaised(t);
      if (phantoms.size) fail(`[P5] tablet ${t.name} ${when} shows exceptions only it raised, for commands that are no longer pending: ${[...phantoms].join(', ')}`);
      const diff = await oracle.checkView(control!, t.db, streams);
      count('p5-check');
      if (diff.length) {
        const [outbox, alerts] = [await t.db.outbox.toArray(), await t.db.alerts.toArray()];
        const context = `outbox seqs [${outbox.map((e) => e.seq).join(',')}], alerts [${alerts.map((x) => `${x.kind} ${x.command.type} #${x.command.seq} ${x.error?.code ?? ""}`).join(', ')}], device lastSeq ${(await getDevice(t.db))?.lastSeq}, server lastSeq ${await deviceSeq(t.deviceId)}`;
        const ids = [...new Set(diff.map((d) => /^exceptions ([^:]+):/.exec(d)?.[1]).filter((x): x is string => !!x))];
        const owners = ids.map((id) => {
          const r = oracle.expectation(id);
          return r ? `${id} is ${r.envelope.type} #${r.envelope.seq} of ${r.tablet}, expected ${r.expect.status}` : `${id} is no command the tablets made`;
        });
        fail(`[P5] tablet ${t.name} ${when} does not show "server state + its pending commands": ${diff.join(' | ')} (${context}${owners.length ? `; ${owners.join('; ')}` : ''})`);
      }
    };

    const lastSync = (t: Tablet) => t.engines[0]!.status.getState().lastSyncAt;

    const isBootstrapped = async (t: Tablet) => {
      const device = await getDevice(t.db);
      if (!device) return false;
      for (const stream of device.streams) if (!((await t.db.cursors.get(stream))?.syncedAt)) return false;
      return true;
    };

    // [W1] A few web orders wait at every store before the tablets start, so the pickup queue has work.
    for (const storeId of STORES.slice(0, nTablets)) for (let i = 0; i < 2; i++) await placeWebOrder(storeId);

    // ---------------------------------------------------------------- enroll and bootstrap
    for (let n = 0; n < nTablets; n++) {
      const storeId = STORES[n % STORES.length]!;
      const code = `SIM-${storeId}`;
      const r = await instances[0]!.app!.inject({ method: 'POST', url: '/api/v1/devices/enroll', payload: { code, name: `Sim ${n}` } });
      if (r.statusCode !== 200) fail(`enrollment of tablet ${n} at ${storeId} failed: ${r.statusCode} ${r.body}`);
      const e = r.json<EnrollResponse>();
      const crash: CrashSwitch = { dead: false };
      const dbName = `sim-${seed}-${n}-${backend}-${started}`;
      const db = openTabletDb(dbName, crash);
      await db.open();
      await saveEnrollment(db, e, simNow);
      const skew = rng.chance(0.5) ? rng.int(-2 * 3600_000, 2 * 3600_000) : 0;
      const t: Tablet = { n, name: `${storeId}/${e.deviceCode}`, dbName, db, crash, storeId, deviceId: e.deviceId, skewMs: skew, online: true, engines: [], dispatched: [], bootstrapped: false, busyInFetch: false, restored: false, generation: 0 };
      t.engines.push(newEngine(t));
      tablets.push(t);
      faultsOn = false;
      if (rng.chance(0.4)) {
        // [P4] The network drops in the middle of the bootstrap; the next sync carries on from the cursor.
        count('bootstrap-partition');
        t.partitionIn = rng.int(1, 8);
        await t.engines[0]!.syncNow();
        t.partitionIn = undefined;
        t.online = true;
      }
      if (rng.chance(0.3)) {
        // [P3] The tablet dies while writing a bootstrap page: that page and its cursor go together or not at all.
        t.crash.armed = rng.int(1, 12);
        await t.engines[0]!.syncNow();
        t.crash.armed = undefined;
        if (t.crash.dead) {
          count('bootstrap-crash');
          await reopen(t);
        }
      }
      for (let tries = 0; !(await isBootstrapped(t)); tries++) {
        if (tries > 3) fail(`tablet ${t.name} did not bootstrap`);
        await t.engines[0]!.syncNow();
      }
      faultsOn = true;
      t.bootstrapped = true;
      await checkView(t, 'after its bootstrap', null);
    }
    log(`  enrolled in ${Date.now() - started} ms`);
    if (violations.length) fail(`during enrollment: ${violations.join('; ')}`);

    // ---------------------------------------------------------------- chaos
    for (let step = 0; step < steps; step++) {
      simNow += rng.int(200, 45_000);
      for (const x of instances) {
        if (x.down && x.downFor > 0 && --x.downFor === 0) await openInstance(x);
      }
      if (live().length) await confirmCustomers();
      // [J1] The jobs worker ticks on its own (every second in production): now and then, between steps.
      if (rng.chance(0.2)) await jobsOn();
      const t = rng.pick(tablets);
      const action = rng.weighted({ command: 56, 'web-order': 10, expire: 4, 'points-expire': 3, 'tier-review': 5, erase: 3, jobs: 2, sync: 26, burst: 5, busy: 6, clock: 2, import: 2, offline: 6, crash: 3, 'crash-write': 4, tab: 3, restart: 2, rollup: 3, stale: 2, 'server-clock': 1, reject: 3, backup: 2, restore: 2, reenroll: 1 });
      switch (action) {
        case 'command':
          await doCommand(t);
          break;
        case 'web-order':
          await placeWebOrder(t.storeId);
          break;
        case 'expire':
          await expireOne();
          break;
        case 'erase':
          await eraseOne();
          break;
        case 'points-expire':
          await expirePoints();
          break;
        case 'tier-review':
          await reviewTier();
          break;
        case 'jobs':
          await jobsOn();
          break;
        case 'reject':
          await doCommand(t, pickKind(), true);
          break;
        case 'sync': {
          const before = lastSync(t);
          await syncTablet(t);
          await checkView(t, 'after a sync', before);
          break;
        }
        case 'burst': {
          // Several tablets syncing at once: the server must serialise their writers.
          const some = rng.shuffle([...tablets]).slice(0, rng.int(2, 5));
          count('burst');
          const js = jobStore();
          const rollup = js && rng.chance(0.4);
          if (rollup) count('rollup-during-burst');
          await Promise.all([...some.map((x) => syncTablet(x)), ...(rollup ? [rollUpOn(js)] : [])]);
          break;
        }
        case 'busy': {
          // The cashier works while a sync of the same tablet is running.
          count('dispatch-during-sync');
          const before = lastSync(t);
          await Promise.all([syncTablet(t), doCommand(t)]);
          await checkView(t, 'after a sync it sold during', before);
          break;
        }
        case 'clock':
          // The tablet's clock is corrected (or goes wrong) by up to ±2 h: its HLC must stay monotonic.
          count('clock-jump');
          t.skewMs = rng.int(-2 * 3600_000, 2 * 3600_000);
          break;
        case 'server-clock': {
          // One server instance's clock is off by up to ±10 min (or is put right).
          const x = rng.pick(instances);
          x.skewMs = rng.chance(0.3) ? 0 : rng.int(-600_000, 600_000);
          count('server-clock-skew');
          break;
        }
        case 'import': {
          // [D3] A manager exports the unsent commands and imports the file on the server; the
          // tablet, which never hears of it, pushes the same commands later.
          const x = live()[0];
          if (!x || t.crash.dead) break;
          const file = await exportUnsent(t.db);
          if (file.commands.length === 0) break;
          count('export-import');
          const device = (await getDevice(t.db))!;
          const r = await x.app!.inject({ method: 'POST', url: '/api/v1/sync/import', headers: { authorization: `Bearer ${device.deviceToken}` }, payload: file });
          // [D6] The file also holds an earlier enrollment's commands the server lacks: they go first,
          // so the tablet's token imports nothing, and an administrator may import the whole file.
          if (r.statusCode === 409 && r.body.includes('"previous-first"')) {
            count('export-import refused (earlier enrollment first)');
            if (rng.chance(0.5)) {
              count('export-import by an administrator');
              // [T2] A real outbox keeps each command with the sign-in it was made under. The sim's
              // tablets get theirs added on the way to a push (helpers/client.ts), which an upload
              // under the administrator's credential does not pass: add them here (sim seed 31).
              const sign = (cs: typeof file.commands) => Promise.all(cs.map((c) => withSignIn(x.store!, c)));
              const signed = { ...file, commands: await sign(file.commands), ...(file.previous ? { previous: await Promise.all(file.previous.map(async (p) => ({ ...p, commands: await sign(p.commands) }))) } : {}) };
              check(t, '/api/v1/admin/import', await x.app!.inject({ method: 'POST', url: '/api/v1/admin/import', headers: { authorization: `Bearer ${DEMO_ADMIN_TOKEN}` }, payload: signed }));
            }
            break;
          }
          check(t, '/api/v1/sync/import', r);
          break;
        }
        case 'stale': {
          // A push held by the network arrives now, after the pushes the tablet sent since [C3].
          const x = live()[0];
          const h = held.shift();
          if (!x || !h) break;
          count('stale-batch-delivered');
          check(h.t, h.url, await x.app!.inject({ method: 'POST', url: h.url, headers: h.headers, payload: h.body }));
          break;
        }
        case 'offline':
          t.online = !t.online;
          count(t.online ? 'back-online' : 'go-offline');
          break;
        case 'crash':
          // The app is closed between dispatch's commit and the push: a new engine on the same database.
          count('app-restart');
          if (rng.chance(0.6)) await doCommand(t, SIM_COMMANDS[0]);
          t.engines = [newEngine(t)];
          break;
        case 'crash-write':
          // The tablet dies in the middle of one of its IndexedDB writes (sync, rebase or a sale).
          t.crash.armed = rng.int(1, 10);
          if (rng.chance(0.7)) await syncTablet(t);
          else await Promise.all([syncTablet(t), doCommand(t)]);
          t.crash.armed = undefined;
          if (t.crash.dead) {
            count('crash-mid-write');
            await reopen(t);
          }
          break;
        case 'tab':
          if (t.engines.length === 1) {
            count('open-second-tab');
            t.engines.push(newEngine(t));
          } else {
            count('close-second-tab');
            t.engines = [t.engines[0]!];
          }
          break;
        case 'restart': {
          const x = rng.pick(instances);
          if (x.down) break;
          if (rng.chance(0.5)) {
            count('server-restart');
            await closeInstance(x);
            await openInstance(x);
          } else {
            // Down for a few steps: requests meanwhile go to another instance or fail like a refused connection.
            count('server-outage');
            await closeInstance(x);
            x.downFor = rng.int(1, 6);
          }
          break;
        }
        case 'backup':
          // [D5] The tablet's storage is backed up (an OS backup, a copied profile): one snapshot of
          // every table at one moment, as a copy of the database files is. Read table by table, a
          // sync's acknowledgement could land between two reads, leaving a command in neither the
          // outbox nor "Needs attention" of the copy (PostgreSQL seed 173, a harness fault).
          if (t.crash.dead) break;
          count('backup-taken');
          t.backup = { tables: new Map(await t.db.transaction('r', t.db.tables, () => Promise.all(t.db.tables.map(async (x) => [x.name, await x.toArray()] as [string, unknown[]])))), dispatched: t.dispatched.length, deviceId: t.deviceId };
          break;
        case 'restore':
          if (!t.backup || t.backup.deviceId !== t.deviceId) break;
          count('restore-from-backup');
          await restore(t);
          break;
        case 'reenroll': {
          // [D6] The tablet is enrolled again while it still holds unsent commands.
          if (t.crash.dead || (await t.db.outbox.count()) === 0) break;
          const x = live()[0];
          if (!x) break;
          const r = await x.app!.inject({ method: 'POST', url: '/api/v1/devices/enroll', payload: { code: `SIM-${t.storeId}`, name: `Sim ${t.n} again` } });
          if (r.statusCode !== 200) fail(`re-enrollment of ${t.name} failed: ${r.statusCode} ${r.body}`);
          const e = r.json<EnrollResponse>();
          count('reenroll-with-unsent');
          await saveEnrollment(t.db, e, simNow + t.skewMs);
          t.deviceId = e.deviceId;
          t.name = `${t.storeId}/${e.deviceCode}`;
          t.backup = undefined;
          t.engines = [newEngine(t)];
          break;
        }
        case 'rollup': {
          const js = jobStore();
          if (js) {
            count('rollup');
            await rollUpAvailability(js, simNow);
          }
          break;
        }
      }
    }

    // ---------------------------------------------------------------- heal
    log(`  chaos done at ${Date.now() - started} ms`);
    faultsOn = false;
    await Promise.allSettled([...killing]);
    for (const x of instances) if (x.down) await openInstance(x);
    // Whatever the network still held arrives now, after everything the tablets sent since.
    for (const h of held.splice(0)) {
      count('stale-batch-delivered');
      check(h.t, h.url, await instances[0]!.app!.inject({ method: 'POST', url: h.url, headers: h.headers, payload: h.body }));
    }
    for (const t of tablets) {
      t.online = true;
      if (t.crash.dead) await reopen(t);
      t.engines = [t.engines[0]!];
    }
    let rounds = 0;
    for (;;) {
      let pending = 0;
      for (const t of tablets) pending += await t.db.outbox.count();
      if (pending === 0) break;
      if (++rounds > 12) {
        const stuck = [];
        for (const t of tablets) {
          const outbox = await t.db.outbox.orderBy('seq').toArray();
          if (outbox.length === 0) continue;
          const s = t.engines[0]!.status.getState();
          stuck.push(`${t.name}: outbox ${outbox.map((e) => `#${e.seq} ${e.type}`).join(', ')}, device lastSeq ${(await getDevice(t.db))?.lastSeq}, server lastSeq ${await deviceSeq(t.deviceId)}, held ${await t.db.held.count()}, last error ${JSON.stringify(s.lastError)}, alarm ${JSON.stringify(s.alarm)}`);
        }
        fail(`outboxes never drained after healing: ${pending} commands still unsent after ${rounds - 1} rounds (${stuck.join(' | ')})`);
      }
      for (const t of tablets) await t.engines[0]!.syncNow();
    }
    // [J1] The follow-ups still due run before the last passes (an erasure's anonymising, a till
    // order's sourcing, a share settled at the warehouse), on a clock past every instance's skew,
    // until a round finds nothing (a hand-over's settling can follow a sourcing).
    await jobsOn(15 * 60_000);
    await jobsOn(15 * 60_000);
    for (const t of tablets) await t.engines[0]!.syncNow();
    await rollUpAvailability(instances[0]!.store!, simNow);
    // [EX2] A store-stream pull reports the tablet's unsent commands and may rewrite its `tablets`
    // row on that stream (another instance's clock can make the row stale), so a tablet that synced
    // earlier in a pass can be one version behind: pass again until a whole pass changes no stream.
    const heads = async () => JSON.stringify(await control!.db.selectFrom('stream_versions').select(['stream', 'version']).orderBy('stream').execute());
    for (let pass = 1; ; pass++) {
      const before = await heads();
      for (const t of tablets) await t.engines[0]!.syncNow();
      if ((await heads()) === before) break;
      if (pass >= 5) fail(`streams still moving after ${pass} passes with nothing left to send`);
    }

    // [D5] A restored tablet renumbered what it still held: the server's seq, and the new receipt
    // number the tablet announced under "Needs attention", are what the oracle goes by from now on.
    for (const t of tablets.filter((x) => x.restored)) {
      const ids = t.dispatched.map((d) => d.id);
      const seqs = new Map((ids.length ? await control.db.selectFrom('commands').select(['id', 'seq']).where('id', 'in', ids).execute() : []).map((r) => [r.id, Number(r.seq)]));
      for (const d of t.dispatched) d.seq = seqs.get(d.id) ?? d.seq;
      for (const a of await t.db.alerts.toArray()) if (a.kind === 'renumbered') oracle.renumbered(a.command);
      oracle.reseq(seqs);
    }
    log(`  healed at ${Date.now() - started} ms (${rounds} rounds)`);
    report.commands = tablets.reduce((s, t) => s + t.dispatched.length, 0);
    log(`seed ${seed} ${backend}: ${report.commands} commands ${JSON.stringify(byType)}, faults ${JSON.stringify(faults)}`);

    // ---------------------------------------------------------------- invariants
    if (opts.sabotage === 'tablet-row') {
      const t = tablets[0]!;
      const c = (await t.db.customers.toCollection().first())!;
      await t.db.customers.put({ ...c, firstName: `${c.firstName}x` });
    }
    if (opts.sabotage === 'stock') {
      const r = await control.db.selectFrom('rows').select(['key', 'data']).where('tbl', '=', 'stock').executeTakeFirstOrThrow();
      const row = JSON.parse(r.data!) as Tables['stock'];
      await control.db.updateTable('rows').set({ data: JSON.stringify({ ...row, onHand: row.onHand + 1 }) }).where('tbl', '=', 'stock').where('key', '=', r.key).execute();
    }
    if (violations.length) fail(`${violations.length} anomal${violations.length === 1 ? 'y' : 'ies'} while running; first: ${violations.slice(0, 3).join(' | ')}`);
    // [PQ5] Which of two conflicting pickup transitions won depends on arrival: settled first, so
    // "Needs attention" is judged against the answers that order of arrival gives.
    await oracle.learnJobs(control);
    const unsettled = await oracle.settleOrders(control);
    if (unsettled.length) fail(`the server's pickup answers are not what the tablets did: ${unsettled.slice(0, 4).join(' | ')}`);
    for (const t of tablets) for (const d of t.dispatched) if (d.expect.byArrival) d.expect = oracle.expected(oracle.expectation(d.id)!);
    for (const [k, v] of Object.entries(oracle.stats)) faults[k] = (faults[k] ?? 0) + v;
    await checkInvariants(control, tablets, fail);
    const wrong = await oracle.checkServer(control);
    if (wrong.length) fail(`the server's state is not what the tablets did: ${wrong.slice(0, 6).join(' | ')}`);
    report.ms = Date.now() - started;
    return report;
  } finally {
    for (const x of instances) await closeInstance(x).catch(() => undefined);
    await control?.close().catch(() => undefined);
    for (const t of tablets) {
      for (const e of t.engines) e.stop();
      t.db.close();
      await t.db.delete().catch(() => undefined);
    }
    await database?.destroy().catch(() => undefined);
  }
}

const strip = (table: TableName, row: object): string => canonicalJson(serverRow(table, row));

/**
 * [P5] Exceptions a tablet raised as it dispatched (a sale rung up with the shelf empty raises
 * "oversold", under an id derived from the command's) that no server copy backs, for commands of
 * this tablet that are neither pending nor under "Needs attention": the server applied them without
 * raising it, so no pull will ever bring it. The acknowledgement must take it away; one left is a
 * phantom a manager would chase. Fatal (the rows would also fail the comparison; this names them).
 */
async function phantomRaised(t: Tablet): Promise<Set<string>> {
  const mine = new Set(t.dispatched.map((d) => d.id));
  const pending = new Set([...(await t.db.outbox.toArray()), ...(await t.db.held.toArray())].map((e) => e.id));
  const alerted = new Set((await t.db.alerts.toArray()).map((a) => a.command.id));
  const rows = await t.db.exceptions.filter((e) => e._v === undefined).toArray();
  return new Set(rows.filter((e) => e.commandId !== undefined && mine.has(e.commandId) && !pending.has(e.commandId) && !alerted.has(e.commandId)).map((e) => e.id));
}

async function checkInvariants(store: Store, tablets: Tablet[], fail: (what: string) => never): Promise<void> {
  // [C3] Exactly once: one commands row per (device, seq) and per id; as many as were dispatched.
  // Commands of the web channel and the schedule [O1] are the oracle's to check (oracle.ts).
  const cmds = await store.db.selectFrom('commands').select(['device_id', 'seq', 'id', 'type', 'status', 'result']).where('origin', '=', 'device').execute();
  const dispatched = tablets.flatMap((t) => t.dispatched.map((d) => ({ ...d, tablet: t })));
  if (cmds.length !== dispatched.length) fail(`exactly-once: the server recorded ${cmds.length} commands, the tablets dispatched ${dispatched.length}`);
  const bySeq = new Map<string, (typeof cmds)[number]>();
  const byId = new Map<string, (typeof cmds)[number]>();
  for (const c of cmds) {
    const k = `${c.device_id}#${Number(c.seq)}`;
    if (bySeq.has(k)) fail(`exactly-once: (device, seq) ${k} recorded twice`);
    if (byId.has(c.id)) fail(`exactly-once: command id ${c.id} recorded twice`);
    bySeq.set(k, c);
    byId.set(c.id, c);
  }
  for (const d of dispatched) {
    const c = byId.get(d.id);
    if (!c) fail(`exactly-once: command ${d.type} #${d.seq} of ${d.tablet.name} (${d.id}) never reached the server`);
    if (c!.device_id !== d.deviceId || Number(c!.seq) !== d.seq) fail(`order: command ${d.id} was recorded as ${c!.device_id}#${c!.seq}, dispatched as ${d.deviceId}#${d.seq}`);
  }
  // [C1] Per device: seqs 1..n with no gap, dispatched in that order, and the device's last seq is n.
  const devices = new Map((await store.db.selectFrom('devices').select(['id', 'last_seq']).execute()).map((d) => [d.id, Number(d.last_seq)]));
  for (const t of tablets) {
    for (const deviceId of new Set(t.dispatched.map((d) => d.deviceId))) {
      const mine = t.dispatched.filter((d) => d.deviceId === deviceId);
      mine.forEach((d, i) => {
        if (d.seq !== i + 1) fail(`order: tablet ${t.name} (${deviceId}) made seq ${d.seq} as its command #${i + 1}`);
      });
      const server = cmds.filter((c) => c.device_id === deviceId).map((c) => Number(c.seq)).sort((a, b) => a - b);
      server.forEach((s, i) => {
        if (s !== i + 1) fail(`order: the server holds seq ${s} of ${t.name} (${deviceId}) in position ${i + 1} (a gap)`);
      });
      if (devices.get(deviceId) !== mine.length) fail(`order: device ${deviceId} of ${t.name} has last_seq ${devices.get(deviceId)} but made ${mine.length}`);
    }
  }

  // [C5] Sales: each sale's movements exist once per line; stock on hand = Σ movements.
  const movements = await store.db.selectFrom('movements').select(['id', 'location_id', 'sku', 'qty', 'command_id', 'kind']).execute();
  const movesPerCommand = new Map<string, number>();
  const moveIds = new Set<string>();
  const sumByKey = new Map<string, number>();
  for (const m of movements) {
    if (moveIds.has(m.id)) fail(`movement ${m.id} recorded twice`);
    moveIds.add(m.id);
    movesPerCommand.set(m.command_id, (movesPerCommand.get(m.command_id) ?? 0) + 1);
    const k = `${m.location_id}|${m.sku}`;
    // [PQ1] A reservation and its release hold goods back without moving them; a fulfil takes them off the shelf.
    if (m.kind !== 'reserve' && m.kind !== 'release') sumByKey.set(k, (sumByKey.get(k) ?? 0) + Number(m.qty));
    else sumByKey.set(k, sumByKey.get(k) ?? 0);
  }
  const stock = await store.db.selectFrom('rows').select(['key', 'data']).where('tbl', '=', 'stock').where('deleted', '=', 0).execute();
  const stockKeys = new Set<string>();
  for (const r of stock) {
    const s = JSON.parse(r.data!) as Tables['stock'];
    stockKeys.add(r.key);
    const moved = sumByKey.get(r.key) ?? 0;
    if (s.onHand !== moved) fail(`stock: ${r.key} has onHand ${s.onHand} but its movements sum to ${moved}`);
  }
  for (const k of sumByKey.keys()) if (!stockKeys.has(k)) fail(`stock: movements at ${k} but no stock row`);

  // Loyalty ledger: points = Σ ledger entries per customer; no entry twice.
  const ledger = await store.db.selectFrom('ledger').select(['id', 'account', 'amount']).execute();
  const ledgerIds = new Set<string>();
  const pointsBy = new Map<string, number>();
  for (const e of ledger) {
    if (ledgerIds.has(e.id)) fail(`ledger: entry ${e.id} recorded twice`);
    ledgerIds.add(e.id);
    pointsBy.set(e.account, (pointsBy.get(e.account) ?? 0) + Number(e.amount));
  }
  const serverCustomers = await store.db.selectFrom('rows').select(['key', 'data', 'version']).where('tbl', '=', 'customers').where('deleted', '=', 0).execute();
  for (const r of serverCustomers) {
    const c = JSON.parse(r.data!) as Tables['customers'];
    const sum = pointsBy.get(`points:${c.id}`) ?? 0;
    if (c.points !== sum) fail(`ledger: customer ${c.id} has ${c.points} points but its ledger sums to ${sum}`);
  }

  // Receipt numbers are gapless per device: its sales carry 000001..00000k, each once (a rejected
  // sale keeps its number: the server holds the others).
  const sales = (await store.db.selectFrom('rows').select('data').where('tbl', '=', 'sales').where('deleted', '=', 0).execute()).map((r) => JSON.parse(r.data!) as Tables['sales']);
  const returns = (await store.db.selectFrom('rows').select('data').where('tbl', '=', 'returns').where('deleted', '=', 0).execute()).map((r) => JSON.parse(r.data!) as Tables['returns']);
  for (const t of tablets) {
    const mineSales = sales.filter((x) => x.deviceId === t.deviceId).map((x) => Number(x.receiptNo.split('-')[2]));
    // [D5][RE1] A return takes its number from the same counter: no sale, order or return shares one.
    const mine = [...mineSales, ...returns.filter((x) => x.deviceId === t.deviceId).map((x) => Number(x.number.split('-')[2]))].sort((a, b) => a - b);
    const all = t.dispatched.filter((d) => (d.type === 'sale.complete' || d.type === 'order.create') && d.deviceId === t.deviceId);
    const expected = all.filter((d) => d.expect.status === 'applied').length;
    if (mineSales.length !== expected) fail(`sales: the server holds ${mineSales.length} sales of ${t.name}, it made ${expected} the server should apply`);
    // [RE1] Returns take their numbers from the same gapless counter (decision 45).
    const numbered = t.dispatched.filter((d) => (d.type === 'sale.complete' || d.type === 'return.create' || d.type === 'order.create') && d.deviceId === t.deviceId).length;
    if (new Set(mine).size !== mine.length || mine.some((n) => n < 1 || n > numbered)) fail(`sales: receipt numbers of ${t.name} (sales, orders and returns) are not distinct within 1..${numbered}: ${mine.join(',')}`);
    const device = await getDevice(t.db);
    // [D5] A restored tablet may reuse the number of a sale lost with the wipe, or skip one it renumbered.
    if (!t.restored && device?.lastReceipt !== numbered) fail(`sales: ${t.name} numbered ${device?.lastReceipt} receipts for ${numbered} sales and returns`);
  }

  // [P2] The roll-up published every stock figure: availability = on hand − reserved per location.
  const avail = new Map((await store.db.selectFrom('rows').select(['key', 'data']).where('tbl', '=', 'productAvailability').where('deleted', '=', 0).execute()).flatMap((r) => Object.entries((JSON.parse(r.data!) as Tables['productAvailability']).by)));
  for (const r of stock) {
    const s = JSON.parse(r.data!) as Tables['stock'];
    const a = avail.get(s.sku)?.[s.locationId];
    if (a !== s.onHand - s.reserved) fail(`availability: ${s.sku} at ${s.locationId} published as ${a}, stock says ${s.onHand - s.reserved} after the final roll-up`);
  }
  const dirty = await store.db.selectFrom('dirty_skus').select('sku').execute();
  if (dirty.length) fail(`availability: ${dirty.length} SKUs still dirty after the final roll-up`);

  // No seq-conflict exception was ever raised.
  const conflicts = await store.db.selectFrom('rows').select('key').where('tbl', '=', 'exceptions').where('key', 'like', 'seq-conflict:%').execute();
  if (conflicts.length) fail(`seq-conflict exception raised: ${conflicts.map((c) => c.key).join(', ')}`);

  // [P3][P5][P7] Every tablet: empty outbox/attention/base, cursors at the head, checksums and rows equal.
  for (const t of tablets) {
    const [outbox, base] = [await t.db.outbox.count(), await t.db.base.count()];
    if (outbox) fail(`tablet ${t.name}: ${outbox} commands left in the outbox`);
    // [C4] Under "Needs attention": exactly the commands the server was expected to reject.
    const alerts = await t.db.alerts.toArray();
    const rejected = alerts.filter((a) => a.kind === 'rejected').map((a) => a.command.id).sort().join(',');
    const expectedRejected = t.dispatched.filter((d) => d.expect.status === 'rejected').map((d) => d.id).sort().join(',');
    if (rejected !== expectedRejected) {
      const ids = [...new Set([...rejected.split(','), ...expectedRejected.split(',')])].filter((id) => id && !(rejected.includes(id) && expectedRejected.includes(id)));
      const rows = ids.length ? await store.db.selectFrom('commands').select(['id', 'device_id', 'seq', 'type', 'status', 'result']).where('id', 'in', ids).execute() : [];
      const what = ids.map((id) => {
        const c = rows.find((r) => r.id === id);
        const d = t.dispatched.find((x) => x.id === id);
        const a = alerts.find((x) => x.command.id === id);
        return `${id}: made as ${d ? `${d.type} ${d.deviceId}#${d.seq} expecting ${d.expect.status}` : 'nothing this tablet recorded'}, server ${c ? `${c.type} ${c.device_id}#${c.seq} ${c.status} ${c.status === 'rejected' ? c.result.slice(0, 160) : ''}` : 'has none'}, alert ${a ? `${a.kind} ${a.error?.code ?? ''} payload ${a.command.payload === null ? 'none' : 'kept'}` : 'none'}`;
      });
      fail(`tablet ${t.name}: "Needs attention" holds rejected commands [${rejected}], expected [${expectedRejected}] (restored: ${t.restored}; ${what.join('; ')})`);
    }
    const other = alerts.filter((a) => a.kind !== 'rejected' && !(a.kind === 'renumbered' && t.restored));
    if (other.length) fail(`tablet ${t.name}: ${other.length} unexpected alerts under "Needs attention", first ${other[0]!.kind}: ${JSON.stringify(other[0]!.error ?? other[0]!.receiptNo)}`);
    if (base) {
      const b = (await t.db.base.toArray())[0]!;
      const shown = (await t.db.table(b.tbl).get(b.key)) as object | undefined;
      fail(`tablet ${t.name}: ${base} base rows left after the last sync, with nothing pending (first ${b.tbl} ${b.key}: kept ${canonicalJson(b.row)}, shown ${canonicalJson(shown ?? null)})`);
    }
    const phantoms = await phantomRaised(t);
    if (phantoms.size) fail(`[P5] tablet ${t.name} keeps exceptions only it raised, for commands the server applied: ${[...phantoms].join(', ')}`);
    // [SE3] A sale the server refused still happened: the rows it created stay on the tablet only.
    const handedOver = alerts.filter((a) => a.kind === 'rejected' && handsOver(a.command.type) && a.command.payload !== null).map((a) => a.command);
    const kept = (table: TableName, key: string) =>
      handedOver.some((c) => (table === 'sales' && key === (c.payload as { saleId?: string }).saleId) || (table === 'returns' && key === (c.payload as { returnId?: string }).returnId) || (table === 'exceptions' && key.startsWith(`${c.id}:`)));
    const device = await getDevice(t.db);
    if (!device) fail(`tablet ${t.name}: lost its enrollment`);
    const made = t.dispatched.filter((d) => d.deviceId === t.deviceId).length;
    if (device!.lastSeq !== made) fail(`tablet ${t.name}: device lastSeq ${device!.lastSeq} ≠ ${made} made under this identity`);
    const held = await t.db.held.count();
    if (held) fail(`tablet ${t.name}: ${held} commands of an earlier enrollment still held [D6]`);
    for (const stream of device!.streams) {
      const version = await store.streamVersion(stream);
      const cursor = (await t.db.cursors.get(stream))?.version;
      if (cursor !== version) fail(`tablet ${t.name}: cursor of ${stream} is ${cursor}, the stream is at ${version}`);
      const server = await store.checksum(stream, version);
      const local = await localChecksum(t.db, stream);
      if ('stale' in server) fail(`tablet ${t.name}: server checksum of ${stream} stale at its own version`);
      if (!('stale' in server) && (server.count !== local.count || server.digest !== local.digest)) {
        fail(`tablet ${t.name}: checksum of ${stream} differs (server ${server.count} rows ${server.digest.slice(0, 12)}, tablet ${local.count} rows ${local.digest.slice(0, 12)})`);
      }
      await compareRows(store, t, stream, fail, kept);
    }
  }
}

/** Every live row of a stream on the server equals the tablet's copy (content and version), and no extra rows. */
async function compareRows(store: Store, t: Tablet, stream: StreamName, fail: (what: string) => never, kept: (table: TableName, key: string) => boolean): Promise<void> {
  const rows = await store.db.selectFrom('rows').select(['tbl', 'key', 'data', 'version']).where('stream', '=', stream).where('deleted', '=', 0).execute();
  const server = new Map(rows.map((r) => [`${r.tbl}\u0000${r.key}`, r]));
  for (const table of tablesOfStream(stream) as TableName[]) {
    const local = (await t.db.table(table).toArray()) as (Tables[TableName] & { _v?: number })[];
    let n = 0;
    for (const row of local) {
      const key = keyOf[table](row as never);
      // [M1] A row whose home is another stream is in this one too when the server says so (an order
      // reserved at this store and collected at another).
      if (streamOf(table, row as never) !== stream && !server.has(`${table}\u0000${key}`)) continue;
      if (row._v === undefined && kept(table, key)) continue;
      n += 1;
      const s = server.get(`${table}\u0000${key}`);
      if (!s) fail(`tablet ${t.name}: has ${table} ${key} which the server does not`);
      if (row._v !== Number(s!.version)) fail(`tablet ${t.name}: ${table} ${key} at version ${row._v}, server ${s!.version}`);
      const a = strip(table, row);
      const b = canonicalJson(JSON.parse(s!.data!));
      if (a !== b) fail(`tablet ${t.name}: ${table} ${key} differs from the server:\n  tablet ${a}\n  server ${b}`);
    }
    const expected = rows.filter((r) => r.tbl === table).length;
    if (n !== expected) fail(`tablet ${t.name}: holds ${n} ${table} rows of ${stream}, the server ${expected}`);
  }
}
