// Additive-only schema migrations. A shipped migration is never edited: add a new one.
import { sql, type Kysely, type Migration } from 'kysely';
import type { DB } from './schema';
import { purchaseIndexOf, writePurchaseIndex } from './purchase-index';

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
    '0003-trust': {
      // [T1] device keys, [T4] expiring codes, revocation time, [T2] PIN verifiers out of the stream.
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      async up(db: Kysely<any>) {
        await db.schema.alterTable('devices').addColumn('public_key', 'text').execute();
        await db.schema.alterTable('devices').addColumn('revoked_at', 'text').execute();
        await db.schema.alterTable('enrollment_codes').addColumn('expires_at', 'text').execute();
        await db.schema
          .createTable('associate_pins')
          .addColumn('associate_id', 'text', (c) => c.primaryKey())
          .addColumn('salt', 'text', (c) => c.notNull())
          .addColumn('iterations', 'integer', (c) => c.notNull())
          .addColumn('hash', 'text', (c) => c.notNull())
          .addColumn('fails', 'integer', (c) => c.notNull().defaultTo(0))
          .addColumn('locked_until', 'text')
          .execute();
        // Move the PIN material of existing associates out of their synced rows; each stripped row
        // gets a new version of its stream, so tablets replace the copy that held the hash [T2].
        const rows = await db.selectFrom('rows').select(['key', 'stream', 'data']).where('tbl', '=', 'associates').where('deleted', '=', 0).execute();
        for (const r of rows as { key: string; stream: string; data: string }[]) {
          const { pinHash, pinSalt, pinIterations, ...rest } = JSON.parse(r.data) as Record<string, unknown>;
          if (typeof pinHash !== 'string') continue;
          await db.insertInto('associate_pins').values({ associate_id: r.key, salt: pinSalt, iterations: pinIterations, hash: pinHash, fails: 0, locked_until: null }).execute();
          await db.insertInto('stream_versions').values({ stream: r.stream, version: 0 }).onConflict((oc) => oc.column('stream').doNothing()).execute();
          const v = await db.selectFrom('stream_versions').select('version').where('stream', '=', r.stream).executeTakeFirstOrThrow();
          const version = Number((v as { version: number }).version) + 1;
          await db.updateTable('stream_versions').set({ version }).where('stream', '=', r.stream).execute();
          await db.updateTable('rows').set({ data: JSON.stringify(rest), version }).where('tbl', '=', 'associates').where('key', '=', r.key).execute();
        }
      },
    },
    '0005-catalog-product-documents': {
      // The catalog becomes product documents with their variants embedded, and network
      // availability one row per product (`productAvailability`). `catalog_skus` is the index that
      // finds a product by any of its SKUs (what `StoreTx.productsBySku` reads). Rows of the flat
      // layout are converted: each product is rewritten with its variants under a new catalog
      // version, the retired `variants` and `availability` rows are removed (not tombstoned: a
      // tablet on the new schema re-bootstraps those streams, and one on the old schema finds its
      // checksum differs and does the same [P7]), and every SKU is marked for the roll-up.
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      async up(db: Kysely<any>) {
        await db.schema
          .createTable('catalog_skus')
          .addColumn('sku', 'text', (c) => c.primaryKey())
          .addColumn('product_id', 'text', (c) => c.notNull())
          .execute();
        await db.schema.createIndex('catalog_skus_product').on('catalog_skus').column('product_id').execute();
        // In version order: the order the catalog published its variants in (sizes S, M, L …).
        const variants = (await db.selectFrom('rows').select('data').where('tbl', '=', 'variants').where('deleted', '=', 0).orderBy('version').execute()) as { data: string | null }[];
        const byProduct = new Map<string, Record<string, unknown>[]>();
        for (const r of variants) {
          if (!r.data) continue;
          const { productId, ...v } = JSON.parse(r.data) as { productId: string } & Record<string, unknown>;
          byProduct.set(productId, [...(byProduct.get(productId) ?? []), v]);
        }
        const products = (await db.selectFrom('rows').select(['key', 'data']).where('tbl', '=', 'products').where('deleted', '=', 0).orderBy('version').execute()) as { key: string; data: string | null }[];
        const counter = (await db.selectFrom('stream_versions').select('version').where('stream', '=', 'catalog').executeTakeFirst()) as { version: number | string } | undefined;
        let version = Number(counter?.version ?? 0);
        const skus: { sku: string; product_id: string }[] = [];
        for (const p of products) {
          if (!p.data) continue;
          const row = JSON.parse(p.data) as { variants?: { sku: string }[] };
          const embedded = row.variants ?? byProduct.get(p.key) ?? [];
          for (const v of embedded) skus.push({ sku: String(v.sku), product_id: p.key });
          if (row.variants) continue;
          version += 1;
          await db.updateTable('rows').set({ data: JSON.stringify({ ...row, variants: embedded }), version }).where('tbl', '=', 'products').where('key', '=', p.key).execute();
        }
        if (counter) await db.updateTable('stream_versions').set({ version }).where('stream', '=', 'catalog').execute();
        await db.deleteFrom('rows').where('tbl', 'in', ['variants', 'availability']).execute();
        for (let i = 0; i < skus.length; i += 400) {
          const part = skus.slice(i, i + 400);
          await db.insertInto('catalog_skus').values(part).execute();
          await db
            .insertInto('dirty_skus')
            .values(part.map((s) => ({ sku: s.sku, gen: 1 })))
            .onConflict((oc) => oc.column('sku').doNothing())
            .execute();
        }
      },
    },
    '0007-loyalty': {
      // [LO2] Balances become sums of ledger entries. A store seeded before store credit had opening
      // entries (or written by any path that set a balance without an entry) gets one opening entry
      // per account for the difference, so Σ entries equals what every tablet already shows.
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      async up(db: Kysely<any>) {
        const customers = (await db.selectFrom('rows').select(['key', 'data']).where('tbl', '=', 'customers').where('deleted', '=', 0).execute()) as { key: string; data: string | null }[];
        if (customers.length === 0) return;
        const sums = (await db.selectFrom('ledger').select((eb) => ['account', eb.fn.sum('amount').as('total')]).groupBy('account').execute()) as { account: string; total: number | string }[];
        const byAccount = new Map(sums.map((r) => [r.account, Number(r.total)]));
        const seen = new Set<string>();
        const opening: { id: string; account: string; amount: number; command_id: string }[] = [];
        for (const c of customers) {
          if (!c.data || seen.has(c.key)) continue;
          seen.add(c.key);
          const row = JSON.parse(c.data) as { points?: number; storeCredit?: number };
          for (const [kind, value] of [['points', row.points ?? 0], ['credit', row.storeCredit ?? 0]] as const) {
            const account = `${kind}:${c.key}`;
            const diff = value - (byAccount.get(account) ?? 0);
            if (diff !== 0) opening.push({ id: `opening:${account}`, account, amount: diff, command_id: '0007-loyalty' });
          }
        }
        for (let i = 0; i < opening.length; i += 400) await db.insertInto('ledger').values(opening.slice(i, i + 400)).execute();
      },
    },
    '0008-purchase-numbers-price-lows': {
      // [RE1] Two indexes written with every sale and order from now on (StoreTx.flush): purchases by
      // number (`purchase_numbers`, decision 67: the returns lookup and [RE7] checks no longer scan
      // stored rows with LIKE) and the lowest unit price per SKU, currency and UTC day (`price_lows`,
      // decision 65: a no-receipt return's price), with `price_dirty`, the SKUs the price roll-up
      // has to republish. Backfilled here from every stored sale and order, a page at a time.
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      async up(db: Kysely<any>) {
        await db.schema
          .createTable('purchase_numbers')
          .addColumn('number', 'text', (c) => c.notNull())
          .addColumn('tbl', 'text', (c) => c.notNull())
          .addColumn('key', 'text', (c) => c.notNull())
          .addPrimaryKeyConstraint('purchase_numbers_pk', ['number', 'tbl', 'key'])
          .execute();
        await db.schema
          .createTable('price_lows')
          .addColumn('sku', 'text', (c) => c.notNull())
          .addColumn('currency', 'text', (c) => c.notNull())
          .addColumn('day', 'integer', (c) => c.notNull())
          .addColumn('price', sql.raw(bigint), (c) => c.notNull())
          .addPrimaryKeyConstraint('price_lows_pk', ['sku', 'currency', 'day'])
          .execute();
        // The daily pass reads a window of days for every SKU, and prunes old days.
        await db.schema.createIndex('price_lows_day').on('price_lows').column('day').execute();
        await db.schema
          .createTable('price_dirty')
          .addColumn('sku', 'text', (c) => c.primaryKey())
          .addColumn('gen', sql.raw(bigint), (c) => c.notNull().defaultTo(0))
          .execute();
        for (const tbl of ['sales', 'orders']) {
          let after: { key: string; stream: string } | undefined;
          for (;;) {
            let q = db.selectFrom('rows').select(['tbl', 'key', 'stream', 'data']).where('tbl', '=', tbl).where('deleted', '=', 0);
            if (after) {
              const a = after;
              q = q.where((eb) => eb.or([eb('key', '>', a.key), eb.and([eb('key', '=', a.key), eb('stream', '>', a.stream)])]));
            }
            const page = (await q.orderBy('key').orderBy('stream').limit(2000).execute()) as { tbl: string; key: string; stream: string; data: string | null }[];
            if (page.length === 0) break;
            await writePurchaseIndex(db as Kysely<DB>, purchaseIndexOf(page), dialect);
            const last = page[page.length - 1]!;
            after = { key: last.key, stream: last.stream };
          }
        }
      },
    },
    '0009-points-expiry-outbox-redaction': {
      // [LO2] Ledger entries get the server time they were written (`at`, ms), which points expiry
      // dates lots by. Entries from before count as earned now: nobody loses points to a rule they
      // were never told about. Each customer holding points gets the next expiry on their row (a new
      // version of the customers stream, so tablets show it) and the job that will expire them [J2].
      // [CL6] `notifications.redacted_at`: when an erasure blanked a notice's recipient and body.
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      async up(db: Kysely<any>) {
        await db.schema.alterTable('ledger').addColumn('at', sql.raw(bigint)).execute();
        await db.schema.alterTable('notifications').addColumn('redacted_at', 'text').execute();
        const now = Date.now();
        await db.updateTable('ledger').set({ at: now }).where('at', 'is', null).execute();
        // Valid through the end of the 12th month after this one (the default of LOYALTY.expiryMonths).
        const d = new Date(now);
        const on = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 13, 0)).toISOString().slice(0, 10);
        const runAt = Date.parse(`${on}T00:00:00Z`) + 86_400_000;
        const sums = (await db.selectFrom('ledger').select((eb) => ['account', eb.fn.sum('amount').as('total')]).where('account', 'like', 'points:%').groupBy('account').execute()) as { account: string; total: number | string }[];
        const held = new Map(sums.filter((r) => Number(r.total) > 0).map((r) => [r.account.slice('points:'.length), Number(r.total)]));
        if (held.size === 0) return;
        const rows = (await db.selectFrom('rows').select(['key', 'stream', 'data']).where('tbl', '=', 'customers').where('deleted', '=', 0).execute()) as { key: string; stream: string; data: string | null }[];
        const counter = (await db.selectFrom('stream_versions').select('version').where('stream', '=', 'customers').executeTakeFirst()) as { version: number | string } | undefined;
        let version = Number(counter?.version ?? 0);
        const jobs: Record<string, unknown>[] = [];
        for (const r of rows) {
          const points = held.get(r.key);
          if (!r.data || points === undefined || r.stream !== 'customers') continue;
          version += 1;
          await db.updateTable('rows').set({ data: JSON.stringify({ ...(JSON.parse(r.data) as object), pointsExpiring: { points, on } }), version }).where('tbl', '=', 'customers').where('key', '=', r.key).where('stream', '=', 'customers').execute();
          const id = `loyalty.expire:${r.key}:${on}`;
          jobs.push({ id, kind: 'loyalty.expire', key: `${r.key}:${on}`, payload: JSON.stringify({ customerId: r.key, day: on }), run_at: runAt, status: 'pending', attempts: 0, last_error: null, lease_until: null, created_by: '0009-points-expiry-outbox-redaction', created_at: d.toISOString(), done_at: null });
        }
        if (counter) await db.updateTable('stream_versions').set({ version }).where('stream', '=', 'customers').execute();
        for (let i = 0; i < jobs.length; i += 200) await db.insertInto('jobs').values(jobs.slice(i, i + 200)).onConflict((oc) => oc.column('id').doNothing()).execute();
      },
    },
  };
}
