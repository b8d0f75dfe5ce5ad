// A known gap found while writing the offline-day spec (reported to the integrator, not fixed in the
// ordering branch): a shift opened online, whose push is answered just before the connection drops,
// disappears from the till until the next pull. The answer makes a rebase put back the kept server
// copy of the `registers` row (none yet), while the pull that would bring the server's row fails
// offline; the cashier then sees "No shift is open" and cannot take cash. Expected to fail until the
// sync core keeps acknowledged effects until the pull brings their rows [P5][SH1].
import { test, expect } from '@playwright/test';
import { enroll, ensureShift, signIn, waitSent, waitSynced } from './helpers';

test('[SH1][P5] a shift opened just before the connection drops stays open on the till', async ({ page, context }) => {
  test.fail(true, 'known gap: an acknowledged shift.open loses its registers row until the next pull');
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
