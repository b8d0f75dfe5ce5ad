// What this tablet has taken but the server has not confirmed yet: points redeemed per customer
// [LO3] and card payments stored to forward [SE2]. Read from the outbox, the one record of both.
import { useLiveQuery } from 'dexie-react-hooks';
import type { VitrineDb } from '../schema';
import type { Minor } from '@/core/shared/brand';
import type { CustomerRow } from '@/core/model';
import { pointsForAmount } from '@/core/loyalty/points';

interface SalePayloadLike {
  saleId?: string;
  customerId?: string;
  tenders?: { kind: string; amount: number; offline?: boolean }[];
}

export interface PendingTenders {
  /** Points redeemed per customer by sales still in the outbox. */
  redeemed: Map<string, number>;
  /** Card payments taken offline and not yet confirmed by the server. */
  offlineCard: Minor;
  /** [LO1] Points earned per customer (as the sale credited them here) by sales still in the outbox. */
  earned: Map<string, number>;
}

export async function readPendingTenders(db: VitrineDb): Promise<PendingTenders> {
  const sales = await db.outbox.filter((e) => e.type === 'sale.complete').toArray();
  const redeemed = new Map<string, number>();
  let offlineCard = 0;
  for (const e of sales) {
    const p = e.payload as SalePayloadLike;
    for (const t of p.tenders ?? []) {
      if (t.kind === 'loyalty' && p.customerId) redeemed.set(p.customerId, (redeemed.get(p.customerId) ?? 0) + pointsForAmount(t.amount as Minor));
      if (t.kind === 'card' && t.offline) offlineCard += t.amount;
    }
  }
  // [LO1] What each unsent sale earned, as this tablet's run of it credited (its customer resolved).
  const earned = new Map<string, number>();
  const ids = sales.map((e) => (e.payload as SalePayloadLike).saleId).filter((id): id is string => !!id);
  for (const sale of ids.length ? await db.sales.bulkGet(ids) : []) {
    if (sale?.customerId && sale.pointsEarned) earned.set(sale.customerId, (earned.get(sale.customerId) ?? 0) + sale.pointsEarned);
  }
  return { redeemed, offlineCard: offlineCard as Minor, earned };
}

export function usePendingTenders(db: VitrineDb): PendingTenders | undefined {
  return useLiveQuery(() => readPendingTenders(db), [db]);
}

/**
 * The customer's points as the server last said [LO3]: the kept server copy when pending commands
 * changed the row here, else the row itself. Points earned offline are not spendable yet.
 */
export function useServerPoints(db: VitrineDb, customerId: string | undefined): number | undefined {
  return useLiveQuery(async () => {
    if (!customerId) return undefined;
    const [row, kept] = await Promise.all([db.customers.get(customerId), db.base.get(['customers', customerId])]);
    if (kept) return (kept.row as CustomerRow | null)?.points ?? 0;
    return row?.points;
  }, [db, customerId]);
}
