// The system-of-record store: one implementation over Kysely for SQLite and PostgreSQL.
// Every write of a synced row bumps its stream's counter inside the same transaction [P2].
import { EventEmitter } from 'node:events';
import { Migrator, sql, type Kysely, type Transaction } from 'kysely';
import type { DB, JobsTable } from './schema';
import { migrations } from './migrations';
import type { Change, PullResponse, Poke } from '../../../src/core/sync/protocol';
import type { Put, Movement, LedgerEntry, ReadTx, FollowUp, PurchaseFound } from '../../../src/core/sync/command';
import type { StreamName, TableName, Tables } from '../../../src/core/model';
import { streamDigest } from '../../../src/core/sync/checksum';
import { purchaseIndexOf, writePurchaseIndex, markPriceDirty } from './purchase-index';
import { bulkInsert, type Dialect } from './bulk';
import { lowestIn, dailyLows, salePrices, orderPrices } from '../../../src/core/returns/lowest-price';
import type { Currency, Minor } from '../../../src/core/shared/brand';

export type { Dialect } from './bulk';

export interface DeviceRecord {
  id: string;
  storeId: string;
  name: string;
  deviceCode: string;
  lastSeq: number;
  revoked: boolean;
  /** [T1] JWK text of the device's signing key (null: enrolled before device-bound keys). */
  publicKey: string | null;
}

export interface StoredCommand {
  deviceId: string;
  seq: number;
  id: string;
  type: string;
  hash: string;
  status: string;
  result: string;
}

export type ChecksumAnswer =
  | { stream: string; version: number; count: number; digest: string }
  | { stream: string; stale: true; version: number };

const POKE_CHANNEL = 'vitrine_pokes';

/**
 * [J3] A write to a stream the transaction has not locked. A fault, not a user error: the code that
 * wrote it must declare the stream (CommandDef.streams or plan) so it is locked in name order before
 * anything is read. Tests catch it; it is never turned into a lazy, out-of-order lock.
 */
export class UnlockedStreamFault extends Error {
  constructor(readonly stream: string) {
    super(`Write to stream ${stream}, which this transaction has not locked: declare it in the command's streams or plan [J3].`);
    this.name = 'UnlockedStreamFault';
  }
}

/** What the transaction knows of one row: its live value, the streams it is a live member of, its writer. */
interface RowMeta {
  row: unknown;
  /** Streams holding a live copy [M1]. */
  streams: Set<string>;
  /** Any copy, live or tombstone, exists [O3]. */
  exists: boolean;
  writtenBy: string | null;
}

/** A row staged for write: its JSON (null = deleted) and, per member stream, the version and whether it is a tombstone. */
interface StagedRow {
  tbl: string;
  key: string;
  data: string | null;
  writtenBy: string | null;
  members: Map<string, { version: number; deleted: boolean }>;
  /** `data` parsed, once: a batch of sales reads the same stock rows again and again. */
  parsed?: unknown;
}

/**
 * A transaction on the store: reads for handlers, and the writes commands make.
 *
 * Writes are staged in memory and flushed in a few multi-row statements when the transaction ends
 * (write-behind): a push of 200 commands costs 200 × (the handler's reads) plus a handful of
 * statements, instead of a dozen statements per command. Reads see staged writes first, so a later
 * command in the same transaction reads what an earlier one wrote. Stream versions are assigned from
 * the counters read under lock, which no other writer can move until this transaction ends [P2].
 *
 * [M1] A row is stored once per member stream, each copy stamped with its stream's version; a put
 * names the whole membership and every stream the row leaves gets a tombstone [M2].
 */
export class StoreTx implements ReadTx {
  /** Highest version written per stream in this transaction: pokes to send after commit. */
  readonly written = new Map<string, number>();
  private readonly locked = new Set<string>();
  private readonly counters = new Map<string, { version: number; dirty: boolean }>();
  private readonly staged = new Map<string, StagedRow>();
  private readonly movements: Movement[] = [];
  private readonly dirtySkus = new Set<string>();
  private readonly ledger: LedgerEntry[] = [];
  /** [LO2] Account → balance (Σ entries, stored and staged) for the accounts this transaction has read. */
  private readonly balances = new Map<string, number>();
  private readonly jobs = new Map<string, JobsTable>();
  private readonly commands = new Map<string, StoredCommand & { receivedAt: string; origin: string }>();
  /**
   * Every row this transaction has read. Safe to reuse: the transaction holds the locks of every
   * stream it writes (taken before reading), other streams' rows (catalog, locations) are not written
   * by commands, and its own writes are staged and take precedence.
   */
  private readonly cache = new Map<string, RowMeta>();
  /** [P1] SKU → product id, as `catalog_skus` said in this transaction (undefined: no such SKU). */
  private readonly skuIndex = new Map<string, string | undefined>();

  constructor(
    readonly db: Transaction<DB>,
    private readonly dialect: Dialect,
    private readonly catalog: CatalogCache = new CatalogCache(),
  ) {}

  async get<T extends TableName>(table: T, key: string): Promise<Tables[T] | undefined> {
    // Most reads of a push hit a row staged or read before in the batch: answer those without the
    // sets and maps a many-key read builds.
    const m = `${table}\u0000${key}`;
    const s = this.staged.get(m);
    if (s) return stagedRow(s) as Tables[T] | undefined;
    const c = this.cache.get(m);
    if (c) return c.row as Tables[T] | undefined;
    return (await this.getMany(table, [key]))[0];
  }

  async getMany<T extends TableName>(table: T, keys: readonly string[]): Promise<(Tables[T] | undefined)[]> {
    const metas = await this.metaOf(table, keys);
    return keys.map((k) => metas.get(k)?.row as Tables[T] | undefined);
  }

  /** [O3] Whether a row exists (live or deleted) and which command wrote it last. */
  async owner(table: TableName, key: string): Promise<{ exists: boolean; writtenBy: string | null }> {
    const s = this.staged.get(`${table}\u0000${key}`);
    if (s) return { exists: true, writtenBy: s.writtenBy };
    const m = (await this.metaOf(table, [key])).get(key)!;
    return { exists: m.exists, writtenBy: m.writtenBy };
  }

  private async metaOf(table: string, keys: readonly string[]): Promise<Map<string, RowMeta>> {
    const found = new Map<string, RowMeta>();
    const missing: string[] = [];
    for (const k of new Set(keys)) {
      const m = `${table}\u0000${k}`;
      const s = this.staged.get(m);
      if (s) found.set(k, stagedMeta(s));
      else {
        const c = this.cache.get(m);
        if (c) found.set(k, c);
        else missing.push(k);
      }
    }
    for (let i = 0; i < missing.length; i += 500) {
      // The hottest query of a push: a raw template compiles far cheaper than the query builder.
      const { rows } = await sql<{ key: string; stream: string; data: string | null; deleted: number; written_by: string | null }>`select key, stream, data, deleted, written_by from rows where tbl = ${table} and key in (${sql.join(missing.slice(i, i + 500))})`.execute(this.db);
      for (const r of rows) {
        let m = found.get(r.key);
        if (!m) {
          m = { row: undefined, streams: new Set(), exists: true, writtenBy: r.written_by };
          found.set(r.key, m);
        }
        // Every live copy of a row holds the same JSON (a put rewrites all of them).
        if (!r.deleted && r.data !== null) {
          m.streams.add(r.stream);
          if (m.row === undefined) m.row = table === 'products' ? this.catalog.parse(r.key, r.data) : JSON.parse(r.data);
        }
        if (r.written_by !== null) m.writtenBy = r.written_by;
      }
    }
    // Cached as parsed: callers copy before changing a row (handlers spread rows into new objects).
    for (const k of missing) {
      const m = found.get(k) ?? { row: undefined, streams: new Set<string>(), exists: false, writtenBy: null };
      found.set(k, m);
      this.cache.set(`${table}\u0000${k}`, m);
    }
    return found;
  }

  /**
   * [P1] The product document holding each SKU, through the `catalog_skus` index, in one query
   * (products are written by the catalog, never staged by commands). Found products are cached like
   * any read, so a later `get('products', id)` is free.
   */
  async productsBySku(skus: readonly string[]): Promise<(Tables['products'] | undefined)[]> {
    const missing = [...new Set(skus)].filter((s) => !this.skuIndex.has(s));
    for (let i = 0; i < missing.length; i += 500) {
      const { rows } = await sql<{ sku: string; product_id: string }>`select sku, product_id from catalog_skus where sku in (${sql.join(missing.slice(i, i + 500))})`.execute(this.db);
      for (const r of rows) this.skuIndex.set(r.sku, r.product_id);
    }
    for (const s of missing) if (!this.skuIndex.has(s)) this.skuIndex.set(s, undefined);
    // The documents themselves through getMany: one cache, staged writes first, like any read.
    const ids = [...new Set(skus.flatMap((s) => this.skuIndex.get(s) ?? []))];
    const docs = ids.length ? await this.getMany('products', ids) : [];
    const byId = new Map(ids.map((id, i) => [id, docs[i]]));
    return skus.map((s) => {
      const id = this.skuIndex.get(s);
      return id === undefined ? undefined : byId.get(id);
    });
  }

  /**
   * [CL6] Live rows of `table` whose JSON names one of `customerIds` as `customerId` (at any depth).
   * A text search narrows, the parsed row decides. Rows staged in this transaction are not searched.
   */
  async rowsOfCustomers<T extends TableName>(table: T, customerIds: readonly string[]): Promise<Tables[T][]> {
    const ids = new Set(customerIds);
    if (ids.size === 0) return [];
    const names = (v: unknown): boolean => {
      if (!v || typeof v !== 'object') return false;
      const o = v as Record<string, unknown>;
      if (typeof o.customerId === 'string' && ids.has(o.customerId)) return true;
      return Object.values(o).some((x) => x !== null && typeof x === 'object' && names(x));
    };
    const out = new Map<string, Tables[T]>();
    for (const id of ids) {
      const pattern = `%"customerId":${JSON.stringify(id)}%`;
      const rows = await this.db.selectFrom('rows').select(['key', 'data']).where('tbl', '=', table).where('deleted', '=', 0).where('data', 'like', pattern).execute();
      for (const r of rows) {
        if (r.data === null || out.has(r.key)) continue;
        const row = JSON.parse(r.data) as Tables[T];
        if (names(row)) out.set(r.key, row);
      }
    }
    return [...out.values()];
  }

  /**
   * [RE1] A sale by receipt number or an order by number, in any store, through `purchase_numbers`
   * (decision 67): one primary-key range read, then the row itself; the match is confirmed on it.
   */
  async purchaseByNumber(number: string): Promise<PurchaseFound | undefined> {
    if (!/^[A-Z0-9-]{1,40}$/.test(number)) return undefined;
    const hits = await this.db.selectFrom('purchase_numbers').select(['tbl', 'key']).where('number', '=', number).limit(4).execute();
    for (const h of hits) {
      if (h.tbl === 'sales') {
        const row = await this.get('sales', h.key);
        if (row && row.receiptNo === number) return { kind: 'sale', row };
      } else if (h.tbl === 'orders') {
        const row = await this.get('orders', h.key);
        if (row && row.number === number) return { kind: 'order', row };
      }
    }
    return undefined;
  }

  /**
   * [RE1] The lowest unit price each SKU sold for in `currency` from `fromDay` to `toDay` (UTC day
   * numbers, inclusive), from `price_lows` and the sales and orders staged in this transaction
   * (decision 65). Aligned with `skus`; undefined where it did not sell.
   */
  async lowestSold(skus: readonly string[], currency: Currency, fromDay: number, toDay: number): Promise<(Minor | undefined)[]> {
    const low = new Map<string, number>();
    const wanted = [...new Set(skus)];
    for (let i = 0; i < wanted.length; i += 500) {
      const rows = await this.db
        .selectFrom('price_lows')
        .select((eb) => ['sku', eb.fn.min<number | string>('price').as('low')])
        .where('sku', 'in', wanted.slice(i, i + 500))
        .where('currency', '=', currency)
        .where('day', '>=', fromDay)
        .where('day', '<=', toDay)
        .groupBy('sku')
        .execute();
      for (const r of rows) low.set(r.sku, Number(r.low));
    }
    const staged = dailyLows(
      [...this.staged.values()].flatMap((r) => (r.data === null ? [] : r.tbl === 'sales' ? salePrices(JSON.parse(r.data) as Tables['sales']) : r.tbl === 'orders' ? orderPrices(JSON.parse(r.data) as Tables['orders']) : [])),
    );
    return skus.map((sku) => {
      const a = low.get(sku);
      const b = lowestIn(staged, sku, currency, fromDay, toDay);
      return (a === undefined ? b : b === undefined ? a : Math.min(a, b)) as Minor | undefined;
    });
  }

  /**
   * Serialises this transaction with every other writer of these streams, before anything is read:
   * a handler's read-modify-write of a stock row must not interleave with another device's [P2].
   * Locks are taken in name order so two transactions can never deadlock on them.
   */
  async lockStreams(streams: readonly string[]): Promise<void> {
    const todo = [...new Set(streams)].filter((s) => !this.locked.has(s)).sort();
    if (todo.length === 0) return;
    await this.db
      .insertInto('stream_versions')
      .values(todo.map((stream) => ({ stream, version: 0 })))
      .onConflict((oc) => oc.column('stream').doNothing())
      .execute();
    const rows =
      this.dialect === 'postgres'
        ? (await sql<{ stream: string; version: number }>`select stream, version from stream_versions where stream in (${sql.join(todo)}) order by stream for update`.execute(this.db)).rows
        : await this.db.selectFrom('stream_versions').select(['stream', 'version']).where('stream', 'in', todo).execute();
    for (const r of rows) this.counters.set(r.stream, { version: Number(r.version), dirty: false });
    for (const s of todo) this.locked.add(s);
  }

  /**
   * [J3] Drops what was read before the locks were taken (a plan's reads): the handler re-reads
   * under the locks. Staged writes stay.
   */
  forgetReads(): void {
    this.cache.clear();
  }

  /**
   * Records that rows do not exist yet without asking the database: rows keyed under a command's own
   * id (`<commandId>:…`, such as the exceptions it raises) or under a (device, seq) that is being
   * recorded for the first time. Both are unique by construction ([C3], duplicate-command-id), so
   * the membership and ownership checks need no query for them.
   */
  assumeNew(table: TableName, keys: readonly string[]): void {
    for (const k of keys) {
      const m = `${table}\u0000${k}`;
      if (!this.staged.has(m) && !this.cache.has(m)) this.cache.set(m, { row: undefined, streams: new Set(), exists: false, writtenBy: null });
    }
  }

  /** [M1] The streams a row is a live member of. */
  async membership(table: TableName, key: string): Promise<string[]> {
    const m = `${table}\u0000${key}`;
    if (!this.staged.has(m) && !this.cache.has(m)) await this.metaOf(table, [key]);
    return [...this.liveStreams(table, key)];
  }

  /**
   * [J1] Stages follow-up jobs, written with the command's effects. A job id is `${kind}:${key}`: the
   * same follow-up asked for twice is one job.
   */
  addJobs(followUps: readonly FollowUp[], createdBy: string, now: number): void {
    for (const f of followUps) {
      const id = `${f.kind}:${f.key}`;
      if (!this.jobs.has(id)) this.jobs.set(id, { id, kind: f.kind, key: f.key, payload: JSON.stringify(f.payload ?? null), run_at: f.runAt ?? now, status: 'pending', attempts: 0, last_error: null, lease_until: null, created_by: createdBy, created_at: new Date(now).toISOString(), done_at: null });
    }
  }

  /** Whether this transaction holds the lock of a stream [J3]. */
  holds(stream: string): boolean {
    return this.locked.has(stream);
  }

  /**
   * Stages rows, each copy stamped with a fresh version of its stream [P2]. The streams a row is in
   * and no longer named get a tombstone [M2]. `writtenBy` records the command for ownership [O3].
   */
  async putRows(puts: readonly Put[], writtenBy: string | null = null): Promise<void> {
    await this.loadMembership(puts);
    for (const p of puts) {
      const target = [...new Set([p.stream, ...(p.also ?? [])])];
      this.stageRow(p.table, p.key, target, JSON.stringify(p.row), writtenBy);
    }
  }

  /**
   * Deletes rows: a tombstone in every stream the row is a live member of [M2] (and in `stream`, when
   * given, even if the row is not there), so pulls see the deletion [P2].
   */
  async deleteRows(items: readonly { table: TableName; key: string; stream?: StreamName }[], writtenBy: string | null = null): Promise<void> {
    await this.loadMembership(items);
    for (const it of items) {
      const extra = it.stream && !this.liveStreams(it.table, it.key).has(it.stream) ? [it.stream] : [];
      this.stageRow(it.table, it.key, [], null, writtenBy, extra);
    }
  }

  /** Streams the row is a live member of, as this transaction sees it (loaded by loadMembership). */
  private liveStreams(table: string, key: string): Set<string> {
    const m = `${table}\u0000${key}`;
    const s = this.staged.get(m);
    if (s) return stagedStreams(s);
    return this.cache.get(m)?.streams ?? new Set();
  }

  private async loadMembership(items: readonly { table: TableName; key: string }[]): Promise<void> {
    const byTable = new Map<string, string[]>();
    for (const it of items) {
      const m = `${it.table}\u0000${it.key}`;
      if (this.staged.has(m) || this.cache.has(m)) continue;
      const list = byTable.get(it.table) ?? [];
      list.push(it.key);
      byTable.set(it.table, list);
    }
    for (const [table, keys] of byTable) await this.metaOf(table, keys);
  }

  private stageRow(table: string, key: string, target: readonly string[], data: string | null, writtenBy: string | null, alsoTombstone: readonly string[] = []): void {
    const m = `${table}\u0000${key}`;
    const before = this.liveStreams(table, key);
    const prior = this.staged.get(m);
    const members = new Map(prior?.members ?? []);
    const stamp = (stream: string, deleted: boolean) => {
      const version = this.bump(stream, 1);
      members.set(stream, { version, deleted });
      this.written.set(stream, version);
    };
    for (const stream of target) stamp(stream, false);
    for (const stream of new Set([...before, ...alsoTombstone])) if (!target.includes(stream)) stamp(stream, true);
    this.staged.set(m, { tbl: table, key, data, writtenBy: writtenBy ?? prior?.writtenBy ?? this.cache.get(m)?.writtenBy ?? null, members });
  }

  /**
   * Bulk insert of new rows (seeding, imports): same versioning as putRows, but one multi-row
   * statement per chunk instead of an upsert per row. Its streams are locked first, in name order.
   */
  async insertRows(puts: readonly Put[], chunk = 400): Promise<void> {
    const byStream = new Map<string, Put[]>();
    for (const p of puts) {
      for (const stream of new Set([p.stream, ...(p.also ?? [])])) {
        const list = byStream.get(stream) ?? [];
        list.push(p);
        byStream.set(stream, list);
      }
    }
    await this.lockStreams([...byStream.keys()]);
    for (const [stream, list] of byStream) {
      const top = this.bump(stream, list.length);
      let v = top - list.length;
      for (let i = 0; i < list.length; i += chunk) {
        const values = list.slice(i, i + chunk).map((p) => ({ tbl: p.table, key: p.key, stream, version: ++v, data: JSON.stringify(p.row), deleted: 0 }));
        await this.db.insertInto('rows').values(values).execute();
      }
      this.written.set(stream, top);
    }
    const products = puts.filter((p): p is Put<'products'> => p.table === 'products');
    const skus = products.flatMap((p) => p.row.variants.map((v) => ({ sku: v.sku as string, product_id: p.key })));
    for (let i = 0; i < skus.length; i += chunk) await this.db.insertInto('catalog_skus').values(skus.slice(i, i + chunk)).execute();
    await writePurchaseIndex(this.db, purchaseIndexOf(puts.filter((p) => p.table === 'sales' || p.table === 'orders').map((p) => ({ tbl: p.table, key: p.key, data: JSON.stringify(p.row) }))), this.dialect);
  }

  async insertMovements(ms: readonly Movement[]): Promise<void> {
    await bulkInsert(this.db, this.dialect, 'movements', ['id', 'location_id', 'sku', 'qty', 'kind', 'command_id'], ms, (m) => [m.id, m.locationId, m.sku, m.qty, m.kind, m.commandId]);
  }

  async insertLedger(es: readonly LedgerEntry[]): Promise<void> {
    await bulkInsert(this.db, this.dialect, 'ledger', ['id', 'account', 'amount', 'command_id', 'at'], es, (e) => [e.id, e.account, e.amount, e.commandId, e.at ?? null]);
  }

  /** Takes the next n versions of a locked stream; the counter is written at flush. Unlocked → fault [J3]. */
  private bump(stream: string, n: number): number {
    const c = this.locked.has(stream) ? this.counters.get(stream) : undefined;
    if (!c) throw new UnlockedStreamFault(stream);
    c.version += n;
    c.dirty = true;
    return c.version;
  }

  async addMovements(ms: readonly Movement[]): Promise<void> {
    for (const m of ms) {
      this.movements.push(m);
      this.dirtySkus.add(m.sku);
    }
  }

  /**
   * [LO2] Stages ledger entries; balances read in this transaction follow them. An id already
   * recorded fails the transaction at flush (the primary key): a retried command is answered from
   * its idempotency record before its handler runs [C3], so an entry counts once or not at all.
   */
  async addLedger(es: readonly LedgerEntry[]): Promise<void> {
    for (const e of es) {
      this.ledger.push(e);
      const b = this.balances.get(e.account);
      if (b !== undefined) this.balances.set(e.account, b + e.amount);
    }
  }

  /**
   * [LO2] Every entry of an account with its server time, stored and staged in this transaction (what
   * points expiry reads). An entry written before times were kept counts from migration 0009.
   */
  async ledgerOf(account: string): Promise<{ id: string; amount: number; at: number }[]> {
    const rows = await this.db.selectFrom('ledger').select(['id', 'amount', 'at']).where('account', '=', account).execute();
    const staged = this.ledger.filter((e) => e.account === account);
    return [...rows.map((r) => ({ id: r.id, amount: Number(r.amount), at: Number(r.at ?? 0) })), ...staged.map((e) => ({ id: e.id, amount: e.amount, at: e.at ?? 0 }))];
  }

  /** [LO2] Each account's balance: the sum of its entries, stored and staged in this transaction. */
  async balancesOf(accounts: readonly string[]): Promise<Map<string, number>> {
    const missing = [...new Set(accounts)].filter((a) => !this.balances.has(a));
    for (let i = 0; i < missing.length; i += 500) {
      const chunk = missing.slice(i, i + 500);
      const rows = await this.db.selectFrom('ledger').select((eb) => ['account', eb.fn.sum<number | string>('amount').as('total')]).where('account', 'in', chunk).groupBy('account').execute();
      const stored = new Map(rows.map((r) => [r.account, Number(r.total)]));
      for (const a of chunk) this.balances.set(a, (stored.get(a) ?? 0) + this.ledger.filter((e) => e.account === a).reduce((n, e) => n + e.amount, 0));
    }
    return new Map(accounts.map((a) => [a, this.balances.get(a)!]));
  }

  /**
   * [LO2] The balances the accounts of `es` will have once `es` is added, without staging anything:
   * a command is checked before any of its effects is written.
   */
  async balancesWith(es: readonly LedgerEntry[], accounts: readonly string[]): Promise<Map<string, number>> {
    const out = await this.balancesOf([...accounts, ...es.map((e) => e.account)]);
    for (const e of es) out.set(e.account, (out.get(e.account) ?? 0) + e.amount);
    return out;
  }

  /** Writes everything staged. Runs once, just before commit (Store.transaction calls it). */
  async flush(): Promise<void> {
    const rows = [...this.staged.values()].flatMap((r) =>
      [...r.members].map(([stream, m]) => ({ tbl: r.tbl, key: r.key, stream, version: m.version, data: m.deleted ? null : r.data, deleted: m.deleted ? 1 : 0, written_by: r.writtenBy })),
    );
    this.staged.clear();
    await bulkInsert(
      this.db,
      this.dialect,
      'rows',
      ['tbl', 'key', 'stream', 'version', 'data', 'deleted', 'written_by'],
      rows,
      (r) => [r.tbl, r.key, r.stream, r.version, r.data, r.deleted, r.written_by],
      'on conflict ("tbl", "key", "stream") do update set "version" = excluded."version", "data" = excluded."data", "deleted" = excluded."deleted", "written_by" = excluded."written_by"',
    );
    await this.indexProducts(rows);
    // [RE1] Purchases by number and the day's lowest prices, with the rows (decisions 65, 67).
    await writePurchaseIndex(this.db, purchaseIndexOf(rows), this.dialect);
    for (const [stream, c] of this.counters) {
      if (!c.dirty) continue;
      await this.db.updateTable('stream_versions').set({ version: c.version }).where('stream', '=', stream).execute();
      c.dirty = false;
    }
    const ms = this.movements.splice(0);
    await this.insertMovements(ms);
    const skus = [...this.dirtySkus];
    this.dirtySkus.clear();
    await bulkInsert(this.db, this.dialect, 'dirty_skus', ['sku', 'gen'], skus, (sku) => [sku, 1], 'on conflict ("sku") do update set "gen" = "dirty_skus"."gen" + 1');
    await this.insertLedger(this.ledger.splice(0));
    const jobs = [...this.jobs.values()];
    this.jobs.clear();
    for (let i = 0; i < jobs.length; i += 200) {
      await this.db.insertInto('jobs').values(jobs.slice(i, i + 200)).onConflict((oc) => oc.column('id').doNothing()).execute();
    }
    const cs = [...this.commands.values()];
    this.commands.clear();
    await bulkInsert(this.db, this.dialect, 'commands', ['device_id', 'seq', 'id', 'type', 'hash', 'status', 'result', 'received_at', 'origin'], cs, (c) => [c.deviceId, c.seq, c.id, c.type, c.hash, c.status, c.result, c.receivedAt, c.origin]);
  }

  /** Keeps `catalog_skus` in step with the product documents written (or deleted) in this transaction. */
  private async indexProducts(rows: readonly { tbl: string; key: string; data: string | null }[]): Promise<void> {
    const products = rows.filter((r) => r.tbl === 'products');
    if (products.length === 0) return;
    for (let i = 0; i < products.length; i += 400) {
      await this.db.deleteFrom('catalog_skus').where('product_id', 'in', products.slice(i, i + 400).map((r) => r.key)).execute();
    }
    const skus = products.flatMap((r) => (r.data === null ? [] : (JSON.parse(r.data) as Tables['products']).variants.map((v) => ({ sku: v.sku as string, product_id: r.key }))));
    // [RE1] A price change may make a SKU's window low worth publishing, or not any more.
    await markPriceDirty(this.db, skus.map((s) => s.sku), this.dialect);
    for (let i = 0; i < skus.length; i += 400) {
      await this.db
        .insertInto('catalog_skus')
        .values(skus.slice(i, i + 400))
        .onConflict((oc) => oc.column('sku').doUpdateSet((eb) => ({ product_id: eb.ref('excluded.product_id') })))
        .execute();
    }
  }

  async device(id: string): Promise<DeviceRecord | undefined> {
    const q = this.db.selectFrom('devices').selectAll().where('id', '=', id);
    const r = await (this.dialect === 'postgres' ? q.forUpdate() : q).executeTakeFirst();
    return r ? toDevice(r) : undefined;
  }

  async setLastSeq(deviceId: string, seq: number): Promise<void> {
    await this.db.updateTable('devices').set({ last_seq: seq }).where('id', '=', deviceId).execute();
  }

  async command(deviceId: string, seq: number): Promise<StoredCommand | undefined> {
    const staged = this.commands.get(`${deviceId}\u0000${seq}`);
    if (staged) return staged;
    const r = await this.db.selectFrom('commands').selectAll().where('device_id', '=', deviceId).where('seq', '=', seq).executeTakeFirst();
    return r ? { deviceId: r.device_id, seq: Number(r.seq), id: r.id, type: r.type, hash: r.hash, status: r.status, result: r.result } : undefined;
  }

  /**
   * Records a command's result: the one idempotency record of every origin [O1]. A device's is keyed
   * (deviceId, seq); a channel's and the system's by their idempotency key in `deviceId`, seq 0.
   */
  async recordCommand(c: StoredCommand, receivedAt: string, origin: 'device' | 'channel' | 'system' = 'device'): Promise<void> {
    this.commands.set(`${c.deviceId}\u0000${c.seq}`, { ...c, receivedAt, origin });
  }

  async notify(kind: string, recipient: string, payload: unknown, at: string): Promise<void> {
    await this.db.insertInto('notifications').values({ kind, recipient, payload: JSON.stringify(payload), created_at: at, sent_at: null }).execute();
  }
}

/**
 * Product documents parsed once for the life of the server, not once per transaction: every sale
 * reads its products, and parsing them was the costliest line of a push's own JavaScript
 * (decision 80). A hit needs the stored text to be the very text parsed before, so a product the
 * catalog rewrote is parsed again; the text is still read in the transaction, under its locks and
 * snapshot, like any row. The documents are frozen: they are shared by every transaction, and a
 * handler that tried to change one in place would throw instead of changing another's read.
 */
export class CatalogCache {
  private readonly docs = new Map<string, { data: string; row: unknown }>();
  constructor(private readonly limit = 50_000) {}

  parse(key: string, data: string): unknown {
    const hit = this.docs.get(key);
    if (hit && hit.data === data) return hit.row;
    const row = deepFreeze(JSON.parse(data) as unknown);
    if (this.docs.size >= this.limit) this.docs.clear();
    this.docs.set(key, { data, row });
    return row;
  }
}

function deepFreeze<T>(v: T): T {
  if (v !== null && typeof v === 'object' && !Object.isFrozen(v)) {
    for (const x of Object.values(v)) deepFreeze(x);
    Object.freeze(v);
  }
  return v;
}

function stagedStreams(s: StagedRow): Set<string> {
  const streams = new Set<string>();
  for (const [stream, m] of s.members) if (!m.deleted) streams.add(stream);
  return streams;
}

function stagedRow(s: StagedRow): unknown {
  // Shared like a cached row: callers copy before changing a row (handlers spread rows into new objects).
  if (s.data === null) return undefined;
  if (s.parsed === undefined) s.parsed = JSON.parse(s.data);
  return s.parsed;
}

function stagedMeta(s: StagedRow): RowMeta {
  return { row: stagedRow(s), streams: stagedStreams(s), exists: true, writtenBy: s.writtenBy };
}

function toDevice(r: DB['devices']): DeviceRecord {
  return { id: r.id, storeId: r.store_id, name: r.name, deviceCode: r.device_code, lastSeq: Number(r.last_seq), revoked: r.revoked === 1, publicKey: r.public_key ?? null };
}

export class Store {
  private readonly pokes = new EventEmitter();
  /** [P1] Parsed product documents, shared by this store's transactions (checked against the stored text). */
  private readonly catalog = new CatalogCache();
  private listenerStop: (() => Promise<void>) | undefined;

  constructor(
    readonly db: Kysely<DB>,
    readonly dialect: Dialect,
    /** PostgreSQL only: subscribe to pokes from every instance (LISTEN/NOTIFY) [P6]. */
    private readonly listen?: (channel: string, onMessage: (payload: string) => void) => Promise<() => Promise<void>>,
  ) {
    this.pokes.setMaxListeners(0);
  }

  async migrate(): Promise<void> {
    const migrator = new Migrator({ db: this.db, provider: { getMigrations: async () => migrations(this.dialect) } });
    const { error, results } = await migrator.migrateToLatest();
    const failed = results?.find((r) => r.status === 'Error');
    if (error || failed) throw new Error(`Database migration ${failed?.migrationName ?? ''} failed: ${String(error)}`);
    if (this.listen && !this.listenerStop) {
      this.listenerStop = await this.listen(POKE_CHANNEL, (payload) => {
        for (const p of JSON.parse(payload) as Poke[]) this.pokes.emit('poke', p);
      });
    }
  }

  /** Runs fn in one database transaction; after commit, pokes go out for every stream it wrote [P6]. */
  async transaction<T>(fn: (tx: StoreTx) => Promise<T>): Promise<T> {
    let written: Map<string, number> | undefined;
    const out = await this.db.transaction().execute(async (trx) => {
      const tx = new StoreTx(trx, this.dialect, this.catalog);
      const r = await fn(tx);
      await tx.flush();
      written = tx.written;
      if (this.dialect === 'postgres' && tx.written.size > 0) {
        // NOTIFY inside the transaction is delivered only if it commits, to every instance.
        const pokes: Poke[] = [...tx.written].map(([stream, version]) => ({ stream: stream as StreamName, version }));
        await sql`select pg_notify(${POKE_CHANNEL}, ${JSON.stringify(pokes)})`.execute(trx);
      }
      return r;
    });
    if (this.dialect === 'sqlite' && written) {
      for (const [stream, version] of written) this.pokes.emit("poke", { stream: stream as StreamName, version } satisfies Poke);
    }
    return out;
  }

  onPoke(listener: (p: Poke) => void): () => void {
    this.pokes.on('poke', listener);
    return () => this.pokes.off('poke', listener);
  }

  async streamVersion(stream: string): Promise<number> {
    const r = await this.db.selectFrom('stream_versions').select('version').where('stream', '=', stream).executeTakeFirst();
    return r ? Number(r.version) : 0;
  }

  /** One page of a stream after a version [P3]. Rows come in version order; the cursor is the last one's. */
  async pull(stream: StreamName, after: number, limit: number, withTotal = true): Promise<PullResponse> {
    const { page, more, version, total } = await this.pullPage(stream, after, limit, withTotal);
    const changes: Change[] = page.map((r) =>
      r.deleted || r.data === null
        ? { table: r.tbl as TableName, key: r.key, version: Number(r.version), deleted: true as const }
        : { table: r.tbl as TableName, key: r.key, version: Number(r.version), row: JSON.parse(r.data) as unknown },
    );
    return { stream, changes, version, more, total };
  }

  /**
   * The same page as `pull`, already serialised: each row's stored JSON is spliced in as is instead
   * of being parsed and stringified again. A bootstrap sends hundreds of thousands of rows, so this
   * halves the server's work for it. `pull` and `pullJson` answer the same (contract-tested).
   */
  async pullJson(stream: StreamName, after: number, limit: number, withTotal = true): Promise<string> {
    const { page, more, version, total } = await this.pullPage(stream, after, limit, withTotal);
    const parts = page.map((r) => {
      const head = `{"table":${JSON.stringify(r.tbl)},"key":${JSON.stringify(r.key)},"version":${Number(r.version)}`;
      return r.deleted || r.data === null ? `${head},"deleted":true}` : `${head},"row":${r.data}}`;
    });
    return `{"stream":${JSON.stringify(stream)},"changes":[${parts.join(',')}],"version":${version},"more":${more},"total":${total}}`;
  }

  private async pullPage(stream: StreamName, after: number, limit: number, withTotal: boolean) {
    const rows = await this.db
      .selectFrom('rows')
      .select(['tbl', 'key', 'version', 'data', 'deleted'])
      .where('stream', '=', stream)
      .where('version', '>', after)
      .orderBy('version')
      .limit(limit + 1)
      .execute();
    const more = rows.length > limit;
    const page = more ? rows.slice(0, limit) : rows;
    // The cursor is the last delivered row's version, never the stream counter read separately: a
    // row committed between two reads would be jumped over and never delivered [P2].
    const last = page[page.length - 1];
    const version = last ? Number(last.version) : after;
    // `total` (rows after `after`) drives bootstrap progress [P4]; the tablet reads it from the first
    // page of a catch-up, so later pages skip the count (it would make a bootstrap O(n²/limit)).
    let total = page.length;
    if (more && withTotal) {
      const c = await this.db
        .selectFrom('rows')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('stream', '=', stream)
        .where('version', '>', after)
        .executeTakeFirstOrThrow();
      total = Math.max(page.length, Number(c.n));
    }
    return { page, more, version, total };
  }

  /**
   * Digest of a stream's live rows [P7]. Only meaningful at the stream's current version: a row
   * changed after `at` no longer has its old value here, so a stale `at` answers `stale`.
   */
  async checksum(stream: StreamName, at: number): Promise<ChecksumAnswer> {
    // One snapshot for the version and the rows (PostgreSQL's default READ COMMITTED is not one).
    const t = this.dialect === 'postgres' ? this.db.transaction().setIsolationLevel('repeatable read') : this.db.transaction();
    return t.execute(async (trx) => {
      const current = await trx.selectFrom('stream_versions').select('version').where('stream', '=', stream).executeTakeFirst();
      const version = current ? Number(current.version) : 0;
      if (version !== at) return { stream, stale: true as const, version };
      const rows = await trx.selectFrom('rows').select(['tbl', 'key', 'version']).where('stream', '=', stream).where('deleted', '=', 0).execute();
      const d = streamDigest(rows.map((r) => ({ table: r.tbl, key: r.key, version: Number(r.version) })));
      return { stream, version, count: d.count, digest: d.digest };
    });
  }

  async getRow<T extends TableName>(table: T, key: string): Promise<Tables[T] | undefined> {
    // Any live copy: a row in several streams [M1] holds the same JSON in each.
    const r = await this.db.selectFrom('rows').select('data').where('tbl', '=', table).where('key', '=', key).where('deleted', '=', 0).limit(1).executeTakeFirst();
    return r && r.data !== null ? (JSON.parse(r.data) as Tables[T]) : undefined;
  }

  async findDeviceByTokenHash(hash: string): Promise<DeviceRecord | undefined> {
    const r = await this.db.selectFrom('devices').selectAll().where('token_hash', '=', hash).executeTakeFirst();
    return r ? toDevice(r) : undefined;
  }

  async getMeta(key: string): Promise<string | undefined> {
    const r = await this.db.selectFrom('meta').select('value').where('key', '=', key).executeTakeFirst();
    return r?.value;
  }

  async setMeta(key: string, value: string): Promise<void> {
    await this.db.insertInto('meta').values({ key, value }).onConflict((oc) => oc.column('key').doUpdateSet({ value })).execute();
  }

  async close(): Promise<void> {
    await this.listenerStop?.();
    await this.db.destroy();
  }
}
