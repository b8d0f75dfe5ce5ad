// [P3][P4] Pulling pages: the next page is fetched while the current one is written, yet pages are
// applied strictly in order with their cursor, and a page that fails to write leaves the cursor
// where it was (the page already in flight is dropped, then fetched again).
import { describe, expect, it } from 'vitest';
import { SyncEngine } from './engine';
import { enrolledDb, stock } from '@/testing/factories';

type Change = { table: string; key: string; version: number; row?: unknown };

function server(pages: Record<number, { changes: () => Change[]; version: number; more: boolean }>) {
  const asked: string[] = [];
  const reply = (body: unknown) => new Response(JSON.stringify(body), { status: 200, headers: { 'content-type': 'application/json' } });
  const fetch = async (input: string | URL | Request) => {
    const url = new URL(String(input), 'http://tablet');
    const stream = url.searchParams.get('stream');
    if (url.pathname.endsWith('/checksum')) return reply({ stale: true });
    const after = Number(url.searchParams.get('after'));
    if (stream !== 'store:S01') return reply({ stream, changes: [], version: after, more: false, total: 0 });
    asked.push(`after=${after} limit=${url.searchParams.get('limit')}`);
    const p = pages[after]!;
    return reply({ stream, changes: p.changes(), version: p.version, more: p.more, total: 6 });
  };
  return { fetch, asked };
}

const row = (sku: string, onHand: number, version: number): Change => ({ table: 'stock', key: `S01|${sku}`, version, row: stock(sku, onHand) });

describe('pull pages [P3]', () => {
  it('[P3] a page that cannot be written keeps the cursor at the last written page; the next sync resumes there', async () => {
    const db = await enrolledDb();
    let broken = true;
    const { fetch, asked } = server({
      0: { changes: () => [row('A', 1, 1), row('B', 2, 2)], version: 2, more: true },
      // A row without its key cannot be stored: IndexedDB aborts the page's transaction.
      2: { changes: () => [row('C', 3, 3), broken ? { table: 'stock', key: 'S01|D', version: 4, row: { sku: 'D' } } : row('D', 4, 4)], version: 4, more: true },
      4: { changes: () => [row('E', 5, 5), row('F', 6, 6)], version: 6, more: false },
    });
    const e = new SyncEngine(db, { fetch, pullLimit: 2, bootstrapLimit: 2, checksumEveryMs: 3_600_000 });
    await e.syncNow();
    expect(e.status.getState().lastError).not.toBeNull();
    expect((await db.cursors.get('store:S01'))?.version).toBe(2);
    expect(await db.stock.get('S01|C')).toBeUndefined(); // the failed page left nothing behind
    expect(await db.stock.get('S01|E')).toBeUndefined(); // the page in flight was dropped

    broken = false;
    await e.syncNow();
    expect(e.status.getState().lastError).toBeNull();
    expect((await db.cursors.get('store:S01'))?.version).toBe(6);
    expect((await db.stock.bulkGet(['S01|A', 'S01|C', 'S01|D', 'S01|F'])).map((s) => s?.onHand)).toEqual([1, 3, 4, 6]);
    // First sync: page 3 was already asked for while page 2 failed to write; the second resumed at 2.
    expect(asked).toEqual(['after=0 limit=2', 'after=2 limit=2', 'after=4 limit=2', 'after=2 limit=2', 'after=4 limit=2']);
  });

  it('[P4] a stream bootstrapping from version 0 pages by the bootstrap limit, a catch-up by the pull limit', async () => {
    const db = await enrolledDb();
    const { fetch, asked } = server({ 0: { changes: () => [row('A', 1, 1)], version: 1, more: false }, 1: { changes: () => [], version: 1, more: false } });
    const e = new SyncEngine(db, { fetch, pullLimit: 2, bootstrapLimit: 500, checksumEveryMs: 3_600_000 });
    await e.syncNow();
    await e.syncNow();
    expect(asked).toEqual(['after=0 limit=500', 'after=1 limit=2']);
  });

  it('[P4] a first sync takes one head page of every stream, the store first, before completing each: sign-in and search work early', async () => {
    const db = await enrolledDb();
    const asked: string[] = [];
    const fetch = async (input: string | URL | Request) => {
      const url = new URL(String(input), 'http://tablet');
      if (url.pathname.endsWith('/checksum')) return new Response(JSON.stringify({ stale: true }));
      // [D5] The server's record of this device: nothing sent yet.
      if (url.pathname.endsWith('/sync/device')) return new Response(JSON.stringify({ deviceId: 'dev-1', lastSeq: 0, lastReceipt: 0, commands: [], more: false }));
      const stream = url.searchParams.get('stream')!;
      const after = Number(url.searchParams.get('after'));
      asked.push(`${stream} after=${after} limit=${url.searchParams.get('limit')}`);
      // Every stream holds 3 rows, served one page of at most `limit` rows at a time.
      const version = Math.min(3, after + Number(url.searchParams.get('limit')));
      const changes = stream === 'store:S01' ? [1, 2, 3].filter((v) => v > after && v <= version).map((v) => row(`S${v}`, v, v)) : [];
      return new Response(JSON.stringify({ stream, changes, version, more: version < 3, total: 3 - after }));
    };
    const e = new SyncEngine(db, { fetch, pullLimit: 2, bootstrapLimit: 2, headLimit: 1, checksumEveryMs: 3_600_000 });
    const progress: string[] = [];
    e.status.subscribe((s) => s.progress?.stream === 'store:S01' && progress.push(`${s.progress.received}/${s.progress.total}`));
    await e.syncNow();
    expect(asked).toEqual([
      'store:S01 after=0 limit=1',
      'catalog after=0 limit=1',
      'network after=0 limit=1',
      'customers after=0 limit=1',
      'catalog after=1 limit=2',
      'network after=1 limit=2',
      'customers after=1 limit=2',
      'store:S01 after=1 limit=2',
    ]);
    // The progress of a stream carries on from its head page instead of starting again.
    expect([...new Set(progress)]).toEqual(['1/3', '3/3']);
    expect(await db.stock.count()).toBe(4); // the factory's row and the three pulled
    // A stream that fits in its head page is not asked again; a later sync is a plain catch-up.
    asked.length = 0;
    await e.syncNow();
    expect(asked).toEqual(['catalog after=3 limit=2', 'network after=3 limit=2', 'customers after=3 limit=2', 'store:S01 after=3 limit=2']);
  });
});
