// sale.complete: a carry-out sale. Final the moment it is committed on the tablet [C5]: the server
// applies it whatever the stock says and raises `oversold` instead of rejecting.
import { z } from 'zod';
import type { CommandDef } from '../sync/command';
import { EffectsBuilder, nowOf } from '../sync/command';
import { stockKey, type SaleLine, type SaleRow, type Tender } from '../model';
import { asSku, type Currency, type CustomerId, type LocationId, type AssociateId, type Minor } from '../shared/brand';
import { minor, sum, taxIncluded, taxOnTop, times, add, sub } from '../shared/money';
import { fail } from '../shared/errors';
import { raise } from '../shared/exceptions';
import { pointsEarned } from '../loyalty/points';
import { lookupSkus, skuPrefetch } from '../catalog/sku-lookup';
import { recordSaleInShift, shiftPrefetch } from '../register/shift-guard';

const money = z.number().int('Amounts are whole minor units (cents)').nonnegative('Amounts cannot be negative');

export const saleCompleteV1 = z.object({
  saleId: z.string().uuid(),
  storeId: z.string().min(1),
  receiptNo: z.string().regex(/^[A-Z0-9]+-[A-Z0-9]+-\d{6}$/, 'receiptNo looks like S01-T03-000123'),
  currency: z.enum(['EUR', 'BRL', 'USD']),
  customerId: z.string().min(1).optional(),
  /** The register shift the sale is rung in [SH1] (optional: older tablets send none). */
  shiftId: z.string().uuid().optional(),
  lines: z
    .array(
      z.object({
        sku: z.string().min(1),
        qty: z.number().int().positive('Each line needs a quantity of at least 1'),
        unitPrice: money,
      }),
    )
    .min(1, 'A sale needs at least one line'),
  tenders: z
    .array(z.object({ kind: z.enum(['cash', 'card', 'store-credit', 'loyalty']), amount: money }))
    .min(1, 'A sale needs at least one tender'),
});
export type SaleCompletePayload = z.infer<typeof saleCompleteV1>;

export const saleComplete: CommandDef<SaleCompletePayload> = {
  type: 'sale.complete',
  version: 1,
  schemas: { 1: saleCompleteV1 },
  roles: ['cashier', 'manager'],
  storeOf: (p) => p.storeId,
  streams: (p) => (p.customerId ? ['customers', `store:${p.storeId}`] : [`store:${p.storeId}`]),
  prefetch: (p) => [
    { table: 'locations', keys: [p.storeId] },
    ...skuPrefetch(p.lines.map((l) => l.sku)),
    { table: 'stock', keys: p.lines.map((l) => stockKey(p.storeId, l.sku)) },
    ...(p.customerId ? [{ table: 'customers' as const, keys: [p.customerId] }] : []),
    // [O3] The server checks that the sale id is new; fetching it with the batch saves a query per sale.
    { table: 'sales', keys: [p.saleId] },
    ...shiftPrefetch(p.shiftId),
  ],
  async handle(ctx, cmd) {
    const p = cmd.payload;
    const b = new EffectsBuilder(ctx.tx);

    // [D8] Stock ages are shown to people: on the server they are server time, not the tablet's clock.
    const nowMs = nowOf(ctx, cmd);

    // Read everything the lines need in three round trips, not three per line: this runs inside the
    // push transaction on the server and inside dispatch's transaction on the tablet.
    const skus = p.lines.map((l) => l.sku);
    // Independent reads go out together (one round trip instead of three on the tablet).
    const [store, items, stocks] = await Promise.all([
      b.get('locations', p.storeId),
      lookupSkus(b, skus),
      b.getMany('stock', skus.map((sku) => stockKey(p.storeId, sku))),
    ]);
    if (!store) fail('unknown-store', `Store ${p.storeId} is not in the chain's location list.`);
    const missing = p.lines.find((_, i) => !items[i]);
    if (missing) fail('unknown-sku', `SKU ${missing.sku} is not in the catalog; scan the item again or pick it from the catalog.`);

    const lines: SaleLine[] = [];
    for (const [i, l] of p.lines.entries()) {
      const item = items[i]!;
      const rate = store!.taxRates[item.taxClass] ?? 0;
      const lineTotal = times(minor(l.unitPrice), l.qty);
      const tax = store!.taxMode === 'inclusive' ? taxIncluded(lineTotal, rate) : taxOnTop(lineTotal, rate);
      lines.push({ sku: asSku(l.sku), name: item.name, qty: l.qty, unitPrice: minor(l.unitPrice), lineTotal, tax });

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

    const lineSum = sum(lines.map((l) => l.lineTotal));
    const taxSum = sum(lines.map((l) => l.tax));
    const total = store!.taxMode === 'inclusive' ? lineSum : add(lineSum, taxSum);
    const tenders: Tender[] = p.tenders.map((t) => ({ kind: t.kind, amount: minor(t.amount) }));
    const tendered = sum(tenders.map((t) => t.amount));
    if (tendered < total) fail('underpaid', `The tenders add up to ${tendered} but the sale totals ${total}; take the rest before completing.`);
    const change = sub(tendered, total);
    const cash = sum(tenders.filter((t) => t.kind === 'cash').map((t) => t.amount));
    if (change > cash) fail('change-without-cash', 'Change can only be given from cash; card and credit tenders must not exceed what is due.');

    if (p.customerId) {
      const c = await b.get('customers', p.customerId);
      if (c) {
        const earned = pointsEarned(total, c.tier);
        b.put('customers', { ...c, points: c.points + earned, lifetimeSpend: add(c.lifetimeSpend, total) as Minor });
        if (earned > 0) b.entry({ id: `${cmd.id}:earn`, account: `points:${c.id}`, amount: earned, commandId: cmd.id });
      }
    }

    const sale: SaleRow = {
      id: p.saleId,
      storeId: p.storeId as LocationId,
      deviceId: cmd.deviceId,
      receiptNo: p.receiptNo,
      at: cmd.at,
      actor: cmd.actor as AssociateId,
      ...(p.customerId ? { customerId: p.customerId as CustomerId } : {}),
      currency: p.currency as Currency,
      lines,
      tenders,
      total,
      tax: taxSum,
      change,
      ...(p.shiftId ? { shiftId: p.shiftId } : {}),
    };
    // [O3] The sale is created under the id the tablet minted: a reused saleId is rejected, never an overwrite.
    b.create('sales', sale);
    await recordSaleInShift(ctx, b, cmd, sale);
    b.summary = { receiptNo: p.receiptNo, total, change };
    return b.done();
  },
};
