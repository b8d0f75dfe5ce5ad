// Returns in Chromium (issue 12) [RE1]–[RE8]: an offline BORIS return of a web order to store credit,
// recorded once by the server with S01's stock, the customer's credit and the order's channel status;
// two tablets returning the same line offline (both recorded, one over-returned); a no-receipt return
// approved with Marta's PIN; an exchange with money back.
import { test, expect, type Page, type BrowserContext } from '@playwright/test';
import { apiDevice, baseUrl, catalogVariants, enroll, ensureShift, pullAll, signIn, waitSent, waitSynced, type Api } from './helpers';

const KEY = { 'x-api-key': 'demo-web-key', 'content-type': 'application/json' };

interface Item {
  barcode: string;
  sku: string;
  price: number;
}

/** Items S01 has on its shelf, with their EUR price, most expensive first, as the server has them. */
async function shelf(api: Api, min = 4000): Promise<Item[]> {
  const stock = await pullAll(api, 'store:S01');
  const variants = new Map(catalogVariants(await pullAll(api, 'catalog')).map((v) => [v.sku, v as unknown as Record<string, unknown>]));
  return stock
    .filter((c) => c.table === 'stock' && Number(c.row?.onHand) - Number(c.row?.reserved) > 5)
    .map((c) => variants.get(String(c.row!.sku)))
    .filter((v): v is Record<string, unknown> => !!v && ((v.prices as Record<string, number>).EUR ?? 0) >= min)
    .map((v) => ({ barcode: String(v.barcode), sku: String(v.sku), price: (v.prices as Record<string, number>).EUR! }));
}

const onHand = async (api: Api, sku: string) => Number((await pullAll(api, 'store:S01')).filter((c) => c.table === 'stock' && c.key === `S01|${sku}`).at(-1)?.row?.onHand);
const customerRow = async (api: Api, id: string) => (await pullAll(api, 'customers')).filter((c) => c.table === 'customers' && c.key === id).at(-1)?.row as { storeCredit: number; firstName: string; lastName: string } | undefined;
const euros = (cents: number) => `€${(cents / 100).toFixed(2)}`;

async function returnNumber(page: Page): Promise<string> {
  const h = page.getByRole('heading', { name: /^Return S01-T\d+-\d{6}$/ });
  await expect(h).toBeVisible();
  return (await h.textContent())!.replace('Return ', '');
}

/** Rings up `item` and pays the exact total in cash; answers the receipt number. */
async function cashSale(page: Page, item: Item): Promise<string> {
  await ensureShift(page);
  await page.getByRole('link', { name: 'Products', exact: true }).click();
  await page.getByRole('searchbox', { name: 'Search products' }).fill(item.barcode);
  await page.getByRole('searchbox', { name: 'Search products' }).press('Enter');
  await page.getByRole('button', { name: 'Add to cart' }).click();
  await page.getByRole('link', { name: 'Cart', exact: true }).click();
  await page.getByRole('button', { name: 'Checkout' }).click();
  await page.getByRole('button', { name: 'Cash', exact: true }).click();
  await page.getByRole('textbox', { name: 'Amount' }).fill((item.price / 100).toFixed(2));
  await page.getByRole('button', { name: 'Add payment' }).click();
  await page.getByRole('button', { name: 'Complete sale' }).click();
  const h = page.getByRole('heading', { name: /^Receipt S01-T\d+-\d{6}$/ });
  await expect(h).toBeVisible();
  const receipt = (await h.textContent())!.replace('Receipt ', '');
  await page.getByRole('button', { name: 'New sale' }).click();
  return receipt;
}

/** Finds a purchase on the Returns screen and ticks its first line with a reason and a condition. */
async function takeBackFirstLine(page: Page, number: string, reason = 'Wrong size', condition = 'Sellable') {
  await page.getByRole('link', { name: 'Returns', exact: true }).click();
  await page.getByRole('textbox', { name: 'Receipt or order number' }).fill(number);
  await page.getByRole('button', { name: 'Find purchase' }).click();
  const line = page.locator('.return-line').first();
  await line.getByRole('checkbox').check();
  await line.getByRole('combobox', { name: 'Reason' }).selectOption({ label: reason });
  await line.getByRole('combobox', { name: 'Condition' }).selectOption({ label: condition });
}

test('[RE1][RE5][RE6][W2] an offline BORIS return of a web order to store credit: recorded once, S01 stock +1, credit grown, the order status shows the return and refund', async ({ page, context }, testInfo) => {
  test.setTimeout(240_000);
  const api = await apiDevice('returns probe');
  const [item] = await shelf(api);
  // The web shopper is a demo customer: the cashier finds their profile to credit it.
  const shopper = (await pullAll(api, 'customers')).filter((c) => c.table === 'customers' && c.row && String(c.row.email).includes('@')).at(-1)!.row as { id: string; firstName: string; lastName: string; email: string; storeCredit: number };
  const externalId = `WEB-RET-${Date.now()}`;
  const placed = await fetch(`${baseUrl()}/api/v1/channels/web/orders`, {
    method: 'POST',
    headers: KEY,
    body: JSON.stringify({
      externalId,
      customer: { firstName: shopper.firstName, lastName: shopper.lastName, email: shopper.email, phone: '+351 913 000 111' },
      lines: [{ sku: item!.sku, qty: 1, unitPrice: item!.price }],
      currency: 'EUR',
      payment: { reference: 'psp_ret_e2e', amount: item!.price },
      fulfillment: { kind: 'pickup', storeId: 'S01' },
    }),
  });
  expect(placed.status).toBe(201);
  const { number, orderId } = (await placed.json()) as { number: string; orderId: string };

  await enroll(page, 'Returns tablet');
  await signIn(page, 'Carlos', '2222');
  await waitSynced(page);
  // The customer collects it (online).
  await page.getByRole('link', { name: 'Pickup', exact: true }).click();
  const name = `${shopper.firstName} ${shopper.lastName}`;
  const card = page.getByRole('listitem', { name: `Order ${number}, ${name}` });
  await card.getByRole('button', { name: 'Mark ready' }).click();
  await page.getByRole('tab', { name: /Ready/ }).click();
  await card.getByRole('button', { name: 'Hand over' }).click();
  await card.getByRole('textbox', { name: 'Order code' }).fill(number);
  await card.getByRole('button', { name: 'Confirm handover' }).click();
  await waitSent(page);
  const stockBefore = await onHand(api, item!.sku);
  const customerId = shopper.id;
  const creditBefore = (await customerRow(api, customerId))!.storeCredit;

  // Offline: the tablet finds the order among what it holds and takes it back to store credit.
  await context.setOffline(true);
  await expect(page.getByRole('status', { name: 'Sync status' })).toContainText('Offline');
  await takeBackFirstLine(page, number.toLowerCase());
  await expect(page.getByText('Bought 1 · already returned 0 · returnable 1')).toBeVisible();
  await page.getByRole('radio', { name: 'Store credit' }).check();
  await page.getByRole('searchbox', { name: 'Search customers' }).fill(shopper.email);
  await page.getByRole('button', { name: new RegExp(`^${name}`) }).first().click();
  const summary = page.getByRole('region', { name: 'Where the money goes' });
  await expect(summary).toContainText(`Store credit for ${name}: ${euros(item!.price)}`);
  await page.screenshot({ path: testInfo.outputPath('returns-offline-boris.png') });
  // The return in progress survives a reload.
  await page.reload();
  await expect(page.getByRole('region', { name: 'Where the money goes' })).toContainText(`Store credit for ${name}: ${euros(item!.price)}`);
  await page.getByRole('button', { name: 'Complete return' }).click();
  const ret = await returnNumber(page);
  await expect(page.getByRole('article', { name: 'Return receipt' })).toContainText(number);
  await page.screenshot({ path: testInfo.outputPath('returns-receipt.png') });

  // Online: the server records it once, restocks S01, credits the customer, and the channel sees it.
  await context.setOffline(false);
  await waitSent(page);
  await expect.poll(() => onHand(api, item!.sku), { timeout: 15_000 }).toBe(stockBefore + 1);
  expect((await customerRow(api, customerId))!.storeCredit).toBe(creditBefore + item!.price);
  const after = await api.get<{ purchase: { lines: { returned: number; returnable: number }[] }; returns: { number: string }[] }>(`/api/v1/returns/lookup?number=${number}`);
  expect(after.returns.map((r) => r.number)).toEqual([ret]);
  expect(after.purchase.lines[0]).toMatchObject({ returned: 1, returnable: 0 });
  const status = (await (await fetch(`${baseUrl()}/api/v1/channels/web/orders/${externalId}`, { headers: KEY })).json()) as { orderId: string; history: { kind: string; sku?: string; amount?: number; to?: string }[] };
  expect(status.orderId).toBe(orderId);
  expect(status.history.filter((e) => e.kind === 'returned')).toMatchObject([{ sku: item!.sku, qty: 1 }]);
  expect(status.history.filter((e) => e.kind === 'refund')).toMatchObject([{ amount: item!.price, to: 'store-credit' }]);
});

test('[RE3][RE4] two tablets offline return the same line of one sale: both are recorded, with one over-returned exception', async ({ browser }, testInfo) => {
  test.setTimeout(300_000);
  const api = await apiDevice('returns probe 2');
  const item = (await shelf(api))[1]!;
  const contexts: BrowserContext[] = [await browser.newContext(), await browser.newContext()];
  const [a, b] = await Promise.all(contexts.map((c) => c.newPage()));
  await enroll(a!, 'Returns A');
  await signIn(a!, 'Carlos', '2222');
  await waitSynced(a!);
  const receipt = await cashSale(a!, item);
  await waitSent(a!);
  await enroll(b!, 'Returns B');
  await signIn(b!, 'Carlos', '2222');
  await waitSynced(b!);
  await ensureShift(b!);
  // The shift is on the server before the tablet goes offline.
  await waitSent(b!);

  await contexts[0]!.setOffline(true);
  await contexts[1]!.setOffline(true);
  for (const page of [a!, b!]) {
    await takeBackFirstLine(page, receipt, 'Defective', 'Damaged');
    await expect(page.getByRole('region', { name: 'Where the money goes' })).toContainText(`Cash from the drawer: ${euros(item.price)}`);
    await page.getByRole('button', { name: 'Complete return' }).click();
    await returnNumber(page);
  }
  await b!.screenshot({ path: testInfo.outputPath('returns-second-tablet.png') });
  await contexts[0]!.setOffline(false);
  await contexts[1]!.setOffline(false);
  await waitSent(a!);
  await waitSent(b!);

  const lookup = await api.get<{ returns: unknown[]; purchase: { lines: { returned: number }[] } }>(`/api/v1/returns/lookup?number=${receipt}`);
  expect(lookup.returns).toHaveLength(2);
  expect(lookup.purchase.lines[0]!.returned).toBe(2);
  const over = (await pullAll(api, 'store:S01')).filter((c) => c.table === 'exceptions' && c.row?.kind === 'over-returned' && (c.row.details as { purchase?: string }).purchase === receipt);
  expect(new Set(over.map((c) => c.key)).size).toBe(1);
  await Promise.all(contexts.map((c) => c.close()));
});

test('[RE1][RO3] a no-receipt return refunds store credit at the lowest price the item sold for in the last 30 days (a web order\'s) and needs Marta\'s PIN', async ({ page }, testInfo) => {
  test.setTimeout(240_000);
  const api = await apiDevice('returns probe 3');
  const item = (await shelf(api))[2]!;
  const customers = (await pullAll(api, 'customers')).filter((c) => c.table === 'customers' && c.row);
  const c = customers[0]!.row as { id: string; firstName: string; lastName: string; storeCredit: number };
  // [RE1] The web shop sold it below the catalog price today: web orders are sales of the chain.
  const webPrice = item.price - 700;
  const externalId = `WEB-LOW-${Date.now()}`;
  const placed = await fetch(`${baseUrl()}/api/v1/channels/web/orders`, {
    method: 'POST',
    headers: KEY,
    body: JSON.stringify({ externalId, customer: { firstName: 'Rui', lastName: 'Lopes', email: `rui.${externalId.toLowerCase()}@example.com`, phone: '+351 912 000 111' }, lines: [{ sku: item.sku, qty: 1, unitPrice: webPrice }], currency: 'EUR', payment: { reference: 'psp_low', amount: webPrice }, fulfillment: { kind: 'pickup', storeId: 'S01' } }),
  });
  expect(placed.status).toBe(201);
  // The roll-up publishes the window's low on the network stream, which every tablet pulls.
  let low = 0;
  await expect(async () => {
    const row = (await pullAll(api, 'network')).filter((x) => x.table === 'priceLows' && x.key === item.sku).at(-1)?.row as { lows: { EUR?: number } } | undefined;
    low = row?.lows.EUR ?? 0;
    expect(low).toBeGreaterThan(0);
  }).toPass({ timeout: 20_000 });
  expect(low).toBeLessThanOrEqual(webPrice);

  await enroll(page, 'Returns no receipt');
  await signIn(page, 'Carlos', '2222');
  await waitSynced(page);
  await page.getByRole('link', { name: 'Returns', exact: true }).click();
  await page.getByRole('button', { name: 'No receipt' }).click();
  await page.getByRole('textbox', { name: 'Item barcode or SKU' }).fill(item.barcode);
  await page.getByRole('button', { name: 'Add item', exact: true }).click();
  const line = page.locator('.return-line').first();
  await expect(line).toContainText(`Lowest price in the last 30 days: ${euros(low)}`);
  await line.getByRole('combobox', { name: 'Reason' }).selectOption({ label: 'Changed their mind' });
  await page.getByRole('searchbox', { name: 'Search customers' }).fill(`${c.firstName} ${c.lastName}`);
  await page.getByRole('button', { name: new RegExp(`^${c.firstName} ${c.lastName}`) }).first().click();
  await expect(page.getByRole('region', { name: 'Where the money goes' })).toContainText(`: ${euros(low)}`);
  await expect(page.getByText('Needs a manager’s approval: no receipt.')).toBeVisible();
  await page.screenshot({ path: testInfo.outputPath('returns-no-receipt-lowest.png') });
  await page.getByRole('button', { name: 'Complete return' }).click();
  const dialog = page.getByRole('dialog', { name: 'Manager approval' });
  await expect(dialog).toBeVisible();
  await page.screenshot({ path: testInfo.outputPath('returns-approval.png') });
  // Carlos's own PIN is not a manager's.
  await dialog.getByLabel('Manager PIN').fill('2222');
  await dialog.getByRole('button', { name: 'Approve' }).click();
  await expect(dialog.getByRole('alert')).toBeVisible();
  await dialog.getByLabel('Manager PIN').fill('1111');
  await dialog.getByRole('button', { name: 'Approve' }).click();
  const ret = await returnNumber(page);
  // The return receipt says which price it used, and carries a barcode of its number.
  const paper = page.getByRole('article', { name: 'Return receipt' });
  await expect(paper).toContainText(`Lowest price in the last 30 days: ${euros(low)}`);
  await expect(paper.getByRole('img', { name: ret })).toBeVisible();
  expect(await paper.locator('svg.receipt-barcode rect').count()).toBeGreaterThan(10);
  await page.screenshot({ path: testInfo.outputPath('returns-receipt-barcode.png'), fullPage: true });
  await page.emulateMedia({ media: 'print' });
  await page.screenshot({ path: testInfo.outputPath('returns-receipt-print.png'), fullPage: true });
  await page.emulateMedia({ media: 'screen' });
  await waitSent(page);
  // The server priced it the same: the credit is the window's lowest, not the catalog price.
  const row = (await pullAll(api, 'store:S01')).filter((x) => x.table === 'returns' && x.row?.number === ret).at(-1)!.row as { approvedBy?: string; noReceipt?: boolean; refunds: { kind: string; amount: number }[]; lines: { unitPrice?: number; priceSource?: string; quoted?: number }[] };
  expect(row).toMatchObject({ approvedBy: 'A-S01-MARTA', noReceipt: true, refunds: [{ kind: 'store-credit', amount: low }], lines: [{ unitPrice: low, priceSource: 'lowest' }] });
  expect(row.lines[0]!.quoted).toBeUndefined();
  const exceptions = (await pullAll(api, 'store:S01')).filter((x) => x.table === 'exceptions' && String(x.row?.message ?? '').includes(ret));
  expect(exceptions).toEqual([]);
});

test('[RE8][RE5] an exchange for a cheaper item gives the difference back', async ({ page }, testInfo) => {
  test.setTimeout(240_000);
  const api = await apiDevice('returns probe 4');
  const items = await shelf(api, 1000);
  const dear = items.find((x) => x.price >= 5000)!;
  const cheap = items.find((x) => x.price < dear.price - 500 && x.sku !== dear.sku)!;
  await enroll(page, 'Returns exchange');
  await signIn(page, 'Carlos', '2222');
  await waitSynced(page);
  const receipt = await cashSale(page, dear);
  await takeBackFirstLine(page, receipt);
  await page.getByText('Exchange for other items').click();
  await page.getByRole('textbox', { name: 'New item barcode or SKU' }).fill(cheap.barcode);
  await page.getByRole('button', { name: 'Add new item' }).click();
  const summary = page.getByRole('region', { name: 'Where the money goes' });
  await expect(summary).toContainText(`Pays for the new items: ${euros(cheap.price)}`);
  await expect(summary).toContainText(`Money back to the customer: ${euros(dear.price - cheap.price)}`);
  await page.screenshot({ path: testInfo.outputPath('returns-exchange.png') });
  await page.getByRole('button', { name: 'Complete return' }).click();
  const ret = await returnNumber(page);
  await expect(page.getByText(/^New items on receipt S01-T\d+-\d{6}$/)).toBeVisible();
  await waitSent(page);
  const rows = await pullAll(api, 'store:S01');
  const r = rows.filter((x) => x.table === 'returns' && x.row?.number === ret).at(-1)!.row as { exchangeSaleId: string; refunds: { kind: string; amount: number; ref?: string }[] };
  expect(r.refunds).toEqual([
    { kind: 'cash', amount: dear.price - cheap.price },
    { kind: 'cash', amount: cheap.price, ref: 'exchange' },
  ]);
  expect(rows.some((x) => x.table === 'sales' && x.key === r.exchangeSaleId)).toBe(true);
});

test('[RE7] offline, a web order the tablet never saw is taken back unverified to store credit; online the server matches it, and flags one that does not exist', async ({ page, context }, testInfo) => {
  test.setTimeout(240_000);
  const api = await apiDevice('returns probe 5');
  const item = (await shelf(api))[3]!;
  const shopper = (await pullAll(api, 'customers')).filter((c) => c.table === 'customers' && c.row && String(c.row.email).includes('@')).at(-2)!.row as { id: string; firstName: string; lastName: string; email: string; storeCredit: number };
  const name = `${shopper.firstName} ${shopper.lastName}`;
  await enroll(page, 'Returns unseen');
  await signIn(page, 'Carlos', '2222');
  await waitSynced(page);
  await context.setOffline(true);
  await expect(page.getByRole('status', { name: 'Sync status' })).toContainText('Offline');
  // Placed while the tablet is offline: it has never seen this order.
  const externalId = `WEB-RE7-${Date.now()}`;
  const placed = await fetch(`${baseUrl()}/api/v1/channels/web/orders`, {
    method: 'POST',
    headers: KEY,
    body: JSON.stringify({ externalId, customer: { firstName: shopper.firstName, lastName: shopper.lastName, email: shopper.email, phone: '+351 913 000 222' }, lines: [{ sku: item.sku, qty: 1, unitPrice: item.price }], currency: 'EUR', payment: { reference: 'psp_re7', amount: item.price }, fulfillment: { kind: 'pickup', storeId: 'S01' } }),
  });
  expect(placed.status).toBe(201);
  const { number } = (await placed.json()) as { number: string };

  const takeUnseen = async (orderNumber: string) => {
    await page.getByRole('link', { name: 'Returns', exact: true }).click();
    await page.getByRole('textbox', { name: 'Receipt or order number' }).fill(orderNumber);
    await page.getByRole('button', { name: 'Find purchase' }).click();
    await expect(page.getByRole('alert')).toContainText(`Order ${orderNumber} is not on this tablet`);
    await page.getByRole('button', { name: 'Take it back unverified' }).click();
    await page.getByRole('textbox', { name: 'Item barcode or SKU' }).fill(item.barcode);
    await page.getByRole('button', { name: 'Add item', exact: true }).click();
    await page.locator('.return-line').first().getByRole('combobox', { name: 'Reason' }).selectOption({ label: 'Wrong size' });
    await expect(page.getByRole('radio', { name: 'Original payment' })).toBeDisabled();
    await page.getByRole('searchbox', { name: 'Search customers' }).fill(shopper.email);
    await page.getByRole('button', { name: new RegExp(`^${name}`) }).first().click();
    await expect(page.getByRole('region', { name: 'Where the money goes' })).toContainText(`Store credit for ${name}: ${euros(item.price)}`);
    await page.getByRole('button', { name: 'Complete return' }).click();
    const ret = await returnNumber(page);
    await expect(page.getByRole('article', { name: 'Return receipt' })).toContainText('Unverified');
    await page.getByRole('button', { name: 'New return' }).click();
    return ret;
  };
  const good = await takeUnseen(number);
  await page.screenshot({ path: testInfo.outputPath('returns-unseen.png') });
  const bogus = await takeUnseen('W2222222');

  await context.setOffline(false);
  await waitSent(page);
  const lookup = await api.get<{ returns: { number: string }[]; purchase: { lines: { returned: number }[] } }>(`/api/v1/returns/lookup?number=${number}`);
  expect(lookup.returns.map((r) => r.number)).toEqual([good]);
  expect(lookup.purchase.lines[0]!.returned).toBe(1);
  const unverified = (await pullAll(api, 'store:S01')).filter((c) => c.table === 'exceptions' && c.row?.kind === 'return-unverified');
  expect(unverified.some((c) => String(c.row!.message).includes(good))).toBe(false);
  expect(unverified.filter((c) => String(c.row!.message).includes(bogus)).length).toBeGreaterThan(0);
  expect((await customerRow(api, shopper.id))!.storeCredit).toBe(shopper.storeCredit + 2 * item.price);
});
