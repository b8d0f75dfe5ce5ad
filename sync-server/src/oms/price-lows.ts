// [RE1] The price roll-up (decision 65): publishes on the `network` stream, one `priceLows` row per
// SKU, the lowest unit price it sold for in the return window where that is below its catalog price,
// so a tablet prices a no-receipt return offline. It runs with the availability roll-up: each round
// republishes the SKUs marked in `price_dirty` (a sale or order lowered a day's low, or the catalog
// changed the product), and the first round of each UTC day marks every SKU that sold in the window
// or has a published row (the window slid: old lows drop out) and prunes days no return can reach.
// Only SKUs sold below their catalog price have a row, so the stream carries a few rows per
// promotion, not one per SKU, and a row changes only when its lows do.
import { sql } from 'kysely';
import type { Store } from '../store/store';
import type { PriceLowRow } from '../../../src/core/model';
import type { Currency } from '../../../src/core/shared/brand';
import { dayOf, publishedLows, windowStartDay } from '../../../src/core/returns/lowest-price';
import { RETURNS } from '../../../src/core/returns/returns-config';

const DAY_META = 'price-lows-day';

/** Days of `price_lows` kept behind the window: a return taken offline that long ago is still priced on its own day. */
export const PRICE_LOWS_KEEP_DAYS = 2 * RETURNS.windowDays;

export async function rollUpPriceLows(store: Store, now: number, windowDays = RETURNS.windowDays, batch = 2000): Promise<number> {
  const today = dayOf(now);
  const from = windowStartDay(now, windowDays);
  if ((await store.getMeta(DAY_META)) !== String(today)) {
    await store.transaction(async (tx) => {
      // [RE1] The window moved: every SKU that sold in it or is published is looked at again.
      await sql`insert into price_dirty (sku, gen) select distinct sku, 1 from price_lows where day >= ${from - 1} on conflict (sku) do update set gen = price_dirty.gen + 1`.execute(tx.db);
      await sql`insert into price_dirty (sku, gen) select distinct key, 1 from rows where tbl = 'priceLows' and deleted = 0 on conflict (sku) do update set gen = price_dirty.gen + 1`.execute(tx.db);
      await tx.db.deleteFrom('price_lows').where('day', '<', today - PRICE_LOWS_KEEP_DAYS).execute();
    });
    await store.setMeta(DAY_META, String(today));
  }
  let total = 0;
  for (;;) {
    const n = await store.transaction(async (tx) => {
      await tx.lockStreams(['network']);
      const dirty = await tx.db.selectFrom('price_dirty').select(['sku', 'gen']).orderBy('sku').limit(batch).execute();
      if (dirty.length === 0) return 0;
      const skus = dirty.map((d) => d.sku);
      const lows = new Map<string, Partial<Record<Currency, number>>>();
      for (let i = 0; i < skus.length; i += 500) {
        const rows = await tx.db
          .selectFrom('price_lows')
          .select((eb) => ['sku', 'currency', eb.fn.min<number | string>('price').as('low')])
          .where('sku', 'in', skus.slice(i, i + 500))
          .where('day', '>=', from)
          .where('day', '<=', today)
          .groupBy(['sku', 'currency'])
          .execute();
        for (const r of rows) lows.set(r.sku, { ...lows.get(r.sku), [r.currency]: Number(r.low) });
      }
      const [products, published] = await Promise.all([tx.productsBySku(skus), tx.getMany('priceLows', skus)]);
      const puts: { table: 'priceLows'; key: string; stream: 'network'; row: PriceLowRow }[] = [];
      const gone: { table: 'priceLows'; key: string }[] = [];
      skus.forEach((sku, i) => {
        const catalog = products[i]?.variants.find((v) => v.sku === sku)?.prices ?? {};
        const want = products[i] ? publishedLows(sku, lows.get(sku) ?? {}, catalog, from, now) : undefined;
        const had = published[i];
        if (want && (!had || !sameLows(had.lows, want.lows))) puts.push({ table: 'priceLows', key: sku, stream: 'network', row: want });
        else if (!want && had) gone.push({ table: 'priceLows', key: sku });
      });
      if (puts.length) await tx.putRows(puts);
      if (gone.length) await tx.deleteRows(gone);
      // Clear only the marks as read: a sale committed meanwhile bumped `gen` and stays marked.
      for (let i = 0; i < dirty.length; i += 400) {
        const part = dirty.slice(i, i + 400);
        await tx.db
          .deleteFrom('price_dirty')
          .where((eb) => eb(eb.refTuple('sku', 'gen'), 'in', part.map((d) => eb.tuple(d.sku, Number(d.gen)))))
          .execute();
      }
      return dirty.length;
    });
    total += n;
    if (n < batch) return total;
  }
}

function sameLows(a: Partial<Record<Currency, number>>, b: Partial<Record<Currency, number>>): boolean {
  const ka = Object.keys(a).sort();
  const kb = Object.keys(b).sort();
  return ka.length === kb.length && ka.every((k, i) => k === kb[i] && a[k as Currency] === b[k as Currency]);
}
