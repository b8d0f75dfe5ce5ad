// App update: after a new build is deployed, the tablet offers "New version available" → "Reload".
import { test, expect } from '@playwright/test';
import { cpSync, rmSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { enroll, signIn, waitForServiceWorker } from './helpers';

test('a new build makes the update prompt appear (not while a sale is in progress), and Reload switches to it', async ({ page }) => {
  await enroll(page, 'Till 3');
  await signIn(page, 'Marta', '1111');
  await waitForServiceWorker(page);
  await expect(page.getByText('New version available')).toHaveCount(0);
  await expect(page.getByText('build e2e-A')).toBeVisible();

  // A sale in progress: something in the cart.
  await page.getByRole('searchbox', { name: 'Search products' }).fill('cal');
  await page.getByRole('listitem').getByRole('link').first().click();
  await page.getByRole('button', { name: 'Add to cart' }).click();

  const www = process.env.VITRINE_WWW!;
  const next = process.env.VITRINE_DIST_B!;
  for (const f of readdirSync(www)) rmSync(join(www, f), { recursive: true, force: true });
  cpSync(next, www, { recursive: true });

  await page.evaluate(async () => {
    const r = await navigator.serviceWorker.getRegistration();
    await r?.update();
  });
  await page.waitForFunction(async () => !!(await navigator.serviceWorker.getRegistration())?.waiting, undefined, { timeout: 60_000 });
  await page.waitForTimeout(500);
  await expect(page.getByText('New version available')).toHaveCount(0);

  // The sale ends (cart emptied): now the prompt shows.
  await page.getByRole('link', { name: 'Cart', exact: true }).click();
  await page.getByRole('button', { name: 'Remove', exact: true }).click();
  await expect(page.getByText('New version available')).toBeVisible({ timeout: 20_000 });
  await page.getByRole('button', { name: 'Reload' }).click();
  await page.waitForLoadState('load');
  await expect(page.getByRole('button', { name: 'Sign out' })).toBeVisible();
  await expect(page.getByText('New version available')).toHaveCount(0);
  await expect(page.getByText('build e2e-B')).toBeVisible();
});
