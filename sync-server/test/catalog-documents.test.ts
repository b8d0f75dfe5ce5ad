// The catalog as product documents [P1], on SQLite and PostgreSQL: products found by SKU through
// `catalog_skus` (what handlers read via lookupSkus), the index following rewritten documents, a
// price change re-sending one document, and migration 0005 converting a flat catalog in place.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { sql } from 'kysely';
import { backends, seedSmall, type TestDb } from './helpers/stores';
import type { GeneratedChain } from '../src/seed/generate';
import { rollUpAvailability } from '../src/oms/rollup';
import { migrations } from '../src/store/migrations';
import { lookupSkus } from '../../src/core/catalog/sku-lookup';
import type { AvailabilityRow, ProductRow } from '../../src/core/model';
import type { Minor } from '../../src/core/shared/brand';

for (const backend of backends) {
  describe.skipIf(backend.skip)(`${backend.name}: product documents`, () => {
    let db: TestDb;
    let chain: GeneratedChain;
    beforeAll(async () => {
      db = await backend.open();
      chain = await seedSmall(db.store);
    });
    afterAll(async () => db?.destroy());

    it('[P1] the catalog stream carries one row per product, each with its variants embedded', async () => {
      const page = await db.store.pull('catalog', 0, 1000);
      expect(page.changes.map((c) => c.table)).toEqual(chain.products.map(() => 'products'));
      const skus = page.changes.flatMap((c) => ('row' in c ? (c.row as ProductRow).variants.map((v) => v.sku) : []));
      expect(skus.sort()).toEqual(chain.variants.map((v) => v.sku).sort());
    });

    it('[P1] lookupSkus finds each SKU through the products-by-SKU index, aligned with the SKUs asked', async () => {
      const [a, b] = [chain.variants[0]!, chain.variants[chain.variants.length - 1]!];
      const found = await db.store.transaction((tx) => lookupSkus(tx, [b.sku, 'NO-SUCH-SKU', a.sku, b.sku]));
      expect(found.map((f) => f?.sku)).toEqual([b.sku, undefined, a.sku, b.sku]);
      expect(found[0]).toMatchObject({ productId: b.productId, barcode: b.barcode, prices: b.prices });
      expect(found[2]?.name).toBe(chain.products.find((p) => p.id === a.productId)!.name);
    });

    it('[P1] a price change re-sends one product document, and the SKU index follows a document whose variants change', async () => {
      const p = chain.products[1]!;
      const gone = p.variants[0]!.sku;
      const v0 = await db.store.streamVersion('catalog');
      const changed: ProductRow = { ...p, variants: [...p.variants.slice(1).map((v) => ({ ...v, prices: { ...v.prices, EUR: ((v.prices.EUR ?? 0) + 100) as Minor } })), { ...p.variants[0]!, sku: `${p.id}-NEW` as never }] };
      await db.store.transaction(async (tx) => {
        await tx.lockStreams(['catalog']);
        await tx.putRows([{ table: 'products', key: p.id, stream: 'catalog', row: changed }]);
      });
      const page = await db.store.pull('catalog', v0, 100);
      expect(page.changes).toHaveLength(1);
      const found = await db.store.transaction((tx) => lookupSkus(tx, [gone, `${p.id}-NEW`, p.variants[1]!.sku]));
      expect(found[0]).toBeUndefined();
      expect(found[1]?.productId).toBe(p.id);
      expect(found[2]?.prices.EUR).toBe((p.variants[1]!.prices.EUR ?? 0) + 100);
    });

    it('[P1] a product document another instance rewrote is read anew, never from the parsed documents an instance keeps (decision 80)', async () => {
      const p = chain.products[2]!;
      const sku = p.variants[0]!.sku;
      const before = await db.store.transaction((tx) => lookupSkus(tx, [sku]));
      expect(before[0]?.prices.EUR).toBe(p.variants[0]!.prices.EUR);
      // Kept documents are shared by every transaction of the instance: one changed in place throws.
      const doc = await db.store.transaction((tx) => tx.get('products', p.id));
      expect(() => {
        (doc!.variants[0]!.prices as Record<string, number>).EUR = 1;
      }).toThrow(TypeError);
      const other = await db.another();
      const raised = ((p.variants[0]!.prices.EUR ?? 0) + 250) as Minor;
      await other.transaction(async (tx) => {
        await tx.lockStreams(['catalog']);
        await tx.putRows([{ table: 'products', key: p.id, stream: 'catalog', row: { ...p, variants: [{ ...p.variants[0]!, prices: { ...p.variants[0]!.prices, EUR: raised } }, ...p.variants.slice(1)] } }]);
      });
      const after = await db.store.transaction((tx) => lookupSkus(tx, [sku]));
      expect(after[0]?.prices.EUR).toBe(raised);
    });

    it('[P2] migration 0005 turns a flat catalog into product documents and availability per product', async () => {
      const store = db.store;
      // Put the database back as it was before 0005: flat variants and availability rows.
      await sql`drop table catalog_skus`.execute(store.db);
      await store.db.deleteFrom('rows').where('tbl', 'in', ['products', 'productAvailability']).execute();
      const flat = chain.products.slice(0, 3);
      let v = await store.streamVersion('catalog');
      for (const p of flat) {
        const { variants, ...product } = p;
        await store.db.insertInto('rows').values({ tbl: 'products', key: p.id, stream: 'catalog', version: ++v, data: JSON.stringify(product), deleted: 0 }).execute();
        for (const x of variants) {
          await store.db.insertInto('rows').values({ tbl: 'variants', key: x.sku, stream: 'catalog', version: ++v, data: JSON.stringify({ ...x, productId: p.id }), deleted: 0 }).execute();
          await store.db.insertInto('rows').values({ tbl: 'availability', key: x.sku, stream: 'network', version: 1_000_000 + v, data: JSON.stringify({ sku: x.sku, by: {}, at: 1 }), deleted: 0 }).execute();
        }
      }
      await store.db.updateTable('stream_versions').set({ version: v }).where('stream', '=', 'catalog').execute();
      await store.db.deleteFrom('dirty_skus').execute();

      // Run 0005 itself again (later migrations have run since, so the migrator would refuse to go back).
      await migrations(backend.name)['0005-catalog-product-documents']!.up(store.db);
      const page = await store.pull('catalog', v, 100);
      expect(page.changes.map((c) => c.key).sort()).toEqual(flat.map((p) => p.id).sort());
      for (const c of page.changes) expect('row' in c && c.row).toEqual(flat.find((p) => p.id === c.key));
      expect(await store.db.selectFrom('rows').select('key').where('tbl', 'in', ['variants', 'availability']).execute()).toEqual([]);
      const skus = flat.flatMap((p) => p.variants.map((x) => x.sku));
      expect((await store.db.selectFrom('dirty_skus').select('sku').execute()).map((d) => d.sku).sort()).toEqual([...skus].sort());
      // The roll-up then publishes one availability row per product.
      await rollUpAvailability(store, 5);
      const avail = (await store.pull('network', 0, 10_000)).changes.flatMap((c) => ('row' in c && c.table === 'productAvailability' ? [c.row as AvailabilityRow] : []));
      expect(avail.map((a) => a.productId).sort()).toEqual(flat.map((p) => p.id).sort());
      expect(Object.keys(avail.find((a) => a.productId === flat[0]!.id)!.by).sort()).toEqual(flat[0]!.variants.map((x) => x.sku).sort());
    });
  });
}
