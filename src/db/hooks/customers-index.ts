// The tablet's customer search index [CL2]: built from the customers table on first use, then caught
// up with what pulls changed (rows whose server version is above the one it reflects) and with
// customers this tablet created or edited and has not yet had back from the server. In memory only,
// and only while an associate is signed in [CL6]: signing out drops it.
import Dexie from 'dexie';
import { CustomerIndex } from '@/core/customers/customer-index';
import type { VitrineDb } from '../schema';

export interface CustomerIndexSnapshot {
  index: CustomerIndex | null;
  /** Bumped on every change: results computed at an older revision are stale. */
  revision: number;
}

class Holder {
  snapshot: CustomerIndexSnapshot = { index: null, revision: 0 };
  /** The customers stream version the index reflects (-1: none yet). */
  version = -1;
  /** Keys changed locally and not yet confirmed, at the last refresh: re-read next time too, so a rejected edit is undone here. */
  pending = new Set<string>();
  readonly listeners = new Set<() => void>();
  running: Promise<CustomerIndex> | null = null;
  again = false;
  /** Bumped by forget(): a refresh started before it must not publish. */
  epoch = 0;

  publish(index: CustomerIndex | null): void {
    this.snapshot = { index, revision: this.snapshot.revision + 1 };
    for (const l of this.listeners) l();
  }
}

const holders = new WeakMap<VitrineDb, Holder>();

export function holderOf(db: VitrineDb): Holder {
  let h = holders.get(db);
  if (!h) holders.set(db, (h = new Holder()));
  return h;
}

/** Customer keys with changes of this tablet the server has not confirmed: kept copies and created rows. */
async function pendingKeys(db: VitrineDb): Promise<Set<string>> {
  const keys = new Set<string>();
  const kept = await db.base.where('[tbl+key]').between(['customers', Dexie.minKey], ['customers', Dexie.maxKey]).primaryKeys();
  for (const [, key] of kept as unknown as [string, string][]) keys.add(key);
  await db.outbox.each((e) => {
    for (const [table, key] of e.created ?? []) if (table === 'customers') keys.add(key);
  });
  return keys;
}

async function refreshOnce(db: VitrineDb, h: Holder): Promise<CustomerIndex> {
  const epoch = h.epoch;
  const snap = await db.transaction('r', [db.customers, db.cursors, db.base, db.outbox], async () => {
    const version = (await db.cursors.get('customers'))?.version ?? 0;
    const pending = await pendingKeys(db);
    // A first build, or the stream went back (a reset after a checksum mismatch): read everything.
    if (!h.snapshot.index || version < h.version) return { kind: 'all' as const, version, pending, all: await db.customers.toArray() };
    const changed = await db.customers.where('_v').above(h.version).toArray();
    const reread = [...new Set([...pending, ...h.pending])];
    const local = await db.customers.bulkGet(reread);
    return { kind: 'changes' as const, version, pending, changed, reread, local, count: await db.customers.count() };
  });
  if (epoch !== h.epoch) throw new Error('The customer index was dropped (signed out) while refreshing.');
  let index = h.snapshot.index;
  if (snap.kind === 'all') {
    index = CustomerIndex.fromRows(snap.all);
  } else {
    index = index!;
    for (const row of snap.changed) index.upsert(row);
    snap.reread.forEach((key, i) => {
      const row = snap.local[i];
      if (row) index!.upsert(row);
      else index!.remove(key);
    });
    // A deleted row (a tombstone [M2]) leaves no _v behind: a size above the table's count means
    // some indexed customers are gone. Find them by key.
    if (index.size !== snap.count) {
      const keys = new Set(await db.customers.toCollection().primaryKeys());
      for (const id of [...index.ids()]) if (!keys.has(id)) index.remove(id);
    }
  }
  h.version = snap.version;
  h.pending = snap.pending;
  h.publish(index);
  return index;
}

/** Brings the index up to date; calls made while one runs fold into one more run after it. */
export function refreshCustomerIndex(db: VitrineDb): Promise<CustomerIndex> {
  const h = holderOf(db);
  if (h.running) {
    h.again = true;
    return h.running;
  }
  const run = (async () => {
    let index: CustomerIndex;
    do {
      h.again = false;
      index = await refreshOnce(db, h);
    } while (h.again);
    return index;
  })().finally(() => {
    h.running = null;
  });
  h.running = run;
  return run;
}

/** Drops the in-memory index (sign-out) [CL6]. */
export function forgetCustomerIndex(db: VitrineDb): void {
  const h = holderOf(db);
  h.epoch += 1;
  h.version = -1;
  h.pending = new Set();
  h.publish(null);
}
