// The products page's filters narrow search and browse: category levels, size, colour, price, stock here / nearby.
import { describe, it, expect } from 'vitest';
import { VitrineDb } from '@/db/schema';
import { CatalogIndex } from '@/core/catalog/search/catalog-index';
import { catalogFacets } from '@/core/catalog/search/facets';
import { product, variants } from '@/core/catalog/search/test-catalog';
import type { LocationRow } from '@/core/model';
import type { LocationId, Sku } from '@/core/shared/brand';
import { applyPulledPage } from '@/db/sync-store';
import { NO_FILTERS, parseMajor, readStockSets, toSearchOptions, type Filters } from './search-filters';

const rows = [
  { product: product('A', 'Calça Chino', { category: ['Homem', 'Calças', 'Chino'] }), variants: variants('A', [['M', 'Preto', 4990], ['L', 'Bege', 4990]]) },
  { product: product('B', 'Calça Linho', { category: ['Mulher', 'Calças'] }), variants: variants('B', [['S', 'Branco', 8990]]) },
  { product: product('C', 'Camisa Oxford', { category: ['Homem', 'Camisas'] }), variants: variants('C', [['M', 'Azul', 3990]]) },
  { product: product('D', 'Saia Midi', { category: ['Mulher', 'Saias'] }), variants: variants('D', [['38', 'Preto', 5990]]) },
];
const index = CatalogIndex.fromRows(
  rows.map((r) => r.product),
  rows.flatMap((r) => r.variants),
);
const ids = (f: Partial<Filters>, q = '', sets = {}) => index.search(q, toSearchOptions({ ...NO_FILTERS, ...f }, 'EUR', sets)).map((h) => h.id).sort();

const store = (id: string, kind: LocationRow['kind'] = 'store'): LocationRow => ({
  id: id as LocationId, code: id, name: id, city: id, country: 'PT', kind, lat: 0, lon: 0, currency: 'EUR', taxMode: 'inclusive', taxRates: {}, locale: 'pt-PT', timeZone: 'Europe/Lisbon',
});

describe('product filters', () => {
  it('narrows by top-level category, then by second level', () => {
    expect(ids({ category: 'Homem' })).toEqual(['A', 'C']);
    expect(ids({ category: 'Homem', subcategory: 'Calças' })).toEqual(['A']);
    expect(ids({ category: 'Mulher' }, 'calca')).toEqual(['B']);
  });

  it('narrows by size, colour and a price range typed in major units', () => {
    expect(ids({ size: 'M' })).toEqual(['A', 'C']);
    expect(ids({ color: 'preto' })).toEqual(['A', 'D']);
    expect(ids({ priceMin: '45', priceMax: '60,00' })).toEqual(['A', 'D']);
    expect(ids({ priceMax: 'abc' }, 'calca')).toEqual(['A', 'B']);
  });

  it('parses prices with a comma or a dot, and rejects anything else', () => {
    expect(parseMajor('49,90')).toBe(4990);
    expect(parseMajor('49.9')).toBe(4990);
    expect(parseMajor('')).toBeUndefined();
    expect(parseMajor('1e3')).toBeUndefined();
  });

  it('"in stock here" keeps products with available stock in this store; "nearby" those another store has', async () => {
    const db = new VitrineDb(`filters-${Date.now()}`);
    await applyPulledPage(db, { stream: 'catalog', version: 4, more: false, total: 4, changes: rows.map((r, i) => ({ table: 'products', key: r.product.id, version: i + 1, row: { ...r.product, variants: r.variants } })) }, 1);
    await db.locations.bulkPut([store('S01'), store('S02'), store('W01', 'warehouse')]);
    await db.stock.bulkPut([
      { key: 'S01|A-1', locationId: 'S01' as LocationId, sku: 'A-1' as Sku, onHand: 2, reserved: 0, at: 0 },
      { key: 'S01|C-0', locationId: 'S01' as LocationId, sku: 'C-0' as Sku, onHand: 1, reserved: 1, at: 0 }, // all reserved
      { key: 'S02|B-0', locationId: 'S02' as LocationId, sku: 'B-0' as Sku, onHand: 5, reserved: 0, at: 0 }, // another store's row
    ]);
    await db.productAvailability.bulkPut([
      { productId: 'B', by: { 'B-0': { S02: 5 } }, at: 0 },
      { productId: 'D', by: { 'D-0': { W01: 9 } }, at: 0 }, // warehouse only: not "nearby"
      { productId: 'A', by: { 'A-0': { S01: 3, S02: 1 }, 'A-1': {} }, at: 0 },
      { productId: 'C', by: { 'C-0': { S01: 0 } }, at: 0 },
    ]);
    const sets = await readStockSets(db, 'S01', { here: true, nearby: true });
    expect([...(sets.here ?? [])]).toEqual(['A']);
    expect([...(sets.nearby ?? [])].sort()).toEqual(['A', 'B']);
    expect(ids({ inStockHere: true }, '', sets)).toEqual(['A']);
    expect(ids({ inStockNearby: true }, 'calca', sets)).toEqual(['A', 'B']);
    expect(ids({ inStockHere: true, inStockNearby: true }, '', sets)).toEqual(['A']);
    expect(await readStockSets(db, 'S01', { here: false, nearby: false })).toEqual({});
  });

  it('offers the categories (two levels), sizes in size order and colours on offer', () => {
    const f = catalogFacets(index.docs());
    expect(f.categories).toEqual([
      { name: 'Homem', children: ['Calças', 'Camisas'] },
      { name: 'Mulher', children: ['Calças', 'Saias'] },
    ]);
    expect(f.sizes).toEqual(['38', 'S', 'M', 'L']);
    expect(f.colors).toEqual(['Azul', 'Bege', 'Branco', 'Preto']);
  });
});
