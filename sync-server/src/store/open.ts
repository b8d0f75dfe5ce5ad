// Opens the configured store: embedded SQLite (WAL) by default, PostgreSQL when DATABASE_URL is set.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import type { DB } from './schema';
import { Store } from './store';

// int8 (bigint) comes back as a JS number: versions and amounts stay far below 2^53.
pg.types.setTypeParser(20, (v) => Number(v));

/**
 * Kysely's SQLite driver prepares every query afresh; preparing costs more than running these small
 * statements. Reuse prepared statements by SQL text (bounded, since multi-row inserts vary in shape).
 */
function cachingStatements(database: Database.Database) {
  const cache = new Map<string, Database.Statement>();
  return {
    close: () => database.close(),
    prepare(sqlText: string) {
      let st = cache.get(sqlText);
      if (!st) {
        if (cache.size >= 1000) cache.clear();
        st = database.prepare(sqlText);
        cache.set(sqlText, st);
      }
      return st;
    },
  };
}

export function openSqlite(file: string): Store {
  if (file !== ':memory:') mkdirSync(join(file, '..'), { recursive: true });
  const database = new Database(file);
  database.pragma('journal_mode = WAL');
  // [D9] FULL: a commit is on disk before the push is answered. NORMAL (WAL) could lose the last
  // commits on power failure after the tablet had dropped the acknowledged commands from its outbox.
  database.pragma('synchronous = FULL');
  database.pragma('busy_timeout = 5000');
  return new Store(new Kysely<DB>({ dialect: new SqliteDialect({ database: cachingStatements(database) }) }), 'sqlite');
}

export function openPostgres(url: string, poolSize = 10): Store {
  const pool = new pg.Pool({ connectionString: url, max: poolSize });
  // An idle connection the server drops (restart, failover) must not crash the process: the pool
  // replaces it, and the request that needs it next retries or answers 5xx.
  pool.on('error', (err) => console.warn(`PostgreSQL connection lost: ${err.message}`));
  // A connection that dies while checked out (mid-transaction) emits 'error' on its client, which
  // nothing else listens to: without this, the process exits. The query in flight fails on its own
  // (its request answers 5xx and the tablet retries); the pool discards the broken client.
  pool.on('connect', (client) => client.on('error', (err) => console.warn(`PostgreSQL connection lost mid-request: ${err.message}`)));
  const listen = async (channel: string, onMessage: (payload: string) => void) => {
    const client = new pg.Client({ connectionString: url });
    client.on('error', (err) => console.warn(`PostgreSQL LISTEN connection lost: ${err.message}`));
    await client.connect();
    client.on('notification', (n) => {
      if (n.channel === channel && n.payload) onMessage(n.payload);
    });
    await client.query(`LISTEN ${channel}`);
    return async () => {
      await client.end().catch(() => undefined);
    };
  };
  return new Store(new Kysely<DB>({ dialect: new PostgresDialect({ pool }) }), 'postgres', listen);
}

export function openStore(env: { DATABASE_URL?: string | undefined; DATA_DIR?: string | undefined }): Store {
  if (env.DATABASE_URL) return openPostgres(env.DATABASE_URL);
  return openSqlite(join(env.DATA_DIR ?? 'data', 'vitrine.sqlite'));
}
