// The admin API [T5]: notifications, devices (list, revoke [D7]), one-time enrollment codes [T4] and
// the import of a revoked device's export [D6]. Every route needs the admin credential.
import { randomBytes, timingSafeEqual, createHash } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Store } from '../store/store';
import type { Clock } from '../apply/push';
import { pushCommands } from '../apply/push';
import { HttpError } from '../http/errors';
import type { TrustConfig } from '../http/trust-config';
import { importFileSchema } from '../../../src/core/sync/protocol';
import { listJobs, runDueJobs } from '../jobs/worker';
import type { Registry } from '../apply/run';
import { applySystemCommand } from '../apply/origins';
import type { ExceptionRow } from '../../../src/core/model';

export interface AdminDeps {
  store: Store;
  clock: Clock;
  trust: TrustConfig;
  guarded: <T>(req: FastifyRequest, check: () => Promise<T>) => Promise<T>;
  closeDeviceStreams: (deviceId: string) => void;
  registry?: Registry;
}

/** A one-time enrollment code: 128 random bits in Crockford base32, grouped for reading aloud [T4]. */
export function newEnrollmentCode(storeId: string): string {
  const alphabet = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
  const bytes = randomBytes(17); // 136 bits → 27 characters of 5 bits, at least 128 of them random
  let bits = 0n;
  for (const b of bytes) bits = (bits << 8n) | BigInt(b);
  let out = '';
  for (let i = 0; i < 26; i++) {
    out += alphabet[Number(bits & 31n)];
    bits >>= 5n;
  }
  return `${storeId}-${out.match(/.{1,5}/g)!.join('-')}`;
}

const sha = (s: string) => createHash('sha256').update(s).digest();

export function checkAdmin(trust: TrustConfig, req: FastifyRequest): void {
  const h = req.headers.authorization;
  const m = h ? /^Bearer (\S+)$/.exec(h) : null;
  // Compared as digests, so the comparison takes the same time whatever the length sent.
  if (!trust.adminToken || !m || !timingSafeEqual(sha(m[1]!), sha(trust.adminToken))) {
    throw new HttpError(401, 'admin-credential-required', 'This is the admin API: send the admin credential as "Authorization: Bearer <ADMIN_TOKEN>".');
  }
}

const codeBody = z.object({ storeId: z.string().regex(/^[A-Z0-9]{2,12}$/, 'storeId is a store id such as S01') });

export async function registerAdminRoutes(app: FastifyInstance, deps: AdminDeps): Promise<void> {
  const { store, clock, trust } = deps;
  const admin = (req: FastifyRequest) => deps.guarded(req, async () => checkAdmin(trust, req));

  app.get('/api/v1/admin/notifications', async (req) => {
    await admin(req);
    const rows = await store.db.selectFrom('notifications').selectAll().orderBy('id', 'desc').limit(200).execute();
    return { notifications: rows.map((r) => ({ ...r, payload: JSON.parse(r.payload) as unknown })) };
  });

  app.get('/api/v1/admin/devices', async (req) => {
    await admin(req);
    const rows = await store.db.selectFrom('devices').select(['id', 'store_id', 'device_code', 'name', 'last_seq', 'revoked', 'created_at', 'revoked_at']).orderBy('store_id').orderBy('device_code').execute();
    return { devices: rows.map((r) => ({ id: r.id, storeId: r.store_id, deviceCode: r.device_code, name: r.name, lastSeq: Number(r.last_seq), revoked: r.revoked === 1, createdAt: r.created_at, revokedAt: r.revoked_at })) };
  });

  // [D7] Revocation: the token dies now and the device's open event streams close at once.
  app.post<{ Params: { id: string } }>('/api/v1/admin/devices/:id/revoke', async (req) => {
    await admin(req);
    const at = new Date(clock.now()).toISOString();
    const r = await store.db.updateTable('devices').set({ revoked: 1, revoked_at: at }).where('id', '=', req.params.id).where('revoked', '=', 0).executeTakeFirst();
    if (Number(r.numUpdatedRows) !== 1) {
      const exists = await store.db.selectFrom('devices').select('id').where('id', '=', req.params.id).executeTakeFirst();
      if (!exists) throw new HttpError(404, 'unknown-device', `There is no device ${req.params.id}; list them with GET /api/v1/admin/devices.`);
    }
    deps.closeDeviceStreams(req.params.id);
    return { deviceId: req.params.id, revoked: true };
  });

  app.post('/api/v1/admin/enrollment-codes', async (req) => {
    await admin(req);
    const r = codeBody.safeParse(req.body);
    if (!r.success) throw new HttpError(400, 'invalid-body', `Invalid code request: ${r.error.issues[0]?.message ?? 'send {storeId}'}.`);
    if (!(await store.getRow('locations', r.data.storeId))) throw new HttpError(404, 'unknown-store', `There is no store ${r.data.storeId}.`);
    const code = newEnrollmentCode(r.data.storeId);
    const now = clock.now();
    const expiresAt = new Date(now + trust.enrollmentCodeTtlMs).toISOString();
    await store.db.insertInto('enrollment_codes').values({ code, store_id: r.data.storeId, reusable: 0, used_by: null, created_at: new Date(now).toISOString(), expires_at: expiresAt }).execute();
    return { code, storeId: r.data.storeId, expiresAt };
  });

  // [CL6] Erasure at the customer's request: the profile, history and notes leave the server and every
  // tablet at its next pull; orders and exceptions naming the customer are anonymised by a follow-up.
  app.post<{ Params: { id: string } }>('/api/v1/admin/customers/:id/erase', async (req) => {
    await admin(req);
    const id = req.params.id;
    if (id.length > 64) throw new HttpError(400, 'invalid-customer-id', 'A customer id is at most 64 characters.');
    if (!(await store.getRow('customers', id)) && !(await store.getRow('redirects', id))) {
      throw new HttpError(404, 'unknown-customer', `There is no customer ${id}; look the id up in the customer's profile.`);
    }
    const r = await applySystemCommand(store, `erase:${id}`, { type: 'customer.erase', payload: { customerId: id } }, clock);
    if (r.result.status === 'rejected') throw new HttpError(409, r.result.error.code, r.result.error.message);
    return { customerId: id, commandId: r.commandId, ...r.result.summary };
  });

  // [D6] The export of a revoked tablet, imported under its old identity with push's rules; the
  // commands its earlier enrollments still held (`previous`) first, each under its own identity,
  // since they were made first.
  app.post('/api/v1/admin/import', async (req) => {
    await admin(req);
    const r = importFileSchema.safeParse(req.body);
    if (!r.success) throw new HttpError(400, 'invalid-body', `Invalid import file: ${r.error.issues[0]?.path.join('.') ?? ''} ${r.error.issues[0]?.message ?? ''}.`.replace(/ +\./, '.'));
    const records = [];
    for (const part of [...(r.data.previous ?? []).filter((p) => p.commands.length > 0), r.data]) {
      const device = await store.db.selectFrom('devices').selectAll().where('id', '=', part.deviceId).executeTakeFirst();
      if (!device) throw new HttpError(404, 'unknown-device', `There is no device ${part.deviceId}; the file may come from another server.`);
      records.push({ part, record: { id: device.id, storeId: device.store_id, name: device.name, deviceCode: device.device_code, lastSeq: Number(device.last_seq), revoked: device.revoked === 1, publicKey: device.public_key } });
    }
    const previous = [];
    for (const { part, record } of records.slice(0, -1)) previous.push({ deviceId: part.deviceId, ...(await pushCommands(store, record, part.commands, clock, { allowRevoked: true })) });
    const { part, record } = records.at(-1)!;
    return { ...(await pushCommands(store, record, part.commands, clock, { allowRevoked: true })), ...(previous.length ? { previous } : {}) };
  });

  // [O2][EX1] The managers' exceptions for an administrator: the chain-level queue by default, or a
  // store's (`?stream=store:S01`); open ones only unless `all=1`. Newest first, at most 500.
  app.get<{ Querystring: { stream?: string; all?: string } }>('/api/v1/admin/exceptions', async (req) => {
    await admin(req);
    const stream = req.query.stream ?? 'chain';
    if (stream !== 'chain' && !/^store:[A-Z0-9]{2,12}$/.test(stream)) throw new HttpError(400, 'invalid-body', 'stream is chain or store:<id>, e.g. store:S01.');
    const rows = await store.db.selectFrom('rows').select('data').where('tbl', '=', 'exceptions').where('stream', '=', stream).where('deleted', '=', 0).orderBy('version', 'desc').limit(2000).execute();
    const all = rows.flatMap((r) => (r.data ? [JSON.parse(r.data) as ExceptionRow] : []));
    return { exceptions: (req.query.all === '1' ? all : all.filter((e) => !e.resolved)).slice(0, 500) };
  });

  // [J1] Follow-ups and scheduled jobs that need a look (failing or rejected), or all of one status.
  app.get<{ Querystring: { status?: string } }>('/api/v1/admin/jobs', async (req) => {
    await admin(req);
    const status = req.query.status;
    if (status !== undefined && status !== 'pending' && status !== 'done' && status !== 'rejected') throw new HttpError(400, 'invalid-body', 'status is pending, done or rejected.');
    return { jobs: await listJobs(store, status ? { status } : { failing: true }) };
  });

  // [J2] Runs one scheduled job now instead of at its time (a pickup's expiry, days away), so the
  // schedule can be exercised end to end without waiting. Outside production only: in production a
  // job runs at its time, and nobody expires a customer's order early by hand.
  app.post<{ Params: { id: string } }>('/api/v1/admin/jobs/:id/run-now', async (req) => {
    await admin(req);
    if (trust.mode === 'production') throw new HttpError(403, 'not-in-production', 'Running a scheduled job early is for test and demo servers; in production it runs at its time.');
    const id = req.params.id;
    if (id.length > 300) throw new HttpError(400, 'invalid-body', 'A job id is at most 300 characters.');
    const now = clock.now();
    const moved = await store.db.updateTable('jobs').set({ run_at: now, lease_until: null }).where('id', '=', id).where('status', '=', 'pending').executeTakeFirst();
    if (Number(moved.numUpdatedRows) !== 1) {
      const job = await store.db.selectFrom('jobs').select('status').where('id', '=', id).executeTakeFirst();
      throw job ? new HttpError(409, 'job-not-pending', `Job ${id} is already ${job.status}.`) : new HttpError(404, 'unknown-job', `There is no job ${id}.`);
    }
    const run = await runDueJobs(store, clock, deps.registry ? { registry: deps.registry } : {});
    const job = await store.db.selectFrom('jobs').select(['status', 'attempts', 'last_error']).where('id', '=', id).executeTakeFirstOrThrow();
    return { id, status: job.status, attempts: Number(job.attempts), lastError: job.last_error, run };
  });
}
