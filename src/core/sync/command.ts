// The shape of a command handler: a pure function of (state it reads, command) → effects.
// The same handler runs on the tablet (against IndexedDB) and on the server (inside a SQL transaction).
import type { z } from 'zod';
import type { Role, StreamName, TableName, Tables, ExceptionKind } from '../model';
import { keyOf, streamOf } from '../model';
import { decodeHlc, type Hlc } from '../shared/hlc';
import type { Currency, Minor } from '../shared/brand';

/** Read access to state. The only I/O a handler has, injected by the side that runs it. */
export interface ReadTx {
  get<T extends TableName>(table: T, key: string): Promise<Tables[T] | undefined>;
  /** Several rows of one table in one round trip; the answer is aligned with `keys`. */
  getMany<T extends TableName>(table: T, keys: readonly string[]): Promise<(Tables[T] | undefined)[]>;
  /**
   * The product document holding each SKU, aligned with `skus` (an index read: products by their
   * variants' SKUs). Handlers call it through `lookupSkus` only, so no handler knows the layout.
   */
  productsBySku(skus: readonly string[]): Promise<(Tables['products'] | undefined)[]>;
  /**
   * [CL6] Live rows of `table` that name one of these customers (`customerId` at any depth): what an
   * erasure must delete or anonymise. Only the server answers it (tablets hold their own store's rows
   * and get the result through tombstones and changed rows at their next pull).
   */
  rowsOfCustomers?<T extends TableName>(table: T, customerIds: readonly string[]): Promise<Tables[T][]>;
  /**
   * [RE1] A store sale by its receipt number or an order by its number, wherever it is (an index
   * read). Optional: a side that cannot answer leaves it out, and returns then treat the purchase
   * as unseen.
   */
  purchaseByNumber?(number: string): Promise<PurchaseFound | undefined>;
  /**
   * [RE1] The lowest unit price each SKU sold for in `currency` between two UTC day numbers
   * (inclusive), chain-wide, net of line discounts (decision 65). Only the server answers it; a
   * tablet prices from the published `priceLows` rows instead.
   */
  lowestSold?(skus: readonly string[], currency: Currency, fromDay: number, toDay: number): Promise<(Minor | undefined)[]>;
  /**
   * [LO2] Every entry of a ledger account with the server time it was written (stored and staged in
   * this transaction): what points expiry reads. Only the server answers it.
   */
  ledgerOf?(account: string): Promise<{ id: string; amount: number; at: number }[]>;
}

/** What `ReadTx.purchaseByNumber` finds. */
export type PurchaseFound = { kind: 'sale'; row: Tables['sales'] } | { kind: 'order'; row: Tables['orders'] };

export interface Command<P = unknown> {
  id: string;
  deviceId: string;
  seq: number;
  type: string;
  v: number;
  at: Hlc;
  actor: string;
  payload: P;
}

export interface DeviceScope {
  deviceId: string;
  storeId: string;
  /** The device's code in receipt numbers, where the side running the handler knows it [T3]. */
  deviceCode?: string;
}

export interface Put<T extends TableName = TableName> {
  table: T;
  key: string;
  stream: StreamName;
  row: Tables[T];
  /**
   * [M1] Further streams the row is a member of besides `stream`; each stamps its own version. A put
   * names the row's whole membership: a stream it was in and is not named any more gets a tombstone [M2].
   */
  also?: StreamName[];
  /** [O3] The command creates this row: an id already written by another command is `rejected: id-taken`. */
  create?: boolean;
}

/** [M2] A deleted row: a tombstone in every stream it was a member of. */
export interface Delete {
  table: TableName;
  key: string;
}

/** [J1] Follow-up work a command asks for, run later by the server as a system command of type `kind`. */
export interface FollowUp {
  /** The command type the server runs. */
  kind: string;
  /** Unique per kind: the job's (and its system command's) deterministic identity. */
  key: string;
  /** When to run it (ms since epoch, server time); omitted → as soon as possible [J2]. */
  runAt?: number;
  payload: unknown;
}

/** A stock ledger entry: on hand is the sum of these per (location, SKU). */
export interface Movement {
  id: string;
  locationId: string;
  sku: string;
  qty: number;
  kind: 'sale' | 'return-restock' | 'receipt' | 'transfer-out' | 'transfer-in' | 'count-adjust' | 'reserve' | 'release' | 'fulfil';
  commandId: string;
}

/** A points or store-credit ledger entry, with a deterministic id so a retry can never add it twice. */
export interface LedgerEntry {
  id: string;
  account: string; // `points:<customerId>` | `credit:<customerId>`
  amount: number;
  commandId: string;
  /** [LO2] Server time the entry was written (ms); the server stamps it, so handlers leave it out. */
  at?: number;
}

/** What a command's result tells its caller; each command declares its own shape (typed dispatch). */
export type Summary = Record<string, unknown>;

export interface Effects<S extends Summary = Summary> {
  puts: Put[];
  movements: Movement[];
  ledger: LedgerEntry[];
  exceptions: { id: string; kind: ExceptionKind; message: string }[];
  summary: S;
  /** [M2] Rows the command deletes (tombstones). */
  deletes?: Delete[];
  /** [J1] Work the server runs after the command commits, written in its transaction. */
  followUps?: FollowUp[];
  /** [W3] Customer notices, written to the outbox in the command's transaction; a notifier delivers them. */
  notifications?: Notice[];
  /** [CL6] Notices in the server's outbox to redact (an erasure): see `EffectsBuilder.forgetNotices`. */
  forget?: ForgetNotices;
}

/**
 * [CL6] Which queued or sent notices were about an erased customer: those sent to one of these
 * addresses, and those whose body names one of these records (`orderId`, `saleId`, `returnId`). The
 * server blanks their recipient and body and keeps the row (kind and times) for audit counts; one
 * not yet sent never is. A tablet keeps no outbox of notices, so it ignores this.
 */
export interface ForgetNotices {
  recipients: string[];
  refs: { orderId?: string[]; saleId?: string[]; returnId?: string[] };
}

/** [W3] A notice to a customer ("ready for pickup", "expired", "refund issued", a receipt). */
export interface Notice {
  kind: 'ready-for-pickup' | 'expired' | 'refund-issued' | 'receipt' | 'delayed';
  /** An e-mail address or phone number. */
  recipient: string;
  payload: Record<string, unknown>;
}

/**
 * [O2] Who acts: an associate on a tablet (device origin), a channel such as the web shop, or the
 * server itself (follow-ups, schedules).
 */
export type Principal =
  | { kind: 'associate'; id: string; role: Role; storeId: string; deviceId: string }
  | { kind: 'channel'; channel: string }
  | { kind: 'system' };

/** What `CommandDef.roles` names: an associate's role, or a non-associate principal [O2]. */
export type PrincipalRole = Role | 'channel' | 'system';

export interface HandlerContext {
  tx: ReadTx;
  scope: DeviceScope;
  /** 'tablet' sees the last known state; 'server' is the judge. Handlers rarely need to know. */
  side: 'tablet' | 'server';
  /** [O2] Who issued the command (set on the server; the tablet's own associate otherwise). */
  principal?: Principal;
  /**
   * [D8] Time of the side running the handler (ms since epoch): server time on the server. Rows that
   * show an age to people (stock `at`) take it, never the tablet's clock. Absent → use `nowOf`.
   */
  now?: number;
}

/** [D8] The handler's "now": the server's time when it runs there, else the command's own HLC wall time. */
export const nowOf = (ctx: HandlerContext, cmd: Command): number => ctx.now ?? decodeHlc(cmd.at).wall;

export interface CommandDef<P, S extends Summary = Summary> {
  type: string;
  /** Current payload version. */
  version: number;
  /** One schema per version ever accepted [C6]. */
  schemas: Record<number, z.ZodType>;
  /** Turns an old payload into the current shape [C6]. */
  upcast?: (v: number, payload: unknown) => unknown;
  /** Roles allowed to issue the command [A4], and whether a channel or the system may [O2]. */
  roles: readonly PrincipalRole[];
  /** The store the command writes, for the scope check [A3]; undefined if chain-wide. */
  storeOf: (payload: P) => string | undefined;
  /**
   * Rows the handler will read, known from the payload: the server fetches them for a whole push
   * batch in a few queries before running any handler. Optional, and only an optimisation.
   */
  prefetch?: (payload: P, scope: DeviceScope) => Prefetch[];
  /** Streams the command may write; the server serialises on their counters [P2]. */
  streams: (payload: P, scope: DeviceScope) => StreamName[];
  /**
   * [J3] For a handler that learns which streams it writes only by reading (sourcing picks locations
   * by availability): reads without locks and names the further streams. The server then locks
   * `streams` ∪ plan in name order, and the handler re-reads under those locks. A write to a stream
   * that is not locked is a fault, never a lazy lock.
   */
  plan?: (ctx: { tx: ReadTx; scope: DeviceScope }, cmd: Command<P>) => Promise<StreamName[]>;
  handle: (ctx: HandlerContext, cmd: Command<P>) => Promise<Effects<S>>;
  /**
   * [D9] 'strict' for a command that hands over money or goods (sale, return, redemption, cash
   * movement): the tablet commits it with strict IndexedDB durability. Omitted: relaxed.
   */
  durability?: 'strict' | 'relaxed';
}

/** Rows of one table a handler is expected to read, fetched ahead in one request. */
export interface Prefetch {
  table: TableName;
  keys: readonly string[];
  /** Keys name SKUs, to be found through the products-by-SKU index (`ReadTx.productsBySku`). */
  by?: 'sku';
}

/** Collects effects while a handler runs; reads see the handler's own earlier writes. */
export class EffectsBuilder<S extends Summary = Summary> implements ReadTx {
  private readonly staged = new Map<string, Put | Delete>();
  readonly movements: Movement[] = [];
  readonly followUps: FollowUp[] = [];
  readonly ledger: LedgerEntry[] = [];
  readonly exceptions: Effects['exceptions'] = [];
  readonly notifications: Notice[] = [];
  // Every handler sets its summary before done(); the empty start is never returned as S.
  summary: S = {} as S;

  constructor(private readonly base: ReadTx) {}

  async get<T extends TableName>(table: T, key: string): Promise<Tables[T] | undefined> {
    const s = this.staged.get(`${table}\u0000${key}`);
    if (s) return 'row' in s ? (s.row as Tables[T]) : undefined;
    return this.base.get(table, key);
  }

  async productsBySku(skus: readonly string[]): Promise<(Tables['products'] | undefined)[]> {
    // Commands never write products (server-owned), so nothing staged can answer this.
    return this.base.productsBySku(skus);
  }

  async rowsOfCustomers<T extends TableName>(table: T, customerIds: readonly string[]): Promise<Tables[T][]> {
    // Rows this command staged are not searched: an erasure reads before it writes.
    return (await this.base.rowsOfCustomers?.(table, customerIds)) ?? [];
  }

  async purchaseByNumber(number: string): Promise<PurchaseFound | undefined> {
    // Commands never create another purchase's rows while reading one, so the base answers.
    return this.base.purchaseByNumber?.(number);
  }

  async lowestSold(skus: readonly string[], currency: Currency, fromDay: number, toDay: number): Promise<(Minor | undefined)[]> {
    // Sales staged by this command are not prices of the window (a return stages none).
    return (await this.base.lowestSold?.(skus, currency, fromDay, toDay)) ?? skus.map(() => undefined);
  }

  async ledgerOf(account: string): Promise<{ id: string; amount: number; at: number }[]> {
    // Read before the handler writes its own entries (expiry reads, then writes one).
    return (await this.base.ledgerOf?.(account)) ?? [];
  }

  async getMany<T extends TableName>(table: T, keys: readonly string[]): Promise<(Tables[T] | undefined)[]> {
    const missing = [...new Set(keys.filter((k) => !this.staged.has(`${table}\u0000${k}`)))];
    const fetched = missing.length ? await this.base.getMany(table, missing) : [];
    const byKey = new Map(missing.map((k, i) => [k, fetched[i]]));
    return keys.map((k) => {
      const s = this.staged.get(`${table}\u0000${k}`);
      if (s) return 'row' in s ? (s.row as Tables[T]) : undefined;
      return byKey.get(k);
    });
  }

  /**
   * Changes a row (or writes one whose id the command did not mint). `also` names further member
   * streams [M1]; a stream the row was in and is no longer named gets a tombstone [M2].
   */
  put<T extends TableName>(table: T, row: Tables[T], opts: { also?: StreamName[] } = {}): void {
    this.stage(table, row, opts.also, false);
  }

  /**
   * [O3] Writes a row this command creates under an id it was given (saleId, noteId): on the server an
   * id that another command already wrote rejects the command `id-taken` instead of overwriting.
   */
  create<T extends TableName>(table: T, row: Tables[T], opts: { also?: StreamName[] } = {}): void {
    this.stage(table, row, opts.also, true);
  }

  /** [M2] Deletes a row: a tombstone in each stream it belonged to. */
  delete(table: TableName, key: string): void {
    this.staged.set(`${table}\u0000${key}`, { table, key });
  }

  /** [J1] Asks the server to run `kind` as a system command after this command commits. */
  followUp(f: FollowUp): void {
    this.followUps.push(f);
  }

  private stage<T extends TableName>(table: T, row: Tables[T], also: StreamName[] | undefined, create: boolean): void {
    const key = keyOf[table](row);
    const prior = this.staged.get(`${table}\u0000${key}`);
    // Creating then changing a row in one command is still a creation.
    const created = create || (prior !== undefined && 'create' in prior && prior.create === true);
    const stream = streamOf(table, row);
    const extra = also?.filter((s) => s !== stream);
    this.staged.set(`${table}\u0000${key}`, { table, key, stream, row, ...(extra?.length ? { also: extra } : {}), ...(created ? { create: true } : {}) } as Put);
  }

  move(m: Movement): void {
    this.movements.push(m);
  }

  entry(e: LedgerEntry): void {
    this.ledger.push(e);
  }

  /** [W3] Queues a customer notice in the outbox, in this command's transaction (a tablet's run keeps none). */
  notify(n: Notice): void {
    this.notifications.push(n);
  }

  /** [CL6] Redacts the outbox's notices to these addresses or about these records (server only). */
  forgetNotices(f: ForgetNotices): void {
    this.forget = f;
  }
  private forget: ForgetNotices | undefined;

  done(): Effects<S> {
    const staged = [...this.staged.values()];
    const deletes = staged.filter((s): s is Delete => !('row' in s));
    return {
      puts: staged.filter((s): s is Put => 'row' in s),
      movements: this.movements,
      ledger: this.ledger,
      exceptions: this.exceptions,
      summary: this.summary,
      ...(deletes.length ? { deletes } : {}),
      ...(this.followUps.length ? { followUps: this.followUps } : {}),
      ...(this.notifications.length ? { notifications: this.notifications } : {}),
      ...(this.forget ? { forget: this.forget } : {}),
    };
  }
}
