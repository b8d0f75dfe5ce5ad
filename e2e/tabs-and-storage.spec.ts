// One tablet, two tabs: one sync loop between them [D1]. Storage: its use is shown, and running out
// of quota is a visible alarm that loses nothing [D2] (real quota, set through the DevTools protocol).
import { test, expect, type Page } from '@playwright/test';
import { apiDevice, baseUrl, catalogVariants, enroll, pullAll, ringUp, signIn, waitSynced } from './helpers';

/** The device's sync locks as the browser sees them (all tabs of the origin). */
const syncLocks = (page: Page) =>
  page.evaluate(async () => {
    const q = await navigator.locks.query();
    const mine = (l: LockInfo) => (l.name ?? '').startsWith('vitrine-sync');
    return { held: (q.held ?? []).filter(mine).length, pending: (q.pending ?? []).filter(mine).length };
  });

async function someBarcode(): Promise<string> {
  const api = await apiDevice();
  const stock = await pullAll(api, 'store:S01');
  const inStock = new Set(stock.filter((c) => c.table === 'stock' && c.row && (c.row.onHand as number) > 3).map((c) => c.row!.sku as string));
  const catalog = await pullAll(api, 'catalog');
  return catalogVariants(catalog).find((v) => inStock.has(v.sku))!.barcode;
}

test('[D1] two tabs of one tablet run one sync loop; a sale in the other tab is pushed by it; closing the first tab hands the loop over', async ({ page, context }) => {
  const barcode = await someBarcode();
  await enroll(page, 'Till 7');
  await signIn(page, 'Carlos', '2222');
  await waitSynced(page);

  const tab2 = await context.newPage();
  await tab2.goto(baseUrl() + '/');
  await expect(tab2.getByRole('button', { name: 'Sign out' })).toBeVisible();
  // One holder (the first tab) and one waiter (the second): never two loops.
  await expect.poll(() => syncLocks(tab2)).toEqual({ held: 1, pending: 1 });

  // The second tab sells; the first tab's loop sees the outbox grow (across tabs) and pushes it.
  await ringUp(tab2, barcode);
  await tab2.getByRole('button', { name: 'Complete sale' }).click();
  await expect(tab2.getByRole('heading', { name: /^Receipt S01-T\d+-\d{6}$/ })).toBeVisible();
  await expect(tab2.getByRole('status', { name: 'Sync status' })).toContainText('0 unsent');
  await expect(page.getByRole('status', { name: 'Sync status' })).toContainText('0 unsent');
  expect(await syncLocks(tab2)).toEqual({ held: 1, pending: 1 });

  // The first tab goes away: the second takes the lock and syncs by itself.
  await page.close();
  await expect.poll(() => syncLocks(tab2)).toEqual({ held: 1, pending: 0 });
  await ringUp(tab2, barcode);
  await tab2.getByRole('button', { name: 'Complete sale' }).click();
  await expect(tab2.getByRole('heading', { name: /^Receipt S01-T\d+-\d{6}$/ })).toBeVisible();
  await expect(tab2.getByRole('status', { name: 'Sync status' })).toContainText('0 unsent');
});

/** Writes 1 MB records into a scratch database until the browser refuses one; returns how many fitted. */
const fillStorage = (page: Page) =>
  page.evaluate(async () => {
    const db = await new Promise<IDBDatabase>((ok, ko) => {
      const r = indexedDB.open('e2e-filler', 1);
      r.onupgradeneeded = () => r.result.createObjectStore('blobs');
      r.onsuccess = () => ok(r.result);
      r.onerror = () => ko(r.error);
    });
    // Random bytes: the browser compresses what it stores, so a repeated string would take no room.
    const chunk = new Uint8Array(1 << 20);
    for (let o = 0; o < chunk.length; o += 65536) crypto.getRandomValues(chunk.subarray(o, o + 65536));
    for (let i = 0; i < 500; i++) {
      const outcome = await new Promise<string>((ok) => {
        const tx = db.transaction('blobs', 'readwrite');
        tx.objectStore('blobs').put(chunk, i);
        tx.oncomplete = () => ok('ok');
        tx.onabort = () => ok(tx.error?.name ?? 'AbortError');
      });
      if (outcome !== 'ok') {
        db.close();
        return { fitted: i, refusal: outcome };
      }
    }
    db.close();
    return { fitted: 500, refusal: null as string | null };
  });

test('[D2] storage use is shown; when the quota is used up a sale is refused with a visible alarm and the cart kept, and goes through once space is back', async ({ page, context }) => {
  // A real quota, enforced by Chromium: 96 MB for the app's origin, set before it stores anything
  // (this Chromium applies an override only from a page of that origin whose storage is not open yet).
  await page.goto(baseUrl() + '/api/v1/health');
  const cdp = await context.newCDPSession(page);
  await cdp.send('Storage.overrideQuotaForOrigin', { origin: new URL(baseUrl()).origin, quotaSize: 96 * 1024 * 1024 });
  const barcode = await someBarcode();
  await enroll(page, 'Till 8');
  await signIn(page, 'Carlos', '2222');
  await waitSynced(page);
  const status = page.getByRole('status', { name: 'Sync status' });
  // [MO1] In the locale's units: "Storage 4 MB of 96 MB", "… of 11 GB".
  await expect(status).toContainText(/Storage [\d.,]+ (kB|MB|GB) of [\d.,]+ (MB|GB)/);

  // Something else on the tablet fills the rest of the quota: now the browser refuses every write.
  await ringUp(page, barcode);
  const fill = await fillStorage(page);
  expect(fill.refusal, `the browser refused a write after ${fill.fitted} MB`).toBe('QuotaExceededError');

  await page.getByRole('button', { name: 'Complete sale' }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'The sale was not saved' })).toBeVisible();
  await expect(page.getByRole('alert').filter({ hasText: /^This tablet is out of storage space/ })).toBeVisible();
  await expect(page.getByRole('heading', { name: /^Receipt/ })).toHaveCount(0);
  await expect(status).toContainText('0 unsent');

  // Space is back: the next sync clears the alarm and the same cart completes.
  await page.evaluate(() => new Promise((ok) => (indexedDB.deleteDatabase('e2e-filler').onsuccess = ok)));
  await page.getByRole('button', { name: 'Sync now' }).click();
  await expect(page.getByRole('alert').filter({ hasText: /^This tablet is out of storage space/ })).toHaveCount(0);
  await page.getByRole('button', { name: 'Complete sale' }).click();
  await expect(page.getByRole('heading', { name: /^Receipt S01-T\d+-\d{6}$/ })).toBeVisible();
  await expect(status).toContainText('0 unsent');
});
