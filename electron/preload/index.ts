/**
 * Preload of the main window (sandboxed: bundled to one CommonJS file, dist-electron/preload.cjs).
 * Exposes exactly one object, `window.coreApi` (see bridge.ts).
 */
import { contextBridge, ipcRenderer, webUtils } from 'electron';
import { createBridge } from './bridge.js';

contextBridge.exposeInMainWorld('coreApi', createBridge(ipcRenderer, webUtils));
