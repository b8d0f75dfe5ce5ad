// The tablet's IndexedDB schema (Dexie). Versions only grow: a shipped version is never edited, and
// a test opens a database written by the previous version to prove nothing (above all the outbox) is lost.
import Dexie, { type Table } from 'dexie';
import { TABLE_NAMES, type Tables, type TableName } from '@/core/model';
import type { Envelope, CommandResult } from '@/core/sync/protocol';

/** A synced row as stored locally: the server's version rides along for checksums [P7]. */
export type Local<T> = T & { _v?: number };

export interface OutboxEntry extends Envelope {
  /** When the tablet committed it (ms), for "age of the oldest unsent" [D4]. */
  createdAt: number;
  /**
   * Rows this command created on the tablet, under ids it minted [P5]. The server cannot have them
   * before the command reaches it, so dispatch keeps no server copy for them; a rebase removes them
   * before replaying, and a rejection marks them for removal. Never sent to the server.
   */
  created?: [table: TableName, key: string][];
}

export interface AttentionEntry {
  seq: number;
  command: Envelope;
  error: { code: string; message: string };
  at: number;
}

/** The server's copy of a row that pending local commands have changed (null: absent on the server). */
export interface BaseEntry {
  tbl: TableName;
  key: string;
  row: Local<Tables[TableName]> | null;
}

export interface CursorEntry {
  stream: string;
  version: number;
  /** When this stream was last pulled to its end (ms). */
  syncedAt: number;
  /** When its checksum last matched the server's (ms) [P7]; kept across restarts. */
  checkedAt?: number;
}

export interface MetaEntry {
  key: string;
  value: unknown;
}

export interface AckEntry {
  seq: number;
  result: CommandResult;
}

export class VitrineDb extends Dexie {
  locations!: Table<Local<Tables['locations']>, string>;
  products!: Table<Local<Tables['products']>, string>;
  variants!: Table<Local<Tables['variants']>, string>;
  availability!: Table<Local<Tables['availability']>, string>;
  stock!: Table<Local<Tables['stock']>, string>;
  associates!: Table<Local<Tables['associates']>, string>;
  sales!: Table<Local<Tables['sales']>, string>;
  exceptions!: Table<Local<Tables['exceptions']>, string>;
  customers!: Table<Local<Tables['customers']>, string>;
  notes!: Table<Local<Tables['notes']>, string>;
  orders!: Table<Local<Tables['orders']>, string>;
  shifts!: Table<Local<Tables['shifts']>, string>;
  registers!: Table<Local<Tables['registers']>, string>;
  outbox!: Table<OutboxEntry, number>;
  attention!: Table<AttentionEntry, number>;
  base!: Table<BaseEntry, [string, string]>;
  cursors!: Table<CursorEntry, string>;
  meta!: Table<MetaEntry, string>;

  constructor(name = 'vitrine') {
    super(name);
    // v1 — shipped. Never edit a shipped version; add the next one below it.
    this.version(1).stores({
      locations: 'id',
      products: 'id, name',
      variants: 'sku, productId, barcode',
      availability: 'sku',
      stock: 'key, sku',
      associates: 'id, storeId',
      sales: 'id, receiptNo, customerId, at',
      exceptions: 'id, kind, raisedAt',
      customers: 'id, email, phone, lastName',
      notes: 'id, customerId, at',
      orders: 'id, number, customerId, status',
      outbox: 'seq',
      attention: 'seq',
      base: '[tbl+key]',
      cursors: 'stream',
      meta: 'key',
    });
    // v2 — index the server version of catalog rows, so the search index catches up incrementally
    // with what a pull changed (rows with _v above the version it last indexed).
    this.version(2).stores({
      products: 'id, name, _v',
      variants: 'sku, productId, barcode, _v',
    });
    // v7 — register shifts [SH1]: a register row per tablet (its open shift) and the shifts, found
    // by device for the register screen's history.
    this.version(7).stores({
      shifts: 'id, deviceId',
      registers: 'id',
    });
  }

  table_<T extends TableName>(name: T): Table<Local<Tables[T]>, string> {
    return this.table(name) as Table<Local<Tables[T]>, string>;
  }
}

/** Every synced table has a local copy. */
export const SYNCED_TABLES: readonly TableName[] = TABLE_NAMES;
