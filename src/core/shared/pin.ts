// PIN hashing with PBKDF2-SHA256 through an injected WebCrypto (the tablet's and Node's are the same
// API), so associates can sign in offline against hashes that reached the tablet [A4].
export const PIN_ITERATIONS = 100_000;

const hex = (b: ArrayBuffer | Uint8Array) => [...new Uint8Array(b)].map((x) => x.toString(16).padStart(2, '0')).join('');
const unhex = (s: string) => new Uint8Array((s.match(/../g) ?? []).map((h) => parseInt(h, 16)));

export async function hashPin(subtle: SubtleCrypto, pin: string, saltHex: string, iterations = PIN_ITERATIONS): Promise<string> {
  const key = await subtle.importKey('raw', new TextEncoder().encode(pin), 'PBKDF2', false, ['deriveBits']);
  const bits = await subtle.deriveBits({ name: 'PBKDF2', hash: 'SHA-256', salt: unhex(saltHex), iterations }, key, 256);
  return hex(bits);
}

/** Constant-time comparison of two hex digests. */
export function sameDigest(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let d = 0;
  for (let i = 0; i < a.length; i++) d |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return d === 0;
}

export async function verifyPin(subtle: SubtleCrypto, pin: string, row: { pinHash: string; pinSalt: string; pinIterations: number }): Promise<boolean> {
  return sameDigest(await hashPin(subtle, pin, row.pinSalt, row.pinIterations), row.pinHash);
}

export const isPin = (pin: string) => /^\d{4,8}$/.test(pin);
export const saltHex = (bytes: Uint8Array) => hex(bytes);
