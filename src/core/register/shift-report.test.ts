// The shift figures [SH2]: expected cash for any sequence of sales and cash moves, X and Z reports.
import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import type { Tender, TenderKind } from '../model';
import type { Minor } from '../shared/brand';
import { addEvent, EMPTY_TOTALS, needsAttention, totalsOf, xReport, zReport, TENDER_KINDS, type ShiftEvent } from './shift-report';
import { DomainError } from '../shared/errors';

const cents = (max: number) => fc.integer({ min: 0, max }).map((n) => n as Minor);

/** A sale as a till makes it: some tenders, and change only out of the cash tendered. */
const sale: fc.Arbitrary<ShiftEvent> = fc
  .array(fc.record({ kind: fc.constantFrom<TenderKind>(...TENDER_KINDS), amount: cents(500_000) }), { minLength: 1, maxLength: 4 })
  .chain((tenders: Tender[]) => {
    const cash = tenders.filter((t) => t.kind === 'cash').reduce((s, t) => s + t.amount, 0);
    return cents(cash).map((change): ShiftEvent => ({ kind: 'sale', tenders, change }));
  });
const move: fc.Arbitrary<ShiftEvent> = fc.tuple(fc.boolean(), cents(1_000_000)).map(([isIn, amount]): ShiftEvent => (isIn ? { kind: 'in', amount } : { kind: 'out', amount }));
const refund: fc.Arbitrary<ShiftEvent> = cents(500_000).map((amount): ShiftEvent => ({ kind: 'refund', amount }));
const events = fc.array(fc.oneof(sale, move, refund), { maxLength: 60 });

describe('shift report', () => {
  it('[SH2] expected cash is the float plus cash sales net of change plus cash in minus cash out, for any sequence', () => {
    fc.assert(
      fc.property(cents(10_000_000), events, (float, es) => {
        let expected = float as number;
        for (const e of es) {
          if (e.kind === 'in') expected += e.amount;
          else if (e.kind === 'out' || e.kind === 'refund') expected -= e.amount;
          else expected += e.tenders.filter((t) => t.kind === 'cash').reduce((s, t) => s + t.amount, 0) - e.change;
        }
        expect(xReport(float, totalsOf(es)).expectedCash).toBe(expected);
      }),
      { seed: 20261201, verbose: true },
    );
  });

  it('[SH3] the figures do not depend on the order events are folded in (tablet and server agree)', () => {
    fc.assert(
      fc.property(cents(1_000_000), events.chain((es) => fc.tuple(fc.constant(es), fc.shuffledSubarray(es, { minLength: es.length, maxLength: es.length }))), (float, [es, shuffled]) => {
        expect(xReport(float, totalsOf(shuffled))).toEqual(xReport(float, totalsOf(es)));
      }),
      { seed: 20261202, verbose: true },
    );
  });

  it('[SH2] the X report totals each tender, cash net of change, and counts the sales', () => {
    const es: ShiftEvent[] = [
      { kind: 'sale', tenders: [{ kind: 'cash', amount: 5000 as Minor }], change: 1250 as Minor },
      { kind: 'sale', tenders: [{ kind: 'card', amount: 8990 as Minor }, { kind: 'cash', amount: 1000 as Minor }], change: 0 as Minor },
      { kind: 'in', amount: 2000 as Minor },
      { kind: 'out', amount: 3000 as Minor },
    ];
    const x = xReport(10000 as Minor, totalsOf(es));
    expect(x).toEqual({
      float: 10000,
      sales: 2,
      byTender: { cash: 4750, card: 8990, 'store-credit': 0, loyalty: 0 },
      change: 1250,
      cashIn: 2000,
      cashOut: 3000,
      refunds: 0,
      expectedCash: 10000 + 4750 + 2000 - 3000,
    });
  });

  it('[RE5][SH2] cash refunded for a return lowers the expected cash in the drawer', () => {
    const es: ShiftEvent[] = [
      { kind: 'sale', tenders: [{ kind: 'cash', amount: 5000 as Minor }], change: 0 as Minor },
      { kind: 'refund', amount: 1999 as Minor },
    ];
    const x = xReport(10000 as Minor, totalsOf(es));
    expect(x.refunds).toBe(1999);
    expect(x.expectedCash).toBe(10000 + 5000 - 1999);
  });

  it('[SH2] the Z report gives over/short as counted minus expected, and only beyond the threshold needs a manager', () => {
    const t = totalsOf([{ kind: 'sale', tenders: [{ kind: 'cash', amount: 2000 as Minor }], change: 0 as Minor }]);
    expect(zReport(5000 as Minor, t, 6990 as Minor)).toMatchObject({ expectedCash: 7000, counted: 6990, overShort: -10 });
    expect(zReport(5000 as Minor, t, 7600 as Minor).overShort).toBe(600);
    expect(needsAttention(-500 as Minor, 500 as Minor)).toBe(false);
    expect(needsAttention(-501 as Minor, 500 as Minor)).toBe(true);
    expect(needsAttention(501 as Minor, 500 as Minor)).toBe(true);
  });

  it('[MO1] figures that would leave exact integers are refused with a sentence, never rounded', () => {
    const huge = { ...EMPTY_TOTALS, cashIn: (Number.MAX_SAFE_INTEGER - 10) as Minor };
    expect(() => addEvent(huge, { kind: 'in', amount: 100 as Minor })).toThrow(DomainError);
    expect(() => addEvent(huge, { kind: 'in', amount: 100 as Minor })).toThrow(/close this shift/);
  });
});
