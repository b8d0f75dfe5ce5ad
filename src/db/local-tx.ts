// Applying command effects to IndexedDB while remembering the server's copy of each touched row, so a
// rebase can put server state back and replay pending commands on top of it [P5].
import type { VitrineDb, BaseEntry, Local } from './schema';
import type { ReadTx, Effects, Put } from '@/core/sync/command';
import type { TableName, Tables } from '@/core/model';

export function readTx(db: VitrineDb): ReadTx {
  return {
    async get<T extends TableName>(table: T, key: string) {
      return (await db.table_(table).get(key)) as Tables[T] | undefined;
    },
    async getMany<T extends TableName>(table: T, keys: readonly string[]) {
      return (await db.table_(table).bulkGet([...keys])) as (Tables[T] | undefined)[];
    },
  };
}

/**
 * Writes effects locally. Must run inside a Dexie transaction that covers the tables and `base`.
 * Batched per table (one bulkGet of current rows, one of kept copies, one bulkPut each): a sale is a
 * handful of IndexedDB requests whatever its number of lines.
 */
export async function applyEffectsLocally(db: VitrineDb, effects: Effects): Promise<void> {
  const byTable = new Map<TableName, Put[]>();
  for (const put of effects.puts) {
    const list = byTable.get(put.table) ?? [];
    list.push(put);
    byTable.set(put.table, list);
  }
  await Promise.all(
    [...byTable].map(async ([table, puts]) => {
      const t = db.table_(table);
      const keys = puts.map((p) => p.key);
      const [current, shadows] = await Promise.all([t.bulkGet(keys), db.base.bulkGet(keys.map((k) => [table, k] as [string, string]))]);
      const newShadows: BaseEntry[] = [];
      const rows = puts.map((p, i) => {
        if (!shadows[i]) newShadows.push({ tbl: table, key: p.key, row: (current[i] ?? null) as BaseEntry['row'] });
        const v = current[i]?._v;
        return { ...p.row, ...(v !== undefined ? { _v: v } : {}) } as Local<Tables[typeof table]>;
      });
      await Promise.all([newShadows.length ? db.base.bulkPut(newShadows) : undefined, t.bulkPut(rows as never[])]);
    }),
  );
}
