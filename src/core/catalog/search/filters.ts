// Search filters (category path, size, colour, price, the caller's predicate) compiled into one test.
import type { SearchDoc } from './search-doc';
import { memoize, phraseKey } from './normalize';
import type { CatalogSearchOptions } from './catalog-index';

export type Accept = (doc: SearchDoc) => boolean;

/** The filters of a search as one predicate, cheapest tests first; undefined when there are none. */
export function compileFilter(opts: CatalogSearchOptions): Accept | undefined {
  const tests: Accept[] = [];
  if (opts.category && opts.category.length > 0) {
    const prefix = opts.category.map(foldPhrase);
    tests.push((d) => hasPathPrefix(d.category, prefix));
  }
  const sizes = foldedSet(opts.size);
  if (sizes) tests.push((d) => d.sizes.some((s) => sizes.has(foldPhrase(s))));
  const colors = foldedSet(opts.color);
  if (colors) tests.push((d) => d.colors.some((c) => colors.has(foldPhrase(c))));
  if (opts.priceMin !== undefined || opts.priceMax !== undefined) {
    const currency = opts.currency;
    if (!currency) throw new RangeError('A price filter needs the currency its bounds are in');
    const min = opts.priceMin ?? -Infinity;
    const max = opts.priceMax ?? Infinity;
    tests.push((d) => (d.prices[currency] ?? []).some((p) => p >= min && p <= max));
  }
  const where = opts.where;
  if (where) tests.push((d) => where(d.id));
  return tests.reduce<Accept | undefined>((acc, t) => allOf(acc, t), undefined);
}

export function allOf(a: Accept | undefined, b: Accept | undefined): Accept | undefined {
  if (!a) return b;
  if (!b) return a;
  return (d) => a(d) && b(d);
}

/** Sizes, colours and category names: a small vocabulary, folded once per value. */
export const foldPhrase = memoize(phraseKey);

function foldedSet(value: string | readonly string[] | undefined): Set<string> | undefined {
  if (value === undefined) return undefined;
  const list: readonly string[] = typeof value === 'string' ? [value] : value;
  return list.length > 0 ? new Set(list.map(foldPhrase)) : undefined;
}

export function hasPathPrefix(path: readonly string[], foldedPrefix: readonly string[]): boolean {
  if (path.length < foldedPrefix.length) return false;
  return foldedPrefix.every((seg, i) => foldPhrase(path[i] ?? '') === seg);
}
