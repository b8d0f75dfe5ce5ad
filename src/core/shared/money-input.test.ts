// Money input follows the locale [MO1]: "1.000,00" is a thousand in pt-BR and it.
import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { formatMoneyInput, parseMoneyInput } from './money-input';

describe('money input', () => {
  it('[MO1] reads a thousand written the pt-BR and Italian way, and the English way', () => {
    expect(parseMoneyInput('1.000,00', 'BRL', 'pt-BR')).toBe(100000);
    expect(parseMoneyInput('1.000,00', 'EUR', 'it')).toBe(100000);
    expect(parseMoneyInput('1,000.00', 'EUR', 'en')).toBe(100000);
    expect(parseMoneyInput('1.000', 'EUR', 'it')).toBe(100000);
    expect(parseMoneyInput('1.234.567,8', 'EUR', 'pt-BR')).toBe(123456780);
  });

  it('[MO1] accepts amounts without grouping, and the other point where it cannot be a grouping', () => {
    expect(parseMoneyInput('150', 'EUR', 'it')).toBe(15000);
    expect(parseMoneyInput('12,5', 'EUR', 'pt-BR')).toBe(1250);
    expect(parseMoneyInput('12.50', 'EUR', 'pt-BR')).toBe(1250);
    expect(parseMoneyInput('12,50', 'EUR', 'en')).toBe(1250);
    expect(parseMoneyInput(' 0,01 ', 'EUR', 'it')).toBe(1);
  });

  it('[MO1] refuses what is not an amount rather than guessing', () => {
    for (const bad of ['', 'abc', '-5', '1,2,3', '12,345', '1.00.0', '1,000.5,0', '12,505', '1.2345,00', '99999999999999999999']) {
      expect(parseMoneyInput(bad, 'EUR', 'pt-BR'), bad).toBeUndefined();
    }
    expect(parseMoneyInput('1.000,00', 'EUR', 'en')).toBeUndefined();
  });

  it('[MO1] what a money field shows reads back as the same amount, in every locale', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10 ** 12 }), fc.constantFrom('en', 'pt-BR', 'it'), (cents, locale) => {
        const shown = formatMoneyInput(cents, 'EUR', locale);
        expect(parseMoneyInput(shown, 'EUR', locale)).toBe(cents);
      }),
      { seed: 20261203, verbose: true },
    );
    expect(formatMoneyInput(100000, 'BRL', 'pt-BR')).toBe('1.000,00');
  });
});
