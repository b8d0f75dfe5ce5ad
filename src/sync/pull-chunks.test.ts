// [P3][P5][M2][SE3] A pulled page is written in steps, in transactions that end when a sale waits, the
// cursor only with the last one, so a sale never waits for a whole page; a crash between chunks loses
// nothing and doubles nothing: the page comes again from the old cursor, and writing its rows again
// is harmless.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { SyncEngine } from './engine';
import { ApplyPacer, applyPulledPage, rebase } from '@/db/sync-store';
import { dispatch } from '@/db/dispatch';
import { VitrineDb } from '@/db/schema';
import { saleComplete, type SaleCompletePayload } from '@/core/sales/sale-complete';
import { enrolledDb, stock, testEnv } from '@/testing/factories';
import type { PullResponse } from '@/core/sync/protocol';

const STREAM = 'store:S01';

class Crash extends Error {}

/**
 * Steps of `rows` rows; transactions that go on for `chunkMs` while no sale waits (0: a step each);
 * with `crashAfter`, the process "dies" once that many steps are written (inside the next one's
 * transaction, which is lost with it, as a killed tab's is).
 */
class FixedPacer extends ApplyPacer {
  chunks = 0;
  constructor(
    private readonly rows: number,
    private readonly crashAfter = Infinity,
    chunkMs = Infinity,
  ) {
    super({ stepMs: 1, chunkMs });
  }
  override size(): number {
    if (this.chunks >= this.crashAfter) throw new Crash('killed between chunks');
    this.chunks += 1;
    return this.rows;
  }
}

/** The same database opened again, as after the tab or the tablet died: no in-memory state survives. */
async function reopen(db: VitrineDb): Promise<VitrineDb> {
  db.close();
  const again = new VitrineDb(db.name);
  await again.open();
  return again;
}

/**
 * A stream's server as a list of operations (version i + 1 is operation i) on stock rows: a put of
 * an on-hand figure, or a delete. A pull answers each row as it is now, at its latest version.
 */
type Op = { key: number; onHand: number | null };
const skuOf = (k: number) => `K${k}`;
const keyOf = (k: number) => `S01|${skuOf(k)}`;

function pull(ops: readonly Op[], head: number, after: number, limit: number): PullResponse {
  const latest = new Map<number, number>();
  for (let v = 1; v <= head; v++) latest.set(ops[v - 1]!.key, v);
  const due = [...latest.values()].filter((v) => v > after).sort((a, b) => a - b);
  const taken = due.slice(0, limit);
  const changes = taken.map((v) => {
    const op = ops[v - 1]!;
    return op.onHand === null ? { table: 'stock' as const, key: keyOf(op.key), version: v, deleted: true as const } : { table: 'stock' as const, key: keyOf(op.key), version: v, row: stock(skuOf(op.key), op.onHand) };
  });
  return { stream: STREAM, changes, version: taken.at(-1) ?? after, more: taken.length < due.length, total: due.length } as PullResponse;
}

/** The tablet's copy of the server's row: the kept copy if a pending command changed it, else the row. */
async function serverCopy(db: VitrineDb, key: string): Promise<{ onHand: number; _v?: number } | undefined> {
  const b = await db.base.get(['stock', key]);
  if (b) return (b.row as { onHand: number; _v?: number } | null) ?? undefined;
  return db.stock.get(key);
}

const sale = (sku: string) => (a: { newId(): string; receiptNo(): string }): SaleCompletePayload => ({
  saleId: a.newId(),
  storeId: 'S01',
  receiptNo: a.receiptNo(),
  currency: 'EUR',
  lines: [{ sku, qty: 1, unitPrice: 4999 }],
  tenders: [{ kind: 'cash', amount: 5000 }],
});

describe('pulled pages in chunks [P3]', () => {
  it('[SE3][P3] a sale dispatched while a page is written commits before the page\'s last step: the writer ends its transaction for it', async () => {
    const db = await enrolledDb();
    const ops: Op[] = Array.from({ length: 60 }, (_, i) => ({ key: i + 10, onHand: i }));
    // Nothing but a waiting sale ends this writer's transaction: without the yield, one transaction.
    const pacer = new FixedPacer(4);
    const page = pull(ops, ops.length, 1, 1000);
    const writing = applyPulledPage(db, page, 1_000, pacer);
    // The sale starts once the first step is under way.
    await new Promise((ok) => setTimeout(ok, 0));
    await dispatch(db, 'A-S01-CARLOS', saleComplete, sale('VT-1-BLK-M'), testEnv());
    const chunksBeforeSale = pacer.chunks;
    const cursorAtSale = (await db.cursors.get(STREAM))?.version;
    await writing;
    expect(pacer.chunks).toBe(15);
    expect(chunksBeforeSale).toBeLessThan(15);
    expect(cursorAtSale).toBeUndefined(); // the page was not finished when the sale committed
    expect(pacer.stats).toMatchObject({ transactions: 2, yielded: 1, steps: 15, rows: 59 });
    expect((await db.cursors.get(STREAM))?.version).toBe(60);
    expect(await db.stock.count()).toBe(60);
    expect(await db.outbox.count()).toBe(1);
  });

  it('[P3] with no sale waiting, a page is written in one transaction however small its steps; decision 73\'s pacer takes one per step', async () => {
    const db = await enrolledDb();
    const ops: Op[] = Array.from({ length: 60 }, (_, i) => ({ key: i + 10, onHand: i }));
    const pacer = new FixedPacer(4);
    await applyPulledPage(db, pull(ops, ops.length, 0, 1000), 1_000, pacer);
    expect(pacer.chunks).toBe(15);
    expect(pacer.stats).toMatchObject({ transactions: 1, yielded: 0, steps: 15, rows: 60 });
    expect((await db.cursors.get(STREAM))?.version).toBe(60);
    // The engine's pacer (steps of about 4 ms, learnt) with the same page: still one transaction.
    const engines = new ApplyPacer({ stepMs: 4, chunkMs: Infinity });
    await applyPulledPage(db, pull(ops.map((o) => ({ ...o, onHand: o.onHand! + 1 })), ops.length, 0, 1000), 2_000, engines);
    expect(engines.stats.transactions).toBe(1);
    const always = new ApplyPacer({ stepMs: 0.001, everyStep: true });
    await applyPulledPage(db, pull(ops.map((o) => ({ ...o, onHand: o.onHand! + 2 })), ops.length, 0, 1000), 3_000, always);
    expect(always.stats.transactions).toBe(3); // 32 rows before it measures, then 16 (its floor): 32 + 16 + 12
    expect((await db.stock.get(keyOf(10)))?.onHand).toBe(2);
  });

  it('[SE3][P3] sales that never stop coming, two at a time, hold the page back by one step each, and it still completes', async () => {
    const db = await enrolledDb();
    const ops: Op[] = Array.from({ length: 60 }, (_, i) => ({ key: i + 10, onHand: i }));
    const pacer = new FixedPacer(4);
    let done = false;
    const writing = applyPulledPage(db, pull(ops, ops.length, 0, 1000), 1_000, pacer).finally(() => (done = true));
    // Each seller starts its next sale as soon as its last one committed, so from the writer's
    // first yield on a sale always waits: a writer that waited for none to wait would never finish.
    let sales = 0;
    const seller = async () => {
      while (!done && sales < 200) {
        sales += 1;
        await dispatch(db, 'A-S01-CARLOS', saleComplete, sale('VT-1-BLK-M'), testEnv());
      }
    };
    await new Promise((ok) => setTimeout(ok, 0));
    await Promise.all([seller(), seller(), writing]);
    expect(done).toBe(true);
    expect(sales).toBeLessThan(200);
    expect(pacer.stats.yielded).toBeGreaterThan(1);
    expect((await db.cursors.get(STREAM))?.version).toBe(60);
    expect(await db.outbox.count()).toBe(sales);
  });

  it('[P3][P5] killed between chunks and reopened: the cursor stays at the last whole page, and pulling again converges, the pending sale replayed on the server copy', async () => {
    let db = await enrolledDb();
    // A sale rung up before the pull: its stock row keeps the server copy aside [P5].
    await dispatch(db, 'A-S01-CARLOS', saleComplete, sale('VT-1-BLK-M'), testEnv());
    const ops: Op[] = [{ key: 1, onHand: 5 }, { key: 2, onHand: 6 }, { key: 3, onHand: 7 }, { key: 4, onHand: 8 }, { key: 5, onHand: 9 }, { key: 6, onHand: 10 }];
    // The sold variant's stock, restocked on the server to 9, is in the first chunk.
    const page = pull(ops, ops.length, 0, 100);
    page.changes.unshift({ table: 'stock', key: 'S01|VT-1-BLK-M', version: 1, row: stock('VT-1-BLK-M', 9) });
    await expect(applyPulledPage(db, page, 1_000, new FixedPacer(3, 2, 0))).rejects.toThrow(Crash);
    db = await reopen(db);
    expect(await db.cursors.get(STREAM)).toBeUndefined();
    expect((await db.stock.bulkGet(['S01|K1', 'S01|K5', 'S01|K6'])).map((r) => r?.onHand)).toEqual([5, 9, undefined]);
    expect(((await db.base.get(['stock', 'S01|VT-1-BLK-M']))?.row as { onHand: number }).onHand).toBe(9);
    expect((await db.stock.get('S01|VT-1-BLK-M'))?.onHand).toBe(2); // still what the tablet shows

    // Meanwhile the server moved on: K1 deleted, the sold variant at 12, K6 at 11. The engine pulls
    // from the old cursor, writing the first chunks' rows again.
    const later: PullResponse = {
      stream: STREAM,
      changes: [
        { table: 'stock', key: 'S01|K2', version: 2, row: stock('K2', 6) },
        { table: 'stock', key: 'S01|K3', version: 3, row: stock('K3', 7) },
        { table: 'stock', key: 'S01|K4', version: 4, row: stock('K4', 8) },
        { table: 'stock', key: 'S01|K5', version: 5, row: stock('K5', 9) },
        { table: 'stock', key: 'S01|K1', version: 7, deleted: true },
        { table: 'stock', key: 'S01|VT-1-BLK-M', version: 8, row: stock('VT-1-BLK-M', 12) },
        { table: 'stock', key: 'S01|K6', version: 9, row: stock('K6', 11) },
      ],
      version: 9,
      more: false,
      total: 7,
    };
    const asked: string[] = [];
    const fetch = async (input: string | URL | Request) => {
      const url = new URL(String(input), 'http://tablet');
      const stream = url.searchParams.get('stream');
      const after = Number(url.searchParams.get('after'));
      if (url.pathname.endsWith('/checksum')) return new Response(JSON.stringify({ stale: true }));
      if (url.pathname.endsWith('/sync/device')) return new Response(JSON.stringify({ deviceId: 'dev-1', lastSeq: 0, lastReceipt: 0, commands: [], more: false }));
      if (url.pathname.endsWith('/sync/push')) return new Response(JSON.stringify({ results: [], lastSeq: 0 }));
      if (stream !== STREAM) return new Response(JSON.stringify({ stream, changes: [], version: after, more: false, total: 0 }));
      asked.push(`after=${after}`);
      return new Response(JSON.stringify(after === 0 ? later : { stream, changes: [], version: after, more: false, total: 0 }));
    };
    const e = new SyncEngine(db, { fetch, checksumEveryMs: 3_600_000, applyBudgetMs: 0.001, applyChunkMs: 0 });
    await e.syncNow();
    expect(e.status.getState().lastError).toBeNull();
    expect(asked[0]).toBe('after=0');
    expect((await db.cursors.get(STREAM))?.version).toBe(9);
    expect(await db.stock.get('S01|K1')).toBeUndefined();
    expect((await db.stock.bulkGet(['S01|K2', 'S01|K5', 'S01|K6'])).map((r) => r?.onHand)).toEqual([6, 9, 11]);
    // Server 12, minus the sale still pending: shown once, not twice, and not lost.
    expect((await db.stock.get('S01|VT-1-BLK-M'))?.onHand).toBe(11);
    expect(await db.outbox.count()).toBe(1);
  });

  it('[P3][M2] property: whatever the pages, chunk sizes, crash points and local edits, the tablet holds every row its cursor claims, and converges to the server', async () => {
    const op = fc.record({ key: fc.integer({ min: 0, max: 5 }), onHand: fc.option(fc.integer({ min: 0, max: 50 }), { nil: null, freq: 4 }) });
    const step = fc.record({
      advance: fc.integer({ min: 0, max: 8 }),
      limit: fc.integer({ min: 2, max: 6 }),
      chunk: fc.integer({ min: 1, max: 3 }),
      crashAfter: fc.option(fc.integer({ min: 1, max: 4 }), { nil: undefined, freq: 3 }),
      // A transaction per step (a crash loses the step it is in), or one per page (it loses the page).
      chunkMs: fc.constantFrom(0, Infinity),
      edit: fc.option(fc.integer({ min: 0, max: 5 }), { nil: undefined }),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 24 }), fc.array(step, { minLength: 1, maxLength: 6 }), async (ops, steps) => {
        let db = await enrolledDb();
        let head = 0;
        // What the cursor claims: every row whose latest version (the only one the server still
        // serves) is at or below it is held exactly as that version says; rows changed later may be
        // at any earlier state until the pull reaches them.
        const check = async () => {
          const cursor = (await db.cursors.get(STREAM))?.version ?? 0;
          for (let k = 0; k <= 5; k++) {
            let latest = 0;
            for (let v = 1; v <= head; v++) if (ops[v - 1]!.key === k) latest = v;
            const copy = await serverCopy(db, keyOf(k));
            if (copy) expect(ops[copy._v! - 1]).toEqual({ key: k, onHand: copy.onHand });
            if (latest === 0 || latest > cursor) continue;
            const want = ops[latest - 1]!.onHand;
            expect(copy ? { v: copy._v, onHand: copy.onHand } : null).toEqual(want === null ? null : { v: latest, onHand: want });
          }
        };
        for (const s of steps) {
          head = Math.min(ops.length, head + s.advance);
          if (s.edit !== undefined) {
            // A pending command changed this row here: its server copy is kept aside [P5].
            const key = keyOf(s.edit);
            const current = await db.stock.get(key);
            if (current && !(await db.base.get(['stock', key]))) {
              await db.base.put({ tbl: 'stock', key, row: current });
              await db.stock.put({ ...current, onHand: 999, _v: current._v });
            }
          }
          const pacer = new FixedPacer(s.chunk, s.crashAfter, s.chunkMs);
          try {
            for (let more = true; more; ) {
              const cursor = (await db.cursors.get(STREAM))?.version ?? 0;
              const page = pull(ops, head, cursor, s.limit);
              await applyPulledPage(db, page, 1_000, pacer);
              more = page.more;
            }
          } catch (e) {
            if (!(e instanceof Crash)) throw e;
            db = await reopen(db);
          }
          await check();
        }
        // Caught up with everything, without a crash: exactly the server's rows.
        head = ops.length;
        for (let more = true; more; ) {
          const page = pull(ops, head, (await db.cursors.get(STREAM))?.version ?? 0, 4);
          await applyPulledPage(db, page, 1_000, new FixedPacer(3));
          more = page.more;
        }
        await check();
        for (let k = 0; k <= 5; k++) {
          const last = ops.findLastIndex((o) => o.key === k);
          const copy = await serverCopy(db, keyOf(k));
          expect(copy?.onHand ?? null).toBe(last < 0 ? null : ops[last]!.onHand);
        }
        // A rebase with nothing pending shows the server's rows alone.
        await rebase(db);
        expect(await db.base.count()).toBe(0);
        db.close();
      }),
      { numRuns: Number(process.env.PROPERTY_RUNS ?? 60), seed: Number(process.env.PROPERTY_SEED ?? Date.now() % 2 ** 31), verbose: 1 },
    );
  }, 120_000);
});
