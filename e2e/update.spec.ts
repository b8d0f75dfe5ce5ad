// App update: after a new build is deployed, the tablet offers "New version available" → "Reload".
import { test, expect } from '@playwright/test';
import { cpSync, rmSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { enroll, signIn, waitForServiceWorker } from './helpers';

test('a new build makes the update prompt appear, and Reload switches to it', async ({ page }) => {
  await enroll(page, 'Till 3');
  await signIn(page, 'Marta', '1111');
  await waitForServiceWorker(page);
  await expect(page.getByText('New version available')).toHaveCount(0);

  const www = process.env.VITRINE_WWW!;
  const next = process.env.VITRINE_DIST_B!;
  for (const f of readdirSync(www)) rmSync(join(www, f), { recursive: true, force: true });
  cpSync(next, www, { recursive: true });

  await page.evaluate(async () => {
    const r = await navigator.serviceWorker.getRegistration();
    await r?.update();
  });
  await expect(page.getByText('New version available')).toBeVisible({ timeout: 60_000 });
  await page.getByRole('button', { name: 'Reload' }).click();
  await page.waitForLoadState('load');
  await expect(page.getByRole('button', { name: 'Sign out' })).toBeVisible();
  await expect(page.getByText('New version available')).toHaveCount(0);
});
