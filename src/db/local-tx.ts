// Applying command effects to IndexedDB while remembering the server's copy of each touched row, so a
// rebase can put server state back and replay pending commands on top of it [P5].
import type { BaseEntry, Local, LocalProduct } from './schema';
import type { TxIo } from './native-tx';
import type { ReadTx, Effects, Put } from '@/core/sync/command';
import type { TableName, Tables } from '@/core/model';

/** One string per (table, key), for maps and sets of rows. */
export const slot = (table: string, key: string) => `${table}\u0000${key}`;

/**
 * Tables only the server writes (catalog, prices, network stock, staff): commands read them but never
 * change them on the tablet, so there is no server copy of theirs to keep. Priming skips their
 * copies; were a command ever to write one, applying its effects would read the copy then.
 */
const SERVER_OWNED: ReadonlySet<TableName> = new Set<TableName>(['locations', 'products', 'productAvailability', 'priceLows', 'associates']);

/** Cache slot of "the product holding this SKU" (its id, or undefined when no product has it). */
const skuSlot = (sku: string) => slot('products@sku', sku);

/**
 * What one transaction already knows, so it does not ask IndexedDB twice: rows as read (undefined
 * = absent), kept server copies as read, and ids minted inside it. Every IndexedDB request is a
 * round trip between the page and the browser's storage process; a sale saves three of its five.
 * Valid only inside the one readwrite transaction that filled it (nobody else can write meanwhile).
 */
export class TxCache {
  private readonly fresh = new Set<string>();

  /**
   * `rows` and `shadows` may be shared by several caches of one transaction (a rebase replays many
   * commands, each with its own minted ids). `noShadows`: the transaction cleared `base`, so a copy
   * it has not written itself does not exist, and none is read.
   */
  constructor(
    readonly rows = new Map<string, unknown>(),
    readonly shadows = new Map<string, BaseEntry | undefined>(),
    private readonly noShadows = false,
  ) {}

  /** Whether the kept copy of a row is known (read, written, or known absent). */
  hasShadow(s: string): boolean {
    return this.noShadows || this.shadows.has(s);
  }

  /** An id made in this transaction (a UUIDv7): no row and no kept copy can exist under it yet. */
  minted(id: string): string {
    this.fresh.add(id);
    return id;
  }

  /** A key is fresh if it is a minted id or derived from one (`<id>:<suffix>`, as exceptions are). */
  isFresh(key: string): boolean {
    if (this.fresh.has(key)) return true;
    const colon = key.indexOf(':');
    return colon > 0 && this.fresh.has(key.slice(0, colon));
  }

  /** Remembers product documents read, under their id and under each of their SKUs. */
  noteProducts(products: readonly (LocalProduct | undefined)[]): void {
    for (const p of products) {
      if (!p) continue;
      this.rows.set(slot('products', p.id), p);
      for (const v of p.variants) this.rows.set(skuSlot(v.sku), p.id);
    }
  }

  /** The products holding `skus` through the `*skus` index, for those not known yet (one request). */
  async primeSkus(io: TxIo, skus: readonly string[]): Promise<void> {
    const missing = [...new Set(skus)].filter((s) => !this.rows.has(skuSlot(s)));
    if (missing.length === 0) return;
    // One index get per SKU, issued together: one round trip (anyOf would walk a cursor, one per step).
    this.noteProducts((await io.firstByIndex('products', 'skus', missing)) as (LocalProduct | undefined)[]);
    for (const s of missing) if (!this.rows.has(skuSlot(s))) this.rows.set(skuSlot(s), undefined);
  }

  /** Reads rows and their kept copies for all `reads` not known yet, in one round trip. */
  async prime(io: TxIo, reads: readonly { table: TableName; keys: readonly string[]; by?: 'sku' }[]): Promise<void> {
    // One request per table, however many reads name it (a rebase primes every pending command's);
    // SKU lookups [P1] go through the product documents' index together.
    const byTable = new Map<TableName, string[]>();
    const skus: string[] = [];
    for (const { table, keys, by } of reads) {
      if (by === 'sku') skus.push(...keys);
      else byTable.set(table, [...(byTable.get(table) ?? []), ...keys]);
    }
    // The rows each table lacks, one request per table; the kept copies all tables lack, one request.
    const reading = new Map<TableName, Promise<void>>();
    const copies: [TableName, string][] = [];
    for (const [table, keys] of byTable) {
      const unique = [...new Set(keys)];
      const rows = unique.filter((k) => !this.rows.has(slot(table, k)));
      if (rows.length) reading.set(table, this.primeRows(io, table, rows));
      if (!SERVER_OWNED.has(table) && !this.noShadows) for (const k of unique) if (!this.shadows.has(slot(table, k))) copies.push([table, k]);
    }
    const copying = copies.length ? io.getMany('base', copies).then((found) => copies.forEach(([table, k], i) => this.shadows.set(slot(table, k), found[i] as BaseEntry | undefined))) : undefined;
    // Products read by id (the cart's hint) answer the SKU lookups of their variants: those wait for
    // them and look up only what they did not hold (nothing, when the hint was right).
    const products = reading.get('products');
    await Promise.all([...reading.values(), copying, skus.length ? (products ? products.then(() => this.primeSkus(io, skus)) : this.primeSkus(io, skus)) : undefined]);
  }

  private async primeRows(io: TxIo, table: TableName, keys: readonly string[]): Promise<void> {
    const rows = await io.getMany(table, keys);
    keys.forEach((k, i) => this.rows.set(slot(table, k), rows[i]));
    // A product read by id (the cart's hint) also answers lookups by any of its SKUs.
    if (table === 'products') this.noteProducts(rows as (LocalProduct | undefined)[]);
  }
}

export function readTx(io: TxIo, cache?: TxCache): ReadTx {
  return {
    async productsBySku(skus: readonly string[]) {
      const c = cache ?? new TxCache();
      await c.primeSkus(io, skus);
      return skus.map((s) => {
        const id = c.rows.get(skuSlot(s)) as string | undefined;
        return id === undefined ? undefined : (c.rows.get(slot('products', id)) as Tables['products'] | undefined);
      });
    },
    async purchaseByNumber(number: string) {
      const [sale] = (await io.firstByIndex('sales', 'receiptNo', [number])) as (Tables['sales'] | undefined)[];
      if (sale) return { kind: 'sale' as const, row: sale };
      const [order] = (await io.firstByIndex('orders', 'number', [number])) as (Tables['orders'] | undefined)[];
      return order ? { kind: 'order' as const, row: order } : undefined;
    },
    async get<T extends TableName>(table: T, key: string) {
      const s = slot(table, key);
      if (cache?.rows.has(s)) return cache.rows.get(s) as Tables[T] | undefined;
      const [row] = (await io.getMany(table, [key])) as (Tables[T] | undefined)[];
      cache?.rows.set(s, row);
      return row;
    },
    async getMany<T extends TableName>(table: T, keys: readonly string[]) {
      if (!cache) return (await io.getMany(table, keys)) as (Tables[T] | undefined)[];
      const missing = [...new Set(keys.filter((k) => !cache.rows.has(slot(table, k))))];
      if (missing.length) {
        const rows = await io.getMany(table, missing);
        missing.forEach((k, i) => cache.rows.set(slot(table, k), rows[i]));
      }
      return keys.map((k) => cache.rows.get(slot(table, k))) as (Tables[T] | undefined)[];
    },
  };
}

/**
 * The puts of `effects` that create rows under keys this transaction minted: no server copy of them
 * can exist, so none is kept; the outbox entry lists them instead (see OutboxEntry.created).
 */
export function createdRows(effects: Effects, cache: TxCache): [TableName, string][] {
  return effects.puts.filter((p) => cache.isFresh(p.key)).map((p) => [p.table, p.key]);
}

/**
 * The server copy to keep for a row about to be changed: the row as it is, unless it has no server
 * version, i.e. a pending command created it here (the server has no copy: null).
 */
const serverCopy = <R extends { _v?: number }>(current: R | undefined): R | null => (current && current._v !== undefined ? current : null);

/**
 * Writes effects locally. Must run inside a Dexie transaction that covers the tables and `base`.
 * Batched per table (one bulkGet of current rows, one of kept copies, one bulkPut each; the new kept
 * copies of all tables in one bulkPut): a sale is a handful of IndexedDB requests whatever its
 * lines. With a `cache`, rows and copies the transaction already read, and keys it minted, are not
 * read again.
 */
export async function applyEffectsLocally(io: TxIo, effects: Effects, cache?: TxCache, deferred?: Promise<unknown>[]): Promise<void> {
  const byTable = new Map<TableName, Put[]>();
  for (const put of effects.puts) {
    const list = byTable.get(put.table) ?? [];
    list.push(put);
    byTable.set(put.table, list);
  }
  // Each table's rows in one request batch; the server copies of all tables in one more.
  const newShadows: BaseEntry[] = [];
  const writes: Promise<unknown>[] = [];
  await Promise.all(
    [...byTable].map(async ([table, puts]) => {
      const keys = puts.map((p) => p.key);
      const known = (k: string) => cache && (cache.isFresh(k) || (cache.rows.has(slot(table, k)) && cache.hasShadow(slot(table, k))));
      const unknown = keys.filter((k) => !known(k));
      const [readRows, readShadows] = unknown.length ? await Promise.all([io.getMany(table, unknown), io.getMany('base', unknown.map((k) => [table, k]))]) : [[], []];
      const read = new Map(unknown.map((k, i) => [k, { row: readRows[i], shadow: readShadows[i] as BaseEntry | undefined }]));
      const olds: unknown[] = [];
      const rows = puts.map((p) => {
        const r = read.get(p.key);
        if (!r && cache!.isFresh(p.key)) {
          olds.push(undefined);
          return p.row as Local<Tables[typeof table]>; // created: see createdRows()
        }
        const current = (r ? r.row : cache!.rows.get(slot(table, p.key))) as Local<Tables[typeof table]> | undefined;
        olds.push(current);
        const shadow = r ? r.shadow : cache!.shadows.get(slot(table, p.key));
        if (!shadow) newShadows.push({ tbl: table, key: p.key, row: serverCopy(current) as BaseEntry['row'] });
        const v = current?._v;
        return { ...p.row, ...(v !== undefined ? { _v: v } : {}) } as Local<Tables[typeof table]>;
      });
      if (cache) {
        // What this transaction wrote is what it reads next (a rebase replays command after command).
        puts.forEach((p, i) => cache.rows.set(slot(table, p.key), rows[i]));
      }
      const put = io.putAll(table, rows, olds);
      put.catch(() => undefined); // reported where `written` is awaited; not "unhandled" while other tables still read
      writes.push(put);
    }),
  );
  if (newShadows.length) {
    if (cache) for (const b of newShadows) cache.shadows.set(slot(b.tbl as TableName, b.key), b);
    // A copy is kept only where none was: each one is new.
    writes.push(io.putAll('base', newShadows, newShadows.map(() => undefined)));
  }
  const written = Promise.all(writes);
  // With `deferred` (and a cache that already holds what was written), the caller goes on while
  // IndexedDB writes, and awaits them all before its transaction ends.
  if (deferred && cache) {
    written.catch(() => undefined); // reported where the caller awaits it; not "unhandled" meanwhile
    deferred.push(written);
  } else await written;
  await deleteLocally(io, effects.deletes ?? [], cache, deferred);
}

/**
 * [M2] The rows a command deletes (customer.merge's merged profile) leave the tablet at once, as
 * they leave the server: each keeps its server copy first (as a changed row does), so a rebase puts
 * it back before replaying the commands still pending, and a rejection brings it back.
 */
async function deleteLocally(io: TxIo, deletes: readonly { table: TableName; key: string }[], cache?: TxCache, deferred?: Promise<unknown>[]): Promise<void> {
  if (deletes.length === 0) return;
  const byTable = new Map<TableName, string[]>();
  for (const d of deletes) byTable.set(d.table, [...(byTable.get(d.table) ?? []), d.key]);
  await Promise.all(
    [...byTable].map(async ([table, keys]) => {
      const known = (k: string) => cache && cache.rows.has(slot(table, k)) && cache.hasShadow(slot(table, k));
      const unknown = keys.filter((k) => !known(k));
      const [readRows, readShadows] = unknown.length ? await Promise.all([io.getMany(table, unknown), io.getMany('base', unknown.map((k) => [table, k]))]) : [[], []];
      const read = new Map(unknown.map((k, i) => [k, { row: readRows[i], shadow: readShadows[i] as BaseEntry | undefined }]));
      const newShadows: BaseEntry[] = [];
      const olds: unknown[] = [];
      for (const k of keys) {
        const r = read.get(k);
        const current = (r ? r.row : cache!.rows.get(slot(table, k))) as { _v?: number } | undefined;
        olds.push(current);
        const shadow = r ? r.shadow : cache!.shadows.get(slot(table, k));
        if (!shadow && current) newShadows.push({ tbl: table, key: k, row: serverCopy(current) as BaseEntry['row'] });
      }
      if (cache) {
        for (const k of keys) cache.rows.set(slot(table, k), undefined);
        for (const b of newShadows) cache.shadows.set(slot(table, b.key), b);
      }
      const writes = Promise.all([newShadows.length ? io.putAll('base', newShadows, newShadows.map(() => undefined)) : undefined, io.deleteAll(table, keys, olds)]);
      if (deferred && cache) {
        writes.catch(() => undefined);
        deferred.push(writes);
      } else await writes;
    }),
  );
}
