// Shared steps for specs: enroll a fresh tablet, wait for its first sync, sign in; a device enrolled
// through the API that signs its requests like a tablet [T1].
import { createHash, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { expect, type Page } from '@playwright/test';
import { contentDigestHeader, signatureBase, signatureParams, splitTarget, SIGNATURE_LABEL } from '../src/core/sync/http-signature';

export const baseUrl = () => {
  const u = process.env.VITRINE_URL;
  if (!u) throw new Error('VITRINE_URL is not set: run through the Playwright config (global setup)');
  return u;
};

export async function enroll(page: Page, name = 'Till 1') {
  await page.goto(baseUrl() + '/');
  await page.getByLabel('Enrollment code').fill('DEMO-S01');
  await page.getByLabel('Device name').fill(name);
  await page.getByRole('button', { name: 'Enroll device' }).click();
  // The associates of S01 arrive with the first pull of the store stream.
  await expect(page.getByRole('button', { name: /Marta/ })).toBeVisible({ timeout: 60_000 });
}

export async function signIn(page: Page, who: 'Marta' | 'Carlos' | 'Ana', pin: string) {
  await page.getByRole('button', { name: new RegExp(who) }).click();
  await page.getByLabel('PIN').fill(pin);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('button', { name: 'Sign out' })).toBeVisible();
}

/** Waits until the whole first sync (every stream) finished: no unsent, and a last-sync time shown. */
export async function waitSynced(page: Page) {
  await expect(page.getByRole('status', { name: 'Sync status' })).toContainText('last sync', { timeout: 90_000 });
}

/** Opens a register shift with a float if none is open on this tablet: a cash sale needs one [SH1]. */
export async function ensureShift(page: Page, float = '100.00') {
  await page.getByRole('link', { name: 'Register', exact: true }).click();
  const open = page.getByRole('button', { name: 'Open shift' });
  const opened = page.getByText(/^Shift opened by /);
  await expect(open.or(opened)).toBeVisible();
  if (await open.isVisible()) {
    await page.getByLabel('Opening float').fill(float);
    await open.click();
    await expect(opened).toBeVisible();
  }
}

/** Reads every row of one object store of the tablet's database, from IndexedDB itself. */
export function tabletRows<T>(page: Page, store: string): Promise<T[]> {
  return page.evaluate(
    (name) =>
      new Promise<T[]>((resolve, reject) => {
        const open = indexedDB.open('vitrine');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const db = open.result;
          const req = db.transaction(name).objectStore(name).getAll();
          req.onsuccess = () => {
            db.close();
            resolve(req.result as T[]);
          };
          req.onerror = () => reject(req.error);
        };
      }),
    store,
  );
}

/** Waits until the tablet's outbox is empty (read from IndexedDB itself, not from the status line, which can lag a commit). */
export async function waitSent(page: Page) {
  await page.getByRole('button', { name: 'Sync now' }).click();
  await expect
    .poll(
      () =>
        page.evaluate(
          () =>
            new Promise<number>((resolve, reject) => {
              const open = indexedDB.open('vitrine');
              open.onerror = () => reject(open.error);
              open.onsuccess = () => {
                const db = open.result;
                const req = db.transaction('outbox').objectStore('outbox').count();
                req.onsuccess = () => {
                  db.close();
                  resolve(req.result);
                };
                req.onerror = () => reject(req.error);
              };
            }),
        ),
      { timeout: 30_000 },
    )
    .toBe(0);
}

/** Scans `barcode` into the cart and opens the payment step (the "Complete sale" button is next). */
export async function ringUp(page: Page, barcode: string) {
  await ensureShift(page);
  await page.getByRole('link', { name: 'Products', exact: true }).click();
  await page.getByRole('searchbox', { name: 'Search products' }).fill(barcode);
  await page.getByRole('searchbox', { name: 'Search products' }).press('Enter');
  await page.getByRole('button', { name: 'Add to cart' }).click();
  await page.getByRole('link', { name: 'Cart', exact: true }).click();
  await page.getByRole('button', { name: 'Checkout' }).click();
}

export async function waitForServiceWorker(page: Page) {
  await page.waitForFunction(async () => {
    const r = await navigator.serviceWorker.getRegistration();
    return !!r?.active;
  }, undefined, { timeout: 30_000 });
}

export interface Api {
  token: string;
  deviceId: string;
  get<T>(path: string): Promise<T>;
  /** A signed request; answers the raw Response. */
  request(method: 'GET' | 'POST', path: string, body?: unknown): Promise<Response>;
}

/** RFC 9421 signature headers for a request, made with a P-256 key (RFC 9530 digest for a body). */
export function signatureHeaders(key: KeyObject, deviceId: string, method: string, path: string, body?: string): Record<string, string> {
  const { path: p, query } = splitTarget(path);
  const contentDigest = body ? contentDigestHeader(createHash('sha256').update(body).digest()) : undefined;
  const created = Math.floor(Date.now() / 1000);
  const base = signatureBase({ method, path: p, query, contentDigest, created, keyId: deviceId });
  return {
    'signature-input': `${SIGNATURE_LABEL}=${signatureParams({ contentDigest, created, keyId: deviceId })}`,
    signature: `${SIGNATURE_LABEL}=:${sign('sha256', Buffer.from(base), { key, dsaEncoding: 'ieee-p1363' }).toString('base64')}:`,
    ...(contentDigest ? { 'content-digest': contentDigest } : {}),
  };
}

/** A device enrolled through the API only, to read what the server holds; it signs like a tablet. `code`: another store's code (see `enrollmentCode`). */
export async function apiDevice(name = 'e2e probe', origin = baseUrl(), code = 'DEMO-S01'): Promise<Api> {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const jwk = publicKey.export({ format: 'jwk' });
  const r = await fetch(`${origin}/api/v1/devices/enroll`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ code, name, publicKey: { kty: 'EC', crv: 'P-256', x: jwk.x, y: jwk.y } }),
  });
  if (!r.ok) throw new Error(`enroll failed: ${r.status} ${await r.text()}`);
  const { deviceToken, deviceId } = (await r.json()) as { deviceToken: string; deviceId: string };
  const request = (method: 'GET' | 'POST', path: string, body?: unknown) => {
    const text = body === undefined ? undefined : JSON.stringify(body);
    return fetch(origin + path, {
      method,
      headers: { authorization: `Bearer ${deviceToken}`, ...(text ? { 'content-type': 'application/json' } : {}), ...signatureHeaders(privateKey, deviceId, method, path, text) },
      ...(text ? { body: text } : {}),
    });
  };
  return {
    token: deviceToken,
    deviceId,
    request,
    async get<T>(path: string) {
      const res = await request('GET', path);
      if (!res.ok) throw new Error(`GET ${path}: ${res.status} ${await res.text()}`);
      return (await res.json()) as T;
    },
  };
}

export type Change = { table: string; key: string; row?: Record<string, unknown> };
export async function pullAll(api: Api, stream: string): Promise<Change[]> {
  const out: Change[] = [];
  let after = 0;
  for (;;) {
    const page = await api.get<{ changes: Change[]; version: number; more: boolean }>(`/api/v1/sync/pull?stream=${stream}&after=${after}&limit=5000`);
    out.push(...page.changes);
    after = page.version;
    if (!page.more) return out;
  }
}

export interface CatalogVariant {
  sku: string;
  barcode: string;
  size: string;
  color: string;
  productId: string;
}

/** Every variant of pulled catalog changes: product documents carry theirs embedded [P1]. */
export function catalogVariants(changes: readonly Change[]): CatalogVariant[] {
  return changes.flatMap((c) =>
    c.table === 'products' && c.row ? (c.row.variants as Omit<CatalogVariant, 'productId'>[]).map((v) => ({ ...v, productId: c.key })) : [],
  );
}

/**
 * A keyboard-wedge scanner: digits then Enter, 8 ms apart by the time the keys were pressed.
 * The key events carry their own timestamps (as a real scanner's do, stamped by the OS), so a
 * busy CI machine that delivers them late cannot make a scan look like a person typing.
 */
export async function scan(page: Page, code: string) {
  const cdp = await page.context().newCDPSession(page);
  const t0 = Date.now() / 1000;
  const keys = [...code, 'Enter'];
  for (const [i, key] of keys.entries()) {
    const enter = key === 'Enter';
    const timestamp = t0 + i * 0.008;
    const common = { key, code: enter ? 'Enter' : `Digit${key}`, windowsVirtualKeyCode: enter ? 13 : key.charCodeAt(0) };
    await cdp.send('Input.dispatchKeyEvent', { type: 'keyDown', ...common, text: enter ? '\r' : key, timestamp });
    await cdp.send('Input.dispatchKeyEvent', { type: 'keyUp', ...common, timestamp: timestamp + 0.003 });
  }
  await cdp.detach();
}

/** A one-time enrollment code for a tablet of `storeId`, from the demo server's admin API. */
export async function enrollmentCode(storeId: string, origin = baseUrl()): Promise<string> {
  const r = await fetch(`${origin}/api/v1/admin/enrollment-codes`, { method: 'POST', headers: { authorization: 'Bearer demo-admin-token', 'content-type': 'application/json' }, body: JSON.stringify({ storeId }) });
  if (!r.ok) throw new Error(`enrollment code for ${storeId}: ${r.status} ${await r.text()}`);
  return ((await r.json()) as { code: string }).code;
}
