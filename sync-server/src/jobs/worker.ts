// The jobs worker [J1][J2]: runs follow-ups and timed jobs as system commands with deterministic ids.
// A job is claimed with a lease in one statement (PostgreSQL: FOR UPDATE SKIP LOCKED; SQLite has one
// writer), so across any number of instances each due job runs once; its command and its `done` mark
// commit together. A fault puts it back with exponential backoff, counting attempts and keeping the
// last error, so a job that keeps failing stays visible (listJobs). Due jobs of a stopped server run
// at the next start.
import { sql } from 'kysely';
import type { Store } from '../store/store';
import { applyOriginInTx } from '../apply/origins';
import type { Clock, Registry } from '../apply/run';
import { COMMANDS } from '../../../src/core/sync/registry';
import { HttpError } from '../http/errors';
import { CHAIN_WIDE, type ExceptionRow } from '../../../src/core/model';
import type { LocationId } from '../../../src/core/shared/brand';
import { encodeHlc } from '../../../src/core/shared/hlc';

/** [J1][EX1] After this many failed attempts a job is a managers' alarm in the chain-level queue. */
export const FAILING_AFTER = 3;

export interface JobsOptions {
  /** How long a claim holds a job before another instance may retry it (ms). */
  leaseMs?: number;
  /** Jobs claimed per round. */
  batch?: number;
  /** First retry delay (ms); doubles per attempt up to maxBackoffMs. */
  backoffMs?: number;
  maxBackoffMs?: number;
  registry?: Registry;
}

export interface JobsRun {
  done: number;
  /** Jobs whose system command had already been applied (claimed again after a lease ran out). */
  duplicate: number;
  rejected: number;
  failed: number;
}

interface Claimed {
  id: string;
  kind: string;
  key: string;
  payload: string;
  attempts: number;
}

/** Delay before retry number `attempts` + 1: 1 s, 2 s, 4 s … capped. */
export const backoff = (attempts: number, base = 1000, max = 3_600_000) => Math.min(max, base * 2 ** Math.max(0, attempts - 1));

/** Runs every job due at the clock's now, a batch at a time, until none is left to claim. */
export async function runDueJobs(store: Store, clock: Clock, opts: JobsOptions = {}): Promise<JobsRun> {
  const out: JobsRun = { done: 0, duplicate: 0, rejected: 0, failed: 0 };
  const registry = opts.registry ?? COMMANDS;
  const tried = new Set<string>();
  for (;;) {
    const now = clock.now();
    const jobs = (await claim(store, now, now + (opts.leaseMs ?? 60_000), opts.batch ?? 20)).filter((j) => !tried.has(j.id));
    if (jobs.length === 0) return out;
    for (const job of jobs) {
      tried.add(job.id);
      const at = clock.now();
      try {
        const r = await store.transaction(async (tx) => {
          const res = await applyOriginInTx(tx, { kind: 'system', key: job.id }, { type: job.kind, payload: JSON.parse(job.payload) as unknown }, at, registry);
          const error = res.result.status === 'rejected' ? `${res.result.error.code}: ${res.result.error.message}` : null;
          await tx.db
            .updateTable('jobs')
            .set({ status: res.result.status === 'rejected' ? 'rejected' : 'done', done_at: new Date(at).toISOString(), lease_until: null, last_error: error })
            .where('id', '=', job.id)
            .execute();
          return res.status;
        });
        if (r === 'rejected') out.rejected++;
        else if (r === 'duplicate') out.duplicate++;
        else out.done++;
      } catch (e) {
        // A request the registry cannot run (unknown type, invalid payload) will never succeed: keep it visible as rejected.
        const permanent = e instanceof HttpError && e.status === 400;
        const message = e instanceof Error ? e.message : String(e);
        await store.db
          .updateTable('jobs')
          .set(permanent ? { status: 'rejected', last_error: message, lease_until: null, done_at: new Date(at).toISOString() } : { last_error: message, lease_until: null, run_at: at + backoff(job.attempts, opts.backoffMs, opts.maxBackoffMs) })
          .where('id', '=', job.id)
          .execute();
        if (permanent) out.rejected++;
        else out.failed++;
        if (permanent || job.attempts >= FAILING_AFTER) await raiseJobFailing(store, job, at);
      }
    }
  }
}

/**
 * [J1][EX1] "Visible when it keeps failing": one chain-level exception per job, counted in place (its
 * attempts), so every store's managers see it in words, not only the admin API.
 */
async function raiseJobFailing(store: Store, job: Claimed, at: number): Promise<void> {
  const id = `job-failing:${job.id}`;
  let payload: Record<string, unknown> = {};
  try {
    payload = JSON.parse(job.payload) as Record<string, unknown>;
  } catch {
    /* the payload is shown as it is not: no reference */
  }
  const ref = typeof payload.orderId === 'string' ? { orderId: payload.orderId } : {};
  await store.transaction(async (tx) => {
    await tx.lockStreams(['chain']);
    const prior = await tx.get('exceptions', id);
    const row: ExceptionRow = {
      id,
      storeId: CHAIN_WIDE as LocationId,
      kind: 'job-failing',
      message: `The server's ${job.kind} for ${job.key} failed ${job.attempts} times; it keeps retrying.`,
      details: { type: job.kind, key: job.key, attempts: job.attempts, ...ref, lastAt: new Date(at).toISOString() },
      raisedAt: prior?.raisedAt ?? encodeHlc({ wall: at, counter: 0, node: 'server' }),
      by: 'system',
    };
    // A resolved alarm that fails again is open again.
    await tx.putRows([{ table: 'exceptions', key: id, stream: 'chain', row }]);
  });
}

/** Claims up to `n` due jobs in one statement, counting the attempt; other instances skip them until the lease ends. */
async function claim(store: Store, now: number, leaseUntil: number, n: number): Promise<Claimed[]> {
  const lock = store.dialect === 'postgres' ? sql`for update skip locked` : sql``;
  const { rows } = await sql<Claimed>`
    update jobs set attempts = attempts + 1, lease_until = ${leaseUntil}
    where id in (
      select id from jobs
      where status = 'pending' and run_at <= ${now} and (lease_until is null or lease_until <= ${now})
      order by run_at, id limit ${n} ${lock}
    )
    returning id, kind, key, payload, attempts`.execute(store.db);
  return rows.map((r) => ({ ...r, attempts: Number(r.attempts) }));
}

export interface JobView {
  id: string;
  kind: string;
  key: string;
  status: string;
  attempts: number;
  lastError: string | null;
  runAt: number;
  createdBy: string;
  createdAt: string;
  doneAt: string | null;
}

/**
 * Jobs for an administrator [J1]: by default the ones that need a look — pending with at least one
 * failed attempt, or rejected — most attempts first.
 */
export async function listJobs(store: Store, filter: { status?: 'pending' | 'done' | 'rejected'; failing?: boolean; limit?: number } = { failing: true }): Promise<JobView[]> {
  let q = store.db.selectFrom('jobs').selectAll();
  if (filter.status) q = q.where('status', '=', filter.status);
  if (filter.failing) q = q.where((eb) => eb.or([eb('status', '=', 'rejected'), eb.and([eb('status', '=', 'pending'), eb('last_error', 'is not', null)])]));
  const rows = await q.orderBy('attempts', 'desc').orderBy('run_at').limit(filter.limit ?? 200).execute();
  return rows.map((r) => ({ id: r.id, kind: r.kind, key: r.key, status: r.status, attempts: Number(r.attempts), lastError: r.last_error, runAt: Number(r.run_at), createdBy: r.created_by, createdAt: r.created_at, doneAt: r.done_at }));
}
