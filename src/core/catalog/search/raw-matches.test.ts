// Tests that streaming MiniSearch's matches agrees with its public search(), which guards the internals used.
import { describe, it, expect } from 'vitest';
import MiniSearch, { type Query } from 'minisearch';
import { forEachMatch } from './raw-matches';

interface Doc {
  id: string;
  title: string;
}

function index(): MiniSearch<Doc> {
  const ms = new MiniSearch<Doc>({ fields: ['title'], storeFields: ['id', 'title'] });
  ms.addAll([
    { id: 'a', title: 'red shoes' },
    { id: 'b', title: 'red red dress' },
    { id: 'c', title: 'blue shoes' },
    { id: 'd', title: 'green scarf' },
  ]);
  ms.discard('c');
  return ms;
}

describe('forEachMatch', () => {
  it('visits the documents search() finds, with the same scores, stored fields and matched terms', () => {
    const ms = index();
    const query: Query = { combineWith: 'OR', queries: ['red', 'sh'], prefix: true };
    // The first search after a discard drops the discarded postings as it meets them, scoring the
    // documents met before with the old document frequency; compare the settled scores.
    ms.search(query);
    const seen: { id: string; title: string; score: number; terms: string[] }[] = [];
    forEachMatch(ms, query, (id, doc, score, terms) => seen.push({ id, title: doc.title, score, terms: terms().sort() }));
    const expected = ms.search(query).map((r) => ({ id: String(r.id), title: String(r['title']), score: r.score, terms: [...r.terms].sort() }));
    expect(seen.sort((x, y) => x.id.localeCompare(y.id))).toEqual(expected.sort((x, y) => x.id.localeCompare(y.id)));
    expect(seen.map((s) => s.id)).not.toContain('c'); // discarded
  });

  it('gives the same through the public search() path', () => {
    const ms = index();
    const query: Query = { combineWith: 'OR', queries: ['red', 'sh'], prefix: true };
    ms.search(query);
    const viaInternals: [string, number][] = [];
    const viaSearch: [string, number][] = [];
    forEachMatch(ms, query, (id, _doc, score) => viaInternals.push([id, score]));
    forEachMatch(ms, query, (id, _doc, score) => viaSearch.push([id, score]), false);
    expect(viaSearch.sort()).toEqual(viaInternals.sort());
  });
});
