import { describe, expect, it, vi } from 'vitest';
import { createWebClient } from '../../renderer/api/client.js';
import { createHttpCore, resolveToken } from '../../renderer/api/http-core.js';
import { CORE_METHODS } from '../../src/common/api.js';

function memoryStorage() {
  const m = new Map<string, string>();
  return { getItem: (k: string) => m.get(k) ?? null, setItem: (k: string, v: string) => void m.set(k, v) };
}

const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });

describe('HTTP CoreApi client', () => {
  it('has every CORE_METHODS method and posts { args } with the bearer token', async () => {
    const fetch = vi.fn(async () => json({ ok: true, value: { version: '1.2.3' } }));
    const core = createHttpCore({ baseUrl: '', token: 'tok123', fetch });
    for (const m of CORE_METHODS) expect(typeof core[m]).toBe('function');
    await expect(core.getAppInfo()).resolves.toEqual({ version: '1.2.3' });
    await core.probePixel('0123456789abcdef' as never, 3, 4);
    const [url, init] = fetch.mock.calls[1] as unknown as [string, RequestInit];
    expect(url).toBe('/api/call/probePixel');
    expect(init.method).toBe('POST');
    expect((init.headers as Record<string, string>).Authorization).toBe('Bearer tok123');
    expect(JSON.parse(init.body as string)).toEqual({ args: ['0123456789abcdef', 3, 4] });
  });

  it('unwraps an error Result into an AppError with code and userMessage', async () => {
    const fetch = vi.fn(async () => json({ ok: false, error: { code: 'IMAGE_UNREADABLE', userMessage: '“a.tif” could not be opened.' } }));
    const core = createHttpCore({ baseUrl: '', token: 't', fetch });
    await expect(core.listImages()).rejects.toMatchObject({ name: 'AppError', code: 'IMAGE_UNREADABLE', userMessage: '“a.tif” could not be opened.' });
  });

  it('explains a missing session (401), a lost server and a malformed answer', async () => {
    const lost = createHttpCore({ baseUrl: '', token: 't', fetch: vi.fn(async () => Promise.reject(new TypeError('Failed to fetch'))) });
    await expect(lost.listImages()).rejects.toMatchObject({ code: 'INTERNAL', userMessage: expect.stringMatching(/connection/) });
    const unauth = createHttpCore({ baseUrl: '', token: '', fetch: vi.fn(async () => json({ ok: false, error: { code: 'INPUT_INVALID', userMessage: 'x' } }, 401)) });
    await expect(unauth.listImages()).rejects.toMatchObject({ userMessage: expect.stringMatching(/token/) });
    const junk = createHttpCore({ baseUrl: '', token: 't', fetch: vi.fn(async () => new Response('<html>', { status: 502 })) });
    await expect(junk.listImages()).rejects.toMatchObject({ code: 'INTERNAL', userMessage: expect.stringMatching(/502/) });
  });

  it('delivers Server-Sent Events by topic and stops after unsubscribe', () => {
    const sources: { url: string; handlers: Map<string, (e: MessageEvent) => void> }[] = [];
    const createEventSource = (url: string) => {
      const handlers = new Map<string, (e: MessageEvent) => void>();
      sources.push({ url, handlers });
      return { addEventListener: (t: string, h: (e: MessageEvent) => void) => handlers.set(t, h) } as unknown as EventSource;
    };
    const core = createHttpCore({ baseUrl: '', token: 'a b', fetch: vi.fn(), createEventSource });
    const got: unknown[] = [];
    const off = core.on('batch:progress', (e) => got.push(e));
    core.on('batch:done', () => got.push('done'));
    expect(sources).toHaveLength(1);
    expect(sources[0]!.url).toBe('/api/events?token=a%20b');
    sources[0]!.handlers.get('batch:progress')!(new MessageEvent('batch:progress', { data: '{"done":1}' }));
    off();
    sources[0]!.handlers.get('batch:progress')!(new MessageEvent('batch:progress', { data: '{"done":2}' }));
    sources[0]!.handlers.get('batch:done')!(new MessageEvent('batch:done', { data: '{}' }));
    expect(got).toEqual([{ done: 1 }, 'done']);
  });
});

describe('web client', () => {
  it('takes the token from ?token=, remembers it for reloads, and signs resource URLs', () => {
    const storage = memoryStorage();
    expect(resolveToken({ search: '?token=abc' }, storage)).toBe('abc');
    expect(resolveToken({ search: '' }, storage)).toBe('abc');
    const client = createWebClient({ location: { search: '', origin: 'http://x' }, storage, fetch: vi.fn() });
    expect(client.resourceUrl('/res/thumb/0123456789abcdef.jpg')).toBe('/res/thumb/0123456789abcdef.jpg?token=abc');
    expect(client.pathsOfDroppedFiles([])).toBeNull();
    expect(client.needsPathPickerUi).toBe(true);
  });

  it('asks the in-app browser for paths, and saves text as a download', async () => {
    const client = createWebClient({ location: { search: '?token=t', origin: 'http://x' }, storage: memoryStorage(), fetch: vi.fn() });
    await expect(client.pickPaths({ kind: 'folder' })).rejects.toMatchObject({ code: 'INTERNAL' });
    client.setPathPickerUi(async (o) => [`/picked/${o.kind}`]);
    await expect(client.pickPaths({ kind: 'folder' })).resolves.toEqual(['/picked/folder']);
    URL.createObjectURL = vi.fn(() => 'blob:x');
    URL.revokeObjectURL = vi.fn();
    const clicked: string[] = [];
    const spy = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      clicked.push(this.download);
    });
    await expect(client.saveText('results.csv', 'a,b\n', 'text/csv')).resolves.toBe('results.csv');
    expect(clicked).toEqual(['results.csv']);
    spy.mockRestore();
  });
});
