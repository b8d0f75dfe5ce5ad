// Streams MiniSearch matches without building a sorted result object per match (the cost at 100k styles).
import type MiniSearch from 'minisearch';
import type { Query } from 'minisearch';

interface RawResult {
  score: number;
  /** Query terms matched. */
  terms: string[];
  /** Document terms matched, with the fields they matched in. */
  match: Record<string, string[]>;
}

/**
 * MiniSearch 7.2 internals (the version is pinned in package.json). `search()` turns every match
 * into an object carrying a copy of its stored fields and sorts them all, which for a broad prefix
 * ("calca" matches 30,000 styles) costs more than finding them; we only keep the best fifty.
 */
interface Internals {
  executeQuery(query: Query, options?: object): Map<number, RawResult>;
  _documentIds: Map<number, unknown>;
  _storedFields: Map<number, Record<string, unknown> | undefined>;
}

function internalsOf(ms: MiniSearch<unknown>): Internals | undefined {
  const x = ms as unknown as Partial<Internals>;
  return typeof x.executeQuery === 'function' && x._documentIds instanceof Map && x._storedFields instanceof Map
    ? (x as Internals)
    : undefined;
}

/**
 * Calls `visit` for every document matching `query`, with its stored fields and the score
 * `search()` would give it (MiniSearch multiplies by the number of query terms matched). Falls back
 * to the public `search()` should the internals ever change shape, so an upgrade degrades to slower,
 * not to wrong; `useInternals: false` takes that path on purpose (tests, or to rule the shortcut out).
 */
export function forEachMatch<D>(
  ms: MiniSearch<D>,
  query: Query,
  visit: (id: string, doc: D, score: number, terms: () => string[]) => void,
  useInternals = true,
): void {
  const inner = useInternals ? internalsOf(ms as MiniSearch<unknown>) : undefined;
  if (!inner) {
    ms.search(query, {
      filter: (r) => {
        visit(String(r.id), r as unknown as D, r.score, () => r.terms);
        return false;
      },
    });
    return;
  }
  for (const [shortId, { score, terms, match }] of inner.executeQuery(query)) {
    const id = inner._documentIds.get(shortId);
    const doc = inner._storedFields.get(shortId);
    if (id === undefined || doc === undefined) continue;
    visit(String(id), doc as unknown as D, score * (terms.length || 1), () => Object.keys(match));
  }
}
