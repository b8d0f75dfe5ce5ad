// [P4] Searchable while it lands: a fresh tablet in a store with a large catalog can sign in, search
// and scan a barcode from the part of the catalog already there, while the progress bar shows the
// rest coming. The rest of the catalog is held back at the network until the associate has searched,
// so the test sees the first sync in progress on any machine, fast or loaded.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { test, expect } from '@playwright/test';
import { apiDevice, catalogVariants, scan, signIn, waitSynced, type Change } from './helpers';

const root = resolve(import.meta.dirname, '..');
/** Large enough that the catalog takes several pages after its first (head) page of 1,000 products. */
const SKUS = 60_000;

let server: ChildProcess | undefined;
let work = '';
let url = '';

const freePort = () =>
  new Promise<number>((ok, fail) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      s.close(() => (typeof a === 'object' && a ? ok(a.port) : fail(new Error('no port'))));
    });
  });

test.beforeAll(async () => {
  test.setTimeout(180_000);
  work = mkdtempSync(join(tmpdir(), 'vitrine-e2e-landing-'));
  const port = await freePort();
  server = spawn(process.execPath, ['--import', 'tsx', join(root, 'sync-server/src/main.ts')], {
    cwd: root,
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', DATA_DIR: join(work, 'data'), STATIC_DIR: process.env.VITRINE_WWW, SEED_SKUS: String(SKUS), SEED_CUSTOMERS: '300', ROLLUP_MS: '300', LOG_LEVEL: 'warn', DATABASE_URL: '' },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  url = `http://127.0.0.1:${port}`;
  await expect
    .poll(async () => (await fetch(`${url}/api/v1/health`).catch(() => undefined))?.ok ?? false, { timeout: 170_000, intervals: [500] })
    .toBe(true);
});

test.afterAll(async () => {
  if (server && server.exitCode === null) {
    server.kill('SIGTERM');
    await new Promise((r) => server!.once('exit', r));
  }
  rmSync(work, { recursive: true, force: true });
});

/** The server's catalog as a probe device pulls it: the first 1,000 products, and the rest. */
async function catalog() {
  // A signed probe device [T1]: a token alone reads nothing.
  const api = await apiDevice('e2e probe', url);
  const pull = (after: number, limit: number) => api.get<{ changes: Change[]; version: number; more: boolean; total: number }>(`/api/v1/sync/pull?stream=catalog&after=${after}&limit=${limit}`);
  const head = await pull(0, 1000);
  const rest: Change[] = [];
  for (let after = head.version; ; ) {
    const p = await pull(after, 5000);
    rest.push(...p.changes);
    after = p.version;
    if (!p.more) break;
  }
  return { head: head.changes, rest };
}

// The sync loop runs in the page; no service worker, so every request is the page's own.
test.use({ serviceWorkers: 'block' });

test('[P4] during a first sync of a large catalog, search and a barcode scan answer from the part already there, while the progress bar shows the rest', async ({ page }) => {
  test.setTimeout(240_000);
  const { head, rest } = await catalog();
  expect(head).toHaveLength(1000);
  const early = catalogVariants(head)[0]!;
  const earlyName = head[0]!.row!.name as string;
  const late = catalogVariants(rest).at(-1)!;

  // Everything of the catalog after its first page waits here until the associate has searched.
  let release = () => undefined as void;
  const held = new Promise<void>((ok) => (release = ok));
  await page.route(/\/api\/v1\/sync\/pull\?stream=catalog&after=[1-9]/, async (route) => {
    await held;
    await route.continue();
  });

  await page.goto(url + '/');
  await page.getByLabel('Enrollment code').fill('DEMO-S01');
  await page.getByLabel('Device name').fill('Till L');
  const t0 = Date.now();
  await page.getByRole('button', { name: 'Enroll device' }).click();
  // The store's stream sends its head page first: its associates, so sign-in works at once.
  await expect(page.getByRole('button', { name: /Ana/ })).toBeVisible({ timeout: 60_000 });
  await signIn(page, 'Ana', '3333');

  const progress = page.getByRole('progressbar', { name: 'Getting the store ready' });
  await expect(progress).toBeVisible();
  await expect(page.getByText(/^catalog: 1[,.]?000 of [\d,.]+ rows \(\d+ %\)$/)).toBeVisible();

  await page.getByRole('searchbox', { name: 'Search products' }).fill(earlyName);
  await expect(page.getByRole('listitem').getByRole('link', { name: earlyName }).first()).toBeVisible();
  const searchedAfter = Date.now() - t0;
  await scan(page, early.barcode);
  await expect(page).toHaveURL(new RegExp(`/products/${early.productId}\\?sku=${encodeURIComponent(early.sku)}`));
  test.info().annotations.push({ type: 'figure', description: `first search answered ${searchedAfter} ms after "Enroll device", sign-in included` });
  // Still landing: the rest of the catalog has not arrived, and the bar still shows it coming.
  await expect(progress).toBeVisible();
  await scan(page, late.barcode);
  await expect(page.getByRole('alert')).toContainText(`No product has the barcode ${late.barcode}`);

  release();
  await waitSynced(page);
  await expect(progress).toHaveCount(0);
  await scan(page, late.barcode);
  await expect(page).toHaveURL(new RegExp(`/products/${late.productId}\\?sku=${encodeURIComponent(late.sku)}`));
});
