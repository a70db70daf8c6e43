/**
 * The running shell: core + analysis utility process, protocols, IPC, menu, the main window and its
 * remembered bounds, and an orderly quit (state saved, core disposed, utility process killed).
 */
import path from 'node:path';
import { app, dialog, screen, session, type BrowserWindow, type MessageBoxOptions } from 'electron';
import { createCore, type CoreHandle } from '../../src/app/core.js';
import { APP_VERSION } from '../../src/app/version.js';
import { defaultPoolSize } from '../../src/workers/pool.js';
import { MENU_CHANNEL, type MenuAction } from '../common/channels.js';
import { addRecentProject, loadRecentProjects, loadWindowState, saveWindowState } from './app-state.js';
import { registerHostIpc, showPickDialog } from './host-ipc.js';
import { forwardCoreEvents, registerCoreIpc, toResult } from './ipc.js';
import { installMenu } from './menu.js';
import type { AppPaths } from './paths.js';
import { installProtocols } from './protocols.js';
import { hardenSession, lockDownAllWebContents } from './security.js';
import { createUtilityHost } from './utility-host.js';
import { createMainWindow, isFromMainFrame, windowStateOf } from './window.js';

const QUIT_TIMEOUT_MS = 3000;

export function aboutOptions(): MessageBoxOptions {
  const v = process.versions;
  return {
    type: 'info',
    title: 'About Calciquant',
    message: `Calciquant ${APP_VERSION}`,
    detail: `Measures calcification in brightfield microscopy images.\n\nElectron ${v.electron} · Chromium ${v.chrome} · Node ${v.node}`,
    buttons: ['OK'],
  };
}

export function startShell(paths: AppPaths): { focus(): void } {
  const isDev = !app.isPackaged;
  const userData = (): string => app.getPath('userData');
  let win: BrowserWindow | null = null;
  let core: CoreHandle | null = null;
  const pending = new Set<Promise<unknown>>();
  const track = (p: Promise<unknown>): void => {
    const q = p.catch((e: unknown) => console.error('[shell]', e)).finally(() => pending.delete(q));
    pending.add(q);
  };

  function send(action: MenuAction, payload?: unknown): void {
    if (win && !win.isDestroyed()) win.webContents.send(MENU_CHANNEL, action, payload);
  }

  async function openImages(kind: 'files' | 'folder'): Promise<void> {
    const chosen = await showPickDialog(win, { kind });
    if (!chosen || !core) return;
    const c = core;
    send('images-opened', await toResult('openImages', () => c.openImages(chosen)));
  }

  async function openWindow(): Promise<void> {
    const workAreas = screen.getAllDisplays().map((d) => d.workArea);
    const w = createMainWindow({ preloadPath: paths.preload, state: await loadWindowState(userData(), workAreas), isDev });
    win = w;
    w.on('close', () => track(saveWindowState(userData(), windowStateOf(w))));
    w.on('closed', () => {
      if (win === w) win = null;
    });
  }

  async function setUp(): Promise<void> {
    lockDownAllWebContents(app);
    hardenSession(session.defaultSession);
    const host = createUtilityHost({ modulePath: paths.utility, size: defaultPoolSize() });
    const c = createCore({ createHost: () => host, cacheDir: path.join(userData(), 'analysis-cache') });
    core = c;
    installProtocols(paths.renderer, (p) => c.readResource(p));
    const isTrusted = (e: Parameters<typeof isFromMainFrame>[1]) => isFromMainFrame(win, e);
    registerCoreIpc(c, isTrusted);
    registerHostIpc({ isTrusted, getWindow: () => win });
    forwardCoreEvents(c, () => win?.webContents ?? null);
    const menu = (recentProjects: readonly string[]) =>
      installMenu({
        isMac: process.platform === 'darwin',
        isDev,
        send,
        openImages: (kind) => track(openImages(kind)),
        showAbout: () => track(win ? dialog.showMessageBox(win, aboutOptions()) : dialog.showMessageBox(aboutOptions())),
        recentProjects,
        openRecentProject: (dir) => track(c.openProject(dir).catch((e: { userMessage?: string }) => dialog.showErrorBox('Calciquant', e.userMessage ?? String(e)))),
      });
    menu(await loadRecentProjects(userData()));
    c.on('project:changed', (e) => {
      if (e.project) track(addRecentProject(userData(), e.project.dir).then(menu));
    });
    await openWindow();
  }

  let quitting = false;
  app.on('will-quit', (e) => {
    if (quitting) return;
    quitting = true;
    e.preventDefault();
    const done = Promise.allSettled([...pending, core?.dispose()]);
    void Promise.race([done, new Promise((r) => setTimeout(r, QUIT_TIMEOUT_MS))]).then(() => app.quit());
  });
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  app.on('activate', () => {
    if (!win && core) track(openWindow());
  });
  app.whenReady().then(setUp).catch((e: unknown) => {
    console.error('[shell] start-up failed:', e);
    dialog.showErrorBox('Calciquant could not start', e instanceof Error ? e.message : String(e));
    app.exit(1);
  });

  return {
    focus() {
      if (!win) return;
      if (win.isMinimized()) win.restore();
      win.focus();
    },
  };
}
