// The sync loop: push the outbox in seq order, pull every stream page by page, rebase pending
// commands, verify checksums. Triggered by pokes, `online`, focus, a timer and "Sync now".
import type { VitrineDb } from '@/db/schema';
import { getDevice, type DeviceState } from '@/db/device';
import {
  acknowledge,
  applyPulledPage,
  ApplyPacer,
  pendingCommands,
  rebase,
  rebaseDue,
  settleDue,
  localChecksum,
  resetStream,
  markChecked,
  restoreCursor,
  restoreFromServer,
  setAside,
  previousIdentities,
  heldCommands,
  dropIdentityIfDone,
  markIdentityRevoked,
  type ServerDeviceState,
} from '@/db/sync-store';
import { MAX_PULL_LIMIT, MAX_PUSH_BYTES, MAX_PUSH_COMMANDS, type Envelope, type PushResponse, type PullResponse, type Poke } from '@/core/sync/protocol';
import type { StreamName } from '@/core/model';
import { isQuotaError, watchOutbox } from '@/db/storage';
import { authHeaders, call, callJson, jsonBytes, utf8Bytes, SyncHttpError, type FetchLike, type Transport } from './transport';
import { deviceSigner } from './signing';
import { wipeRevokedDevice } from '@/db/wipe';
import { createSyncStatus, NEARLY_FULL, type SyncStatus, type SyncStatusStore } from './status';

/** Messages between the tabs of one tablet [D1]: followers ask the leader to sync; it tells them how it went. */
type TabMessage = { type: 'sync' } | { type: 'hello' } | { type: 'storage-full' } | { type: 'status'; state: Omit<SyncStatus, 'leader'> };

export interface EngineOptions {
  baseUrl?: string;
  fetch?: FetchLike;
  now?: () => number;
  random?: () => number;
  pushBatch?: number;
  pullLimit?: number;
  /**
   * Page size when a stream starts from version 0 [P4]: fewer, larger transactions (a bootstrap
   * writes hundreds of thousands of rows while nobody sells yet); catch-up pages stay small so a
   * sale never waits long behind one.
   */
  bootstrapLimit?: number;
  /** How often each stream's checksum is compared (ms); 0 = after every sync. */
  checksumEveryMs?: number;
  /** [D10] Deadline of every request (ms): a hung request fails and the cycle moves on. */
  requestTimeoutMs?: number;
  /** Size of the one head page each stream gets first when a first sync starts (see pullHeads). */
  headLimit?: number;
  /**
   * [P3][SE3] Target duration (ms) of each step a catch-up page is written in: a sale announced
   * meanwhile waits for one step and its transaction's commit at most. Infinity writes each page in
   * one step (and one transaction).
   */
  applyBudgetMs?: number;
  /** How long one of those transactions goes on while no sale waits (ms). */
  applyChunkMs?: number;
  /** Every step a transaction, with a pause between, whether a sale waits or not: decision 73's pacer (benchmark). */
  applyEveryStep?: boolean;
  /** The same for a stream pulled from version 0 (a first sync, or [P7] a stream started again). */
  bootstrapApplyBudgetMs?: number;
}

/** What a stream's pull has counted so far in this cycle, for the progress bar [P4]. */
interface Head {
  received: number;
  total: number;
  bootstrap: boolean;
  more: boolean;
}

/** One push's commands and its body, serialised once [C3]. */
interface Prepared {
  batch: Envelope[];
  body: string;
}

/** [D10] Times a command alone must fail with a server fault before it is set aside. */
export const STRIKES = 3;

function mirrorable(s: SyncStatus): Omit<SyncStatus, 'leader'> {
  const { leader: _leader, ...rest } = s;
  return rest;
}

export class SyncEngine {
  readonly status: SyncStatusStore;
  private readonly opts: Required<Omit<EngineOptions, 'fetch'>> & { fetch: FetchLike };
  private running: Promise<void> | null = null;
  private again = false;
  private failures = 0;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private stopped = false;
  private started = false;
  private sseAbort: AbortController | null = null;
  /** [D1] This tab holds the device's sync lock (or the platform has no Web Locks: one tab only). */
  private get leader(): boolean {
    return this.status.getState().leader;
  }
  private channel: BroadcastChannel | null = null;
  private readonly cleanup: (() => void)[] = [];
  /** [D5] Whether this engine has compared the device's seq with the server's since it started. */
  private deviceChecked = false;
  /** [D10] Consecutive server faults per command id, while it is pushed alone. */
  private readonly strikes = new Map<string, number>();
  /** [P5] The last rebase could not replay some pending command: retry it after the next pull. */
  private replayFailed = false;
  /**
   * [P5] Something changed what "server + pending" looks like (a pulled page touched a row pending
   * commands wrote, a rejection, a set-aside, a restore): the next rebase point must run. Set as it
   * happens, so a step that fails later in the cycle cannot lose it.
   */
  private rebaseDue = false;
  /** [P3] Chunk sizes of catch-up pages and of bootstrap pages, learnt from what rows cost to write. */
  private readonly pacer: ApplyPacer;
  private readonly bootstrapPacer: ApplyPacer;

  constructor(
    private readonly db: VitrineDb,
    opts: EngineOptions = {},
  ) {
    this.status = createSyncStatus();
    this.opts = {
      baseUrl: opts.baseUrl ?? '',
      fetch: opts.fetch ?? ((...a) => fetch(...a)),
      now: opts.now ?? (() => Date.now()),
      random: opts.random ?? Math.random,
      // [C3] As many as the protocol takes: fewer requests, fewer commits on the server.
      pushBatch: opts.pushBatch ?? MAX_PUSH_COMMANDS,
      pullLimit: opts.pullLimit ?? 2000,
      bootstrapLimit: opts.bootstrapLimit ?? MAX_PULL_LIMIT,
      checksumEveryMs: opts.checksumEveryMs ?? 10 * 60_000,
      requestTimeoutMs: opts.requestTimeoutMs ?? 30_000,
      // Never larger than a bootstrap page: the simulation pins those small to exercise many pages.
      headLimit: opts.headLimit ?? Math.min(1000, Math.max(opts.pullLimit ?? 2000, opts.bootstrapLimit ?? MAX_PULL_LIMIT)),
      applyBudgetMs: opts.applyBudgetMs ?? 4,
      bootstrapApplyBudgetMs: opts.bootstrapApplyBudgetMs ?? 50,
      applyChunkMs: opts.applyChunkMs ?? 100,
      applyEveryStep: opts.applyEveryStep ?? false,
    };
    const paced = { chunkMs: this.opts.applyChunkMs, everyStep: this.opts.applyEveryStep };
    this.pacer = new ApplyPacer({ stepMs: this.opts.applyBudgetMs, ...paced });
    this.bootstrapPacer = new ApplyPacer({ stepMs: this.opts.bootstrapApplyBudgetMs, first: 500, ...paced });
  }

  /** [P3] Transactions catch-up pages were written in so far, and how many ended for a waiting sale (benchmark). */
  get applyStats(): ApplyPacer['stats'] {
    return { ...this.pacer.stats };
  }

  private async transport(): Promise<Transport | null> {
    const d = await getDevice(this.db);
    return d ? this.transportFor(d.deviceToken, d.deviceId) : null;
  }

  private async transportFor(token: string, deviceId: string): Promise<Transport> {
    return { baseUrl: this.opts.baseUrl, fetch: this.opts.fetch, token, signer: await deviceSigner(this.db, deviceId, this.opts.now), timeoutMs: this.opts.requestTimeoutMs, onServerTime: (ms) => this.onServerTime(ms) };
  }

  /**
   * [D8] The server's clock, from answers' Date headers (1 s resolution, so the estimate is the
   * middle of that second and moves only when it is off by more than a second).
   */
  private onServerTime(serverMs: number): void {
    const estimate = serverMs + 500 - this.opts.now();
    const current = this.status.getState().serverOffsetMs;
    if (Math.abs(estimate - current) > 1000) this.status.setState({ serverOffsetMs: estimate });
  }

  /** [D8] Now, by the server's clock: the time ages shown to people are measured in. */
  serverNow(): number {
    return this.opts.now() + this.status.getState().serverOffsetMs;
  }

  /**
   * Runs one sync cycle now, or right after the one in progress. Never throws. In a started tab that
   * does not hold the sync lock, asks the tab that does instead [D1]: one writer per device.
   */
  syncNow(): Promise<void> {
    if (this.started && !this.leader && this.channel) {
      this.post({ type: 'sync' });
      return Promise.resolve();
    }
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      do {
        this.again = false;
        await this.cycle();
      } while (this.again && !this.stopped);
    })().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  private async cycle(): Promise<void> {
    const t = await this.transport();
    if (!t) return;
    this.status.setState({ syncing: true });
    // [D10] Each step runs whatever the one before it did: a push that fails (409, gap, 503, a
    // handler fault, a hung request) never stops the pull. Only a revoked device stops everything.
    const errors: unknown[] = [];
    const step = async <R>(run: () => Promise<R>): Promise<R | undefined> => {
      try {
        return await run();
      } catch (e) {
        if (e instanceof SyncHttpError && e.code === 'device-revoked') throw e;
        errors.push(e);
        return undefined;
      }
    };
    try {
      // [D5] Once per start (a restore or a crash means a restart), and after any seq-conflict.
      if (!this.deviceChecked) await step(() => this.recover(t));
      // [D5] The check's request was lost on the way: until the server has said what it holds of this
      // device, a push could send a restored tablet's reused seqs (a seq-conflict, and a manager
      // alerted, for a network blip). This cycle pulls only; the next one checks again first. A check
      // the server answered with an error does not hold pushes back: the server's seq check still
      // guards them, and a broken endpoint must not stop sales from reaching it.
      const lost = errors.at(-1);
      const unchecked = !this.deviceChecked && lost instanceof SyncHttpError && lost.status === 0;
      // [D6] The previous identities' commands were made first, and a new one's may depend on them
      // (a sale naming a customer created before the re-enrollment): while any of them could not be
      // pushed, this cycle pushes nothing newer (a revoked identity's wait for an export, not this).
      const heldClear = await step(() => this.pushHeld());
      if (!unchecked && heldClear) await step(() => this.push(t));
      const device = await getDevice(this.db);
      const streams = device?.streams ?? [];
      // [P4] A first sync takes one head page of every stream before finishing any, so search and
      // scanning work on what has landed while the rest comes.
      const headPages = await step(() => this.pullHeads(t, streams));
      const heads = headPages ?? new Map<StreamName, Head>();
      let pulled = [...heads.values()].some((h) => h.received > 0);
      let pullsOk = headPages !== undefined;
      for (const stream of streams) {
        const head = heads.get(stream);
        if (head && !head.more) continue;
        const r = await step(() => this.pull(t, stream, head));
        if (!r) {
          pullsOk = false;
          // Unreachable: the other streams would only wait for the same timeout.
          if (errors.at(-1) instanceof SyncHttpError && (errors.at(-1) as SyncHttpError).status === 0) break;
          continue;
        }
        pulled ||= r.received > (head?.received ?? 0);
      }
      // [P5] "Server + pending" stays true without a rebase unless a pull changed a row a pending
      // command wrote, a rejection took effects away, or a replay that failed may now succeed.
      // A rebase made due before a crash or a reload is remembered on disk too [P5].
      // Acknowledged commands' rows show the server's copy alone only once every stream is pulled.
      if (this.rebaseDue || (pulled && this.replayFailed) || (await rebaseDue(this.db)) || (pullsOk && (await settleDue(this.db)))) await this.rebase();
      await step(() => this.verify(t, streams));
      if (errors.length) throw errors[0];
      this.failures = 0;
      const at = this.serverNow();
      // Persisted, so "last sync" stays honest across reloads and restarts [D4].
      await this.db.meta.put({ key: 'lastSyncAt', value: at });
      this.status.setState({ lastSyncAt: at, lastError: null, online: true, progress: null });
      // A cycle that wrote without a quota error clears "full"; the estimate says whether we are close.
      if (this.status.getState().storageAlarm === 'full') this.status.setState({ storageAlarm: null });
      await this.checkStorage();
    } catch (e) {
      await this.onError(e);
    } finally {
      this.status.setState({ syncing: false });
      this.schedule();
    }
  }

  /**
   * [D5] Asks the server what it holds of this device, takes its answers to pending commands it
   * already has (an answer lost on the way, or with a wipe) and, if it is ahead of this tablet
   * (restored from a backup, or recent commits lost in a crash), renumbers the outbox after it. If
   * anything changed, a rebase is due (it shows renumbered receipts). A server without the endpoint
   * is left be.
   */
  private async recover(t: Transport): Promise<void> {
    try {
      let after = await restoreCursor(this.db);
      const ask = (from: number) => call<ServerDeviceState & { more?: boolean }>(t, 'GET', `/api/v1/sync/device?after=${from}`);
      const state = await ask(after);
      // A tablet restored from an old backup may be thousands of commands behind: page through.
      for (let page = state; page.more && page.commands.length; ) {
        after = page.commands.at(-1)!.seq;
        page = await ask(after);
        state.commands.push(...page.commands);
      }
      const r = await restoreFromServer(this.db, state, this.serverNow());
      this.deviceChecked = true;
      if (r.rebase || r.renumbered + r.receipts > 0) this.rebaseDue = true;
    } catch (e) {
      if (e instanceof SyncHttpError && e.status === 404) {
        this.deviceChecked = true;
        return;
      }
      throw e;
    }
  }

  /** Commands of one push: at most `size`, and within the body limit counted in UTF-8 bytes [C3]. */
  private fit(batch: Envelope[], deviceId: string): Envelope[] {
    while (batch.length > 1 && jsonBytes({ deviceId, commands: batch }) > MAX_PUSH_BYTES - 4096) batch.splice(Math.ceil(batch.length / 2));
    return batch;
  }

  /**
   * [C3] One push's body, built as it is measured: each command serialised once, taken while the body
   * stays within the limit in UTF-8 bytes (the first always, however large: the server judges it).
   */
  private prepare(cmds: Envelope[], deviceId: string): Prepared | null {
    if (cmds.length === 0) return null;
    const head = `{"deviceId":${JSON.stringify(deviceId)},"commands":[`;
    const parts: string[] = [];
    let bytes = utf8Bytes(head) + 2;
    for (const c of cmds) {
      const part = JSON.stringify(c);
      const n = utf8Bytes(part) + (parts.length ? 1 : 0);
      if (parts.length && bytes + n > MAX_PUSH_BYTES - 4096) break;
      parts.push(part);
      bytes += n;
    }
    return { batch: cmds.slice(0, parts.length), body: `${head}${parts.join(',')}]}` };
  }

  /**
   * Pushes the outbox in seq order [C3], as large a batch as the protocol takes (by count and by
   * bytes). While a batch travels, the next is read from the outbox and serialised, and the previous
   * answer's acknowledgement is written: the server still gets one batch at a time, in order, and
   * the next is sent the moment the answer comes. [D10] A 413 halves the
   * batch; a server fault isolates the first command and, when that command alone keeps failing
   * (STRIKES times), sets it aside with an alert so the ones behind it are sent. [D5] A seq-conflict,
   * or an answer showing the server ahead of this tablet, runs the restore once, then carries on.
   * Anything unusual drops the batch read ahead, and the next is read again from the outbox.
   */
  private async push(t: Transport): Promise<void> {
    let size = this.opts.pushBatch;
    let recovered = false;
    /** The next batch, read and serialised while the one before it was in flight. */
    let ahead: Promise<Prepared | null> | null = null;
    /** The acknowledgement of the last answer, written while the next batch travels. */
    let acking: Promise<void> = Promise.resolve();
    const settle = async () => {
      const a = acking;
      acking = Promise.resolve();
      await a;
    };
    try {
      for (;;) {
        const pending: Promise<Prepared | null> | null = ahead;
        ahead = null;
        const [device, early]: [DeviceState | undefined, Prepared | null] = await Promise.all([getDevice(this.db), pending]);
        if (!device) return;
        const prepared: Prepared | null = early ?? this.prepare(await pendingCommands(this.db, size), device.deviceId);
        if (!prepared) return;
        const batch: Envelope[] = prepared.batch;
        const first = batch[0]!;
        const sent = callJson<PushResponse>(t, 'POST', '/api/v1/sync/push', prepared.body);
        sent.catch(() => undefined); // awaited below, after the work done meanwhile
        ahead = pendingCommands(this.db, size, batch.at(-1)!.seq).then((cmds) => this.prepare(cmds, device.deviceId));
        ahead.catch(() => undefined); // a failed read ahead is read again, not reported
        let res: PushResponse;
        try {
          await settle(); // the previous answer's acknowledgement, written while this batch travelled
          res = await sent;
        } catch (e) {
          ahead = null;
          if (!(e instanceof SyncHttpError)) throw e;
          if (e.status === 413 && batch.length > 1) {
            size = Math.ceil(batch.length / 2);
            continue;
          }
          if (e.code === 'seq-conflict' && !recovered) {
            recovered = true;
            await this.recover(t);
            continue;
          }
          if (e.status === 500 || e.status === 413 || e.code === 'bad-response') {
            if (batch.length > 1) {
              size = 1; // find out whether the first command alone is what fails
              continue;
            }
            const strikes = (this.strikes.get(first.id) ?? 0) + 1;
            this.strikes.set(first.id, strikes);
            if (strikes >= STRIKES && (await setAside(this.db, first.seq, { code: e.code, message: e.message }, this.serverNow()))) {
              this.strikes.delete(first.id);
              this.rebaseDue = true;
              size = this.opts.pushBatch;
              continue;
            }
          }
          throw e;
        }
        this.strikes.delete(first.id);
        acking = acknowledge(this.db, res.results, this.serverNow()).then((r) => {
          if (r.rebase) this.rebaseDue = true;
        });
        acking.catch(() => undefined); // surfaced where it is awaited (settle), not "unhandled" meanwhile
        // Only a plain answer (all of the batch taken, nothing unusual) lets the batch read ahead go.
        const plain = !res.gap && res.results.length === batch.length && res.results.at(-1)?.seq === batch.at(-1)!.seq && size === this.opts.pushBatch;
        if (!plain) ahead = null;
        if (res.lastSeq > device.lastSeq && !recovered) {
          // The server has commands of this device beyond what this tablet ever made: restored.
          recovered = true;
          ahead = null;
          await settle();
          await this.recover(t);
          continue;
        }
        if (res.gap) {
          // [C3] The server expects an earlier seq. If we still hold it, the next batch starts there.
          await settle();
          if (res.gap.expectedSeq >= first.seq) continue;
          throw new SyncHttpError(409, 'gap', `The server expects command #${res.gap.expectedSeq}, which this tablet no longer holds. Export unsent commands and call support.`);
        }
        if (res.results.length === 0) return;
        size = this.opts.pushBatch;
      }
    } finally {
      // Never left behind: the cycle's next steps (pull, rebase) see every answer recorded.
      await settle();
    }
  }

  /**
   * [D6] Pushes the commands held from earlier enrollments with their own identity's token. A
   * revoked identity's commands wait for an export and an administrator's import instead. True
   * when none is left that could still be pushed (a failed request throws).
   */
  private async pushHeld(): Promise<boolean> {
    let clear = true;
    for (const id of await previousIdentities(this.db)) {
      if (!id.deviceToken) continue;
      const t = await this.transportFor(id.deviceToken, id.deviceId);
      for (;;) {
        const batch = this.fit(await heldCommands(this.db, id.deviceId, this.opts.pushBatch), id.deviceId);
        if (batch.length === 0) {
          await dropIdentityIfDone(this.db, id.deviceId);
          break;
        }
        let res: PushResponse;
        try {
          res = await call<PushResponse>(t, 'POST', '/api/v1/sync/push', { deviceId: id.deviceId, commands: batch });
        } catch (e) {
          if (e instanceof SyncHttpError && e.status === 401) {
            await markIdentityRevoked(this.db, id.deviceId, this.serverNow());
            break;
          }
          throw e;
        }
        if ((await acknowledge(this.db, res.results, this.serverNow(), { deviceId: id.deviceId })).rebase) this.rebaseDue = true;
        if (res.results.length === 0 || (res.gap && res.gap.expectedSeq < batch[0]!.seq)) {
          clear = false;
          break;
        }
      }
    }
    return clear;
  }

  /** [P5] Replays pending commands on the server's rows; remembers whether a replay failed. */
  private async rebase(): Promise<void> {
    this.rebaseDue = false;
    this.replayFailed = (await rebase(this.db)).failed > 0;
  }

  /**
   * [P4] A first sync takes one small page of every stream it starts from zero before the rest:
   * the store's associates lead its stream (sign-in works), the first products land (search and a
   * scan answer from them), and only then does each stream complete in large pages. Returns what
   * each head page counted, so the progress bar carries on from it.
   */
  private async pullHeads(t: Transport, streams: readonly StreamName[]): Promise<Map<StreamName, Head>> {
    const heads = new Map<StreamName, Head>();
    // The store's stream first: nobody can use a tablet before signing in.
    const order = [...streams].sort((a, b) => Number(b.startsWith('store:')) - Number(a.startsWith('store:')));
    for (const stream of order) {
      if (((await this.db.cursors.get(stream))?.version ?? 0) !== 0) continue;
      heads.set(stream, await this.pull(t, stream, { received: 0, total: 0, bootstrap: true, more: true }, this.opts.headLimit));
    }
    return heads;
  }

  private async pull(t: Transport, stream: StreamName, head?: Head, onePage?: number): Promise<Head> {
    const cursor = (await this.db.cursors.get(stream))?.version ?? 0;
    const bootstrap = cursor === 0 || (head?.bootstrap ?? false);
    let received = head?.received ?? 0;
    let total = head?.total ?? 0;
    const limit = onePage ?? (bootstrap ? Math.max(this.opts.pullLimit, this.opts.bootstrapLimit) : this.opts.pullLimit);
    // [EX2] The first page of the store's stream reports this tablet's unsent commands, which the
    // server publishes with its last sync for the store's Today screen.
    const report = stream.startsWith('store:') ? await this.unsentReport() : '';
    const fetchPage = (after: number, first: boolean) =>
      call<PullResponse>(t, 'GET', `/api/v1/sync/pull?stream=${encodeURIComponent(stream)}&after=${after}&limit=${limit}&total=${first ? 1 : 0}${after === cursor ? report : ''}`);
    // Carrying on after a head page: the bar shows this stream's share already there while the rest comes.
    if (received > 0) this.status.setState({ progress: { stream, received, total: Math.max(total, received) } });
    let coming: Promise<PullResponse> | null = fetchPage(cursor, total === 0);
    while (coming) {
      const page: PullResponse = await coming;
      // The next page travels while this one is written: its cursor is this page's version, known
      // now. Pages are still applied strictly in order, each in short chunks with its cursor written
      // with the last [P3]; if writing one fails, the page in flight is dropped (and fetched again
      // from the unchanged cursor next time).
      coming = page.more && onePage === undefined ? fetchPage(page.version, false) : null;
      coming?.catch(() => undefined);
      if ((await applyPulledPage(this.db, page, this.serverNow(), bootstrap ? this.bootstrapPacer : this.pacer)).rebase) this.rebaseDue = true;
      // [P4] `total` counts the rows after the cursor we asked from: on the first page that is the
      // whole catch-up, which drives the progress bar (a head page already counted them).
      if (total === 0) total = received + page.total;
      received += page.changes.length;
      if (received > 0) this.status.setState({ progress: { stream, received, total: Math.max(total, received) } });
      if (onePage !== undefined && page.more) return { received, total, bootstrap, more: true };
    }
    // A stream just bootstrapped from version 0 holds exactly what the server sent: comparing its
    // checksum now would re-read every row for nothing. The periodic check covers it later.
    if (bootstrap && received > 0) await markChecked(this.db, stream, this.opts.now());
    return { received, total, bootstrap, more: false };
  }

  /** [EX2] `&unsent=<n>&oldest=<ms>`: the outbox and held commands, and when the oldest was made. */
  private async unsentReport(): Promise<string> {
    const [outbox, held, first] = await Promise.all([this.db.outbox.count(), this.db.held.count(), this.db.outbox.orderBy('seq').first()]);
    const oldest = first?.createdAt;
    return `&unsent=${outbox + held}${oldest !== undefined && Number.isFinite(oldest) ? `&oldest=${Math.max(0, Math.round(oldest))}` : ''}`;
  }

  /** [P7] Compares stream digests now and then; a diverged stream is bootstrapped again. */
  private async verify(t: Transport, streams: readonly StreamName[]): Promise<void> {
    for (const stream of streams) {
      // The last check is kept with the cursor, so an app start does not re-read every stream at once.
      const c = await this.db.cursors.get(stream);
      const last = c?.checkedAt ?? 0;
      if (this.opts.checksumEveryMs > 0 && this.opts.now() - last < this.opts.checksumEveryMs) continue;
      const cursor = c?.version ?? 0;
      const server = await call<{ stale?: boolean; count?: number; digest?: string }>(t, 'GET', `/api/v1/sync/checksum?stream=${encodeURIComponent(stream)}&at=${cursor}`);
      if (server.stale) continue; // the stream moved on meanwhile; compare next time
      const local = await localChecksum(this.db, stream);
      await markChecked(this.db, stream, this.opts.now());
      if (local.digest !== server.digest || local.count !== server.count) {
        await resetStream(this.db, stream);
        await this.pull(t, stream);
        await this.rebase();
      }
    }
  }

  private async onError(e: unknown): Promise<void> {
    if (e instanceof SyncHttpError) {
      if (e.code === 'device-revoked') {
        // [D7] Everything personal or store-related goes; only the export of unsent commands stays.
        await wipeRevokedDevice(this.db, this.opts.now());
        this.status.setState({ alarm: e.message });
        return;
      }
      if (e.code === 'seq-conflict' || e.code === 'gap') this.status.setState({ alarm: e.message });
      if (e.status === 0) this.status.setState({ online: false });
      this.failures += 1;
      this.status.setState({ lastError: e.message });
      return;
    }
    // [D2] Out of space: the page that did not fit was not applied (its transaction aborted whole),
    // nothing was dropped; the alarm stays up until a cycle gets through.
    if (isQuotaError(e)) this.status.setState({ storageAlarm: 'full' });
    this.failures += 1;
    this.status.setState({ lastError: e instanceof Error ? e.message : String(e) });
  }

  /** Next timer: 30 s when healthy, exponential backoff with full jitter after failures (max 5 min). */
  private schedule(): void {
    // Only a started engine runs on a timer; one driven by hand (tests, tools) syncs when asked.
    if (this.stopped || !this.started) return;
    if (this.timer) clearTimeout(this.timer);
    const base = this.failures === 0 ? 30_000 : Math.min(300_000, 1000 * 2 ** Math.min(this.failures, 8));
    const delay = this.failures === 0 ? base : Math.round(base / 2 + this.opts.random() * (base / 2));
    this.timer = setTimeout(() => void this.syncNow(), delay);
  }

  /** Starts the loop in this tab: one writer per device across tabs (Web Locks) [D1]. */
  start(): void {
    if (this.started) return;
    this.started = true;
    this.stopped = false;
    void this.db.meta.get('lastSyncAt').then((m) => {
      if (typeof m?.value === 'number' && !this.status.getState().lastSyncAt) this.status.setState({ lastSyncAt: m.value });
    });
    const run = () => {
      this.status.setState({ leader: true });
      // Followers mirror this tab's status, so every tab shows the same truth [D4].
      this.cleanup.push(this.status.subscribe((state) => this.post({ type: 'status', state: mirrorable(state) })));
      // A command committed by any tab is pushed at once, not at the next timer tick.
      this.cleanup.push(watchOutbox(this.db, () => void this.syncNow()));
      const onOnline = () => {
        this.status.setState({ online: true });
        void this.syncNow();
      };
      const onOffline = () => this.status.setState({ online: false });
      const onFocus = () => void this.syncNow();
      window.addEventListener('online', onOnline);
      window.addEventListener('offline', onOffline);
      window.addEventListener('focus', onFocus);
      this.cleanup.push(() => {
        window.removeEventListener('online', onOnline);
        window.removeEventListener('offline', onOffline);
        window.removeEventListener('focus', onFocus);
      });
      void this.syncNow();
      void this.listen();
    };
    if (typeof BroadcastChannel !== 'undefined') {
      const channel = new BroadcastChannel(`vitrine-sync:${this.db.name}`);
      channel.onmessage = (m: MessageEvent<TabMessage>) => {
        if (m.data.type === 'sync' && this.leader) void this.syncNow();
        else if (m.data.type === 'storage-full' && this.leader) this.status.setState({ storageAlarm: 'full' });
        else if (m.data.type === 'hello' && this.leader) this.post({ type: 'status', state: mirrorable(this.status.getState()) });
        else if (m.data.type === 'status' && !this.leader) this.status.setState(m.data.state);
      };
      this.channel = channel;
      this.cleanup.push(() => {
        channel.close();
        if (this.channel === channel) this.channel = null;
      });
    }
    // A tab opened after the leader asks for its status rather than showing nothing until it changes.
    this.post({ type: 'hello' });
    if (typeof navigator !== 'undefined' && 'locks' in navigator) {
      void navigator.locks.request(`vitrine-sync:${this.db.name}`, () => {
        if (this.stopped) return Promise.resolve();
        run();
        return new Promise<void>((resolve) => this.cleanup.push(resolve));
      });
    } else run();
    void this.checkStorage();
  }

  stop(): void {
    this.started = false;
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.sseAbort?.abort();
    for (const c of this.cleanup.splice(0)) c();
    this.status.setState({ leader: false });
  }

  /** [P6] Server-Sent Events over fetch (EventSource cannot send the Authorization header). */
  private async listen(): Promise<void> {
    let attempt = 0;
    while (!this.stopped) {
      const t = await this.transport();
      if (!t) return;
      this.sseAbort = new AbortController();
      try {
        // [T1] Signed like every sync request: EventSource cannot send headers, fetch streaming can.
        const res = await this.opts.fetch(`${t.baseUrl}/api/v1/sync/events`, { headers: await authHeaders(t, '/api/v1/sync/events'), signal: this.sseAbort.signal, cache: 'no-store' });
        t.signer?.observe(res.headers.get('date'));
        // Refused (revoked [D7], or signed with a stale clock): a sync cycle sorts it out.
        if (res.status === 401) void this.syncNow();
        if (!res.ok || !res.body) throw new Error(`events ${res.status}`);
        attempt = 0;
        const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
        let buf = '';
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          buf += value;
          let i: number;
          while ((i = buf.indexOf('\n\n')) >= 0) {
            const event = buf.slice(0, i);
            buf = buf.slice(i + 2);
            const data = event.split('\n').find((l) => l.startsWith('data: '));
            if (data) await this.onPoke(JSON.parse(data.slice(6)) as Poke);
          }
        }
      } catch {
        // offline or server gone: fall through to the backoff
      }
      if (this.stopped) return;
      attempt += 1;
      await new Promise((r) => setTimeout(r, Math.min(30_000, 500 * 2 ** Math.min(attempt, 6)) * (0.5 + this.opts.random() / 2)));
    }
  }

  private async onPoke(p: Poke): Promise<void> {
    const cursor = (await this.db.cursors.get(p.stream))?.version ?? 0;
    if (p.version > cursor) void this.syncNow();
  }

  private post(m: TabMessage): void {
    try {
      this.channel?.postMessage(m);
    } catch {
      /* channel closed while stopping */
    }
  }

  /**
   * [D2] Ask for persistent storage and report usage; a refusal is shown, not hidden. At 90 % of
   * the quota the tablet warns, before any write fails ("full" is only ever set by a refused write).
   */
  async checkStorage(): Promise<void> {
    if (typeof navigator === 'undefined' || !navigator.storage) return;
    try {
      const persisted = (await navigator.storage.persisted?.()) || (await navigator.storage.persist?.()) || false;
      const est = await navigator.storage.estimate();
      const usage = est.usage ?? 0;
      const quota = est.quota ?? 0;
      const current = this.status.getState().storageAlarm;
      const storageAlarm = current === 'full' ? 'full' : quota > 0 && usage >= NEARLY_FULL * quota ? 'nearly-full' : null;
      this.status.setState({ storage: { usage, quota, persisted }, storageAlarm });
    } catch {
      /* storage API unavailable: nothing to report */
    }
  }

  /** [D2] A screen's write was refused for lack of space: raise the same alarm the sync loop would. */
  reportStorageFull(): void {
    this.status.setState({ storageAlarm: 'full' });
    // The leader owns the alarm (it clears it after a sync that gets through) and mirrors it back.
    if (this.started && !this.leader) this.post({ type: 'storage-full' });
  }

  /**
   * [RE1] A signed GET of a device route (the returns lookup): the answer, or a SyncHttpError (a 404
   * in words, or status 0 when the server cannot be reached).
   */
  async get<T>(path: string): Promise<T> {
    const t = await this.transport();
    if (!t) throw new SyncHttpError(0, 'not-enrolled', 'This tablet is not enrolled yet.');
    return call<T>(t, 'GET', path);
  }
}
