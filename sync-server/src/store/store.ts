// The system-of-record store: one implementation over Kysely for SQLite and PostgreSQL.
// Every write of a synced row bumps its stream's counter inside the same transaction [P2].
import { EventEmitter } from 'node:events';
import { Migrator, sql, type Kysely, type Transaction } from 'kysely';
import type { DB } from './schema';
import { migrations } from './migrations';
import type { Change, PullResponse, Poke } from '../../../src/core/sync/protocol';
import type { Put, Movement, LedgerEntry, ReadTx } from '../../../src/core/sync/command';
import type { StreamName, TableName, Tables } from '../../../src/core/model';
import { streamDigest } from '../../../src/core/sync/checksum';

export type Dialect = 'sqlite' | 'postgres';

export interface DeviceRecord {
  id: string;
  storeId: string;
  name: string;
  deviceCode: string;
  lastSeq: number;
  revoked: boolean;
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

/** A transaction on the store: reads for handlers, and the writes a command makes. */
export class StoreTx implements ReadTx {
  /** Highest version written per stream in this transaction: pokes to send after commit. */
  readonly written = new Map<string, number>();
  private locked = new Set<string>();

  constructor(
    readonly db: Transaction<DB>,
    private readonly dialect: Dialect,
  ) {}

  async get<T extends TableName>(table: T, key: string): Promise<Tables[T] | undefined> {
    const r = await this.db.selectFrom('rows').select(['data', 'deleted']).where('tbl', '=', table).where('key', '=', key).executeTakeFirst();
    if (!r || r.deleted || r.data === null) return undefined;
    return JSON.parse(r.data) as Tables[T];
  }

  async getMany<T extends TableName>(table: T, keys: readonly string[]): Promise<(Tables[T] | undefined)[]> {
    const unique = [...new Set(keys)];
    const found = new Map<string, Tables[T]>();
    for (let i = 0; i < unique.length; i += 500) {
      const rows = await this.db
        .selectFrom('rows')
        .select(['key', 'data', 'deleted'])
        .where('tbl', '=', table)
        .where('key', 'in', unique.slice(i, i + 500))
        .execute();
      for (const r of rows) if (!r.deleted && r.data !== null) found.set(r.key, JSON.parse(r.data) as Tables[T]);
    }
    return keys.map((k) => found.get(k));
  }

  /** The streams locked so far; restored when a savepoint rolls back (its locks go with it). */
  lockedSnapshot(): Set<string> {
    return new Set(this.locked);
  }

  restoreLocked(snapshot: Set<string>): void {
    this.locked = snapshot;
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
    if (this.dialect === 'postgres') {
      await sql`select stream from stream_versions where stream in (${sql.join(todo)}) order by stream for update`.execute(this.db);
    }
    for (const s of todo) this.locked.add(s);
  }

  /** Writes rows, each stamped with a fresh version of its stream: one upsert statement per stream. */
  async putRows(puts: readonly Put[]): Promise<void> {
    const byStream = new Map<string, Put[]>();
    for (const p of puts) {
      const list = byStream.get(p.stream) ?? [];
      list.push(p);
      byStream.set(p.stream, list);
    }
    for (const [stream, list] of byStream) {
      if (!this.locked.has(stream)) await this.lockStreams([stream]);
      const top = await this.bump(stream, list.length);
      let v = top - list.length;
      for (let i = 0; i < list.length; i += 400) {
        const values = list.slice(i, i + 400).map((p) => ({ tbl: p.table, key: p.key, stream, version: ++v, data: JSON.stringify(p.row), deleted: 0 }));
        await this.db
          .insertInto('rows')
          .values(values)
          .onConflict((oc) =>
            oc.columns(['tbl', 'key']).doUpdateSet((eb) => ({
              stream: eb.ref('excluded.stream'),
              version: eb.ref('excluded.version'),
              data: eb.ref('excluded.data'),
              deleted: eb.ref('excluded.deleted'),
            })),
          )
          .execute();
      }
      this.written.set(stream, top);
    }
  }

  /**
   * Bulk insert of new rows (seeding, imports): same versioning as putRows, but one multi-row
   * statement per chunk instead of an upsert per row.
   */
  async insertRows(puts: readonly Put[], chunk = 400): Promise<void> {
    const byStream = new Map<string, Put[]>();
    for (const p of puts) {
      const list = byStream.get(p.stream) ?? [];
      list.push(p);
      byStream.set(p.stream, list);
    }
    for (const [stream, list] of byStream) {
      if (!this.locked.has(stream)) await this.lockStreams([stream]);
      const top = await this.bump(stream, list.length);
      let v = top - list.length;
      for (let i = 0; i < list.length; i += chunk) {
        const values = list.slice(i, i + chunk).map((p) => ({ tbl: p.table, key: p.key, stream, version: ++v, data: JSON.stringify(p.row), deleted: 0 }));
        await this.db.insertInto('rows').values(values).execute();
      }
      this.written.set(stream, top);
    }
  }

  async insertMovements(ms: readonly Movement[], chunk = 500): Promise<void> {
    for (let i = 0; i < ms.length; i += chunk) {
      await this.db
        .insertInto('movements')
        .values(ms.slice(i, i + chunk).map((m) => ({ id: m.id, location_id: m.locationId, sku: m.sku, qty: m.qty, kind: m.kind, command_id: m.commandId })))
        .execute();
    }
  }

  async insertLedger(es: readonly LedgerEntry[], chunk = 500): Promise<void> {
    for (let i = 0; i < es.length; i += chunk) {
      await this.db
        .insertInto('ledger')
        .values(es.slice(i, i + chunk).map((e) => ({ id: e.id, account: e.account, amount: e.amount, command_id: e.commandId })))
        .execute();
    }
  }

  /** Deletes rows, leaving tombstones with a version so pulls see the deletion [P2]. */
  async deleteRows(items: readonly { table: TableName; key: string; stream: StreamName }[]): Promise<void> {
    for (const it of items) {
      if (!this.locked.has(it.stream)) await this.lockStreams([it.stream]);
      const v = await this.bump(it.stream, 1);
      await this.upsertRow(it.table, it.key, it.stream, v, null, 1);
      this.written.set(it.stream, v);
    }
  }

  private async bump(stream: string, n: number): Promise<number> {
    const r = await this.db
      .updateTable('stream_versions')
      .set((eb) => ({ version: eb('version', '+', n) }))
      .where('stream', '=', stream)
      .returning('version')
      .executeTakeFirstOrThrow();
    return Number(r.version);
  }

  private async upsertRow(tbl: string, key: string, stream: string, version: number, data: string | null, deleted: number) {
    await this.db
      .insertInto('rows')
      .values({ tbl, key, stream, version, data, deleted })
      .onConflict((oc) => oc.columns(['tbl', 'key']).doUpdateSet({ stream, version, data, deleted }))
      .execute();
  }

  async addMovements(ms: readonly Movement[]): Promise<void> {
    if (ms.length === 0) return;
    await this.db
      .insertInto('movements')
      .values(ms.map((m) => ({ id: m.id, location_id: m.locationId, sku: m.sku, qty: m.qty, kind: m.kind, command_id: m.commandId })))
      .execute();
    await this.db
      .insertInto('dirty_skus')
      .values([...new Set(ms.map((m) => m.sku))].map((sku) => ({ sku, gen: 1 })))
      .onConflict((oc) => oc.column('sku').doUpdateSet((eb) => ({ gen: eb('dirty_skus.gen', '+', 1) })))
      .execute();
  }

  async addLedger(es: readonly LedgerEntry[]): Promise<void> {
    if (es.length === 0) return;
    // The primary key on a deterministic id is what makes a retried command unable to add points twice.
    await this.db
      .insertInto('ledger')
      .values(es.map((e) => ({ id: e.id, account: e.account, amount: e.amount, command_id: e.commandId })))
      .execute();
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
    const r = await this.db.selectFrom('commands').selectAll().where('device_id', '=', deviceId).where('seq', '=', seq).executeTakeFirst();
    return r ? { deviceId: r.device_id, seq: Number(r.seq), id: r.id, type: r.type, hash: r.hash, status: r.status, result: r.result } : undefined;
  }

  async recordCommand(c: StoredCommand, receivedAt: string): Promise<void> {
    await this.db
      .insertInto('commands')
      .values({ device_id: c.deviceId, seq: c.seq, id: c.id, type: c.type, hash: c.hash, status: c.status, result: c.result, received_at: receivedAt })
      .execute();
  }

  async notify(kind: string, recipient: string, payload: unknown, at: string): Promise<void> {
    await this.db.insertInto('notifications').values({ kind, recipient, payload: JSON.stringify(payload), created_at: at, sent_at: null }).execute();
  }
}

function toDevice(r: DB['devices']): DeviceRecord {
  return { id: r.id, storeId: r.store_id, name: r.name, deviceCode: r.device_code, lastSeq: Number(r.last_seq), revoked: r.revoked === 1 };
}

export class Store {
  private readonly pokes = new EventEmitter();
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
      const tx = new StoreTx(trx, this.dialect);
      const r = await fn(tx);
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
    const changes: Change[] = page.map((r) =>
      r.deleted || r.data === null
        ? { table: r.tbl as TableName, key: r.key, version: Number(r.version), deleted: true as const }
        : { table: r.tbl as TableName, key: r.key, version: Number(r.version), row: JSON.parse(r.data) as unknown },
    );
    // The cursor is the last delivered row's version, never the stream counter read separately: a
    // row committed between two reads would be jumped over and never delivered [P2].
    const last = page[page.length - 1];
    const version = last ? Number(last.version) : after;
    // `total` (rows after `after`) drives bootstrap progress [P4]; the tablet reads it from the first
    // page of a catch-up, so later pages skip the count (it would make a bootstrap O(n²/limit)).
    let total = changes.length;
    if (more && withTotal) {
      const c = await this.db
        .selectFrom('rows')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('stream', '=', stream)
        .where('version', '>', after)
        .executeTakeFirstOrThrow();
      total = Math.max(changes.length, Number(c.n));
    }
    return { stream, changes, version, more, total };
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
    const r = await this.db.selectFrom('rows').select(['data', 'deleted']).where('tbl', '=', table).where('key', '=', key).executeTakeFirst();
    return r && !r.deleted && r.data !== null ? (JSON.parse(r.data) as Tables[T]) : undefined;
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
