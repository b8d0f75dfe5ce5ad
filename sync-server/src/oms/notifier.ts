// [W3] Delivering the notification outbox: handlers write notices in their command's transaction;
// this job claims unsent ones, hands them to the notifier adapter and marks them sent. The default
// adapter logs and keeps what it sent (a real one would call an e-mail or SMS provider).
import { sql } from 'kysely';
import type { Store } from '../store/store';

export interface Sent {
  id: number;
  kind: string;
  recipient: string;
  payload: Record<string, unknown>;
}

export interface Notifier {
  send(n: Sent): Promise<void>;
}

/** Logs each notice and keeps it in memory, newest last. */
export class LogNotifier implements Notifier {
  readonly sent: Sent[] = [];
  constructor(private readonly log: (msg: string) => void = () => undefined) {}
  async send(n: Sent): Promise<void> {
    this.sent.push(n);
    this.log(`notification ${n.id} ${n.kind} → ${n.recipient}`);
  }
}

/**
 * Sends every unsent notice, oldest first. A notice is claimed by setting `sent_at` only while it is
 * still null, so two server instances never send one twice; a send that fails clears the mark for the
 * next round. (A crash between claim and send loses that one send: customers get a notice at most
 * once, which we prefer to twice for "ready" and "refund" messages.)
 */
export async function deliverNotifications(store: Store, notifier: Notifier, now: number, batch = 50): Promise<number> {
  // [CL6] A notice redacted by an erasure is never sent.
  const due = await store.db.selectFrom('notifications').selectAll().where('sent_at', 'is', null).where('redacted_at', 'is', null).orderBy('id').limit(batch).execute();
  let sent = 0;
  for (const r of due) {
    const at = new Date(now).toISOString();
    const claimed = await store.db.updateTable('notifications').set({ sent_at: at }).where('id', '=', r.id).where('sent_at', 'is', null).where('redacted_at', 'is', null).executeTakeFirst();
    if (Number(claimed.numUpdatedRows) !== 1) continue;
    try {
      await notifier.send({ id: Number(r.id), kind: r.kind, recipient: r.recipient, payload: JSON.parse(r.payload) as Record<string, unknown> });
      sent++;
    } catch (e) {
      await store.db.updateTable('notifications').set({ sent_at: null }).where('id', '=', r.id).execute();
      throw e;
    }
  }
  return sent;
}

/** Notices about one order, oldest first (the channel's status answer and tests read them). */
export async function noticesOf(store: Store, orderId: string) {
  const rows = await store.db.selectFrom('notifications').selectAll().where(sql<boolean>`payload like ${`%"orderId":"${orderId}"%`}`).orderBy('id').execute();
  return rows.map((r) => ({ kind: r.kind, recipient: r.recipient, createdAt: r.created_at, sentAt: r.sent_at }));
}
