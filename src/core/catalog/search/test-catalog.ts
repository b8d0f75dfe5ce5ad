// Test helpers: terse builders for product and variant rows, so search tests read as catalogs.
import type { ProductRow, VariantRow } from '../../model';
import { asSku, type Currency, type Minor } from '../../shared/brand';

export interface ProductSpec {
  brand?: string;
  category?: string[];
  description?: string;
  attributes?: Record<string, string>;
}

export function product(id: string, name: string, spec: ProductSpec = {}): ProductRow {
  return {
    id,
    name,
    brand: spec.brand ?? 'Vitrine',
    category: spec.category ?? ['Women', 'Clothing'],
    description: spec.description ?? '',
    attributes: spec.attributes ?? {},
    taxClass: 'standard',
    variants: [],
  };
}

/** One variant per [size, colour, price in EUR cents] triple (other currencies through `more`). */
export function variants(
  productId: string,
  specs: readonly (readonly [size: string, color: string, eur: number, more?: Partial<Record<Currency, number>>])[],
): VariantRow[] {
  return specs.map(([size, color, eur, more], i) => ({
    sku: asSku(`${productId}-${i}`),
    productId,
    barcode: `2000000${String(i).padStart(6, '0')}`,
    size,
    color,
    prices: { EUR: eur as Minor, ...(more as Partial<Record<Currency, Minor>> | undefined) },
  }));
}

/** A product with a single variant, for tests that only care about names. */
export function entry(id: string, name: string, spec: ProductSpec = {}, variant: readonly [string, string, number] = ['M', 'Black', 1000]) {
  return { product: product(id, name, spec), variants: variants(id, [variant]) };
}

/** A product document with these variants embedded (as the catalog stream carries it). */
export function doc(id: string, name: string, specs: Parameters<typeof variants>[1] = [['M', 'Black', 1000]], spec: ProductSpec = {}): ProductRow {
  return { ...product(id, name, spec), variants: variants(id, specs).map(({ productId: _p, ...v }) => (void _p, v)) };
}
