// Endless aisle offline: a search typed without accents finds accented names; the product page shows
// availability with ages; a hardware scanner (fast keys + Enter) opens the right variant anywhere.
import { test, expect } from '@playwright/test';
import { apiDevice, catalogVariants, enroll, scan, signIn, waitSynced, type Change } from './helpers';

test('offline: search without accents, availability with ages, and a keyboard-wedge scan from another screen', async ({ page, context }) => {
  const api = await apiDevice();
  const page1 = await api.get<{ changes: Change[] }>('/api/v1/sync/pull?stream=catalog&after=0&limit=5000');
  const v = catalogVariants(page1.changes)[0]!;

  await enroll(page, 'Till 4');
  await signIn(page, 'Ana', '3333');
  await waitSynced(page);
  await context.setOffline(true);
  await page.reload();
  await expect(page.getByRole('status', { name: 'Sync status' })).toContainText('Offline');

  await page.getByRole('searchbox', { name: 'Search products' }).fill('calca');
  const hit = page.getByRole('listitem').getByRole('link', { name: /Calça/ }).first();
  await expect(hit).toBeVisible();
  await hit.click();
  const availability = page.getByRole('region', { name: 'Availability' });
  await expect(availability).toContainText('This store');
  await expect(availability).toContainText('Warehouse');
  await expect(availability).toContainText('Porto');
  await expect(availability).toContainText(/ago|just now/);

  await page.getByRole('link', { name: 'Customers', exact: true }).click();
  await scan(page, v.barcode);
  await expect(page).toHaveURL(new RegExp(`/products/${v.productId}\\?sku=${encodeURIComponent(v.sku)}`));
  await expect(page.getByRole('radio', { name: new RegExp(`${v.size} · ${v.color}`) })).toBeChecked();

  await scan(page, '5600000000000');
  await expect(page.getByRole('alert')).toContainText('No product has the barcode 5600000000000');
  await context.setOffline(false);
});

test('filters narrow the aisle to stock here; a product page links similar items and recently viewed products', async ({ page }) => {
  await enroll(page, 'Till 5');
  await signIn(page, 'Ana', '3333');
  await waitSynced(page);

  const count = page.getByText(/^\d+ products$/);
  const shown = async () => Number((await count.textContent())?.match(/\d+/)?.[0]);
  // Any filter browses the catalog; "Price from 0" keeps every product.
  await page.getByLabel('Price from').fill('0');
  await expect(count).toBeVisible();
  const all = await shown();
  await page.getByLabel('In stock here').check();
  await expect.poll(shown).toBeLessThan(all);
  expect(await shown()).toBeGreaterThan(0);
  const rows = page.getByRole('list', { name: 'Results' }).getByRole('listitem');
  await expect(rows.first()).toBeVisible();
  // Windowed: far fewer rows in the DOM than results.
  expect(await rows.count()).toBeLessThan(Math.min(60, all));
  await expect(rows.first()).not.toContainText(/(^|\D)0 here/);

  const first = rows.nth(0).getByRole('link');
  const firstName = (await first.textContent())!;
  await first.click();
  await expect(page.getByRole('heading', { level: 1, name: firstName })).toBeVisible();
  const similar = page.getByRole('region', { name: 'Similar items in stock here' });
  await expect(similar.getByRole('link').first()).toBeVisible();

  await page.goBack();
  const second = page.getByRole('list', { name: 'Results' }).getByRole('listitem').nth(1).getByRole('link');
  const secondName = (await second.textContent())!;
  await second.click();
  await expect(page.getByRole('heading', { level: 1, name: secondName })).toBeVisible();
  const recent = page.getByRole('region', { name: 'Recently viewed' });
  await expect(recent.getByRole('link', { name: firstName, exact: true })).toBeVisible();
  await recent.getByRole('link', { name: firstName, exact: true }).click();
  await expect(page.getByRole('heading', { level: 1, name: firstName })).toBeVisible();
});
