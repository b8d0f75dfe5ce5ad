// The tablet's side of the sync contract in IndexedDB: pulled pages with their cursor [P3], rebase of
// pending commands [P5], push acknowledgements [C4], local checksums [P7] and the unsent export [D3].
import type { VitrineDb, BaseEntry, Local, OutboxEntry } from './schema';
import { SYNCED_TABLES } from './schema';
import { getDevice } from './device';
import { readTx, applyEffectsLocally, slot, TxCache } from './local-tx';
import { parseCommand } from '@/core/sync/registry';
import { DomainError } from '@/core/shared/errors';
import type { CommandResult, PullResponse, Envelope } from '@/core/sync/protocol';
import { keyOf, streamOf, type StreamName, type TableName, type Tables } from '@/core/model';
import { DigestBuilder } from '@/core/sync/checksum';

const STREAM_TABLES: Record<string, TableName[]> = {
  catalog: ['products', 'variants'],
  network: ['locations', 'availability'],
  customers: ['customers', 'notes'],
  // [O2] Chain-level exceptions (raised by commands without a store), pulled by every device.
  chain: ['exceptions'],
  store: ['stock', 'associates', 'sales', 'exceptions', 'orders', 'shifts', 'registers'],
};
export const tablesOfStream = (stream: string): TableName[] => STREAM_TABLES[stream.startsWith('store:') ? 'store' : stream] ?? [];

/**
 * Applies one pulled page and moves the stream's cursor, in one transaction [P3]. A row that pending
 * commands have changed locally is not overwritten: its server copy (base) is, and the next rebase
 * replays the pending commands on top of it.
 */
export async function applyPulledPage(db: VitrineDb, page: PullResponse, now: number): Promise<void> {
  const tables = tablesOfStream(page.stream);
  await db.transaction('rw', [...tables.map((t) => db.table(t)), db.base, db.cursors], async () => {
    const [baseCount, prev] = await Promise.all([db.base.count(), db.cursors.get(page.stream)]);
    const hasBase = baseCount > 0;
    const baseKeys = hasBase ? await db.base.bulkGet(page.changes.map((c) => [c.table, c.key] as [string, string])) : [];
    const puts = new Map<TableName, unknown[]>();
    const dels = new Map<TableName, string[]>();
    const baseUpdates: BaseEntry[] = [];
    page.changes.forEach((c, i) => {
      // The page was parsed for this call alone: its row objects take their version in place.
      const row = 'deleted' in c ? null : (Object.assign(c.row as object, { _v: c.version }) as Local<Tables[TableName]>);
      if (baseKeys[i]) {
        baseUpdates.push({ tbl: c.table, key: c.key, row });
        return;
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
    });
    // All writes go out together (keys are disjoint): IndexedDB runs them in order without waiting
    // for the page to ask for each next one.
    await Promise.all([
      ...[...puts].map(([t, rows]) => db.table(t).bulkPut(rows)),
      ...[...dels].map(([t, keys]) => db.table(t).bulkDelete(keys)),
      baseUpdates.length ? db.base.bulkPut(baseUpdates) : undefined,
      db.cursors.put({ ...prev, stream: page.stream, version: page.version, syncedAt: page.more ? 0 : now }),
    ]);
  });
}

/**
 * [P5] Puts back the server copy of every row pending commands touched, then replays the commands
 * still pending, in seq order. What the screen shows is always "server state + my pending commands".
 */
export async function rebase(db: VitrineDb): Promise<{ replayed: number; failed: number }> {
  return db.transaction('rw', [...SYNCED_TABLES.map((t) => db.table(t)), db.base, db.outbox, db.meta], async () => {
    const device = await getDevice(db);
    const bases = await db.base.toArray();
    for (const b of bases) {
      if (b.row) await db.table(b.tbl).put(b.row);
      else await db.table(b.tbl).delete(b.key);
    }
    await db.base.clear();
    // Rows the pending commands created here go too: replaying them creates them again. A row the
    // server already sent back (it has a version) stays: the command reached the server.
    const pending = await db.outbox.orderBy('seq').toArray();
    const absent = await removeLocalOnly(db, pending.flatMap((e) => e.created ?? []));
    if (!device) return { replayed: 0, failed: 0 };
    let replayed = 0;
    let failed = 0;
    for (const entry of pending) {
      try {
        const { def, command } = parseCommand(entry);
        const effects = await def.handle({ tx: readTx(db), scope: { deviceId: device.deviceId, storeId: device.storeId }, side: 'tablet' }, command);
        // What it creates again is as new as when it was dispatched: still no kept copy for it.
        const cache = new TxCache();
        for (const [tbl, key] of entry.created ?? []) if (absent.has(slot(tbl, key))) cache.minted(key);
        await applyEffectsLocally(db, effects, cache);
        replayed += 1;
      } catch (e) {
        // Still pending: the server is the judge. Locally its effects simply do not show for now.
        if (!(e instanceof DomainError)) throw e;
        failed += 1;
      }
    }
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

/** Records the server's answers: applied and duplicate leave the outbox; rejected go to "Needs attention" [C4]. */
export async function acknowledge(db: VitrineDb, results: readonly CommandResult[], now: number): Promise<void> {
  if (results.length === 0) return;
  await db.transaction('rw', [db.outbox, db.meta, db.attention, db.base], async () => {
    const orphans: BaseEntry[] = [];
    for (const r of results) {
      const entry = await db.outbox.get(r.seq);
      if (!entry) continue;
      if (r.status === 'rejected' || (r.status === 'duplicate' && r.result.status === 'rejected')) {
        const error = r.status === 'rejected' ? r.error : r.result.status === 'rejected' ? r.result.error : { code: 'rejected', message: 'Rejected' };
        await db.attention.put({ seq: r.seq, command: stripLocal(entry), error, at: now });
        // [P5] What it created here will never come from the server: the next rebase removes it
        // (as it removes the rows of any command whose server copy is "none").
        for (const [tbl, key] of entry.created ?? []) orphans.push({ tbl, key, row: null });
      }
      await db.outbox.delete(r.seq);
    }
    if (orphans.length) {
      const kept = await db.base.bulkGet(orphans.map((o) => [o.tbl, o.key] as [string, string]));
      await db.base.bulkPut(orphans.filter((_, i) => !kept[i]));
    }
    await db.meta.put({ key: 'lastAck', value: now });
  });
}

const stripLocal = (e: OutboxEntry): Envelope => {
  const { createdAt: _at, created: _created, ...env } = e;
  void _at;
  void _created;
  return env;
};

export async function pendingCommands(db: VitrineDb, limit: number): Promise<Envelope[]> {
  return (await db.outbox.orderBy('seq').limit(limit).toArray()).map(stripLocal);
}

/** Digest of the server rows this tablet holds for a stream [P7] (pending local changes excluded). */
export async function localChecksum(db: VitrineDb, stream: StreamName): Promise<{ count: number; digest: string }> {
  const d = new DigestBuilder();
  const tables = tablesOfStream(stream);
  await db.transaction('r', [...tables.map((t) => db.table(t)), db.base], async () => {
    const bases = new Map((await db.base.toArray()).map((b) => [slot(b.tbl, b.key), b]));
    const seen = new Set<string>();
    for (const t of tables) {
      await db.table_(t).each((row) => {
        if (streamOf(t, row as never) !== stream) return;
        const key = keyOf[t](row as never);
        const b = bases.get(slot(t, key));
        seen.add(slot(t, key));
        const v = b ? b.row?._v : row._v;
        if (v !== undefined) d.add({ table: t, key, version: v });
      });
    }
    // A server row that a pending command deleted locally is absent above; its kept copy still counts.
    for (const [k, b] of bases) {
      if (seen.has(k) || !b.row || !tables.includes(b.tbl) || streamOf(b.tbl, b.row as never) !== stream) continue;
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
    for (const t of tables) await db.table(t).clear();
    await db.cursors.delete(stream);
  });
}

/** [D3] The unsent commands as a file the server can import. */
export async function exportUnsent(db: VitrineDb): Promise<{ deviceId: string; commands: Envelope[] }> {
  const device = (await getDevice(db)) ?? ((await db.meta.get('revoked-device'))?.value as { deviceId: string } | undefined);
  return { deviceId: device?.deviceId ?? 'unknown', commands: await pendingCommands(db, 100_000) };
}
