// return.create: goods come back and money, credit or points go out [RE1]–[RE7]. Final the moment it
// is committed on the tablet [C5]: the server applies a return whose refund was handed over whatever
// it finds, and raises `over-returned` or `return-unverified` instead of rejecting it [RE4][RE7]. The
// server recomputes every figure it can from the purchase's own prices, never the tablet's claim [T3].
import { z } from 'zod';
import type { CommandDef } from '../sync/command';
import { EffectsBuilder, nowOf } from '../sync/command';
import { RETURN_DISPOSITIONS, RETURN_REASONS, stockKey, type HistoryEntry, type ReturnLine, type ReturnRow, type StreamName } from '../model';
import { asSku, type AssociateId, type CustomerId, type LocationId, type Minor } from '../shared/brand';
import { fail } from '../shared/errors';
import { decodeHlc } from '../shared/hlc';
import { raise } from '../shared/exceptions';
import { lookupSkus, skuPrefetch } from '../catalog/sku-lookup';
import { MAX_LINES, MAX_QTY } from '../pricing/price-cart';
import { resolveCustomer } from '../customers/redirects';
import { recordHistory } from '../customers/history';
import { openShift, shiftPrefetch, amountText } from '../register/shift-guard';
import { addEvent } from '../register/shift-report';
import { notice } from '../pickup/order-state';
import { addToTally, inWindow, lineRefund, orderView, planRefund, returnable, saleView, type PurchaseView, type RefundPlan } from './return-math';
import { RETURNS, offlineLimitBreach } from './returns-config';
import { dayOf, noReceiptPrice, windowStartDay } from './lowest-price';

const money = z.number().int('Amounts are whole minor units (cents)').nonnegative('Amounts cannot be negative').max(1e13, 'An amount is at most 10^13 minor units');
const qty = z.number().int('Quantities are whole numbers').positive('Each returned line needs a quantity of at least 1').max(MAX_QTY, `A line returns at most ${MAX_QTY} items`);
const sku = z.string().min(1).max(64);
const number = z.string().trim().toUpperCase().regex(/^[A-Z0-9-]{1,40}$/, 'A receipt or order number is letters, digits and dashes, such as S01-T03-000123 or W100234');

/** What the tablet saw of a purchase found through the server (another store's sale): used on the tablet only. */
const snapshot = z.object({
  storeId: z.string().min(1).max(16),
  at: z.number().int().nonnegative(),
  currency: z.enum(['EUR', 'BRL', 'USD']),
  customerId: z.string().min(1).max(64).optional(),
  lines: z.array(z.object({ sku, name: z.string().max(200), qty, lineTotal: money })).min(1).max(MAX_LINES),
  total: money,
  paid: z.object({ cash: money.optional(), card: money.optional(), 'store-credit': money.optional(), web: money.optional(), loyalty: money.optional() }),
  paymentRef: z.string().max(100).optional(),
  pointsEarned: z.number().int().nonnegative().max(1e12),
  pointsSpent: z.number().int().nonnegative().max(1e12),
});

export const returnCreateV1 = z
  .object({
    returnId: z.string().uuid(),
    /**
     * The return's number, from the device's receipt counter (decision 45). Named like a sale's so
     * the [D5] recovery of a restored tablet counts and, if need be, renumbers it like a receipt.
     */
    receiptNo: z.string().max(40).regex(/^[A-Z0-9]+-[A-Z0-9]+-\d{6}$/, 'A return number looks like S01-T03-000123'),
    storeId: z.string().min(1).max(16),
    currency: z.enum(['EUR', 'BRL', 'USD']),
    /** The purchase: a sale or an order by id, or [RE7] an order by number only (never seen here). Absent: no receipt. */
    purchase: z
      .object({ kind: z.enum(['sale', 'order']), id: z.string().min(1).max(64).optional(), number, snapshot: snapshot.optional() })
      .optional(),
    customerId: z.string().min(1).max(64).optional(),
    lines: z
      .array(
        z.object({
          /** Index of the purchase line; absent for a no-receipt return or an unseen order. */
          line: z.number().int().nonnegative().max(MAX_LINES - 1).optional(),
          sku,
          qty,
          disposition: z.enum(RETURN_DISPOSITIONS),
          reason: z.enum(RETURN_REASONS),
          /**
           * [RE1] Without a purchase line: the unit price the tablet quoted (decision 66). The server
           * prices the line itself; a different figure is kept on the line as `quoted`.
           */
          quoted: money.optional(),
        }),
      )
      .min(1, 'A return needs at least one line')
      .max(MAX_LINES, `A return holds at most ${MAX_LINES} lines`),
    refundTo: z.enum(['original', 'store-credit']),
    /** The register shift whose drawer pays a cash refund [SH1]. */
    shiftId: z.string().uuid().optional(),
    /** The terminal's reference of a card refund. */
    cardRef: z.string().min(1).max(64).optional(),
    /** [RE1][RE2][RO3] A manager's approval (no receipt, outside the window, above the limit), with its proof [T2]. */
    approval: z.object({ by: z.string().min(1).max(64), at: z.number().int().nonnegative(), subject: z.unknown(), mac: z.string().min(1).max(200) }).optional(),
    /**
     * [RE8] An exchange: the sale made in the same flow, and how much of this refund pays for it. That
     * part is handed over as cash into the new sale (a cash refund and a cash tender of the same
     * amount, so the drawer does not move); the rest is refunded as usual.
     */
    exchange: z.object({ saleId: z.string().uuid(), amount: money }).optional(),
    /** [T3] Taken while the tablet had no connection: the per-return offline caps apply. */
    offline: z.boolean().optional(),
  })
  .refine((p) => p.purchase || p.refundTo === 'store-credit', { message: 'A return without a receipt refunds to store credit only', path: ['refundTo'] });
export type ReturnCreatePayload = z.infer<typeof returnCreateV1>;

export type ReturnCreateSummary = {
  number: string;
  /** [D5] The device's receipt counter counts returns too: the server's record of the last one reads this. */
  receiptNo: string;
  total: Minor;
  refunds: ReturnRow['refunds'];
  pointsRestored: number;
  pointsReversed: number;
  overReturned: boolean;
  unverified: boolean;
  /** [RE1] The server priced a no-receipt line differently from the tablet's quote (decision 66). */
  repriced?: boolean;
};

/** What a manager approves for a return: the handler checks the approval names this return. */
export const returnSubject = (returnId: string) => ({ kind: 'return', returnId });

/** Why a return needs a manager [RE1][RE2][RO3], or none. */
export function approvalNeeds(o: { noReceipt: boolean; boughtAt?: number; now: number; value: number }): ('no-receipt' | 'window' | 'limit')[] {
  const needs: ('no-receipt' | 'window' | 'limit')[] = [];
  if (o.noReceipt) needs.push('no-receipt');
  if (o.boughtAt !== undefined && !inWindow(o.boughtAt, o.now, RETURNS.windowDays)) needs.push('window');
  if (o.value > RETURNS.refundLimit) needs.push('limit');
  return needs;
}

export const returnCreate: CommandDef<ReturnCreatePayload, ReturnCreateSummary> = {
  type: 'return.create',
  // [D9] Money and goods changed hands.
  durability: 'strict',
  version: 1,
  schemas: { 1: returnCreateV1 },
  roles: ['cashier', 'manager'],
  storeOf: (p) => p.storeId,
  // [RE3] Returns of one purchase serialise on the chain stream, which holds its tally.
  streams: (p) => [`store:${p.storeId}`, 'chain', ...(p.customerId || p.purchase ? (['customers'] as StreamName[]) : [])],
  prefetch: (p) => [
    { table: 'locations', keys: [p.storeId] },
    ...skuPrefetch(p.lines.map((l) => l.sku)),
    { table: 'stock', keys: p.lines.map((l) => stockKey(p.storeId, l.sku)) },
    ...(p.purchase?.id ? [{ table: p.purchase.kind === 'sale' ? ('sales' as const) : ('orders' as const), keys: [p.purchase.id] }, { table: 'returnTallies' as const, keys: [p.purchase.id] }] : []),
    ...(p.customerId ? [{ table: 'customers' as const, keys: [p.customerId] }, { table: 'history' as const, keys: [p.customerId] }] : []),
    ...(p.approval ? [{ table: 'associates' as const, keys: [p.approval.by] }] : []),
    { table: 'returns', keys: [p.returnId] },
    // [RE1] A no-receipt price: the published window lows (the tablet's figure).
    ...(p.purchase?.id ? [] : [{ table: 'priceLows' as const, keys: p.lines.map((l) => l.sku) }]),
    ...shiftPrefetch(p.shiftId),
  ],
  async handle(ctx, cmd) {
    const p = cmd.payload;
    const b = new EffectsBuilder<ReturnCreateSummary>(ctx.tx);
    const now = nowOf(ctx, cmd);
    const server = ctx.side === 'server';
    const skus = p.lines.map((l) => l.sku);
    const [store, items, stocks, approver] = await Promise.all([
      b.get('locations', p.storeId),
      lookupSkus(b, skus),
      b.getMany('stock', skus.map((s) => stockKey(p.storeId, s))),
      p.approval ? b.get('associates', p.approval.by) : undefined,
    ]);
    if (!store) return fail('unknown-store', `Store ${p.storeId} is not in the chain's location list.`);
    if (p.currency !== store.currency) fail('currency-mismatch', `${store.name} refunds in ${store.currency}, but this return is in ${p.currency}; take it back on a tablet enrolled at this store.`);
    const prefix = ctx.scope.deviceCode !== undefined ? `${store.code}-${ctx.scope.deviceCode}-` : undefined;
    if (prefix && !p.receiptNo.startsWith(prefix)) fail('receipt-not-this-device', `Return ${p.receiptNo} does not belong to this tablet, whose numbers start with ${prefix}.`);

    // The purchase: the side's own row first; the tablet falls back on what the server's lookup showed it.
    const unverifiedWhy: string[] = [];
    let view: PurchaseView | undefined;
    const purchaseRow = p.purchase?.id ? await b.get(p.purchase.kind === 'sale' ? 'sales' : 'orders', p.purchase.id) : undefined;
    if (purchaseRow) view = 'receiptNo' in purchaseRow ? saleView(purchaseRow) : orderView(purchaseRow);
    else if (p.purchase && (server || !p.purchase.snapshot)) {
      // [RE7] Not known by id here (or not named by id): look for it by its number.
      const found = await b.purchaseByNumber(p.purchase.number);
      if (found && found.kind === p.purchase.kind) view = found.kind === 'sale' ? saleView(found.row) : orderView(found.row);
      else if (server) unverifiedWhy.push(`there is no ${p.purchase.kind === 'sale' ? 'sale with receipt' : 'order'} ${p.purchase.number}`);
    } else if (p.purchase?.snapshot) {
      const s = p.purchase.snapshot;
      view = { kind: p.purchase.kind, id: p.purchase.id!, number: p.purchase.number, storeId: s.storeId, at: s.at, currency: s.currency, ...(s.customerId ? { customerId: s.customerId } : {}), lines: s.lines.map((l) => ({ ...l, lineTotal: l.lineTotal as Minor })), total: s.total as Minor, paid: s.paid as PurchaseView['paid'], ...(s.paymentRef ? { paymentRef: s.paymentRef } : {}), pointsEarned: s.pointsEarned, pointsSpent: s.pointsSpent };
    }
    if (view && view.number !== p.purchase?.number) unverifiedWhy.push(`purchase ${p.purchase?.number} is ${view.number} here`);
    if (view && view.currency !== p.currency) {
      unverifiedWhy.push(`purchase ${view.number} was paid in ${view.currency}`);
      view = undefined;
    }
    // [RE7] Taken without the purchase's lines (a web order this tablet never saw): store credit only.
    const unseen = !!p.purchase && !p.purchase.id && !p.purchase.snapshot;
    if (unseen && RETURNS.unseenStoreCreditOnly && p.refundTo !== 'store-credit') fail('unseen-store-credit-only', `Order ${p.purchase!.number} is not on this tablet yet, so it can be refunded to store credit only.`);

    // [RE1] No receipt: the lowest price each item sold for in the window (decision 65). The server
    // reads every sale and order of the chain (price_lows); a tablet the roll-up's published lows.
    let lows: Promise<(number | undefined)[]> | undefined;
    const lowOf = async (i: number): Promise<number | undefined> => {
      lows ??= server
        ? b.lowestSold(skus, p.currency, windowStartDay(now, RETURNS.windowDays), dayOf(now))
        : b.getMany('priceLows', skus).then((rows) => rows.map((r) => r?.lows[p.currency]));
      return (await lows)[i];
    };

    const tally = view ? await b.get('returnTallies', view.id) : undefined;
    const returned = view ? view.lines.map((_, i) => tally?.returned[i] ?? 0) : [];

    // Each line: which purchase line it takes back and what it refunds, from the purchase's prices.
    const lines: ReturnLine[] = [];
    const tallied: { line: number; sku: string; qty: number }[] = [];
    const over: string[] = [];
    let value = 0;
    for (const [i, l] of p.lines.entries()) {
      const item = items[i];
      let idx = l.line;
      if (view && idx === undefined) idx = view.lines.findIndex((x, j) => x.sku === l.sku && returnable(x, returned[j]!) > 0);
      if (view && idx === -1) idx = view.lines.findIndex((x) => x.sku === l.sku);
      const pl = view && idx !== undefined && idx >= 0 ? view.lines[idx] : undefined;
      if (view && (!pl || pl.sku !== l.sku)) {
        if (!server) fail('not-on-purchase', `${l.sku} is not on purchase ${view.number}; scan the item again.`);
        unverifiedWhy.push(`${l.sku} is not on purchase ${view.number}`);
      }
      let amount: number;
      let priced: Pick<ReturnLine, 'unitPrice' | 'priceSource' | 'quoted'> = {};
      if (pl && idx !== undefined) {
        const before = returned[idx]!;
        if (l.qty > returnable(pl, before)) over.push(`${l.qty} × ${pl.name} (${pl.sku}) with ${returnable(pl, before)} of ${pl.qty} left to return`);
        amount = lineRefund(pl, before, l.qty);
        returned[idx] = before + l.qty;
        tallied.push({ line: idx, sku: l.sku, qty: l.qty });
      } else {
        // [RE1] No receipt (or an unverifiable one): the lowest price it sold for in the window, or
        // today's catalog price when lower or when it did not sell (decision 65).
        const price = noReceiptPrice(await lowOf(i), item?.prices[p.currency]);
        if (!price) return fail('unknown-sku', `SKU ${l.sku} is not in the catalog at a price in ${p.currency}; scan the item again.`);
        amount = price.price * l.qty;
        // [RE1] The server's price stands; the one the tablet quoted stays on the line when it differs (decision 66).
        priced = { unitPrice: price.price, priceSource: price.source, ...(server && l.quoted !== undefined && l.quoted !== price.price ? { quoted: l.quoted as Minor } : {}) };
      }
      value += amount;
      lines.push({ ...(pl && idx !== undefined ? { line: idx } : {}), sku: asSku(l.sku), name: pl?.name ?? item?.name ?? l.sku, qty: l.qty, amount: amount as Minor, ...priced, disposition: l.disposition, reason: l.reason });
    }
    if (!Number.isSafeInteger(value) || value > 1e15) fail('amount-out-of-range', 'This return is worth more than the system counts exactly; split it into several returns.');

    // [RE1][RE2][RO3] Approvals: no receipt, outside the window, above the refund limit.
    const approvedBy = approver && approver.active && approver.role === 'manager' && approver.storeId === p.storeId ? approver.id : undefined;
    const subject = p.approval?.subject as { kind?: unknown; returnId?: unknown } | undefined;
    const approved = !!approvedBy && subject?.kind === 'return' && subject.returnId === p.returnId;
    const needs = approvalNeeds({ noReceipt: !p.purchase, ...(view ? { boughtAt: view.at } : {}), now, value });
    if (needs.length && !approved) {
      if (!server) fail('needs-approval', `This return needs a manager's approval (${needs.join(', ')}): ask a manager to type their PIN.`);
      raise(b, cmd, p.storeId, 'return-unverified', `Return ${p.receiptNo} (${amountText(value, p.currency)}) was taken without the manager's approval it needed (${needs.join(', ')}): review it with the cashier.`, { number: p.receiptNo, needs }, 'approval');
    }

    // [RE5] Where the money goes: the purchase's tenders in the stated order, or store credit.
    const to = !view || unseen ? 'store-credit' : p.refundTo;
    const plan: RefundPlan = view ? planRefund(view, tally, value as Minor, to) : { value: value as Minor, refunds: value > 0 ? [{ kind: 'store-credit', amount: value as Minor }] : [], pointsRestored: 0, pointsReversed: 0, pointsValue: 0 as Minor };
    for (const r of plan.refunds) if (r.kind === 'card' && p.cardRef) r.ref = p.cardRef;
    if (p.exchange) applyExchange(plan, p.exchange.amount);

    // Store credit goes to the customer named on the return (or the purchase's); points and lifetime
    // spend are corrected on the purchase's own customer [LO2]. Sums only, so returns commute.
    const customerId = p.customerId ?? view?.customerId;
    const customer = customerId ? await resolveCustomer(b, customerId) : undefined;
    const buyer = view?.customerId ? (view.customerId === customerId ? customer : await resolveCustomer(b, view.customerId)) : undefined;
    const credit = plan.refunds.filter((r) => r.kind === 'store-credit').reduce((s, r) => s + r.amount, 0);
    if (credit > 0 && !customer && !server) fail('refund-needs-customer', 'Store credit is kept on a customer\'s profile: add the customer to the return first.');
    if (buyer) {
      const points = buyer.points - plan.pointsReversed + plan.pointsRestored;
      b.put('customers', { ...buyer, points, lifetimeSpend: (buyer.lifetimeSpend - (value - plan.pointsValue)) as Minor });
      if (plan.pointsReversed > 0) b.entry({ id: `${cmd.id}:unearn`, account: `points:${buyer.id}`, amount: -plan.pointsReversed, commandId: cmd.id });
      if (plan.pointsRestored > 0) b.entry({ id: `${cmd.id}:restore`, account: `points:${buyer.id}`, amount: plan.pointsRestored, commandId: cmd.id });
    }
    if (customer && credit > 0) {
      const row = (await b.get('customers', customer.id)) ?? customer;
      b.put('customers', { ...row, storeCredit: (row.storeCredit + credit) as Minor });
      b.entry({ id: `${cmd.id}:credit`, account: `credit:${customer.id}`, amount: credit, commandId: cmd.id });
    } else if (credit > 0) {
      raise(b, cmd, p.storeId, 'return-unverified', `Return ${p.receiptNo} refunded ${amountText(credit, p.currency)} to store credit, but customer ${customerId ?? '(none)'} is not on file: find the customer and credit them by hand.`, { number: p.receiptNo, customerId, credit }, 'customer');
    }

    // [RE5][SH1] Cash comes out of this register's open shift: its expected cash goes down.
    const cash = plan.refunds.filter((r) => r.kind === 'cash').reduce((s, r) => s + r.amount, 0);
    // [T3] Offline caps: the tablet refuses; the server applies what was handed over and flags it.
    const card = plan.refunds.filter((r) => r.kind === 'card').reduce((s, r) => s + r.amount, 0);
    const exchanged = plan.refunds.filter((r) => r.ref === EXCHANGE_REF).reduce((s, r) => s + r.amount, 0);
    const breach = p.offline ? offlineLimitBreach({ money: cash - exchanged + card, noReceipt: !p.purchase, value }) : undefined;
    if (breach) {
      const what = breach.kind !== 'no-receipt' ? `refunded ${amountText(breach.amount, p.currency)} in cash and to cards` : `took back ${amountText(breach.amount, p.currency)} without a receipt`;
      if (!server) fail('offline-limit', `Offline, a return may not have ${what}: the limit is ${amountText(breach.cap, p.currency)}. Refund to store credit, or wait until the tablet is online.`);
      raise(b, cmd, p.storeId, 'offline-limit', `Return ${p.receiptNo} ${what} while the tablet was offline, above the ${amountText(breach.cap, p.currency)} limit: review it with the cashier.`, { receiptNo: p.receiptNo, amount: breach.amount, cap: breach.cap, kind: breach.kind === 'money' ? 'return-refund' : 'no-receipt' }, 'offline');
    }
    if (cash > 0) {
      if (!p.shiftId) {
        if (!server) fail('shift-not-open', 'A cash refund comes out of the drawer: open a shift on this register first.');
        raise(b, cmd, p.storeId, 'cash-over-short', `Return ${p.receiptNo} refunded ${amountText(cash, p.currency)} in cash outside any shift. Count the drawer and reconcile this amount by hand.`, { reason: 'outside-shift', amount: cash }, 'outside-shift');
      } else {
        const shift = await openShift(ctx, b, cmd, p.shiftId, p.storeId, `Return ${p.receiptNo}`, cash);
        if (shift) b.put('shifts', { ...shift, totals: addEvent(shift.totals, { kind: 'refund', amount: cash as Minor }) });
      }
    }

    // [RE6] Sellable goods go back on this store's shelf: a stock movement here.
    for (const [i, l] of lines.entries()) {
      if (l.disposition !== 'restock') continue;
      const key = stockKey(p.storeId, l.sku);
      const stock = (p.lines.findIndex((x) => x.sku === l.sku) < i ? await b.get('stock', key) : stocks[i]) ?? { key, locationId: p.storeId as LocationId, sku: l.sku, onHand: 0, reserved: 0, at: now };
      b.put('stock', { ...stock, onHand: stock.onHand + l.qty, at: now });
      b.move({ id: `${cmd.id}:${i}`, locationId: p.storeId, sku: l.sku, qty: l.qty, kind: 'return-restock', commandId: cmd.id });
    }

    // [RE4] An over-return happened: applied, and the manager is told.
    if (over.length) {
      raise(b, cmd, p.storeId, 'over-returned', `Return ${p.receiptNo} took back more than was left to return on ${view!.number}: ${over.join('; ')}. Another store or tablet returned it first; check both returns with the customer.`, { number: p.receiptNo, purchase: view!.number, purchaseId: view!.id, lines: over }, '');
    }
    // [RE7] A purchase the server cannot match.
    if (unverifiedWhy.length && server) {
      raise(b, cmd, p.storeId, 'return-unverified', `Return ${p.receiptNo} could not be checked against its purchase: ${unverifiedWhy.join('; ')}. It was refunded ${amountText(value, p.currency)} to store credit; check the customer's proof of purchase.`, { number: p.receiptNo, purchase: p.purchase?.number, why: unverifiedWhy }, 'purchase');
    }

    const at = new Date(now).toISOString();
    const row: ReturnRow = {
      id: p.returnId,
      number: p.receiptNo,
      storeId: p.storeId as LocationId,
      deviceId: cmd.deviceId,
      at: cmd.at,
      actor: cmd.actor as AssociateId,
      ...(view ? { purchase: { kind: view.kind, id: view.id, number: view.number, storeId: view.storeId as LocationId } } : {}),
      ...(unseen || unverifiedWhy.length ? { unverified: true } : {}),
      ...(p.purchase ? {} : { noReceipt: true }),
      ...(customer ? { customerId: customer.id } : customerId ? { customerId: customerId as CustomerId } : {}),
      currency: p.currency,
      lines,
      refunds: plan.refunds,
      total: value as Minor,
      ...(plan.pointsReversed ? { pointsReversed: plan.pointsReversed } : {}),
      ...(plan.pointsRestored ? { pointsRestored: plan.pointsRestored } : {}),
      ...(approved ? { approvedBy: approvedBy as AssociateId } : {}),
      ...(p.shiftId && cash > 0 ? { shiftId: p.shiftId } : {}),
      ...(p.exchange ? { exchangeSaleId: p.exchange.saleId } : {}),
    };
    // [O3] A return id names one return for good.
    b.create('returns', row);
    // [RE3] What has been returned of the purchase, chain-wide.
    if (view && tallied.length) b.put('returnTallies', addToTally(tally, view, { id: row.id, number: row.number, storeId: row.storeId, at, lines: tallied, plan }));
    // [W2][W3] A web payment's refund request: the channel's order status shows it; the customer is told.
    const web = plan.refunds.find((r) => r.kind === 'web');
    if (web && view?.kind === 'order' && server) {
      const order = await b.get('orders', view.id);
      if (order) notice(b, order, 'refund-issued', { amount: web.amount, currency: order.currency, paymentRef: order.paymentRef, returnNumber: row.number });
    }
    // [CL1] The customer's history shows the return.
    if (row.customerId) await recordHistory(b, row.customerId, returnEntry(row));
    b.summary = { number: row.number, receiptNo: row.number, total: row.total, refunds: row.refunds, pointsRestored: plan.pointsRestored, pointsReversed: plan.pointsReversed, overReturned: over.length > 0, unverified: !!row.unverified, ...(lines.some((l) => l.quoted !== undefined) ? { repriced: true } : {}) };
    return b.done();
  },
};

/** The reference of the part of a refund that paid for an exchange's sale [RE8]. */
export const EXCHANGE_REF = 'exchange';

/**
 * [RE8] Moves up to `amount` of a plan's money refunds into cash that pays the exchange's sale, taken
 * from the refunds that come last in the stated order (cash first, then store credit, card, web).
 */
export function applyExchange(plan: RefundPlan, amount: number): void {
  let left = amount;
  for (let i = plan.refunds.length - 1; i >= 0 && left > 0; i--) {
    const r = plan.refunds[i]!;
    const take = Math.min(r.amount, left);
    r.amount = (r.amount - take) as Minor;
    left -= take;
  }
  const moved = amount - left;
  plan.refunds = plan.refunds.filter((r) => r.amount > 0);
  if (moved > 0) plan.refunds.push({ kind: 'cash', amount: moved as Minor, ref: EXCHANGE_REF });
}

/** A return in the customer's history: a negative total, its lines by what they refunded. */
export function returnEntry(r: ReturnRow): HistoryEntry {
  return {
    id: r.id,
    kind: 'return',
    channel: 'store',
    storeId: r.storeId,
    number: r.number,
    at: new Date(decodeHlc(r.at).wall).toISOString(),
    currency: r.currency,
    total: -r.total as Minor,
    ...(r.purchase ? { status: r.purchase.number } : {}),
    lines: r.lines.map((l) => ({ sku: l.sku, name: l.name, qty: l.qty, amount: l.amount })),
  };
}
