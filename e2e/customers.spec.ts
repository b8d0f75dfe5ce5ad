// Clienteling offline: create a profile, find it by a name typed without accents, add a signed note;
// everything syncs once the network returns.
import { test, expect } from '@playwright/test';
import { enroll, signIn, waitSynced } from './helpers';

test('offline: create a customer, find her without accents, add a note; all of it syncs after reconnect', async ({ page, context }) => {
  await enroll(page, 'Till 5');
  await signIn(page, 'Ana', '3333');
  await waitSynced(page);
  await context.setOffline(true);

  await page.getByRole('link', { name: 'Customers', exact: true }).click();
  await page.getByRole('button', { name: 'New customer' }).click();
  await page.getByLabel('First name').fill('Joana');
  await page.getByLabel('Last name').fill('Conceição');
  await page.getByLabel('Email').fill('joana.conceicao@example.pt');
  await page.getByLabel('Phone').fill('+351 912 000 111');
  await page.getByRole('button', { name: 'Save customer' }).click();
  await expect(page.getByRole('heading', { name: 'Joana Conceição', level: 1 })).toBeVisible();
  await expect(page.getByText('Points: 0')).toBeVisible();

  await page.getByLabel('Note', { exact: true }).fill('Prefers linen; size 38');
  await page.getByRole('button', { name: 'Add note' }).click();
  await expect(page.getByText('Prefers linen; size 38')).toBeVisible();
  await expect(page.getByText(/^Ana, /)).toBeVisible();

  await page.getByRole('link', { name: 'Customers', exact: true }).click();
  await page.getByRole('searchbox', { name: 'Search customers' }).fill('conceicao');
  await expect(page.getByRole('link', { name: 'Joana Conceição' })).toBeVisible();
  await expect(page.getByRole('status', { name: 'Sync status' })).toContainText('2 unsent');

  await context.setOffline(false);
  await page.getByRole('button', { name: 'Sync now' }).click();
  await expect(page.getByRole('status', { name: 'Sync status' })).toContainText('0 unsent');
  await expect(page.getByRole('link', { name: 'Needs attention' })).toHaveCount(0);
});
