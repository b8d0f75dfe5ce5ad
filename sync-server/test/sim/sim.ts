// A deterministic, seeded simulation of a chain of tablets syncing with the server: the REAL tablet
// code (VitrineDb on fake-indexeddb, dispatch, SyncEngine) against the REAL server (createApp over a
// real SQLite or PostgreSQL store), joined by a fetch adapter onto app.inject() that injects faults.
//
// Faults, each drawn from the seeded PRNG: requests dropped before the server, responses lost after
// it committed, pushes delivered twice (one after the other or concurrently), commands of a push
// shuffled, server restarts and outages (app and store closed, the same database reopened), tablets
// offline for a while, tablet crashes between dispatch and push (a new SyncEngine on the same DB),
// clock skew and clock jumps of ±2 h, two tabs syncing one tablet at once (no Web Locks here),
// several tablets and the availability roll-up running concurrently, a sale rung up while its
// tablet syncs, and an "Export unsent" file imported on the server behind the tablet's back.
//
// After healing (all online, no faults, sync until every outbox is empty, one pull round, roll-up,
// one more round) the run checks: every dispatched command recorded exactly once per (device, seq)
// and per id, applied, seqs 1..n per device with no gap [C1][C3]; each sale's movements once; stock
// on hand = Σ movements; availability = on hand − reserved; points = Σ ledger, no ledger id twice;
// receipt numbers gapless per device; no seq-conflict; every tablet's outbox, attention and base
// empty, cursors at the head, checksums equal and every row of its streams equal to the server's
// (content and version), which covers customer convergence [P3][P5][P7]; and nothing unexpected
// while running (non-2xx answers, sync errors other than "unreachable", alarms, re-bootstraps
// forced by a checksum mismatch). A failure throws `seed <n>: <which invariant broke>`.
import type { FastifyInstance } from 'fastify';
import { createApp } from '../../src/http/app';
import type { Store } from '../../src/store/store';
import { rollUpAvailability } from '../../src/oms/rollup';
import { VitrineDb, type OutboxEntry } from '../../../src/db/schema';
import { getDevice, saveEnrollment } from '../../../src/db/device';
import { dispatch, type DispatchEnv } from '../../../src/db/dispatch';
import { exportUnsent, localChecksum, serverRow, tablesOfStream } from '../../../src/db/sync-store';
import { SyncEngine } from '../../../src/sync/engine';
import type { FetchLike } from '../../../src/sync/transport';
import type { EnrollResponse } from '../../../src/core/sync/protocol';
import { keyOf, streamOf, type StreamName, type TableName, type Tables, type CustomerField, type LocationRow } from '../../../src/core/model';
import { canonicalJson } from '../../../src/core/shared/canonical';
import { Rng } from './prng';
import { createSimDatabase, type SimBackend, type SimDatabase } from './backend';

export interface SimOptions {
  seed: number;
  backend: SimBackend;
  /** Number of tablets (≥ 2 stores are used as soon as there are 2 tablets). Default 10. */
  tablets?: number;
  /** Steps of the chaotic phase. Default 120. */
  steps?: number;
  /**
   * Self-test of the checker only: breaks something on purpose so a test can prove the run fails.
   * `conflict`: a duplicated push carries altered content; `tablet-row`: a tablet's customer row is
   * edited behind the sync's back; `stock`: a stock row moves without a movement.
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
  sales: number;
  customerUpdates: number;
  newCustomers: number;
  faults: Record<string, number>;
  ms: number;
}

/** Simulated wall clock start: the day after the seeded chain's "now". */
const START = Date.UTC(2025, 5, 2, 9, 0, 0);
const STORES = ['S01', 'S02', 'S03', 'S04'];
const NETWORK_DOWN = 'fetch failed';

interface Associate {
  id: string;
  storeId: string;
  role: string;
}

interface Dispatched {
  id: string;
  seq: number;
  type: string;
  lines: number;
}

interface Tablet {
  n: number;
  name: string;
  db: VitrineDb;
  storeId: string;
  deviceId: string;
  skewMs: number;
  online: boolean;
  engines: SyncEngine[];
  dispatched: Dispatched[];
  bootstrapped: boolean;
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

  // ---------------------------------------------------------------- server (restartable)
  let database: SimDatabase | undefined;
  let store: Store | undefined;
  let app: FastifyInstance | undefined;
  let serverDown = false;
  const openServer = async () => {
    store = await database!.open();
    app = await createApp({ store, clock: { now: () => simNow }, rollupIntervalMs: 0, ...(process.env.SIM_SERVER_LOG ? { logger: { level: 'error' } } : {}) });
    await app.ready();
  };
  const closeServer = async () => {
    const a = app;
    const s = store;
    app = undefined;
    store = undefined;
    await a?.close();
    await s?.close();
  };

  const tablets: Tablet[] = [];
  const customers: string[] = [];
  const report: SimReport = { seed, backend, tablets: nTablets, steps, commands: 0, sales: 0, customerUpdates: 0, newCustomers: 0, faults, ms: 0 };

  try {
    database = await createSimDatabase(backend);
    const chain = database.chain;
    await openServer();

    // Enrollment codes for the other stores (S01 has the demo's DEMO-S01).
    const at = new Date(START).toISOString();
    for (const s of STORES.slice(1)) {
      await store!.db.insertInto('enrollment_codes').values({ code: `SIM-${s}`, store_id: s, reusable: 1, used_by: null, created_at: at }).execute();
    }
    const associates: Associate[] = (await store!.db.selectFrom('rows').select('data').where('tbl', '=', 'associates').where('deleted', '=', 0).execute()).map((r) => JSON.parse(r.data!) as Associate);
    const locations = new Map(chain.locations.map((l) => [l.id as string, l as LocationRow]));
    customers.push(...chain.customers.map((c) => c.id as string));

    // ---------------------------------------------------------------- the fetch adapter (faults here)
    const makeFetch = (t: Tablet): FetchLike =>
      (async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
        const url = typeof input === 'string' ? input : input instanceof URL ? input.toString() : input.url;
        const method = (init?.method ?? 'GET') as 'GET' | 'POST';
        const headers = { ...((init?.headers as Record<string, string> | undefined) ?? {}) };
        let body = typeof init?.body === 'string' ? init.body : undefined;
        if (!t.online || serverDown || !app) {
          count(serverDown ? 'server-down' : 'offline');
          throw new TypeError(NETWORK_DOWN);
        }
        const isPush = method === 'POST' && url.includes('/sync/push');
        if (url.includes('/sync/pull') && url.includes('after=0&') && t.bootstrapped) {
          // A pull from 0 after the bootstrap is the engine repairing a stream whose checksum diverged.
          const single = t.engines.length === 1;
          if (single) violations.push(`tablet ${t.name} had to re-bootstrap ${decodeURIComponent(url.split('stream=')[1]!.split('&')[0]!)} (checksum diverged)`);
          count(single ? 'repair' : 'repair-two-tabs');
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
        const a = app;
        const inject = () => a.inject({ method, url, headers, ...(body !== undefined ? { payload: body } : {}) });
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
        const h = new Headers();
        const ct = res.headers['content-type'];
        if (typeof ct === 'string') h.set('content-type', ct);
        return new Response(res.body, { status: res.statusCode, headers: h });
      }) as FetchLike;

    /** Every non-2xx answer is suspicious here: the sim only sends valid commands with valid tokens. */
    const check = (t: Tablet, url: string, r: { statusCode: number; body: string }) => {
      if (r.statusCode >= 200 && r.statusCode < 300) return;
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
      });
      // Never started: stop() only disarms the retry timer cycle() schedules (it would fire later).
      e.stop();
      e.status.subscribe((s, prev) => {
        if (s.alarm && s.alarm !== prev.alarm) violations.push(`tablet ${t.name}: alarm "${s.alarm}"`);
        if (s.lastError && s.lastError !== prev.lastError && !s.lastError.startsWith('The server could not be reached')) {
          violations.push(`tablet ${t.name}: sync error "${s.lastError}"`);
        }
      });
      return e;
    };

    const env = (t: Tablet): DispatchEnv => ({ now: () => simNow + t.skewMs, random: rng.bytes });

    // ---------------------------------------------------------------- enroll and bootstrap
    for (let n = 0; n < nTablets; n++) {
      const storeId = STORES[n % STORES.length]!;
      const code = storeId === 'S01' ? 'DEMO-S01' : `SIM-${storeId}`;
      const r = await app!.inject({ method: 'POST', url: '/api/v1/devices/enroll', payload: { code, name: `Sim ${n}` } });
      if (r.statusCode !== 200) fail(`enrollment of tablet ${n} at ${storeId} failed: ${r.statusCode} ${r.body}`);
      const e = r.json<EnrollResponse>();
      const db = new VitrineDb(`sim-${seed}-${n}-${backend}-${started}`);
      await db.open();
      await saveEnrollment(db, e, simNow);
      const skew = rng.chance(0.5) ? rng.int(-2 * 3600_000, 2 * 3600_000) : 0;
      const t: Tablet = { n, name: `${storeId}/${e.deviceCode}`, db, storeId, deviceId: e.deviceId, skewMs: skew, online: true, engines: [], dispatched: [], bootstrapped: false };
      t.engines.push(newEngine(t));
      tablets.push(t);
      faultsOn = false;
      await t.engines[0]!.syncNow();
      faultsOn = true;
      t.bootstrapped = true;
      if (!(await t.db.cursors.get('catalog'))) fail(`tablet ${t.name} did not bootstrap`);
    }
    log(`  enrolled in ${Date.now() - started} ms`);
    if (violations.length) fail(`during enrollment: ${violations.join('; ')}`);

    // ---------------------------------------------------------------- commands
    const FIRST = ['Ana', 'Bruno', 'Chiara', 'Diego', 'Elena', 'Fabio', 'Greta', 'Hugo'];
    const LAST = ['Silva', 'Rossi', 'Costa', 'Bianchi', 'Santos', 'Ferreira'];
    const randomChanges = (): Partial<Record<CustomerField, string>> => {
      const c: Partial<Record<CustomerField, string>> = {};
      const fields: CustomerField[] = ['firstName', 'lastName', 'email', 'phone', 'birthday', 'tier'];
      const k = rng.int(1, 3);
      for (const f of rng.shuffle([...fields]).slice(0, k)) {
        const tag = rng.int(0, 999);
        c[f] =
          f === 'firstName' ? rng.pick(FIRST)
          : f === 'lastName' ? rng.pick(LAST)
          : f === 'email' ? (rng.chance(0.1) ? '' : `c${tag}@example.com`)
          : f === 'phone' ? (rng.chance(0.1) ? '' : `+351 91${String(tag).padStart(3, '0')} 4${rng.int(100, 999)}`)
          : f === 'birthday' ? `19${rng.int(50, 99)}-0${rng.int(1, 9)}-1${rng.int(0, 9)}`
          : rng.pick(['', 'silver', 'gold', 'platinum']);
      }
      return c;
    };

    const doSale = async (t: Tablet) => {
      const loc = locations.get(t.storeId)!;
      const tillStaff = associates.filter((a) => a.storeId === t.storeId && (a.role === 'cashier' || a.role === 'manager'));
      const actor = t.storeId === 'S01' && rng.chance(0.7) ? 'A-S01-CARLOS' : rng.pick(tillStaff).id;
      const nLines = rng.int(1, 3);
      const lines = Array.from({ length: nLines }, () => {
        const v = rng.pick(chain.variants);
        return { sku: v.sku as string, qty: rng.int(1, 3), unitPrice: (v.prices[loc.currency] as number | undefined) ?? 1000 };
      });
      const gross = lines.reduce((s, l) => s + l.qty * l.unitPrice, 0);
      const tender = Math.ceil(gross * 1.3) + rng.int(0, 500);
      const customerId = rng.chance(0.4) ? rng.pick(customers) : undefined;
      const d = await dispatch(
        t.db,
        actor,
        'sale.complete',
        (a) => ({ saleId: a.newId(), storeId: t.storeId, receiptNo: a.receiptNo(), currency: loc.currency, ...(customerId ? { customerId } : {}), lines, tenders: [{ kind: 'cash', amount: tender }] }),
        env(t),
      );
      t.dispatched.push({ id: d.command.id, seq: d.command.seq, type: 'sale.complete', lines: nLines });
      report.sales += 1;
    };

    const doCustomerUpdate = async (t: Tablet) => {
      const staff = associates.filter((a) => a.storeId === t.storeId);
      const actor = rng.pick(staff).id;
      const isNew = rng.chance(0.2);
      let newId: string | undefined;
      const existing = isNew ? undefined : rng.pick(customers);
      const changes = randomChanges();
      const d = await dispatch(
        t.db,
        actor,
        'customer.update',
        (a) => {
          newId = isNew ? a.newId() : undefined;
          return { customerId: existing ?? newId!, changes, ...(isNew ? { homeStoreId: t.storeId } : {}) };
        },
        env(t),
      );
      if (newId) {
        customers.push(newId);
        report.newCustomers += 1;
      }
      t.dispatched.push({ id: d.command.id, seq: d.command.seq, type: 'customer.update', lines: 0 });
      report.customerUpdates += 1;
    };

    const syncTablet = async (t: Tablet) => {
      if (t.engines.length > 1) {
        count('two-tabs');
        await Promise.all(t.engines.map((e) => e.syncNow()));
      } else await t.engines[0]!.syncNow();
    };

    const restartServer = async () => {
      count('server-restart');
      await closeServer();
      await openServer();
    };

    // ---------------------------------------------------------------- chaos
    let downFor = 0;
    for (let step = 0; step < steps; step++) {
      simNow += rng.int(200, 45_000);
      if (downFor > 0 && --downFor === 0) {
        serverDown = false;
        await openServer();
      }
      const t = rng.pick(tablets);
      const action = rng.weighted({ sale: 32, customer: 18, sync: 26, burst: 5, busy: 6, clock: 2, import: 2, offline: 6, crash: 3, tab: 3, restart: 2, rollup: 3 });
      switch (action) {
        case 'sale':
          await doSale(t);
          break;
        case 'customer':
          await doCustomerUpdate(t);
          break;
        case 'sync':
          await syncTablet(t);
          break;
        case 'burst': {
          // Several tablets syncing at once: the server must serialise their writers.
          const some = rng.shuffle([...tablets]).slice(0, rng.int(2, 5));
          count('burst');
          const rollup = !serverDown && rng.chance(0.4);
          if (rollup) count('rollup-during-burst');
          await Promise.all([...some.map((x) => syncTablet(x)), ...(rollup ? [rollUpAvailability(store!, simNow)] : [])]);
          break;
        }
        case 'busy':
          // The cashier sells while a sync of the same tablet is running.
          count('dispatch-during-sync');
          await Promise.all([syncTablet(t), rng.chance(0.6) ? doSale(t) : doCustomerUpdate(t)]);
          break;
        case 'clock':
          // The tablet's clock is corrected (or goes wrong) by up to ±2 h: its HLC must stay monotonic.
          count('clock-jump');
          t.skewMs = rng.int(-2 * 3600_000, 2 * 3600_000);
          break;
        case 'import': {
          // [D3] A manager exports the unsent commands and imports the file on the server; the
          // tablet, which never hears of it, pushes the same commands later.
          if (serverDown) break;
          const file = await exportUnsent(t.db);
          if (file.commands.length === 0) break;
          count('export-import');
          const device = (await getDevice(t.db))!;
          const r = await app!.inject({ method: 'POST', url: '/api/v1/sync/import', headers: { authorization: `Bearer ${device.deviceToken}` }, payload: file });
          check(t, '/api/v1/sync/import', r);
          break;
        }
        case 'offline':
          t.online = !t.online;
          count(t.online ? 'back-online' : 'go-offline');
          break;
        case 'crash':
          // The app dies between dispatch's commit and the push: a new engine on the same database.
          count('crash');
          if (rng.chance(0.6)) await doSale(t);
          t.engines = [newEngine(t)];
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
        case 'restart':
          if (serverDown) break;
          if (rng.chance(0.5)) await restartServer();
          else {
            // Down for a few steps: requests meanwhile fail like a refused connection.
            count('server-outage');
            serverDown = true;
            await closeServer();
            downFor = rng.int(1, 6);
          }
          break;
        case 'rollup':
          if (!serverDown) {
            count('rollup');
            await rollUpAvailability(store!, simNow);
          }
          break;
      }
    }

    // ---------------------------------------------------------------- heal
    log(`  chaos done at ${Date.now() - started} ms`);
    faultsOn = false;
    if (serverDown) {
      serverDown = false;
      await openServer();
    }
    for (const t of tablets) {
      t.online = true;
      t.engines = [t.engines[0]!];
    }
    let rounds = 0;
    for (;;) {
      let pending = 0;
      for (const t of tablets) pending += await t.db.outbox.count();
      if (pending === 0) break;
      if (++rounds > 12) fail(`outboxes never drained after healing: ${pending} commands still unsent after ${rounds - 1} rounds`);
      for (const t of tablets) await t.engines[0]!.syncNow();
    }
    for (const t of tablets) await t.engines[0]!.syncNow();
    await rollUpAvailability(store!, simNow);
    for (const t of tablets) await t.engines[0]!.syncNow();

    log(`  healed at ${Date.now() - started} ms (${rounds} rounds)`);
    report.commands = tablets.reduce((s, t) => s + t.dispatched.length, 0);
    log(`seed ${seed} ${backend}: ${report.commands} commands, faults ${JSON.stringify(faults)}`);

    // ---------------------------------------------------------------- invariants
    if (opts.sabotage === 'tablet-row') {
      const t = tablets[0]!;
      const c = (await t.db.customers.toCollection().first())!;
      await t.db.customers.put({ ...c, firstName: `${c.firstName}x` });
    }
    if (opts.sabotage === 'stock') {
      const r = (await store!.db.selectFrom('rows').select(['key', 'data']).where('tbl', '=', 'stock').executeTakeFirstOrThrow());
      const row = JSON.parse(r.data!) as Tables['stock'];
      await store!.db.updateTable('rows').set({ data: JSON.stringify({ ...row, onHand: row.onHand + 1 }) }).where('tbl', '=', 'stock').where('key', '=', r.key).execute();
    }
    if (violations.length) fail(`${violations.length} anomal${violations.length === 1 ? 'y' : 'ies'} while running; first: ${violations.slice(0, 3).join(' | ')}`);
    await checkInvariants(store!, tablets, fail);
    report.ms = Date.now() - started;
    return report;
  } finally {
    await closeServer().catch(() => undefined);
    for (const t of tablets) {
      for (const e of t.engines) e.stop();
      t.db.close();
      await t.db.delete().catch(() => undefined);
    }
    await database?.destroy().catch(() => undefined);
  }
}

const strip = (table: TableName, row: object): string => canonicalJson(serverRow(table, row));

async function checkInvariants(store: Store, tablets: Tablet[], fail: (what: string) => never): Promise<void> {
  // [C3] Exactly once: one commands row per (device, seq) and per id; as many as were dispatched.
  const cmds = await store.db.selectFrom('commands').select(['device_id', 'seq', 'id', 'type', 'status', 'result']).execute();
  const dispatched = tablets.flatMap((t) => t.dispatched.map((d) => ({ ...d, deviceId: t.deviceId, tablet: t })));
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
    if (c!.status !== 'applied') fail(`command ${d.type} #${d.seq} of ${d.tablet.name} was ${c!.status}: ${c!.result}`);
  }
  // [C1] Per device: seqs 1..n with no gap, dispatched in that order, and the device's last seq is n.
  const devices = new Map((await store.db.selectFrom('devices').select(['id', 'last_seq']).execute()).map((d) => [d.id, Number(d.last_seq)]));
  for (const t of tablets) {
    const seqs = t.dispatched.map((d) => d.seq);
    seqs.forEach((s, i) => {
      if (s !== i + 1) fail(`order: tablet ${t.name} dispatched seq ${s} as its command #${i + 1}`);
    });
    const server = cmds.filter((c) => c.device_id === t.deviceId).map((c) => Number(c.seq)).sort((a, b) => a - b);
    server.forEach((s, i) => {
      if (s !== i + 1) fail(`order: the server holds seq ${s} of ${t.name} in position ${i + 1} (a gap)`);
    });
    if (devices.get(t.deviceId) !== t.dispatched.length) fail(`order: device ${t.name} has last_seq ${devices.get(t.deviceId)} but dispatched ${t.dispatched.length}`);
  }

  // [C5] Sales: each sale's movements exist once per line; stock on hand = Σ movements.
  const movements = await store.db.selectFrom('movements').select(['id', 'location_id', 'sku', 'qty', 'command_id']).execute();
  const movesPerCommand = new Map<string, number>();
  const moveIds = new Set<string>();
  const sumByKey = new Map<string, number>();
  for (const m of movements) {
    if (moveIds.has(m.id)) fail(`movement ${m.id} recorded twice`);
    moveIds.add(m.id);
    movesPerCommand.set(m.command_id, (movesPerCommand.get(m.command_id) ?? 0) + 1);
    const k = `${m.location_id}|${m.sku}`;
    sumByKey.set(k, (sumByKey.get(k) ?? 0) + Number(m.qty));
  }
  for (const d of dispatched) {
    if (d.type === 'sale.complete' && movesPerCommand.get(d.id) !== d.lines) fail(`exactly-once: sale ${d.id} of ${d.tablet.name} has ${movesPerCommand.get(d.id) ?? 0} movements for ${d.lines} lines`);
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

  // Receipt numbers are gapless per device: its sales carry 000001..00000k, each once.
  const sales = (await store.db.selectFrom('rows').select('data').where('tbl', '=', 'sales').where('deleted', '=', 0).execute()).map((r) => JSON.parse(r.data!) as Tables['sales']);
  for (const t of tablets) {
    const mine = sales.filter((x) => x.deviceId === t.deviceId).map((x) => Number(x.receiptNo.split('-')[2])).sort((a, b) => a - b);
    const expected = t.dispatched.filter((d) => d.type === 'sale.complete').length;
    if (mine.length !== expected) fail(`sales: the server holds ${mine.length} sales of ${t.name}, it dispatched ${expected}`);
    mine.forEach((n, i) => {
      if (n !== i + 1) fail(`sales: receipt numbers of ${t.name} are not 1..${expected} (position ${i + 1} holds ${n})`);
    });
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
    const [outbox, attention, base] = [await t.db.outbox.count(), await t.db.attention.count(), await t.db.base.count()];
    if (outbox) fail(`tablet ${t.name}: ${outbox} commands left in the outbox`);
    if (attention) fail(`tablet ${t.name}: ${attention} commands under "Needs attention": ${JSON.stringify((await t.db.attention.toArray())[0]?.error)}`);
    if (base) fail(`tablet ${t.name}: ${base} base rows left after the last rebase`);
    const device = await getDevice(t.db);
    if (!device) fail(`tablet ${t.name}: lost its enrollment`);
    if (device!.lastSeq !== t.dispatched.length) fail(`tablet ${t.name}: device lastSeq ${device!.lastSeq} ≠ ${t.dispatched.length} dispatched`);
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
      await compareRows(store, t, stream, fail);
    }
  }
}

/** Every live row of a stream on the server equals the tablet's copy (content and version), and no extra rows. */
async function compareRows(store: Store, t: Tablet, stream: StreamName, fail: (what: string) => never): Promise<void> {
  const rows = await store.db.selectFrom('rows').select(['tbl', 'key', 'data', 'version']).where('stream', '=', stream).where('deleted', '=', 0).execute();
  const server = new Map(rows.map((r) => [`${r.tbl}\u0000${r.key}`, r]));
  for (const table of tablesOfStream(stream) as TableName[]) {
    const local = (await t.db.table(table).toArray()) as (Tables[TableName] & { _v?: number })[];
    let n = 0;
    for (const row of local) {
      if (streamOf(table, row as never) !== stream) continue;
      n += 1;
      const key = keyOf[table](row as never);
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
