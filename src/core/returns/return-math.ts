// The arithmetic of returns [RE3][RE5], pure and exact: what a purchase line refunds, what is still
// returnable, how a refund splits over the purchase's tenders in a stated order, and how points are
// taken back and restored pro rata. Every share is a difference of cumulative shares, so the refunds
// of a purchase add up exactly to what was paid whatever the order and size of the partial returns.
import type { OrderRow, RefundKind, Refund, ReturnTallyRow, SaleRow } from '../model';
import type { Currency, Minor } from '../shared/brand';
import { decodeHlc } from '../shared/hlc';
import { pointsForAmount } from '../loyalty/points';

/** One line of a purchase as returns see it: what was bought and what it cost after discounts. */
export interface PurchaseLine {
  sku: string;
  name: string;
  qty: number;
  /** What the line cost, discounts included (minor units). */
  lineTotal: Minor;
}

/** What the purchase was paid with; `web` is the web shop's payment. */
export type PaidKind = RefundKind | 'loyalty';

/** A store sale or a web order, in the one shape returns need [RE1]. */
export interface PurchaseView {
  kind: 'sale' | 'order';
  id: string;
  number: string;
  storeId: string;
  /** When it was bought (ms since epoch). */
  at: number;
  currency: Currency;
  customerId?: string;
  lines: PurchaseLine[];
  total: Minor;
  /** Net paid per kind (cash net of change). */
  paid: Partial<Record<PaidKind, Minor>>;
  /** The web payment's or card's reference, for refund requests. */
  paymentRef?: string;
  pointsEarned: number;
  pointsSpent: number;
}

export function saleView(s: SaleRow): PurchaseView {
  const paid: Partial<Record<PaidKind, Minor>> = {};
  let pointsSpent = 0;
  for (const t of s.tenders) {
    paid[t.kind] = ((paid[t.kind] ?? 0) + t.amount) as Minor;
    if (t.kind === 'loyalty') pointsSpent += t.points ?? pointsForAmount(t.amount);
  }
  if (paid.cash !== undefined) paid.cash = (paid.cash - s.change) as Minor;
  const card = s.tenders.find((t) => t.kind === 'card' && t.ref);
  return {
    kind: 'sale',
    id: s.id,
    number: s.receiptNo,
    storeId: s.storeId,
    at: decodeHlc(s.at).wall,
    currency: s.currency,
    ...(s.customerId ? { customerId: s.customerId } : {}),
    lines: s.lines.map((l) => ({ sku: l.sku, name: l.name, qty: l.qty, lineTotal: l.lineTotal })),
    total: s.total,
    paid,
    ...(card?.ref ? { paymentRef: card.ref } : {}),
    pointsEarned: s.pointsEarned ?? 0,
    pointsSpent,
  };
}

export function orderView(o: OrderRow): PurchaseView {
  return {
    kind: 'order',
    id: o.id,
    number: o.number,
    storeId: o.storeId,
    at: Date.parse(o.placedAt),
    currency: o.currency,
    customerId: o.customerId,
    lines: o.lines.map((l) => ({ sku: l.sku, name: l.name, qty: l.qty, lineTotal: (l.unitPrice * l.qty) as Minor })),
    total: o.total,
    paid: o.channel === 'web' ? { web: o.total } : { card: o.total },
    paymentRef: o.paymentRef,
    pointsEarned: 0,
    pointsSpent: 0,
  };
}

/** [RE1][RE3] A purchase as the returns lookup answers it (server) or the tablet finds it (offline). */
export interface LookedUpPurchase {
  purchase: Omit<PurchaseView, 'lines'> & { lines: (PurchaseLine & { returned: number; returnable: number })[]; customerName?: string };
  /** What its earlier returns refunded and were worth, for the split of the next refund. */
  tally: Pick<ReturnTallyRow, 'value' | 'refunded'> | undefined;
  returns: ReturnTallyRow['returns'];
}

/** The lookup answer for a purchase and its tally. */
export function lookedUp(view: PurchaseView, tally: ReturnTallyRow | undefined, customerName?: string): LookedUpPurchase {
  return {
    purchase: {
      ...view,
      ...(customerName ? { customerName } : {}),
      lines: view.lines.map((l, i) => {
        const returned = tally?.returned[i] ?? 0;
        return { ...l, returned, returnable: returnable(l, returned) };
      }),
    },
    tally: tally ? { value: tally.value, refunded: tally.refunded } : undefined,
    returns: tally?.returns ?? [],
  };
}

/** round(a × n / d) half up, exactly (BigInt): a share of an amount. */
export function prorate(a: number, n: number, d: number): number {
  if (d <= 0 || a === 0 || n === 0) return 0;
  const num = BigInt(a) * BigInt(n) * 2n + BigInt(d);
  return Number(num / (2n * BigInt(d)));
}

/** What `q` units of a line refund when `before` were returned already; units beyond what was bought refund at the line's unit price. */
export function lineRefund(l: PurchaseLine, before: number, q: number): Minor {
  const within = (n: number) => prorate(l.lineTotal, Math.min(n, l.qty), l.qty);
  const beyond = Math.max(0, before + q - Math.max(before, l.qty));
  return (within(before + q) - within(before) + beyond * prorate(l.lineTotal, 1, l.qty)) as Minor;
}

/** [RE3] Returnable = bought − already returned (never below zero). */
export const returnable = (l: PurchaseLine, returned: number): number => Math.max(0, l.qty - returned);

/** [RE5] The stated order of refunds to the original payment: the web payment, the card, store credit, and cash last. */
export const REFUND_ORDER: readonly RefundKind[] = ['web', 'card', 'store-credit', 'cash'];

export interface RefundPlan {
  /** Value of the goods returned now. */
  value: Minor;
  /** Money refunds, in the stated order. */
  refunds: Refund[];
  /** Points given back for points spent on the purchase, and points taken back for points earned on it. */
  pointsRestored: number;
  pointsReversed: number;
  /** The money value of the restored points (not refunded as money). */
  pointsValue: Minor;
}

/**
 * [RE5] Splits a return worth `value` over the purchase: the part paid with points is restored as
 * points pro rata; the rest goes to store credit (`to: 'store-credit'`) or back to the original
 * tenders in REFUND_ORDER, each at most what it paid less what it has refunded already. Whatever is
 * left (only an over-return) goes to the last tender the purchase used, or store credit.
 */
export function planRefund(p: PurchaseView, tally: Pick<ReturnTallyRow, 'value' | 'refunded'> | undefined, value: Minor, to: 'original' | 'store-credit'): RefundPlan {
  const before = Math.min(tally?.value ?? 0, p.total);
  const after = Math.min((tally?.value ?? 0) + value, p.total);
  const share = (a: number) => prorate(a, after, p.total) - prorate(a, before, p.total);
  const pointsValue = share(p.paid.loyalty ?? 0) as Minor;
  const pointsRestored = share(p.pointsSpent);
  const pointsReversed = share(p.pointsEarned);
  let money = value - pointsValue;
  const refunds: Refund[] = [];
  if (to === 'store-credit') {
    if (money > 0) refunds.push({ kind: 'store-credit', amount: money as Minor });
  } else {
    const used = REFUND_ORDER.filter((k) => (p.paid[k] ?? 0) > 0);
    for (const k of used) {
      const room = Math.max(0, (p.paid[k] ?? 0) - (tally?.refunded[k] ?? 0));
      const a = Math.min(room, money);
      if (a > 0) {
        refunds.push({ kind: k, amount: a as Minor, ...(k === 'web' || k === 'card' ? (p.paymentRef ? { ref: p.paymentRef } : {}) : {}) });
        money -= a;
      }
    }
    if (money > 0) {
      const last = used.at(-1) ?? 'store-credit';
      const prior = refunds.find((r) => r.kind === last);
      if (prior) prior.amount = (prior.amount + money) as Minor;
      else refunds.push({ kind: last, amount: money as Minor });
    }
  }
  return { value, refunds, pointsRestored, pointsReversed, pointsValue };
}

/** The tally after a return: quantities per line, value, refunds per kind and points. */
export function addToTally(
  t: ReturnTallyRow | undefined,
  p: PurchaseView,
  r: { id: string; number: string; storeId: string; at: string; lines: { line: number; sku: string; qty: number }[]; plan: RefundPlan },
): ReturnTallyRow {
  const returned = p.lines.map((_, i) => t?.returned[i] ?? 0);
  for (const l of r.lines) returned[l.line] = (returned[l.line] ?? 0) + l.qty;
  const refunded = { ...(t?.refunded ?? {}) };
  // [RE8] Cash handed into an exchange's sale is no refund to the purchase's tenders.
  for (const f of r.plan.refunds.filter((x) => x.ref !== 'exchange')) refunded[f.kind] = ((refunded[f.kind] ?? 0) + f.amount) as Minor;
  return {
    purchaseId: p.id,
    kind: p.kind,
    number: p.number,
    storeId: p.storeId as ReturnTallyRow['storeId'],
    returned,
    value: ((t?.value ?? 0) + r.plan.value) as Minor,
    refunded,
    pointsRestored: (t?.pointsRestored ?? 0) + r.plan.pointsRestored,
    pointsReversed: (t?.pointsReversed ?? 0) + r.plan.pointsReversed,
    returns: [
      ...(t?.returns ?? []).filter((x) => x.id !== r.id),
      { id: r.id, number: r.number, storeId: r.storeId as ReturnTallyRow['storeId'], at: r.at, total: r.plan.value, lines: r.lines.map((l) => ({ ...l, sku: l.sku as ReturnTallyRow['returns'][number]['lines'][number]['sku'] })), refunds: r.plan.refunds },
    ],
  };
}

/** [RE2] Whether a purchase made at `at` is still inside the return window at `now`. */
export const inWindow = (at: number, now: number, days: number): boolean => now - at <= days * 86_400_000;
