// Tests that the translated catalogs stay in step with the English source catalog.
import { describe, it, expect } from 'vitest';
import { en } from './en';
import { ptBR } from './pt-BR';
import { it as itCatalog } from './it';

const translations: Record<string, Record<string, string>> = { 'pt-BR': ptBR, it: itCatalog };
const english: Record<string, string> = en;

/** Messages that really are spelled the same in another language (brand, acronyms, loanwords). */
const SAME_IN_TRANSLATION = new Set(['Vitrine', 'PIN', 'Email', 'E-mail', 'Total', 'Online', 'Offline']);

const placeholders = (text: string): string[] => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!).sort();

describe('message catalogs', () => {
  it('every catalog has exactly the keys of the English one', () => {
    const englishKeys = Object.keys(english);
    for (const [locale, catalog] of Object.entries(translations)) {
      const keys = Object.keys(catalog);
      const missing = englishKeys.filter((k) => !(k in catalog));
      const extra = keys.filter((k) => !(k in english));
      expect({ locale, missing, extra }).toEqual({ locale, missing: [], extra: [] });
      expect(keys.sort()).toEqual([...englishKeys].sort());
    }
  });

  it('every translation keeps the placeholders of the English message', () => {
    const mismatches: string[] = [];
    for (const [locale, catalog] of Object.entries(translations)) {
      for (const [key, source] of Object.entries(english)) {
        const want = placeholders(source);
        const got = placeholders(catalog[key] ?? '');
        if (want.join() !== got.join()) mismatches.push(`${locale} ${key}: expected {${want.join('},{')}}, got {${got.join('},{')}}`);
      }
    }
    expect(mismatches).toEqual([]);
  });

  it('no translated message is empty', () => {
    const empty: string[] = [];
    for (const [locale, catalog] of Object.entries(translations)) {
      for (const [key, text] of Object.entries(catalog)) {
        if (typeof text !== 'string' || text.trim() === '') empty.push(`${locale} ${key}`);
      }
    }
    expect(empty).toEqual([]);
  });

  it('translations are not copies of the English text', () => {
    const copies: string[] = [];
    for (const [locale, catalog] of Object.entries(translations)) {
      for (const [key, source] of Object.entries(english)) {
        if (catalog[key] === source && !SAME_IN_TRANSLATION.has(source)) copies.push(`${locale} ${key}: “${source}”`);
      }
    }
    expect(copies).toEqual([]);
  });
});
