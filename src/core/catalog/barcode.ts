// EAN-13 and UPC-A barcodes: GS1 check digit computation, validation, and building codes from a prefix.

/**
 * GS1 mod-10 check digit for a run of digits (the code without its check digit).
 * Weights alternate 3, 1, … starting from the rightmost digit, which is why the same
 * function serves EAN-13 (12 digits) and UPC-A (11 digits).
 */
function gs1CheckDigit(body: string): number {
  if (!/^\d+$/.test(body)) throw new RangeError(`A barcode body is digits only, got "${body}"`);
  let total = 0;
  for (let i = body.length - 1, weight = 3; i >= 0; i--, weight = weight === 3 ? 1 : 3) {
    total += (body.charCodeAt(i) - 48) * weight;
  }
  return (10 - (total % 10)) % 10;
}

/** Check digit of an EAN-13 from its first 12 digits. */
export function ean13CheckDigit(first12: string): number {
  if (!/^\d{12}$/.test(first12)) throw new RangeError(`An EAN-13 body is exactly 12 digits, got "${first12}"`);
  return gs1CheckDigit(first12);
}

/** Check digit of a UPC-A from its first 11 digits. */
export function upcACheckDigit(first11: string): number {
  if (!/^\d{11}$/.test(first11)) throw new RangeError(`A UPC-A body is exactly 11 digits, got "${first11}"`);
  return gs1CheckDigit(first11);
}

/** True for 13 digits whose last digit is the correct check digit. */
export function isValidEan13(code: string): boolean {
  if (!/^\d{13}$/.test(code)) return false;
  return gs1CheckDigit(code.slice(0, 12)) === code.charCodeAt(12) - 48;
}

/** True for 12 digits whose last digit is the correct check digit. */
export function isValidUpcA(code: string): boolean {
  if (!/^\d{12}$/.test(code)) return false;
  return gs1CheckDigit(code.slice(0, 11)) === code.charCodeAt(11) - 48;
}

/** Completes 12 digits (GS1 prefix + company + item number) into a full EAN-13. */
export function makeEan13(prefix12: string): string {
  return `${prefix12}${ean13CheckDigit(prefix12)}`;
}

/**
 * Any scanned retail code as the catalog stores it: a valid UPC-A is an EAN-13 with a leading 0,
 * so scanners that report 12 digits still find the product. Undefined when the code is not valid.
 */
export function normalizeRetailBarcode(code: string): string | undefined {
  const c = code.trim();
  if (isValidEan13(c)) return c;
  if (isValidUpcA(c)) return `0${c}`;
  return undefined;
}
