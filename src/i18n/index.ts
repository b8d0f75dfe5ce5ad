// Message catalogs and formatting: every user-facing string goes through t(); money and dates
// through Intl for the active locale. The language choice is remembered on this tablet.
import { create } from 'zustand';
import { en, type Catalog, type MessageKey } from './en';
import { ptBR } from './pt-BR';
import { it } from './it';

export const CATALOGS = { en, 'pt-BR': ptBR, it } satisfies Record<string, Catalog>;
export type Locale = keyof typeof CATALOGS;
export const LOCALES: { id: Locale; label: string }[] = [
  { id: 'en', label: 'English' },
  { id: 'pt-BR', label: 'Português (BR)' },
  { id: 'it', label: 'Italiano' },
];

const initial = (): Locale => {
  try {
    const saved = globalThis.localStorage?.getItem('vitrine.locale');
    if (saved && saved in CATALOGS) return saved as Locale;
  } catch {
    /* no storage: default */
  }
  return 'en';
};

export const useLocale = create<{ locale: Locale; setLocale: (l: Locale) => void }>((set) => ({
  locale: initial(),
  setLocale: (locale) => {
    try {
      globalThis.localStorage?.setItem('vitrine.locale', locale);
    } catch {
      /* ignore */
    }
    if (typeof document !== 'undefined') document.documentElement.lang = locale;
    set({ locale });
  },
}));

export type Params = Record<string, string | number>;

export function translate(locale: Locale, key: MessageKey, params?: Params): string {
  const text: string = CATALOGS[locale][key] ?? en[key];
  if (!params) return text;
  return text.replace(/\{(\w+)\}/g, (m, name: string) => (name in params ? String(params[name]) : m));
}

export type T = (key: MessageKey, params?: Params) => string;

export function useT(): T {
  const locale = useLocale((s) => s.locale);
  return (key, params) => translate(locale, key, params);
}

/** "4 min ago" in the active language, from a timestamp and now (both ms). */
export function formatAge(t: T, at: number, now: number): string {
  const s = Math.max(0, Math.round((now - at) / 1000));
  if (s < 60) return t('age.now');
  if (s < 3600) return t('age.min', { n: Math.floor(s / 60) });
  if (s < 86400) return t('age.hour', { n: Math.floor(s / 3600) });
  return t('age.day', { n: Math.floor(s / 86400) });
}

/**
 * A stable code shown in the active language [MO1]: an error code, an exception kind or a catalog
 * attribute name, through its `<prefix>.<code>` message; codes without one show `fallback` (the
 * server's sentence, or the chain's own word) as they came.
 */
export function byCode(t: T, prefix: 'error' | 'exception.kind' | 'attribute', code: string, fallback: string): string {
  const key = `${prefix}.${code}`;
  return key in en ? t(key as MessageKey) : fallback;
}

export function formatTime(locale: Locale, at: number | string): string {
  return new Intl.DateTimeFormat(locale, { hour: '2-digit', minute: '2-digit', day: '2-digit', month: 'short' }).format(new Date(at));
}

/**
 * A length of time as people read it, with the language's own plural ("1 hour", "3 ore", "1 dia"):
 * minutes under an hour, hours under a day, then days. From the platform's Intl, not a table of our own.
 */
export function formatDuration(locale: Locale, minutes: number): string {
  const m = Math.max(0, Math.round(minutes));
  const [n, unit] = m < 60 ? [m, 'minute'] : m < 1440 ? [Math.floor(m / 60), 'hour'] : [Math.floor(m / 1440), 'day'];
  return new Intl.NumberFormat(locale, { style: 'unit', unit, unitDisplay: 'long' }).format(n);
}

/** A size in bytes as people read it, in the language's own digits: "950 kB", "3.9 MB", "11 GB", "3,9 MB". */
export function formatBytes(locale: Locale, bytes: number): string {
  const b = Math.max(0, bytes);
  const [n, unit] = b < 1e6 ? [b / 1e3, 'kilobyte'] : b < 1e9 ? [b / 1e6, 'megabyte'] : [b / 1e9, 'gigabyte'];
  return new Intl.NumberFormat(locale, { style: 'unit', unit, unitDisplay: 'short', maximumFractionDigits: n < 10 ? 1 : 0 }).format(n);
}

export type { MessageKey };
