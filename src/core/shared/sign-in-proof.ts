// [T2] Proofs that an associate typed their PIN, which the server can check later, offline or not.
// Both sides hold the PIN's PBKDF2 digest H at the moment it matters (the tablet derives it from the
// typed PIN, the server keeps it in `associate_pins`), so a key derived from H authenticates:
//   sign-in  mac = HMAC(HMAC(H, "vitrine-sign-in-v1"), canonical {associateId, deviceId, signInId, at})
//   approval mac = HMAC(HMAC(H, "vitrine-approval-v1"), canonical {by, deviceId, at, subject})
// A device token, a device key or a tablet's storage without the PIN cannot make either.
import { canonicalJson } from './canonical';

/** Carried by every command made under a sign-in (envelope field `signIn`). */
export interface SignInProof {
  /** A UUID made at sign-in. */
  id: string;
  /** When the PIN was checked (ms, tablet clock). */
  at: number;
  /** base64url HMAC-SHA256. */
  mac: string;
}

/** A manager's approval inside another associate's command (payload field `approval`) [RO3]. */
export interface Approval {
  by: string;
  at: number;
  /** What was approved, as the command's handler will check it (e.g. {kind: 'discount', …}). */
  subject: unknown;
  mac: string;
}

const enc = new TextEncoder();
const unhex = (s: string): Uint8Array<ArrayBuffer> => new Uint8Array((s.match(/../g) ?? []).map((h) => parseInt(h, 16)));
const b64url = (b: ArrayBuffer) => {
  let s = '';
  for (const x of new Uint8Array(b)) s += String.fromCharCode(x);
  return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
};

async function hmac(subtle: SubtleCrypto, key: Uint8Array<ArrayBuffer>, data: string): Promise<ArrayBuffer> {
  const k = await subtle.importKey('raw', key, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  return subtle.sign('HMAC', k, enc.encode(data));
}

async function macWith(subtle: SubtleCrypto, pinHashHex: string, purpose: string, body: unknown): Promise<string> {
  const key = new Uint8Array(await hmac(subtle, unhex(pinHashHex), purpose));
  return b64url(await hmac(subtle, key, canonicalJson(body)));
}

export function signInMac(subtle: SubtleCrypto, pinHashHex: string, p: { associateId: string; deviceId: string; signInId: string; at: number }): Promise<string> {
  return macWith(subtle, pinHashHex, 'vitrine-sign-in-v1', p);
}

export function approvalMac(subtle: SubtleCrypto, pinHashHex: string, p: { by: string; deviceId: string; at: number; subject: unknown }): Promise<string> {
  return macWith(subtle, pinHashHex, 'vitrine-approval-v1', p);
}
