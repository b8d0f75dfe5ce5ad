// The one place the till checks a manager's PIN for an approval [MO3][RO3]. It uses the same
// verification as sign-in (core/shared/pin); when PIN storage changes, only this call changes.
import type { VitrineDb } from '@/db/schema';
import type { Approval } from '@/state/cart';
import { verifyPin } from '@/core/shared/pin';
import { readManagers } from '@/db/hooks/use-managers';

/** The active manager of `storeId` whose PIN this is, or null. */
export async function approveWithPin(db: VitrineDb, storeId: string, pin: string): Promise<Approval | null> {
  if (!/^\d{4,12}$/.test(pin)) return null;
  for (const m of await readManagers(db, storeId)) {
    if (await verifyPin(crypto.subtle, pin, m)) return { by: m.id, name: m.name };
  }
  return null;
}
