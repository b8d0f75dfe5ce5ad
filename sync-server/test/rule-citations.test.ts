// Every implemented rule has a test that cites it. A rule is one of the ids the living docs define
// (`[C3]`, `[SE3]`, `[D5]`: bracketed, in docs/*.md); it counts as implemented as soon as production
// code cites it (a comment or message in src/ or sync-server/src, tests excluded), which is how
// this codebase marks what it builds; it counts as tested when a test file cites it (by convention
// in the test's name). Code citing an id the docs do not define is a typo or a dropped rule.
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');
const RULE = /\[([A-Z]{1,3}[0-9]{1,2})\]/g;

const isTest = (path: string) => /\.(test|spec)\.tsx?$/.test(path) || path.includes('/testing/');

function files(dir: string, ext: RegExp): string[] {
  return (readdirSync(join(ROOT, dir), { recursive: true }) as string[]).filter((f) => ext.test(f) && !f.includes('node_modules')).map((f) => join(dir, f));
}

function ids(paths: readonly string[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const p of paths) {
    for (const m of readFileSync(join(ROOT, p), 'utf8').matchAll(RULE)) out.set(m[1]!, [...new Set([...(out.get(m[1]!) ?? []), p])]);
  }
  return out;
}

const defined = ids(files('docs', /\.md$/));
const code = [...files('src', /\.tsx?$/), ...files('sync-server/src', /\.ts$/)].filter((f) => !isTest(f));
// This file names ids in its own comments: it cites nothing.
const tests = [...files('src', /\.test\.tsx?$/), ...files('sync-server', /\.test\.ts$/), ...files('e2e', /\.spec\.ts$/)].filter((f) => !f.endsWith('rule-citations.test.ts'));
const implemented = ids(code);
const cited = ids(tests);

describe('rule ids', () => {
  it('the living docs define rule ids, and code cites some of them (the check below is not empty)', () => {
    expect(defined.size).toBeGreaterThan(20);
    expect(implemented.size).toBeGreaterThan(10);
  });

  it('every rule the code cites is defined in docs/*.md', () => {
    const unknown = [...implemented].filter(([id]) => !defined.has(id)).map(([id, where]) => `[${id}] in ${where.join(', ')}`);
    expect(unknown, `code cites rules that docs/*.md do not define: ${unknown.join('; ')}`).toEqual([]);
  });

  it('every implemented rule (cited by production code) has a test that cites it', () => {
    const untested = [...implemented].filter(([id]) => !cited.has(id)).map(([id, where]) => `[${id}] (implemented in ${where.join(', ')})`);
    expect(untested, `implemented rules no test cites — name a test after each: ${untested.join('; ')}`).toEqual([]);
  });
});
