// [EX2] A pull of the store's stream reports the tablet's unsent commands; the server publishes a
// `tablets` row (last sync in server time, unsent, oldest) on the store's stream for every tablet of
// the store, written again only when the figures change or the last sync is stale — so pulls that
// change nothing never bump the stream (no poke loop). SQLite and PostgreSQL.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { backends, seedSmall, type Backend, type TestDb } from './helpers/stores';
import { TestTablet, createTestApp, errorOf } from './helpers/client';
import type { PullResponse } from '../../src/core/sync/protocol';
import type { TabletRow } from '../../src/core/model';
import { TABLET_SYNC_EVERY_MS } from '../src/http/tablet-sync';

const T0 = Date.UTC(2026, 11, 1, 9, 0, 0);

function suite(backend: Backend) {
  describe.skipIf(backend.skip)(backend.name, () => {
    let db: TestDb;
    let app: FastifyInstance;
    let now = T0;

    beforeAll(async () => {
      db = await backend.open();
      await seedSmall(db.store);
      app = await createTestApp({ store: db.store, rollupIntervalMs: 0, clock: { now: () => now } });
    });
    afterAll(async () => {
      await app?.close();
      await db?.destroy();
    });

    const pull = (t: TestTablet, query: string, after = 0) => app.inject({ method: 'GET', url: `/api/v1/sync/pull?stream=store%3AS01&after=${after}${query}`, headers: t.auth });
    const tabletsIn = (r: { json: <T>() => T }) => r.json<PullResponse>().changes.filter((c) => c.table === 'tablets').map((c) => (c as { row: TabletRow }).row);

    it('[EX2] a store pull that reports unsent commands publishes the tablet row, and the tablet gets it back in the same page', async () => {
      const a = await TestTablet.enroll(app, 'Till A');
      const r = await pull(a, `&unsent=3&oldest=${T0 - 60_000}`);
      expect(r.statusCode).toBe(200);
      expect(tabletsIn(r)).toContainEqual({ id: a.id, storeId: 'S01', name: 'Till A', deviceCode: a.enrollment.deviceCode, lastSyncAt: new Date(T0).toISOString(), unsent: 3, oldestUnsentAt: new Date(T0 - 60_000).toISOString() });
    });

    it('[EX2] an unchanged report does not bump the stream until the last sync is stale; a change does at once', async () => {
      const b = await TestTablet.enroll(app, 'Till B');
      const head = async () => (await pull(b, '')).json<PullResponse>().version;
      await pull(b, '&unsent=2');
      const v1 = await head();
      now += 60_000;
      await pull(b, '&unsent=2', v1);
      expect(await head()).toBe(v1);
      // Another instance (no memory of what this one published) reads the row and agrees.
      const other = await db.another();
      const app2 = await createTestApp({ store: other, rollupIntervalMs: 0, clock: { now: () => now } });
      try {
        const r = await app2.inject({ method: 'GET', url: `/api/v1/sync/pull?stream=store%3AS01&after=${v1}&unsent=2`, headers: b.auth });
        expect(r.statusCode).toBe(200);
        expect(await head()).toBe(v1);
      } finally {
        await app2.close();
      }
      const sent = await pull(b, '&unsent=0', v1);
      expect(tabletsIn(sent)).toEqual([expect.objectContaining({ id: b.id, unsent: 0, lastSyncAt: new Date(now).toISOString() })]);
      expect(tabletsIn(sent)[0]).not.toHaveProperty('oldestUnsentAt');
      const v2 = await head();
      expect(v2).toBeGreaterThan(v1);
      now += TABLET_SYNC_EVERY_MS;
      const stale = await pull(b, '&unsent=0', v2);
      expect(tabletsIn(stale)).toEqual([expect.objectContaining({ id: b.id, unsent: 0, lastSyncAt: new Date(now).toISOString() })]);
    });

    it('[EX2] a pull without a report, or of another stream, publishes nothing; a bad report is a 400 in words', async () => {
      const c = await TestTablet.enroll(app, 'Till C');
      expect(tabletsIn(await pull(c, '')).some((t) => t.id === c.id)).toBe(false);
      const cat = await app.inject({ method: 'GET', url: '/api/v1/sync/pull?stream=catalog&after=0&limit=1&unsent=4', headers: c.auth });
      expect(cat.statusCode).toBe(200);
      expect(tabletsIn(await pull(c, '')).some((t) => t.id === c.id)).toBe(false);
      for (const bad of ['-1', '1.5', 'lots', '99999999']) {
        const r = await pull(c, `&unsent=${bad}`);
        expect(r.statusCode, bad).toBe(400);
        expect(errorOf(r).code).toBe('invalid-body');
      }
    });
  });
}

for (const b of backends) suite(b);
