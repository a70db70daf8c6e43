import { beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';

vi.mock('electron', () => import('./fake-electron.js'));

import { contextBridge, ipcRenderer, webUtils } from './fake-electron.js';
import { CORE_METHODS } from '../../src/common/api.js';
import { BRIDGE_EXTRAS, CORE_EVENT_CHANNEL, HOST_CHANNELS, MENU_CHANNEL } from '../../electron/common/channels.js';

type Bridge = Record<string, any>;
let api: Bridge;

beforeAll(async () => {
  await import('../../electron/preload/index.js');
  api = contextBridge.exposed.get('coreApi') as Bridge;
});
beforeEach(() => ipcRenderer.invoke.mockReset());

describe('window.coreApi', () => {
  it('is the one object exposed, with exactly CORE_METHODS + the documented extras', () => {
    expect(contextBridge.exposeInMainWorld).toHaveBeenCalledTimes(1);
    expect([...contextBridge.exposed.keys()]).toEqual(['coreApi']);
    expect(Object.keys(api).sort()).toEqual([...CORE_METHODS, ...BRIDGE_EXTRAS].sort());
    expect(api.host).toBe('electron');
  });

  it('invokes core:<method> with the arguments and unwraps an ok Result', async () => {
    for (const m of CORE_METHODS) {
      ipcRenderer.invoke.mockResolvedValueOnce({ ok: true, value: `${m}!` });
      expect(await api[m]('a', 2)).toBe(`${m}!`);
      expect(ipcRenderer.invoke).toHaveBeenLastCalledWith(`core:${m}`, 'a', 2);
    }
  });

  it('rejects a failed Result with a plain AppError-like object', async () => {
    ipcRenderer.invoke.mockResolvedValueOnce({ ok: false, error: { code: 'IMAGE_UNREADABLE', userMessage: '“a.tif” could not be opened.' } });
    const err = await api.openImages(['/a.tif']).catch((e: unknown) => e);
    expect(err).toEqual({
      name: 'AppError',
      code: 'IMAGE_UNREADABLE',
      userMessage: '“a.tif” could not be opened.',
      message: 'IMAGE_UNREADABLE: “a.tif” could not be opened.',
    });
    expect(Object.getPrototypeOf(err)).toBe(Object.prototype);
  });

  it('rejects with INTERNAL when IPC fails or answers nonsense', async () => {
    ipcRenderer.invoke.mockRejectedValueOnce(new Error('No handler registered'));
    await expect(api.listImages()).rejects.toMatchObject({ name: 'AppError', code: 'INTERNAL' });
    ipcRenderer.invoke.mockResolvedValueOnce('??');
    await expect(api.listImages()).rejects.toMatchObject({ code: 'INTERNAL' });
    ipcRenderer.invoke.mockResolvedValueOnce({ ok: false, error: { code: 'NOPE', userMessage: 'x' } });
    await expect(api.listImages()).rejects.toMatchObject({ code: 'INTERNAL' });
  });

  it('delivers core events and menu commands to subscribers until they unsubscribe', () => {
    const progress = vi.fn();
    const zoom = vi.fn();
    const off = api.on('batch:progress', progress);
    api.on('menu:zoom-in', zoom);
    ipcRenderer.emit(CORE_EVENT_CHANNEL, {}, 'batch:progress', { done: 1 });
    ipcRenderer.emit(CORE_EVENT_CHANNEL, {}, 'not-a-topic', { done: 2 });
    ipcRenderer.emit(MENU_CHANNEL, {}, 'zoom-in');
    ipcRenderer.emit(MENU_CHANNEL, {}, 'format-disk');
    expect(progress).toHaveBeenCalledExactlyOnceWith({ done: 1 });
    expect(zoom).toHaveBeenCalledTimes(1);
    off();
    ipcRenderer.emit(CORE_EVENT_CHANNEL, {}, 'batch:progress', { done: 3 });
    expect(progress).toHaveBeenCalledTimes(1);
  });

  it('passes the menu payload (images opened from the File menu)', () => {
    const cb = vi.fn();
    api.on('menu:images-opened', cb);
    ipcRenderer.emit(MENU_CHANNEL, {}, 'images-opened', { ok: true, value: { images: [], skipped: [] } });
    expect(cb).toHaveBeenCalledWith({ ok: true, value: { images: [], skipped: [] } });
  });

  it('refuses unknown topics and non-function callbacks', () => {
    expect(() => api.on('ipc:anything', () => {})).toThrow(/Unknown event topic/);
    expect(() => api.on('batch:progress', 'x')).toThrow();
    expect(typeof api.on('menu:some-future-action', () => {})).toBe('function');
  });

  it('makes resource URLs for resource paths only', () => {
    expect(api.resourceUrl('/res/thumb/0123456789abcdef.jpg')).toBe('calciquant-res://app/res/thumb/0123456789abcdef.jpg');
    expect(() => api.resourceUrl('/etc/passwd')).toThrow();
    expect(() => api.resourceUrl('https://example.org/x.jpg')).toThrow();
  });

  it('routes host services to their channels', async () => {
    ipcRenderer.invoke.mockResolvedValue({ ok: true, value: ['/a'] });
    expect(await api.pickPaths({ kind: 'files' })).toEqual(['/a']);
    expect(ipcRenderer.invoke).toHaveBeenLastCalledWith(HOST_CHANNELS.pickPaths, { kind: 'files' });
    await api.readTextFile('/a');
    expect(ipcRenderer.invoke).toHaveBeenLastCalledWith(HOST_CHANNELS.readTextFile, '/a');
    await api.writeTextFile('/a', 'text');
    expect(ipcRenderer.invoke).toHaveBeenLastCalledWith(HOST_CHANNELS.writeTextFile, '/a', 'text');
    const file = { name: 'dropped.tif' };
    expect(api.getPathForFile(file)).toBe('/home/u/dropped.tif');
    expect(webUtils.getPathForFile).toHaveBeenCalledWith(file);
  });
});
