// Hardened edges [T6]: security headers, a JSON body reader that keeps the raw bytes (for the
// Content-Digest [T1]) and bounds nesting, and every error — the framework's own included — in [E1].
import type { Socket } from 'node:net';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import helmet from '@fastify/helmet';
import { HttpError } from './errors';
import { MAX_PUSH_BYTES } from '../../../src/core/sync/protocol';

/** Deepest JSON nesting a body may have; real pushes reach about 6. */
export const MAX_JSON_DEPTH = 32;

const errorBody = (code: string, message: string) => JSON.stringify({ error: { code, message } });

/**
 * The deepest nesting of a JSON text, counted without parsing it (strings skipped), so a 20 KB body
 * nested 10,000 deep is refused before any recursive code sees it.
 */
export function jsonDepth(text: string, limit: number): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92) i++; // backslash: skip the escaped character
      else if (c === 34) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 123 || c === 91) {
      if (++depth > max) max = depth;
      if (max > limit) return max;
    } else if (c === 125 || c === 93) depth--;
  }
  return max;
}

/** Keys that could reach an object's prototype once a parsed body is spread or merged. */
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

export function parseJsonBody(raw: Buffer): unknown {
  const text = raw.toString('utf8');
  if (text.trim() === '') throw new HttpError(400, 'invalid-body', 'The request body is empty; send a JSON document.');
  if (jsonDepth(text, MAX_JSON_DEPTH) > MAX_JSON_DEPTH) {
    throw new HttpError(400, 'invalid-body', `The JSON body is nested more than ${MAX_JSON_DEPTH} levels deep; no request of this API needs that.`);
  }
  // A reviver costs a call per value: only pay for it when a forbidden key (or an escape that could
  // spell one) can be in the text.
  const suspicious = text.includes('__proto__') || text.includes('constructor') || text.includes('prototype') || text.includes('\\u');
  try {
    return suspicious
      ? JSON.parse(text, (key, value: unknown) => {
          if (FORBIDDEN_KEYS.has(key)) throw new HttpError(400, 'invalid-body', `The body uses the key "${key}", which this API never accepts; remove it.`);
          return value;
        })
      : JSON.parse(text);
  } catch (e) {
    if (e instanceof HttpError) throw e;
    throw new HttpError(400, 'invalid-body', `The body is not valid JSON (${e instanceof Error ? e.message : String(e)}); send a JSON document.`);
  }
}

/** Fastify options that route the framework's own errors to [E1] bodies. */
export const frameworkOptions = {
  // Malformed HTTP (431 headers too large, a bad request line, …) never reaches a route: answer on
  // the socket in the same [E1] shape.
  clientErrorHandler(err: Error & { code?: string }, socket: Socket) {
    if (!socket.writable) return socket.destroy();
    const tooLarge = err.code === 'HPE_HEADER_OVERFLOW';
    const status = tooLarge ? 431 : 400;
    const body = tooLarge
      ? errorBody('headers-too-large', 'The request headers are too large; send a smaller request.')
      : errorBody('bad-request', 'The request is not valid HTTP; check the client.');
    socket.end(`HTTP/1.1 ${status} ${tooLarge ? 'Request Header Fields Too Large' : 'Bad Request'}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
  },
  frameworkErrors(err: FastifyError, _req: FastifyRequest, reply: FastifyReply) {
    if (err.code === 'FST_ERR_BAD_URL') return reply.status(400).send({ error: { code: 'bad-url', message: 'The request URL is not valid (a bad percent-encoding?); check the address.' } });
    return reply.status(400).send({ error: { code: 'bad-request', message: 'The request could not be read; check the client.' } });
  },
} as const;

/** [E1] for everything a route or plugin throws. */
export function errorHandler(err: FastifyError | HttpError | Error, req: FastifyRequest, reply: FastifyReply): void {
  if (err instanceof HttpError) {
    if (err.status === 429 && err.details && typeof err.details === 'object' && 'retryAfter' in err.details) void reply.header('retry-after', String(err.details.retryAfter));
    void reply.status(err.status).send({ error: { code: err.code, message: err.message, ...(err.details ? { details: err.details } : {}) } });
    return;
  }
  const e = err as { statusCode?: number; status?: number; code?: string; message: string };
  const status = e.statusCode ?? e.status;
  if (status === 413 || e.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
    void reply.status(413).send({ error: { code: 'body-too-large', message: `The request is larger than ${MAX_PUSH_BYTES} bytes; send fewer commands per push.` } });
    return;
  }
  if (status === 415 || e.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
    void reply.status(415).send({ error: { code: 'unsupported-media-type', message: 'Send the body as JSON (Content-Type: application/json).' } });
    return;
  }
  if (status === 403) {
    // @fastify/static refuses a path that climbs out of its root.
    void reply.status(403).send({ error: { code: 'forbidden', message: 'That path is not served.' } });
    return;
  }
  if (status === 429) {
    void reply.status(429).send({ error: { code: 'too-many-requests', message: e.message } });
    return;
  }
  if (status && status >= 400 && status < 500) {
    void reply.status(status).send({ error: { code: 'invalid-body', message: `The request could not be read: ${e.message}` } });
    return;
  }
  req.log.error({ err }, 'request failed');
  void reply.status(500).send({ error: { code: 'server-fault', message: 'The server hit a fault; nothing was lost. The tablet will retry.' } });
}

/** Security headers [T6]. The CSP is what the PWA needs and no more: no inline script anywhere. */
export async function registerHardening(app: FastifyInstance): Promise<void> {
  await app.register(helmet, {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        // The camera scanner's ZXing fallback is WebAssembly, compiled from a same-origin file.
        scriptSrc: ["'self'", "'wasm-unsafe-eval'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:', 'blob:'],
        connectSrc: ["'self'"],
        workerSrc: ["'self'"],
        manifestSrc: ["'self'"],
        mediaSrc: ["'self'", 'blob:'],
        fontSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
      },
    },
    // Product images may come from a CDN later; COEP would block them for no gain here.
    crossOriginEmbedderPolicy: false,
    referrerPolicy: { policy: 'no-referrer' },
    frameguard: { action: 'deny' },
  });
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('application/json', { parseAs: 'buffer', bodyLimit: MAX_PUSH_BYTES }, (req, body, done) => {
    (req as { rawBody?: Buffer }).rawBody = body as Buffer;
    try {
      done(null, parseJsonBody(body as Buffer));
    } catch (e) {
      done(e as Error, undefined);
    }
  });
}
