// A minimal test tablet over app.inject(): enrolls, builds command envelopes [C1] with its own seq and
// HLC, pushes and pulls. Also picks sellable SKUs from the seeded chain. Apps made with
// createTestApp() sign every request that carries a token enrolled through them [T1], exactly as a
// tablet does, so tests exercise the real verification; rawInject() sends a request as written.
import { createHash, generateKeyPairSync, randomUUID, sign, type KeyObject } from 'node:crypto';
import type { FastifyInstance, LightMyRequestResponse, InjectOptions } from 'fastify';
import { createApp, type AppDeps } from '../../src/http/app';
import { testTrustConfig } from '../../src/http/trust-config';
import { webcrypto } from 'node:crypto';
import { approvalMac, signInMac } from '../../../src/core/shared/sign-in-proof';
import { contentDigestHeader, signatureBase, signatureParams, splitTarget, SIGNATURE_LABEL } from '../../../src/core/sync/http-signature';
import { encodeHlc } from '../../../src/core/shared/hlc';
import type { Envelope, EnrollResponse, PullResponse, PushResponse, ErrorBody } from '../../../src/core/sync/protocol';
import type { GeneratedChain } from '../../src/seed/generate';
import type { StockRow } from '../../../src/core/model';
import type { Store } from '../../src/store/store';

export const MARTA = 'A-S01-MARTA'; // manager, PIN 1111
export const CARLOS = 'A-S01-CARLOS'; // cashier, PIN 2222
export const ANA = 'A-S01-ANA'; // associate, PIN 3333

export interface SaleLineIn {
  sku: string;
  qty: number;
  unitPrice: number;
}

/** A device's signing key as a test holds it: the private key and the public JWK it enrolled with. */
export interface DeviceKey {
  privateKey: KeyObject;
  publicKey: { kty: 'EC'; crv: 'P-256'; x: string; y: string };
}

export function newDeviceKey(): DeviceKey {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const jwk = publicKey.export({ format: 'jwk' }) as { x: string; y: string };
  return { privateKey, publicKey: { kty: 'EC', crv: 'P-256', x: jwk.x, y: jwk.y } };
}

/** The headers that sign a request [T1] (RFC 9421 + RFC 9530 Content-Digest). */
export function signatureHeaders(key: KeyObject, deviceId: string, method: string, url: string, body: string | undefined, nowMs = Date.now()): Record<string, string> {
  const { path, query } = splitTarget(url);
  const contentDigest = body !== undefined && body.length > 0 ? contentDigestHeader(createHash('sha256').update(body).digest()) : undefined;
  const created = Math.floor(nowMs / 1000);
  const base = signatureBase({ method, path, query, contentDigest, created, keyId: deviceId });
  const sig = sign('sha256', Buffer.from(base), { key, dsaEncoding: 'ieee-p1363' }).toString('base64');
  return {
    'signature-input': `${SIGNATURE_LABEL}=${signatureParams({ contentDigest, created, keyId: deviceId })}`,
    signature: `${SIGNATURE_LABEL}=:${sig}:`,
    ...(contentDigest ? { 'content-digest': contentDigest } : {}),
  };
}

const RAW = Symbol('raw inject');
type Signing = { [RAW]: FastifyInstance['inject']; now: () => number };
/** Tokens enrolled through any test app, shared so a device enrolled on one instance pushes to another. */
const KEYS = new Map<string, { deviceId: string; key: DeviceKey }>();
const signing = new WeakMap<FastifyInstance, Signing>();

/** Sends a request exactly as written: no signature, no key added to an enrollment. */
export function rawInject(app: FastifyInstance, opts: InjectOptions): Promise<LightMyRequestResponse> {
  const s = signing.get(app);
  return (s ? s[RAW] : app.inject.bind(app))(opts) as Promise<LightMyRequestResponse>;
}

/**
 * An app whose inject() behaves like a tablet: an enrollment without a key gets one, and a request
 * with a token enrolled here is signed with that device's key (unless it already carries a signature).
 */
export async function createTestApp(deps: AppDeps): Promise<FastifyInstance> {
  const app = await createApp({ trust: testTrustConfig(), ...deps });
  installSigning(app, () => (deps.clock ?? { now: () => Date.now() }).now());
  return app;
}

export function installSigning(app: FastifyInstance, now: () => number): void {
  const raw = app.inject.bind(app) as FastifyInstance['inject'];
  const s: Signing = { [RAW]: raw, now };
  signing.set(app, s);
  const signed = async (opts: InjectOptions): Promise<LightMyRequestResponse> => {
    const url = String(opts.url);
    const method = (opts.method ?? 'GET').toUpperCase();
    let body = typeof opts.payload === 'string' ? opts.payload : opts.payload !== undefined ? JSON.stringify(opts.payload) : undefined;
    const headers: Record<string, string> = { ...(opts.headers as Record<string, string> | undefined) };
    if (body !== undefined && !Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) headers['content-type'] = 'application/json';
    let newKey: DeviceKey | undefined;
    if (url === '/api/v1/devices/enroll' && method === 'POST' && opts.payload && typeof opts.payload === 'object' && !('publicKey' in opts.payload)) {
      newKey = newDeviceKey();
      body = JSON.stringify({ ...(opts.payload as object), publicKey: newKey.publicKey });
    }
    const token = /^Bearer (\S+)$/.exec(headers.authorization ?? '')?.[1];
    const device = token ? KEYS.get(token) : undefined;
    if (device && token && body !== undefined && !headers.signature && /^\/api\/v1\/sync\/(push|import)$/.test(url)) body = await withSignIns(raw, token, device, body, s.now());
    if (device && !headers.signature) Object.assign(headers, signatureHeaders(device.key.privateKey, device.deviceId, method, url, body, s.now()));
    const res = (await raw({ ...opts, headers, ...(body !== undefined ? { payload: body } : {}) } as InjectOptions)) as LightMyRequestResponse;
    if (newKey && res.statusCode === 200) {
      const e = res.json<EnrollResponse>();
      KEYS.set(e.deviceToken, { deviceId: e.deviceId, key: newKey });
    }
    return res;
  };
  (app as { inject: unknown }).inject = signed;
}

/** The demo chain's PINs (generate.ts): S01's three, and 1234 for every other associate. */
export const DEMO_PIN: Record<string, string> = { [MARTA]: '1111', [CARLOS]: '2222', [ANA]: '3333' };
const proofs = new Map<string, Promise<{ id: string; at: number; mac: string }>>();

/**
 * [T2] Adds to each pushed command without a `signIn` the proof its actor's sign-in would give, as
 * the tablet's dispatch does: the test app signs the actor in (the server route, with the demo PIN)
 * and derives the proof from the verifier it answers with. A command that names its own `signIn`
 * (a forged one in a test) is sent as is.
 */
async function withSignIns(raw: FastifyInstance['inject'], token: string, device: { deviceId: string; key: DeviceKey }, body: string, now: number): Promise<string> {
  let parsed: { commands?: unknown };
  try {
    parsed = JSON.parse(body) as { commands?: unknown };
  } catch {
    return body;
  }
  if (!parsed || typeof parsed !== 'object' || !Array.isArray(parsed.commands)) return body;
  let changed = false;
  for (const c of parsed.commands as Record<string, unknown>[]) {
    if (!c || typeof c !== 'object' || 'signIn' in c || typeof c.actor !== 'string' || typeof c.at !== 'string' || c.deviceId !== device.deviceId) continue;
    // One sign-in per actor per hour of command time, as a tablet signs in once per shift (a
    // session covers 12 h): a sign-in per command would make every push bench a PBKDF2 bench.
    const wall = Number(c.at.slice(0, 15));
    if (!Number.isFinite(wall)) continue;
    const at = Math.floor(wall / 3_600_000) * 3_600_000 - 1000;
    const actor = c.actor;
    const k = `${token}\u0000${actor}\u0000${at}`;
    let p = proofs.get(k);
    if (!p) {
      p = (async () => {
        const payload = JSON.stringify({ associateId: actor, pin: DEMO_PIN[actor] ?? '1234' });
        const url = '/api/v1/associates/sign-in';
        const r = (await raw({ method: 'POST', url, payload, headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, ...signatureHeaders(device.key.privateKey, device.deviceId, 'POST', url, payload, now) } })) as LightMyRequestResponse;
        // An actor who cannot sign in (unknown, another store's) gets a proof that will not verify.
        // An instance that died under the sign-in is a dropped connection to the tablet, not a proof
        // to spoil the push with (a 4xx, e.g. an unknown actor, still makes a proof that fails).
        if (r.statusCode !== 200) proofs.delete(k);
        if (r.statusCode >= 500) throw new TypeError(`sign-in failed with ${r.statusCode}: the connection dropped`);
        const hash = r.statusCode === 200 ? r.json<{ verifier: { hash: string } }>().verifier.hash : '00';
        const id = randomUUID();
        return { id, at, mac: await signInMac(webcrypto.subtle as unknown as SubtleCrypto, hash, { associateId: actor, deviceId: device.deviceId, signInId: id, at }) };
      })();
      proofs.set(k, p);
      // A sign-in that failed outright (its instance was closed under it: "Fastify has already been
      // closed") is no proof: forget it, or every later push of this actor's commands would fail the
      // same way, forever (the simulation's wedged tablets on PostgreSQL).
      const failed = p;
      failed.catch(() => {
        if (proofs.get(k) === failed) proofs.delete(k);
      });
    }
    c.signIn = await p;
    changed = true;
  }
  return changed ? JSON.stringify(parsed) : body;
}

/**
 * [T2] The sign-in proof a tablet would attach, for a test that calls pushCommands() directly (no
 * HTTP, so no test app to add it): made from the actor's PIN digest as the server keeps it.
 */
export async function withSignIn<E extends { actor: string; at: string; deviceId: string; signIn?: unknown }>(store: Store, env: E): Promise<E> {
  if (env.signIn) return env;
  const row = await store.db.selectFrom('associate_pins').select('hash').where('associate_id', '=', env.actor).executeTakeFirst();
  const at = Number(env.at.slice(0, 15)) - 1000;
  const id = randomUUID();
  const mac = await signInMac(webcrypto.subtle as unknown as SubtleCrypto, row?.hash ?? '00', { associateId: env.actor, deviceId: env.deviceId, signInId: id, at });
  return { ...env, signIn: { id, at, mac } };
}

/**
 * [T2][RO3] A manager's approval as the till makes it (verifyManagerPin): a proof over `subject` made
 * from that associate's PIN digest, as the server keeps it, for this device.
 */
export async function approvalBy(store: Store, by: string, deviceId: string, at: number, subject: unknown = { kind: 'discount' }): Promise<{ by: string; at: number; subject: unknown; mac: string }> {
  const row = await store.db.selectFrom('associate_pins').select('hash').where('associate_id', '=', by).executeTakeFirst();
  return { by, at, subject, mac: await approvalMac(webcrypto.subtle as unknown as SubtleCrypto, row?.hash ?? '00', { by, deviceId, at, subject }) };
}

/** The key a test app holds for a token enrolled through it. */
export function keyOf(token: string): DeviceKey | undefined {
  return KEYS.get(token)?.key;
}

/** An app built with plain createApp() learns to sign the first time a test tablet enrolls on it. */
function ensureSigning(app: FastifyInstance): void {
  if (!signing.has(app)) installSigning(app, () => Date.now());
}

export async function enroll(app: FastifyInstance, code = 'DEMO-S01', name = 'Till'): Promise<LightMyRequestResponse> {
  ensureSigning(app);
  return app.inject({ method: 'POST', url: '/api/v1/devices/enroll', payload: { code, name } });
}

export class TestTablet {
  seq = 0;
  receipts = 0;
  /** HLC wall time: starts at a fixed instant and moves forward by 1 ms per command. */
  wall: number;

  constructor(
    readonly app: FastifyInstance,
    readonly enrollment: EnrollResponse,
    wall = Date.UTC(2025, 5, 2, 9, 0, 0),
  ) {
    this.wall = wall;
  }

  static async enroll(app: FastifyInstance, name = 'Till', code = 'DEMO-S01'): Promise<TestTablet> {
    const r = await enroll(app, code, name);
    if (r.statusCode !== 200) throw new Error(`enroll failed: ${r.statusCode} ${r.body}`);
    return new TestTablet(app, r.json<EnrollResponse>());
  }

  get id(): string {
    return this.enrollment.deviceId;
  }

  get auth(): Record<string, string> {
    return { authorization: `Bearer ${this.enrollment.deviceToken}` };
  }

  /** A command envelope with the next seq (or an explicit one) and a fresh HLC. */
  command(type: string, payload: unknown, opts: { actor?: string; seq?: number; v?: number; at?: { wall: number; counter?: number } } = {}): Envelope {
    const seq = opts.seq ?? ++this.seq;
    const at = opts.at ? encodeHlc({ wall: opts.at.wall, counter: opts.at.counter ?? 0, node: this.id }) : encodeHlc({ wall: ++this.wall, counter: 0, node: this.id });
    return { id: randomUUID(), deviceId: this.id, seq, type, v: opts.v ?? 1, at, actor: opts.actor ?? CARLOS, payload };
  }

  salePayload(lines: SaleLineIn[], extra: { storeId?: string; customerId?: string; tender?: number } = {}) {
    const total = lines.reduce((s, l) => s + l.qty * l.unitPrice, 0);
    this.receipts += 1;
    return {
      saleId: randomUUID(),
      storeId: extra.storeId ?? this.enrollment.storeId,
      receiptNo: `${this.enrollment.storeId}-${this.enrollment.deviceCode}-${String(this.receipts).padStart(6, '0')}`,
      currency: 'EUR',
      ...(extra.customerId ? { customerId: extra.customerId } : {}),
      lines,
      tenders: [{ kind: 'cash', amount: extra.tender ?? total }],
    };
  }

  sale(lines: SaleLineIn[], opts: { actor?: string; storeId?: string; customerId?: string; seq?: number } = {}): Envelope {
    return this.command('sale.complete', this.salePayload(lines, opts), opts);
  }

  async push(commands: unknown[], deviceId: string = this.id): Promise<LightMyRequestResponse> {
    return this.app.inject({ method: 'POST', url: '/api/v1/sync/push', headers: this.auth, payload: { deviceId, commands } });
  }

  /** Pushes and expects a 200, returning the parsed body. */
  async pushOk(commands: unknown[]): Promise<PushResponse> {
    const r = await this.push(commands);
    if (r.statusCode !== 200) throw new Error(`push failed: ${r.statusCode} ${r.body}`);
    return r.json<PushResponse>();
  }

  async pull(stream: string, after = 0, limit?: number): Promise<LightMyRequestResponse> {
    const q = new URLSearchParams({ stream, after: String(after), ...(limit ? { limit: String(limit) } : {}) });
    return this.app.inject({ method: 'GET', url: `/api/v1/sync/pull?${q.toString()}`, headers: this.auth });
  }

  /** Pulls a whole stream from `after`, page by page. */
  async pullAll(stream: string, after = 0, limit = 1000): Promise<PullResponse['changes']> {
    const out: PullResponse['changes'] = [];
    let cursor = after;
    for (;;) {
      const r = await this.pull(stream, cursor, limit);
      if (r.statusCode !== 200) throw new Error(`pull failed: ${r.statusCode} ${r.body}`);
      const page = r.json<PullResponse>();
      out.push(...page.changes);
      cursor = page.version;
      if (!page.more) return out;
    }
  }
}

export const errorOf = (r: LightMyRequestResponse) => r.json<ErrorBody>().error;

/** S01 stock rows of the seeded chain with at least `min` available, with their EUR price. */
export function sellable(chain: GeneratedChain, min = 1, storeId = 'S01'): { stock: StockRow; unitPrice: number }[] {
  const price = new Map(chain.variants.map((v) => [v.sku as string, v.prices.EUR ?? 0]));
  return chain.stock
    .filter((s) => s.locationId === storeId && s.onHand - s.reserved >= min && (price.get(s.sku) ?? 0) > 0)
    .map((stock) => ({ stock, unitPrice: price.get(stock.sku)! }));
}
