// Typo-tolerant word queries, shared by every offline index (catalog styles, customers): each word a
// prefix, long words allowing one typo or one swap of adjacent letters, plus the name tiers results
// are ranked by. Generic over fields and boosts, so each index passes its own.
import type { Query } from 'minisearch';
import type SearchableMap from 'minisearch/SearchableMap';

export interface WordQueryOptions {
  /** Words this long tolerate one typo; shorter ones match exactly or by prefix only. */
  fuzzyMinLength: number;
  /** Boost of the swapped-letter readings, per field (a swap counts like a fuzzy match). */
  swapBoost?: Readonly<Record<string, number>>;
  /** Fields to search (default: all the index's fields). */
  fields?: string[];
}

/**
 * The MiniSearch query for the typed words: AND over words; per word, prefix always, one edit of
 * fuzziness from `fuzzyMinLength` letters, plus its adjacent-letter swaps, because MiniSearch's edit
 * distance counts a swap ("sneakres") as two edits while people make it as one typo.
 */
export function typoTolerantQuery(words: readonly string[], opts: WordQueryOptions): Query {
  const fields = opts.fields ? { fields: opts.fields } : {};
  return {
    combineWith: 'AND',
    queries: words.map((word): Query => {
      if (word.length < opts.fuzzyMinLength) {
        // Short words: no fuzz, or "bag" would also find "bog", "big" and "bar".
        return { combineWith: 'OR', queries: [word], prefix: true, fuzzy: false, ...fields };
      }
      const exact: Query = { combineWith: 'OR', queries: [word], prefix: true, fuzzy: 1, ...fields };
      const swaps = transpositions(word);
      if (swaps.length === 0) return exact;
      return {
        combineWith: 'OR',
        queries: [exact, { combineWith: 'OR', queries: swaps, prefix: true, fuzzy: false, ...fields, ...(opts.swapBoost ? { boost: { ...opts.swapBoost } } : {}) }],
      };
    }),
  };
}

/** Every distinct word obtained by swapping two adjacent, different letters. */
export function transpositions(word: string): string[] {
  const chars = Array.from(word);
  const out = new Set<string>();
  for (let i = 0; i + 1 < chars.length; i++) {
    const a = chars[i];
    const b = chars[i + 1];
    if (a === undefined || b === undefined || a === b) continue;
    out.add([...chars.slice(0, i), b, a, ...chars.slice(i + 2)].join(''));
  }
  return [...out];
}

/** 0 exact name, 1 name starting with the typed words, 2 name starting with the text as typed, 3 other. */
export function nameTier(nameKey: string, typed: string): number {
  if (nameKey === typed) return 0;
  if (nameKey.startsWith(typed)) return nameKey.charAt(typed.length) === ' ' ? 1 : 2;
  return 3;
}

/** Whether a word of `key` (folded words joined by single spaces) starts with `p`. */
export function startsAWord(key: string, p: string): boolean {
  return key.startsWith(p) || key.includes(` ${p}`);
}

/** How well an indexed term matches a typed word: the same weights the catalog's query gives. */
export const MATCH_WEIGHT = { exact: 1, prefix: 0.8, fuzzy: 0.5, swap: 0.45 } as const;

/**
 * The indexed terms a typed word stands for, with their weight, by the same rules as
 * typoTolerantQuery: every term it is a prefix of; from `fuzzyMinLength` letters, also terms one
 * edit away and terms starting with one of its adjacent-letter swaps. For an index that scores its
 * own postings (customers), where MiniSearch's per-document scoring would cost too much.
 */
export function expandWord<T>(vocab: SearchableMap<T>, word: string, fuzzyMinLength: number): Map<string, { weight: number; value: T }> {
  const out = new Map<string, { weight: number; value: T }>();
  const offer = (term: string, weight: number, value: T) => {
    const known = out.get(term);
    if (!known || known.weight < weight) out.set(term, { weight, value });
  };
  for (const [term, value] of vocab.atPrefix(word)) offer(term, term === word ? MATCH_WEIGHT.exact : MATCH_WEIGHT.prefix, value);
  if (word.length >= fuzzyMinLength) {
    for (const [term, [value]] of vocab.fuzzyGet(word, 1)) offer(term, MATCH_WEIGHT.fuzzy, value);
    for (const swap of transpositions(word)) for (const [term, value] of vocab.atPrefix(swap)) offer(term, MATCH_WEIGHT.swap, value);
  }
  return out;
}
