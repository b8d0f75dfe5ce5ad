// Suggestions [CL5]: wishlist items back in stock here; styles like past purchases, in the
// customer's sizes, in stock here.
import { describe, expect, it } from 'vitest';
import { suggestFor, sizeFor, type CandidateProduct } from './suggestions';
import { emptyCustomer } from './profile-edit';
import { encodeHlc } from '../shared/hlc';
import type { CustomerRow, ProductRow, VariantRow } from '../model';
import type { Minor, Sku } from '../shared/brand';

const product = (id: string, brand: string, category: string[]): ProductRow => ({ id, name: `${brand} ${id}`, brand, category, description: '', attributes: {}, taxClass: 'standard', variants: [] });
const variant = (productId: string, size: string, color = 'Black'): VariantRow => ({ sku: `${productId}-${size}-${color}` as Sku, productId, barcode: '', size, color, prices: { EUR: 1000 as Minor } });

const shoes = ['Women', 'Shoes', 'Sneakers'];
const bought = product('P1', 'Norte', shoes);
const boughtV = variant('P1', '38');
const sameCat = product('P2', 'Brisa', shoes);
const otherCat = product('P3', 'Atlântico', ['Men', 'Trousers', 'Chinos']);
const favBrand = product('P4', 'Atlântico', ['Women', 'Tops', 'Shirts']);
const wished = product('P5', 'Brisa', ['Women', 'Bags', 'Totes']);
const wishedV = variant('P5', 'U');
const products = new Map([bought, sameCat, otherCat, favBrand, wished].map((p) => [p.id, p]));
const at = encodeHlc({ wall: 1, counter: 0, node: 'n' });

const base = (over: Partial<CustomerRow> = {}): CustomerRow => ({ ...emptyCustomer('C1', '2025-01-01T00:00:00.000Z'), ...over });
const candidates: CandidateProduct[] = [
  { product: sameCat, variants: [variant('P2', '37'), variant('P2', '38'), variant('P2', '39')] },
  { product: otherCat, variants: [variant('P3', '48')] },
  { product: favBrand, variants: [variant('P4', 'M', 'Red'), variant('P4', 'S', 'Blue')] },
  { product: wished, variants: [wishedV] },
];

describe('[CL5] suggestions', () => {
  it('[CL5] a wished item in stock here comes first; one out of stock is not suggested', () => {
    const customer = base({ wishlist: { [wishedV.sku]: { on: true, at } } });
    const inStock = suggestFor({ customer, bought: [boughtV], products, candidates, availableHere: () => 2, limit: 5 });
    expect(inStock[0]).toMatchObject({ sku: wishedV.sku, reason: 'wishlist' });
    const out = suggestFor({ customer, bought: [boughtV], products, candidates, availableHere: (s) => (s === wishedV.sku ? 0 : 2), limit: 5 });
    expect(out.map((s) => s.sku)).not.toContain(wishedV.sku);
  });

  it('[CL5] like past purchases, in the size they bought, in stock here', () => {
    const s = suggestFor({ customer: base(), bought: [boughtV], products, candidates, availableHere: (sku) => (sku === 'P2-39-Black' ? 0 : 1), limit: 5 });
    expect(s.map((x) => x.sku)).toEqual(['P2-38-Black']);
    const none = suggestFor({ customer: base(), bought: [boughtV], products, candidates, availableHere: (sku) => (sku === 'P2-38-Black' ? 0 : 1), limit: 5 });
    expect(none.map((x) => x.sku)).toEqual([]); // 37 and 39 are in stock, but not in her size
  });

  it('[CL5] the profile\'s sizes and favourite brand and colour shape the choice', () => {
    const customer = base({ sizes: { Shoes: '39', Tops: 'S' }, favoriteBrands: ['Atlântico'], favoriteColors: ['blue'] });
    const s = suggestFor({ customer, bought: [boughtV], products, candidates, availableHere: () => 1, limit: 5 });
    expect(s.map((x) => x.sku).sort()).toEqual(['P2-39-Black', 'P3-48-Black', 'P4-S-Blue']);
    expect(s[0]?.productId).toBe('P2'); // same category two levels deep ranks above a brand alone
    expect(s.find((x) => x.productId === 'P2')?.size).toBe('39');
    expect(s.find((x) => x.productId === 'P4')).toMatchObject({ size: 'S', color: 'Blue', reason: 'brand' });
    expect(sizeFor(sameCat, customer, [boughtV], products)).toBe('39');
  });
});
