// The tablet's search index follows pulled catalog pages incrementally, persists, and catches up after a cold start.
import { describe, it, expect, vi } from 'vitest';
import { VitrineDb } from '@/db/schema';
import { applyPulledPage } from '@/db/sync-store';
import type { PullResponse } from '@/core/sync/protocol';
import type { ProductRow } from '@/core/model';
import { doc } from '@/core/catalog/search/test-catalog';
import { CatalogIndex } from '@/core/catalog/search/catalog-index';
import { INDEX_META_KEY, SAVE_DELAY_MS, catalogIndex, catalogIndexStats, refreshCatalogIndex, saveCatalogIndex, type SavedIndexEntry } from './catalog-index';

let n = 0;
const dbName = () => `catalog-index-${n++}`;

const NAMES = ['Calça Chino', 'Camisa Linho', 'Saia Midi', 'Vestido Festa', 'Casaco Lã', 'Tênis Couro', 'Bolsa Praia', 'Cinto Pele', 'Blazer Slim', 'Parka Térmica'];

function page(version: number, changes: PullResponse['changes'], more = false): PullResponse {
  return { stream: 'catalog', changes, version, more, total: changes.length };
}
const putProduct = (p: ProductRow, version: number) => ({ table: 'products' as const, key: p.id, version, row: p });

/** A database holding the ten NAMES products (P0…P9), pulled as one page at versions 1…10. */
async function seeded(name = dbName()) {
  const db = new VitrineDb(name);
  const changes: PullResponse['changes'] = [];
  let v = 0;
  NAMES.forEach((nm, i) => changes.push(putProduct(doc(`P${i}`, nm, [['M', 'Preto', 1000 + i]]), ++v)));
  await applyPulledPage(db, page(v, changes), 1);
  return { db, version: v };
}

describe('incremental catalog index', () => {
  it('a pulled page that changes three products updates exactly those three', async () => {
    const { db, version } = await seeded();
    const index = await refreshCatalogIndex(db);
    expect(index.size).toBe(10);
    const spy = vi.spyOn(index, 'upsertDoc');
    // P1 renamed, P2 gets a new colour, P3 a new price: each re-sends its one product document.
    await applyPulledPage(
      db,
      page(version + 3, [
        putProduct(doc('P1', 'Camisa Seda', [['M', 'Preto', 1001]]), version + 1),
        putProduct(doc('P2', 'Saia Midi', [['M', 'Preto', 1002], ['L', 'Verde', 1500]]), version + 2),
        putProduct(doc('P3', 'Vestido Festa', [['M', 'Preto', 7777]]), version + 3),
      ]),
      2,
    );
    const after = await refreshCatalogIndex(db);
    expect(after).toBe(index); // same index, updated in place: no rebuild
    expect(spy.mock.calls.map((c) => c[0].id).sort()).toEqual(['P1', 'P2', 'P3']);
    expect(after.search('seda').map((h) => h.id)).toEqual(['P1']);
    expect(after.search('linho')).toEqual([]);
    expect(after.get('P2')?.colors).toEqual(['Preto', 'Verde']);
    expect(after.get('P3')?.prices.EUR).toEqual([7777]);
    expect(catalogIndexStats(db).lastCatchUp).toMatchObject({ upserted: 3, removed: 0 });
  });

  it('a product deleted by a pull disappears from search', async () => {
    const { db, version } = await seeded();
    await refreshCatalogIndex(db);
    await applyPulledPage(db, page(version + 1, [{ table: 'products', key: 'P4', version: version + 1, deleted: true }]), 2);
    const index = await refreshCatalogIndex(db);
    expect(index.has('P4')).toBe(false);
    expect(index.search('casaco')).toEqual([]);
    expect(index.size).toBe(9);
  });

  it('a product removed locally (no version trace) disappears too', async () => {
    const { db, version } = await seeded();
    await refreshCatalogIndex(db);
    await db.products.delete('P5');
    await db.cursors.put({ stream: 'catalog', version: version + 1, syncedAt: 3 });
    const index = await refreshCatalogIndex(db);
    expect(index.has('P5')).toBe(false);
    expect(index.size).toBe(9);
  });

  it('saves the index with its version, and a cold start loads it and catches up with later pulls', async () => {
    const name = dbName();
    const { db, version } = await seeded(name);
    await refreshCatalogIndex(db);
    await saveCatalogIndex(db);
    const saved = (await db.meta.get(INDEX_META_KEY))?.value as SavedIndexEntry;
    expect(saved.version).toBe(version);
    // A pull lands while the app is closed.
    await applyPulledPage(db, page(version + 1, [putProduct(doc('P9', 'Parka Acolchoada'), version + 1)]), 2);
    db.close();

    const cold = new VitrineDb(name);
    const fromProducts = vi.spyOn(CatalogIndex, 'fromProducts');
    const index = await refreshCatalogIndex(cold);
    expect(fromProducts).not.toHaveBeenCalled();
    expect(catalogIndexStats(cold).path).toBe('loaded');
    expect(index.search('acolchoada').map((h) => h.id)).toEqual(['P9']);
    expect(index.search('calca').map((h) => h.id)).toEqual(['P0']);
    expect(catalogIndexStats(cold).lastCatchUp).toMatchObject({ upserted: 1 });
  });

  it('builds from the rows when the saved index is of another format', async () => {
    const name = dbName();
    const { db } = await seeded(name);
    await db.meta.put({ key: INDEX_META_KEY, value: { format: -1, version: 999, json: '{}' } });
    const index = await refreshCatalogIndex(db);
    expect(catalogIndexStats(db).path).toBe('built');
    expect(index.size).toBe(10);
  });

  it('serves the current index at once while a catch-up runs', async () => {
    const { db, version } = await seeded();
    const first = await refreshCatalogIndex(db);
    await applyPulledPage(db, page(version + 1, [putProduct(doc('P10', 'Gonna Plissada'), version + 1)]), 2);
    const served = await catalogIndex(db);
    expect(served).toBe(first);
    const caught = await refreshCatalogIndex(db);
    expect(caught.search('gonna').map((h) => h.id)).toEqual(['P10']);
  });

  it('debounces the save: nothing is written at once, the index lands in meta once changes settle', async () => {
    const { db, version } = await seeded();
    await refreshCatalogIndex(db);
    expect(await db.meta.get(INDEX_META_KEY)).toBeUndefined();
    await vi.waitFor(async () => expect((await db.meta.get(INDEX_META_KEY))?.value).toMatchObject({ version }), { timeout: SAVE_DELAY_MS + 3000, interval: 200 });
  });
});
