// What this tablet has taken but the server has not confirmed yet: points redeemed per customer
// [LO3] and card payments stored to forward [SE2]. Read from the outbox, the one record of both.
import { useLiveQuery } from 'dexie-react-hooks';
import type { VitrineDb } from '../schema';
import type { Minor } from '@/core/shared/brand';
import type { CustomerRow } from '@/core/model';
import { pointsForAmount } from '@/core/loyalty/points';

interface SalePayloadLike {
  customerId?: string;
  tenders?: { kind: string; amount: number; offline?: boolean }[];
}

export interface PendingTenders {
  /** Points redeemed per customer by sales still in the outbox. */
  redeemed: Map<string, number>;
  /** Card payments taken offline and not yet confirmed by the server. */
  offlineCard: Minor;
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
  return { redeemed, offlineCard: offlineCard as Minor };
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
