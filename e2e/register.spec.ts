// A register shift run offline in Chromium [SH1]–[SH3]: open with a counted float typed the pt-BR way
// [MO1], cash in and out, X report, close with counted cash, Z report with over/short and its 80 mm
// print view; back online, the server holds each command once and its figures are the Z report's.
import { test, expect } from '@playwright/test';
import { apiDevice, enroll, pullAll, signIn, waitSynced } from './helpers';

const eur = (minor: number) => new Intl.NumberFormat('en', { style: 'currency', currency: 'EUR' }).format(minor / 100);

test('[SH1][SH2][SH3] an offline shift: open, cash in and out, X report, close, Z report; the server agrees to the cent', async ({ page, context }, testInfo) => {
  test.setTimeout(240_000); // two sign-ins (PBKDF2) and a first sync on a shared 2-core host
  await enroll(page, 'Register till');
  await signIn(page, 'Carlos', '2222');
  await waitSynced(page);
  const status = page.getByRole('status', { name: 'Sync status' });

  await context.setOffline(true);
  await expect(status).toContainText('Offline');
  await page.getByRole('link', { name: 'Register', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Register' })).toBeVisible();

  // [MO1] The float is typed the Brazilian way: "1.000,00" is a thousand.
  await page.getByLabel('Language').selectOption('pt-BR');
  await page.getByLabel('Fundo de troco').fill('1.000,00');
  await page.getByRole('button', { name: 'Abrir turno' }).click();
  await page.getByLabel('Idioma').selectOption('en');
  await expect(page.getByText(/Shift opened by Carlos/)).toBeVisible();

  // A second shift cannot be opened while this one is open: the form is gone.
  await expect(page.getByRole('button', { name: 'Open shift' })).toHaveCount(0);

  await page.getByLabel('Amount').fill('25.50');
  await page.getByLabel('Reason').selectOption({ label: 'Change top-up' });
  await page.getByRole('button', { name: 'Cash in' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Recorded' })).toContainText(`${eur(2550)} put in the drawer`);

  // Cash out with no reason is refused with a sentence; with one it is recorded.
  await page.getByLabel('Amount').fill('100');
  await page.getByRole('button', { name: 'Cash out' }).click();
  await expect(page.getByRole('alert')).toContainText('Choose a reason');
  await page.getByLabel('Reason').selectOption({ label: 'Safe drop' });
  await page.getByRole('button', { name: 'Cash out' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Recorded' })).toContainText(`${eur(10000)} taken out of the drawer`);

  await page.getByRole('button', { name: 'X report' }).click();
  const x = page.getByRole('article').filter({ has: page.getByRole('heading', { name: 'X report' }) });
  await expect(x.getByRole('row', { name: /Expected cash/ })).toContainText(eur(92550));
  await expect(x.getByRole('row', { name: /Cash put in/ })).toContainText(eur(2550));
  await expect(x.getByRole('row', { name: /Cash taken out/ })).toContainText(eur(10000));
  await page.screenshot({ path: testInfo.outputPath('register-x-report.png') });

  // [RO3] The cashier cannot close the register; a manager signs in (offline) and counts the drawer.
  await expect(page.getByText('Closing the register needs a manager')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Close shift' })).toHaveCount(0);
  await page.getByRole('button', { name: 'Sign out' }).click();
  await signIn(page, 'Marta', '1111');
  await page.getByRole('link', { name: 'Register', exact: true }).click();
  // The drawer holds 25.50 less than expected: beyond the 5.00 threshold, the manager is told.
  await page.getByLabel('Counted cash').fill('900');
  await page.getByRole('button', { name: 'Close shift' }).click();
  const z = page.getByRole('article').filter({ has: page.getByRole('heading', { name: 'Z report' }) });
  await expect(z).toBeVisible();
  await expect(z.getByRole('row', { name: /Over\/short/ })).toContainText(eur(-2550));
  await expect(z.getByRole('row', { name: /Counted/ })).toContainText(eur(90000));
  await expect(page.getByText(/beyond the store's limit/)).toBeVisible();
  await expect(status).toContainText('4 unsent');
  await page.screenshot({ path: testInfo.outputPath('register-z-report.png') });
  await page.emulateMedia({ media: 'print' });
  await page.screenshot({ path: testInfo.outputPath('register-z-report-print.png'), fullPage: true });
  expect(await z.evaluate((el) => getComputedStyle(el).width)).toMatch(/^27[0-9]/); // 72 mm ≈ 272 px
  await page.emulateMedia({ media: 'screen' });
  const shownZ = await z.getByRole('row').allInnerTexts();

  // Back online: each command reaches the server once, and a second sync adds nothing.
  await context.setOffline(false);
  await page.getByRole('button', { name: 'Sync now' }).click();
  await expect(status).toContainText('0 unsent');
  await page.getByRole('button', { name: 'Sync now' }).click();
  await expect(status).toContainText('0 unsent');

  const api = await apiDevice();
  const rows = await pullAll(api, 'store:S01');
  const shifts = rows.filter((c) => c.table === 'shifts' && (c.row?.closed as { counted?: number } | undefined)?.counted === 90000);
  expect(shifts).toHaveLength(1);
  const shift = shifts[0]!.row as {
    id: string;
    float: number;
    moves: { id: string; kind: string; amount: number; reason: string }[];
    closed: { counted: number; expected: number; overShort: number };
    totals: { sales: number };
  };
  expect(shift.float).toBe(100000);
  expect(shift.moves.map((m) => [m.kind, m.amount, m.reason])).toEqual([
    ['in', 2550, 'change-top-up'],
    ['out', 10000, 'safe-drop'],
  ]);
  expect(shift.closed).toEqual(expect.objectContaining({ counted: 90000, expected: 92550, overShort: -2550 }));
  // The figures the server computed are the ones the Z report showed, to the cent.
  expect(shownZ.find((r) => r.startsWith('Expected cash'))).toContain(eur(shift.closed.expected));
  expect(shownZ.find((r) => r.startsWith('Over/short'))).toContain(eur(shift.closed.overShort));
  expect(shownZ.find((r) => r.startsWith('Float'))).toContain(eur(shift.float));
  const exceptions = rows.filter((c) => c.table === 'exceptions' && (c.row?.details as { shiftId?: string } | undefined)?.shiftId === shift.id);
  expect(exceptions.map((c) => c.row?.kind)).toEqual(['cash-over-short']);
  const register = rows.find((c) => c.table === 'registers' && c.row?.lastShiftId === shift.id);
  expect(register?.row?.openShiftId).toBeUndefined();

  // After the pull, the tablet shows the server's row: the same Z report.
  await expect(z.getByRole('row', { name: /Over\/short/ })).toContainText(eur(-2550));
});
