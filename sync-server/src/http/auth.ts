// Device authentication [A2][T1]: a bearer token (random 256-bit secret; the server keeps only its
// SHA-256) AND an RFC 9421 signature made with the tablet's non-extractable P-256 key over method,
// path, query, body digest (RFC 9530) and time. A token copied out of a tablet is worth nothing alone.
import { createHash, createPublicKey, randomBytes, timingSafeEqual, verify, type KeyObject } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import type { Store, DeviceRecord } from '../store/store';
import { HttpError } from './errors';
import { SIGNATURE_ALG, SIGNATURE_LABEL, SIGNATURE_WINDOW_S, contentDigestHeader, signatureBase, splitTarget } from '../../../src/core/sync/http-signature';

export const newToken = () => `vt_${randomBytes(32).toString('base64url')}`;
export const tokenHash = (token: string) => createHash('sha256').update(token).digest('hex');

/** A P-256 public key as the tablet sends it at enrollment (JWK, RFC 7517). */
export interface PublicJwk {
  kty: 'EC';
  crv: 'P-256';
  x: string;
  y: string;
}

/** The canonical text of a public key, stored with the device and compared on a retried enrollment. */
export const jwkText = (k: PublicJwk) => JSON.stringify({ crv: k.crv, kty: k.kty, x: k.x, y: k.y });

/** Parses a JWK into a key object, or undefined if it is not a valid P-256 public key. */
export function importPublicJwk(k: PublicJwk): KeyObject | undefined {
  try {
    const key = createPublicKey({ key: { kty: k.kty, crv: k.crv, x: k.x, y: k.y }, format: 'jwk' });
    return key.asymmetricKeyType === 'ec' && key.asymmetricKeyDetails?.namedCurve === 'prime256v1' ? key : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Signatures seen within the window: a replayed request (same signature) is refused. ECDSA signatures
 * are randomised, so a tablet's own retry of the same request carries a new one. Per instance: with
 * several instances a replay can reach another one within the 5-minute window, which a push survives
 * anyway ([C3] seq makes it a duplicate) and a pull only re-reads what the signer could read.
 */
export class ReplayGuard {
  private readonly seen = new Map<string, number>();
  constructor(private readonly max = 200_000) {}

  /** Records a signature; false if it was already seen and has not expired. */
  fresh(signature: string, expiresAt: number, now: number): boolean {
    const at = this.seen.get(signature);
    if (at !== undefined && at > now) return false;
    if (this.seen.size >= this.max) {
      for (const [k, exp] of this.seen) if (exp <= now) this.seen.delete(k);
      // Still full of live entries: drop the oldest rather than grow without bound.
      if (this.seen.size >= this.max) this.seen.delete(this.seen.keys().next().value as string);
    }
    this.seen.set(signature, expiresAt);
    return true;
  }
}

export interface AuthContext {
  store: Store;
  now: () => number;
  replay: ReplayGuard;
  keys: Map<string, KeyObject>;
}

const SIG_INPUT = new RegExp(`^${SIGNATURE_LABEL}=(\\("@method" "@path" "@query"( "content-digest")?\\);created=(\\d{1,12});keyid="([A-Za-z0-9_.:-]{1,200})";alg="${SIGNATURE_ALG}")$`);
const SIG = new RegExp(`^${SIGNATURE_LABEL}=:([A-Za-z0-9+/]{86}==):$`);

function fail(code: 'signature-required' | 'bad-signature', message: string): never {
  throw new HttpError(401, code, message);
}

export async function authenticate(ctx: AuthContext, req: FastifyRequest): Promise<DeviceRecord> {
  const h = req.headers.authorization;
  const m = h ? /^Bearer (\S+)$/.exec(h) : null;
  if (!m) throw new HttpError(401, 'unauthenticated', 'Send the device token as "Authorization: Bearer <token>"; enroll the tablet to get one.');
  const device = await ctx.store.findDeviceByTokenHash(tokenHash(m[1]!));
  if (!device || device.revoked) throw new HttpError(401, 'device-revoked', 'This tablet is not enrolled (or was revoked). Export unsent commands, then enroll it again with a new code.');
  await verifySignature(ctx, req, device);
  return device;
}

/** [T1] Checks the request's RFC 9421 signature against the device's enrolled key. */
async function verifySignature(ctx: AuthContext, req: FastifyRequest, device: DeviceRecord): Promise<void> {
  const input = req.headers['signature-input'];
  const signature = req.headers.signature;
  if (typeof input !== 'string' || typeof signature !== 'string') {
    fail('signature-required', 'Every sync request must be signed with the tablet\'s key (headers Signature-Input and Signature, RFC 9421); a token alone is not accepted.');
  }
  const mi = SIG_INPUT.exec(input);
  if (!mi) fail('bad-signature', `Signature-Input must read ${SIGNATURE_LABEL}=("@method" "@path" "@query" ["content-digest"]);created=<unix seconds>;keyid="<deviceId>";alg="${SIGNATURE_ALG}".`);
  const [, params, coversDigest, createdText, keyId] = mi;
  const ms = SIG.exec(signature);
  if (!ms) fail('bad-signature', `Signature must read ${SIGNATURE_LABEL}=:<base64 of the 64-byte r‖s>:.`);
  if (keyId !== device.id) fail('bad-signature', 'The signature\'s keyid is not the device the token belongs to.');
  const now = ctx.now();
  const created = Number(createdText);
  if (Math.abs(created - now / 1000) > SIGNATURE_WINDOW_S) {
    fail('bad-signature', `The signature was made at ${new Date(created * 1000).toISOString()}, more than 5 minutes from the server's time (${new Date(now).toISOString()}); the tablet corrects its offset from this answer's Date header and signs again.`);
  }
  const raw = (req as { rawBody?: Buffer }).rawBody;
  const hasBody = raw !== undefined && raw.length > 0;
  if (hasBody !== Boolean(coversDigest)) fail('bad-signature', hasBody ? 'A request with a body must sign its Content-Digest.' : 'The signature covers a Content-Digest but the request has no body.');
  let contentDigest: string | undefined;
  if (hasBody) {
    const header = req.headers['content-digest'];
    const expected = contentDigestHeader(createHash('sha256').update(raw).digest());
    if (typeof header !== 'string' || header.length !== expected.length || !timingSafeEqual(Buffer.from(header), Buffer.from(expected))) {
      fail('bad-signature', 'Content-Digest is missing or does not match the body (sha-256, RFC 9530).');
    }
    contentDigest = header;
  }
  const key = deviceKey(ctx, device);
  const { path, query } = splitTarget(req.url);
  const base = signatureBase({ method: req.method, path, query, contentDigest, created, keyId: device.id });
  // The base is rebuilt from our profile, then its parameters must equal what was sent byte for byte.
  if (!base.endsWith(`"@signature-params": ${params}`)) fail('bad-signature', 'The signature parameters are not in canonical form.');
  const sig = Buffer.from(ms[1]!, 'base64');
  if (!verify('sha256', Buffer.from(base), { key, dsaEncoding: 'ieee-p1363' }, sig)) fail('bad-signature', 'The request signature does not verify with this tablet\'s key.');
  if (!ctx.replay.fresh(ms[1]!, (created + SIGNATURE_WINDOW_S) * 1000, now)) fail('bad-signature', 'This exact signed request was already received; a replay is refused.');
}

function deviceKey(ctx: AuthContext, device: DeviceRecord): KeyObject {
  const cached = ctx.keys.get(device.id);
  if (cached) return cached;
  const jwk = device.publicKey ? importPublicJwk(JSON.parse(device.publicKey) as PublicJwk) : undefined;
  // Enrolled before device-bound keys: the tablet must enroll again (it keeps its unsent commands [D6]).
  if (!jwk) throw new HttpError(401, 'device-revoked', 'This tablet was enrolled without a device key. Export unsent commands, then enroll it again with a new code.');
  ctx.keys.set(device.id, jwk);
  return jwk;
}

/** [A3] The streams a device may pull: the chain-wide ones and its own store's; [O2] `chain` holds chain-level exceptions. */
export const streamsFor = (storeId: string) => ['catalog', 'network', 'customers', `store:${storeId}`, 'chain'] as const;
