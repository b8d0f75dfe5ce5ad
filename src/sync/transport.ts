// HTTP transport to the sync server: JSON in and out, [E1] error bodies turned into typed errors.
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
}

export async function call<T>(t: Transport, method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
  // Serialised once: the bytes signed (Content-Digest) are the bytes sent.
  const text = body !== undefined ? JSON.stringify(body) : undefined;
  let res = await send(t, method, path, text);
  // [T1] A signature refused for its time after the answer moved our server-clock offset: sign again once.
  if (res.status === 401 && t.signer?.observe(res.headers.get('date'))) res = await send(t, method, path, text);
  else t.signer?.observe(res.headers.get('date'));
  return read<T>(res);
}

/** The headers of a signed GET that is not made through call() (the event stream). */
export async function authHeaders(t: Transport, path: string): Promise<Record<string, string>> {
  return { ...(t.token ? { authorization: `Bearer ${t.token}` } : {}), ...(t.signer ? await t.signer.sign('GET', path) : {}) };
}

async function send(t: Transport, method: 'GET' | 'POST', path: string, text: string | undefined): Promise<Response> {
  try {
    return await t.fetch(t.baseUrl + path, {
      method,
      headers: {
        ...(text !== undefined ? { 'content-type': 'application/json' } : {}),
        ...(t.token ? { authorization: `Bearer ${t.token}` } : {}),
        ...(t.signer ? await t.signer.sign(method, path, text) : {}),
      },
      ...(text !== undefined ? { body: text } : {}),
      cache: 'no-store',
    });
  } catch (e) {
    throw new SyncHttpError(0, 'network', `The server could not be reached (${e instanceof Error ? e.message : String(e)}).`);
  }
}

async function read<T>(res: Response): Promise<T> {
  const text = await res.text();
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
