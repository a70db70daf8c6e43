/**
 * Serves the renderer build (index.html, assets/…) from one folder, and nothing outside it:
 * the URL path is decoded once and every segment checked (no `..`, `.`, empty, hidden, `\`, NUL
 * or drive-letter segments), then the real path (symlinks resolved) must still be inside the
 * folder's real path and be a regular file. Anything else is a 404.
 */
import { promises as fs } from 'node:fs';
import type { ServerResponse } from 'node:http';
import path from 'node:path';
import { sendBody, sendText, WEB_CSP } from './http-util.js';

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.otf': 'font/otf',
  '.wasm': 'application/wasm',
};

export function contentTypeFor(filePath: string): string {
  return CONTENT_TYPES[path.extname(filePath).toLowerCase()] ?? 'application/octet-stream';
}

/**
 * The safe relative path (POSIX segments) for a raw request path (without the query), or null
 * when it must not be served. `/` means index.html.
 */
export function staticRelativePath(rawPath: string): string | null {
  if (rawPath === '/') return 'index.html';
  if (!rawPath.startsWith('/') || rawPath.includes('\\') || rawPath.includes('\0')) return null;
  let decoded: string;
  try {
    decoded = decodeURIComponent(rawPath);
  } catch {
    return null;
  }
  if (decoded.includes('\\') || decoded.includes('\0')) return null;
  const segments = decoded.slice(1).split('/');
  const isSafe = (s: string) => s.length > 0 && s.length <= 255 && !s.startsWith('.') && !s.includes(':');
  return segments.every(isSafe) ? segments.join('/') : null;
}

function isInside(rootDir: string, candidate: string): boolean {
  return candidate.startsWith(rootDir.endsWith(path.sep) ? rootDir : rootDir + path.sep);
}

export interface StaticFiles {
  readonly rootDir: string;
  /** Replies with the file for `rawPath` (GET/HEAD), or 404. */
  serve(res: ServerResponse, rawPath: string): Promise<void>;
}

/** Throws when `staticDir` is not an existing folder. */
export async function createStaticFiles(staticDir: string): Promise<StaticFiles> {
  const rootDir = await fs.realpath(path.resolve(staticDir));
  if (!(await fs.stat(rootDir)).isDirectory()) throw new Error(`${staticDir} is not a folder`);

  /** The real path of an existing regular file inside rootDir, else null. */
  async function resolveFile(relPath: string): Promise<string | null> {
    const joined = path.resolve(rootDir, ...relPath.split('/'));
    if (!isInside(rootDir, joined)) return null;
    try {
      const real = await fs.realpath(joined);
      if (!isInside(rootDir, real)) return null;
      return (await fs.stat(real)).isFile() ? real : null;
    } catch {
      return null;
    }
  }

  async function serve(res: ServerResponse, rawPath: string): Promise<void> {
    const relPath = staticRelativePath(rawPath);
    const filePath = relPath === null ? null : await resolveFile(relPath);
    if (filePath === null || relPath === null) return sendText(res, 404, 'Not found');
    const data = await fs.readFile(filePath);
    const contentType = contentTypeFor(filePath);
    const headers: Record<string, string> = {
      // Vite names files under assets/ by content hash; everything else may change between builds.
      'Cache-Control': relPath.startsWith('assets/') ? 'public, max-age=31536000, immutable' : 'no-cache',
    };
    if (contentType.startsWith('text/html')) headers['Content-Security-Policy'] = WEB_CSP;
    sendBody(res, 200, contentType, data, headers);
  }

  return { rootDir, serve };
}
