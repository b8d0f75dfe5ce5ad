// [MO1] Money input follows the locale: "1.000,00" is a thousand in pt-BR and it, "1,000.00" in en.
import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { parseLocaleMoney, formatMoneyInput } from './locale-money';

describe('parseLocaleMoney', () => {
  it('[MO1] reads "1.000,00" as a thousand in pt-BR and it, and "1,000.00" in en', () => {
    expect(parseLocaleMoney('1.000,00', 'BRL', 'pt-BR')).toBe(100_000);
    expect(parseLocaleMoney('1.000,00', 'EUR', 'it')).toBe(100_000);
    expect(parseLocaleMoney('1,000.00', 'EUR', 'en')).toBe(100_000);
    expect(parseLocaleMoney('12,5', 'EUR', 'it')).toBe(1250);
    expect(parseLocaleMoney('12.50', 'EUR', 'en')).toBe(1250);
    expect(parseLocaleMoney('12', 'EUR', 'pt-BR')).toBe(1200);
  });

  it('[MO1] refuses what is not money: letters, three decimals, misplaced groups, negatives', () => {
    for (const s of ['abc', '1,234', '12,345', '1.00.0', '-5', '1,2,3', '']) expect(parseLocaleMoney(s, 'EUR', 'it')).toBeUndefined();
    expect(parseLocaleMoney('1.234', 'EUR', 'en')).toBeUndefined();
  });

  it('[MO1] what the field shows reads back as the same amount, in every locale (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1e13 }), fc.constantFrom('en', 'pt-BR', 'it'), (n, locale) => {
        expect(parseLocaleMoney(formatMoneyInput(n, 'EUR', locale), 'EUR', locale)).toBe(n);
      }),
    );
  });
});
