// Loyalty at the till [LO1]–[LO3]: two tablets, both offline, redeem the same points; both sales are
// applied, the server raises one `loyalty-overdraft`, and each receipt shows the new balance, pending
// until the server confirms.
import { test, expect, type Page, type BrowserContext } from '@playwright/test';
import { apiDevice, baseUrl, catalogVariants, enroll, ensureShift, pullAll, ringUp, signIn, waitForServiceWorker, waitSent, waitSynced, type Change } from './helpers';

async function syncNow(page: Page) {
  await page.getByRole('button', { name: 'Sync now' }).click();
  await expect(page.getByRole('status', { name: 'Sync status' })).toContainText('0 unsent');
}

/** An S01 item in stock (2+) priced at least `min` minor units: its barcode and EUR price. */
function itemAtLeast(store: readonly Change[], catalog: readonly Change[], min: number): { barcode: string; price: number } {
  const stocked = new Set(store.filter((c) => c.table === 'stock' && c.row && (c.row.onHand as number) - (c.row.reserved as number) >= 2).map((c) => c.row!.sku as string));
  const prices = new Map(catalog.flatMap((c) => (c.table === 'products' && c.row ? (c.row.variants as { sku: string; prices: { EUR?: number } }[]).map((v) => [v.sku, v.prices.EUR ?? 0] as const) : [])));
  const v = catalogVariants(catalog).find((x) => stocked.has(x.sku) && (prices.get(x.sku) ?? 0) >= min)!;
  return { barcode: v.barcode, price: prices.get(v.sku)! };
}

/** Rings up one item for the customer (found by e-mail), pays `points` with points and the rest in cash. */
async function redeemOffline(page: Page, barcode: string, email: string, name: string, points: number) {
  await ringUp(page, barcode);
  await page.getByRole('button', { name: 'Add customer' }).click();
  await page.getByRole('searchbox', { name: 'Search customers' }).fill(email);
  await page.getByRole('button', { name }).click();
  await page.getByRole('button', { name: 'Loyalty points' }).click();
  // [LO3] What may be redeemed here: the last known balance, nothing pending on this tablet yet.
  await expect(page.getByText(`Points available: ${points} (less 0 pending on this tablet)`)).toBeVisible();
  await page.getByLabel('Amount').fill((points / 100).toFixed(2));
  await page.getByRole('button', { name: 'Add payment' }).click();
  await page.getByRole('button', { name: 'Cash', exact: true }).click();
  await page.getByRole('button', { name: 'Add payment' }).click();
  await page.getByRole('button', { name: 'Complete sale' }).click();
  const receipt = page.getByRole('heading', { name: /^Receipt S01-T\d+-\d{6}$/ });
  await expect(receipt).toBeVisible();
  return (await receipt.textContent())!.replace('Receipt ', '');
}

test('[LO3] two offline tablets redeem the same points: both sales applied, one loyalty-overdraft; the receipts show the new balance [LO1]', async ({ browser }) => {
  const api = await apiDevice();
  const [customers, store, catalog] = await Promise.all([pullAll(api, 'customers'), pullAll(api, 'store:S01'), pullAll(api, 'catalog')]);
  // A customer with a few hundred points and a unique e-mail to find her by.
  const c = customers.find((x) => x.table === 'customers' && x.row && (x.row.points as number) >= 300 && (x.row.points as number) <= 2_000 && (x.row.email as string) !== '')!.row!;
  const points = c.points as number;
  const name = `${c.firstName as string} ${c.lastName as string}`;
  const item = itemAtLeast(store, catalog, points + 100);

  const contexts: BrowserContext[] = [await browser.newContext(), await browser.newContext()];
  const [a, b] = [await contexts[0]!.newPage(), await contexts[1]!.newPage()];
  for (const [p, till] of [[a, 'Points A'], [b, 'Points B']] as const) {
    await enroll(p, till);
    await signIn(p, 'Carlos', '2222');
    await waitSynced(p);
    await ensureShift(p);
    await waitSent(p);
  }

  for (const ctx of contexts) await ctx.setOffline(true);
  const receipts: string[] = [];
  for (const p of [a, b]) {
    receipts.push(await redeemOffline(p, item.barcode, c.email as string, name, points));
    const paper = p.getByRole('article', { name: 'Receipt' });
    // The receipt names the points redeemed, and the new balance with the points earned still pending.
    await expect(paper).toContainText(`Loyalty points (${points} points)`);
    await expect(paper).toContainText(/Points earned \d+ \(pending until confirmed\) · balance -?\d+/);
    await p.screenshot({ path: `test-results/loyalty-receipt-offline-${receipts.length}.png` });
  }

  // [LO3] A second redemption for her on A, still offline, is refused in words: her points are pending here.
  await a.getByRole('button', { name: 'New sale' }).click();
  await ringUp(a, item.barcode);
  await a.getByRole('button', { name: 'Add customer' }).click();
  await a.getByRole('searchbox', { name: 'Search customers' }).fill(c.email as string);
  await a.getByRole('button', { name }).click();
  await a.getByRole('button', { name: 'Loyalty points' }).click();
  await a.getByLabel('Amount').fill('1.00');
  await a.getByRole('button', { name: 'Add payment' }).click();
  await expect(a.getByRole('alert')).toContainText(`At most €0.00 (0 points) can be paid with points now: last known balance ${points}, minus ${points} redeemed on this tablet and not yet confirmed`);
  await a.screenshot({ path: 'test-results/loyalty-refused-offline.png' });

  // [LO1] On the profile, the points this sale earned show as pending.
  await a.getByRole('link', { name: 'Customers', exact: true }).click();
  await a.getByRole('searchbox', { name: 'Search customers' }).fill(c.email as string);
  await a.getByRole('link', { name }).click();
  await expect(a.getByText(/^\+\d+ points pending until the server confirms the sale$/)).toBeVisible();
  await expect(a.getByText(`${points} points redeemed on this tablet, not yet confirmed`)).toBeVisible();
  await a.screenshot({ path: 'test-results/loyalty-profile-pending.png' });

  for (const ctx of contexts) await ctx.setOffline(false);
  await syncNow(a);
  await syncNow(b);
  await syncNow(a);

  // Both sales applied; the server's balance is the sum of its ledger, here below zero; one overdraft.
  const after = await pullAll(api, 'store:S01');
  const sales = after.filter((x) => x.table === 'sales' && x.row && receipts.includes(x.row.receiptNo as string)).map((x) => x.row!);
  expect(sales.map((s) => s.receiptNo).sort()).toEqual([...receipts].sort());
  const overdrafts = after.filter((x) => x.table === 'exceptions' && x.row?.kind === 'loyalty-overdraft' && (x.row.details as { customerId?: string }).customerId === c.id);
  expect(overdrafts).toHaveLength(1);
  const earned = sales.reduce((n, s) => n + (s.pointsEarned as number), 0);
  const row = (await pullAll(api, 'customers')).filter((x) => x.table === 'customers' && x.key === c.id).pop()!.row!;
  expect(row.points).toBe(points - 2 * points + earned);

  // Once confirmed, the profile shows nothing pending and the server's balance.
  await expect(a.getByText(/points pending until the server confirms/)).toHaveCount(0);
  await expect(a.getByText(`Points: ${row.points as number}`)).toBeVisible();
  for (const ctx of contexts) await ctx.close();
});

async function openProfile(page: Page, email: string, name: string) {
  await page.getByRole('link', { name: 'Customers', exact: true }).click();
  await page.getByRole('searchbox', { name: 'Search customers' }).fill(email);
  await page.getByRole('link', { name }).click();
  await expect(page.getByRole('heading', { name, level: 1 })).toBeVisible();
}

test('[CL6] a manager erases a customer with a manager\'s PIN, the admin API erases another: both profiles leave the other tablet at its next pull', async ({ browser }) => {
  const api = await apiDevice();
  const rows = (await pullAll(api, 'customers')).filter((x) => x.table === 'customers' && x.row && (x.row.email as string) !== '');
  // Two customers nobody else in the specs uses (from the end of the list), each with a unique e-mail.
  const [first, second] = [rows[rows.length - 1]!.row!, rows[rows.length - 2]!.row!];
  const nameOf = (c: Record<string, unknown>) => `${c.firstName as string} ${c.lastName as string}`;

  const contexts: BrowserContext[] = [await browser.newContext(), await browser.newContext()];
  const [a, b] = [await contexts[0]!.newPage(), await contexts[1]!.newPage()];
  await enroll(a, 'Erase A');
  await signIn(a, 'Marta', '1111');
  await enroll(b, 'Erase B');
  await signIn(b, 'Carlos', '2222');
  for (const p of [a, b]) await waitSynced(p);
  await openProfile(b, first.email as string, nameOf(first));

  // The manager asks; a manager's PIN approves erasing exactly this customer.
  await openProfile(a, first.email as string, nameOf(first));
  await a.getByRole('button', { name: 'Erase customer' }).click();
  const confirm = a.getByRole('dialog', { name: 'Erase customer' });
  await expect(confirm).toContainText(`Erase ${nameOf(first)} at their request?`);
  await a.screenshot({ path: 'test-results/erase-confirm.png' });
  await confirm.getByRole('button', { name: 'Erase with a manager\'s approval' }).click();
  const approval = a.getByRole('dialog', { name: 'Manager approval' });
  await approval.getByRole('textbox', { name: 'Manager PIN' }).fill('1111');
  await approval.getByRole('button', { name: 'Approve' }).click();
  // Online, the erasure goes to the server at once and comes back with the next pull.
  await syncNow(a);
  await expect(a.getByText('This customer\'s data was erased at their request.')).toBeVisible();

  // The admin API erases the second one.
  const admin = await fetch(`${baseUrl()}/api/v1/admin/customers/${encodeURIComponent(second.id as string)}/erase`, { method: 'POST', headers: { authorization: 'Bearer demo-admin-token' } });
  expect(admin.status).toBe(200);

  // At B's next pull (a poke starts it when online, or "Sync now") the profile is gone, and neither can be found.
  await syncNow(b);
  await expect(b.getByText('This customer\'s data was erased at their request.')).toBeVisible();
  await b.screenshot({ path: 'test-results/erased-on-b.png' });
  for (const c of [first, second]) {
    await b.getByRole('link', { name: 'Customers', exact: true }).click();
    await b.getByRole('searchbox', { name: 'Search customers' }).fill(c.email as string);
    await expect(b.getByText('No customer matches')).toBeVisible();
  }
  // The server keeps nothing personal on the customers stream.
  const after = JSON.stringify((await pullAll(api, 'customers')).filter((x) => x.row));
  for (const c of [first, second]) expect(after).not.toContain(c.email as string);
  for (const ctx of contexts) await ctx.close();
});

test('[CL4] a manager merges two profiles; a sale rung offline on another tablet naming the merged-away one credits the survivor [LO2]', async ({ browser }) => {
  const api = await apiDevice();
  const [customers, store, catalog] = await Promise.all([pullAll(api, 'customers'), pullAll(api, 'store:S01'), pullAll(api, 'catalog')]);
  const rows = customers.filter((x) => x.table === 'customers' && x.row && (x.row.email as string) !== '');
  // Two profiles no other spec uses.
  const [keep, dup] = [rows[rows.length - 5]!.row!, rows[rows.length - 6]!.row!];
  const nameOf = (c: Record<string, unknown>) => `${c.firstName as string} ${c.lastName as string}`;
  const item = itemAtLeast(store, catalog, 1_000);

  const contexts: BrowserContext[] = [await browser.newContext(), await browser.newContext()];
  const [a, b] = [await contexts[0]!.newPage(), await contexts[1]!.newPage()];
  await enroll(a, 'Merge A');
  await signIn(a, 'Marta', '1111');
  await enroll(b, 'Merge B');
  await signIn(b, 'Carlos', '2222');
  for (const p of [a, b]) await waitSynced(p);
  await ensureShift(b);
  await waitSent(b);

  // B goes offline still knowing the duplicate; A merges it into the survivor.
  await contexts[1]!.setOffline(true);
  await openProfile(a, keep.email as string, nameOf(keep));
  await a.getByRole('button', { name: 'Merge', exact: true }).click();
  await a.getByLabel('Customer to merge').fill(dup.email as string);
  await a.getByRole('button', { name: `Merge ${nameOf(dup)}` }).click();
  await a.getByRole('button', { name: 'Confirm merge' }).click();
  await syncNow(a);

  // B sells to the duplicate offline.
  await ringUp(b, item.barcode);
  await b.getByRole('button', { name: 'Add customer' }).click();
  await b.getByRole('searchbox', { name: 'Search customers' }).fill(dup.email as string);
  await b.getByRole('button', { name: nameOf(dup) }).click();
  await b.getByRole('button', { name: 'Complete sale' }).click();
  const heading = b.getByRole('heading', { name: /^Receipt S01-T\d+-\d{6}$/ });
  await expect(heading).toBeVisible();
  const receiptNo = (await heading.textContent())!.replace('Receipt ', '');
  await contexts[1]!.setOffline(false);
  await syncNow(b);

  // The server credited the survivor: its points are the sum of both ledgers and what the sale earned.
  const sale = (await pullAll(api, 'store:S01')).find((x) => x.table === 'sales' && x.row?.receiptNo === receiptNo)!.row!;
  expect(sale.customerId).toBe(keep.id);
  const after = await pullAll(api, 'customers');
  const survivor = after.filter((x) => x.table === 'customers' && x.key === keep.id).pop()!.row!;
  expect(survivor.points).toBe((keep.points as number) + (dup.points as number) + (sale.pointsEarned as number));
  expect(after.filter((x) => x.table === 'customers' && x.key === dup.id).pop()!.row).toBeUndefined();
  // On B the duplicate is gone; the survivor's history shows the sale.
  await openProfile(b, keep.email as string, nameOf(keep));
  await expect(b.getByRole('region', { name: 'Purchase history' })).toContainText(receiptNo);
  await expect(b.getByText(`Points: ${survivor.points as number}`)).toBeVisible();
  for (const ctx of contexts) await ctx.close();
});

test('[LO2] an associate adjusts a customer\'s points offline with a reason and a manager\'s PIN; after sync the server and the other tablet show the balance and the history entry', async ({ browser }) => {
  const api = await apiDevice();
  const rows = (await pullAll(api, 'customers')).filter((x) => x.table === 'customers' && x.row && (x.row.email as string) !== '' && (x.row.points as number) >= 100);
  // A profile no other spec uses.
  const c = rows[rows.length - 9]!.row!;
  const name = `${c.firstName as string} ${c.lastName as string}`;
  const points = c.points as number;
  const expiring = c.pointsExpiring as { points: number; on: string };

  const contexts: BrowserContext[] = [await browser.newContext({ viewport: { width: 1180, height: 820 } }), await browser.newContext({ viewport: { width: 1180, height: 820 } })];
  const [a, b] = [await contexts[0]!.newPage(), await contexts[1]!.newPage()];
  await enroll(a, 'Adjust A');
  await signIn(a, 'Ana', '3333');
  await enroll(b, 'Adjust B');
  await signIn(b, 'Carlos', '2222');
  for (const p of [a, b]) await waitSynced(p);
  await waitForServiceWorker(a);

  // Offline, after a reload: the profile says what expires next, ahead of time.
  await contexts[0]!.setOffline(true);
  await a.reload();
  await expect(a.getByRole('status', { name: 'Sync status' })).toContainText('Offline');
  await openProfile(a, c.email as string, name);
  const section = a.getByRole('region', { name: 'Points', exact: true });
  const day = new Date(`${expiring.on}T12:00:00Z`).toLocaleDateString('en', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });
  await expect(section).toContainText(`${expiring.points.toLocaleString('en')} points expire on ${day}`);
  await expect(section).toContainText('No adjustments or expiries yet.');

  // Taking more than the balance is refused in words, before any approval.
  await section.getByRole('button', { name: 'Adjust points' }).click();
  const dialog = a.getByRole('dialog', { name: 'Adjust points' });
  await dialog.getByRole('button', { name: 'Take points' }).click();
  await dialog.getByLabel(/^Points/).fill(String(points + 1));
  await dialog.getByLabel('Reason').selectOption({ label: 'Correction of a mistake' });
  await dialog.getByRole('button', { name: 'Ask a manager to approve' }).click();
  await expect(dialog.getByRole('alert')).toHaveText(`${name} has ${points.toLocaleString('en')} points: take at most ${points.toLocaleString('en')}, so the balance never goes below zero.`);

  // Adding 750 for a service failure, with a note; the manager types her PIN on this tablet.
  await dialog.getByRole('button', { name: 'Add points' }).click();
  await dialog.getByLabel(/^Points/).fill('750');
  await dialog.getByLabel('Reason').selectOption({ label: 'Service failure' });
  await dialog.getByLabel('Note (optional)').fill('Order arrived two weeks late');
  await expect(dialog.getByRole('alert')).toHaveCount(0);
  await a.screenshot({ path: 'test-results/points-adjust-dialog.png' });
  await dialog.getByRole('button', { name: 'Ask a manager to approve' }).click();
  const approval = a.getByRole('dialog', { name: 'Manager approval' });
  await expect(approval).toContainText(`Adding 750 points to ${name} (Service failure) needs a manager's PIN.`);
  await approval.getByRole('textbox', { name: 'Manager PIN' }).fill('1111');
  await approval.getByRole('button', { name: 'Approve' }).click();
  const after = points + 750;
  await expect(section.getByRole('status')).toHaveText(`Points adjusted: the balance is now ${after.toLocaleString('en')}.`);
  await expect(a.getByText(`Points: ${after}`)).toBeVisible();
  await expect(section).toContainText('+750 points · Service failure');
  await expect(section).toContainText('“Order arrived two weeks late”');
  await expect(section).toContainText(/By Ana.*, approved by Marta/);
  await section.scrollIntoViewIfNeeded();
  await a.screenshot({ path: 'test-results/points-section-offline.png' });

  // Online again: the server applies it after checking the manager's approval.
  await contexts[0]!.setOffline(false);
  await syncNow(a);
  const server = await pullAll(api, 'customers');
  const row = server.filter((x) => x.table === 'customers' && x.key === c.id).pop()!.row!;
  expect(row.points).toBe(after);
  const history = server.filter((x) => x.table === 'history' && x.key === c.id).pop()!.row!;
  expect((history.points as Record<string, unknown>[])[0]).toMatchObject({ kind: 'adjust', points: 750, reason: 'service-failure', note: 'Order arrived two weeks late', approvedByName: expect.stringMatching(/^Marta/) });

  // The other tablet shows the balance and who, when and why.
  await syncNow(b);
  await openProfile(b, c.email as string, name);
  await expect(b.getByText(`Points: ${after}`)).toBeVisible();
  const onB = b.getByRole('region', { name: 'Points', exact: true });
  await expect(onB).toContainText('+750 points · Service failure');
  await expect(onB).toContainText(/By Ana.*, approved by Marta/);
  // The server's ledger says what expires next (the points added today join this month's lot).
  const next = row.pointsExpiring as { points: number; on: string };
  await expect(onB).toContainText(`${next.points.toLocaleString('en')} points expire on ${new Date(`${next.on}T12:00:00Z`).toLocaleDateString('en', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' })}`);
  await onB.scrollIntoViewIfNeeded();
  await b.screenshot({ path: 'test-results/points-section-on-b.png' });
  for (const ctx of contexts) await ctx.close();
});
