// The sync status tells the truth [D4]: bootstrap progress in rows and percent [P4], online or
// offline, the number of unsent commands and the age of the oldest, the last successful sync (kept
// across a reload), and the push as soon as the network is back.
import { test, expect } from '@playwright/test';
import { apiDevice, baseUrl, catalogVariants, ensureShift, pullAll, ringUp, signIn, waitForServiceWorker, waitSent, waitSynced } from './helpers';

test('[D4][P4] status shows bootstrap progress, offline, unsent with the oldest age, and the last sync across a reload', async ({ page, context }) => {
  const api = await apiDevice();
  const stock = await pullAll(api, 'store:S01');
  const sku = stock.find((c) => c.table === 'stock' && (c.row?.onHand as number) > 3)!.row!.sku as string;
  const barcode = catalogVariants(await pullAll(api, 'catalog')).find((v) => v.sku === sku)!.barcode;

  // A slow shop Wi-Fi, so the first sync is long enough to watch.
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 400, downloadThroughput: -1, uploadThroughput: -1 });
  await page.goto(baseUrl() + '/');
  await page.getByLabel('Enrollment code').fill('DEMO-S01');
  await page.getByLabel('Device name').fill('Till 9');
  await page.getByRole('button', { name: 'Enroll device' }).click();
  const progress = page.getByRole('progressbar', { name: 'Getting the store ready' });
  await expect(progress).toBeVisible({ timeout: 30_000 });
  await expect(page.getByText(/^\w[\w:]*: [\d,.]+ of [\d,.]+ rows \(\d+ %\)$/)).toBeVisible();
  await expect(page.getByRole('button', { name: /Marta/ })).toBeVisible({ timeout: 60_000 });
  await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });

  await signIn(page, 'Carlos', '2222');
  await waitSynced(page);
  await waitForServiceWorker(page);
  const status = page.getByRole('status', { name: 'Sync status' });
  await expect(status).toContainText('Online');
  await expect(status).toContainText('0 unsent');
  await expect(status).toContainText('last sync just now');
  await expect(progress).toHaveCount(0);
  // The register shift a cash sale needs [SH1], opened (and sent) while online.
  await ensureShift(page);
  // Sent before going offline.
  await waitSent(page);
  await expect(status).toContainText('0 unsent');

  await context.setOffline(true);
  await expect(status).toContainText('Offline');
  await ringUp(page, barcode);
  await page.getByRole('button', { name: 'Complete sale' }).click();
  await expect(page.getByRole('heading', { name: /^Receipt S01-T\d+-\d{6}$/ })).toBeVisible();
  await expect(status).toContainText('1 unsent');
  await expect(status).toContainText('oldest just now');

  // A reload while offline: the sale is still unsent, and the last sync is still known.
  await page.reload();
  await expect(status).toContainText('Offline');
  await expect(status).toContainText('1 unsent');
  await expect(status).toContainText('last sync just now');

  // The network returns: the tablet pushes by itself, without "Sync now".
  await context.setOffline(false);
  await expect(status).toContainText('Online');
  await expect(status).toContainText('0 unsent');
  await expect(status).not.toContainText('oldest');
});
