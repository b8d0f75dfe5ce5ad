// HTTP transport to the sync server: JSON in and out, [E1] error bodies turned into typed errors,
// a deadline on every request [D10], the server's clock read from each answer's Date [D8], and
// every request signed with the tablet's device-bound key [T1].
import type { ErrorBody } from '@/core/sync/protocol';
import type { RequestSigner } from './signing';

export class SyncHttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** The [E1] body's `details`, when the server sent any. */
    readonly details?: unknown,
  ) {
    super(message);
  }
  /** 5xx, 429 and network failures are worth retrying; other 4xx are answers. */
  get retryable() {
    return this.status >= 500 || this.status === 429 || this.status === 0;
  }
}

export type FetchLike = typeof fetch;

export interface Transport {
  baseUrl: string;
  fetch: FetchLike;
  token?: string | undefined;
  /** [T1] Signs each request with the tablet's device-bound key; absent only before enrollment. */
  signer?: RequestSigner | undefined;
  /** [D10] A request (answer body included) that takes longer is abandoned as a network failure. */
  timeoutMs?: number;
  /** [D8] Called with the server's time from each answer's Date header (ms), as it arrives. */
  onServerTime?: (serverMs: number) => void;
}

interface Answer {
  res: Response;
  text: string;
}

export async function call<T>(t: Transport, method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
  return callJson<T>(t, method, path, body !== undefined ? JSON.stringify(body) : undefined);
}

/** call() with a body already serialised (a push measures its bytes as it builds them). */
export async function callJson<T>(t: Transport, method: 'GET' | 'POST', path: string, text: string | undefined): Promise<T> {
  // Serialised once: the bytes signed (Content-Digest) are the bytes sent.
  let a = await send(t, method, path, text);
  // [T1] A signature refused for its time after the answer moved our server-clock offset: sign again once.
  if (a.res.status === 401 && t.signer?.observe(a.res.headers.get('date'))) a = await send(t, method, path, text);
  else t.signer?.observe(a.res.headers.get('date'));
  return read<T>(t, a);
}

/** The headers of a signed GET that is not made through call() (the event stream). */
export async function authHeaders(t: Transport, path: string): Promise<Record<string, string>> {
  return { ...(t.token ? { authorization: `Bearer ${t.token}` } : {}), ...(t.signer ? await t.signer.sign('GET', path) : {}) };
}

async function send(t: Transport, method: 'GET' | 'POST', path: string, text: string | undefined): Promise<Answer> {
  const abort = new AbortController();
  const timer = t.timeoutMs ? setTimeout(() => abort.abort(), t.timeoutMs) : undefined;
  try {
    const res = await t.fetch(t.baseUrl + path, {
      method,
      headers: {
        ...(text !== undefined ? { 'content-type': 'application/json' } : {}),
        ...(t.token ? { authorization: `Bearer ${t.token}` } : {}),
        ...(t.signer ? await t.signer.sign(method, path, text) : {}),
      },
      ...(text !== undefined ? { body: text } : {}),
      cache: 'no-store',
      signal: abort.signal,
    });
    // The deadline covers the body too: a server that stalls mid-answer is as gone as a silent one.
    return { res, text: await res.text() };
  } catch (e) {
    if (abort.signal.aborted) throw new SyncHttpError(0, 'timeout', `The server did not answer within ${Math.round((t.timeoutMs ?? 0) / 1000)} s; the tablet will try again.`);
    throw new SyncHttpError(0, 'network', `The server could not be reached (${e instanceof Error ? e.message : String(e)}).`);
  } finally {
    clearTimeout(timer);
  }
}

function read<T>(t: Transport, { res, text }: Answer): T {
  const date = res.headers.get('date');
  if (date && t.onServerTime) {
    const ms = Date.parse(date);
    if (Number.isFinite(ms)) t.onServerTime(ms);
  }
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    throw new SyncHttpError(res.status || 502, 'bad-response', `The server answered with something that is not JSON (HTTP ${res.status}).`);
  }
  if (!res.ok) {
    const err = (json as ErrorBody | undefined)?.error;
    throw new SyncHttpError(res.status, err?.code ?? 'http-error', err?.message ?? `HTTP ${res.status}`, err?.details);
  }
  return json as T;
}

/** [C3][D10] The size of a JSON body on the wire: UTF-8 bytes, not UTF-16 characters. */
export const jsonBytes = (body: unknown): number => utf8Bytes(JSON.stringify(body));

/** UTF-8 length of a string, counted without encoding it (a lone surrogate counts as U+FFFD: 3 bytes). */
export function utf8Bytes(s: string): number {
  let n = s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) continue;
    if (c < 0x800) n += 1;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      n += 2; // a surrogate pair: 4 bytes for 2 UTF-16 units
      i += 1;
    } else n += 2;
  }
  return n;
}
