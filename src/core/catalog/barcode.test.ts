// Tests for EAN-13 / UPC-A check digits and validation.
import { describe, it, expect } from 'vitest';
import {
  ean13CheckDigit,
  isValidEan13,
  isValidUpcA,
  makeEan13,
  normalizeRetailBarcode,
  upcACheckDigit,
} from './barcode';

describe('EAN-13', () => {
  it('computes the check digit of known codes', () => {
    expect(ean13CheckDigit('400638133393')).toBe(1); // 4006381333931
    expect(ean13CheckDigit('560123456789')).toBe(2);
    expect(ean13CheckDigit('978030640615')).toBe(7); // ISBN 978-0-306-40615-7
    expect(ean13CheckDigit('000000000000')).toBe(0);
  });

  it('accepts valid codes and rejects a wrong check digit', () => {
    expect(isValidEan13('4006381333931')).toBe(true);
    expect(isValidEan13('9780306406157')).toBe(true);
    expect(isValidEan13('4006381333932')).toBe(false);
  });

  it('rejects codes of the wrong length or with non-digits', () => {
    expect(isValidEan13('400638133393')).toBe(false);
    expect(isValidEan13('40063813339310')).toBe(false);
    expect(isValidEan13('40063813339a1')).toBe(false);
    expect(isValidEan13('')).toBe(false);
  });

  it('detects any single-digit typo', () => {
    const code = '5601234567892';
    for (let i = 0; i < 13; i++) {
      for (let d = 0; d <= 9; d++) {
        if (String(d) === code[i]) continue;
        const typo = code.slice(0, i) + String(d) + code.slice(i + 1);
        expect(isValidEan13(typo)).toBe(false);
      }
    }
  });

  it('makes a valid code from a 12-digit prefix', () => {
    expect(makeEan13('560123456789')).toBe('5601234567892');
    for (let n = 0; n < 500; n++) {
      expect(isValidEan13(makeEan13(`560${String(n).padStart(9, '0')}`))).toBe(true);
    }
  });

  it('refuses a prefix that is not 12 digits', () => {
    expect(() => ean13CheckDigit('12345')).toThrow(RangeError);
    expect(() => makeEan13('56012345678x')).toThrow(RangeError);
  });
});

describe('UPC-A', () => {
  it('computes and validates known codes', () => {
    expect(upcACheckDigit('03600029145')).toBe(2); // 036000291452
    expect(isValidUpcA('036000291452')).toBe(true);
    expect(isValidUpcA('036000291453')).toBe(false);
    expect(isValidUpcA('36000291452')).toBe(false);
  });

  it('a UPC-A with a leading zero is a valid EAN-13', () => {
    expect(isValidEan13('0036000291452')).toBe(true);
    expect(normalizeRetailBarcode('036000291452')).toBe('0036000291452');
    expect(normalizeRetailBarcode(' 4006381333931 ')).toBe('4006381333931');
    expect(normalizeRetailBarcode('1234')).toBeUndefined();
  });
});
