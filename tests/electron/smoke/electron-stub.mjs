// A minimal `electron` for running the built main bundle in plain Node: once the window loads its
// page, it calls a few IPC handlers and the protocol handlers, prints a JSON report and exits.
import { EventEmitter } from 'node:events';

const report = { schemes: [], handled: [], channels: [], windows: [], calls: {} };
const handlers = new Map();
const protocols = new Map();

export const app = Object.assign(new EventEmitter(), {
  isPackaged: false,
  whenReady: () => Promise.resolve(),
  getPath: () => process.env.CQ_SMOKE_DIR,
  getVersion: () => '0.0.0',
  enableSandbox: () => (report.sandboxed = true),
  requestSingleInstanceLock: () => true,
  quit: () => {},
  exit: (c) => process.exit(c),
});
export const protocol = {
  registerSchemesAsPrivileged: (s) => report.schemes.push(...s),
  handle: (scheme, fn) => protocols.set(scheme, fn),
};
const ses = Object.assign(new EventEmitter(), { setPermissionRequestHandler() {}, setPermissionCheckHandler() {} });
export const session = { defaultSession: ses };
export const ipcMain = { handle: (c, fn) => handlers.set(c, fn), removeHandler: (c) => handlers.delete(c) };
export const Menu = { buildFromTemplate: (t) => t, setApplicationMenu: (t) => (report.menu = t.map((m) => m.label)) };
export const dialog = { showOpenDialog: async () => ({ canceled: true, filePaths: [] }), showSaveDialog: async () => ({ canceled: true }), showMessageBox: async () => ({}), showErrorBox: (t, m) => { console.error(t, m); process.exit(3); } };
export const screen = { getAllDisplays: () => [{ workArea: { x: 0, y: 0, width: 1920, height: 1080 } }] };
export const utilityProcess = { fork: () => { throw new Error('not in the smoke test'); } };

class WebContents extends EventEmitter {
  mainFrame = { processId: 1, routingId: 1, url: 'app://calciquant/index.html' };
  setWindowOpenHandler() {}
  send() {}
  isDestroyed() { return false; }
}
export class BrowserWindow extends EventEmitter {
  constructor(options) {
    super();
    this.webContents = new WebContents();
    report.windows.push(options);
  }
  isDestroyed() { return false; }
  async loadURL(url) {
    report.loaded = url;
    setTimeout(() => void finish(this), 10);
  }
}

async function finish(win) {
  report.channels = [...handlers.keys()];
  report.handled = [...protocols.keys()];
  const e = { sender: win.webContents, senderFrame: win.webContents.mainFrame };
  report.calls.getAppInfo = await handlers.get('core:getAppInfo')(e);
  report.calls.listImages = await handlers.get('core:listImages')(e);
  report.calls.badArgs = await handlers.get('core:openImages')(e, 'not-a-list');
  const page = await protocols.get('app')(new Request('app://calciquant/index.html'));
  report.page = { status: page.status, csp: page.headers.get('content-security-policy') };
  const res = await protocols.get('calciquant-res')(new Request('calciquant-res://app/res/thumb/0123456789abcdef.jpg'));
  report.resource = res.status;
  process.stdout.write(JSON.stringify(report));
  process.exit(0);
}
