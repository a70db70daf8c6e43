/**
 * IPC vocabulary shared by electron/main and electron/preload (isomorphic: imports only src/common).
 * Channel names of the core are generated from CORE_METHODS here and nowhere else.
 */
import { CORE_EVENTS, CORE_METHODS, RESOURCE_PATH_PATTERN, type CoreMethod } from '../../src/common/api-names.js';

export const CORE_CHANNEL_PREFIX = 'core:';
/** `core:<method>` for ipcMain.handle / ipcRenderer.invoke. */
export const coreChannel = (m: CoreMethod): string => CORE_CHANNEL_PREFIX + m;
export const CORE_CHANNELS: readonly string[] = CORE_METHODS.map(coreChannel);

/** Main → renderer: `(topic, payload)` for every CORE_EVENTS topic. */
export const CORE_EVENT_CHANNEL = 'core:event';
/** Main → renderer: `(action, payload?)`; the preload delivers it as the `menu:<action>` topic. */
export const MENU_CHANNEL = 'host:menu';

/** Renderer → main, host-only services (all answer a Result). */
export const HOST_CHANNELS = {
  pickPaths: 'host:pickPaths',
  readTextFile: 'host:readTextFile',
  writeTextFile: 'host:writeTextFile',
} as const;

/** What the native menu sends to the renderer (topic `menu:<action>`). */
export const MENU_ACTIONS = [
  'open-project',
  'save-project',
  'export-results',
  'undo',
  'redo',
  'zoom-in',
  'zoom-out',
  'zoom-fit',
  'toggle-overlay',
  /** After File → Open images/folder: payload is a Result<OpenImagesResult>. */
  'images-opened',
] as const;
export type MenuAction = (typeof MENU_ACTIONS)[number];
export const MENU_TOPIC_PREFIX = 'menu:';
/** Well-formed menu topics (unknown actions are accepted but never fire). */
export const MENU_TOPIC_PATTERN = /^menu:[a-z][a-z0-9-]{0,47}$/;

export const isMenuAction = (x: unknown): x is MenuAction =>
  typeof x === 'string' && (MENU_ACTIONS as readonly string[]).includes(x);
export const isCoreEventTopic = (x: unknown): x is (typeof CORE_EVENTS)[number] =>
  typeof x === 'string' && (CORE_EVENTS as readonly string[]).includes(x);

/** The renderer page and the pixel resources, each on its own privileged scheme. */
export const APP_SCHEME = 'app';
export const APP_HOST = 'calciquant';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const RESOURCE_SCHEME = 'calciquant-res';
export const RESOURCE_ORIGIN = `${RESOURCE_SCHEME}://app`;

/** `calciquant-res://app/res/…` for a resource path; throws for anything else. */
export function resourceUrl(p: unknown): string {
  if (typeof p !== 'string' || !RESOURCE_PATH_PATTERN.test(p)) throw new TypeError('Not a resource path.');
  return RESOURCE_ORIGIN + p;
}

export const PICK_KINDS = ['files', 'folder', 'saveFile', 'openFile'] as const;
export type PickKind = (typeof PICK_KINDS)[number];
export interface FileFilter {
  readonly name: string;
  readonly extensions: readonly string[];
}
export interface PickPathsOptions {
  readonly kind: PickKind;
  readonly filters?: readonly FileFilter[];
  readonly title?: string;
  /** Suggested file name (no folders) for saveFile. */
  readonly defaultName?: string;
}

const isShortString = (x: unknown, max: number): x is string => typeof x === 'string' && x.length > 0 && x.length <= max;

function parseFilter(x: unknown): FileFilter | null {
  if (typeof x !== 'object' || x === null) return null;
  const { name, extensions } = x as Record<string, unknown>;
  if (!isShortString(name, 100) || !Array.isArray(extensions) || extensions.length === 0 || extensions.length > 20) return null;
  if (!extensions.every((e) => typeof e === 'string' && /^(\*|[A-Za-z0-9]{1,16})$/.test(e))) return null;
  return { name, extensions: extensions as string[] };
}

/** Validates what the renderer sent to host:pickPaths; null when malformed. */
export function parsePickPathsOptions(x: unknown): PickPathsOptions | null {
  if (typeof x !== 'object' || x === null || Array.isArray(x)) return null;
  const o = x as Record<string, unknown>;
  if (!(PICK_KINDS as readonly unknown[]).includes(o.kind)) return null;
  let filters: FileFilter[] | undefined;
  if (o.filters !== undefined) {
    if (!Array.isArray(o.filters) || o.filters.length > 10) return null;
    filters = o.filters.map(parseFilter).filter((f): f is FileFilter => f !== null);
    if (filters.length !== o.filters.length) return null;
  }
  if (o.title !== undefined && !isShortString(o.title, 200)) return null;
  if (o.defaultName !== undefined && (!isShortString(o.defaultName, 255) || /[\\/\0]/.test(o.defaultName))) return null;
  return {
    kind: o.kind as PickKind,
    ...(filters ? { filters } : {}),
    ...(o.title !== undefined ? { title: o.title as string } : {}),
    ...(o.defaultName !== undefined ? { defaultName: o.defaultName as string } : {}),
  };
}

/** The keys of `window.coreApi` besides the CORE_METHODS. */
export const BRIDGE_EXTRAS = ['on', 'resourceUrl', 'pickPaths', 'readTextFile', 'writeTextFile', 'getPathForFile', 'host'] as const;
