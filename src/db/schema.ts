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

/** "Needs attention" as v1–v3 kept it (table `attention`, keyed by seq); v4 moved it to `alerts`. */
export interface AttentionEntry {
  seq: number;
  command: Envelope;
  error: { code: string; message: string };
  at: number;
}

/**
 * One item of "Needs attention" (v4; replaces `attention`, which was keyed by seq and so could not
 * tell two identities' command #7 apart) [C4][D5][D6][D10][SE3]. The screen words it per kind.
 */
export interface AlertEntry {
  /** The command's id, or `<kind>:<command id>` for a notice about a command still on its way. */
  id: string;
  kind: AlertKind;
  command: Envelope;
  error?: { code: string; message: string };
  /** [D5] A pending sale's receipt number that another sale already had on the server: the new one. */
  receiptNo?: { printed: string; now: string };
  at: number;
}

export type AlertKind =
  /** The server refused it [C4]: not applied. */
  | 'rejected'
  /** It kept failing to reach the server and was set aside; retried only when a person asks [D10]. */
  | 'set-aside'
  /** [D5] Renumbered: its receipt number was already used on the server by another sale. */
  | 'renumbered'
  /** [D6] Made under an identity the server revoked: only an administrator's import can take it. */
  | 'export-needed';

/**
 * [D6] A command made under a previous enrollment of this tablet: it keeps its identity's deviceId
 * and seq (so the outbox of the new identity never collides with it) until it is pushed with the
 * old token or exported for an administrator's import.
 */
export type HeldEntry = OutboxEntry;

/** [D6] A previous identity of this tablet with commands still held; no token once revoked. */
export interface PreviousIdentity {
  deviceId: string;
  storeId: string;
  storeCode: string;
  deviceCode: string;
  deviceToken: string | null;
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
  products!: Table<LocalProduct, string>;
  productAvailability!: Table<Local<Tables['productAvailability']>, string>;
  stock!: Table<Local<Tables['stock']>, string>;
  associates!: Table<Local<Tables['associates']>, string>;
  sales!: Table<Local<Tables['sales']>, string>;
  exceptions!: Table<Local<Tables['exceptions']>, string>;
  customers!: Table<Local<Tables['customers']>, string>;
  notes!: Table<Local<Tables['notes']>, string>;
  orders!: Table<Local<Tables['orders']>, string>;
  shifts!: Table<Local<Tables['shifts']>, string>;
  registers!: Table<Local<Tables['registers']>, string>;
  history!: Table<Local<Tables['history']>, string>;
  redirects!: Table<Local<Tables['redirects']>, string>;
  tablets!: Table<Local<Tables['tablets']>, string>;
  returns!: Table<Local<Tables['returns']>, string>;
  returnTallies!: Table<Local<Tables['returnTallies']>, string>;
  priceLows!: Table<Local<Tables['priceLows']>, string>;
  outbox!: Table<OutboxEntry, number>;
  alerts!: Table<AlertEntry, string>;
  held!: Table<HeldEntry, [string, number]>;
  base!: Table<BaseEntry, [string, string]>;
  cursors!: Table<CursorEntry, string>;
  meta!: Table<MetaEntry, string>;

  /** `options`: Dexie's, e.g. `chromeTransactionDurability` for the checkout bench (decision 13). */
  constructor(name = 'vitrine', options?: ConstructorParameters<typeof Dexie>[1]) {
    // [D9] Relaxed: the browser reports a commit once the OS has it, without waiting for the disk
    // flush. A command that hands over money or goods is committed strictly by dispatch (native-tx.ts).
    super(name, { chromeTransactionDurability: 'relaxed', ...options });
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
    // v3 — the catalog as product documents [P1]: one row per product with its variants embedded,
    // found by any SKU or barcode through multiEntry indexes; availability one row per product.
    // The flat tables go, and the catalog and network streams bootstrap again (their rows changed
    // shape on the server too); the outbox, kept copies, attention, the other streams' rows and
    // cursors are not touched (decision 14).
    this.version(3)
      .stores({
        products: 'id, name, _v, *skus, *barcodes',
        productAvailability: 'productId',
        variants: null,
        availability: null,
      })
      .upgrade(async (tx) => {
        await tx.table('products').clear();
        await tx.table('cursors').bulkDelete(CATALOG_REBOOTSTRAP);
        // The saved search index describes the old rows; the next open builds one from the new.
        await tx.table('meta').delete('catalog-index');
      });
    // v4 — [D6] commands of a previous identity wait in `held` under [deviceId+seq]; "Needs
    // attention" is keyed by command id (`alerts`), so two identities' #7 never overwrite each other.
    this.version(4)
      .stores({ held: '[deviceId+seq], deviceId', alerts: 'id, at', attention: null })
      .upgrade(async (tx) => {
        const old = (await tx.table('attention').toArray()) as AttentionEntry[];
        await tx.table('alerts').bulkPut(old.map((a): AlertEntry => ({ id: a.command.id, kind: 'rejected', command: a.command, error: a.error, at: a.at })));
      });
    // v7 — register shifts [SH1]: a register row per tablet (its open shift) and the shifts, found
    // by device for the register screen's history.
    this.version(7).stores({
      shifts: 'id, deviceId',
      registers: 'id',
    });
    // v5 — clienteling: each customer's purchase history across channels [CL1], redirects of merged
    // profiles [CL4], and the server version of customer rows, so the customer search index
    // catches up with what a pull changed.
    this.version(5).stores({
      customers: 'id, email, phone, lastName, _v',
      history: 'customerId',
      redirects: 'id',
    });
    // v11 — [EX2] the store's tablets as the server last saw them sync (last sync, unsent), for Today.
    this.version(11).stores({ tablets: 'id' });
    // v8 — returns [RE1]–[RE8]: the store's returns (by purchase and customer) and what has been
    // returned of each purchase across the chain (the chain stream's tallies) [RE3].
    this.version(8).stores({
      returns: 'id, number, customerId',
      returnTallies: 'purchaseId, number',
    });
    // v12 — [D5] the outbox by command id: the device check at every start reads only the entries
    // the server names, not an outbox a day offline has filled with thousands of sales (decision 75).
    this.version(12).stores({ outbox: 'seq, id' });
    // v14 — [RE1] the lowest price each SKU sold for in the return window, where below its catalog
    // price (the network stream's `priceLows`, decision 65), so a no-receipt return is priced offline.
    this.version(14).stores({ priceLows: 'sku' });
  }

  table_<T extends TableName>(name: T): Table<Local<Tables[T]>, string> {
    return this.table(name) as Table<Local<Tables[T]>, string>;
  }
}

/**
 * A product document as the tablet stores it: the index keys of its variants ride along (derived
 * when a page is applied), so `*skus` and `*barcodes` find it by any of them in one request.
 */
export type LocalProduct = Local<Tables['products']> & { skus?: string[]; barcodes?: string[] };

/** The streams v3 bootstraps again: their tables changed layout. */
export const CATALOG_REBOOTSTRAP = ['catalog', 'network'];

/** Every synced table has a local copy. */
export const SYNCED_TABLES: readonly TableName[] = TABLE_NAMES;
