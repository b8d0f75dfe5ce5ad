// [EX1] The managers' exceptions as this tablet holds them (its store's and the chain's [O2]), with
// the names their words need: associates, tablets, products and orders — read live, offline too.
import { useLiveQuery } from 'dexie-react-hooks';
import type { VitrineDb } from '../schema';
import { getDevice } from '../device';
import { CHAIN_WIDE, type ExceptionRow } from '@/core/model';
import type { Currency } from '@/core/shared/brand';

export interface ExceptionsData {
  store: ExceptionRow[];
  chain: ExceptionRow[];
  currency: Currency;
  people: Map<string, string>;
  tablets: Map<string, string>;
  items: Map<string, string>;
  orders: Map<string, string>;
}

const strings = (rows: readonly ExceptionRow[], field: string): string[] => [
  ...new Set(rows.flatMap((e) => {
    const v = e.details[field];
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : typeof v === 'string' ? [v] : [];
  })),
];

export async function loadExceptions(db: VitrineDb): Promise<ExceptionsData | undefined> {
  const device = await getDevice(db);
  if (!device) return undefined;
  const open = await db.exceptions.filter((e) => !e.resolved).toArray();
  const skus = [...new Set([...strings(open, 'sku'), ...strings(open, 'skus')])];
  const [store, associates, tablets, products, orders] = await Promise.all([
    db.locations.get(device.storeId),
    db.associates.toArray(),
    db.tablets.toArray(),
    skus.length ? db.products.where('skus').anyOf(skus).toArray() : Promise.resolve([]),
    db.orders.bulkGet(strings(open, 'orderId')),
  ]);
  const items = new Map<string, string>();
  for (const p of products) for (const v of p.variants) if (skus.includes(v.sku)) items.set(v.sku, p.name);
  return {
    store: open.filter((e) => e.storeId !== CHAIN_WIDE),
    chain: open.filter((e) => e.storeId === CHAIN_WIDE),
    currency: (store?.currency ?? 'EUR') as Currency,
    people: new Map(associates.map((a) => [a.id as string, a.name])),
    tablets: new Map(tablets.map((t) => [t.id, `${t.name} (${t.deviceCode})`])),
    items,
    orders: new Map(orders.flatMap((o) => (o ? [[o.id, o.number]] : []))),
  };
}

export function useExceptions(db: VitrineDb): ExceptionsData | null | undefined {
  return useLiveQuery(async () => (await loadExceptions(db)) ?? null, [db]);
}
