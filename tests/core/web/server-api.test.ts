import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CORE_EVENTS } from '../../../src/common/api.js';
import { MAX_BODY_BYTES, startWebHost, type WebHost } from '../../../src/web/server.js';
import { createSiteFixture, type SiteFixture } from './site-fixture.js';
import {
  createFakeCore,
  createSseReader,
  KNOWN_OVERLAY_PATH,
  KNOWN_THUMB_PATH,
  rawRequest,
  THUMB_BYTES,
  waitUntil,
  type FakeCore,
} from './web-helpers.js';

let site: SiteFixture;
let staticDir: string;
let core: FakeCore;
let host: WebHost;
const logLines: string[] = [];

beforeAll(async () => {
  site = await createSiteFixture();
  staticDir = site.staticDir;
  core = createFakeCore();
  host = await startWebHost({ core, staticDir, heartbeatMs: 100, log: (l) => logLines.push(l) });
});

afterAll(async () => {
  await host?.close();
  await site?.remove();
});

function call(method: string, body: unknown, o: { token?: string | null; raw?: boolean } = {}): Promise<Response> {
  const token = o.token === undefined ? host.token : o.token;
  return fetch(`${host.origin}/api/call/${method}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...(token === null ? {} : { Authorization: `Bearer ${token}` }) },
    body: o.raw ? (body as string) : JSON.stringify(body),
  });
}

describe('startWebHost', () => {
  it('returns a 127.0.0.1 URL carrying a 64-hex-digit token', () => {
    expect(host.origin).toBe(`http://127.0.0.1:${host.port}`);
    expect(host.url).toBe(`${host.origin}/?token=${host.token}`);
    expect(host.token).toMatch(/^[0-9a-f]{64}$/);
  });

  it('refuses another bind address and a malformed token', async () => {
    await expect(startWebHost({ core, staticDir, host: '0.0.0.0' as '127.0.0.1' })).rejects.toThrow(/127\.0\.0\.1/);
    await expect(startWebHost({ core, staticDir, token: 'short' })).rejects.toThrow(/token/);
  });
});

describe('POST /api/call/<method>', () => {
  it('returns the value as an ok Result, passing the args through', async () => {
    const info = await call('getAppInfo', { args: [] });
    expect(info.status).toBe(200);
    expect(info.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await info.json()).toEqual({ ok: true, value: { version: '9.9.9', presets: [], stainModels: [], workers: 3 } });
    const probe = await call('probePixel', { args: ['0123456789abcdef', 5, 7] });
    expect(await probe.json()).toMatchObject({ ok: true, value: { xPx: 5, yPx: 7 } });
  });

  it('returns an AppError as an error Result (code and userMessage only)', async () => {
    const res = await call('validateRecipe', { args: [{}, 'x.json'] });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: false, error: { code: 'RECIPE_INVALID', userMessage: 'The recipe is broken: fix step 2.' } });
  });

  it('turns a plain Error into INTERNAL and logs it', async () => {
    const res = await call('listImages', { args: [] });
    const body = (await res.json()) as { ok: boolean; error: { code: string } };
    expect(res.status).toBe(200);
    expect(body).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
    expect(logLines.some((l) => l.includes('listImages') && l.includes('database on fire'))).toBe(true);
  });

  it('answers 401 without a token, with a wrong token, and with the token only in the query', async () => {
    for (const res of [
      await call('getAppInfo', { args: [] }, { token: null }),
      await call('getAppInfo', { args: [] }, { token: 'f'.repeat(64) }),
      await call('getAppInfo', { args: [] }, { token: host.token.slice(0, -1) }),
      await fetch(`${host.origin}/api/call/getAppInfo?token=${host.token}`, { method: 'POST', body: '{"args":[]}' }),
    ]) {
      expect(res.status).toBe(401);
      expect(await res.json()).toMatchObject({ ok: false, error: { code: 'INPUT_INVALID' } });
    }
  });

  it('answers 404 for an unknown method and for `on`', async () => {
    for (const m of ['deleteEverything', 'on', 'readResource', 'constructor', '__proto__']) {
      const res = await call(m, { args: [] });
      expect(res.status, m).toBe(404);
      expect(await res.json()).toMatchObject({ ok: false });
    }
  });

  it('answers 405 for GET on a method', async () => {
    const res = await fetch(`${host.origin}/api/call/getAppInfo`, { headers: { Authorization: `Bearer ${host.token}` } });
    expect(res.status).toBe(405);
  });

  it('answers 400 INPUT_INVALID for malformed JSON, non-array args and a missing body', async () => {
    for (const body of ['{not json', '{"args": {"0": 1}}', '[1,2]', 'null', '"args"', '']) {
      const res = await call('getAppInfo', body, { raw: true });
      expect(res.status, body).toBe(400);
      expect(await res.json()).toMatchObject({ ok: false, error: { code: 'INPUT_INVALID' } });
    }
  });

  it('answers 400 for a body over 16 MB, and still works afterwards', async () => {
    const big = `{"args":["${'x'.repeat(MAX_BODY_BYTES)}"]}`;
    const res = await call('scanInputs', big, { raw: true });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ ok: false, error: { code: 'INPUT_INVALID' } });
    expect((await call('getAppInfo', { args: [] })).status).toBe(200);
  });
});

describe('GET /api/events', () => {
  it('forwards core events as SSE and unsubscribes when the client disconnects', async () => {
    const before = core.listenerCount();
    const abort = new AbortController();
    const res = await fetch(`${host.origin}/api/events?token=${host.token}`, { signal: abort.signal });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const sse = createSseReader(res);
    await sse.waitForComment('connected');
    expect(core.listenerCount()).toBe(before + CORE_EVENTS.length);

    const progress = { batchId: 'b1', done: 1, failed: 0, total: 2, elapsedMs: 5, etaMs: 5 } as never;
    core.emit('batch:progress', progress);
    core.emit('library:changed', { images: [] });
    expect(await sse.nextEvent()).toEqual({ event: 'batch:progress', data: JSON.stringify(progress) });
    expect(await sse.nextEvent()).toEqual({ event: 'library:changed', data: '{"images":[]}' });
    await sse.waitForComment('heartbeat');

    abort.abort();
    await waitUntil(() => core.listenerCount() === before);
  });

  it('needs the token', async () => {
    expect((await fetch(`${host.origin}/api/events`)).status).toBe(401);
    expect((await fetch(`${host.origin}/api/events?token=nope`)).status).toBe(401);
  });
});

describe('GET /res/…', () => {
  it('serves a known resource with its content type and a private cache header', async () => {
    const res = await fetch(`${host.origin}${KNOWN_THUMB_PATH}?token=${host.token}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/jpeg');
    expect(res.headers.get('cache-control')).toBe('private, max-age=3600');
    expect(new Uint8Array(await res.arrayBuffer())).toEqual(THUMB_BYTES);
    expect(core.readResourceSpy).toHaveBeenCalledWith(KNOWN_THUMB_PATH);
  });

  it('marks overlays no-store and answers 404 for a valid path the core does not know', async () => {
    const overlay = await fetch(`${host.origin}${KNOWN_OVERLAY_PATH}?token=${host.token}`);
    expect(overlay.status).toBe(200);
    expect(overlay.headers.get('cache-control')).toBe('no-store');
    const missing = await fetch(`${host.origin}/res/thumb/ffffffffffffffff.jpg?token=${host.token}`);
    expect(missing.status).toBe(404);
  });

  it('answers 404 without calling the core for paths outside RESOURCE_PATH_PATTERN', async () => {
    core.readResourceSpy.mockClear();
    for (const p of [
      '/res/thumb/ABCDEF0123456789.jpg',
      '/res/thumb/0123456789abcdef.png',
      '/res/thumb/../../package.json',
      '/res/thumb/%2e%2e/0123456789abcdef.jpg',
      '/res/overlay/a%2fb.png',
      '/res/dzi/0123456789abcdef_files/1/0_0.jpeg/../../x',
      '/res/',
    ]) {
      const res = await rawRequest(host.port, { path: `${p}?token=${host.token}` });
      expect(res.status, p).toBe(404);
    }
    expect(core.readResourceSpy).not.toHaveBeenCalled();
  });

  it('needs the token', async () => {
    expect((await fetch(`${host.origin}${KNOWN_THUMB_PATH}`)).status).toBe(401);
  });
});

describe('close()', () => {
  it('frees the port even with an open event stream', async () => {
    const other = await startWebHost({ core: createFakeCore(), staticDir, log: () => {} });
    const res = await fetch(`${other.origin}/api/events?token=${other.token}`);
    const sse = createSseReader(res);
    await sse.waitForComment('connected');
    await other.close();
    await expect(sse.nextEvent()).rejects.toThrow();
    await new Promise<void>((resolve, reject) => {
      const probe = net.createServer().once('error', reject);
      probe.listen(other.port, '127.0.0.1', () => probe.close(() => resolve()));
    });
    await expect(fetch(`${other.origin}/`)).rejects.toThrow();
  });
});
