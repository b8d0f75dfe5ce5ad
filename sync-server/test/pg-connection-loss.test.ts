// [P2] A PostgreSQL connection that dies while a transaction holds it (a failover, an administrator's
// pg_terminate_backend, a killed instance's peer) fails that transaction only: the server process
// lives on and the next transaction gets a fresh connection.
import { describe, it, expect } from 'vitest';
import { sql } from 'kysely';
import { adminClient, openPostgresDb, skipPg, pgUnavailableReason } from './helpers/stores';

describe.skipIf(skipPg)(`PostgreSQL connection loss${skipPg ? ` (skipped: ${pgUnavailableReason})` : ''}`, () => {
  it('[P2] a connection terminated mid-transaction fails that transaction, not the process; the next one succeeds', async () => {
    const db = await openPostgresDb(2);
    const admin = await adminClient();
    try {
      const failed = db.store.transaction(async (tx) => {
        const { rows } = await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(tx.db);
        await admin.query('select pg_terminate_backend($1)', [rows[0]!.pid]);
        // The connection is gone: this statement fails, and the client emits 'error' besides.
        await sql`select 1`.execute(tx.db);
      });
      await expect(failed).rejects.toThrow();
      // Still alive, and the pool hands out a working connection.
      const v = await db.store.transaction(async (tx) => (await sql<{ v: number }>`select 41 + 1 as v`.execute(tx.db)).rows[0]!.v);
      expect(Number(v)).toBe(42);
    } finally {
      await admin.end();
      await db.destroy();
    }
  });
});
