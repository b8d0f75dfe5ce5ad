// The best k search rows by (name tier, score, id), kept while streaming, so costly filters run on few rows.

export interface RankKey {
  /** Name tier: 0 exact name, 1 starts with the typed words, 2 starts with the typed text, 3 other. */
  tier: number;
  score: number;
  id: string;
}

/** Lower tier first, then higher score, then id: a total order, so results never depend on map order. */
export function compareRank(a: RankKey, b: RankKey): number {
  return a.tier - b.tier || b.score - a.score || (a.id === b.id ? 0 : a.id < b.id ? -1 : 1);
}

/** Up to this many rows are kept sorted as they come; above it, rows are collected and sorted once. */
const BOUNDED_MAX = 512;

/**
 * Keeps the best `k` rows offered. `admits` says whether a row would be kept before the caller pays
 * for its filters (the "in stock" predicate may be a lookup per row): with rows arriving in no
 * particular order, only about k·ln(n/k) of n rows ever get that far.
 */
export class TopK<T extends RankKey> {
  private readonly rows: T[] = [];
  private readonly bounded: boolean;

  constructor(private readonly k: number) {
    this.bounded = k <= BOUNDED_MAX;
  }

  admits(tier: number, score: number, id: string): boolean {
    if (this.k <= 0) return false;
    if (!this.bounded || this.rows.length < this.k) return true;
    const worst = this.rows[this.rows.length - 1];
    return worst === undefined || compareRank({ tier, score, id }, worst) < 0;
  }

  add(row: T): void {
    if (!this.admits(row.tier, row.score, row.id)) return;
    if (!this.bounded) {
      this.rows.push(row);
      return;
    }
    let lo = 0;
    let hi = this.rows.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const at = this.rows[mid];
      if (at !== undefined && compareRank(at, row) <= 0) lo = mid + 1;
      else hi = mid;
    }
    this.rows.splice(lo, 0, row);
    if (this.rows.length > this.k) this.rows.pop();
  }

  /** The rows kept, best first. */
  sorted(): T[] {
    if (this.bounded) return [...this.rows];
    return [...this.rows].sort(compareRank).slice(0, this.k);
  }
}
