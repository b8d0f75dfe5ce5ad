// The tax class of each product in the cart, which the one pricing function needs per line [MO2].
import { useLiveQuery } from 'dexie-react-hooks';
import type { VitrineDb } from '../schema';

export function useTaxClasses(db: VitrineDb, productIds: readonly string[]): Map<string, string> | undefined {
  const key = [...new Set(productIds)].sort().join('\u0000');
  return useLiveQuery(async () => {
    const ids = key ? key.split('\u0000') : [];
    const products = await db.products.bulkGet(ids);
    return new Map(ids.map((id, i) => [id, products[i]?.taxClass ?? 'standard']));
  }, [db, key]);
}
