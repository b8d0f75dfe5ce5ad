// Additive-only schema migrations. A shipped migration is never edited: add a new one.
import { sql, type Kysely, type Migration } from 'kysely';

type Dialect = 'sqlite' | 'postgres';

export function migrations(dialect: Dialect): Record<string, Migration> {
  const bigint = dialect === 'postgres' ? 'bigint' : 'integer';
  const serial = dialect === 'postgres' ? 'serial' : 'integer';
  return {
    '0001-initial': {
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      async up(db: Kysely<any>) {
        await db.schema
          .createTable('stream_versions')
          .addColumn('stream', 'text', (c) => c.primaryKey())
          .addColumn('version', sql.raw(bigint), (c) => c.notNull())
          .execute();
        await db.schema
          .createTable('rows')
          .addColumn('tbl', 'text', (c) => c.notNull())
          .addColumn('key', 'text', (c) => c.notNull())
          .addColumn('stream', 'text', (c) => c.notNull())
          .addColumn('version', sql.raw(bigint), (c) => c.notNull())
          .addColumn('data', 'text')
          .addColumn('deleted', 'integer', (c) => c.notNull().defaultTo(0))
          .addPrimaryKeyConstraint('rows_pk', ['tbl', 'key'])
          .execute();
        await db.schema.createIndex('rows_stream_version').on('rows').columns(['stream', 'version']).execute();
        await db.schema
          .createTable('devices')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('store_id', 'text', (c) => c.notNull())
          .addColumn('name', 'text', (c) => c.notNull())
          .addColumn('device_code', 'text', (c) => c.notNull())
          .addColumn('token_hash', 'text', (c) => c.notNull().unique())
          .addColumn('last_seq', sql.raw(bigint), (c) => c.notNull().defaultTo(0))
          .addColumn('revoked', 'integer', (c) => c.notNull().defaultTo(0))
          .addColumn('created_at', 'text', (c) => c.notNull())
          .execute();
        // Receipt numbers carry the device code: two tablets of a store must never share one.
        await db.schema.createIndex('devices_store_code').on('devices').columns(['store_id', 'device_code']).unique().execute();
        await db.schema
          .createTable('enrollment_codes')
          .addColumn('code', 'text', (c) => c.primaryKey())
          .addColumn('store_id', 'text', (c) => c.notNull())
          .addColumn('reusable', 'integer', (c) => c.notNull().defaultTo(0))
          .addColumn('used_by', 'text')
          .addColumn('created_at', 'text', (c) => c.notNull())
          .execute();
        await db.schema
          .createTable('commands')
          .addColumn('device_id', 'text', (c) => c.notNull())
          .addColumn('seq', sql.raw(bigint), (c) => c.notNull())
          .addColumn('id', 'text', (c) => c.notNull())
          .addColumn('type', 'text', (c) => c.notNull())
          .addColumn('hash', 'text', (c) => c.notNull())
          .addColumn('status', 'text', (c) => c.notNull())
          .addColumn('result', 'text', (c) => c.notNull())
          .addColumn('received_at', 'text', (c) => c.notNull())
          .addPrimaryKeyConstraint('commands_pk', ['device_id', 'seq'])
          .execute();
        await db.schema.createIndex('commands_id').on('commands').column('id').execute();
        await db.schema
          .createTable('movements')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('location_id', 'text', (c) => c.notNull())
          .addColumn('sku', 'text', (c) => c.notNull())
          .addColumn('qty', 'integer', (c) => c.notNull())
          .addColumn('kind', 'text', (c) => c.notNull())
          .addColumn('command_id', 'text', (c) => c.notNull())
          .execute();
        await db.schema.createIndex('movements_loc_sku').on('movements').columns(['location_id', 'sku']).execute();
        await db.schema
          .createTable('ledger')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('account', 'text', (c) => c.notNull())
          .addColumn('amount', sql.raw(bigint), (c) => c.notNull())
          .addColumn('command_id', 'text', (c) => c.notNull())
          .execute();
        await db.schema.createIndex('ledger_account').on('ledger').column('account').execute();
        await db.schema
          .createTable('dirty_skus')
          .addColumn('sku', 'text', (c) => c.primaryKey())
          .addColumn('gen', sql.raw(bigint), (c) => c.notNull().defaultTo(0))
          .execute();
        await db.schema
          .createTable('meta')
          .addColumn('key', 'text', (c) => c.primaryKey())
          .addColumn('value', 'text', (c) => c.notNull())
          .execute();
        await db.schema
          .createTable('api_keys')
          .addColumn('key_hash', 'text', (c) => c.primaryKey())
          .addColumn('channel', 'text', (c) => c.notNull())
          .addColumn('created_at', 'text', (c) => c.notNull())
          .execute();
        await db.schema
          .createTable('notifications')
          .addColumn('id', sql.raw(serial), (c) => (dialect === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement()))
          .addColumn('kind', 'text', (c) => c.notNull())
          .addColumn('recipient', 'text', (c) => c.notNull())
          .addColumn('payload', 'text', (c) => c.notNull())
          .addColumn('created_at', 'text', (c) => c.notNull())
          .addColumn('sent_at', 'text')
          .execute();
      },
    },
    '0002-origins-jobs-membership': {
      // [M1] A row is stored once per stream it is a member of: (tbl, key, stream) is the key, and each
      // copy carries its stream's version, so a pull stays one indexed range scan splicing stored JSON.
      // [O3] `written_by` is the command that last wrote the row (null for seeded rows).
      // [O1] `commands.origin` says which origin recorded the result. [J1] `jobs` holds follow-ups.
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      async up(db: Kysely<any>) {
        if (dialect === 'postgres') {
          await sql`alter table rows add column written_by text`.execute(db);
          await sql`alter table rows drop constraint rows_pk`.execute(db);
          await sql`alter table rows add constraint rows_pk primary key (tbl, key, stream)`.execute(db);
        } else {
          // SQLite cannot change a primary key in place: copy into a new table.
          await sql`create table rows_m (tbl text not null, key text not null, stream text not null, version integer not null, data text, deleted integer not null default 0, written_by text, constraint rows_pk primary key (tbl, key, stream))`.execute(db);
          await sql`insert into rows_m (tbl, key, stream, version, data, deleted) select tbl, key, stream, version, data, deleted from rows`.execute(db);
          await sql`drop table rows`.execute(db);
          await sql`alter table rows_m rename to rows`.execute(db);
          await db.schema.createIndex('rows_stream_version').on('rows').columns(['stream', 'version']).execute();
        }
        await db.schema.alterTable('commands').addColumn('origin', 'text', (c) => c.notNull().defaultTo('device')).execute();
        await db.schema
          .createTable('jobs')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('kind', 'text', (c) => c.notNull())
          .addColumn('key', 'text', (c) => c.notNull())
          .addColumn('payload', 'text', (c) => c.notNull())
          .addColumn('run_at', sql.raw(bigint), (c) => c.notNull())
          .addColumn('status', 'text', (c) => c.notNull())
          .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
          .addColumn('last_error', 'text')
          .addColumn('lease_until', sql.raw(bigint))
          .addColumn('created_by', 'text', (c) => c.notNull())
          .addColumn('created_at', 'text', (c) => c.notNull())
          .addColumn('done_at', 'text')
          .execute();
        await db.schema.createIndex('jobs_due').on('jobs').columns(['status', 'run_at']).execute();
      },
    },
  };
}
