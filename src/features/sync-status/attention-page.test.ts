// "Needs attention" in words [C4][SE3][D5][D6][D10]: each item names the receipt and the amount of a
// sale, says what happened and what to do, in the active language; no command types on screen.
import { describe, expect, it } from 'vitest';
import { alertMessage, saleFacts } from './attention-page';
import { translate, type Locale, type T } from '@/i18n';
import type { AlertEntry } from '@/db/schema';

const tr = (locale: Locale): T => (key, params) => translate(locale, key, params);
const command = (type: string, payload: unknown) => ({ id: '0190c1de-0000-7000-8000-000000000001', deviceId: 'dev-1', seq: 7, type, v: 1, at: '001700000000000-00000-T01', actor: 'A-S01-ANA', payload });
const sale = command('sale.complete', { saleId: 's1', storeId: 'S01', receiptNo: 'S01-T01-000010', currency: 'EUR', lines: [{ sku: 'X', qty: 2, unitPrice: 2500 }], tenders: [{ kind: 'cash', amount: 5000 }] });

describe('[SE3] Needs attention says what happened and what to do', () => {
  it('[SE3] a rejected paid sale: receipt number, amount, reason, and that the customer keeps the receipt', () => {
    const a: AlertEntry = { id: sale.id, kind: 'rejected', command: sale, error: { code: 'forbidden', message: 'Ana (associate) may not sell.' }, at: 1 };
    const facts = saleFacts(a, undefined, 'en');
    expect(facts).toEqual({ receiptNo: 'S01-T01-000010', amount: '€50.00' });
    const text = alertMessage(tr('en'), a, facts);
    expect(text).toContain('S01-T01-000010');
    expect(text).toContain('€50.00');
    // [EX1] The reason in the active language from its code, not the server's sentence.
    expect(text).toContain('Your role may not do this');
    expect(text).not.toContain('Ana (associate) may not sell.');
    expect(text).toMatch(/keeps the receipt/);
    expect(text).not.toContain('sale.complete');
    expect(alertMessage(tr('pt-BR'), a, saleFacts(a, undefined, 'pt-BR'))).toMatch(/O servidor não aceitou a venda S01-T01-000010 \(€\s?50,00\)/);
  });

  it('[D5] a renumbered receipt names both numbers', () => {
    const a: AlertEntry = { id: `renumbered:${sale.id}`, kind: 'renumbered', command: { ...sale, payload: { ...(sale.payload as object), receiptNo: 'S01-T01-000013' } }, receiptNo: { printed: 'S01-T01-000010', now: 'S01-T01-000013' }, at: 1 };
    const text = alertMessage(tr('en'), a, saleFacts(a, undefined, 'en'));
    expect(text).toContain('Receipt S01-T01-000010 (€50.00) is now receipt S01-T01-000013');
  });

  it('[D6][D10] a set-aside sale and an export-needed change say what to do', () => {
    const aside: AlertEntry = { id: `set-aside:${sale.id}`, kind: 'set-aside', command: sale, error: { code: 'server-fault', message: 'The server hit a fault.' }, at: 1 };
    expect(alertMessage(tr('en'), aside, saleFacts(aside, undefined, 'en'))).toMatch(/Sale S01-T01-000010 \(€50.00\) could not be sent.*Try again later/);
    const note = command('customer.update', { customerId: 'C1', changes: { phone: '1' } });
    const exp: AlertEntry = { id: `export-needed:${note.id}`, kind: 'export-needed', command: note, at: 1 };
    expect(alertMessage(tr('it'), exp, saleFacts(exp, undefined, 'it'))).toMatch(/^Modifica cliente è stata fatta prima.*Esporta i comandi non inviati/);
  });

  it('[EX1][PQ5] a refused pickup step names the order and the reason in words, in each language', () => {
    const step = command('order.mark-ready', { orderId: 'o1', storeId: 'S01' });
    const a: AlertEntry = { id: step.id, kind: 'rejected', command: step, error: { code: 'invalid-transition', message: 'Order W1001 is collected; it cannot be marked ready.' }, at: 1 };
    const en = alertMessage(tr('en'), a, undefined, 'W1001');
    expect(en).toBe('Order marked ready (order W1001) was not applied: Another tablet had already moved the order on. Look at the order in the pickup queue: it shows where it is now.');
    expect(en).not.toContain('order.mark-ready');
    expect(alertMessage(tr('it'), a, undefined, 'W1001')).toContain('W1001');
    expect(alertMessage(tr('it'), a, undefined, 'W1001')).toContain('Un altro tablet aveva già fatto avanzare');
    // A code this app has no words for keeps the server's sentence rather than saying nothing.
    const odd: AlertEntry = { ...a, error: { code: 'brand-new-code', message: 'Something new happened.' } };
    expect(alertMessage(tr('en'), odd, undefined, 'W1001')).toContain('Something new happened.');
  });

  it('[D5][C4] a rejection a restored tablet learned from the server alone (no payload) still says what and why, in words', () => {
    const a: AlertEntry = { id: sale.id, kind: 'rejected', command: { ...sale, payload: null }, error: { code: 'forbidden', message: 'Ana (associate) may not sell.' }, at: 1 };
    expect(saleFacts(a, undefined, 'en')).toBeUndefined();
    const text = alertMessage(tr('en'), a, undefined);
    expect(text).toMatch(/^Sale was not applied: Your role may n/);
    expect(text).not.toContain('sale.complete');
  });
});
