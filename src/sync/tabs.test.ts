// [D1] One sync loop per tablet across tabs, with the engine's tab logic driven in Node: a minimal
// Web Locks (exclusive, FIFO per name) and Node's own BroadcastChannel stand in for the browser's.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { SyncEngine } from './engine';
import { VitrineDb } from '@/db/schema';
import { enrolledDb } from '@/testing/factories';

function fakeLocks() {
  const queues = new Map<string, (() => void)[]>();
  const held = new Set<string>();
  const grant = (name: string) => {
    const next = queues.get(name)?.shift();
    if (next) next();
  };
  return {
    held,
    async request(name: string, fn: () => Promise<void>) {
      await new Promise<void>((go) => {
        const q = queues.get(name) ?? [];
        queues.set(name, q);
        if (held.has(name)) q.push(go);
        else go();
      });
      held.add(name);
      try {
        await fn();
      } finally {
        held.delete(name);
        grant(name);
      }
    },
  };
}

const settle = () => new Promise((r) => setTimeout(r, 30));

function countingServer() {
  let pushes = 0;
  const reply = (body: unknown) => new Response(JSON.stringify(body), { status: 200, headers: { 'content-type': 'application/json' } });
  const fetch = async (input: string | URL | Request, init?: RequestInit) => {
    const url = new URL(String(input), 'http://tablet');
    if (url.pathname.endsWith('/push')) {
      pushes += 1;
      const { commands } = JSON.parse(String(init?.body)) as { commands: { seq: number; id: string }[] };
      return reply({ results: commands.map((c) => ({ seq: c.seq, id: c.id, status: 'applied' })) });
    }
    if (url.pathname.endsWith('/checksum')) return reply({ stale: true });
    if (url.pathname.endsWith('/events')) return new Promise<Response>(() => undefined); // a poke stream that stays open
    return reply({ stream: url.searchParams.get('stream'), changes: [], version: Number(url.searchParams.get('after')), more: false, total: 0 });
  };
  return { fetch, pushes: () => pushes };
}

afterEach(() => vi.unstubAllGlobals());

describe('[D1] tabs of one tablet', () => {
  it('[D1] the first tab leads; the second delegates "Sync now", mirrors its status, forwards a full disk, and takes over when the first stops', async () => {
    const locks = fakeLocks();
    vi.stubGlobal('navigator', { locks, onLine: true });
    vi.stubGlobal('window', new EventTarget());
    const db = await enrolledDb();
    const db2 = new VitrineDb(db.name);
    const server = countingServer();
    const first = new SyncEngine(db, { fetch: server.fetch, checksumEveryMs: 3_600_000 });
    const second = new SyncEngine(db2, { fetch: server.fetch, checksumEveryMs: 3_600_000 });
    first.start();
    await vi.waitFor(() => expect(first.status.getState().lastSyncAt).not.toBeNull());
    second.start();
    await settle();
    expect(first.status.getState().leader).toBe(true);
    expect(second.status.getState().leader).toBe(false);
    await vi.waitFor(() => expect(second.status.getState().lastSyncAt).toBe(first.status.getState().lastSyncAt));

    // "Sync now" in the second tab runs in the first: its status changes, and the second shows it.
    const before = first.status.getState().lastSyncAt;
    await new Promise((r) => setTimeout(r, 5));
    await second.syncNow();
    await vi.waitFor(() => expect(first.status.getState().lastSyncAt).toBeGreaterThan(before!));
    await vi.waitFor(() => expect(second.status.getState().lastSyncAt).toBe(first.status.getState().lastSyncAt));

    // A write refused in the second tab raises the alarm in the first, which owns it.
    second.reportStorageFull();
    await vi.waitFor(() => expect(first.status.getState().storageAlarm).toBe('full'));

    // The first tab goes away: the second takes the lock and runs the loop itself.
    first.stop();
    await vi.waitFor(() => expect(second.status.getState().leader).toBe(true));
    const pushesBefore = server.pushes();
    await second.syncNow();
    expect(second.status.getState().lastError).toBeNull();
    expect(second.status.getState().storageAlarm).toBeNull(); // a sync that got through clears it
    expect(server.pushes()).toBe(pushesBefore); // nothing unsent, nothing pushed
    second.stop();
    db2.close();
  });
});
