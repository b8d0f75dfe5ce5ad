// What the tablet's storage says about itself: quota errors (however Dexie wraps them) and a watch
// on the outbox, so the sync loop pushes a command as soon as any tab has committed one.
import { liveQuery } from 'dexie';
import type { VitrineDb } from './schema';

/**
 * True when `e` is the browser refusing a write for lack of space. Chromium reports it on the
 * request or, at commit, as the transaction's abort reason; Dexie passes it on as is, or wrapped in
 * an AbortError whose `inner` is the original.
 */
export function isQuotaError(e: unknown): boolean {
  for (let x: unknown = e, depth = 0; x && typeof x === 'object' && depth < 4; depth++) {
    const err = x as { name?: unknown; inner?: unknown; cause?: unknown };
    if (err.name === 'QuotaExceededError') return true;
    x = err.inner ?? err.cause;
  }
  return false;
}

/**
 * Calls `onGrow` whenever the outbox holds more commands than the last time it looked, whichever
 * tab wrote them (Dexie's live queries see other tabs' commits). Returns the unsubscribe.
 */
export function watchOutbox(db: VitrineDb, onGrow: () => void): () => void {
  let last = Number.POSITIVE_INFINITY;
  const sub = liveQuery(() => db.outbox.count()).subscribe({
    next: (n) => {
      if (n > last) onGrow();
      last = n;
    },
    error: () => {
      /* the database closed: nothing left to watch */
    },
  });
  return () => sub.unsubscribe();
}
