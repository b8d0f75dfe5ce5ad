// The reads and writes of a command's transaction [C2], as one small interface with two makers:
// through Dexie (inside a `db.transaction`, as a rebase runs) or straight on IndexedDB (dispatch,
// the path every sale takes). Dexie's zones, middleware stack and per-call promises cost a sale
// about a quarter of its commit time (decision 84); the straight path skips them and tells Dexie's
// live queries, in this tab and the others, what it changed, the way another tab's write does.
import Dexie, { RangeSet, cmp, type DBCoreIndex, type DBCoreTableSchema, type IndexableType } from 'dexie';
import type { VitrineDb } from './schema';

/** The requests a command's transaction makes. Every method issues its requests at once (one round trip). */
export interface TxIo {
  getMany(table: string, keys: readonly IndexableType[]): Promise<unknown[]>;
  /** For each key, the first row whose `index` holds it (undefined when none does). */
  firstByIndex(table: string, index: string, keys: readonly IndexableType[]): Promise<unknown[]>;
  /** Writes `rows`; `old` are the rows they replace as the transaction read them (undefined = new). */
  putAll(table: string, rows: readonly unknown[], old?: readonly unknown[]): Promise<void>;
  add(table: string, row: unknown): Promise<void>;
  /** Deletes `keys`; `old` are the rows as the transaction read them. */
  deleteAll(table: string, keys: readonly IndexableType[], old?: readonly unknown[]): Promise<void>;
}

/**
 * The same requests through Dexie's tables, inside a Dexie transaction that covers them. Every
 * method hands back Dexie's own promise: a native one (an `async` wrapper, a native Promise.all)
 * awaited in Dexie's transaction can let it commit before the scope ends (PrematureCommitError,
 * simulation seed 2043).
 */
export function dexieIo(db: VitrineDb): TxIo {
  const t = (name: string) => db.table(name);
  const P = Dexie.Promise as unknown as { all<T>(values: readonly PromiseLike<T>[]): Promise<T[]> };
  return {
    getMany: (table, keys) => t(table).bulkGet([...keys] as never[]),
    firstByIndex: (table, index, keys) => P.all(keys.map((k) => t(table).where(index).equals(k).first())),
    putAll: (table, rows) => t(table).bulkPut([...rows] as never[]).then(() => undefined),
    add: (table, row) => t(table).add(row as never).then(() => undefined),
    deleteAll: (table, keys) => t(table).bulkDelete([...keys] as never[]),
  };
}

/**
 * A seam for the simulation's crashes (sync-server/test/sim/crash.ts): called before each read and
 * each write of the straight path, as its Dexie middleware is for Dexie's. Throwing fails that
 * request, which aborts the whole transaction. Unset in the app.
 */
export type FaultHook = (op: 'read' | 'write') => void;
const faultHooks = new WeakMap<VitrineDb, FaultHook>();
export const setFaultHook = (db: VitrineDb, hook: FaultHook | undefined) => (hook ? faultHooks.set(db, hook) : faultHooks.delete(db));

/** Each open database's table schemas by name (Dexie builds a new core when it opens again). */
const schemas = new WeakMap<object, Map<string, DBCoreTableSchema>>();

/** Dexie's observability parts ("idb://db/table/index" → keys) of what a transaction changed. */
type Parts = Record<string, RangeSet>;

const requestDone = (req: IDBRequest): Promise<unknown> =>
  new Promise((ok, fail) => {
    req.onsuccess = () => ok(req.result);
    req.onerror = () => fail(req.error);
  });

/** A readwrite IndexedDB transaction with the TxIo requests, recording what it changed for Dexie. */
class NativeTx implements TxIo {
  readonly parts: Parts = {};
  private readonly fault: FaultHook | undefined;

  constructor(
    private readonly db: VitrineDb,
    readonly idb: IDBTransaction,
  ) {
    this.fault = faultHooks.get(db);
  }

  async getMany(table: string, keys: readonly IndexableType[]): Promise<unknown[]> {
    this.fault?.('read');
    const store = this.idb.objectStore(table);
    return Promise.all(keys.map((k) => requestDone(store.get(k as IDBValidKey))));
  }

  async firstByIndex(table: string, index: string, keys: readonly IndexableType[]): Promise<unknown[]> {
    this.fault?.('read');
    const ix = this.idb.objectStore(table).index(index);
    return Promise.all(keys.map((k) => requestDone(ix.get(k as IDBValidKey))));
  }

  async putAll(table: string, rows: readonly unknown[], old?: readonly unknown[]): Promise<void> {
    if (rows.length === 0) return;
    this.fault?.('write');
    const store = this.idb.objectStore(table);
    let last: IDBRequest | undefined;
    for (const r of rows) last = store.put(r);
    this.changed(table, rows, old);
    // Requests of one transaction complete in order: the last one's success means all succeeded.
    await requestDone(last!);
  }

  async add(table: string, row: unknown): Promise<void> {
    this.fault?.('write');
    const req = this.idb.objectStore(table).add(row);
    this.changed(table, [row], []);
    await requestDone(req);
  }

  async deleteAll(table: string, keys: readonly IndexableType[], old?: readonly unknown[]): Promise<void> {
    if (keys.length === 0) return;
    this.fault?.('write');
    const store = this.idb.objectStore(table);
    let last: IDBRequest | undefined;
    for (const k of keys) last = store.delete(k as IDBValidKey);
    const schema = this.schema(table);
    this.part(table, '').addKeys([...keys]);
    this.part(table, ':dels').addKeys([...keys]);
    if (old) this.indexKeys(schema, old, undefined, table);
    else for (const ix of schema.indexes) this.part(table, ix.name ?? '').add(new RangeSet(Dexie.minKey, Dexie.maxKey));
    await requestDone(last!);
  }

  private schema(table: string): DBCoreTableSchema {
    let byName = schemas.get(this.db.core);
    if (!byName) schemas.set(this.db.core, (byName = new Map(this.db.core.schema.tables.map((t) => [t.name, t]))));
    const s = byName.get(table);
    if (!s) throw new Error(`No table ${table} in this database`);
    return s;
  }

  private part(table: string, index: string): RangeSet {
    const name = `idb://${this.db.name}/${table}/${index}`;
    return (this.parts[name] ??= new RangeSet());
  }

  /** What Dexie's observability middleware records for a put: the keys, and each index key that moved. */
  private changed(table: string, rows: readonly unknown[], old: readonly unknown[] | undefined): void {
    const schema = this.schema(table);
    const keys = rows.map((r) => schema.primaryKey.extractKey!(r) as IndexableType);
    this.part(table, '').addKeys(keys);
    // Rows replaced without being known: a query may have held them under any index key.
    if (!old) {
      this.part(table, ':dels').addKeys(keys);
      for (const ix of schema.indexes) this.part(table, ix.name ?? '').add(new RangeSet(Dexie.minKey, Dexie.maxKey));
      return;
    }
    this.indexKeys(schema, old, rows, table);
  }

  private indexKeys(schema: DBCoreTableSchema, old: readonly unknown[], rows: readonly unknown[] | undefined, table: string): void {
    for (const ix of schema.indexes) {
      const set = this.part(table, ix.name ?? '');
      const add = (key: unknown) => (ix.multiEntry && Array.isArray(key) ? set.addKeys(key as IndexableType[]) : set.addKey(key as IndexableType));
      const keyOf = (row: unknown) => (row == null ? undefined : extract(ix, row));
      (rows ?? old).forEach((_, i) => {
        const before = keyOf(old[i]);
        const after = rows ? keyOf(rows[i]) : undefined;
        if (before === undefined && after === undefined) return;
        if (before !== undefined && after !== undefined && cmp(before, after) === 0) return;
        if (before !== undefined) add(before);
        if (after !== undefined) add(after);
      });
    }
  }
}

function extract(ix: DBCoreIndex, row: unknown): unknown {
  try {
    const k = ix.extractKey?.(row);
    return k == null ? undefined : k;
  } catch {
    return undefined; // a row an index does not cover (a key path it lacks)
  }
}

/**
 * Tells Dexie's live queries what a committed straight transaction changed: posted on the channel
 * Dexie itself listens on, so this tab (whose Dexie drops the affected cached queries and runs them
 * again) and every other tab of this origin hear it as they hear another tab's write.
 */
let channel: BroadcastChannel | undefined;
function announceChanges(parts: Parts): void {
  if (Object.keys(parts).length === 0 || typeof BroadcastChannel === 'undefined') return;
  if (!channel) {
    channel = new BroadcastChannel('x-storagemutated-1');
    (channel as { unref?: () => void }).unref?.(); // Node (tests): a channel must not keep the process alive
  }
  channel.postMessage(parts);
}

/**
 * Runs `fn` in one readwrite IndexedDB transaction over `stores`, straight on the connection Dexie
 * opened. Resolves with `fn`'s result once the transaction has committed (with `durability`, as
 * [D9] asks); if `fn` throws or a request fails, the transaction is aborted and nothing is written.
 * Like Dexie's, `fn` may await only this transaction's requests (and plain promises): waiting on
 * anything else lets IndexedDB commit the transaction under it.
 */
export async function nativeTransaction<T>(db: VitrineDb, stores: readonly string[], durability: 'strict' | 'relaxed', fn: (io: TxIo) => Promise<T>): Promise<T> {
  // As Dexie's own calls: opened on first use, but never again once closed on purpose (a wipe).
  if (!db.isOpen()) {
    if (db.hasBeenClosed()) throw new Dexie.DatabaseClosedError('The database was closed; reopen the app.');
    await db.open();
  }
  const idb = db.backendDB().transaction([...stores], 'readwrite', { durability });
  const tx = new NativeTx(db, idb);
  const committed = new Promise<void>((ok, fail) => {
    idb.oncomplete = () => ok();
    idb.onabort = () => fail(idb.error ?? new Dexie.AbortError('The transaction was aborted'));
  });
  committed.catch(() => undefined); // reported below, after fn's own error if it threw first
  let result: T;
  try {
    result = await fn(tx);
  } catch (e) {
    try {
      idb.abort();
    } catch {
      // already finished: a failed request aborted it
    }
    throw e;
  }
  await committed;
  announceChanges(tx.parts);
  return result;
}
