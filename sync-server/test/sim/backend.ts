// Databases for the sync simulation. Seeding hashes associate PINs with a slow KDF (~1.5 s), so the
// seeded small chain is made once per process as a template — a SQLite file copied per run, a
// PostgreSQL template database cloned per run — and every run starts from identical bytes.
import { randomBytes } from 'node:crypto';
import { copyFileSync, existsSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { Kysely, PostgresDialect, sql } from 'kysely';
import { openPostgres, openSqlite } from '../../src/store/open';
import { Store } from '../../src/store/store';
import type { DB } from '../../src/store/schema';
import type { GeneratedChain } from '../../src/seed/generate';
import { adminClient, adminUrl, seedSmall } from '../helpers/stores';

export type SimBackend = 'sqlite' | 'postgres';

/**
 * Where the runs' SQLite files live: memory-backed /dev/shm where there is one (SIM_DIR overrides).
 * The simulation's crashes are of processes and connections, not of the disk, so a flush to a real
 * disk measures nothing it checks; on this 2-core host it cost ~15 % of a seed's time.
 */
const simDir = () => process.env.SIM_DIR ?? (existsSync('/dev/shm') ? '/dev/shm' : tmpdir());

const uniq = () => `${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
const pgUrl = adminUrl;

async function adminQuery(q: string): Promise<void> {
  const c = await adminClient();
  try {
    await c.query(q);
  } finally {
    await c.end();
  }
}

interface Template {
  /** SQLite: the template file; PostgreSQL: the template database name. */
  ref: string;
  chain: GeneratedChain;
}

const templates = new Map<SimBackend, Promise<Template>>();

async function makeTemplate(backend: SimBackend): Promise<Template> {
  if (backend === 'sqlite') {
    const file = join(simDir(), `vitrine-simtpl-${uniq()}.sqlite`);
    const store = openSqlite(file);
    await store.migrate();
    const chain = await seedSmall(store);
    await sql`pragma wal_checkpoint(TRUNCATE)`.execute(store.db);
    await store.close();
    return { ref: file, chain };
  }
  const name = `vitrine_simtpl_${uniq()}`;
  await adminQuery(`CREATE DATABASE ${name}`);
  const store = openPostgres(pgUrl(name), 4);
  await store.migrate();
  const chain = await seedSmall(store);
  await store.close();
  return { ref: name, chain };
}

function template(backend: SimBackend): Promise<Template> {
  let t = templates.get(backend);
  if (!t) {
    t = makeTemplate(backend);
    templates.set(backend, t);
  }
  return t;
}

/** Deletes the templates made by this process (call once at the end). */
export async function disposeTemplates(): Promise<void> {
  for (const [backend, p] of templates) {
    const t = await p.catch(() => undefined);
    if (!t) continue;
    if (backend === 'sqlite') for (const s of ['', '-wal', '-shm']) rmSync(t.ref + s, { force: true });
    else await adminQuery(`DROP DATABASE IF EXISTS ${t.ref} WITH (FORCE)`).catch(() => undefined);
  }
  templates.clear();
}

/** One run's database: a fresh copy of the seeded template that can be (re)opened any number of times. */
export interface SimDatabase {
  readonly chain: GeneratedChain;
  /** Opens a new Store on the run's database (migrations are idempotent); `label` names its connections. */
  open(label?: string): Promise<Store>;
  /**
   * PostgreSQL only: ends every connection opened under `label` at once, as if that server process
   * died (a transaction in flight is rolled back by PostgreSQL). Resolves to how many it ended.
   */
  kill?(label: string): Promise<number>;
  /** Deletes the run's database (every Store on it must be closed). */
  destroy(): Promise<void>;
}

export async function createSimDatabase(backend: SimBackend): Promise<SimDatabase> {
  const t = await template(backend);
  if (backend === 'sqlite') {
    const file = join(simDir(), `vitrine-sim-${uniq()}.sqlite`);
    copyFileSync(t.ref, file);
    return {
      chain: t.chain,
      async open() {
        const s = openSqlite(file);
        await s.migrate();
        return s;
      },
      async destroy() {
        for (const s of ['', '-wal', '-shm']) rmSync(file + s, { force: true });
      },
    };
  }
  const name = `vitrine_sim_${uniq()}`;
  await adminQuery(`CREATE DATABASE ${name} TEMPLATE ${t.ref}`);
  return {
    chain: t.chain,
    async open(label) {
      const s = label ? openKillable(`${pgUrl(name)}?application_name=${label}`, 6) : openPostgres(pgUrl(name), 6);
      await s.migrate();
      return s;
    },
    async kill(label) {
      const c = await adminClient();
      try {
        const r = await c.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND application_name = $2', [name, label]);
        return r.rowCount ?? 0;
      } finally {
        await c.end();
      }
    },
    async destroy() {
      await adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    },
  };
}

/**
 * A PostgreSQL store as `openPostgres` builds it, plus an error listener on every connection, also
 * while a transaction holds it. Without one, a connection ended in the middle of a transaction (an
 * instance "killed mid-batch" here; a failover or pg_terminate_backend in production) emits an
 * unhandled 'error' and takes the whole Node process down — here, the simulation with it.
 * `openPostgres` listens only on idle connections; this is reported, and the simulation keeps its own.
 */
function openKillable(url: string, poolSize: number): Store {
  const pool = new pg.Pool({ connectionString: url, max: poolSize });
  const lost = () => undefined; // the query in flight fails on its own; the pool replaces the connection
  pool.on('error', lost);
  pool.on('connect', (client) => client.on('error', lost));
  const listen = async (channel: string, onMessage: (payload: string) => void) => {
    const client = new pg.Client({ connectionString: url });
    client.on('error', lost);
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
