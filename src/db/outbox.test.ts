// The tablet's command path: dispatch is atomic [C2], pulls rebase pending commands [P5], and the
// outbox survives reopening the database [D3].
import { describe, it, expect } from 'vitest';
import { dispatch } from './dispatch';
import { customerUpdate } from '@/core/customers/customer-update';
import { customerCreate } from '@/core/customers/customer-create';
import { applyPulledPage, rebase, rebaseDue, settleDue, acknowledge, localChecksum, pendingCommands, resetStream } from './sync-store';
import { getDevice } from './device';
import { VitrineDb } from './schema';
import { enrolledDb, testEnv, stock } from '@/testing/factories';
import Dexie from 'dexie';

/** Version 1 as it shipped: kept verbatim here so the upgrade path is tested forever. */
const V1 = {
  locations: 'id',
  products: 'id, name',
  variants: 'sku, productId, barcode',
  availability: 'sku',
  stock: 'key, sku',
  associates: 'id, storeId',
  sales: 'id, receiptNo, customerId, at',
  exceptions: 'id, kind, raisedAt',
  customers: 'id, email, phone, lastName',
  notes: 'id, customerId, at',
  orders: 'id, number, customerId, status',
  outbox: 'seq',
  attention: 'seq',
  base: '[tbl+key]',
  cursors: 'stream',
  meta: 'key',
};
import type { SaleCompletePayload } from '@/core/sales/sale-complete';

/**
 * Records the requests and transactions made on IndexedDB itself, below Dexie: dispatch goes straight
 * to IndexedDB (decision 84), so a Dexie middleware would not see it.
 */
function spyIdb() {
  const gets: { store: string; index?: string; key: unknown }[] = [];
  const transactions: { stores: string[]; mode: string | undefined; durability: string | undefined }[] = [];
  const storeGet = IDBObjectStore.prototype.get;
  const indexGet = IDBIndex.prototype.get;
  const transaction = IDBDatabase.prototype.transaction;
  IDBObjectStore.prototype.get = function (this: IDBObjectStore, key: IDBValidKey | IDBKeyRange) {
    gets.push({ store: this.name, key });
    return storeGet.call(this, key);
  };
  IDBIndex.prototype.get = function (this: IDBIndex, key: IDBValidKey | IDBKeyRange) {
    gets.push({ store: this.objectStore.name, index: this.name, key });
    return indexGet.call(this, key);
  };
  IDBDatabase.prototype.transaction = function (this: IDBDatabase, stores: string | string[], mode?: IDBTransactionMode, options?: IDBTransactionOptions) {
    transactions.push({ stores: typeof stores === 'string' ? [stores] : [...stores], mode, durability: options?.durability });
    return transaction.call(this, stores, mode, options);
  } as typeof transaction;
  const restore = () => {
    IDBObjectStore.prototype.get = storeGet;
    IDBIndex.prototype.get = indexGet;
    IDBDatabase.prototype.transaction = transaction;
  };
  return { gets, transactions, restore };
}
import { saleComplete } from '@/core/sales/sale-complete';

const sale = (qty = 1) => (a: { newId(): string; receiptNo(): string }): SaleCompletePayload => ({
  saleId: a.newId(),
  storeId: 'S01',
  receiptNo: a.receiptNo(),
  currency: 'EUR',
  lines: [{ sku: 'VT-1-BLK-M', qty, unitPrice: 4999 }],
  tenders: [{ kind: 'cash', amount: 5000 * qty }],
});

describe('dispatch', () => {
  it('[C2] commits the effects, the outbox entry, the seq and the receipt number together', async () => {
    const db = await enrolledDb();
    const env = testEnv();
    const r = await dispatch(db, 'A-S01-CARLOS', saleComplete, sale(), env);
    expect(r.command.seq).toBe(1);
    expect((r.command.payload as SaleCompletePayload).receiptNo).toBe('S01-T01-000001');
    expect(await db.outbox.count()).toBe(1);
    expect((await db.stock.get('S01|VT-1-BLK-M'))?.onHand).toBe(2);
    expect(await db.sales.count()).toBe(1);
    const d = await getDevice(db);
    expect(d).toMatchObject({ lastSeq: 1, lastReceipt: 1 });
  });

  it('[C2] a command its handler refuses leaves nothing behind: no seq, no receipt number, no effects', async () => {
    const db = await enrolledDb();
    const env = testEnv();
    const underpaid = (a: { newId(): string; receiptNo(): string }) => ({ ...sale()(a), tenders: [{ kind: 'cash' as const, amount: 100 }] });
    await expect(dispatch(db, 'A-S01-CARLOS', saleComplete, underpaid, env)).rejects.toThrow(/take the rest/);
    expect(await db.outbox.count()).toBe(0);
    expect(await db.sales.count()).toBe(0);
    expect((await db.stock.get('S01|VT-1-BLK-M'))?.onHand).toBe(3);
    expect(await getDevice(db)).toMatchObject({ lastSeq: 0, lastReceipt: 0 });
    // The next good sale takes seq 1 and receipt 000001: no gap was made.
    const ok = await dispatch(db, 'A-S01-CARLOS', saleComplete, sale(), env);
    expect(ok.command.seq).toBe(1);
    expect((ok.command.payload as SaleCompletePayload).receiptNo).toBe('S01-T01-000001');
  });

  it('[C5] selling more than the shelf holds is allowed locally and raises oversold', async () => {
    const db = await enrolledDb({ onHand: 0 });
    const r = await dispatch(db, 'A-S01-CARLOS', saleComplete, sale(), testEnv());
    expect(r.effects.exceptions.map((e) => e.kind)).toEqual(['oversold']);
    expect((await db.stock.get('S01|VT-1-BLK-M'))?.onHand).toBe(-1);
  });
  it('[C1][C2] two tabs dispatching in turn on one tablet keep seqs and receipt numbers gapless and unique', async () => {
    const db = await enrolledDb({ onHand: 50 });
    const other = new VitrineDb(db.name); // a second tab: same database, its own connection
    const env = testEnv();
    const seqs: number[] = [];
    const receipts: string[] = [];
    for (const tab of [db, db, other, db, other, other, db]) {
      const r = await dispatch(tab, 'A-S01-CARLOS', saleComplete, sale(), env);
      seqs.push(r.command.seq);
      receipts.push((r.command.payload as SaleCompletePayload).receiptNo);
    }
    expect(seqs).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(receipts).toEqual([1, 2, 3, 4, 5, 6, 7].map((n) => `S01-T01-${String(n).padStart(6, '0')}`));
    expect((await db.stock.get('S01|VT-1-BLK-M'))?.onHand).toBe(43);
    expect(await db.outbox.count()).toBe(7);
    other.close();
  });

  it('[C2] rows the caller says the command will read are fetched in its first round trip; a wrong hint changes nothing but speed', async () => {
    const db = await enrolledDb({ onHand: 10 });
    const seen = spyIdb();
    const hinted = await dispatch(db, 'A-S01-CARLOS', saleComplete, sale(), testEnv(), { alsoReads: [{ table: 'products', keys: ['VT-1'] }] });
    const unhinted = await dispatch(db, 'A-S01-CARLOS', saleComplete, sale(), testEnv(1_800_000_000_000));
    const wrong = await dispatch(db, 'A-S01-CARLOS', saleComplete, sale(), testEnv(1_900_000_000_000), { alsoReads: [{ table: 'products', keys: ['VT-404'] }] });
    seen.restore();
    // Hinted: one read by id, issued with the prefetch. Since product documents [P1], the sale's own
    // prefetch finds the product by SKU in that same first round trip, so unhinted and wrongly hinted
    // sales never read it again by id: a hint is no longer needed, and a wrong one costs nothing.
    expect(seen.gets.filter((g) => g.store === 'products' && !g.index).map((g) => g.key)).toEqual(['VT-1', 'VT-404']);
    for (const r of [hinted, unhinted, wrong]) expect((r.effects.puts.find((p) => p.table === 'sales')?.row as { lines: { name: string }[] }).lines[0]?.name).toBe('Calça Chino');
    expect((await db.stock.get('S01|VT-1-BLK-M'))?.onHand).toBe(7);
  });

  it('[C2] a product read by id through the hint answers the sale\'s SKU lookups: the index is asked only when the hint missed', async () => {
    const db = await enrolledDb({ onHand: 10 });
    // The first sale of a tab builds its command only after reading the device row; from the second
    // on, the sale's reads (its SKU lookups among them) go out with that first read.
    await dispatch(db, 'A-S01-CARLOS', saleComplete, sale(), testEnv(1_600_000_000_000));
    const seen = spyIdb();
    const lookups = () => seen.gets.filter((g) => g.index).map((g) => g.index);
    await dispatch(db, 'A-S01-CARLOS', saleComplete, sale(), testEnv(), { alsoReads: [{ table: 'products', keys: ['VT-1'] }] });
    expect(lookups()).toEqual([]);
    await dispatch(db, 'A-S01-CARLOS', saleComplete, sale(), testEnv(1_800_000_000_000), { alsoReads: [{ table: 'products', keys: ['VT-404'] }] });
    expect(lookups()).toEqual(['skus']);
    seen.restore();
    expect((await db.stock.get('S01|VT-1-BLK-M'))?.onHand).toBe(7);
  });

  it('[P5] a dispatch keeps the server copy of every row it writes, once, and the rows keep their server version', async () => {
    const db = await enrolledDb({ onHand: 3 });
    await dispatch(db, 'A-S01-CARLOS', saleComplete, sale(), testEnv());
    await dispatch(db, 'A-S01-CARLOS', saleComplete, sale(), testEnv(1_800_000_000_000));
    const kept = await db.base.toArray();
    // The stock row's server copy (3 on hand), once. The two new sales have none: the server cannot
    // have rows under ids minted here, so their outbox entries list them as created instead.
    expect(kept).toEqual([{ tbl: 'stock', key: 'S01|VT-1-BLK-M', row: expect.objectContaining({ onHand: 3, _v: 1 }) }]);
    const sales = await db.sales.toArray();
    expect((await db.outbox.orderBy('seq').toArray()).map((e) => e.created)).toEqual(sales.map((s) => [['sales', s.id]]));
    expect(await db.stock.get('S01|VT-1-BLK-M')).toMatchObject({ onHand: 1, _v: 1 });
  });

  it('[P5] the rows a pending command created are not sent to the server as part of the command', async () => {
    const db = await enrolledDb();
    await dispatch(db, 'A-S01-CARLOS', saleComplete, sale(), testEnv());
    const [sent] = await pendingCommands(db, 10);
    expect(sent).not.toHaveProperty('created');
    expect(sent).not.toHaveProperty('createdAt');
  });
});

describe('rebase [P5]', () => {
  it('shows server state plus pending commands after a pull changes a row a pending command touched', async () => {
    const db = await enrolledDb({ onHand: 3 });
    await dispatch(db, 'A-S01-CARLOS', saleComplete, sale(1), testEnv());
    expect((await db.stock.get('S01|VT-1-BLK-M'))?.onHand).toBe(2);
    // Meanwhile another tablet sold 2: the server's row says 1 on hand.
    await applyPulledPage(db, { stream: 'store:S01', changes: [{ table: 'stock', key: 'S01|VT-1-BLK-M', version: 7, row: stock('VT-1-BLK-M', 1) }], version: 7, more: false, total: 1 }, 2_000);
    await rebase(db);
    expect((await db.stock.get('S01|VT-1-BLK-M'))?.onHand).toBe(0);
  });

  it('drops the local effects of a command the server rejected', async () => {
    const db = await enrolledDb();
    const r = await dispatch(db, 'A-S01-MARTA', customerCreate, (a) => ({ customerId: a.newId(), profile: { firstName: 'Rita' } }), testEnv());
    expect(await acknowledge(db, [{ seq: r.command.seq, id: r.command.id, status: 'rejected', error: { code: 'forbidden', message: 'no' } }], 3_000)).toEqual({ rebase: true });
    await rebase(db);
    expect(await db.customers.count()).toBe(0);
    expect(await db.alerts.count()).toBe(1);
    expect(await db.outbox.count()).toBe(0);
  });

  it('[SE3] a paid sale the server rejected stays on the tablet with its receipt; only the stock is the server\'s again', async () => {
    const db = await enrolledDb({ onHand: 3 });
    const r = await dispatch(db, 'A-S01-CARLOS', saleComplete, sale(1), testEnv());
    await acknowledge(db, [{ seq: r.command.seq, id: r.command.id, status: 'rejected', error: { code: 'forbidden', message: 'Carlos may not sell.' } }], 3_000);
    await rebase(db);
    expect(await db.sales.toArray()).toEqual([expect.objectContaining({ receiptNo: 'S01-T01-000001', total: 4999 })]);
    expect((await db.stock.get('S01|VT-1-BLK-M'))?.onHand).toBe(3);
    expect(await db.alerts.toArray()).toEqual([expect.objectContaining({ id: r.command.id, kind: 'rejected', error: { code: 'forbidden', message: 'Carlos may not sell.' } })]);
    // A stream bootstrapped again (checksum mismatch) keeps it too: the server cannot send it back.
    await resetStream(db, 'store:S01');
    expect(await db.sales.count()).toBe(1);
  });

  it('replays a pending sale once: the row it created is removed before the replay creates it again', async () => {
    const db = await enrolledDb({ onHand: 3 });
    const r = await dispatch(db, 'A-S01-CARLOS', saleComplete, sale(1), testEnv());
    const before = await db.sales.toArray();
    await rebase(db);
    await rebase(db);
    expect(await db.sales.toArray()).toEqual(before);
    // Replayed, it is as new as when dispatched: still no kept copy for it.
    expect((await db.base.toArray()).map((b) => b.tbl)).toEqual(['stock']);
    expect((await db.stock.get('S01|VT-1-BLK-M'))?.onHand).toBe(2);
    expect((await db.outbox.get(r.command.seq))?.created).toEqual([['sales', before[0]!.id]]);
  });

  it('a pending sale the server already sent back (its answer was lost) keeps the server\'s row and version through a rebase', async () => {
    const db = await enrolledDb({ onHand: 3 });
    const r = await dispatch(db, 'A-S01-CARLOS', saleComplete, sale(1), testEnv());
    const local = (await db.sales.toArray())[0]!;
    await applyPulledPage(db, { stream: 'store:S01', changes: [{ table: 'sales', key: local.id, version: 12, row: { ...local } }], version: 12, more: false, total: 1 }, 2_000);
    await rebase(db);
    // Still pending (no answer yet), so replayed, but on top of the server's row: it keeps version
    // 12, its server copy is kept, and the checksum counts it as the server does.
    expect(await db.sales.get(local.id)).toMatchObject({ _v: 12 });
    expect((await db.base.toArray()).filter((b) => b.tbl === 'sales')).toEqual([{ tbl: 'sales', key: local.id, row: expect.objectContaining({ _v: 12 }) }]);
    expect((await localChecksum(db, 'store:S01')).count).toBe(2); // the stock row and the sale
    expect(await db.outbox.get(r.command.seq)).toBeDefined();
  });

  it('once the late answer of a sale the server already sent back arrives, a rebase is due and leaves no kept copy behind', async () => {
    const db = await enrolledDb({ onHand: 3 });
    const r = await dispatch(db, 'A-S01-CARLOS', saleComplete, sale(1), testEnv());
    const local = (await db.sales.toArray())[0]!;
    await applyPulledPage(db, { stream: 'store:S01', changes: [{ table: 'sales', key: local.id, version: 12, row: { ...local } }], version: 12, more: false, total: 1 }, 2_000);
    await rebase(db);
    expect(await db.base.count()).toBeGreaterThan(0); // replayed on top of the server's row: copies kept
    // The answer comes now, and no later page touches these rows: nothing else would clear `base`.
    await acknowledge(db, [{ seq: r.command.seq, id: r.command.id, status: 'duplicate', result: { status: 'applied', summary: {}, exceptions: [] } }], 3_000);
    // [P5] The answer alone does not rebase (a kept copy may be from before the command); the
    // rebase is due once a pull completes (the engine runs it then).
    expect(await rebaseDue(db)).toBe(false);
    expect(await settleDue(db)).toBe(true);
    await rebase(db);
    expect(await db.base.count()).toBe(0);
    expect(await settleDue(db)).toBe(false);
    expect(await db.sales.get(local.id)).toMatchObject({ _v: 12 });
  });

  it('a pending sale whose replay fails here no longer shows: the row it created goes, the stock is the server\'s', async () => {
    const db = await enrolledDb({ onHand: 3 });
    await dispatch(db, 'A-S01-CARLOS', saleComplete, sale(1), testEnv());
    // The SKU is withdrawn from the catalog before the sale is sent: replaying it fails here (the
    // server will judge it), so the sale it created must not show.
    await applyPulledPage(db, { stream: 'catalog', changes: [{ table: 'products', key: 'VT-1', version: 5, deleted: true }], version: 5, more: false, total: 1 }, 2_000);
    expect(await rebase(db)).toEqual({ replayed: 0, failed: 1 });
    expect(await db.sales.count()).toBe(0);
    expect((await db.stock.get('S01|VT-1-BLK-M'))?.onHand).toBe(3);
    expect(await db.outbox.count()).toBe(1);
  });

  it('a row created offline, changed again offline, then sent back by the server before the ack: server copy kept, both changes shown once', async () => {
    const db = await enrolledDb();
    const env = testEnv();
    let id = '';
    await dispatch(db, 'A-S01-MARTA', customerCreate, (a) => ({ customerId: (id = a.newId()), profile: { firstName: 'Rita' } }), env);
    await dispatch(db, 'A-S01-MARTA', customerUpdate, { customerId: id, changes: { lastName: 'Lopes' } }, env);
    // The second command changed a row only this tablet has: its server copy is "none", not the row.
    expect(await db.base.toArray()).toEqual([{ tbl: 'customers', key: id, row: null }]);
    // The first command reached the server but its answer was lost; the pull brings the customer.
    const server = { ...(await db.customers.get(id))!, lastName: '', clock: {} };
    delete (server as { _v?: number })._v;
    await applyPulledPage(db, { stream: 'customers', changes: [{ table: 'customers', key: id, version: 9, row: { ...server, firstName: 'Rita' } }], version: 9, more: false, total: 1 }, 2_000);
    await rebase(db);
    expect(await db.customers.get(id)).toMatchObject({ firstName: 'Rita', lastName: 'Lopes', _v: 9 });
    expect(await db.customers.count()).toBe(1);
    // The retry finds the first a duplicate and applies the second; the next pull brings the result.
    const [first, second] = await pendingCommands(db, 10);
    await acknowledge(
      db,
      [
        { seq: first!.seq, id: first!.id, status: 'duplicate', result: { status: 'applied', summary: {}, exceptions: [] } },
        { seq: second!.seq, id: second!.id, status: 'applied', summary: {}, exceptions: [] },
      ],
      3_000,
    );
    await applyPulledPage(db, { stream: 'customers', changes: [{ table: 'customers', key: id, version: 10, row: { ...server, firstName: 'Rita', lastName: 'Lopes' } }], version: 10, more: false, total: 1 }, 4_000);
    await rebase(db);
    expect(await db.customers.get(id)).toMatchObject({ firstName: 'Rita', lastName: 'Lopes', _v: 10 });
    expect(await db.base.count()).toBe(0);
    expect(await db.outbox.count()).toBe(0);
  });

  it('[P7] the local checksum counts server rows, not pending local changes', async () => {
    const db = await enrolledDb();
    const before = await localChecksum(db, 'store:S01');
    await dispatch(db, 'A-S01-CARLOS', saleComplete, sale(1), testEnv());
    expect(await localChecksum(db, 'store:S01')).toEqual(before);
  });
});

describe('schema [D3]', () => {
  it('keeps the outbox when the database is closed and opened again', async () => {
    const db = await enrolledDb();
    await dispatch(db, 'A-S01-CARLOS', saleComplete, sale(), testEnv());
    db.close();
    const again = new VitrineDb(db.name);
    await again.open();
    expect(await again.outbox.count()).toBe(1);
  });

  it('opens a database written by version 1 and keeps every row, above all the outbox', async () => {
    const name = `v1-${Date.now()}`;
    const v1 = new Dexie(name);
    v1.version(1).stores(V1);
    await v1.open();
    await v1.table('outbox').add({ seq: 1, id: 'x', deviceId: 'dev-1', type: 'sale.complete', v: 1, at: '000000000000001-00000-n', actor: 'a', payload: {}, createdAt: 1 });
    await v1.table('customers').put({ id: 'C-1', lastName: 'Lopes', _v: 4 });
    v1.close();
    const db = new VitrineDb(name);
    await db.open();
    expect(db.verno).toBe(14);
    expect(await db.outbox.count()).toBe(1);
    expect(await db.customers.get('C-1')).toEqual({ id: 'C-1', lastName: 'Lopes', _v: 4 });
  });

  it('shipped versions are frozen: the schema matches the snapshot (add a version, never edit one)', () => {
    const db = new VitrineDb('schema-snapshot');
    expect(db.verno).toBe(14);
    const schema = Object.fromEntries(db.tables.map((t) => [t.name, [t.schema.primKey.src, ...t.schema.indexes.map((i) => i.src)].join(',')]));
    expect(schema).toEqual({
      locations: 'id',
      products: 'id,name,_v,*skus,*barcodes',
      productAvailability: 'productId',
      stock: 'key,sku',
      associates: 'id,storeId',
      sales: 'id,receiptNo,customerId,at',
      exceptions: 'id,kind,raisedAt',
      customers: 'id,email,phone,lastName,_v',
      notes: 'id,customerId,at',
      orders: 'id,number,customerId,status',
      shifts: 'id,deviceId',
      registers: 'id',
      history: 'customerId',
      redirects: 'id',
      tablets: 'id',
      returns: 'id,number,customerId',
      returnTallies: 'purchaseId,number',
      priceLows: 'sku',
      outbox: 'seq,id',
      base: '[tbl+key]',
      cursors: 'stream',
      meta: 'key',
      held: '[deviceId+seq],deviceId',
      alerts: 'id,at',
    });
  });

  it('[D6] opens a version 2 database with pending sales and a rejection, and loses nothing', async () => {
    const name = `v2-${Date.now()}`;
    const v2 = new Dexie(name);
    v2.version(1).stores(V1);
    v2.version(2).stores({ products: 'id, name, _v', variants: 'sku, productId, barcode, _v' });
    await v2.open();
    const env = (seq: number) => ({ seq, id: `00000000-0000-7000-8000-00000000000${seq}`, deviceId: 'dev-1', type: 'sale.complete', v: 1, at: '000000000000001-00000-n', actor: 'a', payload: { receiptNo: `S01-T01-00000${seq}` } });
    await v2.table('outbox').bulkAdd([2, 3].map((seq) => ({ ...env(seq), createdAt: seq, created: [['sales', `sale-${seq}`]] })));
    await v2.table('attention').add({ seq: 1, command: env(1), error: { code: 'forbidden', message: 'No.' }, at: 5 });
    await v2.table('sales').put({ id: 'sale-2', receiptNo: 'S01-T01-000002' });
    v2.close();
    const db = new VitrineDb(name);
    await db.open();
    expect(db.verno).toBe(14);
    expect((await db.outbox.orderBy('seq').toArray()).map((e) => [e.seq, e.created])).toEqual([[2, [['sales', 'sale-2']]], [3, [['sales', 'sale-3']]]]);
    expect(await db.sales.get('sale-2')).toMatchObject({ receiptNo: 'S01-T01-000002' });
    expect(await db.alerts.toArray()).toEqual([{ id: env(1).id, kind: 'rejected', command: env(1), error: { code: 'forbidden', message: 'No.' }, at: 5 }]);
    expect(await db.held.count()).toBe(0);
  });
});

describe('[D9] durability', () => {
  it('[D9] a sale is committed with strict durability; a customer edit and other transactions stay relaxed', async () => {
    const db = await enrolledDb();
    const seen = spyIdb();
    await dispatch(db, 'A-S01-CARLOS', saleComplete, sale(), testEnv());
    await dispatch(db, 'A-S01-CARLOS', customerCreate, (a) => ({ customerId: a.newId(), profile: { firstName: 'Rita' } }), testEnv(1_800_000_000_000));
    await db.meta.put({ key: 'x', value: 1 });
    seen.restore();
    const withOutbox = seen.transactions.filter((s) => s.mode === 'readwrite' && s.stores.includes('outbox'));
    expect(withOutbox.map((s) => s.durability)).toEqual(['strict', 'relaxed']);
    expect(seen.transactions.at(-1)).toMatchObject({ mode: 'readwrite', durability: 'relaxed' });
  });
});

describe('[D9] typed dispatch', () => {
  it('takes the command itself: its payload is checked and its summary typed, no strings, no casts', async () => {
    const db = await enrolledDb();
    const r = await dispatch(db, 'A-S01-CARLOS', saleComplete, sale(), testEnv());
    const receipt: string = r.effects.summary.receiptNo;
    const change: number = r.effects.summary.change;
    expect([receipt, change, r.command.payload.receiptNo]).toEqual(['S01-T01-000001', 1, 'S01-T01-000001']);
    // @ts-expect-error a command is named by its definition, never by a string
    await expect(dispatch(db, 'A-S01-CARLOS', 'sale.complete', sale(), testEnv())).rejects.toThrow();
    // @ts-expect-error the payload is the command's own type
    await expect(dispatch(db, 'A-S01-CARLOS', saleComplete, { saleId: 'x' }, testEnv())).rejects.toThrow();
  });
});

describe('[P5] rebase is due after an acknowledgement', () => {
  it('[P5] a sale whose answer was lost, pulled back, then acknowledged as duplicate is counted once', async () => {
    const db = await enrolledDb({ onHand: 3 });
    const r = await dispatch(db, 'A-S01-CARLOS', saleComplete, sale(1), testEnv());
    // The server applied it (2 on hand) but the answer was lost; the pull brings the row back.
    expect((await applyPulledPage(db, { stream: 'store:S01', changes: [{ table: 'stock', key: 'S01|VT-1-BLK-M', version: 8, row: stock('VT-1-BLK-M', 2) }], version: 8, more: false, total: 1 }, 2_000)).rebase).toBe(true);
    await rebase(db);
    expect((await db.stock.get('S01|VT-1-BLK-M'))?.onHand).toBe(1); // still pending: replayed on top
    // The retry gets "duplicate": the command leaves the outbox, and a rebase is due.
    const ack = await acknowledge(db, [{ seq: r.command.seq, id: r.command.id, status: 'duplicate', result: { status: 'applied', summary: {}, exceptions: [] } }], 3_000);
    // The answer alone leaves the screen as it is; the rebase waits for a completed pull.
    expect(ack.rebase).toBe(false);
    expect(await settleDue(db)).toBe(true);
    expect((await db.stock.get('S01|VT-1-BLK-M'))?.onHand).toBe(1);
    await rebase(db);
    expect((await db.stock.get('S01|VT-1-BLK-M'))?.onHand).toBe(2);
  });
});

describe('[SE3] sync transactions stay short', () => {
  it('[SE3] a rebase of many pending sales reads a fixed number of times, not a few reads per sale', async () => {
    const db = await enrolledDb({ onHand: 100 });
    const env = testEnv();
    for (let i = 0; i < 30; i++) await dispatch(db, 'A-S01-CARLOS', saleComplete, sale(1), env);
    // A pull changed the stock row all of them wrote: the rebase replays all 30.
    await applyPulledPage(db, { stream: 'store:S01', changes: [{ table: 'stock', key: 'S01|VT-1-BLK-M', version: 9, row: stock('VT-1-BLK-M', 90) }], version: 9, more: false, total: 1 }, 2_000);
    let reads = 0;
    db.close();
    db.use({
      stack: 'dbcore',
      name: 'count-reads',
      create: (down) => ({
        ...down,
        table: (name) => {
          const t = down.table(name);
          return { ...t, get: (req) => ((reads += 1), t.get(req)), getMany: (req) => ((reads += 1), t.getMany(req)) };
        },
      }),
    });
    await db.open();
    expect(await rebase(db)).toEqual({ replayed: 30, failed: 0 });
    expect((await db.stock.get('S01|VT-1-BLK-M'))?.onHand).toBe(60);
    expect(reads).toBeLessThanOrEqual(12);
  });
});
