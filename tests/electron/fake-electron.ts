/**
 * A stand-in for the `electron` module (the binary cannot run here): records what the shell asks
 * of it. Use with `vi.mock('electron', () => import('./fake-electron.js'))` and call `resetFakes()`
 * in beforeEach.
 */
import os from 'node:os';
import { vi } from 'vitest';

type Fn = (...a: any[]) => any;

export class FakeEmitter {
  readonly listeners = new Map<string, Fn[]>();
  on(ev: string, cb: Fn): this {
    this.listeners.set(ev, [...(this.listeners.get(ev) ?? []), cb]);
    return this;
  }
  once(ev: string, cb: Fn): this {
    return this.on(ev, cb);
  }
  emit(ev: string, ...args: unknown[]): void {
    for (const cb of this.listeners.get(ev) ?? []) cb(...args);
  }
}

/** An event whose preventDefault() is recorded. */
export const fakeEvent = () => ({ defaultPrevented: false, preventDefault() { this.defaultPrevented = true; } });

export interface FakeFrame { processId: number; routingId: number; url: string }

let nextId = 1;
export class FakeWebContents extends FakeEmitter {
  readonly id = nextId++;
  mainFrame: FakeFrame = { processId: 7, routingId: this.id, url: 'app://calciquant/index.html' };
  readonly sent: unknown[][] = [];
  windowOpenHandler: Fn | null = null;
  destroyed = false;
  setWindowOpenHandler(h: Fn): void {
    this.windowOpenHandler = h;
  }
  send(channel: string, ...args: unknown[]): void {
    this.sent.push([channel, ...args]);
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
}

export class BrowserWindow extends FakeEmitter {
  static instances: BrowserWindow[] = [];
  readonly webContents = new FakeWebContents();
  loadedUrl: string | null = null;
  constructor(readonly options: Record<string, any>) {
    super();
    BrowserWindow.instances.push(this);
  }
  loadURL(url: string): Promise<void> {
    this.loadedUrl = url;
    return Promise.resolve();
  }
  isDestroyed = () => false;
  isMaximized = () => false;
  isMinimized = () => false;
  getNormalBounds = () => ({ x: 10, y: 20, width: this.options.width ?? 1000, height: this.options.height ?? 700 });
  show = vi.fn();
  maximize = vi.fn();
  restore = vi.fn();
  focus = vi.fn();
}

export const ipcMain = {
  handlers: new Map<string, Fn>(),
  handle(channel: string, fn: Fn): void {
    if (this.handlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
    this.handlers.set(channel, fn);
  },
  removeHandler(channel: string): void {
    this.handlers.delete(channel);
  },
};

export const ipcRenderer = Object.assign(new FakeEmitter(), {
  invoke: vi.fn<(channel: string, ...args: unknown[]) => Promise<unknown>>(),
});

export const contextBridge = {
  exposed: new Map<string, unknown>(),
  exposeInMainWorld: vi.fn((key: string, api: unknown) => {
    if (contextBridge.exposed.has(key)) throw new Error(`Cannot bind an API on top of an existing property: ${key}`);
    contextBridge.exposed.set(key, api);
  }),
};

export const webUtils = { getPathForFile: vi.fn((_f: unknown) => '/home/u/dropped.tif') };

export const protocol = {
  handlers: new Map<string, Fn>(),
  registerSchemesAsPrivileged: vi.fn(),
  handle(scheme: string, fn: Fn): void {
    protocol.handlers.set(scheme, fn);
  },
};

export const dialog = {
  showOpenDialog: vi.fn(async (..._a: unknown[]) => ({ canceled: true, filePaths: [] as string[] })),
  showSaveDialog: vi.fn(async (..._a: unknown[]) => ({ canceled: true, filePath: '' })),
  showMessageBox: vi.fn(async (..._a: unknown[]) => ({ response: 0 })),
  showErrorBox: vi.fn(),
};

export const Menu = {
  current: null as { template: unknown[] } | null,
  buildFromTemplate: (template: unknown[]) => ({ template }),
  setApplicationMenu: (m: { template: unknown[] }) => {
    Menu.current = m;
  },
};

export class FakeUtilityProcess extends FakeEmitter {
  readonly posted: unknown[] = [];
  killed = false;
  constructor(readonly modulePath: string, readonly args: string[], readonly options: unknown) {
    super();
  }
  postMessage(m: unknown): void {
    this.posted.push(m);
  }
  kill(): boolean {
    this.killed = true;
    return true;
  }
}
export const utilityProcess = {
  instances: [] as FakeUtilityProcess[],
  fork: vi.fn((modulePath: string, args: string[] = [], options?: unknown) => {
    const p = new FakeUtilityProcess(modulePath, args, options);
    utilityProcess.instances.push(p);
    return p;
  }),
};

export const session = {
  defaultSession: Object.assign(new FakeEmitter(), {
    permissionRequestHandler: null as Fn | null,
    permissionCheckHandler: null as Fn | null,
    setPermissionRequestHandler(h: Fn) {
      this.permissionRequestHandler = h;
    },
    setPermissionCheckHandler(h: Fn) {
      this.permissionCheckHandler = h;
    },
  }),
};

export const screen = { getAllDisplays: () => [{ workArea: { x: 0, y: 0, width: 1920, height: 1080 } }] };

export const app = Object.assign(new FakeEmitter(), {
  isPackaged: false,
  getPath: (_name: string) => os.tmpdir(),
  getVersion: () => '0.1.0',
  whenReady: () => new Promise<void>(() => {}),
  quit: vi.fn(),
  exit: vi.fn(),
  enableSandbox: vi.fn(),
  requestSingleInstanceLock: vi.fn(() => true),
});

export function resetFakes(): void {
  BrowserWindow.instances = [];
  ipcMain.handlers.clear();
  ipcRenderer.listeners.clear();
  ipcRenderer.invoke.mockReset();
  contextBridge.exposed.clear();
  protocol.handlers.clear();
  Menu.current = null;
  utilityProcess.instances = [];
  app.listeners.clear();
  vi.clearAllMocks();
}
