// [CL6] An erasure reaches the notification outbox: notices sent (or still queued) to the erased
// customer's addresses, or about their orders, sales and returns, keep their row — kind and times, so
// audit counts stay right — but lose the recipient and the body, and one not yet sent never is.
import { sql } from 'kysely';
import type { StoreTx } from '../store/store';
import type { ForgetNotices } from '../../../src/core/sync/command';

/** What a redacted notice's body says instead of what it said. */
export const REDACTED_PAYLOAD = JSON.stringify({ redacted: true, why: 'The customer asked to be forgotten; the address and the message were removed.' });

/** Redacts the notices `f` names; returns how many it redacted. */
export async function forgetNotices(tx: StoreTx, f: ForgetNotices, now: number): Promise<number> {
  const at = new Date(now).toISOString();
  const recipients = [...new Set(f.recipients.map((r) => r.trim().toLowerCase()).filter(Boolean))];
  // Bodies are JSON written by the server, so a reference sits in them as `"orderId":"<id>"`.
  const patterns = Object.entries(f.refs).flatMap(([field, ids]) => (ids ?? []).map((id) => `%${JSON.stringify(field)}:${JSON.stringify(id)}%`));
  let n = 0;
  const redact = async (where: ReturnType<typeof sql<boolean>>) => {
    const r = await tx.db.updateTable('notifications').set({ recipient: '', payload: REDACTED_PAYLOAD, redacted_at: at }).where('redacted_at', 'is', null).where(where).executeTakeFirst();
    n += Number(r.numUpdatedRows);
  };
  for (let i = 0; i < recipients.length; i += 100) {
    await redact(sql<boolean>`lower(recipient) in (${sql.join(recipients.slice(i, i + 100))})`);
  }
  for (let i = 0; i < patterns.length; i += 50) {
    await redact(sql<boolean>`(${sql.join(patterns.slice(i, i + 50).map((p) => sql`payload like ${p}`), sql` or `)})`);
  }
  return n;
}
