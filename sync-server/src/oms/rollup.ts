// The network availability roll-up [P2]: rather than bumping the chain-wide `network` stream inside
// every store's push (a hot row at chain scale), a periodic job republishes availability for the
// products whose stock moved since its last run. Figures carry their age, so a few seconds' lag is
// honest. Availability is one row per product (every variant's figures per location), like the
// catalog's product documents, so a tablet writes one row per style instead of one per SKU [P1].
import type { Store } from '../store/store';
import type { AvailabilityRow, StockRow } from '../../../src/core/model';

export async function rollUpAvailability(store: Store, now: number, batch = 2000): Promise<number> {
  const locations = await store.db.selectFrom('rows').select('key').where('tbl', '=', 'locations').where('deleted', '=', 0).execute();
  const locIds = locations.map((l) => l.key);
  let total = 0;
  for (;;) {
    const n = await store.transaction(async (tx) => {
      await tx.lockStreams(['network']);
      const dirty = await tx.db.selectFrom('dirty_skus').select(['sku', 'gen']).orderBy('sku').limit(batch).execute();
      if (dirty.length === 0) return 0;
      // A product's row holds all its SKUs: one dirty SKU republishes its whole product.
      const productIds = new Set<string>();
      for (let i = 0; i < dirty.length; i += 500) {
        const found = await tx.db.selectFrom('catalog_skus').select('product_id').where('sku', 'in', dirty.slice(i, i + 500).map((d) => d.sku)).execute();
        for (const f of found) productIds.add(f.product_id);
      }
      const skusOf = new Map<string, string[]>([...productIds].map((p) => [p, []]));
      const ids = [...productIds];
      for (let i = 0; i < ids.length; i += 500) {
        const all = await tx.db.selectFrom('catalog_skus').select(['sku', 'product_id']).where('product_id', 'in', ids.slice(i, i + 500)).orderBy('sku').execute();
        for (const s of all) skusOf.get(s.product_id)!.push(s.sku);
      }
      const by = new Map<string, Record<string, number>>();
      for (const list of skusOf.values()) for (const s of list) by.set(s, {});
      const keys = [...by.keys()].flatMap((s) => locIds.map((l) => `${l}|${s}`));
      for (let i = 0; i < keys.length; i += 900) {
        const rows = await tx.db.selectFrom('rows').select('data').where('tbl', '=', 'stock').where('key', 'in', keys.slice(i, i + 900)).execute();
        for (const r of rows) {
          if (!r.data) continue;
          const s = JSON.parse(r.data) as StockRow;
          const m = by.get(s.sku);
          if (m) m[s.locationId] = s.onHand - s.reserved;
        }
      }
      await tx.putRows(
        [...skusOf].map(([productId, skus]) => {
          const row: AvailabilityRow = { productId, by: Object.fromEntries(skus.map((s) => [s, by.get(s) ?? {}])), at: now };
          return { table: 'productAvailability' as const, key: productId, stream: 'network' as const, row };
        }),
      );
      // Clear only the marks as we read them: a movement committed meanwhile bumped `gen` and stays dirty.
      for (let i = 0; i < dirty.length; i += 400) {
        const part = dirty.slice(i, i + 400);
        await tx.db
          .deleteFrom('dirty_skus')
          .where((eb) => eb(eb.refTuple('sku', 'gen'), 'in', part.map((d) => eb.tuple(d.sku, Number(d.gen)))))
          .execute();
      }
      return dirty.length;
    });
    total += n;
    if (n < batch) return total;
  }
}
