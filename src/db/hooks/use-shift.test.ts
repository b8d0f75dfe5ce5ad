// Register shifts on the tablet [SH1][SH2]: the commands through dispatch on IndexedDB, and the loaders
// the register screen and the till read.
import { describe, it, expect } from 'vitest';
import { dispatch, type Allocators } from '../dispatch';
import { enrolledDb, testEnv } from '@/testing/factories';
import { loadOpenShift, loadRegister } from './use-shift';
import { xReport } from '@/core/register/shift-report';
import type { ShiftOpenPayload } from '@/core/register/shift-open';
import type { ShiftCashMovePayload } from '@/core/register/shift-cash-move';
import type { ShiftClosePayload } from '@/core/register/shift-close';
import type { SaleCompletePayload } from '@/core/sales/sale-complete';

const CARLOS = 'A-S01-CARLOS';
const MARTA = 'A-S01-MARTA';

const open = (float: number) => (a: Allocators): ShiftOpenPayload => ({ shiftId: a.newId(), storeId: 'S01', float });
const move = (shiftId: string, kind: 'in' | 'out', amount: number) => (a: Allocators): ShiftCashMovePayload => ({ shiftId, storeId: 'S01', moveId: a.newId(), kind, amount, reason: kind === 'in' ? 'change-top-up' : 'safe-drop' });
const cashSale = (shiftId: string | undefined, tendered: number) => (a: Allocators): SaleCompletePayload => ({
  saleId: a.newId(),
  storeId: 'S01',
  receiptNo: a.receiptNo(),
  currency: 'EUR',
  ...(shiftId ? { shiftId } : {}),
  lines: [{ sku: 'VT-1-BLK-M', qty: 1, unitPrice: 4999 }],
  tenders: [{ kind: 'cash', amount: tendered }],
});

async function openedShift() {
  const db = await enrolledDb({ onHand: 10 });
  const env = testEnv();
  const r = await dispatch(db, CARLOS, 'shift.open', open(10000), env);
  const shiftId = (r.command.payload as ShiftOpenPayload).shiftId;
  return { db, env, shiftId };
}

describe('register shifts on the tablet', () => {
  it('[SH1] opening a shift records the counted float and makes it the register\'s open shift', async () => {
    const { db, shiftId } = await openedShift();
    const shift = await loadOpenShift(db, 'dev-1');
    expect(shift).toMatchObject({ id: shiftId, status: 'open', float: 10000, deviceId: 'dev-1', currency: 'EUR', openedBy: CARLOS });
    expect((await loadRegister(db))?.open?.id).toBe(shiftId);
  });

  it('[SH1] a second shift cannot be opened on a register while one is open', async () => {
    const { db, env } = await openedShift();
    await expect(dispatch(db, CARLOS, 'shift.open', open(5000), env)).rejects.toMatchObject({ code: 'shift-already-open' });
    expect(await db.shifts.count()).toBe(1);
    expect(await db.outbox.count()).toBe(1);
  });

  it('[SH2] sales, cash in and cash out add up in the X report; change comes out of the cash', async () => {
    const { db, env, shiftId } = await openedShift();
    await dispatch(db, CARLOS, 'sale.complete', cashSale(shiftId, 5000), env); // 49.99, change 0.01
    await dispatch(db, CARLOS, 'shift.cash-move', move(shiftId, 'in', 2000), env);
    await dispatch(db, CARLOS, 'shift.cash-move', move(shiftId, 'out', 3000), env);
    const shift = (await loadOpenShift(db, 'dev-1'))!;
    expect((await db.sales.toArray())[0]?.shiftId).toBe(shiftId);
    expect(shift.moves.map((m) => [m.kind, m.amount, m.reason])).toEqual([
      ['in', 2000, 'change-top-up'],
      ['out', 3000, 'safe-drop'],
    ]);
    expect(xReport(shift.float, shift.totals)).toMatchObject({ sales: 1, byTender: { cash: 4999 }, change: 1, expectedCash: 10000 + 4999 + 2000 - 3000 });
  });

  it('[SH2] cash out beyond what the drawer should hold is refused with the amount it holds', async () => {
    const { db, env, shiftId } = await openedShift();
    await expect(dispatch(db, CARLOS, 'shift.cash-move', move(shiftId, 'out', 10001), env)).rejects.toThrow(/100\.00 EUR/);
  });

  it('[SH1] a sale naming no open shift of this register is refused before anything is written', async () => {
    const { db, env, shiftId } = await openedShift();
    await dispatch(db, MARTA, 'shift.close', { shiftId, storeId: 'S01', counted: 10000 }, env);
    await expect(dispatch(db, CARLOS, 'sale.complete', cashSale(shiftId, 5000), env)).rejects.toMatchObject({ code: 'shift-closed' });
    await expect(dispatch(db, CARLOS, 'sale.complete', cashSale('0190f5c4-0000-7000-8000-000000000000', 5000), env)).rejects.toMatchObject({ code: 'shift-not-open' });
    expect(await db.sales.count()).toBe(0);
  });

  it('[SH2] closing gives the Z figures and over/short, frees the register and raises cash-over-short above the threshold', async () => {
    const { db, env, shiftId } = await openedShift();
    await dispatch(db, CARLOS, 'sale.complete', cashSale(shiftId, 5000), env);
    const close: ShiftClosePayload = { shiftId, storeId: 'S01', counted: 14000, expected: 14999 };
    const r = await dispatch(db, MARTA, 'shift.close', close, env);
    expect(r.effects.summary).toMatchObject({ expectedCash: 14999, counted: 14000, overShort: -999 });
    expect(r.effects.exceptions.map((e) => e.kind)).toEqual(['cash-over-short']);
    expect(r.effects.exceptions[0]?.message).toContain('9.99 EUR short');
    const view = (await loadRegister(db))!;
    expect(view.open).toBeNull();
    expect(view.lastClosed?.closed).toMatchObject({ by: MARTA, counted: 14000, expected: 14999, overShort: -999 });
    // A new shift can be opened once the last one is closed.
    await dispatch(db, CARLOS, 'shift.open', open(10000), env);
    expect((await loadRegister(db))?.open?.float).toBe(10000);
  });

  it('[SH2] an over/short within the store\'s threshold raises nothing', async () => {
    const { db, env, shiftId } = await openedShift();
    const r = await dispatch(db, MARTA, 'shift.close', { shiftId, storeId: 'S01', counted: 9500 }, env);
    expect(r.effects.summary).toMatchObject({ overShort: -500 });
    expect(r.effects.exceptions).toEqual([]);
  });
});
