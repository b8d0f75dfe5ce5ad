// [P5][SH1] A shift opened online, whose push is answered just before the connection drops, stays
// open: the answer alone no longer makes a rebase put back the kept server copy of the `registers`
// row (none yet); that rebase waits for a completed pull, which brings the server's row. Before, the
// cashier saw "No shift is open" and could not take cash until the next pull.
import { test, expect } from '@playwright/test';
import { enroll, ensureShift, signIn, waitSent, waitSynced } from './helpers';

test('[SH1][P5] a shift opened just before the connection drops stays open on the till', async ({ page, context }) => {
  await enroll(page, 'Race till');
  await signIn(page, 'Carlos', '2222');
  await waitSynced(page);
  // Fail every pull, so the push's answer arrives and the pull that follows it does not.
  await page.route('**/api/v1/sync/pull**', (r) => r.abort('internetdisconnected'));
  await ensureShift(page);
  await waitSent(page);
  await context.setOffline(true);
  await page.getByRole('link', { name: 'Products', exact: true }).click();
  await page.getByRole('link', { name: 'Register', exact: true }).click();
  await expect(page.getByText(/^Shift opened by /)).toBeVisible({ timeout: 5_000 });
});
