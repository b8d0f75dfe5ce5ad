// SQL schema of the system of record, as Kysely sees it. Synced rows live in one table keyed by
// (tbl, key) and stamped with their stream's version [P2]; ledgers and logs have their own tables.
import type { Generated } from 'kysely';

export interface StreamVersionsTable {
  stream: string;
  version: number;
}

export interface RowsTable {
  tbl: string;
  key: string;
  stream: string;
  version: number;
  /** JSON text of the row; null for a tombstone. */
  data: string | null;
  deleted: number;
  /** [O3] Id of the command that last wrote the row; null for seeded rows. */
  written_by: Generated<string | null>;
}

export interface DevicesTable {
  id: string;
  store_id: string;
  name: string;
  device_code: string;
  token_hash: string;
  last_seq: number;
  revoked: number;
  created_at: string;
  /** [T1] The tablet's P-256 public key (JWK text); null for devices enrolled before 0003. */
  public_key: string | null;
  revoked_at: string | null;
}

export interface EnrollmentCodesTable {
  code: string;
  store_id: string;
  reusable: number;
  used_by: string | null;
  created_at: string;
  /** [T4] One-time codes expire (24 h); null for the demo's reusable code. */
  expires_at: string | null;
}

/** [T2] PIN verifiers live only on the server; the store stream carries no PIN material. */
export interface AssociatePinsTable {
  associate_id: string;
  salt: string;
  iterations: number;
  hash: string;
  fails: number;
  locked_until: string | null;
}

export interface CommandsTable {
  device_id: string;
  seq: number;
  id: string;
  type: string;
  hash: string;
  status: string;
  result: string;
  received_at: string;
  /** [O1] 'device' | 'channel' | 'system'. */
  origin: Generated<string>;
}

/** [J1][J2] Follow-up and scheduled work, run as system commands. */
export interface JobsTable {
  /** `${kind}:${key}`. */
  id: string;
  kind: string;
  key: string;
  payload: string;
  /** Due time, ms since epoch (server time). */
  run_at: number;
  /** 'pending' | 'done' | 'rejected'. */
  status: string;
  attempts: number;
  last_error: string | null;
  /** An instance that claimed the job holds it until then (ms); after, another may retry it. */
  lease_until: number | null;
  created_by: string;
  created_at: string;
  done_at: string | null;
}

export interface MovementsTable {
  id: string;
  location_id: string;
  sku: string;
  qty: number;
  kind: string;
  command_id: string;
}

export interface LedgerTable {
  id: string;
  account: string;
  amount: number;
  command_id: string;
  /** [LO2] Server time the entry was written (ms since epoch): what points expiry dates lots by (0009). */
  at: number | null;
}

export interface DirtySkusTable {
  sku: string;
  /** Bumped by every movement: the roll-up only clears a mark it has seen, never a newer one. */
  gen: number;
}

/** Which product document holds each SKU (the products-by-SKU index of the catalog). */
export interface CatalogSkusTable {
  sku: string;
  product_id: string;
}

/** [RE1] Finds a sale by receipt number or an order by number: written with the row (decision 67). */
export interface PurchaseNumbersTable {
  number: string;
  /** 'sales' | 'orders'. */
  tbl: string;
  key: string;
}

/** [RE1] The lowest unit price a SKU sold for, per currency and UTC day, written with the sale or order (decision 65). */
export interface PriceLowsTable {
  sku: string;
  currency: string;
  /** Days since 1970-01-01 (UTC). */
  day: number;
  price: number;
}

/** SKUs whose window low may have changed since the price roll-up last published them; `gen` as in dirty_skus. */
export interface PriceDirtyTable {
  sku: string;
  gen: number;
}

export interface MetaTable {
  key: string;
  value: string;
}

export interface ApiKeysTable {
  key_hash: string;
  channel: string;
  created_at: string;
}

export interface NotificationsTable {
  id: Generated<number>;
  kind: string;
  recipient: string;
  payload: string;
  created_at: string;
  sent_at: string | null;
  /** [CL6] When the customer's erasure redacted the recipient and the body (0009); never sent after. */
  redacted_at: string | null;
}

export interface DB {
  stream_versions: StreamVersionsTable;
  rows: RowsTable;
  devices: DevicesTable;
  enrollment_codes: EnrollmentCodesTable;
  commands: CommandsTable;
  movements: MovementsTable;
  ledger: LedgerTable;
  dirty_skus: DirtySkusTable;
  meta: MetaTable;
  api_keys: ApiKeysTable;
  notifications: NotificationsTable;
  jobs: JobsTable;
  associate_pins: AssociatePinsTable;
  catalog_skus: CatalogSkusTable;
  purchase_numbers: PurchaseNumbersTable;
  price_lows: PriceLowsTable;
  price_dirty: PriceDirtyTable;
}
