// The manager's day in Chromium [EX1][EX2][PQ1][J2][W3]: exceptions read in words (counted, never a
// command name or the server's sentence) and are resolved with a note; Today shows the day's figures
// after a sale and a web order, and this tablet's sync; an order past its expiry is restocked,
// refunded and notified by the schedule (run now through the admin API, outside production).
import { test, expect, type Page } from '@playwright/test';
import { apiDevice, baseUrl, catalogVariants, enroll, ensureShift, pullAll, signIn, waitSent, waitSynced, type Api } from './helpers';

const KEY = { 'x-api-key': 'demo-web-key', 'content-type': 'application/json' };
const ADMIN = { authorization: 'Bearer demo-admin-token', 'content-type': 'application/json' };

interface Status {
  orderId: string;
  number: string;
  status: string;
  refunded: number;
  history: { kind: string; amount?: number }[];
  notices: { kind: string; sentAt: string | null }[];
}

const status = async (externalId: string): Promise<Status> => (await fetch(`${baseUrl()}/api/v1/channels/web/orders/${externalId}`, { headers: KEY })).json() as Promise<Status>;

/** A SKU S01 has at least `min` of on its shelf, with its price and barcode. */
async function shelfItem(api: Api, min: number, skip = 0) {
  const stock = (await pullAll(api, 'store:S01')).filter((c) => c.table === 'stock' && c.row && Number(c.row.onHand) - Number(c.row.reserved) >= min);
  const variants = new Map(catalogVariants(await pullAll(api, 'catalog')).map((v) => [v.sku as string, v as unknown as Record<string, unknown>]));
  const ok = stock.map((c) => variants.get(String(c.row!.sku))).filter((v) => v && ((v.prices as Record<string, number>).EUR ?? 0) >= 1000);
  const v = ok[skip]!;
  return { sku: v.sku as string, barcode: v.barcode as string, price: (v.prices as Record<string, number>).EUR! };
}

async function placeWebOrder(sku: string, unitPrice: number, qty = 1) {
  const externalId = `WEB-MGR-${Date.now()}-${Math.round(Math.random() * 1e6)}`;
  const body = {
    externalId,
    customer: { firstName: 'Rui', lastName: 'Lopes', email: `rui.${externalId.toLowerCase()}@example.com`, phone: '+351 912 000 111' },
    lines: [{ sku, qty, unitPrice }],
    currency: 'EUR',
    payment: { reference: 'psp_mgr', amount: unitPrice * qty },
    fulfillment: { kind: 'pickup', storeId: 'S01' },
  };
  const r = await fetch(`${baseUrl()}/api/v1/channels/web/orders`, { method: 'POST', headers: KEY, body: JSON.stringify(body) });
  expect(r.status).toBe(201);
  return { externalId, ...((await r.json()) as Status) };
}

async function asManager(page: Page, name: string) {
  await enroll(page, name);
  await signIn(page, 'Marta', '1111');
  await waitSynced(page);
}

test('[EX1] exceptions read in words, identical alarms counted, resolved with a note', async ({ page }, testInfo) => {
  test.setTimeout(240_000);
  // A tablet sends three changes the server cannot take: three identical refusals [C4].
  const probe = await apiDevice('Back office');
  const res = await probe.request('GET', '/api/v1/sync/pull?stream=store%3AS01&after=0&limit=1&unsent=3');
  expect(res.status).toBe(200);
  const hlc = (i: number) => `${String(Date.now() + i).padStart(15, '0')}-00000-probe`;
  const commands = [1, 2, 3].map((seq) => ({ id: crypto.randomUUID(), deviceId: probe.deviceId, seq, type: 'sale.complete', v: 2, at: hlc(seq), actor: 'A-S01-CARLOS', payload: {} }));
  const pushed = await probe.request('POST', '/api/v1/sync/push', { deviceId: probe.deviceId, commands });
  expect(pushed.status).toBe(200);
  expect(((await pushed.json()) as { results: { status: string }[] }).results.map((r) => r.status)).toEqual(['rejected', 'rejected', 'rejected']);

  await asManager(page, 'Manager tablet');
  await page.getByRole('link', { name: 'Exceptions', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Exceptions', level: 1 })).toBeVisible();
  const store = page.getByRole('region', { name: 'This store' });
  const refused = store.getByRole('listitem').filter({ hasText: 'Back office' }).filter({ hasText: 'Refused by the server' });
  await expect(refused).toHaveCount(1);
  await expect(refused).toContainText('×3');
  await expect(refused).toContainText('Happened 3 times');
  await expect(refused).toContainText('Sale from the tablet Back office');
  await expect(refused).toContainText('The data sent was not valid');
  await expect(refused).toContainText('What to do:');
  await expect(refused).toContainText('Carlos');
  // Words, not logs: no command names, no server sentences.
  await expect(page.locator('main, body').first()).not.toContainText('sale.complete');
  await expect(page.locator('body')).not.toContainText(/#\d+ from /);
  await page.screenshot({ path: testInfo.outputPath('exceptions.png'), fullPage: true });
  // In the active language: Portuguese, then back.
  const language = page.getByRole('combobox', { name: 'Language' });
  await language.selectOption('pt-BR');
  const recusado = page.getByRole('listitem').filter({ hasText: 'O servidor recusou: Venda, do tablet “Back office' });
  await expect(recusado).toContainText('Aconteceu 3 vezes');
  await expect(recusado).toContainText('O que fazer:');
  await page.screenshot({ path: testInfo.outputPath('exceptions-pt-BR.png'), fullPage: true });
  await page.getByRole('combobox', { name: 'Idioma' }).selectOption('en');
  await expect(refused).toContainText('What to do:');

  // Resolving the counted item resolves each of its three alarms with the note.
  await refused.getByRole('textbox', { name: 'Resolution note' }).fill('Back office tablet reset; sales re-entered.');
  await refused.getByRole('button', { name: 'Resolve' }).click();
  await expect(refused).toHaveCount(0);
  await waitSent(page);
  await expect
    .poll(async () => {
      const rows = (await pullAll(probe, 'store:S01')).filter((c) => c.table === 'exceptions' && c.key.startsWith(`rejected:${probe.deviceId}:`));
      return rows.map((c) => (c.row?.resolved as { note?: string } | undefined)?.note ?? null);
    }, { timeout: 20_000 })
    .toEqual(['Back office tablet reset; sales re-entered.', 'Back office tablet reset; sales re-entered.', 'Back office tablet reset; sales re-entered.']);
});

test('[EX2] Today shows the day\'s sales by channel and tender, pickup on time and this tablet\'s sync', async ({ page }, testInfo) => {
  test.setTimeout(240_000);
  const api = await apiDevice('Today probe');
  const item = await shelfItem(api, 3, 1);
  await asManager(page, 'Today tablet');
  await page.getByRole('link', { name: 'Today', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Today', level: 1 })).toBeVisible();
  const till = page.getByRole('figure', { name: 'Sales by channel' }).getByRole('listitem', { name: /^Till: / });
  const before = (await till.count()) ? ((await till.getAttribute('aria-label')) ?? '') : '';

  // A cash sale at the till.
  await ensureShift(page);
  await page.getByRole('link', { name: 'Products', exact: true }).click();
  await page.getByRole('searchbox', { name: 'Search products' }).fill(item.barcode);
  await page.getByRole('searchbox', { name: 'Search products' }).press('Enter');
  await page.getByRole('button', { name: 'Add to cart' }).click();
  await page.getByRole('complementary', { name: 'Cart' }).getByRole('button', { name: 'Checkout' }).click();
  await page.getByRole('button', { name: 'Cash', exact: true }).click();
  await page.getByRole('textbox', { name: 'Amount' }).fill((item.price / 100).toFixed(2));
  await page.getByRole('button', { name: 'Add payment' }).click();
  await page.getByRole('button', { name: 'Complete sale' }).click();
  await expect(page.getByRole('heading', { name: /^Receipt S01-T\d+-\d{6}$/ })).toBeVisible();
  // And a web order for pickup.
  const web = await placeWebOrder(item.sku, item.price);

  await page.getByRole('link', { name: 'Today', exact: true }).click();
  const channel = page.getByRole('figure', { name: 'Sales by channel' });
  await expect(channel.getByRole('listitem', { name: /^Till: / })).toBeVisible();
  await expect(channel.getByRole('listitem', { name: /^Till: / })).not.toHaveAttribute('aria-label', before);
  await expect(channel.getByRole('listitem', { name: /^Web shop: / })).toBeVisible({ timeout: 10_000 });
  const tender = page.getByRole('figure', { name: 'Sales by tender' });
  await expect(tender.getByRole('listitem', { name: /^Cash: €/ })).toBeVisible();
  await expect(tender.getByRole('listitem', { name: /^Paid online: €/ })).toBeVisible();
  await expect(page.getByRole('figure', { name: 'Pickup on time' })).toBeVisible();
  const tablets = page.getByRole('figure', { name: 'Tablets' });
  const me = tablets.getByRole('row', { name: /Today tablet \(T\d+\) \(this tablet\)/ });
  await expect(me).toBeVisible();
  await waitSent(page);
  await expect(me.getByRole('cell').nth(1)).toHaveText('0');
  // The probe reported through its pull; another tablet's row comes from the server [EX2].
  await api.request('GET', '/api/v1/sync/pull?stream=store%3AS01&after=0&limit=1&unsent=2');
  await page.getByRole('button', { name: 'Sync now' }).click();
  const probeRow = tablets.getByRole('row', { name: /Today probe/ });
  await expect(probeRow).toBeVisible({ timeout: 15_000 });
  await expect(probeRow.getByRole('cell').nth(1)).toContainText('2');
  await page.screenshot({ path: testInfo.outputPath('today.png'), fullPage: true });

  // Offline, it still reads from what the tablet holds.
  await page.context().setOffline(true);
  await page.reload();
  await expect(page.getByRole('heading', { name: 'Today', level: 1 })).toBeVisible();
  await expect(page.getByRole('figure', { name: 'Sales by channel' }).getByRole('listitem', { name: /^Web shop: / })).toBeVisible();
  await page.context().setOffline(false);
  expect((await status(web.externalId)).status).toBe('placed');
});

test('[PQ1][J2][W3] an order past its expiry is restocked and refunded by the schedule, with the notification sent', async ({ page }) => {
  test.setTimeout(240_000);
  const api = await apiDevice();
  const item = await shelfItem(api, 2, 2);
  const reserved = async () => Number((await pullAll(api, 'store:S01')).find((c) => c.table === 'stock' && c.row?.sku === item.sku)?.row?.reserved ?? 0);
  const web = await placeWebOrder(item.sku, item.price);
  const reservedWhilePlaced = await reserved();

  await asManager(page, 'Expiry tablet');
  await page.getByRole('link', { name: 'Pickup', exact: true }).click();
  const card = page.getByRole('listitem', { name: `Order ${web.number}, Rui Lopes` });
  await expect(card).toBeVisible({ timeout: 10_000 });
  await card.getByRole('button', { name: 'Start picking' }).click();
  await page.getByRole('tab', { name: /Picking/ }).click();
  await card.getByRole('button', { name: 'Mark ready' }).click();
  await waitSent(page);
  await expect.poll(async () => (await status(web.externalId)).status, { timeout: 15_000 }).toBe('ready');

  // Its expiry is days away on the schedule; an administrator of a test server runs it now.
  const jobs = (await (await fetch(`${baseUrl()}/api/v1/admin/jobs?status=pending`, { headers: ADMIN })).json()) as { jobs: { id: string; runAt: number }[] };
  const job = jobs.jobs.find((j) => j.id === `order.expire:${web.orderId}`);
  expect(job).toBeDefined();
  expect(job!.runAt).toBeGreaterThan(Date.now() + 6 * 86_400_000);
  const run = await fetch(`${baseUrl()}/api/v1/admin/jobs/${encodeURIComponent(job!.id)}/run-now`, { method: 'POST', headers: ADMIN, body: '{}' });
  expect(run.status).toBe(200);
  expect(((await run.json()) as { status: string }).status).toBe('done');

  const s = await status(web.externalId);
  expect(s.status).toBe('expired');
  expect(s.refunded).toBe(item.price);
  expect(s.history.map((e) => e.kind)).toEqual(['placed', 'picking', 'ready', 'expired', 'refund']);
  // Restocked: the reservation is released.
  await expect.poll(reserved, { timeout: 10_000 }).toBe(reservedWhilePlaced - 1);
  // The customer is told: expired and refund issued, delivered by the notifier.
  await expect
    .poll(async () => (await status(web.externalId)).notices.filter((n) => (n.kind === 'expired' || n.kind === 'refund-issued') && n.sentAt !== null).map((n) => n.kind).sort(), { timeout: 15_000 })
    .toEqual(['expired', 'refund-issued']);
  const sent = (await (await fetch(`${baseUrl()}/api/v1/admin/notifications`, { headers: ADMIN })).json()) as { notifications: { kind: string; payload: { orderId?: string } }[] };
  expect(sent.notifications.filter((n) => n.payload.orderId === web.orderId).map((n) => n.kind).sort()).toEqual(['expired', 'ready-for-pickup', 'receipt', 'refund-issued']);
  // The tablet's queue no longer holds it.
  await page.getByRole('button', { name: 'Sync now' }).click();
  await page.getByRole('tab', { name: /Ready/ }).click();
  await expect(card).toHaveCount(0, { timeout: 15_000 });
});

test('[PQ5][C4][EX1] the loser of two conflicting pickup steps reads in words under Needs attention: the order, the reason, what to do', async ({ browser }, testInfo) => {
  test.setTimeout(240_000);
  const api = await apiDevice();
  const item = await shelfItem(api, 2, 3);
  const web = await placeWebOrder(item.sku, item.price);
  const a = await browser.newContext();
  const b = await browser.newContext();
  const pa = await a.newPage();
  const pb = await b.newPage();
  await enroll(pa, 'Picker A');
  await signIn(pa, 'Carlos', '2222');
  await waitSynced(pa);
  await enroll(pb, 'Picker B');
  await signIn(pb, 'Marta', '1111');
  await waitSynced(pb);
  for (const p of [pa, pb]) await p.getByRole('link', { name: 'Pickup', exact: true }).click();
  const cardA = pa.getByRole('listitem', { name: `Order ${web.number}, Rui Lopes` });
  const cardB = pb.getByRole('listitem', { name: `Order ${web.number}, Rui Lopes` });
  await expect(cardA).toBeVisible({ timeout: 10_000 });
  await expect(cardB).toBeVisible({ timeout: 10_000 });

  // A starts picking offline; meanwhile B cancels the order online, and the server takes B's first.
  await a.setOffline(true);
  await cardA.getByRole('button', { name: 'Start picking' }).click();
  await cardB.getByRole('button', { name: 'Cancel order' }).click();
  await pb.getByRole('button', { name: 'Confirm cancel' }).click();
  await waitSent(pb);
  await expect.poll(async () => (await status(web.externalId)).status, { timeout: 15_000 }).toBe('cancelled');
  await a.setOffline(false);
  await pa.getByRole('button', { name: 'Sync now' }).click();
  const attention = pa.getByRole('link', { name: /Needs attention/ });
  await expect(attention).toBeVisible({ timeout: 30_000 });
  await attention.click();
  const alert = pa.getByRole('listitem').filter({ hasText: `Order ${web.number}` });
  await expect(alert).toContainText(`Start of picking (order ${web.number}) was not applied: Another tablet had already moved the order on.`);
  await expect(alert).toContainText('Look at the order in the pickup queue');
  await expect(pa.locator('body')).not.toContainText('order.start-picking');
  await pa.screenshot({ path: testInfo.outputPath('attention-pickup.png'), fullPage: true });
  await a.close();
  await b.close();
});
