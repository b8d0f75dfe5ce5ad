// Money in integer minor units: bounded, overflow-safe arithmetic that never touches floats, and half-up rounding for tax.
import type { Currency, Minor } from './brand';
import { DomainError } from './errors';

export const minor = (n: number): Minor => {
  if (!Number.isSafeInteger(n)) throw new RangeError(`Money must be a whole number of minor units, got ${n}`);
  return n as Minor;
};

/**
 * [T3] The largest amount (in minor units, either sign) any price, total or sum may reach: 1e11, a
 * billion in a two-decimal currency, far above any real sale yet far below 2^53, where integer
 * arithmetic in doubles stops being exact. Beyond it a command is rejected `amount-too-large`: a
 * clear answer instead of a silently rounded total or a server fault.
 */
export const MAX_AMOUNT = 100_000_000_000;

/** An amount within ±MAX_AMOUNT, or a DomainError `amount-too-large` (never a RangeError, which would be a 500). */
export function bounded(n: number): Minor {
  if (!Number.isFinite(n) || Math.abs(n) > MAX_AMOUNT) {
    throw new DomainError('amount-too-large', `An amount of ${Number.isFinite(n) ? n : 'more than can be counted'} minor units is beyond the largest this system handles (${MAX_AMOUNT}); check the quantities and prices.`);
  }
  return minor(n);
}

export const ZERO = 0 as Minor;
/** Overflow-safe: every result is checked against MAX_AMOUNT. */
export const add = (a: Minor, b: Minor): Minor => bounded(a + b);
export const sub = (a: Minor, b: Minor): Minor => bounded(a - b);
export const times = (a: Minor, qty: number): Minor => bounded(a * qty);
export const sum = (xs: readonly Minor[]): Minor => xs.reduce<Minor>(add, ZERO);

/** Rounds a non-integer amount of minor units half away from zero (commercial rounding). */
export function roundHalfUp(x: number): Minor {
  const r = Math.sign(x) * Math.floor(Math.abs(x) + 0.5);
  return minor(r === 0 ? 0 : r);
}

/**
 * Tax contained in a tax-inclusive gross amount at `ratePermille` (e.g. 230 = 23 %).
 * Per line, half-up: the rule in domain.md.
 */
export function taxIncluded(gross: Minor, ratePermille: number): Minor {
  return roundHalfUp((gross * ratePermille) / (1000 + ratePermille));
}

/** Tax added on top of a tax-exclusive net amount. */
export function taxOnTop(net: Minor, ratePermille: number): Minor {
  return roundHalfUp((net * ratePermille) / 1000);
}

const FRACTION_DIGITS: Record<Currency, number> = { EUR: 2, BRL: 2, USD: 2 };

/** Formats minor units for display; the locale comes from the active UI language. */
export function formatMoney(amount: Minor | number, currency: Currency, locale: string): string {
  const digits = FRACTION_DIGITS[currency];
  return new Intl.NumberFormat(locale, { style: 'currency', currency }).format(amount / 10 ** digits);
}

/** Parses what a cashier types ("12,50", "12.5", "12") into minor units; undefined if it is not money. */
export function parseMoney(text: string, currency: Currency): Minor | undefined {
  const t = text.trim().replace(/\s/g, '');
  if (!/^\d+([.,]\d{0,2})?$/.test(t)) return undefined;
  const [whole, frac = ''] = t.split(/[.,]/);
  const digits = FRACTION_DIGITS[currency];
  return minor(Number(whole) * 10 ** digits + Number(frac.padEnd(digits, '0') || '0'));
}
