// Money typed the way the active locale writes it [MO1]: "1.000,00" is a thousand in pt-BR and it,
// "1,000.00" in en. Pure: the separators come from Intl for the locale given.
import type { Currency, Minor } from '../shared/brand';

const DIGITS: Record<Currency, number> = { EUR: 2, BRL: 2, USD: 2 };

export function separators(locale: string): { group: string; decimal: string } {
  const parts = new Intl.NumberFormat(locale).formatToParts(12345.6);
  return { group: parts.find((p) => p.type === 'group')?.value ?? ',', decimal: parts.find((p) => p.type === 'decimal')?.value ?? '.' };
}

/**
 * Parses an amount typed by a person into minor units, or undefined if it is not one. The locale's
 * decimal separator is the decimal point; its group separator may appear between groups of three.
 * A lone other separator followed by one or two digits is also read as decimal ("12.5" in pt-BR),
 * since nobody writes a thousands group of two digits.
 */
export function parseLocaleMoney(text: string, currency: Currency, locale: string): Minor | undefined {
  const { group, decimal } = separators(locale);
  const t = text.trim().replace(/[\s\u00a0\u202f]/g, '');
  if (t === '') return undefined;
  const g = group.replace(/[\s\u00a0\u202f]/g, '');
  const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const digits = DIGITS[currency];
  const strict = new RegExp(`^(\\d{1,3}(?:${g ? esc(g) : '(?!)'}\\d{3})+|\\d+)(?:${esc(decimal)}(\\d{0,${digits}}))?$`);
  let whole: string;
  let frac: string;
  const m = strict.exec(t);
  if (m) {
    whole = m[1]!.split(g || '\u0000').join('');
    frac = m[2] ?? '';
  } else {
    const loose = new RegExp(`^(\\d+)[.,](\\d{1,${digits}})$`).exec(t);
    if (!loose) return undefined;
    whole = loose[1]!;
    frac = loose[2]!;
  }
  const n = Number(whole) * 10 ** digits + Number(frac.padEnd(digits, '0') || '0');
  return Number.isSafeInteger(n) ? (n as Minor) : undefined;
}

/** Minor units as the locale writes them in a field, without the currency sign ("1.000,00"). */
export function formatMoneyInput(amount: Minor | number, currency: Currency, locale: string): string {
  const digits = DIGITS[currency];
  return new Intl.NumberFormat(locale, { minimumFractionDigits: digits, maximumFractionDigits: digits }).format(amount / 10 ** digits);
}
