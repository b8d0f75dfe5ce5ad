// sale.complete: a carry-out sale. Final the moment it is committed on the tablet [C5]: the server
// applies it whatever the stock, the ledgers or the prices say and raises exceptions instead [SE3];
// it rejects only what cannot have happened (a foreign currency or receipt number, a ledger tender
// with nobody to debit, tenders that do not cover the total) [T3].
import { z } from 'zod';
import type { Command, CommandDef, HandlerContext, Summary } from '../sync/command';
import { EffectsBuilder, nowOf } from '../sync/command';
import { stockKey, type SaleLine, type SaleRow, type Tender } from '../model';
import { asSku, type Currency, type CustomerId, type LocationId, type AssociateId, type Minor } from '../shared/brand';
import { fail } from '../shared/errors';
import { bounded } from '../shared/money';
import { raise } from '../shared/exceptions';
import { pointsEarned, pointsForAmount } from '../loyalty/points';
import { nextTierReview } from '../loyalty/tiers';
import { lookupSkus, skuPrefetch } from '../catalog/sku-lookup';
import { priceCart, MAX_LINES, MAX_QTY, MAX_UNIT_PRICE, BASIS_POINTS } from '../pricing/price-cart';
import { overApprovalLimit } from '../pricing/discount-limit';
import { settle } from './tenders';
import { SELLING } from './selling-config';
import { recordSaleInShift, shiftPrefetch } from '../register/shift-guard';
import { recordHistory, saleEntry } from '../customers/history';
import { isErased, resolveCustomer } from '../customers/redirects';

const money = z.number().int('Amounts are whole minor units (cents)').nonnegative('Amounts cannot be negative');
const price = money.max(MAX_UNIT_PRICE, `A unit price is at most ${MAX_UNIT_PRICE} minor units`);
/** Eight tenders of at most 10^15 add up below 2^53: every sum stays exact [T3]. */
const MAX_TENDERS = 8;
const tenderAmount = money.max(1e15, 'A tender is at most 10^15 minor units');
const qty = z.number().int().positive('Each line needs a quantity of at least 1').max(MAX_QTY, `A line holds at most ${MAX_QTY} items`);
const sku = z.string().min(1).max(64);
const receiptNo = z.string().max(40).regex(/^[A-Z0-9]+-[A-Z0-9]+-\d{6}$/, 'receiptNo looks like S01-T03-000123');
const common = {
  saleId: z.string().uuid(),
  storeId: z.string().min(1).max(16),
  receiptNo,
  currency: z.enum(['EUR', 'BRL', 'USD']),
  customerId: z.string().min(1).max(64).optional(),
  /** The register shift the sale is rung in [SH1] (optional: older tablets send none). */
  shiftId: z.string().uuid().optional(),
};

export const saleCompleteV1 = z.object({
  ...common,
  lines: z
    .array(z.object({ sku, qty, unitPrice: price }))
    .min(1, 'A sale needs at least one line')
    .max(MAX_LINES, `A sale holds at most ${MAX_LINES} lines`),
  tenders: z
    .array(z.object({ kind: z.enum(['cash', 'card', 'store-credit', 'loyalty']), amount: tenderAmount }))
    .min(1, 'A sale needs at least one tender')
    .max(MAX_TENDERS, `A sale takes at most ${MAX_TENDERS} tenders`),
});

/** Why a discount was given: a closed list, so reports can group them [MO3]. */
export const DISCOUNT_REASONS = ['damaged', 'price-match', 'loyal-customer', 'staff', 'promotion', 'other'] as const;
const discount = z.object({
  kind: z.enum(['percent', 'amount']),
  value: z.number().int().nonnegative().max(1e15),
  reason: z.enum(DISCOUNT_REASONS),
}).refine((d) => d.kind === 'amount' || d.value <= BASIS_POINTS, 'A percentage discount is at most 100 % (10000 basis points)');

export const saleCompleteV2 = z.object({
  ...common,
  lines: z
    .array(z.object({ sku, qty, unitPrice: price, discount: discount.optional() }))
    .min(1, 'A sale needs at least one line')
    .max(MAX_LINES, `A sale holds at most ${MAX_LINES} lines`),
  cartDiscount: discount.optional(),
  /** A manager's approval of discounts above the limit or price overrides [MO3], with that manager's proof [T2] (checked on push). */
  approval: z.object({ by: z.string().min(1).max(64), at: z.number().int().nonnegative(), subject: z.unknown(), mac: z.string().min(1).max(200) }).optional(),
  tenders: z
    .array(
      z.object({
        kind: z.enum(['cash', 'card', 'store-credit', 'loyalty']),
        amount: tenderAmount,
        ref: z.string().min(1).max(64).optional(),
        offline: z.boolean().optional(),
      }),
    )
    .min(1, 'A sale needs at least one tender')
    .max(MAX_TENDERS, `A sale takes at most ${MAX_TENDERS} tenders`),
});
export type SaleCompletePayload = z.infer<typeof saleCompleteV2>;
export type SaleDiscount = z.infer<typeof discount>;

/** What a completed sale tells the till: its receipt, total and the change to hand back. */
export type SaleCompleteSummary = { receiptNo: string; total: Minor; change: Minor };

export const saleComplete: CommandDef<SaleCompletePayload, SaleCompleteSummary> = {
  type: 'sale.complete',
  // [D9] Money and goods changed hands: committed on the tablet with strict durability.
  durability: 'strict',
  version: 2,
  schemas: { 1: saleCompleteV1, 2: saleCompleteV2 },
  // v1 is v2 without discounts, approvals or card references [C6].
  upcast: (_v, payload) => payload,
  roles: ['cashier', 'manager'],
  storeOf: (p) => p.storeId,
  streams: (p) => (p.customerId ? ['customers', `store:${p.storeId}`] : [`store:${p.storeId}`]),
  prefetch: (p) => [
    { table: 'locations', keys: [p.storeId] },
    ...skuPrefetch(p.lines.map((l) => l.sku)),
    { table: 'stock', keys: p.lines.map((l) => stockKey(p.storeId, l.sku)) },
    ...(p.customerId ? [{ table: 'customers' as const, keys: [p.customerId] }] : []),
    ...(p.customerId ? [{ table: 'history' as const, keys: [p.customerId] }] : []),
    ...(p.approval ? [{ table: 'associates' as const, keys: [p.approval.by] }] : []),
    // [O3] The server checks that the sale id is new; fetching it with the batch saves a query per sale.
    { table: 'sales', keys: [p.saleId] },
    ...shiftPrefetch(p.shiftId),
  ],
  async handle(ctx, cmd) {
    const b = new EffectsBuilder<SaleCompleteSummary>(ctx.tx);
    const { total, change } = await ringSale(ctx, cmd, b, { moveStock: true });
    b.summary = { receiptNo: cmd.payload.receiptNo, total, change };
    return b.done();
  },
};

/** How a sale is rung: a carry-out sale takes its lines off this store's shelf; an order's payment [OR1] does not. */
export interface RingOptions {
  moveStock: boolean;
  /** The customer order this sale pays for: recorded on the sale; its history entry is the order's, not the sale's. */
  orderId?: string;
}

/**
 * Rings a sale into `b`: prices it [MO2], checks and settles its tenders [SE2], moves stock when asked,
 * raises the exceptions a sale raises [C5], updates the customer's ledgers, the shift [SH1] and history.
 * Shared by sale.complete and order.create, so an order is paid exactly as a sale is.
 */
export async function ringSale<S extends Summary>(ctx: HandlerContext, cmd: Command<SaleCompletePayload>, b: EffectsBuilder<S>, opts: RingOptions): Promise<{ sale: SaleRow; total: Minor; change: Minor }> {
  const p = cmd.payload;
  // [D8] Stock ages are shown to people: on the server they are server time, not the tablet's clock.
  const nowMs = nowOf(ctx, cmd);

  // Independent reads go out together: one round trip on the tablet, one query each on the server.
  const skus = p.lines.map((l) => l.sku);
  const [store, items, stocks, customer, approver] = await Promise.all([
    b.get('locations', p.storeId),
    lookupSkus(b, skus),
    b.getMany('stock', skus.map((s) => stockKey(p.storeId, s))),
    // [CL4] A sale naming a merged-away customer credits the profile it was merged into.
    p.customerId ? resolveCustomer(b, p.customerId) : undefined,
    p.approval ? b.get('associates', p.approval.by) : undefined,
  ]);
  if (!store) return fail('unknown-store', `Store ${p.storeId} is not in the chain's location list.`);
  const missing = p.lines.find((_, i) => !items[i]);
  if (missing) fail('unknown-sku', `SKU ${missing.sku} is not in the catalog; scan the item again or pick it from the catalog.`);
  if (p.currency !== store.currency) fail('currency-mismatch', `${store.name} sells in ${store.currency}, but this sale is in ${p.currency}; ring it up again on a tablet enrolled at this store.`);
  const prefix = ctx.scope.deviceCode !== undefined ? `${store.code}-${ctx.scope.deviceCode}-` : undefined;
  if (prefix && !p.receiptNo.startsWith(prefix)) fail('receipt-not-this-device', `Receipt ${p.receiptNo} does not belong to this tablet, whose receipts start with ${prefix}.`);
  // [CL6] A sale naming an erased customer is kept without them: no history, no customer on the sale.
  const erased = p.customerId && !customer ? await isErased(b, p.customerId) : false;
  const ledgerTender = p.tenders.find((t) => t.kind === 'store-credit' || t.kind === 'loyalty');
  if (ledgerTender && !p.customerId) fail('tender-needs-customer', `A ${ledgerTender.kind} tender is paid from a customer's balance: attach the customer to the sale first.`);

  // The approval counts only if it names an active manager of this store [RO3].
  const approvedBy = approver && approver.active && approver.role === 'manager' && approver.storeId === p.storeId ? approver.id : undefined;

  const priced = priceCart({
    taxMode: store.taxMode,
    lines: p.lines.map((l, i) => ({ qty: l.qty, unitPrice: l.unitPrice as Minor, taxRate: store.taxRates[items[i]!.taxClass] ?? 0, ...(l.discount ? { discount: l.discount } : {}) })),
    ...(p.cartDiscount ? { cartDiscount: p.cartDiscount } : {}),
  });
  // Each line is within its bounds, the sum too [T3]: a total beyond what the system counts exactly is refused.
  const total = bounded(priced.total);
  const tenders: Tender[] = p.tenders.map((t) => ({ kind: t.kind, amount: t.amount as Minor, ...(t.ref ? { ref: t.ref } : {}), ...(t.offline ? { offline: true } : {}) }));
  const settled = settle(total, tenders);
  if (!settled.ok && settled.code === 'underpaid') fail('underpaid', `The tenders add up to ${total - settled.short} but the sale totals ${total}; take the rest before completing.`);
  if (!settled.ok) return fail('change-without-cash', 'Change can only be given from cash; card and credit tenders must not exceed what is due.');

  const lines: SaleLine[] = [];
  for (const [i, l] of p.lines.entries()) {
    const item = items[i]!;
    const pl = priced.lines[i]!;
    const catalogPrice = item.prices[p.currency];
    const differs = catalogPrice !== undefined && catalogPrice !== l.unitPrice;
    lines.push({
      sku: asSku(l.sku),
      name: item.name,
      qty: l.qty,
      unitPrice: l.unitPrice as Minor,
      lineTotal: pl.lineTotal,
      tax: pl.tax,
      ...(pl.discount > 0 ? { discount: pl.discount } : {}),
      ...(l.discount ? { discountReason: l.discount.reason } : {}),
      ...(differs ? { catalogPrice } : {}),
    });
    // [T3] A price the catalog does not know is applied (the customer paid it) but flagged, unless a manager approved it.
    if (differs && !approvedBy) {
      raise(b, cmd, p.storeId, 'price-mismatch', `Receipt ${p.receiptNo}: ${item.name} (${l.sku}) sold at ${l.unitPrice} while the catalog says ${catalogPrice}, without a manager's approval: check the shelf label and the tablet's catalog.`, { sku: l.sku, sold: l.unitPrice, catalog: catalogPrice, receiptNo: p.receiptNo }, l.sku);
    }

    // [OR1] An order's lines leave no stock here: the server reserves them where it sources them [OR2].
    if (!opts.moveStock) continue;
    const key = stockKey(p.storeId, l.sku);
    // The same SKU on two lines: the second line sees the first one's effect (staged in b).
    const stock = (p.lines.findIndex((x) => x.sku === l.sku) < i ? await b.get('stock', key) : stocks[i]) ?? {
      key,
      locationId: p.storeId as LocationId,
      sku: asSku(l.sku),
      onHand: 0,
      reserved: 0,
      at: nowMs,
    };
    const onHand = stock.onHand - l.qty;
    b.put('stock', { ...stock, onHand, at: nowMs });
    b.move({ id: `${cmd.id}:${i}`, locationId: p.storeId, sku: l.sku, qty: -l.qty, kind: 'sale', commandId: cmd.id });
    if (onHand < 0) {
      raise(b, cmd, p.storeId, 'oversold', `Sold ${l.qty} × ${item.name} (${l.sku}) with ${stock.onHand} on hand: count the shelf and adjust stock.`, { sku: l.sku, onHandBefore: stock.onHand, qty: l.qty, receiptNo: p.receiptNo }, l.sku);
    }
  }

  // [MO3] Discounts above the limit need a manager; above the device's cap they are flagged even with one [T3].
  if (overApprovalLimit(priced, SELLING.discountApprovalBp) && !approvedBy) {
    raise(b, cmd, p.storeId, 'discount-over-limit', `Receipt ${p.receiptNo} gave ${priced.discount} off ${priced.subtotal}, above the ${SELLING.discountApprovalBp / 100} % limit, without a manager's approval: review the sale with the associate.`, { receiptNo: p.receiptNo, discount: priced.discount, subtotal: priced.subtotal }, 'approval');
  }
  if (priced.discount > SELLING.deviceDiscountCap) {
    raise(b, cmd, p.storeId, 'discount-over-limit', `Receipt ${p.receiptNo} gave ${priced.discount} off, above this tablet's cap of ${SELLING.deviceDiscountCap}: review the sale.`, { receiptNo: p.receiptNo, discount: priced.discount, cap: SELLING.deviceDiscountCap }, 'cap');
  }
  for (const [i, t] of p.tenders.entries()) {
    // [T3][LO3] Points redeemed offline beyond the tablet's cap: the tablet refuses that, so one that
    // arrives was given anyway [C5] and is flagged.
    if (t.kind === 'loyalty' && t.offline && pointsForAmount(t.amount as Minor) > SELLING.offlineRedeemCap) {
      raise(b, cmd, p.storeId, 'offline-limit', `Receipt ${p.receiptNo} redeemed ${pointsForAmount(t.amount as Minor)} points offline, above this tablet's cap of ${SELLING.offlineRedeemCap}: review the sale.`, { receiptNo: p.receiptNo, amount: t.amount, points: pointsForAmount(t.amount as Minor), cap: SELLING.offlineRedeemCap, kind: 'redemption' }, `loyalty${i}`);
    }
    if (t.kind === 'card' && t.offline && t.amount > SELLING.offlineCardPerPayment) {
      raise(b, cmd, p.storeId, 'offline-limit', `Receipt ${p.receiptNo} took ${t.amount} by card offline, above the ${SELLING.offlineCardPerPayment} limit per payment: check the card payment was forwarded.`, { receiptNo: p.receiptNo, amount: t.amount }, `card${i}`);
    }
  }

  let earned = 0;
  let balance: number | undefined;
  if (customer) {
    const redeemedAmount = p.tenders.filter((t) => t.kind === 'loyalty').reduce((s, t) => s + t.amount, 0);
    const credit = p.tenders.filter((t) => t.kind === 'store-credit').reduce((s, t) => s + t.amount, 0);
    const points = pointsForAmount(redeemedAmount as Minor);
    // Points are earned on what was paid with money, not with points.
    earned = pointsEarned((total - Math.min(total, redeemedAmount)) as Minor, customer.tier);
    balance = customer.points - points + earned;
    b.put('customers', { ...customer, points: balance, storeCredit: (customer.storeCredit - credit) as Minor, lifetimeSpend: (customer.lifetimeSpend + total) as Minor });
    // [LO1] The server reviews the tier from 12-month spend at the next daily review (one job per customer per day).
    const review = nextTierReview(nowMs);
    b.followUp({ kind: 'loyalty.tier-review', key: `${customer.id}:${review}`, runAt: review, payload: { customerId: customer.id } });
    if (earned > 0) b.entry({ id: `${cmd.id}:earn`, account: `points:${customer.id}`, amount: earned, commandId: cmd.id });
    if (points > 0) {
      b.entry({ id: `${cmd.id}:redeem`, account: `points:${customer.id}`, amount: -points, commandId: cmd.id });
      // [C5][LO3] The points were given: applied whatever the balance, an overdraft is flagged.
      if (points > customer.points) raise(b, cmd, p.storeId, 'loyalty-overdraft', `Receipt ${p.receiptNo} redeemed ${points} points while ${customer.firstName} ${customer.lastName} had ${customer.points}: review the redemptions made offline.`, { receiptNo: p.receiptNo, customerId: customer.id, redeemed: points, balance: customer.points });
    }
    if (credit > 0) {
      b.entry({ id: `${cmd.id}:credit`, account: `credit:${customer.id}`, amount: -credit, commandId: cmd.id });
      if (credit > customer.storeCredit) raise(b, cmd, p.storeId, 'store-credit-overdraft', `Receipt ${p.receiptNo} used ${credit} of store credit while ${customer.firstName} ${customer.lastName} had ${customer.storeCredit}: contact the customer.`, { receiptNo: p.receiptNo, customerId: customer.id, used: credit, balance: customer.storeCredit });
    }
  } else if (ledgerTender) {
    // The customer is unknown here (erased, or never synced): nothing to debit, so the tender is flagged.
    const kind = ledgerTender.kind === 'loyalty' ? 'loyalty-overdraft' : 'store-credit-overdraft';
    raise(b, cmd, p.storeId, kind, erased ? `Receipt ${p.receiptNo} was paid from the balance of a customer whose data was erased at their request: review the sale.` : `Receipt ${p.receiptNo} was paid from the balance of customer ${p.customerId}, who is not on file: review the sale.`, erased ? { receiptNo: p.receiptNo } : { receiptNo: p.receiptNo, customerId: p.customerId });
  }

  const sale: SaleRow = {
    id: p.saleId,
    storeId: p.storeId as LocationId,
    deviceId: cmd.deviceId,
    receiptNo: p.receiptNo,
    at: cmd.at,
    actor: cmd.actor as AssociateId,
    ...(p.customerId && !erased ? { customerId: (customer?.id ?? p.customerId) as CustomerId } : {}),
    currency: p.currency as Currency,
    lines,
    tenders: tenders.map((t) => (t.kind === 'loyalty' ? { ...t, points: pointsForAmount(t.amount) } : t)),
    total,
    tax: priced.tax,
    change: settled.change,
    subtotal: priced.subtotal,
    discount: priced.discount,
    ...(p.cartDiscount ? { cartDiscountReason: p.cartDiscount.reason } : {}),
    ...(approvedBy ? { approvedBy } : {}),
    ...(customer ? { pointsEarned: earned, pointsBalance: balance } : {}),
    ...(p.shiftId ? { shiftId: p.shiftId } : {}),
    ...(opts.orderId ? { orderId: opts.orderId } : {}),
  };
  // [O3] The sale is created under the id the tablet minted: a reused saleId is rejected, never an overwrite.
  b.create('sales', sale);
  await recordSaleInShift(ctx, b, cmd, sale);
  // [CL1][M1] The customer's history on the customers stream, so every tablet sees this sale.
  if (p.customerId && !erased && !opts.orderId) await recordHistory(b, customer?.id ?? p.customerId, saleEntry(sale));
  return { sale, total, change: settled.change };
}
