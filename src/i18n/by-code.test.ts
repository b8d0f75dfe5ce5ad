// [MO1] Codes from the server and the catalog show in the active language; unknown ones as they came.
import { describe, it, expect } from 'vitest';
import { byCode, translate, type T } from './index';

const tIn = (locale: 'en' | 'pt-BR' | 'it'): T => (key, params) => translate(locale, key, params);

describe('byCode', () => {
  it('[MO1] an exception kind, an error code and an attribute name read in the active language', () => {
    expect(byCode(tIn('it'), 'exception.kind', 'loyalty-overdraft', 'loyalty-overdraft')).toBe('Punti riscattati oltre il saldo');
    expect(byCode(tIn('pt-BR'), 'error', 'tender-needs-customer', 'server text')).toMatch(/^Crédito e pontos/);
    expect(byCode(tIn('pt-BR'), 'attribute', 'season', 'season')).toBe('Estação');
  });

  it('[MO1] a code without a message falls back to the server sentence or the chain word', () => {
    expect(byCode(tIn('it'), 'error', 'brand-new-code', 'The server said so.')).toBe('The server said so.');
    expect(byCode(tIn('it'), 'attribute', 'heel-height', 'heel-height')).toBe('heel-height');
  });
});

describe('command names', () => {
  it('[MO1] every command type the registry knows has a name in each language, so "Needs attention" never falls back to "A change"', async () => {
    const { COMMANDS } = await import('@/core/sync/registry');
    const { commandWords } = await import('./command-words');
    for (const locale of ['en', 'pt-BR', 'it'] as const) {
      const other = translate(locale, 'command.other');
      const unnamed = [...COMMANDS.keys()].filter((type) => commandWords(tIn(locale), type) === other);
      expect({ locale, unnamed }).toEqual({ locale, unnamed: [] });
    }
  });
});
