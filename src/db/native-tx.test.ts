// Dispatch writes straight on IndexedDB (decision 84): all of it or none of it [C2], and the screens'
// live queries, cached or not, hear of what it wrote as they hear of Dexie's own writes.
import { describe, it, expect } from 'vitest';
import { liveQuery } from 'dexie';
import { dispatch } from './dispatch';
import { getDevice } from './device';
import { enrolledDb, testEnv, oneCashSale } from '@/testing/factories';
import { saleComplete } from '@/core/sales/sale-complete';

const sale = oneCashSale;

/** The values a live query shows, and a way to wait until it shows one that passes `ok`. */
function watch<T>(query: () => Promise<T>) {
  const values: T[] = [];
  const waiters: { ok: (v: T) => boolean; done: () => void }[] = [];
  const sub = liveQuery(query).subscribe((v) => {
    values.push(v);
    for (const w of [...waiters]) {
      if (!w.ok(v)) continue;
      waiters.splice(waiters.indexOf(w), 1);
      w.done();
    }
  });
  const until = (ok: (v: T) => boolean) =>
    new Promise<void>((done, fail) => {
      if (values.length && ok(values.at(-1)!)) return done();
      const timer = setTimeout(() => fail(new Error(`the live query still shows ${JSON.stringify(values.at(-1))}`)), 3000);
      waiters.push({
        ok,
        done: () => {
          clearTimeout(timer);
          done();
        },
      });
    });
  return { values, until, stop: () => sub.unsubscribe() };
}

describe('dispatch straight on IndexedDB', () => {
  it('[C2] a write that fails inside the transaction leaves nothing: no effect, no seq, no receipt number', async () => {
    const db = await enrolledDb({ onHand: 5 });
    // The outbox already holds seq 1 (a copy restored by hand, say): adding the sale's entry fails.
    await db.outbox.add({ seq: 1, id: 'x', deviceId: 'dev-1', type: 'note.add', v: 1, at: '0', actor: 'A', payload: {}, createdAt: 0 } as never);
    await expect(dispatch(db, 'A-S01-CARLOS', saleComplete, sale, testEnv())).rejects.toThrow();
    expect((await db.stock.get('S01|VT-1-BLK-M'))?.onHand).toBe(5);
    expect(await db.sales.count()).toBe(0);
    expect(await db.base.count()).toBe(0);
    expect(await getDevice(db)).toMatchObject({ lastSeq: 0, lastReceipt: 0 });
  });

  it('[SE3] a live query over the sales and the stock shows a sale once it is committed, by key and by index', async () => {
    const db = await enrolledDb({ onHand: 5 });
    const count = watch(() => db.sales.count());
    const byReceipt = watch(() => db.sales.where('receiptNo').equals('S01-T01-000001').toArray());
    const stock = watch(() => db.stock.get('S01|VT-1-BLK-M'));
    await count.until((n) => n === 0);
    await byReceipt.until((rows) => rows.length === 0);
    await stock.until((s) => s?.onHand === 5);
    await dispatch(db, 'A-S01-CARLOS', saleComplete, sale, testEnv());
    await count.until((n) => n === 1);
    await byReceipt.until((rows) => rows.length === 1);
    await stock.until((s) => s?.onHand === 4);
    // The next sale too: Dexie dropped its cached answers, it did not keep showing the first ones.
    await dispatch(db, 'A-S01-CARLOS', saleComplete, sale, testEnv(1_800_000_000_000));
    await count.until((n) => n === 2);
    await stock.until((s) => s?.onHand === 3);
    for (const w of [count, byReceipt, stock]) w.stop();
  });

  it('[SE3] a failed dispatch tells the live queries nothing and they keep showing what is stored', async () => {
    const db = await enrolledDb({ onHand: 5 });
    const stock = watch(() => db.stock.get('S01|VT-1-BLK-M'));
    await stock.until((s) => s?.onHand === 5);
    await db.outbox.add({ seq: 1, id: 'x', deviceId: 'dev-1', type: 'note.add', v: 1, at: '0', actor: 'A', payload: {}, createdAt: 0 } as never);
    await expect(dispatch(db, 'A-S01-CARLOS', saleComplete, sale, testEnv())).rejects.toThrow();
    await new Promise((r) => setTimeout(r, 50));
    expect(stock.values.map((s) => s?.onHand)).toEqual([5]);
    stock.stop();
  });
});
