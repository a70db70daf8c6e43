import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeEach, describe, expect, it, vi } from 'vitest';

vi.mock('electron', () => import('./fake-electron.js'));

import { BrowserWindow, dialog, ipcMain, resetFakes } from './fake-electron.js';
import { CORE_EVENTS, CORE_METHODS, type CoreApi } from '../../src/common/api.js';
import { AppError } from '../../src/common/errors.js';
import { CORE_EVENT_CHANNEL, HOST_CHANNELS } from '../../electron/common/channels.js';
import { ARG_SHAPES } from '../../electron/main/arg-shapes.js';
import { createPathGrants, registerHostIpc } from '../../electron/main/host-ipc.js';
import { forwardCoreEvents, registerCoreIpc } from '../../electron/main/ipc.js';
import { isFromMainFrame } from '../../electron/main/window.js';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'cq-ipc-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** A core whose every method is a spy answering `{ method, args }`. */
function fakeCore() {
  const listeners = new Map<string, (e: unknown) => void>();
  const core = Object.fromEntries(CORE_METHODS.map((m) => [m, vi.fn(async (...args: unknown[]) => ({ method: m, args }))]));
  return Object.assign(core, {
    on: vi.fn((topic: string, cb: (e: unknown) => void) => {
      listeners.set(topic, cb);
      return () => listeners.delete(topic);
    }),
    listeners,
  }) as unknown as CoreApi & { listeners: typeof listeners };
}

let win: BrowserWindow;
let core: ReturnType<typeof fakeCore>;
const trusted = () => ({ sender: win.webContents, senderFrame: { ...win.webContents.mainFrame } });
const spy = (m: string) => (core as unknown as Record<string, ReturnType<typeof vi.fn>>)[m]!;
const call = (channel: string, event: unknown, ...args: unknown[]) => ipcMain.handlers.get(channel)!(event, ...args);

beforeEach(() => {
  resetFakes();
  win = new BrowserWindow({});
  core = fakeCore();
  const isTrusted = (e: Parameters<typeof isFromMainFrame>[1]) => isFromMainFrame(win as never, e);
  registerCoreIpc(core, isTrusted);
  registerHostIpc({ isTrusted, getWindow: () => win as never });
});

describe('core channels', () => {
  it('registers exactly core:<m> for every CORE_METHODS entry, plus the host channels', () => {
    const expected = [...CORE_METHODS.map((m) => `core:${m}`), ...Object.values(HOST_CHANNELS)].sort();
    expect([...ipcMain.handlers.keys()].sort()).toEqual(expected);
    expect(Object.keys(ARG_SHAPES).sort()).toEqual([...CORE_METHODS].sort());
  });

  it('calls the core and returns its value as a Result', async () => {
    expect(await call('core:getAppInfo', trusted())).toEqual({ ok: true, value: { method: 'getAppInfo', args: [] } });
    expect(await call('core:probePixel', trusted(), '0123456789abcdef', 3, 4)).toEqual({
      ok: true,
      value: { method: 'probePixel', args: ['0123456789abcdef', 3, 4] },
    });
    expect(await call('core:validateRecipe', trusted(), { steps: [] }, 'r.json')).toMatchObject({ ok: true });
  });

  it('refuses a sender that is not our main frame, without calling the core', async () => {
    const sub = { sender: win.webContents, senderFrame: { ...win.webContents.mainFrame, routingId: 999 } };
    const other = new BrowserWindow({});
    const foreign = { sender: other.webContents, senderFrame: other.webContents.mainFrame };
    const gone = { sender: win.webContents, senderFrame: null };
    for (const e of [sub, foreign, gone]) {
      const r = await call('core:openImages', e, ['/a.tif']);
      expect(r).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
      const h = await call(HOST_CHANNELS.pickPaths, e, { kind: 'files' });
      expect(h).toMatchObject({ ok: false });
    }
    expect(core.openImages).not.toHaveBeenCalled();
    expect(dialog.showOpenDialog).not.toHaveBeenCalled();
  });

  it.each([
    ['openImages', ['/a.tif']],
    ['openImages', [[1, 2]]],
    ['openImages', []],
    ['openImages', [['/a.tif'], 'extra']],
    ['getAppInfo', [1]],
    ['probePixel', ['0123456789abcdef', '3', 4]],
    ['probePixel', ['0123456789abcdef', Number.NaN, 4]],
    ['startBatch', [null]],
    ['startBatch', [['x']]],
    ['previewImage', ['x']],
    ['cancelBatch', [{ id: 'x' }]],
    ['validateRecipe', [undefined, 'r.json']],
    ['listDirectory', [42]],
  ] as const)('rejects %s(%j) before the core', async (m, args) => {
    const r = await call(`core:${m}`, trusted(), ...args);
    expect(r).toMatchObject({ ok: false, error: { code: 'INPUT_INVALID' } });
    expect(r.error.userMessage).toContain(m);
    expect(spy(m)).not.toHaveBeenCalled();
  });

  it('turns a thrown AppError into { ok: false, error: { code, userMessage } } and nothing else', async () => {
    spy('startBatch').mockRejectedValueOnce(
      new AppError('RECIPE_INVALID', 'The recipe is not valid: step 2 has no threshold.', { detail: 'secret detail' }),
    );
    const r = await call('core:startBatch', trusted(), { recipe: { preset: 'alizarin' } });
    expect(r).toEqual({ ok: false, error: { code: 'RECIPE_INVALID', userMessage: 'The recipe is not valid: step 2 has no threshold.' } });
  });

  it('turns any other failure into INTERNAL', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => {});
    spy('listImages').mockRejectedValueOnce(new TypeError('x is undefined'));
    const r = await call('core:listImages', trusted());
    expect(r).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
  });

  it('forwards every core event to the window as core:event (topic, payload)', () => {
    forwardCoreEvents(core, () => win.webContents as never);
    expect([...core.listeners.keys()].sort()).toEqual([...CORE_EVENTS].sort());
    core.listeners.get('batch:progress')!({ done: 1 });
    expect(win.webContents.sent).toEqual([[CORE_EVENT_CHANNEL, 'batch:progress', { done: 1 }]]);
    win.webContents.destroyed = true;
    core.listeners.get('batch:done')!({});
    expect(win.webContents.sent).toHaveLength(1);
  });
});

describe('host channels', () => {
  it('validates pickPaths options', async () => {
    for (const bad of [undefined, 'files', { kind: 'exe' }, { kind: 'files', filters: [{ name: 'x', extensions: ['../'] }] }]) {
      expect(await call(HOST_CHANNELS.pickPaths, trusted(), bad)).toMatchObject({ ok: false, error: { code: 'INPUT_INVALID' } });
    }
    expect(dialog.showOpenDialog).not.toHaveBeenCalled();
  });

  it('runs the native dialog and returns the chosen paths (null when cancelled)', async () => {
    dialog.showOpenDialog.mockResolvedValueOnce({ canceled: false, filePaths: ['/data/a.tif', '/data/b.tif'] });
    const r = await call(HOST_CHANNELS.pickPaths, trusted(), { kind: 'files', filters: [{ name: 'Images', extensions: ['tif', 'jpg'] }] });
    expect(r).toEqual({ ok: true, value: ['/data/a.tif', '/data/b.tif'] });
    const opts = dialog.showOpenDialog.mock.calls[0]![1] as { properties: string[] };
    expect(opts.properties).toEqual(['openFile', 'multiSelections']);
    expect(await call(HOST_CHANNELS.pickPaths, trusted(), { kind: 'folder' })).toEqual({ ok: true, value: null });
  });

  it('reads only a file just chosen in an open dialog, once, and never writes it', async () => {
    const file = path.join(tmp, 'recipe.json');
    writeFileSync(file, '{"a":1}');
    expect(await call(HOST_CHANNELS.readTextFile, trusted(), file)).toMatchObject({ ok: false, error: { code: 'INPUT_INVALID' } });
    dialog.showOpenDialog.mockResolvedValueOnce({ canceled: false, filePaths: [file] });
    await call(HOST_CHANNELS.pickPaths, trusted(), { kind: 'openFile' });
    expect(await call(HOST_CHANNELS.writeTextFile, trusted(), file, 'x')).toMatchObject({ ok: false });
    expect(await call(HOST_CHANNELS.readTextFile, trusted(), file)).toEqual({ ok: true, value: '{"a":1}' });
    expect(await call(HOST_CHANNELS.readTextFile, trusted(), file)).toMatchObject({ ok: false, error: { code: 'INPUT_INVALID' } });
  });

  it('writes only to a path just chosen in a save dialog, atomically', async () => {
    const file = path.join(tmp, 'out.csv');
    expect(await call(HOST_CHANNELS.writeTextFile, trusted(), file, 'a,b\n')).toMatchObject({ ok: false });
    dialog.showSaveDialog.mockResolvedValueOnce({ canceled: false, filePath: file });
    expect(await call(HOST_CHANNELS.pickPaths, trusted(), { kind: 'saveFile', defaultName: 'out.csv' })).toEqual({ ok: true, value: [file] });
    expect(await call(HOST_CHANNELS.readTextFile, trusted(), file)).toMatchObject({ ok: false });
    expect(await call(HOST_CHANNELS.writeTextFile, trusted(), file, 'a,b\n')).toEqual({ ok: true, value: undefined });
    expect(readFileSync(file, 'utf8')).toBe('a,b\n');
    expect(await call(HOST_CHANNELS.writeTextFile, trusted(), file, 'again')).toMatchObject({ ok: false });
  });

  it('grants are single-use and expire', () => {
    let t = 0;
    const g = createPathGrants(() => t, 1000);
    g.grant(['/a/x.json'], 'read');
    expect(g.consume('/a/../a/x.json', 'write')).toBe(false);
    expect(g.consume('/a/../a/x.json', 'read')).toBe(true);
    expect(g.consume('/a/x.json', 'read')).toBe(false);
    g.grant(['/a/y.json'], 'read');
    t = 2000;
    expect(g.consume('/a/y.json', 'read')).toBe(false);
  });
});
