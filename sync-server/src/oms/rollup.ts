// The network availability roll-up [P2]: rather than bumping the chain-wide `network` stream inside
// every store's push (a hot row at chain scale), a periodic job republishes availability for the SKUs
// whose stock moved since its last run. Figures carry their age, so a few seconds' lag is honest.
import type { Store } from '../store/store';
import type { AvailabilityRow, StockRow } from '../../../src/core/model';
import type { Sku } from '../../../src/core/shared/brand';

export async function rollUpAvailability(store: Store, now: number, batch = 2000): Promise<number> {
  const locations = await store.db.selectFrom('rows').select('key').where('tbl', '=', 'locations').where('deleted', '=', 0).execute();
  const locIds = locations.map((l) => l.key);
  let total = 0;
  for (;;) {
    const n = await store.transaction(async (tx) => {
      await tx.lockStreams(['network']);
      const dirty = await tx.db.selectFrom('dirty_skus').select(['sku', 'gen']).orderBy('sku').limit(batch).execute();
      if (dirty.length === 0) return 0;
      const skus = dirty.map((d) => d.sku);
      const keys = skus.flatMap((s) => locIds.map((l) => `${l}|${s}`));
      const by = new Map<string, Record<string, number>>(skus.map((s) => [s, {}]));
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
        skus.map((sku) => {
          const row: AvailabilityRow = { sku: sku as Sku, by: by.get(sku) ?? {}, at: now };
          return { table: 'availability' as const, key: sku, stream: 'network' as const, row };
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
      return skus.length;
    });
    total += n;
    if (n < batch) return total;
  }
}
