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
  };
}
