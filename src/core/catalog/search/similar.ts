// "Similar items" for the product page: nearest in the category tree, same brand next, close in price.
import type { Currency } from '../../shared/brand';
import { foldText } from './normalize';
import type { SearchDoc } from './search-doc';

export type SimilarCandidate = Pick<SearchDoc, 'id' | 'name' | 'brand' | 'category' | 'prices'>;

export interface SimilarOptions {
  /** Currency whose "from" price breaks ties: a €30 shirt is more like a €35 one than a €300 one. */
  currency?: Currency;
  /** Fewest category levels a candidate must share (default 1: same top level, e.g. "Women"). */
  minDepth?: number;
}

/** Number of leading category levels two paths share, compared case- and accent-insensitively. */
export function sharedCategoryDepth(a: readonly string[], b: readonly string[]): number {
  let depth = 0;
  while (depth < a.length && depth < b.length && foldText(a[depth] ?? '') === foldText(b[depth] ?? '')) depth++;
  return depth;
}

interface Ranked<T> {
  doc: T;
  depth: number;
  sameBrand: boolean;
  priceGap: number;
  nameKey: string;
}

/**
 * The n candidates most like `doc`: deepest shared category level first (same sub-category beats
 * same department), then same brand, then closest from-price in `currency`, then name and id so the
 * order is stable. The product itself is never its own similar item. Stock is the caller's filter.
 */
export function similarProducts<T extends SimilarCandidate>(
  doc: SimilarCandidate,
  candidates: Iterable<T>,
  n: number,
  opts: SimilarOptions = {},
): T[] {
  const minDepth = Math.max(1, opts.minDepth ?? 1);
  const brand = foldText(doc.brand);
  const ownPrice = opts.currency ? doc.prices[opts.currency]?.[0] : undefined;
  const ranked: Ranked<T>[] = [];
  for (const c of candidates) {
    if (c.id === doc.id) continue;
    const depth = sharedCategoryDepth(doc.category, c.category);
    if (depth < minDepth) continue;
    const theirPrice = opts.currency ? c.prices[opts.currency]?.[0] : undefined;
    ranked.push({
      doc: c,
      depth,
      sameBrand: brand !== '' && foldText(c.brand) === brand,
      priceGap: ownPrice === undefined || theirPrice === undefined ? Infinity : Math.abs(theirPrice - ownPrice),
      nameKey: foldText(c.name),
    });
  }
  ranked.sort(
    (a, b) =>
      b.depth - a.depth ||
      Number(b.sameBrand) - Number(a.sameBrand) ||
      comparePriceGap(a.priceGap, b.priceGap) ||
      compareStrings(a.nameKey, b.nameKey) ||
      compareStrings(a.doc.id, b.doc.id),
  );
  return ranked.slice(0, Math.max(0, n)).map((r) => r.doc);
}

// Infinity − Infinity is NaN, which a comparator must never return.
const comparePriceGap = (a: number, b: number) => (a === b ? 0 : a < b ? -1 : 1);
const compareStrings = (a: string, b: string) => (a === b ? 0 : a < b ? -1 : 1);
