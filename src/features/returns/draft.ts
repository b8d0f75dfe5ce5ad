// The return in progress [RE1]–[RE8]: what the screen holds between taps, kept in IndexedDB so a
// reload finds it (db/return-store.ts), and the pure figures the screen shows from it.
import type { RefundKind, ReturnDisposition, ReturnReason } from '@/core/model';
import type { Minor } from '@/core/shared/brand';
import type { PriceSource } from '@/core/returns/lowest-price';
import type { Approval } from '@/core/shared/sign-in-proof';
import { applyExchange, approvalNeeds } from '@/core/returns/return-create';
import { lineRefund, planRefund, type LookedUpPurchase, type PurchaseView, type RefundPlan } from '@/core/returns/return-math';

export interface DraftLine {
  /** Index on the purchase; absent for a no-receipt or unseen-order line. */
  line?: number;
  sku: string;
  name: string;
  bought?: number;
  returned?: number;
  /** For lines without a purchase: the unit price quoted (the window's lowest, or today's catalog price) [RE1]. */
  price?: number;
  /** Where `price` came from (decision 65). */
  priceSource?: PriceSource;
  selected: boolean;
  qty: number;
  disposition: ReturnDisposition;
  reason: ReturnReason | '';
}

export interface ExchangeItem {
  sku: string;
  name: string;
  price: number;
  taxClass: string;
}

export interface ReturnDraft {
  returnId: string;
  /** receipt: a purchase found; no-receipt: [RE1]; unseen: [RE7] a web order this tablet never saw. */
  mode: 'receipt' | 'no-receipt' | 'unseen';
  found?: LookedUpPurchase;
  /** Where the purchase was found: through the server, or on this tablet. */
  source?: 'server' | 'local';
  /** [RE7] The order number typed for an unseen order. */
  unseenNumber?: string;
  customer?: { id: string; name: string };
  lines: DraftLine[];
  refundTo: 'original' | 'store-credit';
  approval?: Approval & { name?: string };
  exchange?: ExchangeItem[];
  done?: { returnId: string; number: string; exchangeReceipt?: string };
}

/** The lines as the purchase shows them, all unselected. */
export function linesOf(found: LookedUpPurchase): DraftLine[] {
  return found.purchase.lines.map((l, i) => ({ line: i, sku: l.sku, name: l.name, bought: l.qty, returned: l.returned, selected: false, qty: 1, disposition: 'restock', reason: '' }));
}

export const returnableOf = (l: DraftLine): number => (l.bought === undefined ? 99 : Math.max(0, l.bought - (l.returned ?? 0)));

export interface Figures {
  value: Minor;
  plan: RefundPlan;
  /** What the exchange's new items cost, and the part of it the customer still pays. */
  exchangeTotal: Minor;
  toPay: Minor;
  needs: ReturnType<typeof approvalNeeds>;
}

/** [RE5] What the tablet expects the return to refund and where, from what it knows (the server recomputes). */
export function figures(d: ReturnDraft, now: number, exchangeTotal = 0): Figures {
  const chosen = d.lines.filter((l) => l.selected && l.qty > 0);
  const view: PurchaseView | undefined = d.mode === 'receipt' ? d.found?.purchase : undefined;
  let value = 0;
  for (const l of chosen) {
    const pl = view && l.line !== undefined ? view.lines[l.line] : undefined;
    value += pl ? lineRefund(pl, l.returned ?? 0, l.qty) : (l.price ?? 0) * l.qty;
  }
  const to = d.mode === 'receipt' ? d.refundTo : 'store-credit';
  const plan: RefundPlan = view
    ? planRefund(view, d.found?.tally, value as Minor, to)
    : { value: value as Minor, refunds: value > 0 ? [{ kind: 'store-credit', amount: value as Minor }] : [], pointsRestored: 0, pointsReversed: 0, pointsValue: 0 as Minor };
  const money = plan.refunds.reduce((s, r) => s + r.amount, 0);
  const paidFromRefund = Math.min(exchangeTotal, money);
  if (d.exchange?.length && paidFromRefund > 0) applyExchange(plan, paidFromRefund);
  const needs = approvalNeeds({ noReceipt: d.mode === 'no-receipt', ...(view ? { boughtAt: view.at } : {}), now, value });
  return { value: value as Minor, plan, exchangeTotal: exchangeTotal as Minor, toPay: Math.max(0, exchangeTotal - money) as Minor, needs };
}

/** The money refunded to a kind (the exchange's part aside). */
export const refundOf = (plan: RefundPlan, kind: RefundKind): number => plan.refunds.filter((r) => r.kind === kind && r.ref !== 'exchange').reduce((s, r) => s + r.amount, 0);
