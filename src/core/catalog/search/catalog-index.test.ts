// Tests for the catalog search index: matching, typos, ranking, filters, browsing, upkeep and persistence.
import { describe, it, expect } from 'vitest';
import { asSku, type Minor } from '../../shared/brand';
import { CATALOG_INDEX_VERSION, CatalogIndex, toSearchDoc, transpositions, type CatalogSearchOptions } from './catalog-index';
import { priceRange } from './search-doc';
import { entry, product, variants } from './test-catalog';

function sampleIndex(): CatalogIndex {
  const index = CatalogIndex.empty();
  index.upsertMany([
    {
      product: product('p-calca', 'Calça Jeans Skinny', { brand: 'Lisboa Denim', category: ['Women', 'Trousers', 'Jeans'] }),
      variants: variants('p-calca', [
        ['38', 'Azul', 4990],
        ['40', 'Azul', 4990],
        ['42', 'Preto', 5490],
      ]),
    },
    {
      product: product('p-calca-red', 'Calça Chino', { brand: 'Porto', category: ['Men', 'Trousers', 'Chinos'] }),
      variants: variants('p-calca-red', [
        ['M', 'Red', 3990],
        ['L', 'Red', 3990],
      ]),
    },
    {
      product: product('p-sneakers', 'Sneakers Runner', { brand: 'Corre', category: ['Women', 'Shoes', 'Sneakers'] }),
      variants: variants('p-sneakers', [
        ['38', 'White', 8990],
        ['39', 'Black', 8990],
      ]),
    },
    {
      product: product('p-bag', 'Bag Tote', { brand: 'Borse', category: ['Women', 'Accessories', 'Bags'] }),
      variants: variants('p-bag', [['U', 'Brown', 12900]]),
    },
    {
      product: product('p-tee', 'T-Shirt Básica', { brand: 'Algodão Co', category: ['Men', 'Tops', 'T-Shirts'] }),
      variants: variants('p-tee', [
        ['S', 'White', 1290],
        ['M', 'White', 1290],
        ['L', 'Black', 1490],
      ]),
    },
    {
      product: product('p-501', 'Jeans 501 Original', { brand: "Levi's", category: ['Men', 'Trousers', 'Jeans'] }),
      variants: variants('p-501', [['32', 'Indigo', 9990, { USD: 8900 }]]),
    },
  ]);
  return index;
}

const ids = (index: CatalogIndex, query: string, opts?: CatalogSearchOptions) => index.search(query, opts).map((h) => h.id);

describe('toSearchDoc', () => {
  it('collects distinct colours and sizes and sorted distinct prices per currency', () => {
    const doc = toSearchDoc(
      product('p1', 'Camisa', { attributes: { material: 'Linho', fit: 'Slim' } }),
      variants('p1', [
        ['M', 'Azul', 3990, { BRL: 19900 }],
        ['L', 'azul', 2990],
        ['M', 'Branco', 3990, { BRL: 17900 }],
      ]),
    );
    expect(doc.colors).toEqual(['Azul', 'Branco']);
    expect(doc.sizes).toEqual(['M', 'L']);
    expect(doc.prices).toEqual({ BRL: [17900, 19900], EUR: [2990, 3990] });
    expect(doc.attrs).toEqual(['Linho', 'Slim']);
    expect(priceRange(doc, 'EUR')).toEqual({ min: 2990, max: 3990 });
    expect(priceRange(doc, 'USD')).toBeUndefined();
  });

  it('ignores variants of another product', () => {
    const stray = { sku: asSku('x'), productId: 'other', barcode: '', size: 'XXL', color: 'Gold', prices: { EUR: 1 as Minor } };
    const doc = toSearchDoc(product('p1', 'Camisa'), [...variants('p1', [['M', 'Azul', 3990]]), stray]);
    expect(doc.sizes).toEqual(['M']);
    expect(doc.colors).toEqual(['Azul']);
    expect(doc.prices.EUR).toEqual([3990]);
  });
});

describe('CatalogIndex.search: matching', () => {
  const index = sampleIndex();

  it("finds 'Calça' when typing 'calca'", () => {
    expect(ids(index, 'calca')).toEqual(expect.arrayContaining(['p-calca', 'p-calca-red']));
    expect(ids(index, 'CALÇA')).toEqual(ids(index, 'calca'));
    expect(ids(index, 'calça')).toEqual(ids(index, 'calca'));
  });

  it("finds accented brands and attributes without the accents ('algodao')", () => {
    expect(ids(index, 'algodao')).toEqual(['p-tee']);
  });

  it("tolerates one typo in a longer word ('sneakres' finds 'Sneakers')", () => {
    expect(ids(index, 'sneakres')).toContain('p-sneakers'); // two letters swapped
    expect(ids(index, 'sneakrs')).toContain('p-sneakers'); // a letter missing
    expect(ids(index, 'sneakkers')).toContain('p-sneakers'); // a letter too many
    expect(ids(index, 'sbeakers')).toContain('p-sneakers'); // a wrong letter
  });

  it('does not tolerate two typos', () => {
    expect(ids(index, 'snaekres')).toEqual([]);
    expect(ids(index, 'sbeakrs')).toEqual([]);
  });

  it('does not fuzz short words', () => {
    expect(ids(index, 'bag')).toEqual(['p-bag']);
    expect(ids(index, 'bog')).toEqual([]);
    expect(ids(index, 'tote')).toEqual(['p-bag']);
    expect(ids(index, 'tota')).toEqual([]);
  });

  it('prefix of the last word matches as you type', () => {
    expect(ids(index, 'sn')).toEqual(['p-sneakers']);
    expect(ids(index, 'calça je')).toEqual(['p-calca']);
    expect(ids(index, 'calca jeans sk')).toEqual(['p-calca']);
  });

  it('lists names starting with one or two typed letters, in name order', () => {
    expect(ids(index, 'ca')).toEqual(['p-calca-red', 'p-calca']); // "calca chino" < "calca jeans skinny"
    expect(ids(index, 'C')).toEqual(['p-calca-red', 'p-calca']);
    expect(ids(index, 'or')).toEqual(['p-501']); // a later word of the name: "Jeans 501 Original"
    expect(ids(index, 'ca', { where: (id) => id === 'p-calca' })).toEqual(['p-calca']);
  });

  it('narrows by a short last word across all fields, not only names', () => {
    expect(ids(index, 'calca az')).toEqual(['p-calca']); // colour Azul
    expect(ids(index, 'calca po')).toEqual(['p-calca-red']); // brand Porto
    expect(ids(index, 'calca ch')).toEqual(['p-calca-red']); // category Chinos, and the name
    expect(ids(index, 'basica ts')).toEqual(['p-tee']); // the joined "tshirt" of T-Shirt
    expect(ids(index, 'calca zz')).toEqual([]);
  });

  it('requires every word to match', () => {
    expect(ids(index, 'calca red')).toEqual(['p-calca-red']);
    expect(ids(index, 'calca azul')).toEqual(['p-calca']);
    expect(ids(index, 'calca green')).toEqual([]);
  });

  it("finds 'T-Shirt' as 'tshirt', 't shirt' and 't-shirt'", () => {
    expect(ids(index, 'tshirt')).toEqual(['p-tee']);
    expect(ids(index, 't shirt')).toEqual(['p-tee']);
    expect(ids(index, 't-shirt')).toEqual(['p-tee']);
  });

  it('matches numbers in names and sizes', () => {
    expect(ids(index, '501')).toEqual(['p-501']);
    expect(ids(index, 'calca 42')).toEqual(['p-calca']);
  });

  it("finds an apostrophised brand typed without the apostrophe ('levis')", () => {
    expect(ids(index, 'levis')).toEqual(['p-501']);
  });

  it('returns result rows with the stored fields and the matched words', () => {
    const [hit] = index.search('sneakers');
    expect(hit).toMatchObject({
      id: 'p-sneakers',
      name: 'Sneakers Runner',
      brand: 'Corre',
      category: ['Women', 'Shoes', 'Sneakers'],
      colors: ['White', 'Black'],
      sizes: ['38', '39'],
      prices: { EUR: [8990] },
    });
    expect(hit?.score).toBeGreaterThan(0);
    expect(hit?.terms).toContain('sneakers');
  });

  it('honours the limit', () => {
    expect(index.search('calca', { limit: 1 })).toHaveLength(1);
    expect(index.search('calca', { limit: 0 })).toEqual([]);
  });
});

describe('CatalogIndex.search: ranking', () => {
  it('ranks an exact name match above a document matching in more fields', () => {
    const index = CatalogIndex.empty();
    index.upsertMany([
      // Scores higher on its own: "oxford" in name, brand, category and attributes.
      entry('many', 'Camisa Oxford', { brand: 'Oxford', category: ['Men', 'Shirts', 'Oxford'], attributes: { weave: 'Oxford' } }),
      entry('exact', 'Oxford', { category: ['Men', 'Shoes'] }),
      entry('starts', 'Oxford Classic Brogue', { category: ['Men', 'Shoes'] }),
    ]);
    const hits = index.search('oxford');
    expect(hits.map((h) => h.id)).toEqual(['exact', 'starts', 'many']);
    const score = (id: string) => hits.find((h) => h.id === id)?.score ?? 0;
    expect(score('many')).toBeGreaterThan(score('exact')); // so the order is the re-ranking's doing
  });

  it('ranks a name starting with the typed words above one starting with a longer word', () => {
    const index = CatalogIndex.empty();
    index.upsertMany([entry('shoe', 'Calçado Social'), entry('trousers', 'Calça Social')]);
    expect(ids(index, 'calca')).toEqual(['trousers', 'shoe']);
  });

  it('weighs a match in the name above a match in the brand', () => {
    const index = CatalogIndex.empty();
    index.upsertMany([
      entry('brand', 'Flip Flop Slim', { brand: 'Havaianas' }),
      entry('name', 'Flip Flop Havaianas', { brand: 'Ipanema' }),
    ]);
    expect(ids(index, 'havaianas')).toEqual(['name', 'brand']);
  });

  it('weighs the brand above the category and the category above the colour', () => {
    const index = CatalogIndex.empty();
    index.upsertMany([
      entry('color', 'Dress A', { category: ['Women', 'Dresses'] }, ['M', 'Coral', 1000]),
      entry('category', 'Dress B', { category: ['Women', 'Coral'] }),
      entry('brand', 'Dress C', { brand: 'Coral', category: ['Women', 'Dresses'] }),
    ]);
    expect(ids(index, 'coral')).toEqual(['brand', 'category', 'color']);
  });

  it('ranks an exact word above its typo reading', () => {
    const index = CatalogIndex.empty();
    index.upsertMany([entry('typo', 'Camisa Slim'), entry('exact', 'Camsia Slim')]);
    expect(ids(index, 'camsia')).toEqual(['exact', 'typo']);
  });
});

describe('CatalogIndex.search: filters and browsing', () => {
  const index = sampleIndex();

  it('filters by size and colour', () => {
    expect(ids(index, 'calca', { size: '42' })).toEqual(['p-calca']);
    expect(ids(index, 'calca', { color: 'red' })).toEqual(['p-calca-red']);
    expect(ids(index, 'calca', { size: 'M', color: 'Red' })).toEqual(['p-calca-red']);
    expect(ids(index, 'calca', { size: '42', color: 'Red' })).toEqual([]);
    expect(ids(index, '', { color: ['white', 'BROWN'] })).toEqual(['p-bag', 'p-sneakers', 'p-tee']);
  });

  it('filters by category path prefix', () => {
    expect(ids(index, 'jeans', { category: ['Men'] })).toEqual(['p-501']);
    expect(ids(index, '', { category: ['men', 'trousers'] })).toEqual(['p-calca-red', 'p-501']);
    expect(ids(index, '', { category: ['Women', 'Trousers', 'Jeans'] })).toEqual(['p-calca']);
    expect(ids(index, '', { category: ['Women', 'Trous'] })).toEqual([]); // whole levels only
  });

  it('filters by price in a currency, bounds inclusive', () => {
    expect(ids(index, 'calca', { currency: 'EUR', priceMax: 3990 })).toEqual(['p-calca-red']);
    expect(ids(index, 'calca', { currency: 'EUR', priceMin: 5000, priceMax: 6000 })).toEqual(['p-calca']);
    expect(ids(index, '', { currency: 'USD', priceMin: 0 })).toEqual(['p-501']);
  });

  it('refuses a price bound without its currency', () => {
    expect(() => index.search('calca', { priceMax: 3990 })).toThrow(RangeError);
  });

  it("applies the caller's predicate (stock lives elsewhere)", () => {
    const inStock = new Set(['p-calca-red']);
    expect(ids(index, 'calca', { where: (id) => inStock.has(id) })).toEqual(['p-calca-red']);
  });

  it("asks the caller's predicate only about rows that could make the page", () => {
    const big = CatalogIndex.empty();
    big.upsertMany(Array.from({ length: 400 }, (_, i) => entry(`c${String(i).padStart(3, '0')}`, `Camisa Linho ${i}`)));
    let calls = 0;
    const where = (id: string) => {
      calls++;
      return Number(id.slice(1)) % 3 === 0;
    };
    const page = ids(big, 'camisa linho', { limit: 5, where });
    expect(calls).toBeLessThan(100);
    const everything = ids(big, 'camisa linho', { limit: Infinity }).filter(where);
    expect(page).toEqual(everything.slice(0, 5));
  });

  it('browses the filtered catalog by name when the query is empty', () => {
    expect(ids(index, '', { category: ['Women'] })).toEqual(['p-bag', 'p-calca', 'p-sneakers']);
    expect(ids(index, '  ', { category: ['Women'], limit: 2 })).toEqual(['p-bag', 'p-calca']);
    expect(index.search('', {}).map((h) => h.score)).toEqual([0, 0, 0, 0, 0, 0]);
  });
});

describe('CatalogIndex: upkeep', () => {
  it('reflects an upsert without a rebuild', () => {
    const index = sampleIndex();
    expect(index.size).toBe(6);
    index.upsert(
      product('p-bag', 'Mochila Urbana', { brand: 'Borse', category: ['Women', 'Accessories', 'Backpacks'] }),
      variants('p-bag', [['U', 'Green', 7900]]),
    );
    expect(index.size).toBe(6);
    expect(ids(index, 'bag')).toEqual([]);
    expect(ids(index, 'mochila')).toEqual(['p-bag']);
    expect(ids(index, '', { color: 'brown' })).toEqual([]);
    expect(ids(index, '', { color: 'green' })).toEqual(['p-bag']);
    expect(index.get('p-bag')?.name).toBe('Mochila Urbana');
  });

  it('accepts the same product twice', () => {
    const index = CatalogIndex.empty();
    const e = entry('p1', 'Saia Midi');
    index.upsert(e.product, e.variants);
    index.upsert(e.product, e.variants);
    expect(index.size).toBe(1);
    expect(ids(index, 'saia')).toEqual(['p1']);
  });

  it('a removed product is no longer found', () => {
    const index = sampleIndex();
    expect(index.remove('p-sneakers')).toBe(true);
    expect(index.remove('p-sneakers')).toBe(false);
    expect(index.has('p-sneakers')).toBe(false);
    expect(ids(index, 'sneakers')).toEqual([]);
    expect(ids(index, '', { category: ['Women', 'Shoes'] })).toEqual([]);
    expect(index.size).toBe(5);
  });

  it('builds from the catalog tables with variants in any order', () => {
    const a = entry('a', 'Vestido Longo', {}, ['S', 'Rosa', 5900]);
    const b = entry('b', 'Vestido Curto', {}, ['M', 'Verde', 4900]);
    const index = CatalogIndex.fromRows([a.product, b.product], [...b.variants, ...a.variants]);
    expect(ids(index, 'vestido rosa')).toEqual(['a']);
    expect(ids(index, 'vestido verde')).toEqual(['b']);
  });
});

describe('CatalogIndex: persistence', () => {
  const queries = ['calca', 'sneakres', 'calça je', 't shirt', 'algodao', '501', ''];

  it('survives a JSON round trip with identical results', () => {
    const index = sampleIndex();
    index.remove('p-bag'); // a discarded document must not come back
    const loaded = CatalogIndex.fromJSON(JSON.stringify(index));
    expect(loaded).not.toBeNull();
    for (const q of queries) expect(loaded?.search(q)).toEqual(index.search(q));
    expect(loaded?.search('bag')).toEqual([]);
    // …and stays maintainable after loading.
    const e = entry('p-new', 'Casaco Lã');
    loaded?.upsert(e.product, e.variants);
    expect(loaded?.search('casaco la').map((h) => h.id)).toEqual(['p-new']);
  });

  it('loads asynchronously with the same results', async () => {
    const index = sampleIndex();
    const loaded = await CatalogIndex.fromJSONAsync(index.toJSON());
    for (const q of queries) expect(loaded?.search(q)).toEqual(index.search(q));
  });

  it('keeps name order after loading, with or without the saved order', () => {
    const index = sampleIndex();
    const saved = index.toJSON();
    expect(saved.names).toHaveLength(6);
    const withOrder = CatalogIndex.fromJSON(saved);
    const withoutOrder = CatalogIndex.fromJSON({ version: saved.version, index: saved.index });
    const scrambled = CatalogIndex.fromJSON({ ...saved, names: [...(saved.names ?? [])].reverse() });
    for (const loaded of [withOrder, withoutOrder, scrambled]) {
      expect(loaded?.search('')).toEqual(index.search(''));
      expect(loaded?.search('ca')).toEqual(index.search('ca'));
    }
  });

  it('refuses an index saved under another version', () => {
    const saved = sampleIndex().toJSON();
    expect(CatalogIndex.fromJSON({ ...saved, version: CATALOG_INDEX_VERSION + 1 })).toBeNull();
    expect(CatalogIndex.fromJSON('{"something":"else"}')).toBeNull();
  });
});

describe('transpositions', () => {
  it('lists each swap of two adjacent different letters once', () => {
    expect(transpositions('abc')).toEqual(['bac', 'acb']);
    expect(transpositions('aab')).toEqual(['aba']);
  });
});
