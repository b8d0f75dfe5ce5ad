// Trust in Chromium: a token copied out of a tablet is useless elsewhere [T1]; the app works under
// its CSP (service worker, wasm scanner) [T6]; a revoked tablet keeps only its unsent export [D7].
import { test, expect, type Page } from '@playwright/test';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { apiDevice, baseUrl, catalogVariants, enroll, pullAll, ringUp, signIn, waitForServiceWorker, waitSynced } from './helpers';

/** A barcode of a product S01 has plenty of. */
async function aBarcode(): Promise<string> {
  const api = await apiDevice();
  const stock = await pullAll(api, 'store:S01');
  const sku = stock.find((c) => c.table === 'stock' && (c.row?.onHand as number) > 5)!.row!.sku as string;
  return catalogVariants(await pullAll(api, 'catalog')).find((v) => v.sku === sku)!.barcode as string;
}

/** Reads a meta entry of the tablet's IndexedDB from the page. */
async function meta<T>(page: Page, key: string): Promise<T> {
  return page.evaluate(
    (k) =>
      new Promise<T>((resolve, reject) => {
        const open = indexedDB.open('vitrine');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const get = open.result.transaction('meta').objectStore('meta').get(k);
          get.onsuccess = () => {
            resolve((get.result as { value: T } | undefined)?.value as T);
            open.result.close();
          };
          get.onerror = () => reject(get.error);
        };
      }),
    key,
  );
}

test('[T1] a token copied out of a tablet gets 401 from another client; the key cannot be read out', async ({ page }) => {
  const barcode = await aBarcode();
  await enroll(page, 'Till trust');
  await signIn(page, 'Carlos', '2222');
  await expect(page.getByText('Demo', { exact: true })).toBeVisible();
  await waitSynced(page);
  const device = await meta<{ deviceToken: string; deviceId: string }>(page, 'device');
  expect(device.deviceToken).toMatch(/^vt_/);
  for (const path of ['/api/v1/sync/pull?stream=store%3AS01&after=0', '/api/v1/sync/checksum?stream=catalog&at=0', '/api/v1/associates/verifiers']) {
    const r = await fetch(baseUrl() + path, { headers: { authorization: `Bearer ${device.deviceToken}` } });
    expect(r.status, path).toBe(401);
    expect(((await r.json()) as { error: { code: string } }).error.code).toBe('signature-required');
  }
  const push = await fetch(baseUrl() + '/api/v1/sync/push', {
    method: 'POST',
    headers: { authorization: `Bearer ${device.deviceToken}`, 'content-type': 'application/json' },
    body: JSON.stringify({ deviceId: device.deviceId, commands: [] }),
  });
  expect(push.status).toBe(401);
  // The private key lives in IndexedDB as a non-extractable CryptoKey: script cannot export it.
  const key = await page.evaluate(
    () =>
      new Promise<{ extractable: boolean; exported: string }>((resolve) => {
        const open = indexedDB.open('vitrine');
        open.onsuccess = () => {
          const get = open.result.transaction('meta').objectStore('meta').get('device-key');
          get.onsuccess = () => {
            const k = (get.result as { value: { privateKey: CryptoKey } }).value.privateKey;
            crypto.subtle.exportKey('pkcs8', k).then(
              () => resolve({ extractable: k.extractable, exported: 'yes' }),
              (e: Error) => resolve({ extractable: k.extractable, exported: e.name }),
            );
          };
        };
      }),
  );
  expect(key).toEqual({ extractable: false, exported: 'InvalidAccessError' });
  // The tablet itself still syncs: a sale goes out and "0 unsent" comes back.
  await ringUp(page, barcode);
  await page.getByRole('button', { name: 'Complete sale' }).click();
  await expect(page.getByRole('heading', { name: /^Receipt S01-T\d+-\d{6}$/ })).toBeVisible();
  await expect(page.getByRole('status', { name: 'Sync status' })).toContainText('0 unsent', { timeout: 30_000 });
});

test('[T6] the app runs under its Content-Security-Policy: service worker and the wasm scanner', async ({ page }) => {
  const violations: string[] = [];
  page.on('console', (m) => {
    if (/Content Security Policy|Refused to/.test(m.text())) violations.push(m.text());
  });
  const res = await page.goto(baseUrl() + '/');
  const csp = res?.headers()['content-security-policy'] ?? '';
  expect(csp).toContain("frame-ancestors 'none'");
  expect(csp).not.toContain("'unsafe-inline'");
  await waitForServiceWorker(page);
  const assets = join(process.env.VITRINE_WWW!, 'assets');
  const wasm = readdirSync(assets).find((f) => f.endsWith('.wasm'));
  expect(wasm).toBeDefined();
  const compiled = await page.evaluate(async (url) => {
    const mod = await WebAssembly.compileStreaming(fetch(url));
    return WebAssembly.Module.exports(mod).length;
  }, `/assets/${wasm}`);
  expect(compiled).toBeGreaterThan(0);
  expect(violations).toEqual([]);
});

test('[D7] a revoked tablet deletes its data at its next contact and offers the export of unsent commands', async ({ page, context }) => {
  const barcode = await aBarcode();
  await enroll(page, 'Till revoked');
  await signIn(page, 'Carlos', '2222');
  await waitSynced(page);
  const device = await meta<{ deviceId: string }>(page, 'device');
  // An unsent sale: made offline, then the device is revoked before it syncs.
  await context.setOffline(true);
  await ringUp(page, barcode);
  await page.getByRole('button', { name: 'Complete sale' }).click();
  await expect(page.getByRole('heading', { name: /^Receipt S01-T\d+-\d{6}$/ })).toBeVisible();
  const revoke = await fetch(`${baseUrl()}/api/v1/admin/devices/${device.deviceId}/revoke`, { method: 'POST', headers: { authorization: 'Bearer demo-admin-token' } });
  expect(revoke.status).toBe(200);
  // Back online, the tablet syncs at once, hears it is revoked and wipes itself.
  await context.setOffline(false);
  await expect(page.getByRole('button', { name: 'Export unsent commands' })).toBeVisible({ timeout: 30_000 });
  // Two: the register shift opened offline for the cash sale [SH1], and the sale.
  await expect(page.getByText('Unsent commands kept for a manager to import: 2.')).toBeVisible();
  const counts = await page.evaluate(
    () =>
      new Promise<Record<string, number>>((resolve) => {
        const open = indexedDB.open('vitrine');
        open.onsuccess = () => {
          const names = [...open.result.objectStoreNames];
          const tx = open.result.transaction(names);
          const out: Record<string, number> = {};
          for (const n of names) tx.objectStore(n).count().onsuccess = (e) => (out[n] = (e.target as IDBRequest<number>).result);
          tx.oncomplete = () => resolve(out);
        };
      }),
  );
  const { meta: metaCount, ...rest } = counts;
  expect(Object.entries(rest).filter(([, c]) => c > 0)).toEqual([]);
  // What stays: the export of the unsent sale (and the server mode the badge shows).
  expect(metaCount).toBeLessThanOrEqual(2);
  const kept = await meta<{ deviceId: string; commands: { type: string }[] }[]>(page, 'revoked-export');
  expect(kept).toEqual([expect.objectContaining({ deviceId: device.deviceId, commands: [expect.objectContaining({ type: 'shift.open' }), expect.objectContaining({ type: 'sale.complete' })] })]);
});
