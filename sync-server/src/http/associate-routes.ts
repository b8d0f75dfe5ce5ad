// [T2] Online sign-in: the server checks an associate's PIN against the verifier only it holds, and
// enforces the lock-out itself (a tablet's IndexedDB is not the last word). The answer carries the
// verifier for this tablet to keep, wrapped with its device-bound key, for offline sign-in later.
// The store's verifiers also reach its tablets through a signed route (never through a stream), so
// any associate can sign in offline: a token alone cannot fetch them [T1].
import { webcrypto } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Store, DeviceRecord } from '../store/store';
import type { Clock } from '../apply/push';
import { HttpError } from './errors';
import type { TrustConfig } from './trust-config';
import { hashPin, sameDigest } from '../../../src/core/shared/pin';
import { approvalMac } from '../../../src/core/shared/sign-in-proof';
import { unlockSubject, UNLOCK_APPROVAL_MS } from '../../../src/core/shared/unlock';
import type { AssociateRow } from '../../../src/core/model';

export interface AssociateDeps {
  store: Store;
  clock: Clock;
  trust: TrustConfig;
  guarded: <T>(req: FastifyRequest, check: () => Promise<T>) => Promise<T>;
  authenticate: (req: FastifyRequest) => Promise<DeviceRecord>;
}

/** The demo's well-known PINs: refused on a production server whatever the database holds [T4]. */
export const DEMO_PINS: ReadonlySet<string> = new Set(['1111', '2222', '3333', '1234']);

const signInBody = z.object({
  associateId: z.string().min(1).max(100),
  pin: z.string().regex(/^\d{4,12}$/, 'pin is 4 to 12 digits'),
});

const unlockBody = z.object({
  associateId: z.string().min(1).max(100),
  approval: z.object({
    by: z.string().min(1).max(100),
    at: z.number().int().nonnegative(),
    subject: z.object({ kind: z.literal('unlock'), associateId: z.string().min(1).max(100) }),
    mac: z.string().min(1).max(200),
  }),
});

export interface SignInAnswer {
  associate: { id: string; name: string; role: AssociateRow['role'] };
  /** PBKDF2-SHA256 parameters and digest of the PIN: the tablet keeps them wrapped [T2]. */
  verifier: { salt: string; iterations: number; hash: string };
}

const subtle = webcrypto.subtle as unknown as SubtleCrypto;

export async function registerAssociateRoutes(app: FastifyInstance, deps: AssociateDeps): Promise<void> {
  const { store, clock, trust } = deps;

  app.get('/api/v1/associates/verifiers', async (req) => {
    const device = await deps.authenticate(req);
    const rows = await store.db
      .selectFrom('rows')
      .innerJoin('associate_pins', 'associate_pins.associate_id', 'rows.key')
      .select(['rows.data', 'associate_pins.salt', 'associate_pins.iterations', 'associate_pins.hash'])
      .where('rows.tbl', '=', 'associates')
      .where('rows.stream', '=', `store:${device.storeId}`)
      .where('rows.deleted', '=', 0)
      .execute();
    const verifiers = rows.flatMap((r) => {
      const a = JSON.parse(r.data ?? 'null') as AssociateRow | null;
      return a && a.active ? [{ associate: { id: a.id, name: a.name, role: a.role }, verifier: { salt: r.salt, iterations: Number(r.iterations), hash: r.hash } }] : [];
    });
    return { verifiers };
  });

  app.post('/api/v1/associates/sign-in', async (req) => {
    const device = await deps.authenticate(req);
    const r = signInBody.safeParse(req.body);
    if (!r.success) throw new HttpError(400, 'invalid-body', `Invalid sign-in: ${r.error.issues[0]?.path.join('.') ?? ''} ${r.error.issues[0]?.message ?? ''}.`);
    const { associateId, pin } = r.data;
    return deps.guarded(req, async (): Promise<SignInAnswer> => {
      const a = await store.getRow('associates', associateId);
      const v = await store.db.selectFrom('associate_pins').selectAll().where('associate_id', '=', associateId).executeTakeFirst();
      if (!a || !a.active || a.storeId !== device.storeId || !v) {
        throw new HttpError(401, 'wrong-pin', 'That name and PIN do not match an associate of this store.');
      }
      const now = clock.now();
      if (v.locked_until && Date.parse(v.locked_until) > now) {
        const retryAfter = Math.ceil((Date.parse(v.locked_until) - now) / 1000);
        throw new HttpError(429, 'associate-locked', `${a.name} typed a wrong PIN too many times; try again at ${v.locked_until.slice(11, 16)} UTC or ask a manager.`, { until: v.locked_until, retryAfter });
      }
      const ok = sameDigest(await hashPin(subtle, pin, v.salt, v.iterations), v.hash);
      if (!ok) {
        const fails = v.fails + 1;
        const locked = fails >= trust.pins.maxTries;
        const until = locked ? new Date(now + trust.pins.lockMs).toISOString() : null;
        await store.db.updateTable('associate_pins').set({ fails: locked ? 0 : fails, locked_until: until }).where('associate_id', '=', associateId).execute();
        if (locked) throw new HttpError(429, 'associate-locked', `${a.name} typed a wrong PIN ${trust.pins.maxTries} times and is locked out for ${Math.round(trust.pins.lockMs / 60_000)} minutes.`, { until, retryAfter: Math.ceil(trust.pins.lockMs / 1000) });
        throw new HttpError(401, 'wrong-pin', `Wrong PIN; ${trust.pins.maxTries - fails} tries left before ${a.name} is locked out.`, { left: trust.pins.maxTries - fails });
      }
      if (v.fails > 0 || v.locked_until) await store.db.updateTable('associate_pins').set({ fails: 0, locked_until: null }).where('associate_id', '=', associateId).execute();
      if (trust.mode === 'production' && (DEMO_PINS.has(pin) || pin.length < trust.pins.minDigits[a.role])) {
        throw new HttpError(403, 'pin-not-allowed', `This PIN does not meet the store's PIN policy (at least ${trust.pins.minDigits[a.role]} digits, not a demo PIN). Ask an administrator to set a new one.`);
      }
      return { associate: { id: a.id, name: a.name, role: a.role }, verifier: { salt: v.salt, iterations: v.iterations, hash: v.hash } };
    });
  });

  /**
   * [T2] A manager lifts a lock-out at once: their approval of "unlock this associate", made with
   * their PIN on this tablet (a proof, like a discount approval; no PIN travels), fresh, and by an
   * active manager of this store. A forged or stale approval counts as a failed authentication.
   */
  app.post('/api/v1/associates/unlock', async (req) => {
    const device = await deps.authenticate(req);
    const r = unlockBody.safeParse(req.body);
    if (!r.success) throw new HttpError(400, 'invalid-body', `Invalid unlock: ${r.error.issues[0]?.path.join('.') ?? ''} ${r.error.issues[0]?.message ?? ''}.`);
    const { associateId, approval } = r.data;
    return deps.guarded(req, async () => {
      if (approval.subject.associateId !== associateId) throw new HttpError(400, 'approval-mismatch', 'The manager approved unlocking someone else; ask them to approve this associate.');
      const now = clock.now();
      if (Math.abs(now - approval.at) > UNLOCK_APPROVAL_MS) throw new HttpError(401, 'approval-expired', 'The manager\'s approval is too old; ask them to type their PIN again.');
      const [a, m] = await Promise.all([store.getRow('associates', associateId), store.getRow('associates', approval.by)]);
      if (!a || a.storeId !== device.storeId) throw new HttpError(404, 'unknown-associate', 'That associate does not work at this store.');
      if (!m || !m.active || m.role !== 'manager' || m.storeId !== device.storeId) throw new HttpError(403, 'not-a-manager', 'Only an active manager of this store can lift a lock-out.');
      if (m.id === a.id) throw new HttpError(403, 'own-lock-out', 'A manager cannot lift their own lock-out; ask another manager, or wait until it ends.');
      const digest = await store.db.selectFrom('associate_pins').select('hash').where('associate_id', '=', m.id).executeTakeFirst();
      const expected = digest ? await approvalMac(subtle, digest.hash, { by: m.id, deviceId: device.id, at: approval.at, subject: unlockSubject(associateId) }) : '';
      if (!digest || !sameDigest(expected, approval.mac)) throw new HttpError(401, 'approval-invalid', `That approval was not made with ${m.name}'s PIN on this tablet.`);
      await store.db.updateTable('associate_pins').set({ fails: 0, locked_until: null }).where('associate_id', '=', associateId).execute();
      return { unlocked: associateId, by: m.id };
    });
  });
}
