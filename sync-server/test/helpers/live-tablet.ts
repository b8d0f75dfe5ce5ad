// Test helper: the tablet's real code (VitrineDb, dispatch, SyncEngine) against the real sync server
// (createApp over a seeded SQLite store) through a fetch adapter onto app.inject(). Answers carry a
// Date header from the server's clock, so the tablet can learn it [D8]; `block` lets a test cut the
// network for one tablet.
import type { FastifyInstance } from 'fastify';
import { createTestApp as createApp } from './client';
import { openSqliteDb, seedSmall, SEED_NOW, type TestDb } from './stores';
import type { GeneratedChain } from '../../src/seed/generate';
import type { EnrollResponse } from '../../../src/core/sync/protocol';
import { VitrineDb } from '../../../src/db/schema';
import { saveEnrollment } from '../../../src/db/device';
import { SyncEngine, type EngineOptions } from '../../../src/sync/engine';
import type { FetchLike } from '../../../src/sync/transport';

export interface LiveServer {
  app: FastifyInstance;
  db: TestDb;
  chain: GeneratedChain;
  /** The server's clock (ms); tests move it. */
  clock: { now: number };
  enroll(code?: string): Promise<EnrollResponse>;
  close(): Promise<void>;
}

export async function liveServer(): Promise<LiveServer> {
  const db = await openSqliteDb();
  const chain = await seedSmall(db.store);
  const clock = { now: SEED_NOW + 86_400_000 };
  const app = await createApp({ store: db.store, clock: { now: () => clock.now }, rollupIntervalMs: 0 });
  return {
    app,
    db,
    chain,
    clock,
    async enroll(code = 'DEMO-S01') {
      const r = await app.inject({ method: 'POST', url: '/api/v1/devices/enroll', payload: { code, name: 'Test till' } });
      if (r.statusCode !== 200) throw new Error(`enroll: ${r.statusCode} ${r.body}`);
      return r.json<EnrollResponse>();
    },
    async close() {
      await app.close();
      await db.destroy();
    },
  };
}

export interface TabletLink {
  /** While true, every request fails as if the network were down. */
  offline: boolean;
  /** Requests sent, as "METHOD /path". */
  sent: string[];
  /** Requests that fail as if the network dropped them ("METHOD /path"). */
  drop?: (request: string) => boolean;
  /** Requests the server answers with a fault (500 `server-fault`) instead of serving them. */
  fault?: (request: string) => boolean;
}

export function linkTo(server: LiveServer, link: TabletLink = { offline: false, sent: [] }): FetchLike {
  return (async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.toString() : input.url;
    const method = (init?.method ?? 'GET') as 'GET' | 'POST';
    const request = `${method} ${url.split('?')[0]}`;
    if (link.offline || link.drop?.(request)) throw new TypeError('fetch failed');
    link.sent.push(request);
    if (link.fault?.(request)) return new Response(JSON.stringify({ error: { code: 'server-fault', message: 'The server hit a fault.' } }), { status: 500, headers: { 'content-type': 'application/json' } });
    const headers = { ...((init?.headers as Record<string, string> | undefined) ?? {}) };
    const res = await server.app.inject({ method, url, headers, ...(typeof init?.body === 'string' ? { payload: init.body } : {}) });
    const h = new Headers({ date: new Date(server.clock.now).toUTCString() });
    const ct = res.headers['content-type'];
    if (typeof ct === 'string') h.set('content-type', ct);
    return new Response(res.body, { status: res.statusCode, headers: h });
  }) as FetchLike;
}

/** A tablet enrolled at S01 with its own database and engine (never started: it syncs when asked). */
export async function liveTablet(server: LiveServer, opts: { now?: () => number; engine?: EngineOptions; link?: TabletLink } = {}) {
  const enrollment = await server.enroll();
  const db = new VitrineDb(`live-${Date.now()}-${Math.random().toString(36).slice(2)}`);
  await saveEnrollment(db, enrollment, (opts.now ?? (() => server.clock.now))());
  const link = opts.link ?? { offline: false, sent: [] };
  const engine = new SyncEngine(db, { fetch: linkTo(server, link), now: opts.now ?? (() => server.clock.now), checksumEveryMs: 3_600_000, ...opts.engine });
  return { db, engine, enrollment, link };
}
