// The one place the till checks a manager's PIN for an approval [MO3][RO3]: the manager's offline
// verifier on this tablet makes a proof of the approval that the server checks again [T2].
import type { VitrineDb } from '@/db/schema';
import type { Approval } from '@/state/cart';
import { verifyManagerPin } from '@/state/pin-auth';

/** What a discount approval covers: the server verifies the manager's proof over exactly this. */
export const DISCOUNT_SUBJECT = { kind: 'discount' } as const;

/** The approval of the manager whose PIN this is (a manager of this tablet's store), or null. */
export async function approveWithPin(db: VitrineDb, pin: string, now = Date.now()): Promise<Approval | null> {
  if (!/^\d{4,12}$/.test(pin)) return null;
  const r = await verifyManagerPin(db, pin, DISCOUNT_SUBJECT, now);
  return r.ok ? { ...r.approval, name: r.name } : null;
}
