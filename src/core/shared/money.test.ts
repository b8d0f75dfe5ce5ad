// Money arithmetic stays exact or fails with a clear domain error [T3]: sums and products beyond
// MAX_AMOUNT are `amount-too-large`, never a silently rounded number or a RangeError (a 500).
import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { add, bounded, MAX_AMOUNT, sub, sum, times } from './money';
import { DomainError } from './errors';
import type { Minor } from './brand';

const amount = fc.integer({ min: -MAX_AMOUNT, max: MAX_AMOUNT }).map((n) => n as Minor);

const code = (f: () => unknown): string | undefined => {
  try {
    f();
    return undefined;
  } catch (e) {
    return e instanceof DomainError ? e.code : `not a DomainError: ${String(e)}`;
  }
};

describe('bounded money arithmetic [T3]', () => {
  it('[T3] a sum of amounts is exact when within bounds, and amount-too-large otherwise', () => {
    fc.assert(
      fc.property(fc.array(amount, { maxLength: 30 }), (xs) => {
        // BigInt is the exact reference; each partial sum is checked, as a till adds lines one by one.
        let exact = 0n;
        let over = false;
        for (const x of xs) {
          exact += BigInt(x);
          if (exact > BigInt(MAX_AMOUNT) || exact < -BigInt(MAX_AMOUNT)) over = true;
        }
        if (over) expect(code(() => sum(xs))).toBe('amount-too-large');
        else expect(BigInt(sum(xs))).toBe(exact);
      }),
    );
  });

  it('[T3] a price times a quantity is exact when within bounds, and amount-too-large otherwise, even past 2^53', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: MAX_AMOUNT }), fc.integer({ min: 0, max: 10_000_000 }), (price, qty) => {
        const exact = BigInt(price) * BigInt(qty);
        if (exact > BigInt(MAX_AMOUNT)) expect(code(() => times(price as Minor, qty))).toBe('amount-too-large');
        else expect(BigInt(times(price as Minor, qty))).toBe(exact);
      }),
    );
    expect(code(() => times(9e15 as Minor, 1000))).toBe('amount-too-large');
  });

  it('[T3] add and sub refuse results beyond the bound; bounded names the amount in a sentence', () => {
    expect(code(() => add(MAX_AMOUNT as Minor, 1 as Minor))).toBe('amount-too-large');
    expect(code(() => sub(-MAX_AMOUNT as Minor, 1 as Minor))).toBe('amount-too-large');
    expect(add(MAX_AMOUNT as Minor, 0 as Minor)).toBe(MAX_AMOUNT);
    expect(() => bounded(Infinity)).toThrow(/^An amount of more than can be counted minor units is beyond/);
  });
});
