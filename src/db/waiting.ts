// [SE3][P3] Who is waiting to write: a dispatch says so before its transaction exists, and the pull's
// writer, which has no other way of knowing (IndexedDB says nothing of the transactions queued behind
// one), ends its transaction at the next step and lets them go first.

/** The dispatches of this tab not yet committed (or failed), per database name. */
const waiting = new Map<string, Set<Promise<unknown>>>();

/**
 * Marks `work` (a dispatch: its transaction and what precedes it) as a person waiting on `db` until
 * it settles. Must be called in the same task that creates the transaction, before it yields:
 * whatever the writer sees from then on, the dispatch's transaction is already queued or about to be.
 */
export function announce<T>(db: { name: string }, work: Promise<T>): Promise<T> {
  let set = waiting.get(db.name);
  if (!set) waiting.set(db.name, (set = new Set()));
  set.add(work);
  const done = () => {
    set.delete(work);
    if (set.size === 0 && waiting.get(db.name) === set) waiting.delete(db.name);
  };
  work.then(done, done);
  return work;
}

/** Whether a dispatch on `db` is waiting for (or running) its transaction. */
export function dispatchWaiting(db: { name: string }): boolean {
  return (waiting.get(db.name)?.size ?? 0) > 0;
}

/**
 * Settles once every dispatch waiting now has committed or failed; those announced later are not
 * waited for, so a steady stream of sales cannot hold a writer back for ever.
 */
export async function afterWaitingDispatches(db: { name: string }): Promise<void> {
  const now = [...(waiting.get(db.name) ?? [])];
  await Promise.allSettled(now);
}
