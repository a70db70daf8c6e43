import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWebHost, type WebHost } from '../../../src/web/server.js';
import { APP_JS, createSiteFixture, INDEX_HTML, type SiteFixture } from './site-fixture.js';
import { createFakeCore, KNOWN_THUMB_PATH, rawRequest } from './web-helpers.js';

let site: SiteFixture;
let baseDir: string;
let host: WebHost;

beforeAll(async () => {
  site = await createSiteFixture();
  baseDir = site.baseDir;
  host = await startWebHost({ core: createFakeCore(), staticDir: site.staticDir, log: () => {} });
});

afterAll(async () => {
  await host?.close();
  await site?.remove();
});

describe('static files', () => {
  it('serves / and /index.html as HTML with the CSP, and assets with their types', async () => {
    for (const p of ['/', '/index.html', `/?token=${host.token}`]) {
      const res = await fetch(`${host.origin}${p}`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(res.headers.get('content-security-policy')).toBe(
        "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; " +
          "connect-src 'self'; worker-src 'self' blob:; font-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
      );
      expect(await res.text()).toBe(INDEX_HTML);
    }
    const js = await fetch(`${host.origin}/assets/app-1234.js`);
    expect(js.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(await js.text()).toBe(APP_JS);
    expect((await fetch(`${host.origin}/inside-link.css`)).headers.get('content-type')).toBe('text/css; charset=utf-8');
  });

  it('answers 404 for unknown paths, folders and hidden files', async () => {
    for (const p of ['/nope.html', '/assets', '/assets/', '/.env', '/some/route']) {
      expect((await rawRequest(host.port, { path: p })).status, p).toBe(404);
    }
  });

  it('never serves anything outside the static folder', async () => {
    for (const p of [
      '/../package.json',
      '/../secret',
      '/%2e%2e/%2e%2e/etc/passwd',
      '/%2E%2E/package.json',
      '/assets/..%2f..%2fsecret',
      '/assets/..%5c..%5csecret',
      '/assets\\..\\..\\secret',
      '/..%00/secret',
      '/index.html%00.js',
      '//etc/passwd',
      '/%2fetc%2fpasswd',
      `/${encodeURIComponent(path.join(baseDir, 'secret'))}`,
      '/leak.txt',
      '/linkdir/secret.txt',
      '/%ff%fe',
    ]) {
      const res = await rawRequest(host.port, { path: p });
      expect(res.status, p).toBe(404);
      expect(res.body.toString()).not.toContain('SECRET');
      expect(res.body.toString()).not.toContain('leak');
    }
  });

  it('answers 405 for POST', async () => {
    expect((await rawRequest(host.port, { method: 'POST', path: '/index.html', body: 'x' })).status).toBe(405);
  });
});

describe('security checks', () => {
  it('answers 403 for a foreign or missing Host header (DNS rebinding)', async () => {
    for (const h of ['evil.com', `evil.com:${host.port}`, `127.0.0.1:${host.port + 1}`, '127.0.0.1']) {
      const res = await rawRequest(host.port, { path: '/', headers: { Host: h } });
      expect(res.status, h).toBe(403);
    }
    // Without a Host header Node itself already answers 400 (HTTP/1.1 requires one).
    expect([400, 403]).toContain((await rawRequest(host.port, { path: '/', setHost: false })).status);
    expect((await rawRequest(host.port, { path: '/', headers: { Host: `localhost:${host.port}` } })).status).toBe(200);
  });

  it('answers 403 for API calls from a foreign Origin, and accepts our own', async () => {
    const headers = { Authorization: `Bearer ${host.token}`, 'Content-Type': 'application/json' };
    for (const origin of ['http://evil.com', 'null', `http://127.0.0.1:${host.port + 1}`, `https://127.0.0.1:${host.port}`]) {
      const res = await rawRequest(host.port, { method: 'POST', path: '/api/call/getAppInfo', headers: { ...headers, Origin: origin }, body: '{"args":[]}' });
      expect(res.status, origin).toBe(403);
    }
    const own = await rawRequest(host.port, { method: 'POST', path: '/api/call/getAppInfo', headers: { ...headers, Origin: host.origin }, body: '{"args":[]}' });
    expect(own.status).toBe(200);
    const evilRes = await rawRequest(host.port, { path: `${KNOWN_THUMB_PATH}?token=${host.token}`, headers: { Origin: 'http://evil.com' } });
    expect(evilRes.status).toBe(403);
  });

  it('sends the security headers on every kind of response', async () => {
    const responses = [
      await rawRequest(host.port, { path: '/' }),
      await rawRequest(host.port, { path: '/nope' }),
      await rawRequest(host.port, { path: '/', headers: { Host: 'evil.com' } }),
      await rawRequest(host.port, { method: 'POST', path: '/api/call/getAppInfo' }),
      await rawRequest(host.port, { path: `${KNOWN_THUMB_PATH}?token=${host.token}` }),
    ];
    for (const res of responses) {
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['referrer-policy']).toBe('no-referrer');
      expect(res.headers['cross-origin-opener-policy']).toBe('same-origin');
    }
  });
});
