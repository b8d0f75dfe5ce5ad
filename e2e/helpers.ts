// Shared steps for specs: enroll a fresh tablet, wait for its first sync, sign in.
import { expect, type Page } from '@playwright/test';

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

export async function waitForServiceWorker(page: Page) {
  await page.waitForFunction(async () => {
    const r = await navigator.serviceWorker.getRegistration();
    return !!r?.active;
  }, undefined, { timeout: 30_000 });
}
