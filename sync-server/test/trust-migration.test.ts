// Migration 0003-trust on a database made by 0001 [T2]: associates' PIN digests leave the synced rows
// for the server-only table, each stripped row gets a new version (so tablets replace their copy at
// the next pull), and the PINs still work; devices and codes gain their columns without losing rows.
import { describe, it, expect } from 'vitest';
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes, webcrypto } from 'node:crypto';
import { Migrator } from 'kysely';
import { openSqlite } from '../src/store/open';
import { migrations } from '../src/store/migrations';
import { hashPin, verifyPin } from '../../src/core/shared/pin';

const subtle = webcrypto.subtle as unknown as SubtleCrypto;

describe('[T2] migration 0003-trust', () => {
  it('moves PIN digests out of the store stream, re-versions the rows, and keeps every device', async () => {
    const file = join(tmpdir(), `vitrine-0003-${randomBytes(4).toString('hex')}.sqlite`);
    const store = openSqlite(file);
    try {
      const only0001 = new Migrator({ db: store.db, provider: { getMigrations: async () => ({ '0001-initial': migrations('sqlite')['0001-initial']! }) } });
      expect((await only0001.migrateToLatest()).error).toBeUndefined();
      const salt = '00112233445566778899aabbccddeeff';
      const old = { id: 'A-S01-MARTA', storeId: 'S01', name: 'Marta', role: 'manager', pinSalt: salt, pinIterations: 1000, pinHash: await hashPin(subtle, '1111', salt, 1000), active: true };
      await store.db.insertInto('stream_versions').values({ stream: 'store:S01', version: 7 }).execute();
      await store.db.insertInto('rows').values({ tbl: 'associates', key: old.id, stream: 'store:S01', version: 7, data: JSON.stringify(old), deleted: 0 }).execute();
      await store.db.insertInto('devices').values({ id: 'dev-1', store_id: 'S01', name: 'Till', device_code: 'T01', token_hash: 'h', last_seq: 3, revoked: 0, created_at: 'x' } as never).execute();

      await store.migrate();

      const row = await store.db.selectFrom('rows').selectAll().where('key', '=', old.id).executeTakeFirstOrThrow();
      expect(JSON.parse(row.data!)).toEqual({ id: old.id, storeId: 'S01', name: 'Marta', role: 'manager', active: true });
      expect(Number(row.version)).toBe(8);
      expect(await store.streamVersion('store:S01')).toBe(8);
      const pin = await store.db.selectFrom('associate_pins').selectAll().where('associate_id', '=', old.id).executeTakeFirstOrThrow();
      expect(await verifyPin(subtle, '1111', { pinHash: pin.hash, pinSalt: pin.salt, pinIterations: pin.iterations })).toBe(true);
      const device = await store.db.selectFrom('devices').selectAll().executeTakeFirstOrThrow();
      expect(device).toMatchObject({ id: 'dev-1', last_seq: 3, public_key: null, revoked_at: null });
    } finally {
      await store.close();
      for (const s of ['', '-wal', '-shm']) rmSync(file + s, { force: true });
    }
  });
});
