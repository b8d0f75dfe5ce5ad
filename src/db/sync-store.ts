// The tablet's side of the sync contract in IndexedDB: pulled pages with their cursor [P3], rebase of
// pending commands [P5], push acknowledgements [C4], local checksums [P7] and the unsent export [D3].
import type { VitrineDb, BaseEntry, Local, OutboxEntry, AlertEntry, PreviousIdentity } from './schema';
import { SYNCED_TABLES } from './schema';
import { getDevice, type DeviceState } from './device';
import { readTx, applyEffectsLocally, slot, TxCache } from './local-tx';
import { dexieIo } from './native-tx';
import { parseCommand, COMMANDS } from '@/core/sync/registry';
import { encodeHlc, decodeHlc, isHlc, receive, type Hlc } from '@/core/shared/hlc';
import { receiptNumber } from '@/core/shared/ids';
import { DomainError } from '@/core/shared/errors';
import type { CommandResult, PullResponse, Envelope, StoredResult } from '@/core/sync/protocol';
import { keyOf, streamOf, type StreamName, type TableName, type Tables } from '@/core/model';
import { DigestBuilder } from '@/core/sync/checksum';
import Dexie from 'dexie';
import { afterWaitingDispatches, dispatchWaiting } from './waiting';

const STREAM_TABLES: Record<string, TableName[]> = {
  catalog: ['products'],
  network: ['locations', 'productAvailability', 'priceLows'],
  customers: ['customers', 'notes', 'history', 'redirects'],
  // [O2] Chain-level exceptions (raised by commands without a store), pulled by every device.
  chain: ['exceptions', 'returnTallies'],
  store: ['stock', 'associates', 'sales', 'exceptions', 'orders', 'shifts', 'registers', 'tablets', 'returns'],
};
export const tablesOfStream = (stream: string): TableName[] => STREAM_TABLES[stream.startsWith('store:') ? 'store' : stream] ?? [];

/** [D8] How far ahead of (server) time a pulled timestamp may move this tablet's clock. */
export const MAX_CLOCK_LEAD_MS = 5 * 60_000;

/**
 * [D8] The latest hybrid-logical-clock timestamp in pulled rows: commands' `at`s and per-field
 * clocks (top-level values and one level down, e.g. a customer's `clock: {phone: <hlc>}`).
 */
export function latestClock(rows: readonly unknown[]): Hlc | undefined {
  let max: string | undefined;
  const see = (v: unknown) => {
    if (typeof v === 'string' && (max === undefined || v > max) && isHlc(v)) max = v;
  };
  for (const row of rows) {
    if (!row || typeof row !== 'object') continue;
    for (const v of Object.values(row)) {
      if (v && typeof v === 'object' && !Array.isArray(v)) for (const w of Object.values(v)) see(w);
      else see(v);
    }
  }
  return max as Hlc | undefined;
}

/**
 * [D8] Merges a pulled timestamp into the device clock (HLC receive), so what this tablet does next
 * sorts after everything it has seen. A timestamp further ahead than MAX_CLOCK_LEAD_MS of `now`
 * (server time) is merged at that bound: the server clamps such a time, and it must not pin this
 * tablet's clock in the future either. Runs inside the caller's transaction (needs `meta`).
 */
async function mergeClock(db: VitrineDb, remote: Hlc | undefined, now: number): Promise<void> {
  if (!remote) return;
  const device = await getDevice(db);
  if (!device || encodeHlc(device.hlc) >= remote) return; // nothing newer than what it has seen
  const r = decodeHlc(remote);
  const bounded = r.wall > now + MAX_CLOCK_LEAD_MS ? encodeHlc({ wall: now + MAX_CLOCK_LEAD_MS, counter: 0, node: r.node }) : remote;
  // Not receive(): its `now` is the tablet's local clock at the next tick; here only the remote counts.
  const hlc = receive(device.hlc, bounded, 0);
  await db.meta.put({ key: 'device', value: { ...device, hlc } satisfies DeviceState });
}

/**
 * [P3][SE3] How a pulled page is written: in steps of a few rows, the size learnt from the measured
 * cost of a row so that one step takes about `stepMs`. A transaction goes on from step to step for
 * as long as nobody waits to write (up to `chunkMs`), and ends at the first step after a dispatch
 * announces itself (see waiting.ts): IndexedDB runs transactions whose scopes overlap in the order
 * they were created, so the sale, queued behind the writer's transaction, waits for one step and its
 * commit, never for the page; the writer carries on once the sales that were waiting have committed.
 * With `everyStep`, every step is a transaction of its own with a pause after it, whether a sale
 * waits or not (decision 73's pacer, kept for the benchmark that compares the two).
 */
export class ApplyPacer {
  /** Measured milliseconds per row (a moving average), per table of the first row of a step. */
  private readonly msPerRow = new Map<string, number>();
  /**
   * Transactions written, how many of them ended for a waiting dispatch, steps, rows and the time
   * they took (requests to last answer), and the time from a step's last answer to the commit of a
   * transaction that ended for a sale (what the sale waits beyond the step): tests and benchmark.
   */
  readonly stats = { transactions: 0, yielded: 0, steps: 0, rows: 0, stepMs: 0, yieldCommitMs: 0 };
  /** Target duration of one step (ms): what a dispatch that comes in meanwhile waits, plus a commit. Infinity writes a page in one step. */
  readonly stepMs: number;
  /** Rows in a step before anything is measured, and the bounds of the adaptation. */
  readonly first: number;
  readonly min: number;
  readonly max: number;
  /**
   * How long a transaction may go on while nobody waits (ms): it bounds the commit a sale waits for,
   * and the wait of a sale from another tab, which cannot announce itself here. 0: a step each.
   */
  readonly chunkMs: number;
  /** Decision 73: a transaction per step, a pause after each, the commit counted in the step's cost. */
  readonly everyStep: boolean;

  constructor(o: { stepMs: number; first?: number; min?: number; max?: number; chunkMs?: number; everyStep?: boolean }) {
    this.stepMs = o.stepMs;
    this.first = o.first ?? 32;
    this.everyStep = o.everyStep ?? false;
    // A step inside a transaction pays no commit of its own, so it can be a few rows; decision 73's
    // chunks paid one each, and shrank to nothing below 16.
    this.min = o.min ?? (this.everyStep ? 16 : 4);
    this.max = o.max ?? 5000;
    this.chunkMs = o.chunkMs ?? 100;
  }

  /** Rows of the next step of `table`. */
  size(table: string): number {
    if (!Number.isFinite(this.stepMs)) return Number.MAX_SAFE_INTEGER;
    const per = this.msPerRow.get(table);
    if (per === undefined) return this.first;
    return Math.max(this.min, Math.min(this.max, Math.floor(this.stepMs / Math.max(per, 1e-3))));
  }

  /**
   * Records that `rows` rows of `table` took `ms`. A step counts from its requests to their last
   * answer; with `everyStep` the commit counts too, as decision 73 measured it: Chromium writes a
   * transaction's rows to disk then. Fixed costs, counted per row, make small steps look dear:
   * `min` keeps them from shrinking to nothing.
   */
  observe(table: string, rows: number, ms: number): void {
    if (rows === 0 || !Number.isFinite(this.stepMs)) return;
    const per = ms / rows;
    const prev = this.msPerRow.get(table);
    // Quicker to shrink (a slow disk moment must not hold sales up) than to grow back.
    this.msPerRow.set(table, prev === undefined ? per : per > prev ? prev * 0.3 + per * 0.7 : prev * 0.7 + per * 0.3);
  }
}

/** Pages written whole, in one transaction each: tools and tests that do not pace. */
const WHOLE_PAGES = new ApplyPacer({ stepMs: Infinity, chunkMs: Infinity });

/**
 * A pause between chunks of decision 73's pacer (`everyStep`), which does not know whether a sale waits.
 * A message task, not a timer: browsers throttle timers in hidden tabs to one a second (or a
 * minute), and the tab that syncs may well be hidden behind another.
 */
const pause = () =>
  new Promise<void>((ok) => {
    if (typeof MessageChannel === 'undefined') return void setTimeout(ok, 0);
    const c = new MessageChannel();
    c.port1.onmessage = () => {
      c.port1.close();
      ok();
    };
    c.port2.postMessage(null);
  });

/**
 * Applies one pulled page and moves the stream's cursor [P3]: in one or more transactions (see
 * ApplyPacer), the cursor written only with the last. A crash between two of them leaves the cursor
 * at the previous page: the next pull sends this page again, and writing it again is harmless —
 * every change is a whole row at its server version (or a delete), applied by key, and the server
 * sends each row as it is now, never older than what a chunk already wrote; a row pending commands
 * changed has its kept copy replaced instead [P5], a delete removes a row that is gone either way
 * [M2]. So the cursor never claims a row that is not written, and rows written ahead of it are
 * written again, never counted twice. Whatever reads "cursor, then rows with `_v` above it" in one
 * snapshot (the search and SKU indexes) still sees every row the cursor covers.
 *
 * A row that pending commands have changed locally is not overwritten: its server copy (base) is,
 * and the next rebase replays the pending commands on top of it. Returns whether it did so, i.e.
 * whether a rebase is needed: a page that touched no row of a pending command leaves "server +
 * pending" true as it is. `now` is server time [D8]: the whole page's clocks are merged into the
 * device clock with its first chunk, so a sale made between two chunks already sorts after them.
 */
export async function applyPulledPage(db: VitrineDb, page: PullResponse, now: number, pacer: ApplyPacer = WHOLE_PAGES): Promise<{ rebase: boolean }> {
  const tables = tablesOfStream(page.stream);
  // A table this version of the app does not keep (retired or not yet known) is skipped.
  const changes = page.changes.filter((c) => tables.includes(c.table));
  const clock = latestClock(changes.map((c) => ('row' in c ? c.row : undefined)));
  const scope = [...tables.map((t) => db.table(t)), db.base, db.cursors, db.meta];
  const perStep = pacer.everyStep;
  let rebase = false;
  let from = 0;
  do {
    // [SE3] Sales announced before this transaction go first: theirs were created before it.
    if (dispatchWaiting(db)) await afterWaitingDispatches(db);
    else if (from > 0 && perStep) await pause();
    const first = from === 0;
    let opened = 0;
    let steps = 0;
    let stepRows = 0;
    let yielded = 0;
    let stepTable = '';
    const touched = await db.transaction('rw', scope, async () => {
      // The kept server copies of this page's tables, read once: only rows pending commands changed.
      const kept = new Set((await Promise.all(tables.map((t) => db.base.where('[tbl+key]').between([t, Dexie.minKey], [t, Dexie.maxKey], true, true).primaryKeys()))).flat().map((k) => `${k[0]}\u0000${k[1]}`));
      opened = performance.now();
      let touched = false;
      for (;;) {
        const step = changes.slice(from, from + pacer.size(changes[from]?.table ?? ''));
        from += step.length;
        const last = from >= changes.length;
        const started = performance.now();
        stepRows = step.length;
        stepTable = step[0]?.table ?? '';
        const puts = new Map<TableName, unknown[]>();
        const dels = new Map<TableName, string[]>();
        const baseUpdates: BaseEntry[] = [];
        for (const c of step) {
          // The page was parsed for this call alone: its row objects take their version in place.
          const row = 'deleted' in c ? null : (Object.assign(c.row as object, { _v: c.version }, c.table === 'products' ? productIndexKeys(c.row as Tables['products']) : undefined) as unknown as Local<Tables[TableName]>);
          if (kept.has(`${c.table}\u0000${c.key}`)) {
            baseUpdates.push({ tbl: c.table, key: c.key, row });
            continue;
          }
          if (row) {
            const list = puts.get(c.table) ?? [];
            list.push(row);
            puts.set(c.table, list);
          } else {
            const list = dels.get(c.table) ?? [];
            list.push(c.key);
            dels.set(c.table, list);
          }
        }
        // All writes go out together (keys are disjoint): IndexedDB runs them in order without
        // waiting for the step to ask for each next one.
        await Promise.all([
          ...[...puts].map(([t, rows]) => db.table(t).bulkPut(rows)),
          ...[...dels].map(([t, keys]) => db.table(t).bulkDelete(keys)),
          baseUpdates.length ? db.base.bulkPut(baseUpdates) : undefined,
          // [P5] Durable with the step: a pull that fails on a later chunk or page, or a crash before
          // the rebase, must not forget that this chunk changed rows pending commands wrote.
          baseUpdates.length ? db.meta.put({ key: REBASE_DUE, value: true }) : undefined,
          last ? db.cursors.get(page.stream).then((prev) => db.cursors.put({ ...prev, stream: page.stream, version: page.version, syncedAt: page.more ? 0 : now })) : undefined,
          first && steps === 0 ? mergeClock(db, clock, now) : undefined,
        ]);
        steps += 1;
        pacer.stats.steps += 1;
        pacer.stats.rows += step.length;
        pacer.stats.stepMs += performance.now() - started;
        touched ||= baseUpdates.length > 0;
        if (!perStep && step.length) pacer.observe(step[0]!.table, step.length, performance.now() - started);
        // [SE3] A dispatch waits: end here, it goes next. Otherwise carry on, up to chunkMs.
        if (!last && !perStep && dispatchWaiting(db)) {
          yielded = performance.now();
          break;
        }
        if (last || perStep || performance.now() - opened >= pacer.chunkMs) break;
      }
      return touched;
    });
    pacer.stats.transactions += 1;
    if (yielded) {
      pacer.stats.yielded += 1;
      pacer.stats.yieldCommitMs += performance.now() - yielded;
    }
    // Decision 73's pacer measures a whole transaction, its commit included.
    if (perStep && stepRows) pacer.observe(stepTable, stepRows, performance.now() - opened);
    rebase ||= touched;
  } while (from < changes.length);
  return { rebase };
}

/** Meta key set in the transaction that makes a rebase due (a pulled page or a rejection), cleared by the rebase. */
const REBASE_DUE = 'rebaseDue';

/** [P5] Whether a rebase is due: a pulled page or an answer changed what pending commands stand on. */
export async function rebaseDue(db: VitrineDb): Promise<boolean> {
  return (await db.meta.get(REBASE_DUE))?.value === true;
}

/**
 * Meta key set when applied answers left kept server copies behind: a rebase must show the server's
 * rows alone, but only once a pull has brought their versions with the command's effect in them.
 */
const SETTLE_DUE = 'settleDue';

/**
 * [P5] Whether acknowledged commands wait for a rebase that only a completed pull makes right: until
 * then the tablet keeps showing their effects (a shift opened just before the connection dropped
 * stays open), rather than the kept copies from before them.
 */
export async function settleDue(db: VitrineDb): Promise<boolean> {
  return (await db.meta.get(SETTLE_DUE))?.value === true;
}

/**
 * The keys a product document is found by on the tablet (multiEntry indexes `*skus`, `*barcodes`):
 * derived here rather than sent, so the catalog stream carries each SKU and barcode once.
 */
export function productIndexKeys(p: Tables['products']): { skus: string[]; barcodes: string[] } {
  const variants = p.variants ?? [];
  return { skus: variants.map((v) => v.sku), barcodes: variants.map((v) => v.barcode) };
}

/** A stored row as the server sent it: without its version and the index keys derived here. */
export function serverRow(table: TableName, row: object): object {
  const { _v, ...rest } = row as { _v?: number };
  void _v;
  if (table !== 'products') return rest;
  const { skus, barcodes, ...doc } = rest as { skus?: unknown; barcodes?: unknown };
  void skus;
  void barcodes;
  return doc;
}

/**
 * [P5] Puts back the server copy of every row pending commands touched, then replays the commands
 * still pending, in seq order. What the screen shows is always "server state + my pending commands".
 */
export async function rebase(db: VitrineDb): Promise<{ replayed: number; failed: number }> {
  // [SE3] Sales announced before it go first (decision 78). It cannot end early for one that comes
  // later: half a rebase leaves rows without their pending commands' effects, and a sale made on
  // them would keep a wrong server copy [P5].
  if (dispatchWaiting(db)) await afterWaitingDispatches(db);
  return db.transaction('rw', [...SYNCED_TABLES.map((t) => db.table(t)), db.base, db.outbox, db.held, db.meta], async () => {
    const device = await getDevice(db);
    const bases = await db.base.toArray();
    // Puts and deletes per table, all issued together: this transaction holds up every dispatch.
    const back = new Map<TableName, { puts: unknown[]; dels: string[] }>();
    for (const b of bases) {
      const t = back.get(b.tbl) ?? { puts: [], dels: [] };
      if (b.row) t.puts.push(b.row);
      else t.dels.push(b.key);
      back.set(b.tbl, t);
    }
    await Promise.all([...back].flatMap(([tbl, t]) => [t.puts.length ? db.table(tbl).bulkPut(t.puts) : undefined, t.dels.length ? db.table(tbl).bulkDelete(t.dels) : undefined]));
    await Promise.all([db.base.clear(), db.meta.delete(REBASE_DUE), db.meta.delete(SETTLE_DUE)]);
    // Rows the pending commands created here go too: replaying them creates them again. A row the
    // server already sent back (it has a version) stays: the command reached the server.
    // [D6] Commands held from a previous identity are pending too (they were made first).
    const pending = [...(await db.held.toArray()), ...(await db.outbox.orderBy('seq').toArray())];
    const absent = await removeLocalOnly(db, pending.flatMap((e) => e.created ?? []));
    if (!device) return { replayed: 0, failed: 0 };
    let replayed = 0;
    let failed = 0;
    const scope = { deviceId: device.deviceId, storeId: device.storeId };
    // One cache for the whole replay (base was just cleared: no kept copy exists that it did not
    // write), primed with every row the pending commands name, in one round trip: a rebase of many
    // commands costs a few round trips per command, not one per read [SE3].
    const shared = new TxCache(undefined, undefined, true);
    const parsed = pending.map((entry) => {
      try {
        return parseCommand(entry);
      } catch (e) {
        if (!(e instanceof DomainError)) throw e;
        return e;
      }
    });
    // The replay's writes go out without waiting for each other: the cache already holds them.
    const writes: Promise<unknown>[] = [];
    const io = dexieIo(db);
    await shared.prime(io, parsed.flatMap((p) => (p instanceof DomainError ? [] : (p.def.prefetch?.(p.command.payload, scope) ?? []))));
    for (const [i, entry] of pending.entries()) {
      try {
        const p = parsed[i]!;
        if (p instanceof DomainError) throw p;
        const { def, command } = p;
        // What it creates again is as new as when it was dispatched: still no kept copy for it.
        const cache = new TxCache(shared.rows, shared.shadows, true);
        for (const [tbl, key] of entry.created ?? []) if (absent.has(slot(tbl, key))) cache.minted(key);
        const effects = await def.handle({ tx: readTx(io, cache), scope, side: 'tablet' }, command);
        await applyEffectsLocally(io, effects, cache, writes);
        replayed += 1;
      } catch (e) {
        // Still pending: the server is the judge. Locally its effects simply do not show for now.
        if (!(e instanceof DomainError)) throw e;
        failed += 1;
      }
    }
    await Promise.all(writes);
    return { replayed, failed };
  });
}

/**
 * Deletes the rows under `keys` that have no server version (rows only this tablet has), one read
 * and one delete per table. Returns the keys (as `slot`s) that are now absent.
 */
async function removeLocalOnly(db: VitrineDb, keys: readonly [TableName, string][]): Promise<Set<string>> {
  const byTable = new Map<TableName, string[]>();
  for (const [tbl, key] of keys) byTable.set(tbl, [...(byTable.get(tbl) ?? []), key]);
  const absent = new Set<string>();
  await Promise.all(
    [...byTable].map(async ([tbl, ks]) => {
      const rows = (await db.table_(tbl).bulkGet(ks)) as ({ _v?: number } | undefined)[];
      const local = ks.filter((_, i) => rows[i] && rows[i]._v === undefined);
      ks.forEach((k, i) => (!rows[i] || rows[i]._v === undefined) && absent.add(slot(tbl, k)));
      if (local.length) await db.table_(tbl).bulkDelete(local);
    }),
  );
  return absent;
}

/**
 * [D9][SE3] A command that hands over money or goods already happened: whatever the server says,
 * the tablet keeps what it created (the sale and its receipt), and "Needs attention" says so.
 */
export const handsOver = (type: string) => COMMANDS.get(type)?.durability === 'strict';

/**
 * Records the server's answers: applied and duplicate leave the outbox; rejected go to "Needs
 * attention" [C4]. Returns whether a rebase is needed: a rejection's local effects must go, and
 * rows that acknowledged commands changed must show the server's copy alone.
 * `from` is the outbox, or [D6] the held commands of a previous identity (its deviceId).
 */
export async function acknowledge(db: VitrineDb, results: readonly CommandResult[], now: number, from: 'outbox' | { deviceId: string } = 'outbox'): Promise<{ rebase: boolean }> {
  if (results.length === 0) return { rebase: false };
  return db.transaction('rw', [db.outbox, db.held, db.meta, db.alerts, db.base, db.exceptions], async () => {
    const orphans: BaseEntry[] = [];
    /** Exceptions an applied command raised here, and the server did not: checked below. */
    const unraised: string[] = [];
    let rebase = false;
    // One read and one delete for the whole answer: this transaction holds up every dispatch.
    const entries = from === 'outbox' ? await db.outbox.bulkGet(results.map((r) => r.seq)) : await db.held.bulkGet(results.map((r) => [from.deviceId, r.seq] as [string, number]));
    const done: (typeof results)[number][] = [];
    const alerts: AlertEntry[] = [];
    for (const [i, r] of results.entries()) {
      const entry = entries[i];
      if (!entry || entry.id !== r.id) continue;
      done.push(r);
      if (r.status === 'rejected' || (r.status === 'duplicate' && r.result.status === 'rejected')) {
        const error = r.status === 'rejected' ? r.error : r.result.status === 'rejected' ? r.result.error : { code: 'rejected', message: 'Rejected' };
        alerts.push({ id: entry.id, kind: 'rejected', command: stripLocal(entry), error, at: now });
        rebase = true;
        // [P5] What it created here will never come from the server: the next rebase removes it
        // (as it removes the rows of any command whose server copy is "none"), unless [SE3] it
        // handed over money or goods: that sale happened, and its receipt stays on the tablet.
        if (!handsOver(entry.type)) for (const [tbl, key] of entry.created ?? []) orphans.push({ tbl, key, row: null });
        continue;
      }
      // [P5] An exception the tablet raised as it dispatched (a sale rung up with the shelf empty
      // here raises "oversold") exists on the server only if the server raised it too: its answer
      // lists what it raised. One it did not raise will never come by pull.
      const applied = r.status === 'applied' ? r : r.status === 'duplicate' && r.result.status === 'applied' ? r.result : undefined;
      if (applied) {
        const raised = new Set((applied.exceptions ?? []).map((x) => x.id));
        for (const [tbl, key] of entry.created ?? []) if (tbl === 'exceptions' && !raised.has(key)) unraised.push(key);
      }
    }
    await Promise.all([
      from === 'outbox' ? db.outbox.bulkDelete(done.map((r) => r.seq)) : db.held.bulkDelete(done.map((r) => [from.deviceId, r.seq] as [string, number])),
      alerts.length ? db.alerts.bulkPut(alerts) : undefined,
    ]);
    if (unraised.length) {
      // Still only here (no server version, no kept copy): its server copy is "none", so the next
      // rebase removes it. One the server sent back meanwhile has a version and stays.
      const rows = await db.exceptions.bulkGet(unraised);
      const phantom = unraised.filter((_, i) => rows[i] && rows[i]._v === undefined);
      if (phantom.length) {
        orphans.push(...phantom.map((key): BaseEntry => ({ tbl: 'exceptions', key, row: null })));
        rebase = true;
      }
    }
    if (orphans.length) {
      const kept = await db.base.bulkGet(orphans.map((o) => [o.tbl, o.key] as [string, string]));
      await db.base.bulkPut(orphans.filter((_, i) => !kept[i]));
    }
    // A command that left the outbox no longer replays: where it changed rows whose server copy is
    // kept (a pull may already have brought them back with its effect), only a rebase shows the
    // server's copy again instead of that copy plus the command a second time. But a kept copy may
    // still be from before the command (its answer came, the pull did not): that rebase waits for a
    // completed pull (settleDue), so the tablet never shows less than the server holds.
    if (done.length && !rebase && (await db.base.count()) > 0) await db.meta.put({ key: SETTLE_DUE, value: true });
    if (rebase) await db.meta.put({ key: REBASE_DUE, value: true });
    await db.meta.put({ key: 'lastAck', value: now });
    return { rebase };
  });
}

const stripLocal = (e: OutboxEntry): Envelope => {
  const { createdAt: _at, created: _created, ...env } = e;
  void _at;
  void _created;
  return env;
};

/** The outbox in seq order, at most `limit`, from the seq after `after` (a push reads ahead) [C3]. */
export async function pendingCommands(db: VitrineDb, limit: number, after?: number): Promise<Envelope[]> {
  const from = after === undefined ? db.outbox.orderBy('seq') : db.outbox.where('seq').above(after);
  return (await from.limit(limit).toArray()).map(stripLocal);
}

/** Digest of the server rows this tablet holds for a stream [P7] (pending local changes excluded). */
export async function localChecksum(db: VitrineDb, stream: StreamName): Promise<{ count: number; digest: string }> {
  const d = new DigestBuilder();
  const tables = tablesOfStream(stream);
  await db.transaction('r', [...tables.map((t) => db.table(t)), db.base, db.meta], async () => {
    const bases = new Map((await db.base.toArray()).map((b) => [slot(b.tbl, b.key), b]));
    // [M1][P7] A row is in its home stream and in any stream it is shared to (an order collected at one
    // store and reserved at another is in both). A tablet pulls one store stream: a row whose home is a
    // store stream it does not pull came through this one, so it counts here, as the server counts it.
    const pulled = new Set<string>((await getDevice(db))?.streams ?? []);
    const mine = (home: string) => home === stream || (stream.startsWith('store:') && home.startsWith('store:') && !pulled.has(home));
    const seen = new Set<string>();
    for (const t of tables) {
      await db.table_(t).each((row) => {
        if (!mine(streamOf(t, row as never))) return;
        const key = keyOf[t](row as never);
        const b = bases.get(slot(t, key));
        seen.add(slot(t, key));
        const v = b ? b.row?._v : row._v;
        if (v !== undefined) d.add({ table: t, key, version: v });
      });
    }
    // A server row that a pending command deleted locally is absent above; its kept copy still counts.
    for (const [k, b] of bases) {
      if (seen.has(k) || !b.row || !tables.includes(b.tbl) || !mine(streamOf(b.tbl, b.row as never))) continue;
      if (b.row._v !== undefined) d.add({ table: b.tbl, key: b.key, version: b.row._v });
    }
  });
  return { count: d.count, digest: d.digest };
}

/** Records that a stream's checksum matched (or that it was just bootstrapped) at `at` [P7]. */
export async function markChecked(db: VitrineDb, stream: StreamName, at: number): Promise<void> {
  await db.cursors.update(stream, { checkedAt: at });
}

/** Drops a stream's local rows and cursor so the next pull bootstraps it from version 0 [P7]. */
export async function resetStream(db: VitrineDb, stream: StreamName): Promise<void> {
  const tables = tablesOfStream(stream);
  await db.transaction('rw', [...tables.map((t) => db.table(t)), db.cursors], async () => {
    // Rows without a server version are this tablet's own (pending, or [SE3] a paid sale the server
    // refused): the server cannot send them back, so they stay.
    for (const t of tables) await db.table_(t).filter((r) => r._v !== undefined).delete();
    await db.cursors.delete(stream);
  });
}

/** One identity's unsent commands, as push and import take them [C3]. */
export interface UnsentBatch {
  deviceId: string;
  commands: Envelope[];
}

/**
 * [D3][D6] The unsent commands as a file the server can import: the current identity's outbox at
 * the top level (as before), and under `previous` each earlier identity's held commands with its own
 * deviceId and seqs, so an administrator imports each batch under the device that made it.
 */
export async function exportUnsent(db: VitrineDb): Promise<UnsentBatch & { previous: UnsentBatch[] }> {
  const device = (await getDevice(db)) ?? ((await db.meta.get('revoked-device'))?.value as { deviceId: string } | undefined);
  const held = await db.held.toArray();
  const ids = [...new Set(held.map((h) => h.deviceId))];
  const previous = ids.map((deviceId) => ({ deviceId, commands: held.filter((h) => h.deviceId === deviceId).map(stripLocal) }));
  return { deviceId: device?.deviceId ?? 'unknown', commands: await pendingCommands(db, 100_000), previous };
}

/** [D6] The earlier identities of this tablet that still hold commands. */
export async function previousIdentities(db: VitrineDb): Promise<PreviousIdentity[]> {
  return ((await db.meta.get('previous-identities'))?.value as PreviousIdentity[] | undefined) ?? [];
}

/** [D6] The held commands of one earlier identity, in seq order, at most `limit`. */
export async function heldCommands(db: VitrineDb, deviceId: string, limit: number): Promise<Envelope[]> {
  return (await db.held.where('[deviceId+seq]').between([deviceId, 0], [deviceId, Infinity]).limit(limit).toArray()).map(stripLocal);
}

/**
 * [D6] An earlier identity was revoked: its token is forgotten, and each of its held commands is
 * listed in "Needs attention" as waiting for an export and an administrator's import.
 */
export async function markIdentityRevoked(db: VitrineDb, deviceId: string, now: number): Promise<void> {
  await db.transaction('rw', [db.meta, db.held, db.alerts], async () => {
    const ids = await previousIdentities(db);
    await db.meta.put({ key: 'previous-identities', value: ids.map((i) => (i.deviceId === deviceId ? { ...i, deviceToken: null } : i)) });
    const held = await db.held.where('deviceId').equals(deviceId).toArray();
    await db.alerts.bulkPut(held.map((h): AlertEntry => ({ id: `export-needed:${h.id}`, kind: 'export-needed', command: stripLocal(h), at: now })));
  });
}

/** [D6] Forgets an earlier identity (and its token) once it holds nothing more to send. */
export async function dropIdentityIfDone(db: VitrineDb, deviceId: string): Promise<void> {
  await db.transaction('rw', [db.meta, db.held], async () => {
    if ((await db.held.where('deviceId').equals(deviceId).count()) > 0) return;
    await db.meta.put({ key: 'previous-identities', value: (await previousIdentities(db)).filter((i) => i.deviceId !== deviceId) });
  });
}

/** [D5] What the server knows of this device: GET /api/v1/sync/device?after=<seq>. */
export interface ServerDeviceState {
  deviceId: string;
  lastSeq: number;
  /** The highest receipt counter among this device's sales on the server (0: none). */
  lastReceipt: number;
  /**
   * This device's commands on the server with seq above `after`, in seq order, with the server's
   * answer to each (a server without it leaves `status` out: the tablet then pushes them again).
   */
  commands: { seq: number; id: string; type?: string; status?: 'applied' | 'rejected'; error?: { code: string; message: string } }[];
}

/** The counter in a receipt number of this device (`S01-T03-000123` → 123); undefined if not one. */
function receiptCounter(receiptNo: unknown, prefix: string): number | undefined {
  if (typeof receiptNo !== 'string' || !receiptNo.startsWith(prefix)) return undefined;
  const n = Number(receiptNo.slice(prefix.length));
  return Number.isInteger(n) ? n : undefined;
}

/**
 * [D5] The seq after which the server's command ids matter: below the first pending one, with a
 * margin, since a set-aside command moves the ones behind it one seq up [D10] (a command pushed
 * then might sit on the server a little below where an older backup holds it).
 */
export async function restoreCursor(db: VitrineDb): Promise<number> {
  const [first, device] = await Promise.all([db.outbox.orderBy('seq').first(), getDevice(db)]);
  return Math.max(0, (first?.seq ?? (device?.lastSeq ?? 0) + 1) - 1 - RESTORE_MARGIN);
}

const RESTORE_MARGIN = 1000;

/**
 * [D5] Brings this tablet back in line with the server's record of it (restored from a backup, or an
 * OS crash lost its last relaxed commits), in one transaction:
 * - pending commands the server already holds (same id) were sent, but their answer never arrived
 *   (or was lost with the wipe): the server's answer to each is acknowledged here as if the push had
 *   brought it, so a rejection still reaches "Needs attention" [C4] and takes back what it did on
 *   the tablet [P5]. A server that does not say its answers gets them pushed again at the seq it
 *   recorded them under, and answers each `duplicate` with its stored result;
 * - the rest are renumbered right after the server's last seq, in their order, so no seq-conflict;
 * - a pending sale whose receipt number is not above the server's last one for this device may
 *   share it with a sale the server has, so it takes the next free number. The customer's paper
 *   still shows the old one: an alert says which number became which, for the manager to note;
 * - the device's seq and receipt counters move past everything the server and the outbox have.
 * A rebase must follow (a renumbered sale shows its new receipt number once replayed).
 */
export async function restoreFromServer(db: VitrineDb, server: ServerDeviceState, now: number): Promise<{ answered: number; recalled: number; resent: number; renumbered: number; receipts: number; rebase: boolean }> {
  return db.transaction('rw', [db.outbox, db.held, db.meta, db.alerts, db.base, db.exceptions], async () => {
    const device = await getDevice(db);
    if (!device || device.deviceId !== server.deviceId) return { answered: 0, recalled: 0, resent: 0, renumbered: 0, receipts: 0, rebase: false };
    // Only the entries the server names are read (by the id index): a tablet that was offline all
    // day holds thousands, and this runs at every start (decision 75).
    const ids = server.commands.map((c) => c.id);
    const named = (ids.length ? await db.outbox.where('id').anyOf(ids).toArray() : []).sort((a, b) => a.seq - b.seq);
    // Answers the tablet never got: acknowledged as the push's answer would have been.
    const known = new Map(server.commands.filter((c) => c.status).map((c) => [c.id, c]));
    const answered = named.flatMap((e): CommandResult[] => {
      const c = known.get(e.id);
      if (!c) return [];
      const result: StoredResult = c.status === 'rejected' ? { status: 'rejected', error: c.error ?? { code: 'rejected', message: 'Rejected' } } : { status: 'applied', summary: {}, exceptions: [] };
      return [{ seq: e.seq, id: e.id, status: 'duplicate', result }];
    });
    const { rebase } = await acknowledge(db, answered, now);
    // Rejections of commands this tablet made after what it remembers (the backup, or the commits the
    // crash kept): their alert went with the wipe. Only the server's record of them is left — type
    // and reason, not the payload — and "Needs attention" lists them again from it [C4].
    const mine = new Set(named.map((e) => e.id));
    const forgotten = server.commands.filter((c) => c.status === 'rejected' && c.seq > device.lastSeq && !mine.has(c.id));
    const alerted = forgotten.length ? await db.alerts.bulkGet(forgotten.map((c) => c.id)) : [];
    const lost = forgotten.filter((_, i) => !alerted[i]);
    if (lost.length) {
      await db.alerts.bulkPut(
        lost.map((c): AlertEntry => ({ id: c.id, kind: 'rejected', command: { id: c.id, deviceId: device.deviceId, seq: c.seq, type: c.type ?? 'unknown.command', v: 1, at: encodeHlc({ wall: 0, counter: 0, node: device.deviceId }), actor: '-', payload: null }, error: c.error ?? { code: 'rejected', message: 'Rejected' }, at: now })),
      );
    }
    const none = { answered: answered.length, recalled: lost.length, resent: 0, renumbered: 0, receipts: 0, rebase };
    // What is left once the answers are taken (acknowledge removed exactly those).
    const firstPending = (await db.outbox.orderBy('seq').first())?.seq ?? device.lastSeq + 1;
    if (server.lastSeq < firstPending) {
      // The server holds nothing this tablet thinks pending; it may still know later receipt numbers.
      if (server.lastReceipt > device.lastReceipt) await db.meta.put({ key: 'device', value: { ...device, lastReceipt: server.lastReceipt } satisfies DeviceState });
      return none;
    }
    const pending = await db.outbox.orderBy('seq').toArray();
    const sent = new Map(server.commands.map((c) => [c.id, c.seq]));
    // Sent, answer unknown: pushed again at the server's seq for the server's stored answer.
    const resend = pending.filter((e) => sent.has(e.id)).map((e): OutboxEntry => ({ ...e, seq: sent.get(e.id)! }));
    const keep = pending.filter((e) => !sent.has(e.id));
    const prefix = receiptNumber(device.storeCode, device.deviceCode, 0).slice(0, -6);
    const receiptOf = (e: OutboxEntry) => receiptCounter((e.payload as { receiptNo?: unknown } | null)?.receiptNo, prefix);
    // A sale the server rejected reports no receipt number to the server's `lastReceipt`: counting
    // every one the outbox held keeps its number from being given out again.
    let lastReceipt = Math.max(device.lastReceipt, server.lastReceipt, ...[...pending, ...named].map((e) => receiptOf(e) ?? 0));
    const alerts: AlertEntry[] = [];
    const next = keep.map((e, i): OutboxEntry => {
      const seq = server.lastSeq + 1 + i;
      const n = receiptOf(e);
      if (n === undefined || n > server.lastReceipt) return { ...e, seq };
      const printed = (e.payload as { receiptNo: string }).receiptNo;
      const fresh = receiptNumber(device.storeCode, device.deviceCode, ++lastReceipt);
      const renumbered: OutboxEntry = { ...e, seq, payload: { ...(e.payload as object), receiptNo: fresh } };
      alerts.push({ id: `renumbered:${e.id}`, kind: 'renumbered', command: stripLocal(renumbered), receiptNo: { printed, now: fresh }, at: now });
      return renumbered;
    });
    await db.outbox.clear();
    await Promise.all([
      db.outbox.bulkAdd([...resend, ...next]),
      alerts.length ? db.alerts.bulkPut(alerts) : undefined,
      db.meta.put({ key: 'device', value: { ...device, lastSeq: server.lastSeq + next.length, lastReceipt } satisfies DeviceState }),
    ]);
    const moved = (a: OutboxEntry[], b: OutboxEntry[]) => a.filter((e, i) => e.seq !== b[i]!.seq).length;
    return { ...none, resent: resend.length, renumbered: moved(next, keep) + moved(resend, pending.filter((e) => sent.has(e.id))), receipts: alerts.length };
  });
}

/**
 * [D10] Sets aside a command that keeps failing on the server (a handler fault the server cannot get
 * past): it leaves the outbox for "Needs attention", and the commands behind it move up one seq so
 * they are sent (the server has nothing from this seq on: its failed batch was rolled back). A
 * sale keeps its receipt on the tablet [SE3]; a person retries it later, or exports it.
 */
export async function setAside(db: VitrineDb, seq: number, error: { code: string; message: string }, now: number): Promise<boolean> {
  return db.transaction('rw', [db.outbox, db.meta, db.alerts, db.base], async () => {
    const [entry, device] = await Promise.all([db.outbox.get(seq), getDevice(db)]);
    if (!entry || !device) return false;
    const behind = await db.outbox.where('seq').above(seq).toArray();
    await db.outbox.where('seq').aboveOrEqual(seq).delete();
    await Promise.all([
      db.outbox.bulkAdd(behind.map((e) => ({ ...e, seq: e.seq - 1 }))),
      db.alerts.put({ id: `set-aside:${entry.id}`, kind: 'set-aside', command: stripLocal(entry), error, at: now }),
      db.meta.put({ key: 'device', value: { ...device, lastSeq: device.lastSeq - 1 } satisfies DeviceState }),
    ]);
    if (!handsOver(entry.type)) {
      const orphans = (entry.created ?? []).map(([tbl, key]): BaseEntry => ({ tbl, key, row: null }));
      const kept = await db.base.bulkGet(orphans.map((o) => [o.tbl, o.key] as [string, string]));
      await db.base.bulkPut(orphans.filter((_, i) => !kept[i]));
    }
    return true;
  });
}

/** [D10] Sends a set-aside command again: it rejoins the outbox at the end, with the next seq. */
export async function retrySetAside(db: VitrineDb, alertId: string, now: number): Promise<void> {
  await db.transaction('rw', [db.outbox, db.meta, db.alerts], async () => {
    const [alert, device] = await Promise.all([db.alerts.get(alertId), getDevice(db)]);
    if (!alert || alert.kind !== 'set-aside' || !device || alert.command.deviceId !== device.deviceId) return;
    const seq = device.lastSeq + 1;
    await Promise.all([
      db.outbox.add({ ...alert.command, seq, createdAt: now }),
      db.alerts.delete(alertId),
      db.meta.put({ key: 'device', value: { ...device, lastSeq: seq } satisfies DeviceState }),
    ]);
  });
}

/** Clears an alert a person has dealt with (not one whose command is still to be exported). */
export async function dismissAlert(db: VitrineDb, alertId: string): Promise<void> {
  await db.transaction('rw', [db.alerts, db.held], async () => {
    const a = await db.alerts.get(alertId);
    if (!a) return;
    if (a.kind === 'export-needed' && (await db.held.get([a.command.deviceId, a.command.seq]))) return;
    await db.alerts.delete(alertId);
  });
}
