import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { MenuItemConstructorOptions } from 'electron';

vi.mock('electron', () => import('./fake-electron.js'));

import { Menu, resetFakes } from './fake-electron.js';
import { MENU_ACTIONS } from '../../electron/common/channels.js';
import { buildMenuTemplate, installMenu, type MenuContext } from '../../electron/main/menu.js';
import { aboutOptions } from '../../electron/main/shell.js';
import { APP_VERSION } from '../../src/app/version.js';

type Item = MenuItemConstructorOptions;
const ctx = (o: Partial<MenuContext> = {}): MenuContext & { send: ReturnType<typeof vi.fn>; openImages: ReturnType<typeof vi.fn> } =>
  ({ isMac: false, isDev: false, send: vi.fn(), openImages: vi.fn(), showAbout: vi.fn(), recentProjects: [], openRecentProject: vi.fn(), ...o }) as never;
const items = (t: Item[]) => t.flatMap((m) => (m.submenu as Item[] | undefined) ?? []);
const byId = (t: Item[], id: string) => items(t).find((i) => i.id === id);
const click = (i: Item | undefined) => (i!.click as () => void)();

beforeEach(resetFakes);

describe('application menu', () => {
  it('lists recent projects under File › Open Recent and opens the one clicked', () => {
    const open = vi.fn();
    const t = buildMenuTemplate(ctx({ recentProjects: ['/data/Study A.calciquant', '/data/B.calciquant'], openRecentProject: open }));
    const recent = byId(t, 'open-recent')!;
    expect(recent.enabled).toBe(true);
    const entries = recent.submenu as Item[];
    expect(entries.map((e) => e.label)).toEqual(['/data/Study A.calciquant', '/data/B.calciquant']);
    click(entries[1]);
    expect(open).toHaveBeenCalledWith('/data/B.calciquant');
    expect(byId(buildMenuTemplate(ctx()), 'open-recent')!.enabled).toBe(false);
  });

  it('has File, Edit, View, Help (and the app menu on macOS)', () => {
    expect(buildMenuTemplate(ctx()).map((m) => m.label)).toEqual(['&File', '&Edit', '&View', '&Help']);
    expect(buildMenuTemplate(ctx({ isMac: true }))[0]).toEqual({ role: 'appMenu' });
  });

  it.each([
    ['open-images', 'CmdOrCtrl+O'],
    ['open-folder', 'CmdOrCtrl+Shift+O'],
    ['open-project', undefined],
    ['save-project', 'CmdOrCtrl+S'],
    ['export-results', 'CmdOrCtrl+E'],
    ['undo', 'CmdOrCtrl+Z'],
    ['redo', 'CmdOrCtrl+Shift+Z'],
    ['zoom-in', 'CmdOrCtrl+='],
    ['zoom-out', 'CmdOrCtrl+-'],
    ['zoom-fit', 'CmdOrCtrl+0'],
    ['toggle-overlay', 'CmdOrCtrl+Shift+M'],
  ])('%s has accelerator %s', (id, accelerator) => {
    const item = byId(buildMenuTemplate(ctx()), id);
    expect(item).toBeDefined();
    expect(item!.accelerator).toBe(accelerator);
  });

  it('uses the standard roles for quit, cut, copy, paste', () => {
    const t = buildMenuTemplate(ctx());
    expect(['quit', 'cut', 'copy', 'paste'].map((id) => byId(t, id)?.role)).toEqual(['quit', 'cut', 'copy', 'paste']);
  });

  it('sends renderer commands as menu actions', () => {
    const c = ctx();
    const t = buildMenuTemplate(c);
    const sent = ['open-project', 'save-project', 'export-results', 'undo', 'redo', 'zoom-in', 'zoom-out', 'zoom-fit', 'toggle-overlay'];
    for (const id of sent) click(byId(t, id));
    expect(c.send.mock.calls.map((a) => a[0])).toEqual(sent);
    for (const a of sent) expect(MENU_ACTIONS).toContain(a);
  });

  it('opens images and folders in main', () => {
    const c = ctx();
    const t = buildMenuTemplate(c);
    click(byId(t, 'open-images'));
    click(byId(t, 'open-folder'));
    expect(c.openImages.mock.calls).toEqual([['files'], ['folder']]);
    expect(c.send).not.toHaveBeenCalled();
  });

  it('offers developer tools only in development', () => {
    expect(byId(buildMenuTemplate(ctx()), 'toggle-devtools')).toBeUndefined();
    expect(byId(buildMenuTemplate(ctx({ isDev: true })), 'toggle-devtools')?.role).toBe('toggleDevTools');
  });

  it('About shows the app version', () => {
    const c = ctx();
    click(byId(buildMenuTemplate(c), 'about'));
    expect(c.showAbout).toHaveBeenCalled();
    expect(aboutOptions().message).toBe(`Calciquant ${APP_VERSION}`);
    expect(APP_VERSION).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('installMenu sets it as the application menu', () => {
    installMenu(ctx());
    expect((Menu.current?.template as Item[]).map((m) => m.label)).toContain('&View');
  });
});
