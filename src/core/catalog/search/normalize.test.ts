// Tests for accent/case folding and word splitting.
import { describe, it, expect } from 'vitest';
import { foldText, indexWords, phraseKey, queryWords } from './normalize';

describe('foldText', () => {
  it('folds "Calça", "calca" and "CALÇA" to the same text', () => {
    expect(foldText('Calça')).toBe('calca');
    expect(foldText('CALÇA')).toBe('calca');
    expect(foldText('calca')).toBe('calca');
  });

  it('strips Portuguese, Italian, French and Spanish accents', () => {
    expect(foldText('Tênis Sandália Blusão Algodão')).toBe('tenis sandalia blusao algodao');
    expect(foldText('Più Città Perché')).toBe('piu citta perche');
    expect(foldText('Été Noël Niño')).toBe('ete noel nino');
  });

  it('spells out letters that have no decomposition', () => {
    expect(foldText('Straße')).toBe('strasse');
    expect(foldText('STRAẞE')).toBe('strasse');
    expect(foldText('Æble Œuvre')).toBe('aeble oeuvre');
    expect(foldText('Ørsted Łódź Þór')).toBe('orsted lodz thor');
  });

  it('lower-cases a dotted capital I without leaving its dot', () => {
    expect(foldText('İstanbul')).toBe('istanbul');
  });

  it('turns ligatures and full-width digits into plain characters', () => {
    expect(foldText('ﬁt ４２')).toBe('fit 42');
  });

  it('is idempotent', () => {
    const once = foldText('Calça Ørsted Straße');
    expect(foldText(once)).toBe(once);
  });
});

describe('queryWords', () => {
  it('splits on spaces and punctuation and keeps digits', () => {
    expect(queryWords('  Calça, Jeans/501 (Azul)… ')).toEqual(['calca', 'jeans', '501', 'azul']);
  });

  it('keeps letters and digits of one word together', () => {
    expect(queryWords('501XX 10.5')).toEqual(['501xx', '10', '5']);
  });

  it('gives nothing for punctuation only', () => {
    expect(queryWords(' - / . ')).toEqual([]);
  });
});

describe('indexWords', () => {
  it('indexes a hyphenated word as its parts and as the joined word', () => {
    expect(indexWords('T-Shirt Básica')).toEqual(['t', 'shirt', 'tshirt', 'basica']);
  });

  it("indexes an apostrophised name as its parts and joined ('D’Amico')", () => {
    expect(indexWords("D’Amico d'Oro")).toEqual(['d', 'amico', 'damico', 'd', 'oro', 'doro']);
  });

  it('does not join words separated by other punctuation', () => {
    expect(indexWords('Azul/Branco 10.5')).toEqual(['azul', 'branco', '10', '5']);
  });
});

describe('phraseKey', () => {
  it('gives one comparable form to differently written phrases', () => {
    expect(phraseKey('Calça  Jeans!')).toBe(phraseKey('calca jeans'));
  });
});
