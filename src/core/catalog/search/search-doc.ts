// The search document of one product (style): what the index searches, stores and filters on.
import type { ProductRow, VariantRow } from '../../model';
import type { Currency, Minor } from '../../shared/brand';
import { foldText, memoize } from './normalize';

const foldValue = memoize(foldText);

/** What the index searches and stores per product, and hands back in result rows. */
export interface SearchDoc {
  id: string;
  name: string;
  brand: string;
  /** Category path, broadest first, as in the product row. */
  category: readonly string[];
  /** Distinct colours of the variants, in variant order. */
  colors: readonly string[];
  /** Distinct sizes of the variants, in variant order (catalogs list them S, M, L …). */
  sizes: readonly string[];
  /**
   * Distinct variant prices per currency, ascending: the first is the "from" price, the last the
   * highest. Kept as the list rather than min/max so a price filter is exact (a style sold at 10
   * and 100 has no variant between 40 and 60) while min/max stay one index away.
   */
  prices: Partial<Record<Currency, readonly Minor[]>>;
  /** Distinct attribute values ("Linho", "Slim"): searched, and stored so short words can test them. */
  attrs: readonly string[];
}

/** Values deduplicated case- and accent-insensitively, keeping the first spelling met. */
function distinct(values: Iterable<string>): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const raw of values) {
    const value = raw.trim();
    const key = foldValue(value);
    if (key === '' || seen.has(key)) continue;
    seen.add(key);
    out.push(value);
  }
  return out;
}

/**
 * Builds the search document of a product from its row and its variants. Variants of another
 * product are ignored: a stray variant must not lend its sizes or prices to this style.
 */
export function toSearchDoc(product: ProductRow, variants: readonly VariantRow[]): SearchDoc {
  const own = variants.filter((v) => v.productId === product.id);
  const byCurrency = new Map<Currency, Set<Minor>>();
  for (const v of own) {
    for (const [currency, price] of Object.entries(v.prices) as [Currency, Minor | undefined][]) {
      if (price === undefined) continue;
      let set = byCurrency.get(currency);
      if (!set) byCurrency.set(currency, (set = new Set()));
      set.add(price);
    }
  }
  const prices: Partial<Record<Currency, Minor[]>> = {};
  for (const currency of [...byCurrency.keys()].sort()) {
    prices[currency] = [...(byCurrency.get(currency) ?? [])].sort((a, b) => a - b);
  }
  return {
    id: product.id,
    name: product.name,
    brand: product.brand,
    category: [...product.category],
    colors: distinct(own.map((v) => v.color)),
    sizes: distinct(own.map((v) => v.size)),
    attrs: distinct(Object.values(product.attributes)),
    prices,
  };
}

/** Lowest and highest variant price in a currency, or undefined when the style has none in it. */
export function priceRange(doc: Pick<SearchDoc, 'prices'>, currency: Currency): { min: Minor; max: Minor } | undefined {
  const list = doc.prices[currency];
  const min = list?.[0];
  const max = list?.[list.length - 1];
  return min === undefined || max === undefined ? undefined : { min, max };
}
