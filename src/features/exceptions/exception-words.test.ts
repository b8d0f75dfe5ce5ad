// [EX1] Every kind the chain raises reads in words (what, who, when, what to do) in each language,
// never as the server's sentence or a command name; identical alarms are counted, not repeated.
import { describe, expect, it } from 'vitest';
import { translate, type Locale, type T } from '@/i18n';
import { encodeHlc } from '@/core/shared/hlc';
import type { ExceptionKind, ExceptionRow } from '@/core/model';
import type { Currency, LocationId } from '@/core/shared/brand';
import { exceptionWords, groupExceptions, type WordFacts } from './exception-words';

const tr = (locale: Locale): T => (key, params) => translate(locale, key, params);
const at = (wall: number) => encodeHlc({ wall, counter: 0, node: 'T01.abcdef' });
const RAW = 'RAW SERVER SENTENCE';

const row = (id: string, kind: ExceptionKind | 'over-returned' | 'job-failing', details: Record<string, unknown>, extra: Partial<ExceptionRow> = {}): ExceptionRow => ({
  id,
  storeId: 'S01' as LocationId,
  kind: kind as ExceptionKind,
  message: RAW,
  details,
  raisedAt: at(Date.UTC(2026, 11, 1, 10, 30)),
  by: 'A-S01-ANA',
  ...extra,
});

const facts = (locale: Locale): WordFacts => ({
  locale,
  currency: 'EUR' as Currency,
  people: new Map([
    ['A-S01-ANA', 'Ana'],
    ['A-S01-MARTA', 'Marta'],
  ]),
  tablets: new Map([['dev-S01-1', 'Till 1 (T01)']]),
  items: new Map([['VT-1-BRN-S', 'Linen shirt']]),
  orders: new Map([['o1', 'W1001']]),
});

/** One of each kind the chain raises today, plus the returns branch's and the jobs' kinds. */
const EVERY: ExceptionRow[] = [
  row('1', 'oversold', { sku: 'VT-1-BRN-S', onHandBefore: 0, qty: 2, receiptNo: 'S01-T01-000010' }),
  row('2', 'price-mismatch', { sku: 'VT-1-BRN-S', sold: 2000, catalog: 3495, receiptNo: 'S01-T01-000011' }),
  row('3', 'discount-over-limit', { receiptNo: 'S01-T01-000012', discount: 5000, subtotal: 10000 }),
  row('4', 'offline-limit', { receiptNo: 'S01-T01-000013', amount: 30000 }),
  row('5', 'loyalty-overdraft', { receiptNo: 'S01-T01-000014', customerId: 'C1', redeemed: 900, balance: 100 }),
  row('6', 'store-credit-overdraft', { receiptNo: 'S01-T01-000015', customerId: 'C1', used: 2000, balance: 500 }),
  row('7', 'return-unverified', { returnNo: 'R-S01-T01-000001' }),
  row('8', 'over-returned', { receiptNo: 'S01-T01-000016' }),
  row('9', 'unsourceable', { number: 'W1001', skus: ['VT-1-BRN-S'], sourceId: 'W01' }, { by: 'channel:web' }),
  row('10', 'cash-over-short', { reason: 'over-short', counted: 9000, expected: 10000, overShort: -1000 }),
  row('11', 'cash-over-short', { reason: 'figures-differ', tabletExpected: 10000, serverExpected: 9000 }),
  row('12', 'cash-over-short', { reason: 'second-shift', shiftId: 's2', openShiftId: 's1' }),
  row('13', 'cash-over-short', { reason: 'outside-shift', shiftId: 's1', problem: 'closed', amount: 500 }),
  row('14', 'rejected-command', { code: 'forbidden', type: 'sale.complete', seq: 10, deviceId: 'dev-S01-1' }),
  row('15', 'seq-conflict', { deviceId: 'dev-S01-1', seq: 7, count: 3 }),
  row('16', 'clock-skew', { deviceId: 'dev-S01-1', count: 4, maxAheadMs: 3_600_000 }, { by: undefined }),
  row('17', 'unverified-actor', { type: 'sale.complete', seq: 9, deviceId: 'dev-S01-1', actor: 'A-S01-MARTA' }),
  row('18', 'rejected-command', { code: 'invalid-transition', type: 'order.expire', key: 'order.expire:o1', origin: 'system' }, { storeId: '*' as LocationId, by: 'system' }),
  row('19', 'job-failing', { type: 'order.expire', orderId: 'o1', attempts: 6 }, { storeId: '*' as LocationId, by: 'system' }),
  row('20', 'unsourceable', { reason: 'reassign', orderId: 'o1', number: 'W1001', sku: 'VT-1-BRN-S', qty: 1, shortAt: ['S01', 'S03'] }, { by: 'system' }),
];

describe('[EX1] exceptions in words', () => {
  for (const locale of ['en', 'pt-BR', 'it'] as const) {
    it(`[EX1] every kind says what happened, who, when and what to do in ${locale}, never the raw message or a command name`, () => {
      for (const e of EVERY) {
        const w = exceptionWords(tr(locale), e, facts(locale));
        const all = [w.title, w.what, w.todo, w.who, w.when].join(' | ');
        expect(all, `${e.kind} ${e.id}`).not.toContain(RAW);
        expect(all, `${e.kind} ${e.id}`).not.toMatch(/sale\.complete|order\.expire|rejected-command|\{\w+\}|undefined|NaN/);
        for (const part of [w.title, w.what, w.todo, w.who, w.when]) expect(part.length, `${e.kind} ${e.id}`).toBeGreaterThan(0);
        // An unknown kind falls back to "needs a look"; every kind here has its own words.
        expect(w.what).not.toBe(translate(locale, 'exceptions.other.what'));
      }
    });
  }

  it('[EX1] the words carry the facts: receipt, item, amounts, tablet and person', () => {
    const t = tr('en');
    const f = facts('en');
    const oversold = exceptionWords(t, EVERY[0]!, f);
    expect(oversold.what).toBe('Receipt S01-T01-000010 sold 2 × Linen shirt (VT-1-BRN-S) while the stock showed 0.');
    expect(oversold.who).toBe('Ana');
    expect(oversold.todo).toMatch(/Count the shelf/);
    expect(exceptionWords(t, EVERY[9]!, f).what).toBe('The drawer closed €10.00 short: counted €90.00, expected €100.00.');
    const rejected = exceptionWords(t, EVERY[13]!, f);
    expect(rejected.title).toBe('Refused by the server');
    expect(rejected.what).toBe('Sale from the tablet Till 1 (T01) was refused: Your role may not do this: ask a cashier or a manager.');
    expect(exceptionWords(t, EVERY[15]!, f).what).toMatch(/^The clock of the tablet Till 1 \(T01\) was up to 60 min ahead/);
    expect(exceptionWords(t, EVERY[15]!, f).who).toBe('The tablet Till 1 (T01)');
    const chain = exceptionWords(t, EVERY[17]!, f);
    expect(chain.who).toBe('The server’s schedule');
    expect(chain.what).toBe('Order expiry (W1001) from the server’s schedule was refused: Another tablet had already moved the order on.');
    expect(exceptionWords(t, EVERY[18]!, f).what).toBe('Order expiry (W1001) failed 6 times on the server.');
    expect(exceptionWords(t, EVERY[6]!, f).what).toBe('Return R-S01-T01-000001 was refunded without being matched to a purchase.');
    expect(exceptionWords(tr('it'), EVERY[13]!, facts('it')).what).toMatch(/^Il server ha rifiutato: Vendita, dal tablet «Till 1 \(T01\)»\. Motivo: /);
    expect(exceptionWords(tr('pt-BR'), EVERY[0]!, facts('pt-BR')).what).toBe('O recibo S01-T01-000010 vendeu 2 × Linen shirt (VT-1-BRN-S) quando o estoque mostrava 0.');
  });

  it('[PQ1][EX1] a short line no other location has reads as a decision for the pickup store', () => {
    const w = exceptionWords(tr('en'), EVERY[19]!, facts('en'));
    expect(w.what).toBe('Order W1001: Linen shirt (VT-1-BRN-S) was short at S01, S03, and no other location has it.');
    expect(w.todo).toMatch(/^In the pickup queue, cancel the line with a refund/);
  });

  it('[EX1] a kind this version does not know still reads in words', () => {
    const w = exceptionWords(tr('it'), row('x', 'brand-new-kind' as ExceptionKind, {}), facts('it'));
    expect(w.title).toBe(translate('it', 'exceptions.other.title'));
    expect(w.what).toBe(translate('it', 'exceptions.other.what'));
  });

  it('[EX1] identical alarms are counted, not repeated; resolved ones are gone', () => {
    const same = [1, 2, 3].map((i) => row(`o${i}`, 'oversold', { sku: 'VT-1-BRN-S', onHandBefore: 0, qty: 1, receiptNo: `S01-T01-00002${i}` }, { raisedAt: at(Date.UTC(2026, 11, 1, 10, i)) }));
    const other = row('o9', 'oversold', { sku: 'VT-2-RED-M', onHandBefore: 0, qty: 1, receiptNo: 'S01-T01-000030' });
    const resolved = row('o8', 'oversold', { sku: 'VT-3-RED-M', qty: 1 }, { resolved: { by: 'A-S01-MARTA' as never, note: 'counted', at: at(1) } });
    const seq = row('s1', 'seq-conflict', { deviceId: 'dev-S01-1', seq: 7, count: 3 });
    const groups = groupExceptions([...same, other, resolved, seq]);
    expect(groups.map((g) => [g.latest.id, g.count, g.members.length])).toEqual(
      expect.arrayContaining([
        ['o3', 3, 3],
        ['o9', 1, 1],
        ['s1', 3, 1],
      ]),
    );
    expect(groups).toHaveLength(3);
  });
});
