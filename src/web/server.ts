/**
 * The web host: the renderer build plus CoreApi over HTTP, on 127.0.0.1 only, for development,
 * lab workstations and the end-to-end tests (STYLE §10). A host like the CLI, not a layer.
 *
 *   POST /api/call/<method>   body {"args":[…]}, header `Authorization: Bearer <token>`
 *                             → 200 Result<T> (`{ok:true,value}` | `{ok:false,error:{code,userMessage}}`)
 *   GET  /api/events?token=   Server-Sent Events, one `event: <topic>` per CoreEvents emission
 *   GET  /res/<…>?token=      CoreHandle.readResource, only for RESOURCE_PATH_PATTERN paths
 *   GET  /, /index.html, /assets/…   the static renderer build (no token needed)
 *
 * Every request must carry `Host: 127.0.0.1:<port>` or `localhost:<port>` (DNS rebinding) and,
 * on /api/ and /res/, no foreign `Origin`. Failures on /api/ and /res/ have a Result error body.
 */
import { randomBytes } from 'node:crypto';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CORE_METHODS, RESOURCE_PATH_PATTERN, type CoreApi, type CoreMethod, type Resource } from '../common/api.js';
import { isAppErrorLike, toErrorInfo, type Result } from '../common/errors.js';
import { bearerToken, readBody, sendBody, sendError, sendJson, sendText, setSecurityHeaders, tokensEqual } from './http-util.js';
import { createSseHub, type SseHub } from './sse.js';
import { createStaticFiles, type StaticFiles } from './static-files.js';

/** What the web host needs from the core: CoreApi plus resource bytes (CoreHandle satisfies it). */
export type WebCore = CoreApi & { readResource(path: string): Promise<Resource | null> };

export interface WebHostOptions {
  readonly core: WebCore;
  /** The renderer build (index.html, assets/…). */
  readonly staticDir: string;
  readonly host?: '127.0.0.1';
  /** 0 (default): a free port chosen by the system. */
  readonly port?: number;
  /** Default: 32 random bytes, hex. */
  readonly token?: string;
  /** Default 15 000. */
  readonly heartbeatMs?: number;
  /** One line per unexpected failure; default: stderr. */
  readonly log?: (line: string) => void;
}

export interface WebHost {
  /** Open this in a browser: http://127.0.0.1:PORT/?token=… */
  readonly url: string;
  readonly origin: string;
  readonly port: number;
  readonly token: string;
  close(): Promise<void>;
}

export const MAX_BODY_BYTES = 16 * 1024 * 1024;
const CALL_PREFIX = '/api/call/';
const TOKEN_PATTERN = /^[A-Za-z0-9._~-]{16,256}$/;
/** In-flight requests get this long after close() before their connections are cut. */
const CLOSE_GRACE_MS = 1000;

interface Context {
  readonly core: WebCore;
  readonly token: string;
  readonly files: StaticFiles;
  readonly sse: SseHub;
  readonly log: (line: string) => void;
  /** Lower-case `host:port` values accepted in the Host header. */
  readonly allowedHosts: ReadonlySet<string>;
  readonly allowedOrigins: ReadonlySet<string>;
}

const RESOURCE_CACHE_SECONDS = 3600;

function cacheControlForResource(resourcePath: string): string {
  return /^\/res\/(thumb|dzi)\//.test(resourcePath) ? `private, max-age=${RESOURCE_CACHE_SECONDS}` : 'no-store';
}

function isCoreMethod(name: string): name is CoreMethod {
  return (CORE_METHODS as readonly string[]).includes(name);
}

function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** `{ "args": [...] }` → the args, or null. */
export function parseCallBody(body: Buffer): unknown[] | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch {
    return null;
  }
  if (typeof parsed !== 'object' || parsed === null) return null;
  const args = (parsed as { args?: unknown }).args;
  return Array.isArray(args) ? args : null;
}

async function callCore(ctx: Context, method: CoreMethod, args: unknown[]): Promise<string> {
  let result: Result<unknown>;
  try {
    const fn = ctx.core[method] as (...a: unknown[]) => Promise<unknown>;
    result = { ok: true, value: await fn.apply(ctx.core, args) };
  } catch (e) {
    if (!isAppErrorLike(e)) ctx.log(`${method} failed: ${messageOf(e)}`);
    result = { ok: false, error: toErrorInfo(e) };
  }
  try {
    return JSON.stringify(result);
  } catch (e) {
    ctx.log(`${method}: the result could not be sent: ${messageOf(e)}`);
    return JSON.stringify({ ok: false, error: toErrorInfo(e) } satisfies Result<never>);
  }
}

async function handleCall(ctx: Context, req: IncomingMessage, res: ServerResponse, method: string): Promise<void> {
  if (!isCoreMethod(method)) return sendError(res, 404, `There is no method “${method.slice(0, 100)}”.`);
  if (req.method !== 'POST') return sendError(res, 405, 'Use POST for API calls.', { headers: { Allow: 'POST' } });
  const read = await readBody(req, MAX_BODY_BYTES);
  if (read.kind === 'aborted') return;
  if (read.kind === 'too-large') {
    return sendError(res, 400, `The request is too large (more than ${MAX_BODY_BYTES / 1024 / 1024} MB).`);
  }
  const args = parseCallBody(read.body);
  if (args === null) return sendError(res, 400, 'The request must be JSON of the form {"args": [...]}.');
  sendJson(res, 200, await callCore(ctx, method, args));
}

async function handleResource(ctx: Context, req: IncomingMessage, res: ServerResponse, rawPath: string): Promise<void> {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    return sendError(res, 405, 'Use GET for resources.', { headers: { Allow: 'GET, HEAD' } });
  }
  if (!RESOURCE_PATH_PATTERN.test(rawPath)) return sendError(res, 404, 'No such resource.');
  let resource: Resource | null;
  try {
    resource = await ctx.core.readResource(rawPath);
  } catch (e) {
    if (!isAppErrorLike(e)) ctx.log(`resource ${rawPath} failed: ${messageOf(e)}`);
    const error = toErrorInfo(e);
    return sendError(res, 500, error.userMessage, { code: error.code });
  }
  if (!resource) return sendError(res, 404, 'No such resource (the image may have been removed).');
  sendBody(res, 200, resource.contentType, resource.data, { 'Cache-Control': cacheControlForResource(rawPath) });
}

/** /api/… and /res/…: Origin, then token, then the route. */
async function handleGuarded(ctx: Context, req: IncomingMessage, res: ServerResponse, rawPath: string, query: URLSearchParams): Promise<void> {
  const origin = req.headers.origin;
  if (origin !== undefined && !ctx.allowedOrigins.has(origin)) {
    return sendError(res, 403, 'Requests from other web sites are not allowed.');
  }
  const isCall = rawPath.startsWith(CALL_PREFIX);
  // API calls send the token as a header; EventSource and <img> URLs cannot, so they use ?token=.
  const given = isCall ? bearerToken(req) : (bearerToken(req) ?? query.get('token'));
  if (!tokensEqual(given, ctx.token)) {
    return sendError(res, 401, 'This page is not connected to the running Calciquant. Open the address it printed again.', {
      headers: { 'WWW-Authenticate': 'Bearer' },
    });
  }
  if (isCall) return handleCall(ctx, req, res, rawPath.slice(CALL_PREFIX.length));
  if (rawPath === '/api/events') {
    if (req.method !== 'GET') return sendError(res, 405, 'Use GET for events.', { headers: { Allow: 'GET' } });
    return ctx.sse.open(req, res);
  }
  if (rawPath.startsWith('/res/')) return handleResource(ctx, req, res, rawPath);
  return sendError(res, 404, 'Not found.');
}

async function handleRequest(ctx: Context, req: IncomingMessage, res: ServerResponse): Promise<void> {
  setSecurityHeaders(res);
  const rawUrl = req.url ?? '';
  if (!rawUrl.startsWith('/')) return sendText(res, 400, 'Bad request');
  if (!ctx.allowedHosts.has((req.headers.host ?? '').toLowerCase())) return sendText(res, 403, 'Forbidden host');
  const queryAt = rawUrl.indexOf('?');
  const rawPath = queryAt < 0 ? rawUrl : rawUrl.slice(0, queryAt);
  const query = new URLSearchParams(queryAt < 0 ? '' : rawUrl.slice(queryAt + 1));
  if (rawPath === '/api' || rawPath.startsWith('/api/') || rawPath.startsWith('/res/')) {
    return handleGuarded(ctx, req, res, rawPath, query);
  }
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.setHeader('Allow', 'GET, HEAD');
    return sendText(res, 405, 'Method not allowed');
  }
  return ctx.files.serve(res, rawPath);
}

function listen(server: http.Server, host: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host, port, exclusive: true }, () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

function validateOptions(o: WebHostOptions): void {
  if ((o.host ?? '127.0.0.1') !== '127.0.0.1') throw new Error('the web host binds to 127.0.0.1 only');
  const port = o.port ?? 0;
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`invalid port ${String(o.port)}`);
  if (o.token !== undefined && !TOKEN_PATTERN.test(o.token)) {
    throw new Error('the token must be 16–256 URL-safe characters (letters, digits, . _ ~ -)');
  }
}

export async function startWebHost(o: WebHostOptions): Promise<WebHost> {
  validateOptions(o);
  const host = '127.0.0.1';
  const token = o.token ?? randomBytes(32).toString('hex');
  const log = o.log ?? ((line: string) => void process.stderr.write(`[calciquant web] ${line}\n`));
  const files = await createStaticFiles(o.staticDir);
  const sse = createSseHub(o.core, { heartbeatMs: o.heartbeatMs ?? 15_000, log });
  // Filled once the port is known; until then every Host is refused.
  const allowedHosts = new Set<string>();
  const allowedOrigins = new Set<string>();
  const ctx: Context = { core: o.core, token, files, sse, log, allowedHosts, allowedOrigins };

  const server = http.createServer((req, res) => {
    handleRequest(ctx, req, res).catch((e: unknown) => {
      log(`${req.method ?? '?'} ${(req.url ?? '').slice(0, 200)} failed: ${messageOf(e)}`);
      if (res.headersSent) res.destroy();
      else sendError(res, 500, toErrorInfo(e).userMessage, { code: 'INTERNAL' });
    });
  });
  const port = await listen(server, host, o.port ?? 0);
  for (const name of [host, 'localhost']) {
    allowedHosts.add(`${name}:${port}`);
    allowedOrigins.add(`http://${name}:${port}`);
  }
  const origin = `http://${host}:${port}`;

  let closing: Promise<void> | null = null;
  const close = () =>
    (closing ??= new Promise<void>((resolve) => {
      const cutOff = setTimeout(() => server.closeAllConnections(), CLOSE_GRACE_MS);
      cutOff.unref();
      server.close(() => {
        clearTimeout(cutOff);
        resolve();
      });
      sse.closeAll();
      server.closeIdleConnections();
    }));

  return { url: `${origin}/?token=${token}`, origin, port, token, close };
}
