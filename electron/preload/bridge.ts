/**
 * The object the preload exposes as `window.coreApi`: every CORE_METHODS entry as an
 * `ipcRenderer.invoke('core:<m>')` whose Result is unwrapped (a failure rejects with a plain
 * `{ name: 'AppError', code, userMessage, message }` — plain, because the context bridge keeps only
 * the message of an Error), `on(topic, cb)` for core events and `menu:<action>` commands, and the
 * host services. Built from injected ipcRenderer/webUtils so tests need no Electron.
 */
import { CORE_METHODS, type CoreMethod } from '../../src/common/api-names.js';
import { isAppErrorLike, type ErrorInfo } from '../../src/common/errors.js';
import {
  CORE_EVENT_CHANNEL, coreChannel, HOST_CHANNELS, isCoreEventTopic, isMenuAction, MENU_CHANNEL,
  MENU_TOPIC_PATTERN, MENU_TOPIC_PREFIX, resourceUrl,
} from '../common/channels.js';

export interface IpcRendererLike {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  on(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
}
export interface WebUtilsLike {
  getPathForFile(file: never): string;
}

export interface BridgeError extends ErrorInfo {
  readonly name: 'AppError';
  readonly message: string;
}

const bridgeError = (e: ErrorInfo): BridgeError => ({ name: 'AppError', code: e.code, userMessage: e.userMessage, message: `${e.code}: ${e.userMessage}` });
const INTERNAL = (why: string): BridgeError =>
  bridgeError({ code: 'INTERNAL', userMessage: `The app could not reach its engine (${why}). Restart Calciquant.` });

/** invoke + unwrap a Result. */
async function call(ipc: IpcRendererLike, channel: string, args: unknown[]): Promise<unknown> {
  let r: unknown;
  try {
    r = await ipc.invoke(channel, ...args);
  } catch (e) {
    throw INTERNAL(e instanceof Error ? e.message : String(e));
  }
  if (typeof r === 'object' && r !== null && (r as { ok?: unknown }).ok === true) return (r as { value: unknown }).value;
  const err = (r as { error?: unknown } | null)?.error;
  throw isAppErrorLike(err) ? bridgeError(err) : INTERNAL('malformed answer');
}

type Listener = (payload: unknown) => void;

function createEventHub(ipc: IpcRendererLike) {
  const listeners = new Map<string, Set<Listener>>();
  const emit = (topic: string, payload: unknown): void => {
    for (const cb of listeners.get(topic) ?? []) {
      try {
        cb(payload);
      } catch (e) {
        console.error(`[coreApi] listener of ${topic} threw`, e);
      }
    }
  };
  ipc.on(CORE_EVENT_CHANNEL, (_e, topic, payload) => {
    if (isCoreEventTopic(topic)) emit(topic, payload);
  });
  ipc.on(MENU_CHANNEL, (_e, action, payload) => {
    if (isMenuAction(action)) emit(MENU_TOPIC_PREFIX + action, payload);
  });
  return (topic: unknown, cb: unknown): (() => void) => {
    if (typeof topic !== 'string' || !(isCoreEventTopic(topic) || MENU_TOPIC_PATTERN.test(topic))) {
      throw new TypeError(`Unknown event topic: ${String(topic).slice(0, 60)}`);
    }
    if (typeof cb !== 'function') throw new TypeError('on(topic, cb): cb must be a function');
    const set = listeners.get(topic) ?? new Set<Listener>();
    listeners.set(topic, set);
    const listener: Listener = (p) => (cb as Listener)(p);
    set.add(listener);
    return () => void set.delete(listener);
  };
}

export function createBridge(ipc: IpcRendererLike, webUtils: WebUtilsLike): Record<string, unknown> {
  const methods = Object.fromEntries(
    CORE_METHODS.map((m: CoreMethod) => [m, (...args: unknown[]) => call(ipc, coreChannel(m), args)]),
  );
  return {
    ...methods,
    on: createEventHub(ipc),
    resourceUrl: (p: unknown) => resourceUrl(p),
    pickPaths: (opts: unknown) => call(ipc, HOST_CHANNELS.pickPaths, [opts]),
    readTextFile: (p: unknown) => call(ipc, HOST_CHANNELS.readTextFile, [p]),
    writeTextFile: (p: unknown, text: unknown) => call(ipc, HOST_CHANNELS.writeTextFile, [p, text]),
    getPathForFile: (file: unknown) => webUtils.getPathForFile(file as never),
    host: 'electron',
  };
}
