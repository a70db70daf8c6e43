import { beforeEach, describe, expect, it, vi } from 'vitest';

vi.mock('electron', () => import('./fake-electron.js'));

import { app, BrowserWindow, fakeEvent, FakeWebContents, resetFakes, session } from './fake-electron.js';
import { CONTENT_SECURITY_POLICY, hardenSession, lockDownAllWebContents } from '../../electron/main/security.js';
import { createMainWindow, isFromMainFrame, MAIN_PAGE_URL, windowStateOf } from '../../electron/main/window.js';
import { DEFAULT_WINDOW_STATE } from '../../electron/main/app-state.js';

const open = (isDev = false) =>
  createMainWindow({ preloadPath: '/app/dist-electron/preload.cjs', state: DEFAULT_WINDOW_STATE, isDev }) as unknown as BrowserWindow;

beforeEach(resetFakes);

describe('main window', () => {
  it('is sandboxed, context-isolated, without Node, with web security', () => {
    const win = open();
    const wp = win.options.webPreferences;
    expect(wp).toMatchObject({
      preload: '/app/dist-electron/preload.cjs',
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      devTools: false,
    });
    expect(open(true).options.webPreferences.devTools).toBe(true);
  });

  it('loads only our page through the app:// scheme', () => {
    const win = open();
    expect(win.loadedUrl).toBe('app://calciquant/index.html');
    expect(MAIN_PAGE_URL).toBe(win.loadedUrl);
  });

  it('denies window.open, navigation, redirects and <webview>', () => {
    const wc = open().webContents;
    expect(wc.windowOpenHandler?.({ url: 'https://example.org' })).toEqual({ action: 'deny' });
    for (const ev of ['will-navigate', 'will-redirect', 'will-attach-webview']) {
      const e = fakeEvent();
      wc.emit(ev, e, 'https://example.org');
      expect(e.defaultPrevented, ev).toBe(true);
    }
  });

  it('applies the same lock-down to every web contents the app creates', () => {
    lockDownAllWebContents(app as never);
    const wc = new FakeWebContents();
    app.emit('web-contents-created', fakeEvent(), wc);
    expect(wc.windowOpenHandler?.({ url: 'app://calciquant/x' })).toEqual({ action: 'deny' });
    const e = fakeEvent();
    wc.emit('will-navigate', e);
    expect(e.defaultPrevented).toBe(true);
  });

  it('remembers normal bounds and maximised state', () => {
    expect(windowStateOf(open() as never)).toEqual({ x: 10, y: 20, width: 1280, height: 800, maximized: false });
  });
});

describe('CSP and session', () => {
  it('is STYLE §11 production CSP with our resource scheme instead of tile:, plus fonts and no base/form targets', () => {
    expect(CONTENT_SECURITY_POLICY).toBe(
      "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; " +
        "img-src 'self' data: blob: calciquant-res:; connect-src 'self' calciquant-res:; worker-src 'self'; " +
        "font-src 'self'; base-uri 'none'; form-action 'none'",
    );
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-eval|tile:|\*/);
  });

  it('denies every permission but clipboard writes, and downloads', () => {
    hardenSession(session.defaultSession as never);
    const s = session.defaultSession;
    const answer = (perm: string) => {
      const cb = vi.fn();
      s.permissionRequestHandler?.(null, perm, cb);
      return cb.mock.calls[0]?.[0];
    };
    expect(answer('media')).toBe(false);
    expect(answer('geolocation')).toBe(false);
    expect(answer('openExternal')).toBe(false);
    expect(answer('clipboard-sanitized-write')).toBe(true);
    expect(s.permissionCheckHandler?.(null, 'notifications')).toBe(false);
    const e = fakeEvent();
    s.emit('will-download', e);
    expect(e.defaultPrevented).toBe(true);
  });
});

describe('isFromMainFrame', () => {
  const event = (win: BrowserWindow, frame: unknown, sender: unknown = win.webContents) => ({ sender, senderFrame: frame }) as never;

  it('accepts our main frame showing our page', () => {
    const win = open();
    expect(isFromMainFrame(win as never, event(win, { ...win.webContents.mainFrame }))).toBe(true);
  });

  it('rejects sub-frames, other windows, other origins, gone frames and no window', () => {
    const win = open();
    const other = open();
    const main = win.webContents.mainFrame;
    expect(isFromMainFrame(win as never, event(win, { ...main, routingId: main.routingId + 100 }))).toBe(false);
    expect(isFromMainFrame(win as never, event(win, { ...main, processId: 99 }))).toBe(false);
    expect(isFromMainFrame(win as never, event(win, { ...main, url: 'https://evil.example/' }))).toBe(false);
    expect(isFromMainFrame(win as never, event(win, { ...main, url: 'app://calciquantx/' }))).toBe(false);
    expect(isFromMainFrame(win as never, event(win, null))).toBe(false);
    expect(isFromMainFrame(win as never, event(win, { ...main }, other.webContents))).toBe(false);
    expect(isFromMainFrame(null, event(win, { ...main }))).toBe(false);
  });
});
