// Foundation: a tablet enrolls, signs in, goes offline, reloads and keeps working on every route.
import { test, expect } from '@playwright/test';
import { enroll, signIn, waitSynced, waitForServiceWorker } from './helpers';

test('enroll, sign in, then offline reload keeps the app, the session and every route', async ({ page, context }) => {
  await enroll(page);
  await signIn(page, 'Marta', '1111');
  await waitSynced(page);
  await waitForServiceWorker(page);
  await expect(page.getByRole('status', { name: 'Sync status' })).toContainText('Online');

  await context.setOffline(true);
  await page.reload();
  await expect(page.getByRole('status', { name: 'Sync status' })).toContainText('Offline');
  await expect(page.getByRole('button', { name: 'Sign out' })).toBeVisible();
  for (const [link, heading] of [
    ['Products', 'Products'],
    ['Cart', 'Cart'],
    ['Customers', 'Customers'],
    ['Returns', 'Returns'],
    ['Pickup', 'Pickup queue'],
    ['Exceptions', 'Exceptions'],
  ] as const) {
    await page.getByRole('link', { name: link, exact: true }).click();
    await expect(page.getByRole('heading', { name: heading, level: 1 })).toBeVisible();
  }
  // A deep link opened while offline is served by the service worker's navigation fallback.
  await page.goto(page.url().replace(/\/[^/]*$/, '/customers'));
  await expect(page.getByRole('heading', { name: 'Customers', level: 1 })).toBeVisible();
  await page.screenshot({ path: 'test-results/offline-signed-in.png' });

  // Signing out and in again works offline against the PIN hashes on the tablet [A4].
  await page.getByRole('button', { name: 'Sign out' }).click();
  await signIn(page, 'Carlos', '2222');
  await expect(page.getByText('Signed in as Carlos')).toBeVisible();
  await context.setOffline(false);
});

test('a wrong PIN is refused, and five wrong PINs lock the name', async ({ page }) => {
  await enroll(page, 'Till 2');
  await page.getByRole('button', { name: /Ana/ }).click();
  await page.getByLabel('PIN').fill('9999');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('alert')).toContainText('Wrong PIN. 4 tries left');
  await expect(page.getByRole('button', { name: 'Sign out' })).toHaveCount(0);
  for (let left = 3; left >= 0; left--) {
    await page.getByLabel('PIN').fill('9999');
    await page.getByRole('button', { name: 'Sign in' }).click();
    if (left > 0) await expect(page.getByRole('alert')).toContainText(`${left} tries left`);
  }
  await expect(page.getByRole('alert')).toContainText('Too many wrong PINs');
  // Even the right PIN is refused while locked.
  await page.getByLabel('PIN').fill('3333');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('alert')).toContainText('Too many wrong PINs');
  await expect(page.getByRole('button', { name: 'Sign out' })).toHaveCount(0);

  // [T2] A manager lifts the lock-out with her PIN (on the server too), and Ana signs in at once.
  await page.getByRole('button', { name: "Unlock with a manager's PIN" }).click();
  const dialog = page.getByRole('dialog', { name: 'Manager approval' });
  await dialog.getByRole('textbox', { name: 'Manager PIN' }).fill('2222');
  await dialog.getByRole('button', { name: 'Unlock' }).click();
  await expect(dialog.getByRole('alert')).toContainText('not a manager');
  await dialog.getByRole('textbox', { name: 'Manager PIN' }).fill('1111');
  await dialog.getByRole('button', { name: 'Unlock' }).click();
  await expect(dialog).toHaveCount(0);
  await expect(page.getByRole('status').filter({ hasText: 'unlocked by Marta' })).toBeVisible();
  await page.getByLabel('PIN').fill('3333');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('button', { name: 'Sign out' })).toBeVisible();
});
