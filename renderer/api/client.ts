/**
 * The renderer's only door to the core (STYLE §3). With Electron, preload exposes `window.coreApi`;
 * otherwise (web host) the CoreApi is called over HTTP with the session token from the page URL.
 * Host services (dialogs, text files, dropped files) are offered here in a host-agnostic shape.
 */
import { CORE_METHODS, type CoreApi } from '../../src/common/api.js';
import { toAppError } from '../../src/common/errors.js';
import { createHttpCore, resolveToken } from './http-core.js';
import type { AppClient, OpenedText, PathPickerUi, PickOptions } from './types.js';

/** What Electron's preload puts on `window.coreApi`. */
export interface PreloadBridge extends Omit<CoreApi, 'on'> {
  readonly host: 'electron';
  on(topic: string, cb: (e: never) => void): () => void;
  resourceUrl(path: string): string;
  pickPaths(o: { kind: PickOptions['kind']; title?: string; defaultName?: string; filters?: readonly { name: string; extensions: readonly string[] }[] }): Promise<string[] | string | null | undefined>;
  readTextFile(path: string): Promise<string>;
  writeTextFile(path: string, text: string): Promise<void>;
  /** Not in every desktop shell yet: without it, binary files (PNG charts) cannot be saved. */
  writeBinaryFile?(path: string, bytes: Uint8Array): Promise<void>;
  getPathForFile(file: File): string;
}

declare global {
  interface Window {
    coreApi?: PreloadBridge;
  }
}

const baseName = (p: string) => p.split(/[\\/]/).pop() ?? p;

function normalizePicked(v: string[] | string | null | undefined): string[] | null {
  if (v == null) return null;
  const list = Array.isArray(v) ? v : [v];
  return list.length ? list : null;
}

/** Client over Electron's preload bridge. Errors come back as AppError. */
export function createElectronClient(bridge: PreloadBridge): AppClient {
  const wrap = (m: (typeof CORE_METHODS)[number]) => async (...args: unknown[]) => {
    try {
      return await (bridge[m] as (...a: unknown[]) => Promise<unknown>)(...args);
    } catch (e) {
      throw toAppError(e);
    }
  };
  const core = {
    ...Object.fromEntries(CORE_METHODS.map((m) => [m, wrap(m)])),
    on: (topic: string, cb: (e: never) => void) => bridge.on(topic, cb),
  } as unknown as CoreApi;
  return {
    core,
    resourceUrl: (p) => bridge.resourceUrl(p),
    pickPaths: async ({ extensions, ...o }) =>
      normalizePicked(await bridge.pickPaths({ ...o, ...(extensions?.length ? { filters: [{ name: extensions.map((e) => e.toUpperCase()).join(', '), extensions }] } : {}) })),
    async saveText(name, text) {
      const ext = name.split('.').pop() ?? '';
      const filters = ext ? [{ name: ext.toUpperCase(), extensions: [ext] }] : undefined;
      const target = normalizePicked(await bridge.pickPaths({ kind: 'saveFile', defaultName: name, ...(filters ? { filters } : {}) }))?.[0];
      if (!target) return null;
      await bridge.writeTextFile(target, text);
      return target;
    },
    async saveBytes(name, bytes) {
      if (!bridge.writeBinaryFile) {
        throw toAppError({ code: 'INTERNAL', userMessage: 'This version of the desktop app cannot save PNG files yet. Save the chart as SVG instead.' });
      }
      const ext = name.split('.').pop() ?? '';
      const target = normalizePicked(await bridge.pickPaths({ kind: 'saveFile', defaultName: name, ...(ext ? { filters: [{ name: ext.toUpperCase(), extensions: [ext] }] } : {}) }))?.[0];
      if (!target) return null;
      await bridge.writeBinaryFile(target, bytes);
      return target;
    },
    async openText(accept): Promise<OpenedText | null> {
      const extensions = accept.split(',').filter((a) => a.startsWith('.')).map((a) => a.slice(1));
      const file = normalizePicked(
        await bridge.pickPaths({ kind: 'openFile', ...(extensions.length ? { filters: [{ name: extensions.join(', ').toUpperCase(), extensions }] } : {}) }),
      )?.[0];
      if (!file) return null;
      return { name: baseName(file), text: await bridge.readTextFile(file) };
    },
    pathsOfDroppedFiles: (files) => files.map((f) => bridge.getPathForFile(f)).filter((p) => !!p),
    onMenu(cb) {
      const prefix = 'menu:';
      const offs = MENU_ACTIONS.map((a) => bridge.on(prefix + a, ((payload: unknown) => cb(a, payload)) as (e: never) => void));
      return () => offs.forEach((off) => off());
    },
    needsPathPickerUi: false,
    setPathPickerUi: () => {},
  };
}

/**
 * Menu commands the UI handles (Electron sends them as `menu:<action>` events). `images-opened`
 * carries a Result<OpenImagesResult> (the menu opened files itself).
 */
export const MENU_ACTIONS = [
  'images-opened', 'export-results', 'zoom-in', 'zoom-out', 'zoom-fit', 'toggle-overlay',
  'open-images', 'open-folder', 'open-samples', 'export-csv', 'run-batch', 'cancel-batch', 'load-recipe', 'save-recipe', 'help',
  'open-project', 'save-project', 'undo', 'redo',
] as const;

export interface WebEnv {
  readonly location: { search: string; origin: string };
  readonly storage: Pick<Storage, 'getItem' | 'setItem'>;
  readonly fetch: typeof fetch;
  readonly createEventSource?: (url: string) => EventSource;
  readonly document?: Document;
}

/** Client over the web host (HTTP + SSE); dialogs by the in-app browser, downloads for saving. */
export function createWebClient(env: WebEnv): AppClient {
  const token = resolveToken(env.location, env.storage);
  const core = createHttpCore({ baseUrl: '', token, fetch: env.fetch, ...(env.createEventSource ? { createEventSource: env.createEventSource } : {}) });
  let pickerUi: PathPickerUi | null = null;
  return {
    core,
    resourceUrl: (p) => `${p}${p.includes('?') ? '&' : '?'}token=${encodeURIComponent(token)}`,
    async pickPaths(o) {
      if (!pickerUi) throw toAppError({ code: 'INTERNAL', userMessage: 'The file browser is not ready yet. Try again in a moment.' });
      return pickerUi(o);
    },
    async saveText(name, text, mimeType) {
      return download(env.document ?? document, name, new Blob([text], { type: mimeType }));
    },
    async saveBytes(name, bytes, mimeType) {
      return download(env.document ?? document, name, new Blob([bytes as Uint8Array<ArrayBuffer>], { type: mimeType }));
    },
    openText(accept) {
      const doc = env.document ?? document;
      return new Promise<OpenedText | null>((resolve, reject) => {
        const input = doc.createElement('input');
        input.type = 'file';
        input.accept = accept;
        input.addEventListener('cancel', () => resolve(null));
        input.addEventListener('change', () => {
          const file = input.files?.[0];
          if (!file) return resolve(null);
          file.text().then((text) => resolve({ name: file.name, text }), reject);
        });
        input.click();
      });
    },
    pathsOfDroppedFiles: () => null,
    onMenu: () => () => {},
    needsPathPickerUi: true,
    setPathPickerUi(ui) {
      pickerUi = ui;
    },
  };
}

let singleton: AppClient | null = null;

/** The client for this window: Electron's bridge when present, else the web host. */
export function getClient(): AppClient {
  if (singleton) return singleton;
  singleton = window.coreApi
    ? createElectronClient(window.coreApi)
    : createWebClient({
        location: window.location,
        storage: window.sessionStorage,
        fetch: window.fetch.bind(window),
        createEventSource: (url) => new EventSource(url),
      });
  return singleton;
}

/** Hands a blob to the browser as a download named `name` (the browser's own save flow). */
function download(doc: Document, name: string, blob: Blob): string {
  const url = URL.createObjectURL(blob);
  const a = doc.createElement('a');
  a.href = url;
  a.download = name;
  a.style.display = 'none';
  doc.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
  return name;
}
