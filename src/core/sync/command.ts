// The shape of a command handler: a pure function of (state it reads, command) → effects.
// The same handler runs on the tablet (against IndexedDB) and on the server (inside a SQL transaction).
import type { z } from 'zod';
import type { Role, StreamName, TableName, Tables, ExceptionKind } from '../model';
import { keyOf, streamOf } from '../model';
import type { Hlc } from '../shared/hlc';

/** Read access to state. The only I/O a handler has, injected by the side that runs it. */
export interface ReadTx {
  get<T extends TableName>(table: T, key: string): Promise<Tables[T] | undefined>;
  /** Several rows of one table in one round trip; the answer is aligned with `keys`. */
  getMany<T extends TableName>(table: T, keys: readonly string[]): Promise<(Tables[T] | undefined)[]>;
}

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
}

export interface Effects {
  puts: Put[];
  movements: Movement[];
  ledger: LedgerEntry[];
  exceptions: { id: string; kind: ExceptionKind; message: string }[];
  summary: Record<string, unknown>;
  /** Customer notifications queued in the command's transaction (outbox, sync [W3]). */
  notifications?: Notification[];
}

/** A message for a customer, sent later by the notifier adapter [W3]. */
export interface Notification {
  kind: string;
  recipient: string;
  payload: Record<string, unknown>;
}

export interface HandlerContext {
  tx: ReadTx;
  scope: DeviceScope;
  /** 'tablet' sees the last known state; 'server' is the judge. Handlers rarely need to know. */
  side: 'tablet' | 'server';
}

export interface CommandDef<P> {
  type: string;
  /** Current payload version. */
  version: number;
  /** One schema per version ever accepted [C6]. */
  schemas: Record<number, z.ZodType>;
  /** Turns an old payload into the current shape [C6]. */
  upcast?: (v: number, payload: unknown) => unknown;
  /** Roles allowed to issue the command [A4]. */
  roles: readonly Role[];
  /** The store the command writes, for the scope check [A3]; undefined if chain-wide. */
  storeOf: (payload: P) => string | undefined;
  /**
   * Rows the handler will read, known from the payload: the server fetches them for a whole push
   * batch in a few queries before running any handler. Optional, and only an optimisation.
   */
  prefetch?: (payload: P, scope: DeviceScope) => Prefetch[];
  /** Streams the command may write; the server serialises on their counters [P2]. */
  streams: (payload: P, scope: DeviceScope) => StreamName[];
  handle: (ctx: HandlerContext, cmd: Command<P>) => Promise<Effects>;
}

/** Rows of one table a handler is expected to read, fetched ahead in one request. */
export interface Prefetch {
  table: TableName;
  keys: readonly string[];
}

/** Collects effects while a handler runs; reads see the handler's own earlier writes. */
export class EffectsBuilder implements ReadTx {
  private readonly staged = new Map<string, Put>();
  readonly movements: Movement[] = [];
  readonly ledger: LedgerEntry[] = [];
  readonly exceptions: Effects['exceptions'] = [];
  readonly notifications: Notification[] = [];
  summary: Record<string, unknown> = {};

  constructor(private readonly base: ReadTx) {}

  async get<T extends TableName>(table: T, key: string): Promise<Tables[T] | undefined> {
    const s = this.staged.get(`${table}\u0000${key}`);
    if (s) return s.row as Tables[T];
    return this.base.get(table, key);
  }

  async getMany<T extends TableName>(table: T, keys: readonly string[]): Promise<(Tables[T] | undefined)[]> {
    const missing = [...new Set(keys.filter((k) => !this.staged.has(`${table}\u0000${k}`)))];
    const fetched = missing.length ? await this.base.getMany(table, missing) : [];
    const byKey = new Map(missing.map((k, i) => [k, fetched[i]]));
    return keys.map((k) => {
      const s = this.staged.get(`${table}\u0000${k}`);
      return s ? (s.row as Tables[T]) : byKey.get(k);
    });
  }

  put<T extends TableName>(table: T, row: Tables[T]): void {
    const key = keyOf[table](row);
    this.staged.set(`${table}\u0000${key}`, { table, key, stream: streamOf(table, row), row } as Put);
  }

  move(m: Movement): void {
    this.movements.push(m);
  }

  entry(e: LedgerEntry): void {
    this.ledger.push(e);
  }

  notify(n: Notification): void {
    this.notifications.push(n);
  }

  done(): Effects {
    return {
      puts: [...this.staged.values()],
      movements: this.movements,
      ledger: this.ledger,
      exceptions: this.exceptions,
      summary: this.summary,
      ...(this.notifications.length ? { notifications: this.notifications } : {}),
    };
  }
}
