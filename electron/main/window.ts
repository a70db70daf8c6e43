/**
 * The one main window: sandboxed, context-isolated, no Node, web security on (STYLE §11); it loads
 * only `app://calciquant/index.html` and can neither navigate nor open windows.
 */
import { BrowserWindow, type IpcMainEvent, type IpcMainInvokeEvent } from 'electron';
import { APP_ORIGIN } from '../common/channels.js';
import { MIN_WINDOW_SIZE, type WindowState } from './app-state.js';
import { lockDownWebContents } from './security.js';

export const MAIN_PAGE_URL = `${APP_ORIGIN}/index.html`;

export interface MainWindowOptions {
  readonly preloadPath: string;
  readonly state: WindowState;
  readonly isDev: boolean;
}

export function createMainWindow(o: MainWindowOptions): BrowserWindow {
  const { maximized, ...bounds } = o.state;
  const win = new BrowserWindow({
    ...bounds,
    minWidth: MIN_WINDOW_SIZE.width,
    minHeight: MIN_WINDOW_SIZE.height,
    title: 'Calciquant',
    show: false,
    backgroundColor: '#1e1e1e',
    webPreferences: {
      preload: o.preloadPath,
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      devTools: o.isDev,
    },
  });
  lockDownWebContents(win.webContents);
  win.once('ready-to-show', () => {
    if (maximized) win.maximize();
    win.show();
  });
  void win.loadURL(MAIN_PAGE_URL);
  return win;
}

/** Bounds to remember (the normal bounds when maximised). */
export function windowStateOf(win: BrowserWindow): WindowState {
  const b = win.getNormalBounds();
  return { x: b.x, y: b.y, width: b.width, height: b.height, maximized: win.isMaximized() };
}

/** Whether an IPC message comes from the main frame of `win`, showing our page. */
export function isFromMainFrame(win: BrowserWindow | null, e: IpcMainEvent | IpcMainInvokeEvent): boolean {
  if (!win || win.isDestroyed() || e.sender !== win.webContents) return false;
  const frame = e.senderFrame;
  const main = win.webContents.mainFrame;
  if (!frame || frame.processId !== main.processId || frame.routingId !== main.routingId) return false;
  return frame.url.startsWith(`${APP_ORIGIN}/`);
}
