// Tests for "similar items": category depth first, then brand, then price, with the caller's stock filter.
import { describe, it, expect } from 'vitest';
import type { Minor } from '../../shared/brand';
import { CatalogIndex } from './catalog-index';
import { sharedCategoryDepth, similarProducts, type SimilarCandidate } from './similar';
import { entry } from './test-catalog';

const doc = (id: string, category: string[], brand = 'A', eur = 1000): SimilarCandidate => ({
  id,
  name: `Product ${id}`,
  brand,
  category,
  prices: { EUR: [eur as Minor] },
});

describe('sharedCategoryDepth', () => {
  it('counts the leading levels two paths share, ignoring case and accents', () => {
    expect(sharedCategoryDepth(['Women', 'Shoes', 'Sneakers'], ['women', 'Shoes', 'Boots'])).toBe(2);
    expect(sharedCategoryDepth(['Mulher', 'Calçado'], ['Mulher', 'Calcado'])).toBe(2);
    expect(sharedCategoryDepth(['Women'], ['Men'])).toBe(0);
    expect(sharedCategoryDepth([], ['Men'])).toBe(0);
  });
});

describe('similarProducts', () => {
  const self = doc('self', ['Women', 'Shoes', 'Sneakers'], 'Corre', 9000);

  it('puts the deepest shared category first, then the same brand', () => {
    const candidates = [
      doc('dept', ['Women', 'Bags'], 'Corre'),
      doc('sub-other-brand', ['Women', 'Shoes', 'Sneakers'], 'Other'),
      doc('sub-same-brand', ['Women', 'Shoes', 'Sneakers'], 'corre'),
      doc('sibling', ['Women', 'Shoes', 'Boots'], 'Corre'),
      doc('elsewhere', ['Men', 'Shoes', 'Sneakers'], 'Corre'),
    ];
    expect(similarProducts(self, candidates, 10).map((d) => d.id)).toEqual([
      'sub-same-brand',
      'sub-other-brand',
      'sibling',
      'dept',
    ]);
  });

  it('never lists the product itself and honours n', () => {
    const candidates = [self, doc('x', ['Women', 'Shoes']), doc('y', ['Women'])];
    expect(similarProducts(self, candidates, 1).map((d) => d.id)).toEqual(['x']);
    expect(similarProducts(self, candidates, 0)).toEqual([]);
  });

  it('breaks ties by closeness of the from-price when given a currency', () => {
    const candidates = [
      doc('far', ['Women', 'Shoes', 'Sneakers'], 'B', 30000),
      doc('close', ['Women', 'Shoes', 'Sneakers'], 'B', 9500),
      doc('no-price', ['Women', 'Shoes', 'Sneakers'], 'B', 0),
    ];
    candidates[2] = { ...candidates[2]!, prices: {} };
    expect(similarProducts(self, candidates, 3, { currency: 'EUR' }).map((d) => d.id)).toEqual(['close', 'far', 'no-price']);
  });

  it('can require a deeper shared level', () => {
    const candidates = [doc('dept', ['Women', 'Bags']), doc('sibling', ['Women', 'Shoes', 'Boots'])];
    expect(similarProducts(self, candidates, 5, { minDepth: 2 }).map((d) => d.id)).toEqual(['sibling']);
  });
});

describe('CatalogIndex.similar', () => {
  const index = CatalogIndex.empty();
  index.upsertMany([
    entry('self', 'Runner One', { brand: 'Corre', category: ['Women', 'Shoes', 'Sneakers'] }),
    entry('same-leaf', 'Runner Two', { brand: 'Other', category: ['Women', 'Shoes', 'Sneakers'] }),
    entry('same-leaf-brand', 'Runner Three', { brand: 'Corre', category: ['Women', 'Shoes', 'Sneakers'] }),
    entry('sibling', 'Ankle Boot', { brand: 'Corre', category: ['Women', 'Shoes', 'Boots'] }),
    entry('dept', 'Tote', { category: ['Women', 'Bags'] }),
    entry('men', 'Runner Men', { brand: 'Corre', category: ['Men', 'Shoes', 'Sneakers'] }),
  ]);

  it('stops at the deepest level that has enough candidates', () => {
    expect(index.similar('self', 2).map((d) => d.id)).toEqual(['same-leaf-brand', 'same-leaf']);
  });

  it('widens to shallower levels when the deeper ones are short', () => {
    expect(index.similar('self', 4).map((d) => d.id)).toEqual(['same-leaf-brand', 'same-leaf', 'sibling', 'dept']);
  });

  it("applies the caller's stock predicate before counting", () => {
    const inStock = new Set(['same-leaf', 'sibling', 'dept']);
    expect(index.similar('self', 2, { where: (id) => inStock.has(id) }).map((d) => d.id)).toEqual(['same-leaf', 'sibling']);
  });

  it('asks the stock predicate lazily, best candidate first, once per product', () => {
    const asked: string[] = [];
    const where = (id: string) => {
      asked.push(id);
      return id !== 'same-leaf-brand';
    };
    expect(index.similar('self', 2, { where }).map((d) => d.id)).toEqual(['same-leaf', 'sibling']);
    expect(asked).toEqual(['same-leaf-brand', 'same-leaf', 'sibling']);
  });

  it('gives nothing for an unknown product', () => {
    expect(index.similar('nope', 3)).toEqual([]);
  });
});
