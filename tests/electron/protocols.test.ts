import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeEach, describe, expect, it, vi } from 'vitest';

vi.mock('electron', () => import('./fake-electron.js'));

import { protocol, resetFakes } from './fake-electron.js';
import { AppError } from '../../src/common/errors.js';
import {
  createAppHandler, createResourceHandler, installProtocols, registerPrivilegedSchemes, resolveInside,
} from '../../electron/main/protocols.js';
import { CONTENT_SECURITY_POLICY } from '../../electron/main/security.js';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'cq-proto-'));
const rendererDir = path.join(tmp, 'renderer');
mkdirSync(path.join(rendererDir, 'assets'), { recursive: true });
writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><script type="module" src="./assets/a.js"></script>');
writeFileSync(path.join(rendererDir, 'assets', 'a.js'), 'console.log(1)');
mkdirSync(path.join(tmp, 'renderer-secret'));
writeFileSync(path.join(tmp, 'renderer-secret', 'secret.txt'), 'SECRET');
writeFileSync(path.join(tmp, 'secret.txt'), 'SECRET');
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

beforeEach(resetFakes);

const get = (h: (r: Request) => Promise<Response>, url: string) => h(new Request(url));

describe('privileged schemes', () => {
  it('registers app and calciquant-res as standard, secure, fetch-capable', () => {
    registerPrivilegedSchemes();
    const schemes = protocol.registerSchemesAsPrivileged.mock.calls[0]![0] as { scheme: string; privileges: Record<string, boolean> }[];
    expect(schemes.map((s) => s.scheme)).toEqual(['app', 'calciquant-res']);
    for (const s of schemes) expect(s.privileges).toMatchObject({ standard: true, secure: true, supportFetchAPI: true });
    for (const s of schemes) expect(s.privileges.bypassCSP).toBeFalsy();
  });

  it('installs a handler for each scheme', () => {
    installProtocols(rendererDir, async () => null);
    expect([...protocol.handlers.keys()].sort()).toEqual(['app', 'calciquant-res']);
  });
});

describe('app:// serves the renderer build only', () => {
  const h = createAppHandler(rendererDir);

  it('serves index.html for / with the CSP', async () => {
    const r = await get(h, 'app://calciquant/');
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toMatch(/text\/html/);
    expect(r.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    expect(r.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await r.text()).toContain('assets/a.js');
  });

  it('serves files below the build with their type', async () => {
    const r = await get(h, 'app://calciquant/assets/a.js');
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toMatch(/text\/javascript/);
  });

  it.each([
    'app://calciquant/../secret.txt',
    'app://calciquant/..%2Fsecret.txt',
    'app://calciquant/%2e%2e%2fsecret.txt',
    'app://calciquant/assets/..%2F..%2Fsecret.txt',
    'app://calciquant/..%2Frenderer-secret%2Fsecret.txt',
    'app://calciquant/assets/..%5C..%5Csecret.txt',
    `app://calciquant/${encodeURIComponent(path.join(tmp, 'secret.txt'))}`,
    'app://calciquant/index.html%00.png',
    'app://calciquant/%E0%A4%A',
    'app://calciquant/assets',
    'app://calciquant/missing.js',
    'app://evil/index.html',
  ])('refuses %s', async (url) => {
    const r = await get(h, url);
    expect(r.status).toBe(404);
    expect(await r.text()).not.toContain('SECRET');
  });

  it('resolveInside never leaves the root', () => {
    expect(resolveInside(rendererDir, '/a/b.js')).toBe(path.join(rendererDir, 'a', 'b.js'));
    expect(resolveInside(rendererDir, '/')).toBe(path.join(rendererDir, 'index.html'));
    for (const p of ['/..', '/../x', '/a/../../x', '/%2e%2e/x', '/..%5cx', 'x', '/a\0b']) {
      expect(resolveInside(rendererDir, p), p).toBeNull();
    }
  });

  it('shows a placeholder page when the renderer has not been built', async () => {
    const r = await get(createAppHandler(path.join(tmp, 'no-build')), 'app://calciquant/index.html');
    expect(r.status).toBe(200);
    expect(await r.text()).toContain('npm run build:renderer');
    expect((await get(createAppHandler(path.join(tmp, 'no-build')), 'app://calciquant/x.js')).status).toBe(404);
  });
});

describe('calciquant-res:// serves core resources only', () => {
  const jpeg = new Uint8Array([0xff, 0xd8, 0xff]);
  const readResource = vi.fn(async (p: string) => (p.includes('0000000000000000') ? null : { contentType: 'image/jpeg', data: jpeg }));
  const h = createResourceHandler(readResource);

  it('answers a resource path from the core', async () => {
    readResource.mockClear();
    const r = await get(h, 'calciquant-res://app/res/thumb/0123456789abcdef.jpg');
    expect(r.status).toBe(200);
    expect(readResource).toHaveBeenCalledWith('/res/thumb/0123456789abcdef.jpg');
    expect(r.headers.get('content-type')).toBe('image/jpeg');
    expect(r.headers.get('access-control-allow-origin')).toBe('app://calciquant');
    expect(new Uint8Array(await r.arrayBuffer())).toEqual(jpeg);
    const tile = await get(h, 'calciquant-res://app/res/dzi/0123456789abcdef_files/12/3_4.jpeg');
    expect(tile.status).toBe(200);
  });

  it.each([
    'calciquant-res://app/etc/passwd',
    'calciquant-res://app/res/thumb/0123456789ABCDEF.jpg',
    'calciquant-res://app/res/thumb/../../secret.jpg',
    'calciquant-res://app/res/thumb/%2e%2e%2f0123456789abcdef.jpg',
    'calciquant-res://app/res/dzi/0123456789abcdef.dzi/../x',
    'calciquant-res://app/res/other/0123456789abcdef.jpg',
    'calciquant-res://evil/res/thumb/0123456789abcdef.jpg',
  ])('refuses %s without asking the core', async (url) => {
    readResource.mockClear();
    expect((await get(h, url)).status).toBe(404);
    expect(readResource).not.toHaveBeenCalled();
  });

  it('is 404 when the core has nothing, and reports core errors without details', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => {});
    expect((await get(h, 'calciquant-res://app/res/thumb/0000000000000000.jpg')).status).toBe(404);
    const failing = createResourceHandler(async () => {
      throw new AppError('IMAGE_UNREADABLE', '“a.tif” could not be opened.', { detail: '/secret/path/a.tif: bad' });
    });
    const r = await get(failing, 'calciquant-res://app/res/thumb/0123456789abcdef.jpg');
    expect(r.status).toBe(422);
    expect(await r.text()).toBe('“a.tif” could not be opened.');
    const crashing = createResourceHandler(async () => {
      throw new Error('boom');
    });
    expect((await get(crashing, 'calciquant-res://app/res/thumb/0123456789abcdef.jpg')).status).toBe(500);
  });
});
