// Tests for keeping the best k search rows while streaming.
import { describe, it, expect } from 'vitest';
import { TopK, compareRank, type RankKey } from './top-k';

const row = (id: string, tier: number, score: number): RankKey => ({ id, tier, score });

describe('TopK', () => {
  it('keeps the best k by tier, then score, then id', () => {
    const top = new TopK<RankKey>(3);
    for (const r of [row('a', 3, 9), row('b', 1, 1), row('c', 3, 9), row('d', 3, 10), row('e', 0, 0), row('f', 3, 1)]) top.add(r);
    expect(top.sorted().map((r) => r.id)).toEqual(['e', 'b', 'd']);
  });

  it('tells before any filter runs whether a row could still be kept', () => {
    const top = new TopK<RankKey>(1);
    expect(top.admits(3, 1, 'x')).toBe(true);
    top.add(row('x', 3, 1));
    expect(top.admits(3, 0.5, 'y')).toBe(false);
    expect(top.admits(3, 2, 'y')).toBe(true);
    expect(top.admits(2, 0, 'y')).toBe(true);
    expect(new TopK<RankKey>(0).admits(0, 1, 'z')).toBe(false);
  });

  it('gives the same rows in the same order whatever order they arrive in', () => {
    const rows = Array.from({ length: 2000 }, (_, i) => row(`id${i % 997}-${i}`, i % 4, (i * 7919) % 101));
    const expected = [...rows].sort(compareRank);
    for (const k of [10, 2000, Infinity]) {
      const forward = new TopK<RankKey>(k);
      const backward = new TopK<RankKey>(k);
      rows.forEach((r) => forward.add(r));
      [...rows].reverse().forEach((r) => backward.add(r));
      expect(forward.sorted()).toEqual(expected.slice(0, k));
      expect(backward.sorted()).toEqual(forward.sorted());
    }
  });
});
