// Product ids in folded-name order: browsing by name and one- or two-letter queries without the full-text index.

/**
 * Keeps each product's name key (folded words joined by one space) and, on demand, all ids sorted by
 * (key, id). A single change updates the sorted arrays in place (binary search + splice); a bulk
 * load marks them stale instead, and the next read sorts once, because inserting 100,000 names one
 * by one into a sorted array is quadratic.
 */
export class NameOrder {
  private readonly keys = new Map<string, string>();
  private sortedKeys: string[] = [];
  private sortedIds: string[] = [];
  private stale = false;

  /**
   * Restores a saved order: `order` lists the ids sorted by name key, as `ordered()` gave them when
   * the index was saved, which spares sorting 100,000 names at cold start. It is used only if it
   * lists exactly the ids of `keys` in non-decreasing key order; otherwise the next read sorts.
   */
  static restore(keys: ReadonlyMap<string, string>, order: readonly string[] | undefined): NameOrder {
    const names = new NameOrder();
    for (const [id, key] of keys) names.keys.set(id, key);
    names.stale = true;
    if (!order || order.length !== keys.size) return names;
    const sortedKeys: string[] = [];
    const seen = new Set<string>();
    for (const id of order) {
      const key = keys.get(id);
      const prev = sortedKeys[sortedKeys.length - 1];
      if (key === undefined || seen.has(id) || (prev !== undefined && key < prev)) return names;
      seen.add(id);
      sortedKeys.push(key);
    }
    names.sortedKeys = sortedKeys;
    names.sortedIds = [...order];
    names.stale = false;
    return names;
  }

  get size(): number {
    return this.keys.size;
  }

  keyOf(id: string): string | undefined {
    return this.keys.get(id);
  }

  /** Sets a product's name key; `bulk` defers re-sorting to the next read. */
  set(id: string, key: string, bulk = false): void {
    const old = this.keys.get(id);
    if (old === key) return;
    this.keys.set(id, key);
    if (bulk) this.stale = true;
    if (this.stale) return;
    if (old !== undefined) this.removeAt(old, id);
    const at = this.lowerBound(key, id);
    this.sortedKeys.splice(at, 0, key);
    this.sortedIds.splice(at, 0, id);
  }

  delete(id: string): void {
    const old = this.keys.get(id);
    if (old === undefined) return;
    this.keys.delete(id);
    if (!this.stale) this.removeAt(old, id);
  }

  /** Ids and keys in name order (parallel arrays; read-only views, valid until the next change). */
  ordered(): { keys: readonly string[]; ids: readonly string[] } {
    if (this.stale) this.resort();
    return { keys: this.sortedKeys, ids: this.sortedIds };
  }

  /** Position of the first key that is ≥ `prefix`: where the names starting with it begin. */
  startOf(prefix: string): number {
    if (this.stale) this.resort();
    return this.lowerBound(prefix, '');
  }

  private removeAt(key: string, id: string): void {
    const at = this.lowerBound(key, id);
    if (this.sortedIds[at] === id) {
      this.sortedKeys.splice(at, 1);
      this.sortedIds.splice(at, 1);
    }
  }

  /** First position whose (key, id) is ≥ the given pair. */
  private lowerBound(key: string, id: string): number {
    let lo = 0;
    let hi = this.sortedKeys.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const k = this.sortedKeys[mid] ?? '';
      if (k < key || (k === key && (this.sortedIds[mid] ?? '') < id)) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private resort(): void {
    const pairs = [...this.keys].map(([id, key]) => ({ id, key }));
    pairs.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    this.sortedKeys = pairs.map((p) => p.key);
    this.sortedIds = pairs.map((p) => p.id);
    this.stale = false;
  }
}
