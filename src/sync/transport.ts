// HTTP transport to the sync server: JSON in and out, [E1] error bodies turned into typed errors.
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
}

export async function call<T>(t: Transport, method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
  let res: Response;
  try {
    res = await t.fetch(t.baseUrl + path, {
      method,
      headers: {
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...(t.token ? { authorization: `Bearer ${t.token}` } : {}),
      },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      cache: 'no-store',
    });
  } catch (e) {
    throw new SyncHttpError(0, 'network', `The server could not be reached (${e instanceof Error ? e.message : String(e)}).`);
  }
  const text = await res.text();
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
