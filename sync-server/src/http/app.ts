// createApp(deps): the HTTP app — health, enrollment, sync (push/pull/checksum/events/import), admin,
// and the built PWA. Everything it needs is injected, so tests build it on any store and clock.
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import Fastify, { type FastifyInstance, type FastifyBaseLogger, type FastifyRequest } from 'fastify';
import fastifyStatic from '@fastify/static';
import { z } from 'zod';
import type { Store } from '../store/store';
import rateLimit from '@fastify/rate-limit';
import { HttpError } from './errors';
import { authenticate as authenticateDevice, newToken, streamsFor, tokenHash, ReplayGuard, importPublicJwk, jwkText, type AuthContext, type PublicJwk } from './auth';
import { errorHandler, frameworkOptions, registerHardening } from './hardening';
import { trustConfig, type TrustConfig } from './trust-config';
import { registerAdminRoutes } from '../admin/routes';
import { registerAssociateRoutes } from './associate-routes';
import { DEMO_ENROLLMENT_CODE } from '../seed/load';
import { pushCommands, type Clock } from '../apply/push';
import { pushRequestSchema, importFileSchema, MAX_PULL_LIMIT, MAX_PUSH_BYTES, type EnrollResponse, type Poke } from '../../../src/core/sync/protocol';
import { isStreamName, type StreamName } from '../../../src/core/model';
import { rollUpAvailability } from '../oms/rollup';
import { rollUpPriceLows } from '../oms/price-lows';
import { runDueJobs } from '../jobs/worker';
import type { Registry } from '../apply/run';
import { MAX_REPORTED_UNSENT, reportTabletSync } from './tablet-sync';
import { registerDeviceState } from './device-state';
import { registerReturnsLookup } from './returns-lookup';
import { registerChannels } from './channels';

export interface AppDeps {
  store: Store;
  clock?: Clock;
  logger?: boolean | FastifyBaseLogger | { level: string };
  /** Directory of the built PWA; omitted → API only. */
  staticDir?: string;
  /** Period of the network availability roll-up; 0 disables the timer (tests call it directly). */
  rollupIntervalMs?: number;
  version?: string;
  /** [J1][J2] Period of the jobs worker; 0 disables it (tests call runDueJobs directly). A start runs due jobs at once. */
  jobsIntervalMs?: number;
  /** Mode, admin credential, PIN policy and throttles [T2][T4][T5]; default: from the environment. */
  trust?: TrustConfig;
  /** Commands the admin API's "run a job now" runs with (tests add their own); default: the registry. */
  jobsRegistry?: Registry;
}

/** [T1] A P-256 public key in JWK form, as WebCrypto exports it. */
const publicJwkSchema = z.object({
  kty: z.literal('EC', { message: 'publicKey.kty must be "EC"' }),
  crv: z.literal('P-256', { message: 'publicKey.crv must be "P-256"' }),
  x: z.string().regex(/^[A-Za-z0-9_-]{43}$/, 'publicKey.x must be 32 bytes in base64url'),
  y: z.string().regex(/^[A-Za-z0-9_-]{43}$/, 'publicKey.y must be 32 bytes in base64url'),
}).passthrough();

const enrollSchema = z.object({
  code: z.string().trim().min(1, 'Type the enrollment code a manager gave you'),
  name: z.string().trim().min(1, 'Give the tablet a name, e.g. "Till 1"').max(60, 'A device name is at most 60 characters'),
  publicKey: publicJwkSchema,
});

const pullQuery = z.object({
  stream: z.string().refine(isStreamName, 'stream must be catalog, network, customers or store:<id>'),
  after: z.coerce.number().int().nonnegative().default(0),
  limit: z.coerce.number().int().positive().max(MAX_PULL_LIMIT).default(1000),
  /** 0 skips counting the remaining rows (the tablet only needs it on a catch-up's first page). */
  total: z.enum(['0', '1']).default('1'),
  /** [EX2] The tablet's unsent commands, reported on a pull of its store's stream. */
  unsent: z.coerce.number().int().nonnegative().max(MAX_REPORTED_UNSENT).optional(),
  /** [EX2] When the oldest of them was made (ms since 1970, the tablet's clock). */
  oldest: z.coerce.number().int().nonnegative().max(8.64e15).optional(),
});

const checksumQuery = z.object({
  stream: z.string().refine(isStreamName, 'stream must be catalog, network, customers or store:<id>'),
  at: z.coerce.number().int().nonnegative(),
});

function parse<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  const where = issue?.path.length ? `${issue.path.join('.')}: ` : '';
  throw new HttpError(400, 'invalid-body', `Invalid ${what}: ${where}${issue?.message ?? 'not understood'}.`, r.error.issues);
}

export async function createApp(deps: AppDeps): Promise<FastifyInstance> {
  const { store } = deps;
  const clock = deps.clock ?? { now: () => Date.now() };
  const trust = deps.trust ?? trustConfig(process.env);
  const app = Fastify({
    logger: deps.logger ?? false,
    // [C3] A push body is at most 1 MiB.
    bodyLimit: MAX_PUSH_BYTES,
    ...frameworkOptions,
  });
  const sse = new Set<() => void>();
  /** Open event streams per device, so a revocation closes them at once [D7]. */
  const streamsByDevice = new Map<string, Set<() => void>>();
  const authCtx: AuthContext = { store, now: () => clock.now(), replay: new ReplayGuard(), keys: new Map() };

  await registerHardening(app);
  // [T4] Throttles: per client address; enrollment by attempt, authentication by failure.
  await app.register(rateLimit, {
    global: false,
    errorResponseBuilder: (_req, ctx) =>
      new HttpError(429, 'too-many-requests', `Too many attempts from this address; try again in ${Math.ceil(ctx.ttl / 1000)} s.`, { retryAfter: Math.ceil(ctx.ttl / 1000) }),
  });
  const failedAuth = app.createRateLimit({ max: trust.authFailuresPerMinute, timeWindow: 60_000 });

  /**
   * Any authentication: refused at once while this address is over its failure budget; a failure
   * counts against it [T4].
   */
  async function guarded<T>(req: FastifyRequest, check: () => Promise<T>): Promise<T> {
    const status = await failedAuth(req, { increment: false });
    if (!status.isAllowed && (status.isExceeded || status.remaining <= 0)) {
      throw new HttpError(429, 'too-many-requests', `Too many failed authentications from this address; try again in ${status.ttlInSeconds} s.`, { retryAfter: status.ttlInSeconds });
    }
    try {
      return await check();
    } catch (e) {
      if (e instanceof HttpError && (e.status === 401 || e.code === 'wrong-pin')) await failedAuth(req);
      throw e;
    }
  }
  const authenticate = (_store: Store, req: FastifyRequest) => guarded(req, () => authenticateDevice(authCtx, req));

  app.setErrorHandler(errorHandler);

  app.get('/api/v1/health', async () => ({ status: 'ok', database: store.dialect, version: deps.version ?? 'dev', mode: trust.mode }));

  // [A1][T4] Enrollment with a one-time code (the demo's DEMO-S01 is reusable, in demo mode only).
  // Idempotent: a retry with the same public key gets the same device back with a fresh token, so a
  // lost answer never burns the one-time code.
  app.post('/api/v1/devices/enroll', { config: { rateLimit: { max: trust.enrollPerMinute, timeWindow: 60_000 } } }, async (req) => {
    const body = parse(enrollSchema, req.body, 'enrollment');
    const jwk = body.publicKey as PublicJwk;
    if (!importPublicJwk(jwk)) throw new HttpError(400, 'invalid-body', 'Invalid enrollment: publicKey is not a P-256 public key; the tablet makes one with WebCrypto.');
    const publicKey = jwkText(jwk);
    const codeText = body.code.toUpperCase();
    if (trust.mode === 'production' && codeText === DEMO_ENROLLMENT_CODE) {
      throw new HttpError(403, 'demo-code-refused', 'The demo enrollment code works only on a demo server. Ask a manager for a real code.');
    }
    const token = newToken();
    const now = clock.now();
    const res = await store.transaction(async (tx) => {
      const invalid = () => new HttpError(403, 'invalid-enrollment-code', 'That enrollment code is unknown, expired or already used. Ask a manager for a new one.');
      const code = await tx.db.selectFrom('enrollment_codes').selectAll().where('code', '=', codeText).executeTakeFirst();
      if (!code) throw invalid();
      // Enrollments of one store serialise on its stream counter, so device codes are handed out
      // one at a time (a unique index backs this up).
      await tx.lockStreams([`store:${code.store_id}`]);
      const same = await tx.db.selectFrom('devices').selectAll().where('public_key', '=', publicKey).where('store_id', '=', code.store_id).where('revoked', '=', 0).executeTakeFirst();
      if (same && (code.reusable || code.used_by === same.id)) {
        // The retry of an enrollment whose answer was lost: same device, new token (the old one dies).
        await tx.db.updateTable('devices').set({ token_hash: tokenHash(token) }).where('id', '=', same.id).execute();
        const again: EnrollResponse = { deviceId: same.id, deviceToken: token, storeId: same.store_id, storeCode: same.store_id, deviceCode: same.device_code, streams: [...streamsFor(same.store_id)] as StreamName[] };
        return again;
      }
      if (!code.reusable && (code.used_by || (code.expires_at && Date.parse(code.expires_at) <= now))) throw invalid();
      const id = `dev-${code.store_id}-${newToken().slice(3, 15)}`;
      if (!code.reusable) {
        // Claim the one-time code atomically: of two concurrent enrollments only one updates the row.
        const claimed = await tx.db.updateTable('enrollment_codes').set({ used_by: id }).where('code', '=', code.code).where('used_by', 'is', null).executeTakeFirst();
        if (Number(claimed.numUpdatedRows) !== 1) throw invalid();
      }
      const count = await tx.db
        .selectFrom('devices')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('store_id', '=', code.store_id)
        .executeTakeFirstOrThrow();
      const deviceCode = `T${String(Number(count.n) + 1).padStart(2, '0')}`;
      await tx.db
        .insertInto('devices')
        .values({ id, store_id: code.store_id, name: body.name, device_code: deviceCode, token_hash: tokenHash(token), last_seq: 0, revoked: 0, created_at: new Date(now).toISOString(), public_key: publicKey, revoked_at: null })
        .execute();
      const out: EnrollResponse = { deviceId: id, deviceToken: token, storeId: code.store_id, storeCode: code.store_id, deviceCode, streams: [...streamsFor(code.store_id)] as StreamName[] };
      return out;
    });
    return res;
  });

  app.post('/api/v1/sync/push', async (req) => {
    const device = await authenticate(store, req);
    const body = parse(pushRequestSchema, req.body, 'push');
    if (body.deviceId !== device.id) throw new HttpError(403, 'out-of-scope', 'The push names a different device than the token; each tablet pushes only its own commands.');
    return pushCommands(store, device, body.commands, clock);
  });

  // [D3] Commands exported from a tablet's outbox, imported under the same rules as a push.
  app.post('/api/v1/sync/import', async (req) => {
    const device = await authenticate(store, req);
    const body = parse(importFileSchema, req.body, 'import file');
    if (body.deviceId !== device.id) throw new HttpError(403, 'out-of-scope', 'The file holds another device\'s commands; import it with that device\'s token.');
    // [D6] Commands of the tablet's earlier enrollment were made first, and the rest may depend on
    // them (a sale naming a customer created before the re-enrollment): while the server lacks any
    // of them, this token imports nothing; an administrator imports the whole file, in order.
    const waiting = await unappliedPrevious(store, body.previous ?? []);
    if (waiting) throw new HttpError(409, 'previous-first', `This file also holds ${waiting.count} command(s) of this tablet's earlier enrollment (${waiting.deviceId}) that the server does not have yet, and they were made first. Ask an administrator to import the whole file (POST /api/v1/admin/import), which applies them in order.`, waiting);
    return pushCommands(store, device, body.commands, clock);
  });

  registerDeviceState(app, store, (req) => authenticate(store, req)); // [D5]
  registerReturnsLookup(app, store, (req) => authenticate(store, req)); // [RE1] any store's sale or any web order

  app.get('/api/v1/sync/pull', async (req, reply) => {
    const device = await authenticate(store, req);
    const q = parse(pullQuery, req.query, 'pull query');
    assertStream(device.storeId, q.stream);
    // [EX2] Written before the page is read, so the tablet gets its own row back at once.
    if (q.unsent !== undefined && q.stream === `store:${device.storeId}`) await reportTabletSync(store, device, { unsent: q.unsent, oldest: q.oldest }, clock.now());
    const body = await store.pullJson(q.stream as StreamName, q.after, q.limit, q.total === '1');
    return reply.type('application/json; charset=utf-8').send(body);
  });

  app.get('/api/v1/sync/checksum', async (req) => {
    const device = await authenticate(store, req);
    const q = parse(checksumQuery, req.query, 'checksum query');
    assertStream(device.storeId, q.stream);
    return store.checksum(q.stream as StreamName, q.at);
  });

  // [P6] Data-less pokes over Server-Sent Events.
  app.get('/api/v1/sync/events', async (req, reply) => {
    const device = await authenticate(store, req);
    const allowed = new Set<string>(streamsFor(device.storeId));
    reply.hijack();
    const res = reply.raw;
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache, no-transform', connection: 'keep-alive', 'x-accel-buffering': 'no' });
    res.write(': connected\n\n');
    const off = store.onPoke((p: Poke) => {
      if (allowed.has(p.stream)) res.write(`data: ${JSON.stringify(p)}\n\n`);
    });
    const heartbeat = setInterval(() => {
      res.write(': keep-alive\n\n');
      // A revocation made through another instance closes this stream at the next beat [D7].
      void store.db.selectFrom('devices').select('revoked').where('id', '=', device.id).executeTakeFirst().then(
        (d) => (!d || d.revoked ? end() : undefined),
        () => undefined,
      );
    }, 15_000);
    const end = () => {
      clearInterval(heartbeat);
      off();
      sse.delete(end);
      streamsByDevice.get(device.id)?.delete(end);
      res.end();
    };
    sse.add(end);
    const mine = streamsByDevice.get(device.id) ?? new Set();
    mine.add(end);
    streamsByDevice.set(device.id, mine);
    req.raw.on('close', end);
  });

  const closeDeviceStreams = (deviceId: string) => {
    for (const end of [...(streamsByDevice.get(deviceId) ?? [])]) end();
    streamsByDevice.delete(deviceId);
  };
  await registerAdminRoutes(app, { store, clock, trust, guarded, closeDeviceStreams, ...(deps.jobsRegistry ? { registry: deps.jobsRegistry } : {}) });
  await registerAssociateRoutes(app, { store, clock, trust, guarded, authenticate: (req) => authenticate(store, req) });

  await registerChannels(app, { store, clock, notifyIntervalMs: deps.jobsIntervalMs }); // [W1][W2][W3] the web shop's channel API

  if (deps.staticDir && existsSync(join(deps.staticDir, 'index.html'))) {
    const root = resolve(deps.staticDir);
    await app.register(fastifyStatic, {
      root,
      // wildcard: files are looked up per request, so a deploy that swaps dist/ needs no restart.
      wildcard: true,
      setHeaders(res, path) {
        // The service worker and the shell must be revalidated, or an update is never seen.
        if (/(sw\.js|workbox-[^/]*\.js|index\.html|manifest\.webmanifest)$/.test(path)) res.header('cache-control', 'no-cache');
        else if (path.includes('/assets/')) res.header('cache-control', 'public, max-age=31536000, immutable');
      },
    });
    app.setNotFoundHandler((req, reply) => {
      if (req.method === 'GET' && !req.url.startsWith('/api/')) {
        void reply.header('cache-control', 'no-cache').sendFile('index.html', root);
        return;
      }
      void reply.status(404).send({ error: { code: 'not-found', message: `No route ${req.method} ${req.url.split('?')[0]}.` } });
    });
  } else {
    app.setNotFoundHandler((req, reply) => {
      void reply.status(404).send({ error: { code: 'not-found', message: `No route ${req.method} ${req.url.split('?')[0]}.` } });
    });
  }

  let rollupTimer: NodeJS.Timeout | undefined;
  if (deps.rollupIntervalMs && deps.rollupIntervalMs > 0) {
    let running = false;
    rollupTimer = setInterval(() => {
      if (running) return;
      running = true;
      rollUpAvailability(store, clock.now())
        .catch((err: unknown) => app.log.error({ err }, 'availability roll-up failed'))
        // [RE1] The window's lowest prices, for no-receipt returns offline (decision 65).
        .then(() => rollUpPriceLows(store, clock.now()))
        .catch((err: unknown) => app.log.error({ err }, 'price roll-up failed'))
        .finally(() => {
          running = false;
        });
    }, deps.rollupIntervalMs);
  }

  // [J2] Jobs: a first round right away catches up on what fell due while the server was stopped.
  let jobsTimer: NodeJS.Timeout | undefined;
  let jobsRunning: Promise<unknown> | undefined;
  if (deps.jobsIntervalMs && deps.jobsIntervalMs > 0) {
    const round = () => {
      if (jobsRunning) return;
      jobsRunning = runDueJobs(store, clock)
        .catch((err: unknown) => app.log.error({ err }, 'jobs worker failed'))
        .finally(() => {
          jobsRunning = undefined;
        });
    };
    app.addHook('onReady', async () => round());
    jobsTimer = setInterval(round, deps.jobsIntervalMs);
  }

  app.addHook('onClose', async () => {
    if (jobsTimer) clearInterval(jobsTimer);
    await jobsRunning;
    if (rollupTimer) clearInterval(rollupTimer);
    for (const end of [...sse]) end();
  });

  return app;
}

function assertStream(storeId: string, stream: string) {
  if (!(streamsFor(storeId) as readonly string[]).includes(stream)) {
    throw new HttpError(403, 'out-of-scope', `This tablet belongs to ${storeId} and may not read ${stream}.`);
  }
}

/** [D6] The first earlier enrollment in `previous` with commands the server has not recorded, and how many. */
export async function unappliedPrevious(store: Store, previous: readonly { deviceId: string; commands: readonly { id: string }[] }[]): Promise<{ deviceId: string; count: number } | undefined> {
  for (const p of previous) {
    if (p.commands.length === 0) continue;
    const ids = p.commands.map((c) => c.id);
    const known = new Set<string>();
    for (let i = 0; i < ids.length; i += 500) {
      for (const r of await store.db.selectFrom('commands').select('id').where('id', 'in', ids.slice(i, i + 500)).execute()) known.add(r.id);
    }
    const count = ids.filter((id) => !known.has(id)).length;
    if (count > 0) return { deviceId: p.deviceId, count };
  }
  return undefined;
}
