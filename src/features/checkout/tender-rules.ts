// Whether a tender can be taken now, and if not, why in words [SE2][LO3]: the screen never refuses
// silently. Pure, so the limits are tested without a screen.
import type { Minor } from '@/core/shared/brand';
import type { TakenTender } from '@/state/cart';
import type { SellingConfig } from '@/core/sales/selling-config';
import { amountForPoints, pointsForAmount } from '@/core/loyalty/points';

export type Refusal =
  | { code: 'no-shift' }
  | { code: 'nothing-due' }
  | { code: 'invalid-amount' }
  | { code: 'over-due'; due: Minor }
  | { code: 'needs-customer' }
  | { code: 'credit-short'; balance: Minor }
  | { code: 'points-short'; max: Minor; points: number; balance: number; pending: number; cap: number }
  | { code: 'offline-card-payment'; limit: Minor }
  | { code: 'offline-card-device'; left: Minor };

export interface TenderContext {
  due: Minor;
  taken: readonly TakenTender[];
  customer: { storeCredit: Minor } | null;
  /** [LO3] The customer's points as the server last said, and what this tablet redeemed since. */
  serverPoints: number;
  pendingRedeemed: number;
  /** Points this tablet redeemed offline for everyone, against its cap. */
  deviceRedeemed: number;
  offline: boolean;
  /** [SH1] A cash tender needs an open shift on this register. */
  shiftOpen: boolean;
  /** Card payments this tablet took offline and has not forwarded yet. */
  offlineCardPending: Minor;
  config: SellingConfig;
}

const sum = (ts: readonly TakenTender[], kind: TakenTender['kind'], f: (t: TakenTender) => boolean = () => true) => ts.filter((t) => t.kind === kind && f(t)).reduce((s, t) => s + t.amount, 0);

/** The most points this customer may redeem now: balance less pending, within the tablet's cap [LO3]. */
export function redeemablePoints(c: Pick<TenderContext, 'serverPoints' | 'pendingRedeemed' | 'deviceRedeemed' | 'taken' | 'config'>): number {
  const inCart = pointsForAmount(sum(c.taken, 'loyalty') as Minor);
  const byBalance = c.serverPoints - c.pendingRedeemed - inCart;
  const byCap = c.config.offlineRedeemCap - c.deviceRedeemed - inCart;
  return Math.max(0, Math.min(byBalance, byCap));
}

export function checkTender(kind: TakenTender['kind'], amount: Minor | undefined, c: TenderContext): Refusal | null {
  if (kind === 'cash' && !c.shiftOpen) return { code: 'no-shift' };
  if (c.due <= 0) return { code: 'nothing-due' };
  if (amount === undefined || amount <= 0) return { code: 'invalid-amount' };
  // Only cash can exceed what is due: change is given in cash only [SE2].
  if (kind !== 'cash' && amount > c.due) return { code: 'over-due', due: c.due };
  if (kind === 'store-credit') {
    if (!c.customer) return { code: 'needs-customer' };
    const balance = (c.customer.storeCredit - sum(c.taken, 'store-credit')) as Minor;
    if (amount > balance) return { code: 'credit-short', balance: Math.max(0, balance) as Minor };
  }
  if (kind === 'loyalty') {
    if (!c.customer) return { code: 'needs-customer' };
    const points = redeemablePoints(c);
    if (pointsForAmount(amount) > points) return { code: 'points-short', max: amountForPoints(points), points, balance: c.serverPoints, pending: c.pendingRedeemed, cap: c.config.offlineRedeemCap };
  }
  if (kind === 'card' && c.offline) {
    if (amount > c.config.offlineCardPerPayment) return { code: 'offline-card-payment', limit: c.config.offlineCardPerPayment };
    const left = c.config.offlineCardPerDevice - c.offlineCardPending - sum(c.taken, 'card', (t) => !!t.offline);
    if (amount > left) return { code: 'offline-card-device', left: Math.max(0, left) as Minor };
  }
  return null;
}
