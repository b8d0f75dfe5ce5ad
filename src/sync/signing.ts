// [T1] The tablet's device-bound key and request signer: a non-extractable ECDSA P-256 key made at
// enrollment and kept in IndexedDB (a CryptoKey is structured-clonable; its private half can never be
// read by script), and RFC 9421 signatures over method, path, query and body digest, in server time.
import type { VitrineDb } from '@/db/schema';
import { getDevice } from '@/db/device';
import type { FetchLike, Transport } from './transport';
import { contentDigestHeader, signatureBase, signatureParams, splitTarget, toBase64, SIGNATURE_LABEL } from '@/core/sync/http-signature';

export interface DeviceKey {
  privateKey: CryptoKey;
  publicKey: JsonWebKey;
}

const KEY = 'device-key';

/** The key this tablet enrolls with; made once, so a retried enrollment sends the same public key. */
export async function ensureDeviceKey(db: VitrineDb, subtle: SubtleCrypto = crypto.subtle): Promise<DeviceKey> {
  const have = (await db.meta.get(KEY))?.value as DeviceKey | undefined;
  if (have) return have;
  const pair = await subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, false, ['sign', 'verify']);
  const jwk = await subtle.exportKey('jwk', pair.publicKey);
  const key: DeviceKey = { privateKey: pair.privateKey, publicKey: { kty: jwk.kty, crv: jwk.crv, x: jwk.x, y: jwk.y } };
  await db.meta.put({ key: KEY, value: key });
  return key;
}

/** Keeps a key made elsewhere (a tool that enrolls once and syncs into several databases). */
export async function storeDeviceKey(db: VitrineDb, key: DeviceKey): Promise<void> {
  await db.meta.put({ key: KEY, value: key });
}

export async function getDeviceKey(db: VitrineDb): Promise<DeviceKey | undefined> {
  return (await db.meta.get(KEY))?.value as DeviceKey | undefined;
}

/** Signs requests and keeps this tablet's offset from the server's clock. */
export interface RequestSigner {
  /** Headers that sign this request: Signature-Input, Signature and, with a body, Content-Digest. */
  sign(method: string, target: string, body?: string): Promise<Record<string, string>>;
  /** Learns the server's time from an answer's Date header; true if the offset moved noticeably. */
  observe(date: string | null): boolean;
}

export class DeviceSigner implements RequestSigner {
  /** Server time minus local time (ms), from the Date header of the latest answer. */
  offsetMs = 0;

  constructor(
    private readonly key: CryptoKey,
    private readonly keyId: string,
    private readonly now: () => number = () => Date.now(),
    private readonly subtle: SubtleCrypto = crypto.subtle,
  ) {}

  async sign(method: string, target: string, body?: string): Promise<Record<string, string>> {
    const { path, query } = splitTarget(target);
    const bytes = body !== undefined && body.length > 0 ? new TextEncoder().encode(body) : undefined;
    const contentDigest = bytes ? contentDigestHeader(new Uint8Array(await this.subtle.digest('SHA-256', bytes))) : undefined;
    const created = Math.floor((this.now() + this.offsetMs) / 1000);
    const base = signatureBase({ method, path, query, contentDigest, created, keyId: this.keyId });
    // WebCrypto's ECDSA signature is already the raw r‖s that RFC 9421 asks for.
    const sig = new Uint8Array(await this.subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, this.key, new TextEncoder().encode(base)));
    return {
      'signature-input': `${SIGNATURE_LABEL}=${signatureParams({ contentDigest, created, keyId: this.keyId })}`,
      signature: `${SIGNATURE_LABEL}=:${toBase64(sig)}:`,
      ...(contentDigest ? { 'content-digest': contentDigest } : {}),
    };
  }

  observe(date: string | null): boolean {
    const server = date ? Date.parse(date) : NaN;
    if (!Number.isFinite(server)) return false;
    const offset = server - this.now();
    // Date has a resolution of one second: ignore the jitter that comes with it.
    if (Math.abs(offset - this.offsetMs) < 2000) return false;
    this.offsetMs = offset;
    return true;
  }
}

/** One signer per database and device, so the clock offset survives from one sync cycle to the next. */
const signers = new WeakMap<VitrineDb, DeviceSigner & { deviceId: string }>();

export async function deviceSigner(db: VitrineDb, deviceId: string, now?: () => number): Promise<RequestSigner | undefined> {
  const cached = signers.get(db);
  if (cached && cached.deviceId === deviceId) return cached;
  const key = await getDeviceKey(db);
  if (!key) return undefined;
  const signer = Object.assign(new DeviceSigner(key.privateKey, deviceId, now), { deviceId });
  signers.set(db, signer);
  return signer;
}

/** The signed transport of this tablet for calls outside the sync loop (sign-in), or null before enrollment. */
export async function deviceTransport(db: VitrineDb, opts: { baseUrl?: string; fetch?: FetchLike; now?: () => number } = {}): Promise<Transport | null> {
  const d = await getDevice(db);
  if (!d) return null;
  return { baseUrl: opts.baseUrl ?? '', fetch: opts.fetch ?? ((...a) => fetch(...a)), token: d.deviceToken, signer: await deviceSigner(db, d.deviceId, opts.now) };
}
