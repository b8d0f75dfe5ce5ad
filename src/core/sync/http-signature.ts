// RFC 9421 HTTP Message Signatures and RFC 9530 Content-Digest as Vitrine profiles them [T1]:
// the one signature base both sides build, so tablet, server and any other client agree byte for byte.
export const SIGNATURE_LABEL = 'sig1';
export const SIGNATURE_ALG = 'ecdsa-p256-sha256';
/** How far `created` may be from the server's clock, either way (seconds). */
export const SIGNATURE_WINDOW_S = 300;

export interface SignatureInput {
  method: string;
  /** The request path, without the query (`@path`). */
  path: string;
  /** The query with its leading `?`, or `?` when there is none (`@query`, RFC 9421 §2.2.7). */
  query: string;
  /** The Content-Digest header value, when the request has a body. */
  contentDigest?: string | undefined;
  created: number;
  keyId: string;
}

/** The inner list and parameters (`Signature-Input` member value and `@signature-params`). */
export function signatureParams(i: Pick<SignatureInput, 'contentDigest' | 'created' | 'keyId'>): string {
  const components = ['"@method"', '"@path"', '"@query"', ...(i.contentDigest !== undefined ? ['"content-digest"'] : [])];
  return `(${components.join(' ')});created=${i.created};keyid="${i.keyId}";alg="${SIGNATURE_ALG}"`;
}

/** The signature base (RFC 9421 §2.5): one line per covered component, then the parameters. */
export function signatureBase(i: SignatureInput): string {
  const lines = [`"@method": ${i.method.toUpperCase()}`, `"@path": ${i.path}`, `"@query": ${i.query}`];
  if (i.contentDigest !== undefined) lines.push(`"content-digest": ${i.contentDigest}`);
  lines.push(`"@signature-params": ${signatureParams(i)}`);
  return lines.join('\n');
}

/** Splits a request target into `@path` and `@query`. */
export function splitTarget(target: string): { path: string; query: string } {
  const q = target.indexOf('?');
  return q < 0 ? { path: target, query: '?' } : { path: target.slice(0, q), query: target.slice(q) };
}

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** Standard base64 (structured-field byte sequences use it, not base64url); pure, for both sides. */
export function toBase64(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const n = (bytes[i]! << 16) | ((bytes[i + 1] ?? 0) << 8) | (bytes[i + 2] ?? 0);
    out += B64[(n >> 18) & 63]! + B64[(n >> 12) & 63]! + (i + 1 < bytes.length ? B64[(n >> 6) & 63]! : '=') + (i + 2 < bytes.length ? B64[n & 63]! : '=');
  }
  return out;
}

/** `sha-256=:<base64>:` for a SHA-256 digest of the body (RFC 9530). */
export const contentDigestHeader = (sha256: Uint8Array) => `sha-256=:${toBase64(sha256)}:`;
