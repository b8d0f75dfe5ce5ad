// [OR2] Sourcing a till order, against an in-memory chain: the pickup store if it has stock, else the
// nearest location with enough, else the warehouse; lines split across locations when needed; what
// nobody has is unsourced. Property: shares never exceed what a location has, and with what is
// unsourced they add up to each line's quantity exactly.
import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import type { ReadTx } from '../sync/command';
import type { LocationRow, ProductRow, StockRow, Tables, TableName } from '../model';
import { stockKey } from '../model';
import { allocate } from './sourcing';

// Lisboa, Porto, Milano, São Paulo (far), warehouse near Lisboa.
const LOCS: [string, number, number, 'store' | 'warehouse'][] = [
  ['S01', 38.71, -9.14, 'store'],
  ['S02', 41.15, -8.61, 'store'],
  ['S03', 45.46, 9.19, 'store'],
  ['S04', -23.55, -46.63, 'store'],
  ['W01', 39.2, -8.9, 'warehouse'],
];

function chain(stock: Record<string, Record<string, number>>): ReadTx {
  const skus = [...new Set(Object.values(stock).flatMap((s) => Object.keys(s)))];
  const product: ProductRow = { id: 'P1', name: 'Shirt', brand: 'B', category: [], description: '', attributes: {}, taxClass: 'std', variants: skus.map((sku) => ({ sku, barcode: sku, size: 'M', color: 'blue', prices: { EUR: 1000 } })) } as unknown as ProductRow;
  const rows: Partial<Record<TableName, Map<string, unknown>>> = {
    locations: new Map(LOCS.map(([id, lat, lon, kind]) => [id, { id, code: id, name: id, kind, lat, lon } as unknown as LocationRow])),
    stock: new Map(Object.entries(stock).flatMap(([loc, by]) => Object.entries(by).map(([sku, n]) => [stockKey(loc, sku), { key: stockKey(loc, sku), locationId: loc, sku, onHand: n, reserved: 0, at: 0 } as unknown as StockRow]))),
    productAvailability: new Map([['P1', { productId: 'P1', at: 0, by: Object.fromEntries(skus.map((sku) => [sku, Object.fromEntries(Object.entries(stock).map(([loc, by]) => [loc, by[sku] ?? 0]))])) }]]),
  };
  return {
    get: async <T extends TableName>(t: T, k: string) => rows[t]?.get(k) as Tables[T] | undefined,
    getMany: async <T extends TableName>(t: T, ks: readonly string[]) => ks.map((k) => rows[t]?.get(k) as Tables[T] | undefined),
    productsBySku: async (s: readonly string[]) => s.map((x) => (skus.includes(x) ? product : undefined)),
  };
}

describe('allocate [OR2]', () => {
  it('[OR2] the pickup store if its stock covers every line', async () => {
    const s = await allocate(chain({ S02: { A: 2, B: 1 }, S01: { A: 5, B: 5 } }), 'S02', [{ sku: 'A', qty: 2 }, { sku: 'B', qty: 1 }]);
    expect(s.unsourced).toEqual([]);
    expect(s.shares.map((x) => [x.sku, x.locationId, x.qty])).toEqual([['A', 'S02', 2], ['B', 'S02', 1]]);
  });

  it('[OR2] else the nearest location with enough of everything (Lisboa before Milano for a Porto pickup)', async () => {
    const s = await allocate(chain({ S02: { A: 1 }, S01: { A: 3 }, S03: { A: 9 }, W01: { A: 9 } }), 'S02', [{ sku: 'A', qty: 3 }]);
    expect(s.shares).toEqual([{ line: 0, sku: 'A', locationId: 'S01', qty: 3 }]);
  });

  it('[OR2] else the warehouse when no store has all of it', async () => {
    const s = await allocate(chain({ S02: { A: 1 }, S03: { A: 1 }, W01: { A: 4 } }), 'S02', [{ sku: 'A', qty: 4 }]);
    expect(s.shares).toEqual([{ line: 0, sku: 'A', locationId: 'W01', qty: 4 }]);
  });

  it('[OR2] a shipment home starts from the warehouse', async () => {
    const s = await allocate(chain({ S01: { A: 5 }, W01: { A: 5 } }), undefined, [{ sku: 'A', qty: 1 }]);
    expect(s.shares[0]!.locationId).toBe('W01');
  });

  it('[OR2] lines split across locations when no single one has all: each line whole where it can be, else in pieces', async () => {
    const s = await allocate(chain({ S02: { A: 2 }, S03: { B: 1 }, S04: { B: 1 }, W01: {} }), 'S02', [{ sku: 'A', qty: 2 }, { sku: 'B', qty: 2 }]);
    expect(s.unsourced).toEqual([]);
    expect(s.shares.map((x) => [x.sku, x.locationId, x.qty])).toEqual([['A', 'S02', 2], ['B', 'S03', 1], ['B', 'S04', 1]]);
  });

  it('[OR2] what no location has is unsourced; the rest is still reserved', async () => {
    const s = await allocate(chain({ S02: { A: 1 }, W01: { A: 1 } }), 'S02', [{ sku: 'A', qty: 5 }]);
    expect(s.shares.reduce((n, x) => n + x.qty, 0)).toBe(2);
    expect(s.unsourced).toEqual([{ line: 0, sku: 'A', qty: 3 }]);
  });

  it('[PQ1] a short line is sourced again without the locations it was short at: the next nearest, the warehouse, or unsourced', async () => {
    const stock = { S01: { A: 5 }, S02: { A: 5 }, S03: { A: 5 }, W01: { A: 5 } };
    expect((await allocate(chain(stock), 'S01', [{ sku: 'A', qty: 1 }], ['S01'])).shares).toEqual([{ line: 0, sku: 'A', locationId: 'S02', qty: 1 }]);
    expect((await allocate(chain(stock), 'S01', [{ sku: 'A', qty: 1 }], ['S01', 'S02', 'S03'])).shares).toEqual([{ line: 0, sku: 'A', locationId: 'W01', qty: 1 }]);
    const none = await allocate(chain(stock), 'S01', [{ sku: 'A', qty: 1 }], ['S01', 'S02', 'S03', 'S04', 'W01']);
    expect([none.shares, none.unsourced]).toEqual([[], [{ line: 0, sku: 'A', qty: 1 }]]);
  });

  it('[PQ1] property: an excluded location never gets a share', async () => {
    const locIds = LOCS.map((l) => l[0]);
    await fc.assert(
      fc.asyncProperty(
        fc.dictionary(fc.constantFrom(...locIds), fc.record({ A: fc.nat(6), B: fc.nat(6) })),
        fc.uniqueArray(fc.constantFrom(...locIds)),
        fc.constantFrom<string | undefined>('S01', 'S02', undefined),
        fc.integer({ min: 1, max: 12 }),
        async (stock, exclude, near, qty) => {
          const s = await allocate(chain({ ...stock, W01: stock.W01 ?? {} }), near, [{ sku: 'A', qty }], exclude);
          for (const x of s.shares) expect(exclude).not.toContain(x.locationId);
          expect(s.shares.reduce((t, x) => t + x.qty, 0) + s.unsourced.reduce((t, u) => t + u.qty, 0)).toBe(qty);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('[OR2] property: shares stay within stock and, with the unsourced, add up to every line exactly', async () => {
    const locIds = LOCS.map((l) => l[0]);
    await fc.assert(
      fc.asyncProperty(
        fc.dictionary(fc.constantFrom(...locIds), fc.record({ A: fc.nat(6), B: fc.nat(6), C: fc.nat(6) })),
        fc.uniqueArray(fc.record({ sku: fc.constantFrom('A', 'B', 'C'), qty: fc.integer({ min: 1, max: 12 }) }), { selector: (n) => n.sku, minLength: 1 }),
        fc.constantFrom<string | undefined>('S01', 'S02', 'S03', undefined),
        async (stock, needs, near) => {
          const s = await allocate(chain({ ...stock, W01: stock.W01 ?? {} }), near, needs);
          for (const [line, n] of needs.entries()) {
            const got = s.shares.filter((x) => x.line === line).reduce((t, x) => t + x.qty, 0) + s.unsourced.filter((u) => u.line === line).reduce((t, u) => t + u.qty, 0);
            expect(got).toBe(n.qty);
          }
          const used = new Map<string, number>();
          for (const x of s.shares) used.set(`${x.locationId}|${x.sku}`, (used.get(`${x.locationId}|${x.sku}`) ?? 0) + x.qty);
          for (const [k, q] of used) {
            const [loc, sku] = k.split('|') as [string, 'A' | 'B' | 'C'];
            expect(q).toBeLessThanOrEqual(stock[loc]?.[sku] ?? 0);
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
