// A whole day at the till with the network down (issue 10, [SH1]–[SH3], [SE1]–[SE4], [MO3]): open the
// shift, a cash sale with change, a split card + cash sale (the card declined once, then approved and
// stored to forward), a discount over the limit approved with Marta's PIN, and the close with a Z
// report. Back online: the server holds each sale exactly once and its shift figures are the Z report's.
import { test, expect, type Page } from '@playwright/test';
import { apiDevice, catalogVariants, enroll, pullAll, signIn, waitSent, waitSynced, type Api } from './helpers';

interface Item {
  barcode: string;
  name: string;
  price: number;
}

/** A product of S01 with stock and a price between 40.00 and 200.00 (an offline card payment is at most 250.00). */
async function pickItem(api: Api): Promise<Item> {
  const stock = await pullAll(api, 'store:S01');
  const catalog = await pullAll(api, 'catalog');
  const variants = new Map(catalogVariants(catalog).map((v) => [v.sku as string, v as unknown as Record<string, unknown>]));
  const products = new Map(catalog.filter((c) => c.table === 'products').map((c) => [c.key, c.row!]));
  const v = stock
    .filter((c) => c.table === 'stock' && (c.row?.onHand as number) > 8)
    .map((c) => variants.get(c.row!.sku as string))
    .find((x) => {
      const p = (x?.prices as Record<string, number> | undefined)?.EUR ?? 0;
      return p >= 4000 && p <= 20000 && p % 100 !== 13 && p % 100 !== 14;
    })!;
  return { barcode: v.barcode as string, name: products.get(v.productId as string)!.name as string, price: (v.prices as Record<string, number>).EUR! };
}

const eur = (minor: number) => new Intl.NumberFormat('en', { style: 'currency', currency: 'EUR' }).format(minor / 100);
const cents = (text: string) => Math.round(Number(text.replace(/[^\d.]/g, '')) * 100);

async function addToCart(page: Page, item: Item) {
  await page.getByRole('link', { name: 'Products', exact: true }).click();
  await page.getByRole('searchbox', { name: 'Search products' }).fill(item.barcode);
  await page.getByRole('searchbox', { name: 'Search products' }).press('Enter');
  await page.getByRole('button', { name: 'Add to cart' }).click();
  await page.getByRole('link', { name: 'Cart', exact: true }).click();
}

async function pay(page: Page, kind: 'Cash' | 'Card', amount: string) {
  await page.getByRole('button', { name: kind, exact: true }).click();
  await page.getByRole('textbox', { name: 'Amount' }).fill(amount);
  await page.getByRole('button', { name: 'Add payment' }).click();
}

const due = async (page: Page) => cents((await page.getByText(/^Due /).textContent())!);

async function complete(page: Page): Promise<string> {
  await page.getByRole('button', { name: 'Complete sale' }).click();
  const h = page.getByRole('heading', { name: /^Receipt S01-T\d+-\d{6}$/ });
  await expect(h).toBeVisible();
  const no = (await h.textContent())!.replace('Receipt ', '');
  await page.getByRole('button', { name: 'New sale' }).click();
  return no;
}

test('[SH1][SH2][SH3][SE2][MO3] an offline day at the till: shift, cash with change, card declined then approved + cash, an approved discount, Z report; online the server agrees', async ({ page, context }, testInfo) => {
  test.setTimeout(300_000);
  const api = await apiDevice();
  const item = await pickItem(api);
  await enroll(page, 'Offline day');
  await signIn(page, 'Carlos', '2222');
  await waitSynced(page);
  const status = page.getByRole('status', { name: 'Sync status' });

  await context.setOffline(true);
  await expect(status).toContainText('Offline');

  // [SH1] Open the shift with a counted float of 100.00.
  await page.getByRole('link', { name: 'Register', exact: true }).click();
  await page.getByLabel('Opening float').fill('100.00');
  await page.getByRole('button', { name: 'Open shift' }).click();
  await expect(page.getByText(/^Shift opened by Carlos/)).toBeVisible();

  // 1. Cash with change: 100.00 given for one item.
  await addToCart(page, item);
  await page.getByRole('button', { name: 'Checkout' }).click();
  await pay(page, 'Cash', '100.00');
  const change1 = 10_000 - item.price;
  await expect(page.getByText(`Change ${eur(change1)}`)).toBeVisible();
  const r1 = await complete(page);

  // 2. Split card + cash: the terminal (offline, storing to forward) declines 10.13, then approves.
  await addToCart(page, item);
  await page.getByRole('button', { name: 'Checkout' }).click();
  await expect(page.getByText(/card payments are stored and sent when the tablet is back online/)).toHaveCount(0);
  await page.getByRole('button', { name: 'Card', exact: true }).click();
  await expect(page.getByText(/card payments are stored and sent when the tablet is back online/)).toBeVisible();
  await page.getByRole('textbox', { name: 'Amount' }).fill('10.13');
  await page.getByRole('button', { name: 'Add payment' }).click();
  const terminal = page.getByRole('dialog', { name: 'Card terminal' });
  await expect(terminal.getByRole('alert')).toContainText('Declined');
  await terminal.getByRole('button', { name: 'Close' }).click();
  expect(await due(page)).toBe(item.price);
  const card = Math.floor((item.price - 1000) / 100) * 100;
  await pay(page, 'Card', (card / 100).toFixed(2));
  await expect(page.getByRole('listitem', { name: 'Card' })).toContainText(`${eur(card)} · stored, sent when online`);
  const cash2 = item.price - card;
  await pay(page, 'Cash', (cash2 / 100).toFixed(2));
  expect(await due(page)).toBe(0);
  const r2 = await complete(page);

  // 3. A 25 % discount is above the 20 % limit: Marta approves with her PIN, offline.
  await addToCart(page, item);
  await page.getByRole('listitem', { name: item.name }).getByRole('button', { name: 'Discount' }).click();
  await page.getByRole('textbox', { name: 'Discount' }).fill('25');
  await page.getByRole('combobox', { name: 'Reason' }).selectOption('damaged');
  await page.getByRole('button', { name: 'Apply' }).click();
  const approval = page.getByRole('dialog', { name: 'Manager approval' });
  await approval.getByRole('textbox', { name: 'Manager PIN' }).fill('1111');
  await approval.getByRole('button', { name: 'Approve' }).click();
  await expect(approval).toHaveCount(0);
  await expect(page.getByText('Discounts approved by Marta.')).toBeVisible();
  await page.getByRole('button', { name: 'Checkout' }).click();
  const total3 = item.price - Math.round((item.price * 25) / 100);
  expect(await due(page)).toBe(total3);
  await pay(page, 'Cash', (total3 / 100).toFixed(2));
  const r3 = await complete(page);

  // [SH2][RO3] Close: a manager counts the drawer, exactly what is expected, and gets the Z report.
  const expected = 10_000 + item.price + cash2 + total3;
  await page.getByRole('button', { name: 'Sign out' }).click();
  await signIn(page, 'Marta', '1111');
  await page.getByRole('link', { name: 'Register', exact: true }).click();
  await page.getByLabel('Counted cash').fill((expected / 100).toFixed(2));
  await page.getByRole('button', { name: 'Close shift' }).click();
  const z = page.getByRole('article').filter({ has: page.getByRole('heading', { name: 'Z report' }) });
  await expect(z).toBeVisible();
  await expect(z.getByRole('row', { name: /Expected cash/ })).toContainText(eur(expected));
  await expect(z.getByRole('row', { name: /Over\/short/ })).toContainText(eur(0));
  await page.screenshot({ path: testInfo.outputPath('offline-day-z-report.png') });
  const shownZ = await z.getByRole('row').allInnerTexts();
  await expect(status).toContainText('Offline');

  // Online: everything goes, and a second sync adds nothing.
  await context.setOffline(false);
  await waitSent(page);
  await waitSent(page);
  const rows = await pullAll(api, 'store:S01');
  const sales = new Map<string, Record<string, unknown>>();
  for (const c of rows) if (c.table === 'sales' && c.row && [r1, r2, r3].includes(c.row.receiptNo as string)) sales.set(c.key, c.row);
  // Each sale exactly once: one row per receipt, under one id.
  expect([...sales.values()].map((s) => s.receiptNo).sort()).toEqual([r1, r2, r3].sort());
  const byNo = (no: string) => [...sales.values()].find((s) => s.receiptNo === no)!;
  expect(byNo(r1)).toMatchObject({ total: item.price, change: change1, tenders: [{ kind: 'cash', amount: 10_000 }] });
  expect(byNo(r2)).toMatchObject({ total: item.price, change: 0, tenders: [{ kind: 'card', amount: card, offline: true, ref: expect.stringMatching(/^OFFLINE-/) }, { kind: 'cash', amount: cash2 }] });
  expect(byNo(r3)).toMatchObject({ total: total3, approvedBy: 'A-S01-MARTA' });
  // [T2] Marta's offline approval verified on the server: no doubt raised about it.
  expect(rows.filter((c) => c.table === 'exceptions' && (c.row?.details as { receiptNo?: string } | undefined)?.receiptNo === r3 && c.row?.kind !== 'oversold')).toEqual([]);

  // [SH3] The server's figures for the shift are the Z report's, to the cent.
  const shiftId = byNo(r1).shiftId as string;
  expect(byNo(r2).shiftId).toBe(shiftId);
  expect(byNo(r3).shiftId).toBe(shiftId);
  const shift = rows.filter((c) => c.table === 'shifts' && c.key === shiftId).at(-1)!.row as {
    float: number;
    totals: { sales: number; tendered: Record<string, number>; change: number };
    closed: { counted: number; expected: number; overShort: number };
  };
  expect(shift.totals.sales).toBe(3);
  expect(shift.totals.tendered.card).toBe(card);
  expect((shift.totals.tendered.cash ?? 0) - shift.totals.change).toBe(item.price + cash2 + total3);
  expect(shift.closed).toEqual(expect.objectContaining({ counted: expected, expected, overShort: 0 }));
  expect(shownZ.find((r) => r.startsWith('Expected cash'))).toContain(eur(shift.closed.expected));
  expect(shownZ.find((r) => r.startsWith('Over/short'))).toContain(eur(shift.closed.overShort));
  expect(shownZ.find((r) => r.startsWith('Float'))).toContain(eur(shift.float));
  expect(shownZ.find((r) => r.startsWith('Card'))).toContain(eur(card));
  // No cash-over-short from the server: its own count of the shift's sales agrees with the tablet's.
  expect(rows.filter((c) => c.table === 'exceptions' && c.row?.kind === 'cash-over-short' && (c.row.details as { shiftId?: string }).shiftId === shiftId)).toEqual([]);
});
