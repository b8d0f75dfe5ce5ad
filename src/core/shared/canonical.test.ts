// [C3] The payload hash is over canonical JSON: the tablet and the server must write the same text
// for the same value, whatever the key order, or an honest retry would look like a seq-conflict.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { canonicalJson } from './canonical';

/** The first implementation, kept as the reference the faster one must match character for character. */
function reference(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(reference).join(',')}]`;
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj)
    .filter((k) => obj[k] !== undefined)
    .sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${reference(obj[k])}`).join(',')}}`;
}

describe('canonicalJson [C3]', () => {
  it('sorts keys, drops undefined members and writes no whitespace', () => {
    expect(canonicalJson({ b: 1, a: [1, { d: undefined, c: 'x' }], e: null })).toBe('{"a":[1,{"c":"x"}],"b":1,"e":null}');
    expect(canonicalJson([undefined, () => 1])).toBe('[null,null]');
    expect(canonicalJson(undefined)).toBe('null');
  });

  it('writes what the first implementation wrote, for any JSON value and any key order (fast-check)', () => {
    const seed = Number(process.env.FC_SEED ?? Date.now() % 1_000_000);
    console.log(`canonicalJson property seed ${seed}`);
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 6 }), fc.array(fc.anything({ maxDepth: 3 }), { maxLength: 4 }), (v, extra) => {
        expect(canonicalJson(v)).toBe(reference(v));
        // Values JSON.parse never makes (undefined, sparse arrays, functions) still match.
        expect(canonicalJson(extra)).toBe(reference(extra));
        const reversed = v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).reverse()) : v;
        expect(canonicalJson(reversed)).toBe(canonicalJson(v));
      }),
      { seed, numRuns: 500 },
    );
  });
});
