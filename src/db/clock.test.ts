// [D8] HLC receive on pull: every clock in a pulled page is merged into the device clock in the page's
// own transaction, so the tablet's next command sorts after what it has seen; a clock from far in
// the future moves it no further than MAX_CLOCK_LEAD_MS ahead of server time.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { applyPulledPage, latestClock, MAX_CLOCK_LEAD_MS } from './sync-store';
import { dispatch } from './dispatch';
import { getDevice } from './device';
import { enrolledDb, testEnv } from '@/testing/factories';
import { customerUpdate } from '@/core/customers/customer-update';
import { decodeHlc, encodeHlc, type Hlc } from '@/core/shared/hlc';

const T = 1_700_000_000_000;
const hlc = (wall: number, counter = 0, node = 'T09.abcdef') => encodeHlc({ wall, counter, node });
const customer = (id: string, clock: Record<string, Hlc>) => ({ id, firstName: 'Rita', lastName: '', email: '', phone: '', birthday: '', tier: '', clock, points: 0, credit: 0 });

describe('[D8] clocks in pulled rows', () => {
  it('[D8] finds the latest clock among rows\' `at`s and per-field clocks', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 1e12 }), fc.integer({ min: 0, max: 99 }), fc.boolean()), { minLength: 1, maxLength: 20 }), (xs) => {
        const rows = xs.map(([w, c, nested]) => (nested ? { id: 'x', clock: { phone: hlc(w, c) } } : { id: 'y', at: hlc(w, c), total: 5 }));
        const expected = xs.map(([w, c]) => hlc(w, c)).sort().at(-1);
        expect(latestClock(rows)).toBe(expected);
      }),
    );
  });

  it('[D8] a pulled edit moves the device clock: the next local edit sorts after it, however slow this tablet is', async () => {
    const db = await enrolledDb();
    const seen = hlc(T + 5 * 60_000, 3);
    await applyPulledPage(db, { stream: 'customers', changes: [{ table: 'customers', key: 'C1', version: 2, row: customer('C1', { phone: seen }) }], version: 2, more: false, total: 1 }, T);
    expect(encodeHlc((await getDevice(db))!.hlc) >= seen).toBe(true);
    // This tablet's own clock says T (5 minutes behind what it saw).
    const r = await dispatch(db, 'A-S01-MARTA', customerUpdate, { customerId: 'C1', changes: { phone: '+351 910 000 002' } }, testEnv(T - 1000));
    expect(r.command.at > seen).toBe(true);
    expect((await db.customers.get('C1'))?.phone).toBe('+351 910 000 002');
  });

  it('[D8] a clock from far in the future moves this tablet\'s clock only up to the bound', async () => {
    const db = await enrolledDb();
    const year = 365 * 86_400_000;
    await applyPulledPage(db, { stream: 'store:S01', changes: [{ table: 'sales', key: 'X', version: 3, row: { id: 'X', at: hlc(T + year) } }], version: 3, more: false, total: 1 }, T);
    expect(decodeHlc(encodeHlc((await getDevice(db))!.hlc)).wall).toBe(T + MAX_CLOCK_LEAD_MS);
  });

  it('[D8] an older clock leaves the device clock as it is', async () => {
    const db = await enrolledDb();
    await dispatch(db, 'A-S01-MARTA', customerUpdate, { customerId: 'C1', changes: { phone: '+351 910 000 002' } }, testEnv(T));
    const before = (await getDevice(db))!.hlc;
    await applyPulledPage(db, { stream: 'store:S01', changes: [{ table: 'sales', key: 'X', version: 3, row: { id: 'X', at: hlc(T - 60_000, 7) } }], version: 3, more: false, total: 1 }, T);
    expect((await getDevice(db))!.hlc).toEqual(before);
  });
});
