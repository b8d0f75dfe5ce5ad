// A web order through the channel API to S01's pickup queue in Chromium [W1][PQ1][PQ2][PQ3][W2][W3]:
// it arrives within 2 s; offline the associate starts picking and marks it ready; online the customer's
// notice is recorded and the channel reads `ready`; the handover with the order code makes it `collected`.
import { test, expect } from '@playwright/test';
import { apiDevice, baseUrl, enroll, enrollmentCode, pullAll, signIn, waitSynced } from './helpers';

const KEY = { 'x-api-key': 'demo-web-key', 'content-type': 'application/json' };

interface Status {
  number: string;
  status: string;
  history: { kind: string }[];
  notices: { kind: string; sentAt: string | null }[];
}

const status = async (externalId: string): Promise<Status> => (await fetch(`${baseUrl()}/api/v1/channels/web/orders/${externalId}`, { headers: KEY })).json() as Promise<Status>;

test('[W1][PQ1][PQ2][PQ3][W2][W3] a web order reaches the queue in 2 s, is picked and readied offline, notified, and handed over with its code', async ({ page, context }, testInfo) => {
  test.setTimeout(240_000);
  await enroll(page, 'Pickup tablet');
  // Not Ana: the foundation spec locks her name on the server [T2].
  await signIn(page, 'Carlos', '2222');
  await waitSynced(page);
  await page.getByRole('link', { name: 'Pickup', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Pickup queue' })).toBeVisible();

  // A SKU S01 has on its shelf, so S01 itself sources the order.
  const api = await apiDevice();
  const stock = (await pullAll(api, 'store:S01')).filter((c) => c.table === 'stock' && c.row && Number(c.row.onHand) - Number(c.row.reserved) >= 2);
  const sku = String(stock[0]!.row!.sku);
  const externalId = `WEB-E2E-${Date.now()}`;
  const body = {
    externalId,
    customer: { firstName: 'Inês', lastName: 'Barros', email: 'ines@example.com', phone: '+351 912 345 678' },
    lines: [{ sku, qty: 2, unitPrice: 3495 }],
    currency: 'EUR',
    payment: { reference: 'psp_123', amount: 6990 },
    fulfillment: { kind: 'pickup', storeId: 'S01' },
  };
  const posted = await fetch(`${baseUrl()}/api/v1/channels/web/orders`, { method: 'POST', headers: KEY, body: JSON.stringify(body) });
  expect(posted.status).toBe(201);
  const { number } = (await posted.json()) as Status;
  const t0 = Date.now();
  const card = page.getByRole('listitem', { name: `Order ${number}, Inês Barros` });
  await expect(card).toBeVisible({ timeout: 2_000 });
  testInfo.annotations.push({ type: 'poke-to-queue ms', description: String(Date.now() - t0) });
  await expect(page.getByRole('status').filter({ hasText: `New order: ${number}` })).toBeVisible();
  await page.screenshot({ path: testInfo.outputPath('pickup-queue.png') });

  // Offline: start picking and mark ready, both local commands.
  await context.setOffline(true);
  await expect(page.getByRole('status', { name: 'Sync status' })).toContainText('Offline');
  await card.getByRole('button', { name: 'Start picking' }).click();
  await page.getByRole('tab', { name: /Picking/ }).click();
  await card.getByRole('button', { name: 'Mark ready' }).click();
  await page.getByRole('tab', { name: /Ready/ }).click();
  await expect(card).toBeVisible();
  expect((await status(externalId)).status).toBe('placed');

  // Online: the commands reach the server, the customer's notice is recorded and delivered.
  await context.setOffline(false);
  await expect(page.getByRole('status', { name: 'Sync status' })).toContainText('0 unsent', { timeout: 30_000 });
  await expect.poll(async () => (await status(externalId)).status, { timeout: 15_000 }).toBe('ready');
  await expect.poll(async () => (await status(externalId)).notices.filter((n) => n.kind === 'ready-for-pickup' && n.sentAt !== null).length, { timeout: 15_000 }).toBe(1);

  // Handover: a wrong code is refused on the tablet; the order number is the code.
  await card.getByRole('button', { name: 'Hand over' }).click();
  await expect(card.getByText('Check the customer’s ID: Inês Barros')).toBeVisible();
  await card.getByRole('textbox', { name: 'Order code' }).fill('W0000000');
  await card.getByRole('button', { name: 'Confirm handover' }).click();
  await expect(card.getByRole('alert')).toContainText('not this order’s');
  await page.screenshot({ path: testInfo.outputPath('pickup-handover.png') });
  await card.getByRole('textbox', { name: 'Order code' }).fill(number.toLowerCase());
  await card.getByRole('button', { name: 'Confirm handover' }).click();
  await expect(card).toHaveCount(0);
  await expect.poll(async () => (await status(externalId)).status, { timeout: 15_000 }).toBe('collected');
  expect((await status(externalId)).history.map((e) => e.kind)).toEqual(['placed', 'picking', 'ready', 'collected']);
});

interface Reassigned extends Status {
  orderId: string;
  lines: { sku: string; state: string; sourceIds: string[] }[];
  history: { kind: string; sku?: string; from?: string; sourceIds?: string[] }[];
}

test('[PQ1][PQ5][J1][W2][OR3] a line marked short at S01 offline is found elsewhere: after sync it is reserved at another location, and the channel and the queue say where it comes from', async ({ page, context }, testInfo) => {
  test.setTimeout(240_000);
  await enroll(page, 'Pickup tablet 2');
  await signIn(page, 'Carlos', '2222');
  await waitSynced(page);
  await page.getByRole('link', { name: 'Pickup', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Pickup queue' })).toBeVisible();

  const api = await apiDevice('e2e reassign probe');
  const stock = (await pullAll(api, 'store:S01')).filter((c) => c.table === 'stock' && c.row && Number(c.row.onHand) - Number(c.row.reserved) >= 1);
  // Not the first SKU: the other pickup test uses it.
  const sku = String(stock[1]!.row!.sku);
  const externalId = `WEB-E2E-RE-${Date.now()}`;
  const body = {
    externalId,
    customer: { firstName: 'Rui', lastName: 'Sousa', email: 'rui@example.com', phone: '+351 913 000 111' },
    lines: [{ sku, qty: 1, unitPrice: 2500 }],
    currency: 'EUR',
    payment: { reference: 'psp_456', amount: 2500 },
    fulfillment: { kind: 'pickup', storeId: 'S01' },
  };
  const posted = await fetch(`${baseUrl()}/api/v1/channels/web/orders`, { method: 'POST', headers: KEY, body: JSON.stringify(body) });
  expect(posted.status).toBe(201);
  const { number, orderId } = (await posted.json()) as Reassigned;
  const card = page.getByRole('listitem', { name: `Order ${number}, Rui Sousa` });
  await expect(card).toBeVisible({ timeout: 5_000 });
  const name = String((await card.locator('.pickup-lines li span').first().innerText()).replace(/^1 × /, '').replace(sku, '').trim());

  // Offline: the shelf is empty; the manager chooses to find it elsewhere.
  await context.setOffline(true);
  await expect(page.getByRole('status', { name: 'Sync status' })).toContainText('Offline');
  await card.getByRole('button', { name: `Mark short: ${name}` }).click();
  const dialog = page.getByRole('dialog', { name: `Not enough here: ${name}` });
  await expect(dialog).toBeVisible();
  await expect(dialog.getByRole('button', { name: 'Cancel the line and refund' })).toBeVisible();
  await page.screenshot({ path: testInfo.outputPath('pickup-short-dialog.png') });
  await dialog.getByRole('button', { name: 'Find it elsewhere' }).click();
  await expect(dialog).toHaveCount(0);
  await expect(card).toContainText('Looking for it at another location');
  // Not ready while the line is being found: refused on the tablet, in words.
  await card.getByRole('button', { name: 'Mark ready' }).click();
  await expect(card.getByRole('alert')).toContainText('still being found at another location');
  await page.screenshot({ path: testInfo.outputPath('pickup-short-sourcing.png') });
  expect((await status(externalId)).status).toBe('placed');

  // Online: the command is pushed, the server's follow-up sources the line again without S01.
  await context.setOffline(false);
  await expect(page.getByRole('status', { name: 'Sync status' })).toContainText('0 unsent', { timeout: 30_000 });
  await expect.poll(async () => ((await status(externalId)) as Reassigned).lines[0]!.state, { timeout: 20_000 }).toBe('open');
  const s = (await status(externalId)) as Reassigned;
  const to = s.lines[0]!.sourceIds[0]!;
  expect(to).toBeDefined();
  expect(to).not.toBe('S01');
  expect(s.history.map((e) => e.kind)).toEqual(['placed', 'reassigning', 'reassigned']);
  expect(s.history[2]).toMatchObject({ sku, sourceIds: [to] });
  expect(s.notices.map((n) => n.kind)).toContain('delayed');
  // The queue says where it comes from, once the tablet has pulled the server's answer.
  await expect(card).toContainText('Coming from', { timeout: 15_000 });
  await expect(card.getByRole('button', { name: 'Mark ready' })).toBeVisible();
  await page.screenshot({ path: testInfo.outputPath('pickup-short-reassigned.png') });
  // The dialog's choices in Portuguese and Italian, then back.
  await page.getByRole('combobox', { name: 'Language' }).selectOption('pt-BR');
  await page.getByRole('listitem', { name: `Pedido ${number}, Rui Sousa` }).getByRole('button', { name: `Marcar em falta: ${name}` }).click();
  await expect(page.getByRole('dialog', { name: `Falta aqui: ${name}` }).getByRole('button', { name: 'Buscar em outro local' })).toBeVisible();
  await page.screenshot({ path: testInfo.outputPath('pickup-short-dialog-pt-BR.png') });
  await page.getByRole('button', { name: 'Agora não' }).click();
  await page.getByRole('combobox', { name: 'Idioma' }).selectOption('it');
  await page.getByRole('listitem', { name: `Ordine ${number}, Rui Sousa` }).getByRole('button', { name: `Segna mancante: ${name}` }).click();
  await expect(page.getByRole('dialog', { name: `Non basta qui: ${name}` }).getByRole('button', { name: 'Annulla la riga e rimborsa' })).toBeVisible();
  await page.screenshot({ path: testInfo.outputPath('pickup-short-dialog-it.png') });
  await page.getByRole('button', { name: 'Non ora' }).click();
  await expect(page.getByRole('dialog')).toHaveCount(0);
  await page.getByRole('combobox', { name: 'Lingua' }).selectOption('en');

  // The sourcing location holds a reservation for it, and the order is in its stream [M1].
  const there = await apiDevice('e2e reassign probe 2', baseUrl(), await enrollmentCode(to));
  const rows = await pullAll(there, `store:${to}`);
  expect(rows.some((c) => c.table === 'orders' && c.key === orderId)).toBe(true);
  const held = rows.filter((c) => c.table === 'stock' && c.row?.sku === sku).at(-1);
  expect(Number(held?.row?.reserved)).toBeGreaterThanOrEqual(1);

  // [OR3] The demo chain has it at another store: that store's tablet lists it under "To send".
  expect(to).toMatch(/^S/);
  const staff = rows.find((c) => c.table === 'associates' && c.row?.role === 'associate')!.row!;
  const other = await (await page.context().browser()!.newContext()).newPage();
  await other.goto(baseUrl() + '/');
  await other.getByLabel('Enrollment code').fill(await enrollmentCode(to));
  await other.getByLabel('Device name').fill('Sending tablet');
  await other.getByRole('button', { name: 'Enroll device' }).click();
  await other.getByRole('button', { name: staff.name as string }).click();
  await other.getByLabel('PIN').fill('1234');
  await other.getByRole('button', { name: 'Sign in' }).click();
  await other.getByRole('link', { name: 'Pickup', exact: true }).click();
  await other.getByRole('tab', { name: /To send/ }).click();
  const send = other.getByRole('listitem', { name: `Send for order ${number}, Rui Sousa` });
  await expect(send).toBeVisible({ timeout: 60_000 });
  await expect(send).toContainText('Send to Lisboa Chiado');
  await expect(send).toContainText(`1 × ${name}`);
  await other.screenshot({ path: testInfo.outputPath('pickup-to-send.png') });
  await other.context().close();
});
