// HTTP transport to the sync server: JSON in and out, [E1] error bodies turned into typed errors,
// a deadline on every request [D10], and the server's clock read from each answer's Date [D8].
import type { ErrorBody } from '@/core/sync/protocol';

export class SyncHttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
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
  /** [D10] A request (answer body included) that takes longer is abandoned as a network failure. */
  timeoutMs?: number;
  /** [D8] Called with the server's time from each answer's Date header (ms), as it arrives. */
  onServerTime?: (serverMs: number) => void;
}

export async function call<T>(t: Transport, method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
  const abort = new AbortController();
  const timer = t.timeoutMs ? setTimeout(() => abort.abort(), t.timeoutMs) : undefined;
  let res: Response;
  let text: string;
  try {
    res = await t.fetch(t.baseUrl + path, {
      method,
      headers: {
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...(t.token ? { authorization: `Bearer ${t.token}` } : {}),
      },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      cache: 'no-store',
      signal: abort.signal,
    });
    text = await res.text();
  } catch (e) {
    if (abort.signal.aborted) throw new SyncHttpError(0, 'timeout', `The server did not answer within ${Math.round((t.timeoutMs ?? 0) / 1000)} s; the tablet will try again.`);
    throw new SyncHttpError(0, 'network', `The server could not be reached (${e instanceof Error ? e.message : String(e)}).`);
  } finally {
    clearTimeout(timer);
  }
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
    throw new SyncHttpError(res.status, err?.code ?? 'http-error', err?.message ?? `HTTP ${res.status}`);
  }
  return json as T;
}

/** [C3][D10] The size of a JSON body on the wire: UTF-8 bytes, not UTF-16 characters. */
export const jsonBytes = (body: unknown): number => new TextEncoder().encode(JSON.stringify(body)).length;
