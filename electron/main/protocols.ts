/**
 * Our two privileged schemes:
 * - `app://calciquant/…` serves the renderer build (dist/renderer) and nothing outside it;
 * - `calciquant-res://app/res/…` serves pixel resources through CoreHandle.readResource, only for
 *   paths matching RESOURCE_PATH_PATTERN.
 * Both answer with the CSP. The handlers are plain `Request → Response` functions (tested without
 * Electron); installProtocols wires them to Electron's protocol module.
 */
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { protocol } from 'electron';
import { RESOURCE_PATH_PATTERN, type Resource } from '../../src/common/api.js';
import { contentTypeFor } from '../../src/web/static-files.js';
import { toAppError } from '../../src/common/errors.js';
import { APP_HOST, APP_ORIGIN, APP_SCHEME, RESOURCE_SCHEME } from '../common/channels.js';
import { SECURITY_HEADERS } from './security.js';

export type ProtocolHandler = (req: Request) => Promise<Response>;

/** Must run before app 'ready'. */
export function registerPrivilegedSchemes(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true } },
    { scheme: RESOURCE_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, corsEnabled: true } },
  ]);
}


const PLACEHOLDER_HTML =
  '<!doctype html><meta charset="utf-8"><title>Calciquant</title>' +
  '<p style="font:16px sans-serif;margin:2em">The user interface has not been built. ' +
  'Run <code>npm run build:renderer</code>, then start Calciquant again.</p>';

function respond(status: number, body: string | Uint8Array<ArrayBuffer> | null, headers: Record<string, string> = {}): Response {
  return new Response(body, { status, headers: { ...SECURITY_HEADERS, ...headers } });
}
const notFound = (): Response => respond(404, 'Not found', { 'Content-Type': 'text/plain; charset=utf-8' });

/**
 * The file under `root` named by a URL path, or null when it would leave `root` (`..`, encoded
 * separators, NUL, drive letters, …). `/` means `/index.html`.
 */
export function resolveInside(root: string, urlPath: string): string | null {
  let rel: string;
  try {
    rel = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (rel.includes('\0') || !rel.startsWith('/')) return null;
  if (rel === '/') rel = '/index.html';
  const base = path.resolve(root);
  const file = path.resolve(base, '.' + rel.replace(/\\/g, '/'));
  const inside = path.relative(base, file);
  if (!inside || inside.startsWith('..') || path.isAbsolute(inside)) return null;
  return file;
}

async function isFile(p: string): Promise<boolean> {
  try {
    return (await stat(p)).isFile();
  } catch {
    return false;
  }
}

/** Handler of `app://calciquant/…`: files of the renderer build only. */
export function createAppHandler(rendererDir: string): ProtocolHandler {
  return async (req) => {
    const url = new URL(req.url);
    if (url.protocol !== `${APP_SCHEME}:` || url.host !== APP_HOST || req.method !== 'GET') return notFound();
    const file = resolveInside(rendererDir, url.pathname);
    if (!file) return notFound();
    if (!(await isFile(file))) {
      const isIndex = file === path.resolve(rendererDir, 'index.html');
      return isIndex ? respond(200, PLACEHOLDER_HTML, { 'Content-Type': contentTypeFor('index.html') }) : notFound();
    }
    const type = contentTypeFor(file);
    return respond(200, new Uint8Array(await readFile(file)), { 'Content-Type': type, 'Cache-Control': 'no-cache' });
  };
}

/** Handler of `calciquant-res://app/res/…`, answered by the core. */
export function createResourceHandler(readResource: (p: string) => Promise<Resource | null>): ProtocolHandler {
  return async (req) => {
    const url = new URL(req.url);
    if (url.protocol !== `${RESOURCE_SCHEME}:` || url.host !== 'app' || req.method !== 'GET') return notFound();
    if (!RESOURCE_PATH_PATTERN.test(url.pathname)) return notFound();
    const cors = { 'Access-Control-Allow-Origin': APP_ORIGIN, 'Cache-Control': 'no-cache' };
    try {
      const res = await readResource(url.pathname);
      if (!res) return notFound();
      return respond(200, new Uint8Array(res.data), { 'Content-Type': res.contentType, ...cors });
    } catch (e) {
      const err = toAppError(e);
      console.error(`[resource] ${url.pathname}: ${err.message}`);
      return respond(err.code === 'INTERNAL' ? 500 : 422, err.userMessage, { 'Content-Type': 'text/plain; charset=utf-8', ...cors });
    }
  };
}

export function installProtocols(rendererDir: string, readResource: (p: string) => Promise<Resource | null>): void {
  protocol.handle(APP_SCHEME, createAppHandler(rendererDir));
  protocol.handle(RESOURCE_SCHEME, createResourceHandler(readResource));
}
