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
}
