// Applying command effects to IndexedDB while remembering the server's copy of each touched row, so a
// rebase can put server state back and replay pending commands on top of it [P5].
import type { VitrineDb, BaseEntry, Local } from './schema';
import type { ReadTx, Effects } from '@/core/sync/command';
import type { TableName, Tables } from '@/core/model';

export function readTx(db: VitrineDb): ReadTx {
  return {
    async get<T extends TableName>(table: T, key: string) {
      return (await db.table_(table).get(key)) as Tables[T] | undefined;
    },
  };
}

/** Writes effects locally. Must run inside a Dexie transaction that covers the tables and `base`. */
export async function applyEffectsLocally(db: VitrineDb, effects: Effects): Promise<void> {
  for (const put of effects.puts) {
    const t = db.table_(put.table);
    const current = await t.get(put.key);
    const shadowed = await db.base.get([put.table, put.key]);
    if (!shadowed) {
      await db.base.put({ tbl: put.table, key: put.key, row: (current ?? null) as BaseEntry['row'] });
    }
    const v = current?._v;
    const row = { ...put.row, ...(v !== undefined ? { _v: v } : {}) } as Local<Tables[typeof put.table]>;
    await t.put(row as never);
  }
}
