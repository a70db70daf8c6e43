/**
 * The native application menu. Commands the UI carries out are sent to the renderer as
 * `menu:<action>` events; Open images/folder run their dialog here and call core.openImages.
 */
import { Menu, type MenuItemConstructorOptions } from 'electron';
import type { MenuAction } from '../common/channels.js';

export interface MenuContext {
  readonly isMac: boolean;
  /** Development run (not packaged): adds the developer tools item. */
  readonly isDev: boolean;
  /** Sends `menu:<action>` to the renderer. */
  send(action: MenuAction): void;
  /** Native dialog for files or a folder, then core.openImages. */
  openImages(kind: 'files' | 'folder'): void;
  showAbout(): void;
  /** Project folders opened lately, most recent first. */
  readonly recentProjects: readonly string[];
  openRecentProject(dir: string): void;
}

function fileMenu(c: MenuContext): MenuItemConstructorOptions {
  return {
    label: '&File',
    submenu: [
      { id: 'open-images', label: 'Open Images…', accelerator: 'CmdOrCtrl+O', click: () => c.openImages('files') },
      { id: 'open-folder', label: 'Open Folder…', accelerator: 'CmdOrCtrl+Shift+O', click: () => c.openImages('folder') },
      { type: 'separator' },
      { id: 'open-project', label: 'Open Project…', click: () => c.send('open-project') },
      {
        id: 'open-recent',
        label: 'Open Recent',
        enabled: c.recentProjects.length > 0,
        submenu: c.recentProjects.map((dir, i) => ({ id: `recent-${i}`, label: dir, click: () => c.openRecentProject(dir) })),
      },
      { id: 'save-project', label: 'Save Project', accelerator: 'CmdOrCtrl+S', click: () => c.send('save-project') },
      { type: 'separator' },
      { id: 'export-results', label: 'Export Results…', accelerator: 'CmdOrCtrl+E', click: () => c.send('export-results') },
      { type: 'separator' },
      { id: 'quit', role: 'quit' },
    ],
  };
}

function editMenu(c: MenuContext): MenuItemConstructorOptions {
  return {
    label: '&Edit',
    submenu: [
      { id: 'undo', label: 'Undo', accelerator: 'CmdOrCtrl+Z', click: () => c.send('undo') },
      { id: 'redo', label: 'Redo', accelerator: 'CmdOrCtrl+Shift+Z', click: () => c.send('redo') },
      { type: 'separator' },
      { id: 'cut', role: 'cut' },
      { id: 'copy', role: 'copy' },
      { id: 'paste', role: 'paste' },
      { id: 'select-all', role: 'selectAll' },
    ],
  };
}

function viewMenu(c: MenuContext): MenuItemConstructorOptions {
  const items: MenuItemConstructorOptions[] = [
    { id: 'zoom-in', label: 'Zoom In', accelerator: 'CmdOrCtrl+=', click: () => c.send('zoom-in') },
    { id: 'zoom-out', label: 'Zoom Out', accelerator: 'CmdOrCtrl+-', click: () => c.send('zoom-out') },
    { id: 'zoom-fit', label: 'Fit to Window', accelerator: 'CmdOrCtrl+0', click: () => c.send('zoom-fit') },
    { type: 'separator' },
    { id: 'toggle-overlay', label: 'Toggle Overlay', accelerator: 'CmdOrCtrl+Shift+M', click: () => c.send('toggle-overlay') },
  ];
  if (c.isDev) items.push({ type: 'separator' }, { id: 'toggle-devtools', role: 'toggleDevTools' }, { id: 'reload', role: 'forceReload' });
  return { label: '&View', submenu: items };
}

function helpMenu(c: MenuContext): MenuItemConstructorOptions {
  return { label: '&Help', role: 'help', submenu: [{ id: 'about', label: 'About Calciquant', click: () => c.showAbout() }] };
}

export function buildMenuTemplate(c: MenuContext): MenuItemConstructorOptions[] {
  const menus = [fileMenu(c), editMenu(c), viewMenu(c), helpMenu(c)];
  return c.isMac ? [{ role: 'appMenu' }, ...menus] : menus;
}

export function installMenu(c: MenuContext): void {
  Menu.setApplicationMenu(Menu.buildFromTemplate(buildMenuTemplate(c)));
}
