/** The web host in front of the real core (analysis inline, no worker threads). */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createInlineHost } from '../../../src/app/analysis-host.js';
import { createCore, type CoreHandle } from '../../../src/app/core.js';
import type { AppInfo, OpenImagesResult } from '../../../src/common/api.js';
import type { Result } from '../../../src/common/errors.js';
import { startWebHost, type WebHost } from '../../../src/web/server.js';

let baseDir: string;
let core: CoreHandle;
let host: WebHost;

beforeAll(async () => {
  baseDir = await mkdtemp(path.join(os.tmpdir(), 'calciquant-web-real-'));
  const staticDir = path.join(baseDir, 'static');
  await mkdir(staticDir);
  await writeFile(path.join(staticDir, 'index.html'), '<!doctype html>');
  core = createCore({ createHost: createInlineHost, cacheDir: path.join(baseDir, 'cache') });
  host = await startWebHost({ core, staticDir });
});

afterAll(async () => {
  await host?.close();
  await core?.dispose();
  await rm(baseDir, { recursive: true, force: true });
});

async function call<T>(method: string, args: unknown[]): Promise<Result<T>> {
  const res = await fetch(`${host.origin}/api/call/${method}`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${host.token}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ args }),
  });
  expect(res.status).toBe(200);
  return (await res.json()) as Result<T>;
}

describe('web host with the real core', () => {
  it('getAppInfo over HTTP', async () => {
    const r = await call<AppInfo>('getAppInfo', []);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.version).toMatch(/^\d+\.\d+\.\d+/);
    expect(r.value.presets.map((p) => p.name).sort()).toEqual(['alizarin', 'vonkossa']);
  });

  it('reports the core’s input validation as an error Result', async () => {
    const r = await call('probePixel', ['not-an-id', -1, 'x']);
    expect(r).toMatchObject({ ok: false, error: { code: 'INPUT_INVALID' } });
  });

  it('serves a sample’s thumbnail as a resource', async () => {
    const r = await call<OpenImagesResult>('openSamples', []);
    if (!r.ok) throw new Error(r.error.userMessage);
    const thumb = r.value.images[0]!.thumbnailPath;
    const res = await fetch(`${host.origin}${thumb}?token=${host.token}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/jpeg');
    expect(res.headers.get('cache-control')).toBe('private, max-age=3600');
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect([bytes[0], bytes[1]]).toEqual([0xff, 0xd8]);
  });
});
