/** Test helpers for the web host: a fake core, raw HTTP requests and a hand-rolled SSE reader. */
import http from 'node:http';
import { vi } from 'vitest';
import type { CoreEvents, Resource } from '../../../src/common/api.js';
import { CORE_METHODS } from '../../../src/common/api-names.js';
import { AppError } from '../../../src/common/errors.js';
import type { WebCore } from '../../../src/web/server.js';

export const KNOWN_THUMB_PATH = '/res/thumb/0123456789abcdef.jpg';
export const KNOWN_OVERLAY_PATH = '/res/overlay/preview-1.png';
export const THUMB_BYTES = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3]);

type Listener = (e: unknown) => void;

export interface FakeCore extends WebCore {
  emit<K extends keyof CoreEvents>(topic: K, e: CoreEvents[K]): void;
  listenerCount(): number;
  readonly readResourceSpy: ReturnType<typeof vi.fn>;
}

/** Canned values; validateRecipe throws an AppError, listImages a plain Error. */
export function createFakeCore(): FakeCore {
  const listeners = new Map<string, Set<Listener>>();
  const readResourceSpy = vi.fn(async (p: string): Promise<Resource | null> => {
    if (p === KNOWN_THUMB_PATH) return { contentType: 'image/jpeg', data: THUMB_BYTES };
    if (p === KNOWN_OVERLAY_PATH) return { contentType: 'image/png', data: new Uint8Array([0x89, 0x50]) };
    return null;
  });
  const canned = async () => ({}) as never;
  const allCanned = Object.fromEntries(CORE_METHODS.map((m) => [m, canned])) as unknown as Omit<WebCore, 'on' | 'readResource'>;
  return {
    ...allCanned,
    getAppInfo: async () => ({ version: '9.9.9', presets: [], stainModels: [], workers: 3 }),
    scanInputs: async (paths) => ({ images: [], skipped: paths.map((p) => ({ path: p, reason: 'echo' })) }),
    openImages: canned,
    openSamples: canned,
    listImages: async () => {
      throw new Error('database on fire');
    },
    removeImages: async () => undefined,
    listDirectory: canned,
    getImageView: canned,
    probePixel: async (_id, xPx, yPx) => ({ xPx, yPx, rgb: [1, 2, 3], bitDepth: 8, od: [0, 0, 0] }),
    validateRecipe: async () => {
      throw new AppError('RECIPE_INVALID', 'The recipe is broken: fix step 2.', { detail: 'secret detail' });
    },
    previewImage: canned,
    startBatch: canned,
    cancelBatch: async () => undefined,
    getBatch: canned,
    getResultsCsv: async () => 'a,b\n1,2\n',
    exportResults: canned,
    on(topic, cb) {
      let set = listeners.get(topic);
      if (!set) listeners.set(topic, (set = new Set()));
      set.add(cb as Listener);
      return () => void set.delete(cb as Listener);
    },
    readResource: readResourceSpy,
    readResourceSpy,
    emit(topic, e) {
      for (const cb of listeners.get(topic) ?? []) cb(e);
    },
    listenerCount: () => [...listeners.values()].reduce((n, s) => n + s.size, 0),
  };
}

export interface RawResponse {
  readonly status: number;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: Buffer;
}

/** A request sent exactly as given (fetch would normalize `..` and `%2e%2e` and set Host itself). */
export function rawRequest(
  port: number,
  o: { method?: string; path: string; headers?: Record<string, string>; body?: string | Buffer; setHost?: boolean },
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: '127.0.0.1', port, method: o.method ?? 'GET', path: o.path, headers: o.headers, setHost: o.setHost ?? true, agent: false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(o.body);
  });
}

export interface SseMessage {
  readonly event: string;
  readonly data: string;
}

/** Reads an SSE stream from a fetch Response: events (and comments) as they arrive. */
export function createSseReader(res: Response) {
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  const comments: string[] = [];

  async function nextBlock(): Promise<string> {
    for (;;) {
      const end = buffer.indexOf('\n\n');
      if (end >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        return block;
      }
      const { value, done } = await reader.read();
      if (done) throw new Error('stream ended');
      buffer += decoder.decode(value, { stream: true });
    }
  }

  /** The next block with an `event:` field; comment-only blocks are collected in `comments`. */
  async function nextEvent(): Promise<SseMessage> {
    for (;;) {
      const lines = (await nextBlock()).split('\n');
      let event = '';
      const data: string[] = [];
      for (const line of lines) {
        if (line.startsWith(':')) comments.push(line.slice(1).trim());
        else if (line.startsWith('event:')) event = line.slice(6).trim();
        else if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''));
      }
      if (event || data.length) return { event: event || 'message', data: data.join('\n') };
    }
  }

  /** Resolves once a comment (e.g. "connected", "heartbeat") has been seen. */
  async function waitForComment(text: string): Promise<void> {
    while (!comments.includes(text)) {
      const lines = (await nextBlock()).split('\n');
      for (const line of lines) if (line.startsWith(':')) comments.push(line.slice(1).trim());
    }
  }

  return { nextEvent, waitForComment, comments, cancel: () => reader.cancel() };
}

export async function waitUntil(check: () => boolean, timeoutMs = 5000): Promise<void> {
  const start = Date.now();
  while (!check()) {
    if (Date.now() - start > timeoutMs) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}
