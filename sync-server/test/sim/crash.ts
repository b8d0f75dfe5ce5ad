// A tablet that dies in the middle of an IndexedDB write: a Dexie middleware (registered by the
// simulation on its own database objects, nothing in the app) fails the n-th write from now, which
// aborts that write's whole transaction, and then refuses every later read and write of that
// database object, as a dead process would. The simulation then opens the database afresh, so no
// in-memory state of the dead "process" (engines, dispatch's device cache) survives.
import type { DBCore, DBCoreTable } from 'dexie';
import { VitrineDb } from '../../../src/db/schema';
import { setFaultHook } from '../../../src/db/native-tx';

export class SimCrash extends Error {
  constructor() {
    super('sim: the tablet crashed');
  }
}

export interface CrashSwitch {
  /** Writes left before the crash; undefined = not armed. */
  armed?: number;
  dead: boolean;
}

/** Opens a tablet database whose writes can be made to crash through `sw`. */
export function openTabletDb(name: string, sw: CrashSwitch): VitrineDb {
  const db = new VitrineDb(name);
  db.use({
    stack: 'dbcore',
    name: 'sim-crash',
    create: (down: DBCore): DBCore => ({
      ...down,
      table(tableName: string): DBCoreTable {
        const t = down.table(tableName);
        const alive = <R>(f: () => Promise<R>): Promise<R> => (sw.dead ? Promise.reject(new SimCrash()) : f());
        return {
          ...t,
          get: (req) => alive(() => t.get(req)),
          getMany: (req) => alive(() => t.getMany(req)),
          query: (req) => alive(() => t.query(req)),
          openCursor: (req) => alive(() => t.openCursor(req)),
          count: (req) => alive(() => t.count(req)),
          mutate: (req) => {
            if (!sw.dead && sw.armed !== undefined && --sw.armed <= 0) {
              sw.armed = undefined;
              sw.dead = true;
            }
            return alive(() => t.mutate(req));
          },
        };
      },
    }),
  });
  // Dispatch writes straight on IndexedDB (src/db/native-tx.ts): the same switch through its seam.
  setFaultHook(db, (op) => {
    if (op === 'write' && !sw.dead && sw.armed !== undefined && --sw.armed <= 0) {
      sw.armed = undefined;
      sw.dead = true;
    }
    if (sw.dead) throw new SimCrash();
  });
  return db;
}
