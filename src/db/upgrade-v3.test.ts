// [D3] The v2 → v3 upgrade (product documents): a tablet with pending sales upgrades and loses nothing.
// The catalog and network streams bootstrap again; the outbox, kept copies, attention, the other
// streams' rows and cursors come through untouched, and the pending sales replay once the catalog is back.
import { describe, it, expect } from 'vitest';
import Dexie from 'dexie';
import { VitrineDb } from './schema';
import { dispatch } from './dispatch';
import { applyPulledPage, rebase } from './sync-store';
import { findByBarcode } from './catalog';
import { enrolledDb, testEnv, product, lisboa } from '@/testing/factories';
import { saleComplete, type SaleCompletePayload } from '@/core/sales/sale-complete';

/** Versions 1 and 2 as they shipped, verbatim: the layout an existing tablet has on disk. */
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
const V2 = { products: 'id, name, _v', variants: 'sku, productId, barcode, _v' };

const sale = (qty: number) => (a: { newId(): string; receiptNo(): string }): SaleCompletePayload => ({
  saleId: a.newId(),
  storeId: 'S01',
  receiptNo: a.receiptNo(),
  currency: 'EUR',
  lines: [{ sku: 'VT-1-BLK-M', qty, unitPrice: 4999 }],
  tenders: [{ kind: 'cash', amount: 5000 * qty }],
});

/** Every row of every table, by table name. */
async function dump(db: Dexie, tables: readonly string[]): Promise<Record<string, unknown[]>> {
  const out: Record<string, unknown[]> = {};
  for (const t of tables) out[t] = await db.table(t).toArray();
  return out;
}

/**
 * A v2 tablet as it would be on disk: two sales made offline (outbox, kept stock copy, the sales),
 * one rejected command under "Needs attention", the flat catalog (products, variants, availability),
 * a saved search index and a cursor for each of its four streams.
 */
async function v2Tablet(name: string) {
  // Real pending sales, made by today's dispatch, then written out in the v2 layout.
  const live = await enrolledDb({ onHand: 5 });
  await dispatch(live, 'A-S01-CARLOS', saleComplete, sale(1), testEnv());
  await dispatch(live, 'A-S01-CARLOS', saleComplete, sale(2), testEnv(1_800_000_000_000));
  const kept = await dump(live, ['outbox', 'base', 'sales', 'stock', 'locations', 'meta']);
  live.close();

  const v2 = new Dexie(name);
  v2.version(1).stores(V1);
  v2.version(2).stores(V2);
  await v2.open();
  for (const [t, rows] of Object.entries(kept)) await v2.table(t).bulkPut(rows);
  const { variants, ...flat } = product();
  await v2.table('products').put({ ...flat, _v: 1 });
  await v2.table('variants').bulkPut(variants.map((v) => ({ ...v, productId: flat.id, _v: 2 })));
  await v2.table('availability').put({ sku: 'VT-1-BLK-M', by: { S02: 4 }, at: 1, _v: 3 });
  await v2.table('attention').put({ seq: 99, command: { id: 'x' }, error: { code: 'out-of-scope', message: 'No.' }, at: 5 });
  await v2.table('customers').put({ id: 'C-1', lastName: 'Lopes', _v: 7 });
  await v2.table('cursors').bulkPut([
    { stream: 'catalog', version: 2, syncedAt: 10, checkedAt: 10 },
    { stream: 'network', version: 3, syncedAt: 10 },
    { stream: 'store:S01', version: 40, syncedAt: 10, checkedAt: 9 },
    { stream: 'customers', version: 7, syncedAt: 10 },
  ]);
  await v2.table('meta').put({ key: 'catalog-index', value: { format: 1, version: 2, json: '{}' } });
  const before = await dump(v2, ['outbox', 'base', 'sales', 'stock', 'customers', 'locations']);
  v2.close();
  return before;
}

describe('schema v3 [D3]', () => {
  it('[D3] a v2 tablet with pending sales upgrades and loses nothing; the catalog streams bootstrap again', async () => {
    const name = `v2-${Date.now()}`;
    const before = await v2Tablet(name);
    expect(before.outbox).toHaveLength(2);
    expect(before.base).toHaveLength(1);

    const db = new VitrineDb(name);
    await db.open();
    // The newest version the schema declares (each branch adds its own; see BRIEF's reserved numbers).
    expect(db.verno).toBe(new VitrineDb(`${name}-declared`).verno);
    expect(db.verno).toBeGreaterThanOrEqual(14);
    // Untouched: the outbox, the kept server copies, attention, the other streams' rows.
    expect(await dump(db, ['outbox', 'base', 'sales', 'stock', 'customers', 'locations'])).toEqual(before);
    // "Needs attention" moved to `alerts` in v4 [D6]: the rejected command is still there.
    expect(await db.alerts.get('x')).toMatchObject({ kind: 'rejected', error: { code: 'out-of-scope' } });
    expect((await db.meta.get('device'))?.value).toMatchObject({ lastSeq: 2, lastReceipt: 2 });
    // The other streams keep their cursors; catalog and network start again from version 0.
    expect(await db.cursors.toArray()).toEqual([
      { stream: 'customers', version: 7, syncedAt: 10 },
      { stream: 'store:S01', version: 40, syncedAt: 10, checkedAt: 9 },
    ]);
    expect(db.tables.map((t) => t.name)).not.toContain('variants');
    expect(db.tables.map((t) => t.name)).not.toContain('availability');
    expect(await db.products.count()).toBe(0);
    expect(await db.meta.get('catalog-index')).toBeUndefined();

    // The catalog comes back as product documents; the pending sales replay on top, as before.
    await applyPulledPage(db, { stream: 'catalog', changes: [{ table: 'products', key: 'VT-1', version: 1, row: product() }], version: 1, more: false, total: 1 }, 20);
    await applyPulledPage(db, { stream: 'network', changes: [{ table: 'locations', key: 'S01', version: 1, row: lisboa }], version: 1, more: false, total: 1 }, 20);
    expect(await rebase(db)).toEqual({ replayed: 2, failed: 0 });
    expect((await db.stock.get('S01|VT-1-BLK-M'))?.onHand).toBe(2);
    expect(await db.sales.count()).toBe(2);
    expect(await db.outbox.count()).toBe(2);
    expect(await findByBarcode(db, '5600000000017')).toMatchObject({ sku: 'VT-1-BLK-M', productId: 'VT-1' });
  });
});
