// poke: from one tablet's push to another tablet's pulled change, over a real listening server:
// tablet B reads /api/v1/sync/events with a streaming fetch and pulls when poked. Baseline: a bare
// GET /api/v1/health round-trip on the same server.
import { randomUUID } from 'node:crypto';
import { encodeHlc } from '../src/core/shared/hlc';
import type { EnrollResponse, PullResponse, PushResponse, Poke } from '../src/core/sync/protocol';
import { sellable, newDeviceKey, signatureHeaders, CARLOS } from '../sync-server/test/helpers/client';
import type { BackendName } from '../sync-server/test/helpers/stores';
import { openFixture, pgStatus } from './server-fixture';
import { fmtMs, p50, p95, printTable, ratio, verdict, type Row } from './lib';

const PUSHES = Number(process.env.BENCH_POKE_PUSHES ?? 100);
const TARGET_P95 = 250;

async function json<T>(res: Response): Promise<T> {
  if (!res.ok) throw new Error(`HTTP ${res.status}: ${await res.text()}`);
  return (await res.json()) as T;
}

async function runBackend(backend: BackendName, rows: Row[]): Promise<void> {
  const fx = await openFixture({ backend, skus: 500 });
  const base = await fx.app.listen({ port: 0, host: '127.0.0.1' });
  const abort = new AbortController();
  try {
    // [T1] Each tablet enrolls with its own key and signs every request, as a real one does.
    const enroll = async (name: string) => {
      const key = newDeviceKey();
      const e = await fetch(`${base}/api/v1/devices/enroll`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code: 'DEMO-S01', name, publicKey: key.publicKey }) }).then((r) => json<EnrollResponse>(r));
      const headers = (method: string, path: string, body?: string) => ({
        authorization: `Bearer ${e.deviceToken}`,
        ...(body ? { 'content-type': 'application/json' } : {}),
        ...signatureHeaders(key.privateKey, e.deviceId, method, path, body),
      });
      return { ...e, headers };
    };
    const a = await enroll('Poke A');
    const b = await enroll('Poke B');
    const authB = (path: string) => b.headers('GET', path);
    const stream = `store:${b.storeId}`;

    // B's cursor: pull the store stream to its end first.
    let cursor = 0;
    for (;;) {
      const path = `/api/v1/sync/pull?stream=${stream}&after=${cursor}&limit=2000`;
      const page = await json<PullResponse>(await fetch(base + path, { headers: authB(path) }));
      cursor = page.version;
      if (!page.more) break;
    }

    // B listens; each poke for its store stream past the cursor triggers a pull.
    let waiting: { saleId: string; resolve: () => void } | null = null;
    let pulling = false;
    const pullNow = async () => {
      if (pulling) return;
      pulling = true;
      try {
        for (;;) {
          const path = `/api/v1/sync/pull?stream=${stream}&after=${cursor}&limit=2000`;
          const page = await json<PullResponse>(await fetch(base + path, { headers: authB(path) }));
          cursor = page.version;
          if (waiting && page.changes.some((c) => c.table === 'sales' && c.key === waiting!.saleId)) {
            const w = waiting;
            waiting = null;
            w.resolve();
          }
          if (!page.more) break;
        }
      } finally {
        pulling = false;
      }
    };
    const res = await fetch(`${base}/api/v1/sync/events`, { headers: authB('/api/v1/sync/events'), signal: abort.signal });
    if (!res.ok || !res.body) throw new Error(`events ${res.status}`);
    const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
    let connected!: () => void;
    const ready = new Promise<void>((r) => (connected = r));
    void (async () => {
      let buf = '';
      try {
        for (;;) {
          const { value, done } = await reader.read();
          if (done) return;
          buf += value;
          let i: number;
          while ((i = buf.indexOf('\n\n')) >= 0) {
            const ev = buf.slice(0, i);
            buf = buf.slice(i + 2);
            if (ev.startsWith(': connected')) connected();
            const data = ev.split('\n').find((l) => l.startsWith('data: '));
            if (!data) continue;
            const p = JSON.parse(data.slice(6)) as Poke;
            if (p.stream === stream && p.version > cursor) void pullNow();
          }
        }
      } catch {
        /* aborted at the end */
      }
    })();
    await ready;

    const items = sellable(fx.chain, 1);
    let seq = 0;
    let wall = Date.UTC(2025, 5, 2, 9, 0, 0);
    const latencies: number[] = [];
    for (let n = 0; n < PUSHES + 5; n++) {
      const it = items[n % items.length]!;
      const saleId = randomUUID();
      seq += 1;
      const cmd = {
        id: randomUUID(),
        deviceId: a.deviceId,
        seq,
        type: 'sale.complete',
        v: 1,
        at: encodeHlc({ wall: ++wall, counter: 0, node: a.deviceId }),
        actor: CARLOS,
        payload: { saleId, storeId: a.storeId, receiptNo: `${a.storeId}-${a.deviceCode}-${String(seq).padStart(6, '0')}`, currency: 'EUR', lines: [{ sku: it.stock.sku, qty: 1, unitPrice: it.unitPrice }], tenders: [{ kind: 'cash', amount: it.unitPrice * 2 }] },
      };
      const seen = new Promise<void>((resolve) => (waiting = { saleId, resolve }));
      const t0 = performance.now();
      const body = JSON.stringify({ deviceId: a.deviceId, commands: [cmd] });
      const pushed = await json<PushResponse>(await fetch(`${base}/api/v1/sync/push`, { method: 'POST', headers: a.headers('POST', '/api/v1/sync/push', body), body }));
      if (pushed.results[0]?.status !== 'applied') throw new Error(`push not applied: ${JSON.stringify(pushed)}`);
      await Promise.race([seen, new Promise((_, rej) => setTimeout(() => rej(new Error('no poke within 5 s')), 5000))]);
      if (n >= 5) latencies.push(performance.now() - t0); // the first 5 warm up
      await new Promise((r) => setTimeout(r, 5));
    }

    const health: number[] = [];
    for (let n = 0; n < PUSHES + 5; n++) {
      const t0 = performance.now();
      await json(await fetch(`${base}/api/v1/health`));
      if (n >= 5) health.push(performance.now() - t0);
    }
    rows.push({ measure: `${backend}: push → poke → pull, p50`, value: fmtMs(p50(latencies)), baseline: fmtMs(p50(health)), ratio: ratio(p50(latencies), p50(health)) });
    rows.push({ measure: `${backend}: push → poke → pull, p95`, value: fmtMs(p95(latencies)), baseline: fmtMs(p95(health)), ratio: ratio(p95(latencies), p95(health)), target: `≤ ${TARGET_P95} ms ${verdict(p95(latencies) <= TARGET_P95)}` });
    rows.push({ measure: `${backend}: push → poke → pull, max`, value: fmtMs(Math.max(...latencies)), baseline: fmtMs(Math.max(...health)) });
  } finally {
    abort.abort();
    await fx.close();
  }
}

export async function benchPoke(): Promise<void> {
  const rows: Row[] = [];
  const notes = [
    'value = from the start of tablet A\'s POST /sync/push (one sale) until tablet B, poked over SSE (GET /sync/events, fetch streaming), has pulled a page containing that sale; sequential, 5 ms apart, first 5 discarded.',
    'baseline = a bare GET /api/v1/health round-trip on the same server (same keep-alive fetch).',
  ];
  await runBackend('sqlite', rows);
  const pg = pgStatus();
  if (pg.ok) await runBackend('postgres', rows);
  else notes.push(`PostgreSQL skipped: ${pg.reason}`);
  printTable('poke — push-to-pull latency across tablets', `params: seed 42, 500 SKUs, real server on 127.0.0.1 (random port), ${PUSHES} pushes per backend; on PostgreSQL the poke goes through LISTEN/NOTIFY`, rows, notes);
}
