// Filter choices on offer in a catalog: category tree (two levels), sizes and colours, folded-distinct.
import type { SearchDoc } from './search-doc';
import { foldPhrase } from './filters';

export interface CatalogFacets {
  /** Top-level categories, sorted, each with its second-level children, sorted. */
  categories: { name: string; children: string[] }[];
  sizes: string[];
  colors: string[];
}

/** Distinct values, accent- and case-insensitively, keeping the first spelling met. */
class Distinct {
  private readonly seen = new Map<string, string>();
  add(value: string | undefined): void {
    if (!value) return;
    const key = foldPhrase(value);
    if (key && !this.seen.has(key)) this.seen.set(key, value);
  }
  sorted(compare: (a: string, b: string) => number): string[] {
    return [...this.seen.values()].sort(compare);
  }
}

const byName = (a: string, b: string) => a.localeCompare(b);
/** Sizes: numeric ones by value, then letter sizes in their usual order, then the rest by name. */
const LETTER_SIZES = ['XXS', 'PP', 'XS', 'P', 'S', 'M', 'G', 'L', 'GG', 'XL', 'XXL', 'XXXL', 'U'];
export function compareSizes(a: string, b: string): number {
  const na = Number(a);
  const nb = Number(b);
  const numA = a.trim() !== '' && Number.isFinite(na);
  const numB = b.trim() !== '' && Number.isFinite(nb);
  if (numA && numB) return na - nb;
  if (numA !== numB) return numA ? -1 : 1;
  const la = LETTER_SIZES.indexOf(a.toUpperCase());
  const lb = LETTER_SIZES.indexOf(b.toUpperCase());
  if (la >= 0 && lb >= 0) return la - lb;
  if ((la >= 0) !== (lb >= 0)) return la >= 0 ? -1 : 1;
  return byName(a, b);
}

export function catalogFacets(docs: Iterable<SearchDoc>): CatalogFacets {
  const top = new Distinct();
  const children = new Map<string, Distinct>();
  const sizes = new Distinct();
  const colors = new Distinct();
  for (const d of docs) {
    const [first, second] = d.category;
    if (first) {
      top.add(first);
      const key = foldPhrase(first);
      let kids = children.get(key);
      if (!kids) children.set(key, (kids = new Distinct()));
      kids.add(second);
    }
    for (const s of d.sizes) sizes.add(s);
    for (const c of d.colors) colors.add(c);
  }
  return {
    categories: top.sorted(byName).map((name) => ({ name, children: children.get(foldPhrase(name))?.sorted(byName) ?? [] })),
    sizes: sizes.sorted(compareSizes),
    colors: colors.sorted(byName),
  };
}
