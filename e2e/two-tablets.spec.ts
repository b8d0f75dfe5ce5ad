// Two tablets sell the last unit of a SKU while offline, then reconnect: both sales are kept exactly
// once, stock goes to −1 and the manager gets an `oversold` exception [C3][C5].
import { test, expect, type Page } from '@playwright/test';
import { apiDevice, catalogVariants, enroll, ensureShift, pullAll, ringUp, signIn, waitSent, waitSynced } from './helpers';

async function sellOffline(page: Page, barcode: string) {
  await ringUp(page, barcode);
  await page.getByRole('button', { name: 'Complete sale' }).click();
  const receipt = page.getByRole('heading', { name: /^Receipt S01-T\d+-\d{6}$/ });
  await expect(receipt).toBeVisible();
  await expect(page.getByRole('status', { name: 'Sync status' })).toContainText('1 unsent');
  return (await receipt.textContent())!.replace('Receipt ', '');
}

test('two offline tablets both sell the last unit: both sales kept once, stock −1, oversold raised', async ({ browser }) => {
  const api = await apiDevice();
  const store = await pullAll(api, 'store:S01');
  const last = store.find((c) => c.table === 'stock' && c.row && c.row.onHand === 1 && c.row.reserved === 0);
  expect(last, 'the demo data has a SKU with exactly one unit at S01').toBeTruthy();
  const sku = last!.row!.sku as string;
  const catalog = await pullAll(api, 'catalog');
  const barcode = catalogVariants(catalog).find((v) => v.sku === sku)!.barcode;

  const a = await browser.newContext();
  const b = await browser.newContext();
  const pa = await a.newPage();
  const pb = await b.newPage();
  for (const [p, name] of [[pa, 'Till A'], [pb, 'Till B']] as const) {
    await enroll(p, name);
    await signIn(p, 'Carlos', '2222');
    await waitSynced(p);
    // The register shift a cash sale needs [SH1], opened (and sent) while online.
    await ensureShift(p);
    await waitSent(p);
    await expect(p.getByRole('status', { name: 'Sync status' })).toContainText('0 unsent');
  }

  await a.setOffline(true);
  await b.setOffline(true);
  const ra = await sellOffline(pa, barcode);
  const rb = await sellOffline(pb, barcode);
  expect(ra).not.toBe(rb);

  await a.setOffline(false);
  await b.setOffline(false);
  for (const p of [pa, pb]) {
    await p.getByRole('button', { name: 'Sync now' }).click();
    await expect(p.getByRole('status', { name: 'Sync status' })).toContainText('0 unsent');
  }

  const after = await pullAll(api, 'store:S01');
  const rows = new Map(after.map((c) => [`${c.table}|${c.key}`, c.row]));
  expect(rows.get(`stock|S01|${sku}`)?.onHand).toBe(-1);
  // Exactly one sale row per receipt (the demo's history may hold older sales of this SKU).
  const sales = [...rows.entries()].filter(([k, r]) => k.startsWith('sales|') && [ra, rb].includes(r?.receiptNo as string));
  expect(sales.map(([, r]) => r?.receiptNo).sort()).toEqual([ra, rb].sort());
  expect(sales.every(([, r]) => (r?.lines as { sku: string }[]).some((l) => l.sku === sku))).toBe(true);
  const oversold = [...rows.values()].filter((r) => r?.kind === 'oversold' && (r.details as { sku: string }).sku === sku);
  expect(oversold.length).toBeGreaterThanOrEqual(1);

  // A manager sees it on a tablet.
  await pa.getByRole('button', { name: 'Sign out' }).click();
  await signIn(pa, 'Marta', '1111');
  await pa.getByRole('button', { name: 'Sync now' }).click();
  await pa.getByRole('link', { name: 'Exceptions', exact: true }).click();
  // [MO1] The kind reads in words in the active language.
  await expect(pa.getByText('Sold more than in stock').first()).toBeVisible();
  // Resolving is a command too: the item leaves the queue at once, and syncs.
  const item = pa.getByRole('listitem').filter({ hasText: sku }).first();
  await item.getByLabel('Resolution note').fill('Counted the shelf: none left, adjusted');
  await item.getByRole('button', { name: 'Resolve' }).click();
  await expect(pa.getByRole('listitem').filter({ hasText: sku })).toHaveCount(0);
  await pa.getByRole('button', { name: 'Sync now' }).click();
  await expect(pa.getByRole('status', { name: 'Sync status' })).toContainText('0 unsent');
  await a.close();
  await b.close();
});
