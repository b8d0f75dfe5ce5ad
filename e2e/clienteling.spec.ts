// Clienteling across two tablets [CL1][CL3]: a profile created offline on A, its phone edited offline
// on B and its e-mail on A, keeps both edits everywhere after reconnecting; a note written offline
// on A reaches B; a web order shows in its customer's purchase history.
import { test, expect, type Page, type BrowserContext } from '@playwright/test';
import { apiDevice, enroll, pullAll, signIn, waitSynced } from './helpers';

async function syncNow(page: Page) {
  await page.getByRole('button', { name: 'Sync now' }).click();
  await expect(page.getByRole('status', { name: 'Sync status' })).toContainText('0 unsent');
}

async function openCustomer(page: Page, query: string, name: string) {
  await page.getByRole('link', { name: 'Customers', exact: true }).click();
  await page.getByRole('searchbox', { name: 'Search customers' }).fill(query);
  await page.getByRole('link', { name }).click();
  await expect(page.getByRole('heading', { name, level: 1 })).toBeVisible();
}

async function edit(page: Page, field: 'Email' | 'Phone', value: string) {
  await page.getByRole('button', { name: 'Edit profile' }).click();
  await page.getByLabel(field, { exact: true }).fill(value);
  await page.getByRole('button', { name: 'Save customer' }).click();
  await expect(page.getByRole('button', { name: 'Edit profile' })).toBeVisible();
}

test('[CL3] offline edits on two tablets both survive; a note from A reaches B [CL1]', async ({ browser }) => {
  const contexts: BrowserContext[] = [await browser.newContext(), await browser.newContext()];
  const [a, b] = [await contexts[0]!.newPage(), await contexts[1]!.newPage()];
  for (const [p, name] of [[a, 'Clienteling A'], [b, 'Clienteling B']] as const) {
    await enroll(p, name);
    await signIn(p, 'Ana', '3333');
    await waitSynced(p);
  }

  // A creates the customer offline; she reaches B once A has pushed and B has pulled.
  await contexts[0]!.setOffline(true);
  await a.getByRole('link', { name: 'Customers', exact: true }).click();
  await a.getByRole('button', { name: 'New customer' }).click();
  await a.getByLabel('First name').fill('Beatriz');
  await a.getByLabel('Last name').fill('Magalhães');
  await a.getByLabel('Email').fill('beatriz.m@example.pt');
  await a.getByLabel('Phone').fill('912 555 010');
  await a.getByLabel('Marketing e-mail').check();
  await a.getByRole('button', { name: 'Save customer' }).click();
  await expect(a.getByRole('heading', { name: 'Beatriz Magalhães', level: 1 })).toBeVisible();
  await expect(a.getByText('+351 912 555 010')).toBeVisible();
  await expect(a.getByLabel('Marketing e-mail')).toBeChecked();
  await contexts[0]!.setOffline(false);
  await syncNow(a);
  await syncNow(b);
  await openCustomer(b, 'magalhaes bea', 'Beatriz Magalhães');

  // Both offline: B edits the phone, A the e-mail, and A writes a note.
  await contexts[0]!.setOffline(true);
  await contexts[1]!.setOffline(true);
  await edit(b, 'Phone', '+351 913 777 020');
  await expect(b.getByText('+351 913 777 020')).toBeVisible();
  await edit(a, 'Email', 'bia.magalhaes@example.pt');
  await expect(a.getByText('bia.magalhaes@example.pt')).toBeVisible();
  await a.getByLabel('Note', { exact: true }).fill('Getting married in June; likes linen');
  await a.getByRole('button', { name: 'Add note' }).click();
  await expect(a.getByText('Getting married in June; likes linen')).toBeVisible();

  // Reconnect: A, then B, then A again, so each has pulled the other's edit.
  await contexts[0]!.setOffline(false);
  await contexts[1]!.setOffline(false);
  await syncNow(a);
  await syncNow(b);
  await syncNow(a);
  for (const p of [a, b]) {
    await expect(p.getByText('bia.magalhaes@example.pt')).toBeVisible();
    await expect(p.getByText('+351 913 777 020')).toBeVisible();
    await expect(p.getByLabel('Marketing e-mail')).toBeChecked();
  }
  await expect(b.getByText('Getting married in June; likes linen')).toBeVisible();
  await expect(b.getByText(/^Ana, /)).toBeVisible();
  for (const c of contexts) await c.close();
});

test('[CL1] a web order shows in its customer\'s purchase history, with its lines, offline', async ({ page, context }) => {
  const api = await apiDevice();
  const orders = await pullAll(api, 'store:S01');
  const order = orders.find((c) => c.table === 'orders' && c.row?.number === 'W100001')!.row!;
  const name = order.customerName as string;
  // By e-mail, which is unique: the small e2e chain may have two customers of the same name.
  const customer = (await pullAll(api, 'customers')).find((c) => c.table === 'customers' && c.key === order.customerId)!.row!;
  await enroll(page, 'History');
  await signIn(page, 'Ana', '3333');
  await waitSynced(page);
  await context.setOffline(true);
  await openCustomer(page, customer.email as string, name);
  const history = page.getByRole('region', { name: 'Purchase history' });
  await expect(history).toContainText('W100001');
  await history.getByText('W100001').click();
  const first = (order.lines as { name: string; qty: number }[])[0]!;
  await expect(history.getByText(`${first.qty} × ${first.name}`)).toBeVisible();
  await expect(page.getByRole('region', { name: 'Suggestions' })).toBeVisible();
  await expect(page.getByRole('region', { name: 'Wishlist' })).toBeVisible();
});

test('[CL4] a manager merges two profiles: points and purchases move to the survivor, the other leaves the tablet', async ({ page }) => {
  const api = await apiDevice();
  const rows = (await pullAll(api, 'customers')).filter((c) => c.row);
  const histories = new Map(rows.filter((c) => c.table === 'history').map((c) => [c.key, c.row!.entries as { number: string }[]]));
  const people = rows.filter((c) => c.table === 'customers' && (c.row!.email as string) !== '' && histories.has(c.key));
  const [keep, dup] = [people[3]!.row!, people[4]!.row!];
  const keepName = `${keep.firstName as string} ${keep.lastName as string}`;
  const dupName = `${dup.firstName as string} ${dup.lastName as string}`;
  await enroll(page, 'Merge');
  await signIn(page, 'Marta', '1111');
  await waitSynced(page);
  await openCustomer(page, keep.email as string, keepName);
  await page.getByRole('button', { name: 'Merge', exact: true }).click();
  await page.getByLabel('Customer to merge').fill(dup.email as string);
  await page.getByRole('button', { name: `Merge ${dupName}` }).click();
  await page.getByRole('button', { name: 'Confirm merge' }).click();
  await expect(page.getByText(`Points: ${(keep.points as number) + (dup.points as number)}`)).toBeVisible();
  const history = page.getByRole('region', { name: 'Purchase history' });
  for (const e of histories.get(dup.id as string)!) await expect(history).toContainText(e.number);
  await syncNow(page);
  // The merged profile left this tablet; its address leads to the survivor.
  await page.goto(page.url().replace(/\/customers\/.*$/, `/customers/${encodeURIComponent(dup.id as string)}`));
  await expect(page.getByRole('heading', { name: keepName, level: 1 })).toBeVisible();
  await page.getByRole('link', { name: 'Customers', exact: true }).click();
  await page.getByRole('searchbox', { name: 'Search customers' }).fill(dup.email as string);
  await expect(page.getByText(`No customer matches`)).toBeVisible();
});
