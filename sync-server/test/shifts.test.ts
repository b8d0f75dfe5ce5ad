// Register shifts end to end, on SQLite and PostgreSQL: a real tablet (dispatch on IndexedDB) runs a
// shift offline, pushes it, and the server's figures equal the tablet's Z report to the cent [SH3];
// what happened is applied and mismatches go to the manager [C5][SH1][SH2].
import { describe, it, expect } from 'vitest';
import { randomUUID } from 'node:crypto';
import { backends } from './helpers/stores';
import { seededApp } from './helpers/fixture';
import { TestTablet, enroll, sellable, CARLOS, MARTA } from './helpers/client';
import { createTestApp as createApp } from './helpers/client';
import type { EnrollResponse, PullResponse, PushResponse } from '../../src/core/sync/protocol';
import type { ExceptionRow, SaleRow, ShiftRow } from '../../src/core/model';
import { totalsOf, zReport, type ShiftEvent, type ZReport } from '../../src/core/register/shift-report';
import type { Minor } from '../../src/core/shared/brand';
import { VitrineDb } from '../../src/db/schema';
import { saveEnrollment } from '../../src/db/device';
import { dispatch, type Allocators } from '../../src/db/dispatch';
import { acknowledge, applyPulledPage, pendingCommands, rebase, localChecksum } from '../../src/db/sync-store';
import { loadRegister } from '../../src/db/hooks/use-shift';
import type { SaleCompletePayload } from '../../src/core/sales/sale-complete';
import type { ShiftOpenPayload } from '../../src/core/register/shift-open';
import { testEnv } from '../../src/testing/factories';
import { saleComplete } from '../../src/core/sales/sale-complete';
import { shiftCashMove } from '../../src/core/register/shift-cash-move';
import { shiftClose } from '../../src/core/register/shift-close';
import { shiftOpen } from '../../src/core/register/shift-open';

for (const backend of backends) {
  describe.skipIf(backend.skip)(backend.name, () => {
    const fx = seededApp(backend, (store) => createApp({ store, rollupIntervalMs: 0 }));

    /** A real tablet: enrolled over HTTP, its IndexedDB filled by pulling every stream it may read. */
    async function realTablet(name: string) {
      const enrollment = (await enroll(fx.app, 'DEMO-S01', name)).json<EnrollResponse>();
      const local = new VitrineDb(`shifts-${backend.name}-${randomUUID()}`);
      await saveEnrollment(local, enrollment, 1);
      const http = new TestTablet(fx.app, enrollment);
      const pull = async () => {
        for (const stream of enrollment.streams) {
          const page = (await http.pull(stream, (await local.cursors.get(stream))?.version ?? 0, 5000)).json<PullResponse>();
          await applyPulledPage(local, page, 1);
        }
      };
      await pull();
      return { local, http, enrollment, pull };
    }

    /** The server's own figures for a shift, from the sales rows it holds with that shift id and the shift's cash moves. */
    async function serverFigures(shiftId: string, counted: number): Promise<ZReport> {
      const rows = (await fx.db.store.pull('store:S01', 0, 5000)).changes.flatMap((c) => ('row' in c ? [c] : []));
      const shift = rows.find((c) => c.table === 'shifts' && c.key === shiftId)!.row as ShiftRow;
      const sales = rows.filter((c) => c.table === 'sales' && (c.row as SaleRow).shiftId === shiftId).map((c) => c.row as SaleRow);
      const events: ShiftEvent[] = [...sales.map((s): ShiftEvent => ({ kind: 'sale', tenders: s.tenders, change: s.change })), ...shift.moves.map((m): ShiftEvent => (m.kind === 'in' ? { kind: 'in', amount: m.amount } : { kind: 'out', amount: m.amount }))];
      return zReport(shift.float, totalsOf(events), counted as Minor);
    }

    it('[SH3] a shift run offline on a tablet: the server has each command once and its figures equal the Z report to the cent', async () => {
      const { local, http } = await realTablet('Shift till');
      const env = testEnv();
      const [a, b] = sellable(fx.chain, 2);
      const sale = (shiftId: string, lines: { sku: string; unitPrice: number; qty: number }[], tenders: SaleCompletePayload['tenders']) => (al: Allocators): SaleCompletePayload => ({
        saleId: al.newId(),
        storeId: 'S01',
        receiptNo: al.receiptNo(),
        currency: 'EUR',
        shiftId,
        lines: lines.map((l) => ({ sku: l.sku, qty: l.qty, unitPrice: l.unitPrice })),
        tenders,
      });
      const opened = await dispatch(local, CARLOS, shiftOpen, (al: Allocators): ShiftOpenPayload => ({ shiftId: al.newId(), storeId: 'S01', float: 15000 }), env);
      const shiftId = (opened.command.payload as ShiftOpenPayload).shiftId;
      const priceA = a!.unitPrice;
      const priceB = b!.unitPrice;
      // Cash with change; card and cash split; card only; then cash in and out.
      await dispatch(local, CARLOS, saleComplete, sale(shiftId, [{ sku: a!.stock.sku, unitPrice: priceA, qty: 1 }], [{ kind: 'cash', amount: priceA + 1234 }]), env);
      await dispatch(local, CARLOS, saleComplete, sale(shiftId, [{ sku: b!.stock.sku, unitPrice: priceB, qty: 1 }], [{ kind: 'card', amount: priceB - 1000 }, { kind: 'cash', amount: 2000 }]), env);
      await dispatch(local, CARLOS, saleComplete, sale(shiftId, [{ sku: a!.stock.sku, unitPrice: priceA, qty: 1 }], [{ kind: 'card', amount: priceA }]), env);
      await dispatch(local, CARLOS, shiftCashMove, (al: Allocators) => ({ shiftId, storeId: 'S01', moveId: al.newId(), kind: 'in', amount: 5000, reason: 'change-top-up' }), env);
      await dispatch(local, CARLOS, shiftCashMove, (al: Allocators) => ({ shiftId, storeId: 'S01', moveId: al.newId(), kind: 'out', amount: 7777, reason: 'safe-drop' }), env);
      const closed = await dispatch(local, MARTA, shiftClose, { shiftId, storeId: 'S01', counted: 15000 + priceA + 1000 + 5000 - 7777 - 3, expected: 15000 + priceA + 1000 + 5000 - 7777 }, env);
      const tabletZ = closed.effects.summary as unknown as ZReport & { shiftId: string };
      expect(tabletZ).toMatchObject({ sales: 3, expectedCash: 15000 + priceA + 1000 + 5000 - 7777, overShort: -3, byTender: { card: priceB - 1000 + priceA } });

      const commands = await pendingCommands(local, 500);
      const res = await http.pushOk(commands);
      expect(res.results.map((r) => r.status)).toEqual(commands.map(() => 'applied'));
      await acknowledge(local, res.results, 2);
      // A lost answer and a retry: every command is a duplicate, nothing counts twice.
      const again = await http.pushOk(commands);
      expect(again.results.map((r) => r.status)).toEqual(commands.map(() => 'duplicate'));

      const { shiftId: _id, ...z } = tabletZ;
      void _id;
      // The server's close computed the same Z report (its push result and the row it publishes)...
      expect((res.results.at(-1) as { summary: unknown }).summary).toEqual(tabletZ);
      const row = (await fx.db.store.getRow('shifts', shiftId)) as ShiftRow;
      expect(row.closed).toMatchObject({ counted: z.counted, expected: z.expectedCash, overShort: z.overShort });
      // ...and its figures recomputed from the sales it holds with this shift id agree to the cent.
      expect(await serverFigures(shiftId, z.counted)).toEqual(z);
      // No exception: within the threshold, and the tablet's expected cash matched the server's.
      const exceptions = (await fx.db.store.pull('store:S01', 0, 5000)).changes.filter((c) => c.table === 'exceptions' && 'row' in c && (c.row as ExceptionRow).details.shiftId === shiftId);
      expect(exceptions).toEqual([]);
    });

    it('[P5][SH3] an answer lost after the server applied the shift: the tablet rebases onto the server\'s rows and shows the same Z report', async () => {
      const { local, http, pull } = await realTablet('Lost answer till');
      const env = testEnv(1_700_000_500_000); // its own ids: testEnv's randomness repeats
      const [a] = sellable(fx.chain, 1);
      const opened = await dispatch(local, CARLOS, shiftOpen, (al: Allocators): ShiftOpenPayload => ({ shiftId: al.newId(), storeId: 'S01', float: 20000 }), env);
      const shiftId = (opened.command.payload as ShiftOpenPayload).shiftId;
      await dispatch(local, CARLOS, saleComplete, (al: Allocators): SaleCompletePayload => ({ saleId: al.newId(), storeId: 'S01', receiptNo: al.receiptNo(), currency: 'EUR', shiftId, lines: [{ sku: a!.stock.sku, qty: 1, unitPrice: a!.unitPrice }], tenders: [{ kind: 'cash', amount: a!.unitPrice + 50 }] }), env);
      await dispatch(local, CARLOS, shiftCashMove, (al: Allocators) => ({ shiftId, storeId: 'S01', moveId: al.newId(), kind: 'out', amount: 1000, reason: 'petty-cash' }), env);
      const closed = await dispatch(local, MARTA, shiftClose, { shiftId, storeId: 'S01', counted: 19000 + a!.unitPrice }, env);
      const before = (await loadRegister(local))!.lastClosed!;

      // The server applies the batch but its answer never arrives; the tablet pulls and rebases.
      const commands = await pendingCommands(local, 500);
      await http.pushOk(commands);
      await pull();
      // Every pending command replays on the server's rows (the open meets its own shift and builds
      // it again), so the tablet still shows one closed shift with the same figures, counted once.
      expect(await rebase(local)).toEqual({ replayed: 4, failed: 0 });
      const after = (await loadRegister(local))!;
      expect(after.open).toBeNull();
      expect(after.lastClosed?.closed).toEqual(before.closed);
      expect(after.lastClosed?.totals).toEqual(before.totals);

      // The retry is answered with duplicates; once acknowledged, the tablet's rows are the server's.
      const res = await http.pushOk(commands);
      expect(res.results.every((r) => r.status === 'duplicate')).toBe(true);
      await acknowledge(local, res.results, 3);
      await rebase(local);
      await pull();
      const server = (await fx.db.store.getRow('shifts', shiftId)) as ShiftRow;
      const { _v: v2, ...mine } = (await local.shifts.get(shiftId))!;
      expect(v2).toBeGreaterThan(0);
      expect(mine).toEqual(server);
      expect((server.closed as { overShort: number }).overShort).toBe((closed.effects.summary as { overShort: number }).overShort);
      const sum = await localChecksum(local, 'store:S01');
      const remote = (await http.app.inject({ method: 'GET', url: `/api/v1/sync/checksum?stream=store:S01&at=${(await local.cursors.get('store:S01'))!.version}`, headers: http.auth })).json<{ count: number; digest: string }>();
      expect(sum).toEqual({ count: remote.count, digest: remote.digest });
    });

    it('[O3] a shift.open naming an existing shift of another command is refused: it never overwrites a Z report', async () => {
      const t = await TestTablet.enroll(fx.app, 'Id till');
      const shiftId = randomUUID();
      const res = await t.pushOk([
        t.command('shift.open', { shiftId, storeId: 'S01', float: 5000 }),
        t.command('shift.close', { shiftId, storeId: 'S01', counted: 5000 }, { actor: MARTA }),
        t.command('shift.open', { shiftId, storeId: 'S01', float: 1 }),
      ]);
      expect(res.results[2]).toMatchObject({ status: 'rejected', error: { code: 'id-taken' } });
      expect(((await fx.db.store.getRow('shifts', shiftId)) as ShiftRow).closed).toMatchObject({ counted: 5000 });
    });

    it('[SH3] when a sale of the shift was rejected by the server, the close says the figures differ', async () => {
      const t = await TestTablet.enroll(fx.app, 'Mismatch till');
      const shiftId = randomUUID();
      const [a] = sellable(fx.chain, 1);
      const bad = { ...t.salePayload([{ sku: 'NO-SUCH-SKU', qty: 1, unitPrice: 1000 }]), shiftId };
      const good = { ...t.salePayload([{ sku: a!.stock.sku, qty: 1, unitPrice: a!.unitPrice }]), shiftId };
      const res = await t.pushOk([
        t.command('shift.open', { shiftId, storeId: 'S01', float: 10000 }),
        t.command('sale.complete', bad),
        t.command('sale.complete', good),
        t.command('shift.close', { shiftId, storeId: 'S01', counted: 10000 + a!.unitPrice + 1000, expected: 10000 + a!.unitPrice + 1000 }, { actor: MARTA }),
      ]);
      expect(res.results.map((r) => r.status)).toEqual(['applied', 'rejected', 'applied', 'applied']);
      const close = res.results[3] as Extract<PushResponse['results'][number], { status: 'applied' }>;
      expect(close.summary).toMatchObject({ expectedCash: 10000 + a!.unitPrice, overShort: 1000 });
      expect(close.exceptions.map((e) => e.id.split(':').slice(1).join(':'))).toEqual(['cash-over-short', 'cash-over-short:figures-differ']);
      expect(close.exceptions[1]!.message).toMatch(/server's records of this shift give/);
    });

    it('[SH1][C5] the server applies a second open shift and a sale outside any open shift, and tells the manager', async () => {
      const t = await TestTablet.enroll(fx.app, 'Double till');
      const first = randomUUID();
      const second = randomUUID();
      const [a] = sellable(fx.chain, 1);
      const stray = { ...t.salePayload([{ sku: a!.stock.sku, qty: 1, unitPrice: a!.unitPrice }]), shiftId: randomUUID() };
      const res = await t.pushOk([
        t.command('shift.open', { shiftId: first, storeId: 'S01', float: 5000 }),
        t.command('shift.open', { shiftId: second, storeId: 'S01', float: 7000 }),
        t.command('sale.complete', stray),
      ]);
      expect(res.results.map((r) => r.status)).toEqual(['applied', 'applied', 'applied']);
      expect((res.results[1] as { exceptions: { message: string }[] }).exceptions[0]!.message).toMatch(/second shift was opened/);
      expect((res.results[2] as { exceptions: { message: string }[] }).exceptions[0]!.message).toMatch(/outside an open shift/);
      expect(((await fx.db.store.getRow('registers', t.id)) as { openShiftId: string }).openShiftId).toBe(second);
      expect(((await fx.db.store.getRow('sales', stray.saleId)) as SaleRow).shiftId).toBe(stray.shiftId);
    });

    it('[RO3] closing a shift is a manager\'s; a cashier\'s close is rejected and the shift stays open', async () => {
      const t = await TestTablet.enroll(fx.app, 'Role till');
      const shiftId = randomUUID();
      const res = await t.pushOk([t.command('shift.open', { shiftId, storeId: 'S01', float: 5000 }), t.command('shift.close', { shiftId, storeId: 'S01', counted: 5000 }, { actor: CARLOS })]);
      expect(res.results[1]).toMatchObject({ status: 'rejected', error: { code: 'forbidden' } });
      expect(((await fx.db.store.getRow('shifts', shiftId)) as ShiftRow).status).toBe('open');
    });

    it('[E1] a cash movement with a reason off the list or a negative amount is refused with a sentence', async () => {
      const t = await TestTablet.enroll(fx.app, 'Bad till');
      const shiftId = randomUUID();
      const res = await t.pushOk([
        t.command('shift.open', { shiftId, storeId: 'S01', float: -1 }),
        t.command('shift.open', { shiftId, storeId: 'S01', float: 1e12 }),
        t.command('shift.cash-move', { shiftId, storeId: 'S01', moveId: randomUUID(), kind: 'out', amount: 100, reason: 'lunch' }),
      ]);
      expect(res.results.map((r) => (r.status === 'rejected' ? r.error.code : r.status))).toEqual(['invalid-payload', 'invalid-payload', 'invalid-payload']);
      expect((res.results[0] as { error: { message: string } }).error.message).toMatch(/cannot be negative/);
      expect((res.results[1] as { error: { message: string } }).error.message).toMatch(/larger than a register can hold/);
    });
  });
}
