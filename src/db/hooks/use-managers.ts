// The active managers of a store, as this tablet knows them (for approvals [RO3]).
import type { VitrineDb } from '../schema';
import type { AssociateRow } from '@/core/model';

export async function readManagers(db: VitrineDb, storeId: string): Promise<AssociateRow[]> {
  const staff = await db.associates.where('storeId').equals(storeId).toArray();
  return staff.filter((a) => a.active && a.role === 'manager');
}
