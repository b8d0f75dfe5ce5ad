// Recently viewed products on this tablet: the last 12 product ids, newest first, kept in meta.
import type { VitrineDb } from '@/db/schema';

export const RECENT_META_KEY = 'recently-viewed';
export const RECENT_MAX = 12;

/** The list after viewing `id`: moved (or added) to the front, capped at RECENT_MAX. */
export function withViewed(list: readonly string[], id: string, max = RECENT_MAX): string[] {
  return [id, ...list.filter((x) => x !== id)].slice(0, max);
}

export async function recentlyViewed(db: VitrineDb): Promise<string[]> {
  const v = (await db.meta.get(RECENT_META_KEY))?.value;
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

export async function recordView(db: VitrineDb, productId: string): Promise<void> {
  await db.transaction('rw', db.meta, async () => {
    const list = await recentlyViewed(db);
    if (list[0] === productId) return;
    await db.meta.put({ key: RECENT_META_KEY, value: withViewed(list, productId) });
  });
}
