// Recently viewed keeps the last twelve products, newest first, without duplicates, per device.
import { describe, it, expect } from 'vitest';
import { VitrineDb } from '@/db/schema';
import { RECENT_MAX, recentlyViewed, recordView, withViewed } from './recently-viewed';

describe('recently viewed', () => {
  it('moves a product viewed again to the front and keeps at most twelve', () => {
    let list: string[] = [];
    for (let i = 0; i < 15; i++) list = withViewed(list, `P${i}`);
    expect(list).toHaveLength(RECENT_MAX);
    expect(list[0]).toBe('P14');
    expect(withViewed(list, 'P10').slice(0, 2)).toEqual(['P10', 'P14']);
    expect(new Set(withViewed(list, 'P10')).size).toBe(RECENT_MAX);
  });

  it('persists in the meta table', async () => {
    const db = new VitrineDb(`recent-${Date.now()}`);
    await recordView(db, 'A');
    await recordView(db, 'B');
    await recordView(db, 'A');
    expect(await recentlyViewed(db)).toEqual(['A', 'B']);
  });
});
