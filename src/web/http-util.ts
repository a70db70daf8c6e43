/**
 * Small HTTP helpers of the web host: security headers, JSON/text replies, constant-time token
 * comparison and a size-limited body reader. node:http only.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ErrorCode, Result } from '../common/errors.js';

/** STYLE §11's CSP, adapted to this host (no tile: scheme; resources are same-origin /res/ URLs). */
export const WEB_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "connect-src 'self'",
  "worker-src 'self' blob:",
  "font-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** Sent on every response, whatever the route or status. */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

export function setSecurityHeaders(res: ServerResponse): void {
  for (const [name, value] of Object.entries(SECURITY_HEADERS)) res.setHeader(name, value);
}

export function sendBody(
  res: ServerResponse,
  status: number,
  contentType: string,
  body: string | Uint8Array,
  headers: Readonly<Record<string, string>> = {},
): void {
  const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  res.writeHead(status, { ...headers, 'Content-Type': contentType, 'Content-Length': String(bytes.byteLength) });
  res.end(bytes);
}

export function sendText(res: ServerResponse, status: number, text: string): void {
  sendBody(res, status, 'text/plain; charset=utf-8', `${text}\n`, { 'Cache-Control': 'no-store' });
}

export function sendJson(res: ServerResponse, status: number, json: string, headers: Readonly<Record<string, string>> = {}): void {
  sendBody(res, status, 'application/json; charset=utf-8', json, { 'Cache-Control': 'no-store', ...headers });
}

/** A `Result` error body, so every /api/ and /res/ failure has the same shape as a failed call. */
export function sendError(
  res: ServerResponse,
  status: number,
  userMessage: string,
  o: { code?: ErrorCode; headers?: Readonly<Record<string, string>> } = {},
): void {
  const body: Result<never> = { ok: false, error: { code: o.code ?? 'INPUT_INVALID', userMessage } };
  sendJson(res, status, JSON.stringify(body), o.headers);
}

/** Constant-time comparison (both sides hashed first, so the length does not leak either). */
export function tokensEqual(given: string | null | undefined, expected: string): boolean {
  if (typeof given !== 'string' || given.length === 0) return false;
  const a = createHash('sha256').update(given, 'utf8').digest();
  const b = createHash('sha256').update(expected, 'utf8').digest();
  return timingSafeEqual(a, b);
}

export function bearerToken(req: IncomingMessage): string | null {
  const m = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(req.headers.authorization ?? '');
  return m?.[1] ?? null;
}

export type BodyReadResult =
  | { readonly kind: 'ok'; readonly body: Buffer }
  /** Over `maxBytes`; the rest was read and discarded, so a reply can still be sent. */
  | { readonly kind: 'too-large' }
  /** The client went away, or sent so much that the connection was cut: no reply possible. */
  | { readonly kind: 'aborted' };

/**
 * Reads a request body of at most `maxBytes`. A larger body is drained (not kept) up to
 * `hardCapBytes`, then the connection is destroyed.
 */
export function readBody(req: IncomingMessage, maxBytes: number, hardCapBytes = maxBytes * 4): Promise<BodyReadResult> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let receivedBytes = 0;
    let settled = false;
    const finish = (r: BodyReadResult) => {
      if (settled) return;
      settled = true;
      resolve(r);
    };
    req.on('data', (chunk: Buffer) => {
      receivedBytes += chunk.byteLength;
      if (receivedBytes > hardCapBytes) {
        req.destroy();
        finish({ kind: 'aborted' });
      } else if (receivedBytes <= maxBytes) {
        chunks.push(chunk);
      } else {
        chunks.length = 0;
      }
    });
    req.on('end', () => finish(receivedBytes > maxBytes ? { kind: 'too-large' } : { kind: 'ok', body: Buffer.concat(chunks) }));
    req.on('error', () => finish({ kind: 'aborted' }));
    req.on('close', () => finish({ kind: 'aborted' }));
  });
}
