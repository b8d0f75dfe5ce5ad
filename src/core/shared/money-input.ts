// Money as people type it in their locale [MO1]: "1.000,00" is a thousand in pt-BR and it, "1,000.00"
// in en. Parsing is forgiving where it cannot be wrong ("12,50" and "12.50" both mean 12.50).
import type { Currency, Minor } from './brand';

const DIGITS: Record<Currency, number> = { EUR: 2, BRL: 2, USD: 2 };

/** The locale's decimal and grouping separators, read from Intl rather than assumed. */
export function separators(locale: string): { decimal: string; group: string } {
  const parts = new Intl.NumberFormat(locale).formatToParts(1234567.5);
  return {
    decimal: parts.find((p) => p.type === 'decimal')?.value ?? '.',
    group: parts.find((p) => p.type === 'group')?.value ?? ',',
  };
}

/** "1.000,00" for 100000 cents in pt-BR: what a money field shows, without a currency sign. */
export function formatMoneyInput(amount: Minor | number, currency: Currency, locale: string): string {
  const d = DIGITS[currency];
  return new Intl.NumberFormat(locale, { minimumFractionDigits: d, maximumFractionDigits: d }).format(amount / 10 ** d);
}

/**
 * Minor units from what a person typed in `locale`, or undefined if it is not an amount. Accepts the
 * locale's grouping ("1.000,00"), none ("1000,5"), and the other separator as the decimal point when
 * it cannot be a grouping ("12.50" in pt-BR). Never more than the currency's fraction digits, never
 * negative, never beyond what adds up exactly.
 */
export function parseMoneyInput(text: string, currency: Currency, locale: string): Minor | undefined {
  const { decimal, group } = separators(locale);
  // Narrow no-break spaces group digits in some locales; spaces never mean anything else here.
  const t = text.trim().replace(/[\s\u00a0\u202f]/g, '');
  if (t === '' || !/^[\d.,']+$/.test(t)) return undefined;
  const seps = [...t.matchAll(/[.,']/g)].map((m) => m[0]);
  let whole = t;
  let frac = '';
  const last = Math.max(t.lastIndexOf('.'), t.lastIndexOf(','));
  if (last >= 0) {
    const sep = t[last]!;
    const tail = t.slice(last + 1);
    // A separator is the decimal point when it is the locale's, or when it appears once and what
    // follows it cannot be a group of three (so "12.50" is 12.50 wherever you are).
    const isDecimal = sep === decimal ? sep !== group : seps.length === 1 && tail.length !== 3;
    if (isDecimal) {
      whole = t.slice(0, last);
      frac = tail;
    }
  }
  if (frac.length > DIGITS[currency] || /[.,']/.test(frac)) return undefined;
  // What remains of the whole part may carry grouping only in groups of three.
  if (/[.,']/.test(whole)) {
    if (!/^\d{1,3}([.,']\d{3})+$/.test(whole)) return undefined;
    const used = new Set(whole.match(/[.,']/g));
    if (used.size !== 1 || (frac !== '' && used.has(t[last]!))) return undefined;
    whole = whole.replace(/[.,']/g, '');
  }
  if (whole === '' && frac === '') return undefined;
  const value = Number(whole || '0') * 10 ** DIGITS[currency] + Number(frac.padEnd(DIGITS[currency], '0'));
  return Number.isSafeInteger(value) ? (value as Minor) : undefined;
}
