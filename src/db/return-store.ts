// Where the return in progress is kept: one `meta` row, so a reload or a crash finds it as it was,
// like the cart [SE1]. The draft is UI state; only this file knows it lives in IndexedDB.
import type { VitrineDb } from './schema';

const KEY = 'return-draft';

export async function loadReturnDraft(db: VitrineDb): Promise<unknown> {
  return (await db.meta.get(KEY))?.value;
}

export async function saveReturnDraft(db: VitrineDb, value: unknown): Promise<void> {
  await db.meta.put({ key: KEY, value });
}
