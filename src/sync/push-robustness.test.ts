// [D10] Pull never waits on push: whatever a push meets (a 409, a 503, a handler fault, a hung
// request), the streams are still pulled; requests have deadlines; a 413 splits the batch; bodies
// are measured in UTF-8 bytes; a command that alone keeps failing is set aside with an alert.
import { describe, expect, it } from 'vitest';
import { SyncEngine, STRIKES } from './engine';
import { enrolledDb, stock, testEnv, oneCashSale } from '@/testing/factories';
import { dispatch } from '@/db/dispatch';
import { saleComplete } from '@/core/sales/sale-complete';
import { getDevice } from '@/db/device';
import { retrySetAside } from '@/db/sync-store';
import { MAX_PUSH_BYTES, type Envelope, type PushResponse } from '@/core/sync/protocol';
import type { VitrineDb } from '@/db/schema';

const sale = oneCashSale;

type PushHandler = (commands: Envelope[], signal: AbortSignal | undefined, bytes: number) => Promise<Response> | Response;

const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
const error = (status: number, code: string) => json(status, { error: { code, message: `Failed: ${code}.` } });
const applied = (commands: Envelope[]): PushResponse => ({ results: commands.map((c) => ({ seq: c.seq, id: c.id, status: 'applied', summary: {}, exceptions: [] })), lastSeq: commands.at(-1)?.seq ?? 0 });

/** A server whose pull always has one new stock row, and whose push does what the test says. */
function server(push: PushHandler) {
  const pushes: { seqs: number[]; bytes: number }[] = [];
  const fetch = async (input: string | URL | Request, init?: RequestInit) => {
    const url = new URL(String(input), 'http://tablet');
    if (url.pathname.endsWith('/sync/device')) return error(404, 'not-found');
    if (url.pathname.endsWith('/checksum')) return json(200, { stale: true });
    if (url.pathname.endsWith('/sync/push')) {
      const body = String(init?.body);
      const bytes = new TextEncoder().encode(body).length;
      const commands = (JSON.parse(body) as { commands: Envelope[] }).commands;
      pushes.push({ seqs: commands.map((c) => c.seq), bytes });
      return push(commands, init?.signal ?? undefined, bytes);
    }
    const stream = url.searchParams.get('stream');
    const after = Number(url.searchParams.get('after'));
    if (stream !== 'store:S01' || after >= 9) return json(200, { stream, changes: [], version: after, more: false, total: 0 });
    return json(200, { stream, changes: [{ table: 'stock', key: 'S01|VT-9', version: 9, row: stock('VT-9', 9) }], version: 9, more: false, total: 1 });
  };
  return { fetch, pushes };
}

const pulled = async (db: VitrineDb) => (await db.cursors.get('store:S01'))?.version === 9 && (await db.stock.get('S01|VT-9'))?.onHand === 9;

describe('[D10] pull never waits on push', () => {
  const failures: [string, PushHandler][] = [
    ['409 seq-conflict', () => error(409, 'seq-conflict')],
    ['503 server-too-old', () => error(503, 'server-too-old')],
    ['500 handler fault', () => error(500, 'server-fault')],
    ['a gap the tablet cannot fill', () => json(200, { results: [], gap: { expectedSeq: 0 }, lastSeq: 0 })],
    ['a network failure', () => Promise.reject(new TypeError('fetch failed'))],
  ];
  for (const [what, push] of failures) {
    it(`[D10] a push that meets ${what} still lets every stream be pulled`, async () => {
      const db = await enrolledDb();
      await dispatch(db, 'A-S01-CARLOS', saleComplete, sale, testEnv());
      const { fetch } = server(push);
      const e = new SyncEngine(db, { fetch, checksumEveryMs: 3_600_000 });
      await e.syncNow();
      expect(e.status.getState().lastError).not.toBeNull();
      expect(await pulled(db)).toBe(true);
      expect(await db.outbox.count()).toBe(1); // not lost either
    });
  }

  it('[D10] a hung push is abandoned at its deadline and the pull goes on', async () => {
    const db = await enrolledDb();
    await dispatch(db, 'A-S01-CARLOS', saleComplete, sale, testEnv());
    const hang: PushHandler = (_c, signal) => new Promise((_, reject) => signal?.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError'))));
    const { fetch } = server(hang);
    const e = new SyncEngine(db, { fetch, checksumEveryMs: 3_600_000, requestTimeoutMs: 50 });
    await e.syncNow();
    expect(e.status.getState().lastError).toMatch(/did not answer within/);
    expect(await pulled(db)).toBe(true);
  });

  it('[D10] a 413 splits the batch until it fits; every command is sent once', async () => {
    const db = await enrolledDb({ onHand: 10 });
    for (let i = 0; i < 5; i++) await dispatch(db, 'A-S01-CARLOS', saleComplete, sale, testEnv(1_700_000_000_000 + i * 10_000));
    const { fetch, pushes } = server((commands) => (commands.length > 2 ? error(413, 'body-too-large') : json(200, applied(commands))));
    const e = new SyncEngine(db, { fetch, checksumEveryMs: 3_600_000 });
    await e.syncNow();
    expect(e.status.getState().lastError).toBeNull();
    expect(await db.outbox.count()).toBe(0);
    expect(pushes.filter((p) => p.seqs.length <= 2).flatMap((p) => p.seqs)).toEqual([1, 2, 3, 4, 5]);
  });

  it('[D10] a push body is measured in UTF-8 bytes: accented text never makes it exceed 1 MiB', async () => {
    const db = await enrolledDb();
    const device = (await getDevice(db))!;
    // Two commands of 300,000 "é" each: 600 KB of characters but 1.2 MB of bytes together.
    const big = (seq: number) => ({ id: `0190c1de-0000-7000-8000-00000000000${seq}`, deviceId: device.deviceId, seq, type: 'note.add', v: 1, at: `001700000000000-00000-${seq}`, actor: 'A-S01-MARTA', payload: { text: 'é'.repeat(300_000) }, createdAt: seq });
    await db.outbox.bulkAdd([big(1), big(2)]);
    const { fetch, pushes } = server((commands, _s, bytes) => (bytes > MAX_PUSH_BYTES ? error(413, 'body-too-large') : json(200, applied(commands))));
    const e = new SyncEngine(db, { fetch, checksumEveryMs: 3_600_000 });
    await e.syncNow();
    expect(pushes.map((p) => p.seqs)).toEqual([[1], [2]]);
    expect(Math.max(...pushes.map((p) => p.bytes))).toBeLessThanOrEqual(MAX_PUSH_BYTES);
  });

  it(`[D10] a command that alone fails ${STRIKES} times is set aside with an alert; the ones behind it are renumbered and sent`, async () => {
    const db = await enrolledDb({ onHand: 10 });
    const made = [];
    for (let i = 0; i < 3; i++) made.push(await dispatch(db, 'A-S01-CARLOS', saleComplete, sale, testEnv(1_700_000_000_000 + i * 10_000)));
    const poison = made[1]!.command.id;
    let serverSeq = 0;
    const received: string[] = [];
    const { fetch } = server((commands) => {
      // A handler fault on the poison command rolls back its whole batch, as the real server does.
      if (commands.some((c) => c.id === poison)) return error(500, 'server-fault');
      for (const c of commands) {
        if (c.seq !== serverSeq + 1) return json(200, { results: [], gap: { expectedSeq: serverSeq + 1 }, lastSeq: serverSeq });
        serverSeq = c.seq;
        received.push(c.id);
      }
      return json(200, applied(commands));
    });
    const e = new SyncEngine(db, { fetch, checksumEveryMs: 3_600_000 });
    for (let i = 0; i < STRIKES; i++) await e.syncNow();
    expect(received).toEqual([made[0]!.command.id, made[2]!.command.id]);
    expect(await db.outbox.count()).toBe(0);
    expect(await db.alerts.toArray()).toEqual([expect.objectContaining({ id: `set-aside:${poison}`, kind: 'set-aside', error: expect.objectContaining({ code: 'server-fault' }) })]);
    expect(await getDevice(db)).toMatchObject({ lastSeq: 2 });
    // The sale it made stays on the tablet with its receipt [SE3].
    expect(await db.sales.get(made[1]!.command.payload.saleId)).toMatchObject({ receiptNo: 'S01-T01-000002' });
    expect(await pulled(db)).toBe(true);
    // "Try again" puts it back at the end of the outbox, under the next seq.
    await retrySetAside(db, `set-aside:${poison}`, 5_000);
    expect(await db.outbox.toArray()).toEqual([expect.objectContaining({ id: poison, seq: 3 })]);
    expect(await db.alerts.count()).toBe(0);
  });
});

describe('[C3] pipelined pushes', () => {
  it('[C3] the next batch is read while one is in flight, yet the server gets one batch at a time, in seq order, each sent only after the answer before it', async () => {
    const db = await enrolledDb({ onHand: 100 });
    const env = testEnv();
    for (let i = 0; i < 11; i++) await dispatch(db, 'A-S01-CARLOS', saleComplete, sale, env);
    let inFlight = 0;
    let most = 0;
    const { fetch, pushes } = server(async (commands) => {
      inFlight += 1;
      most = Math.max(most, inFlight);
      // Dispatched meanwhile: a later batch carries it, after the ones before it.
      if (pushes.length === 1) await dispatch(db, 'A-S01-CARLOS', saleComplete, sale, env);
      await new Promise((ok) => setTimeout(ok, 5));
      inFlight -= 1;
      return json(200, applied(commands));
    });
    const e = new SyncEngine(db, { fetch, pushBatch: 4, checksumEveryMs: 3_600_000 });
    await e.syncNow();
    expect(e.status.getState().lastError).toBeNull();
    expect(most).toBe(1);
    expect(pushes.map((p) => p.seqs)).toEqual([[1, 2, 3, 4], [5, 6, 7, 8], [9, 10, 11, 12]]);
    expect(await db.outbox.count()).toBe(0);
  });

  it('[C3] a gap answer drops the batch read ahead: the next push starts where the server says', async () => {
    const db = await enrolledDb({ onHand: 100 });
    const env = testEnv();
    for (let i = 0; i < 6; i++) await dispatch(db, 'A-S01-CARLOS', saleComplete, sale, env);
    let lost = true;
    const { fetch, pushes } = server((commands) => {
      // The server lost seq 3 onwards once (a stale instance): it applies 1–2 and asks for 3 again.
      if (lost && commands[0]!.seq === 1) {
        lost = false;
        return json(200, { results: applied(commands.slice(0, 2)).results, gap: { expectedSeq: 3 }, lastSeq: 2 });
      }
      return json(200, applied(commands));
    });
    const e = new SyncEngine(db, { fetch, pushBatch: 4, checksumEveryMs: 3_600_000 });
    await e.syncNow();
    expect(e.status.getState().lastError).toBeNull();
    expect(pushes.map((p) => p.seqs)).toEqual([[1, 2, 3, 4], [3, 4, 5, 6]]);
    expect(await db.outbox.count()).toBe(0);
  });
});
