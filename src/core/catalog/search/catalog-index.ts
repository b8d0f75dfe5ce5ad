// Offline full-text index of the catalog (one document per style) on MiniSearch: search, browse, persist.
import MiniSearch, { type AsPlainObject, type Options, type Query } from 'minisearch';
import { variantsOf, type ProductRow, type VariantRow } from '../../model';
import type { Currency } from '../../shared/brand';
import { NameOrder } from './name-order';
import { JOINERS_RE, indexWords, memoize, phraseKey, queryWords } from './normalize';
import { allOf, compileFilter, foldPhrase, hasPathPrefix, type Accept } from './filters';
import { forEachMatch } from './raw-matches';
import { toSearchDoc, type SearchDoc } from './search-doc';
import { similarProducts, type SimilarOptions } from './similar';
import { TopK, type RankKey } from './top-k';
import { nameTier, startsAWord, typoTolerantQuery } from './word-query';

export { toSearchDoc, priceRange, type SearchDoc } from './search-doc';
export { transpositions } from './word-query';

/**
 * Bump whenever anything below changes what goes into the index (fields, stored fields,
 * tokenisation, folding): a saved index built under another version is then rebuilt, not loaded.
 */
export const CATALOG_INDEX_VERSION = 1;

/** Words this long tolerate one typo; shorter ones are matched exactly or by prefix only. */
export const FUZZY_MIN_LENGTH = 5;
/**
 * Words shorter than this are not expanded through the index: "c" is a prefix of a quarter of the
 * vocabulary, and scoring every posting of it takes the better part of a second at 100k styles.
 * They are checked against the rows the longer words found instead, or, when the whole query is
 * short, against product names in alphabetical order.
 */
export const PREFIX_MIN_LENGTH = 3;
const DEFAULT_LIMIT = 50;

const INDEXED_FIELDS = ['name', 'brand', 'category', 'colors', 'sizes', 'attrs'] as const;
type IndexedField = (typeof INDEXED_FIELDS)[number];
const STORED_FIELDS = ['id', 'name', 'brand', 'category', 'colors', 'sizes', 'attrs', 'prices'] as const satisfies readonly (keyof SearchDoc)[];

/** The name weighs most, then brand, category, colour; sizes and attributes only help recall. */
const FIELD_BOOST: Readonly<Record<IndexedField, number>> = {
  name: 4,
  brand: 2.5,
  category: 1.6,
  colors: 1.3,
  sizes: 1,
  attrs: 0.7,
};
/** A swapped-letter reading of a word counts like a fuzzy match (MiniSearch's own fuzzy weight). */
const TRANSPOSED_BOOST: Readonly<Record<IndexedField, number>> = scaleBoost(FIELD_BOOST, 0.45);

/** Index words of a field value, memoised: brands, categories, colours and sizes repeat endlessly. */
const valueWords = memoize(indexWords);
/** The same words as one string with a leading space, to test "a word starts with p" by substring. */
const valueWordsText = memoize((value: string) => ` ${indexWords(value).join(' ')}`);

/** One options object for building and for loading: MiniSearch requires them identical. */
const INDEX_OPTIONS: Options<SearchDoc> = {
  idField: 'id',
  fields: [...INDEXED_FIELDS],
  storeFields: [...STORED_FIELDS],
  stringifyField: (value: unknown) => (Array.isArray(value) ? value.join(' ') : String(value)),
  // Folding happens in the tokenizer, so the term processor has nothing left to do. Names are
  // mostly unique, so memoising them would only grow the memo.
  tokenize: (text: string, field?: string) => (field === 'name' ? indexWords(text) : valueWords(text)),
  processTerm: (term: string) => term,
  searchOptions: {
    tokenize: (text: string) => queryWords(text),
    processTerm: (term: string) => term,
    boost: { ...FIELD_BOOST },
  },
};

export interface CatalogSearchOptions {
  /** Most rows returned (default 50). */
  limit?: number;
  /** Category path prefix: ["Women", "Shoes"] keeps Women › Shoes and everything below it. */
  category?: readonly string[];
  /** Keeps styles offered in this size (any of several when a list). */
  size?: string | readonly string[];
  /** Keeps styles offered in this colour (any of several when a list). */
  color?: string | readonly string[];
  /** Inclusive bounds in minor units of `currency`, which they require. */
  priceMin?: number;
  priceMax?: number;
  currency?: Currency;
  /** Caller's last word, e.g. "in stock here or nearby", whose data lives outside the index. */
  where?: (productId: string) => boolean;
}

/** A result row: the stored document plus its relevance. */
export interface SearchHit extends SearchDoc {
  /** Relevance; 0 when browsing or for a query of short words only. Comparable within one search. */
  score: number;
  /** Indexed words that matched, for highlighting, sorted. */
  terms: string[];
}

/** What `toJSON` produces; `JSON.stringify(index)` gives it as text. */
export interface SavedCatalogIndex {
  version: number;
  index: AsPlainObject;
  /** Product ids in name order, so loading need not sort the names again. */
  names?: string[];
}

export interface SimilarSearchOptions extends SimilarOptions {
  where?: (productId: string) => boolean;
}

/** The catalog's search index. Changes are incremental: one upsert or remove touches one document. */
export class CatalogIndex {
  private constructor(
    private readonly ms: MiniSearch<SearchDoc>,
    private readonly names: NameOrder,
  ) {}

  static empty(): CatalogIndex {
    return new CatalogIndex(new MiniSearch<SearchDoc>(INDEX_OPTIONS), new NameOrder());
  }

  /** Builds the index from the catalog tables (variants in any order). */
  static fromRows(products: Iterable<ProductRow>, variants: Iterable<VariantRow>): CatalogIndex {
    const byProduct = new Map<string, VariantRow[]>();
    for (const v of variants) {
      const list = byProduct.get(v.productId);
      if (list) list.push(v);
      else byProduct.set(v.productId, [v]);
    }
    const index = CatalogIndex.empty();
    index.upsertMany(
      (function* () {
        for (const product of products) yield { product, variants: byProduct.get(product.id) ?? [] };
      })(),
    );
    return index;
  }

  /** Builds the index from product documents (each carries its variants). */
  static fromProducts(products: Iterable<ProductRow>): CatalogIndex {
    const index = CatalogIndex.empty();
    index.upsertMany(
      (function* () {
        for (const product of products) yield { product, variants: variantsOf(product) };
      })(),
    );
    return index;
  }

  /**
   * Loads a saved index. Returns null when it was saved under another CATALOG_INDEX_VERSION (or is
   * not a saved index at all): the caller rebuilds from the tables. Invalid JSON throws.
   */
  static fromJSON(json: string | SavedCatalogIndex): CatalogIndex | null {
    const saved = asSaved(typeof json === 'string' ? (JSON.parse(json) as unknown) : json);
    if (!saved) return null;
    return new CatalogIndex(MiniSearch.loadJS<SearchDoc>(saved.index, INDEX_OPTIONS), namesOf(saved));
  }

  /** As fromJSON, but yields to the event loop while loading so a cold start does not freeze the UI. */
  static async fromJSONAsync(json: string | SavedCatalogIndex): Promise<CatalogIndex | null> {
    const saved = asSaved(typeof json === 'string' ? (JSON.parse(json) as unknown) : json);
    if (!saved) return null;
    const ms = await MiniSearch.loadJSAsync<SearchDoc>(saved.index, INDEX_OPTIONS);
    return new CatalogIndex(ms, namesOf(saved));
  }

  toJSON(): SavedCatalogIndex {
    return { version: CATALOG_INDEX_VERSION, index: this.ms.toJSON(), names: [...this.names.ordered().ids] };
  }

  /** Number of products indexed. */
  get size(): number {
    return this.ms.documentCount;
  }

  has(productId: string): boolean {
    return this.ms.has(productId);
  }

  /** The stored document of a product, as result rows carry it. */
  get(productId: string): SearchDoc | undefined {
    const doc = this.stored(productId);
    return doc && toDoc(doc);
  }

  /** Every indexed product id, in name order. */
  ids(): readonly string[] {
    return this.names.ordered().ids;
  }

  /** Every stored document, in name order (for facets: categories, sizes, colours on offer). */
  *docs(): Generator<SearchDoc> {
    for (const id of this.names.ordered().ids) {
      const doc = this.stored(id);
      if (doc) yield doc;
    }
  }

  /** Adds or replaces a product; safe to call again with the same id. */
  upsert(product: ProductRow, variants: readonly VariantRow[]): void {
    this.upsertDoc(toSearchDoc(product, variants));
  }

  upsertDoc(doc: SearchDoc, bulk = false): void {
    // replace() is discard + add: the old postings are dropped lazily, no rebuild.
    if (this.ms.has(doc.id)) this.ms.replace(doc);
    else this.ms.add(doc);
    this.names.set(doc.id, phraseKey(doc.name), bulk);
  }

  /** Adds or replaces many products; the name order is re-sorted once, on the next read. */
  upsertMany(entries: Iterable<{ product: ProductRow; variants: readonly VariantRow[] }>): void {
    for (const { product, variants } of entries) this.upsertDoc(toSearchDoc(product, variants), true);
  }

  /** Removes a product; false when it was not indexed. */
  remove(productId: string): boolean {
    if (!this.ms.has(productId)) return false;
    this.ms.discard(productId);
    this.names.delete(productId);
    return true;
  }

  /**
   * Finds products as the associate types. Every word must match (AND), each as a prefix, so the
   * half-typed last word finds its completions; words of FUZZY_MIN_LENGTH letters or more tolerate
   * one typo (a wrong, missing or extra letter, or two letters swapped). Rows come as: exact name,
   * name starting with the query's words, name starting with the query as typed, then the rest,
   * each group by relevance. Words shorter than PREFIX_MIN_LENGTH only narrow what the longer
   * words found; a query of short words only lists names with words starting so, by name. An empty
   * query browses the filtered catalog by name.
   */
  search(query: string, opts: CatalogSearchOptions = {}): SearchHit[] {
    const limit = Math.max(0, opts.limit ?? DEFAULT_LIMIT);
    const accept = compileFilter(opts);
    const words = queryWords(query);
    if (limit === 0) return [];
    if (words.length === 0) return this.browse(accept, limit);

    const long = words.filter((w) => w.length >= PREFIX_MIN_LENGTH);
    const short = words.filter((w) => w.length < PREFIX_MIN_LENGTH);
    const typed = words.join(' ');
    if (long.length === 0) return this.searchNames(short, typed, accept, limit);

    // Filters run only on rows that would make the top `limit`: the caller's stock predicate may cost.
    const test = allOf(accept, short.length > 0 ? (d) => short.every((p) => this.hasWordStartingWith(d, p)) : undefined);
    const top = new TopK<RankKey & { doc: SearchDoc; terms: string[] }>(limit);
    forEachMatch(this.ms, buildQuery(long), (id, doc, score, terms) => {
      const tier = nameTier(this.names.keyOf(id) ?? '', typed);
      if (!top.admits(tier, score, id) || (test && !test(doc))) return;
      top.add({ tier, score, id, doc, terms: terms() });
    });
    return top.sorted().map((r) => toHit(r.doc, r.score, r.terms));
  }

  /**
   * Similar styles for a product page, ranked by `similarProducts`. Candidates come from the
   * deepest category level first, widening a level at a time only while fewer than `n` of them
   * pass `where`, which is asked lazily, best candidate first, at most once per product.
   */
  similar(productId: string, n: number, opts: SimilarSearchOptions = {}): SearchDoc[] {
    const doc = this.stored(productId);
    if (!doc || n <= 0) return [];
    const minDepth = Math.max(1, opts.minDepth ?? 1);
    const verdicts = new Map<string, boolean>();
    const passes = (id: string) => {
      let ok = verdicts.get(id);
      if (ok === undefined) verdicts.set(id, (ok = !opts.where || opts.where(id)));
      return ok;
    };
    let picked: SearchDoc[] = [];
    for (let depth = doc.category.length; depth >= minDepth; depth--) {
      const pool = this.underCategory(doc.category.slice(0, depth), productId);
      picked = [];
      for (const candidate of similarProducts(doc, pool, pool.length, opts)) {
        if (passes(candidate.id)) picked.push(toDoc(candidate));
        if (picked.length >= n) return picked;
      }
    }
    return picked;
  }

  /** MiniSearch's own stored-fields object: read it, never hand it out. */
  private stored(productId: string): SearchDoc | undefined {
    return this.ms.getStoredFields(productId) as SearchDoc | undefined;
  }

  /** The filtered catalog in name order, stopping at `limit`. */
  private browse(accept: Accept | undefined, limit: number): SearchHit[] {
    const { ids } = this.names.ordered();
    const out: SearchHit[] = [];
    for (const id of ids) {
      const doc = this.stored(id);
      if (!doc || (accept && !accept(doc))) continue;
      out.push(toHit(doc, 0, []));
      if (out.length >= limit) break;
    }
    return out;
  }

  /**
   * Short words only ("c", "ca", "t s"): names starting with the text as typed come first, in name
   * order, which is already tier order (exact, then "ca …", then "cal…", as a space sorts before any
   * letter); then other names having a word that starts with each typed word, in name order.
   */
  private searchNames(short: readonly string[], typed: string, accept: Accept | undefined, limit: number): SearchHit[] {
    const { keys, ids } = this.names.ordered();
    const out: SearchHit[] = [];
    const take = (i: number): boolean => {
      const doc = this.stored(ids[i] ?? '');
      if (doc && (!accept || accept(doc))) {
        const terms = (keys[i] ?? '').split(' ').filter((w) => short.some((p) => w.startsWith(p)));
        out.push(toHit(doc, 0, [...new Set(terms)]));
      }
      return out.length < limit;
    };
    const start = this.names.startOf(typed);
    let end = start;
    while (end < keys.length && (keys[end] ?? '').startsWith(typed)) {
      if (!take(end++)) return out;
    }
    for (let i = 0; i < keys.length; i++) {
      if (i === start) i = end;
      const key = keys[i];
      if (key === undefined) break;
      if (short.every((p) => startsAWord(key, p)) && !take(i)) break;
    }
    return out;
  }

  /** Whether one of the document's indexed words starts with `p` (the name's words checked first). */
  private hasWordStartingWith(doc: SearchDoc, p: string): boolean {
    const key = this.names.keyOf(doc.id);
    if (key !== undefined && startsAWord(key, p)) return true;
    const needle = ` ${p}`;
    const has = (value: string) => valueWordsText(value).includes(needle);
    return (
      // The name again through the index tokenizer, which also joins "T-Shirt" into "tshirt".
      (JOINERS_RE.test(doc.name) && ` ${indexWords(doc.name).join(' ')}`.includes(needle)) ||
      has(doc.brand) ||
      doc.category.some(has) ||
      doc.colors.some(has) ||
      doc.sizes.some(has) ||
      doc.attrs.some(has)
    );
  }

  /** Stored documents under a category path, found through the postings of its deepest segment's words. */
  private underCategory(path: readonly string[], excludeId: string): SearchDoc[] {
    const folded = path.map(foldPhrase);
    const out: SearchDoc[] = [];
    const visit = (id: string, doc: SearchDoc) => {
      if (id !== excludeId && hasPathPrefix(doc.category, folded)) out.push(doc);
    };
    const words = queryWords(path[path.length - 1] ?? '');
    if (words.length > 0) {
      forEachMatch(this.ms, { combineWith: 'AND', queries: words, fields: ['category'], prefix: false, fuzzy: false }, visit);
    } else {
      for (const id of this.names.ordered().ids) {
        const doc = this.stored(id);
        if (doc) visit(id, doc);
      }
    }
    return out;
  }
}

/** Name keys of a saved index, read from its stored fields rather than from a search over all. */
function namesOf(saved: SavedCatalogIndex): NameOrder {
  const keys = new Map<string, string>();
  for (const [shortId, id] of Object.entries(saved.index.documentIds)) {
    const fields = saved.index.storedFields[shortId] as Partial<SearchDoc> | undefined;
    keys.set(String(id), phraseKey(fields?.name ?? ''));
  }
  return NameOrder.restore(keys, saved.names);
}

/** The typed words as a typo-tolerant query over every field (see word-query.ts). */
function buildQuery(words: readonly string[]): Query {
  return typoTolerantQuery(words, { fuzzyMinLength: FUZZY_MIN_LENGTH, swapBoost: TRANSPOSED_BOOST });
}

/** A plain copy of the stored fields: MiniSearch's result objects also carry its match details. */
function toDoc(d: SearchDoc): SearchDoc {
  return {
    id: d.id,
    name: d.name,
    brand: d.brand,
    category: d.category,
    colors: d.colors,
    sizes: d.sizes,
    prices: d.prices,
    attrs: d.attrs,
  };
}

function toHit(d: SearchDoc, score: number, terms: readonly string[]): SearchHit {
  // Sorted: MiniSearch lists terms in radix-tree order, which differs between a built and a loaded index.
  return { ...toDoc(d), score, terms: [...terms].sort() };
}

function asSaved(value: unknown): SavedCatalogIndex | null {
  if (typeof value !== 'object' || value === null) return null;
  const { version, index, names } = value as Partial<SavedCatalogIndex>;
  if (version !== CATALOG_INDEX_VERSION || typeof index !== 'object' || index === null) return null;
  return { version, index, names: Array.isArray(names) ? names.map(String) : undefined };
}

function scaleBoost<K extends string>(boost: Readonly<Record<K, number>>, factor: number): Record<K, number> {
  const out = {} as Record<K, number>;
  for (const key of Object.keys(boost) as K[]) out[key] = boost[key] * factor;
  return out;
}
