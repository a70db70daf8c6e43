/**
 * Builds the Electron bundles and packs the app with electron-builder against a stub Electron
 * distribution (the real binary cannot be downloaded here, STACK.md), then checks what went into
 * resources/app.asar and app.asar.unpacked. Also loads the built preload the way a sandboxed
 * renderer does (one CommonJS file, only `electron` may be required).
 *
 * Skipped (with the reason) when electron-builder takes longer than PACK_TIMEOUT_MS or fails for an
 * environmental reason (no disk space, no network for a helper download); any other failure fails.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import vm from 'node:vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CORE_METHODS } from '../../src/common/api.js';
import { BRIDGE_EXTRAS } from '../../electron/common/channels.js';

const root = path.resolve(import.meta.dirname, '../..');
const require = createRequire(import.meta.url);
const PACK_TIMEOUT_MS = 120_000;
const ENVIRONMENTAL = /ENOSPC|EAI_AGAIN|ENOTFOUND|ECONNREFUSED|ECONNRESET|ETIMEDOUT|getaddrinfo|socket hang up|EACCES: permission denied, mkdtemp/;

const tmp = mkdtempSync(path.join(os.tmpdir(), 'cq-pack-'));
const rendererDir = path.join(root, 'dist', 'renderer');
const rendererIndex = path.join(rendererDir, 'index.html');
const placeholder = { dir: !existsSync(rendererDir), file: !existsSync(rendererIndex) };

beforeAll(() => {
  if (!existsSync(path.join(root, 'dist', 'src', 'app', 'core.js'))) {
    execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.core.json'], { cwd: root });
  }
  execFileSync(process.execPath, ['scripts/build-electron.mjs'], { cwd: root, stdio: 'pipe' });
  if (placeholder.file) {
    mkdirSync(rendererDir, { recursive: true });
    writeFileSync(rendererIndex, '<!doctype html><title>placeholder written by packaging.test.ts</title>');
  }
}, 120_000);

afterAll(() => {
  if (placeholder.dir) rmSync(rendererDir, { recursive: true, force: true });
  else if (placeholder.file) rmSync(rendererIndex, { force: true });
  rmSync(tmp, { recursive: true, force: true });
});

describe('built bundles', () => {
  it('preload is one CommonJS file that needs only electron, exposing window.coreApi', () => {
    const code = readFileSync(path.join(root, 'dist-electron', 'preload.cjs'), 'utf8');
    const exposed = new Map<string, Record<string, unknown>>();
    const fakeElectron = {
      contextBridge: { exposeInMainWorld: (k: string, v: Record<string, unknown>) => exposed.set(k, v) },
      ipcRenderer: { on: () => {}, invoke: async () => ({ ok: true, value: null }) },
      webUtils: { getPathForFile: () => '' },
    };
    const sandboxRequire = (id: string) => {
      if (id === 'electron') return fakeElectron;
      throw new Error(`a sandboxed preload cannot require ${id}`);
    };
    const module = { exports: {} };
    vm.runInNewContext(code, { require: sandboxRequire, module, exports: module.exports, console, TypeError, URL });
    expect([...exposed.keys()]).toEqual(['coreApi']);
    expect(Object.keys(exposed.get('coreApi')!).sort()).toEqual([...CORE_METHODS, ...BRIDGE_EXTRAS].sort());
  });

  it('main and utility import only electron, node:*, dependencies and existing compiled core files', () => {
    const deps = Object.keys((JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { dependencies: object }).dependencies);
    for (const bundle of ['main.js', 'analysis-host.js']) {
      const file = path.join(root, 'dist-electron', bundle);
      const specs = [...readFileSync(file, 'utf8').matchAll(/^import .*? from "([^"]+)";$/gm)].map((m) => m[1]!);
      expect(specs.length).toBeGreaterThan(0);
      for (const s of specs) {
        if (s.startsWith('.')) expect(existsSync(path.resolve(path.dirname(file), s)), `${bundle}: ${s}`).toBe(true);
        else expect(s === 'electron' || s.startsWith('node:') || deps.includes(s), `${bundle}: ${s}`).toBe(true);
      }
    }
  });
});

describe('built main bundle, run in Node with a stub electron (tests/electron/smoke)', () => {
  it('wires protocols, IPC, menu and a sandboxed window to the compiled core', () => {
    const userData = path.join(tmp, 'user-data');
    mkdirSync(userData);
    const r = spawnSync(process.execPath, ['--import', './tests/electron/smoke/register.mjs', 'dist-electron/main.js'], {
      cwd: root,
      encoding: 'utf8',
      timeout: 30_000,
      env: { ...process.env, CQ_SMOKE_DIR: userData },
    });
    expect(r.status, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout) as Record<string, any>;
    expect(report.sandboxed).toBe(true);
    expect(report.handled).toEqual(['app', 'calciquant-res']);
    expect(report.channels.filter((c: string) => c.startsWith('core:'))).toEqual(CORE_METHODS.map((m) => `core:${m}`));
    expect(report.windows).toHaveLength(1);
    expect(report.windows[0].webPreferences).toMatchObject({ sandbox: true, contextIsolation: true, nodeIntegration: false, webSecurity: true });
    expect(report.windows[0].webPreferences.preload).toBe(path.join(root, 'dist-electron', 'preload.cjs'));
    expect(report.loaded).toBe('app://calciquant/index.html');
    expect(report.calls.getAppInfo).toMatchObject({ ok: true, value: { version: expect.any(String) } });
    expect(report.calls.listImages).toEqual({ ok: true, value: [] });
    expect(report.calls.badArgs).toMatchObject({ ok: false, error: { code: 'INPUT_INVALID' } });
    expect(report.page.status).toBe(200);
    expect(report.page.csp).toContain("script-src 'self'");
    expect(report.resource).toBe(404);
    expect(report.menu).toEqual(['&File', '&Edit', '&View', '&Help']);
  });
});

describe('electron-builder --dir with a stub Electron', () => {
  it('packs main, preload, utility, renderer and core into app.asar; sharp and OpenCV unpacked', (ctx) => {
    const stub = path.join(tmp, 'electron-stub');
    mkdirSync(stub);
    writeFileSync(path.join(stub, 'electron'), '#!/bin/sh\necho "stub electron"\n');
    chmodSync(path.join(stub, 'electron'), 0o755);
    const out = path.join(tmp, 'release');
    const cli = require.resolve('electron-builder/cli.js');
    const r = spawnSync(process.execPath, [cli, '--dir', '--linux', '--x64', `-c.electronDist=${stub}`, `-c.directories.output=${out}`], {
      cwd: root,
      encoding: 'utf8',
      timeout: PACK_TIMEOUT_MS,
      env: { ...process.env, ELECTRON_SKIP_BINARY_DOWNLOAD: '1', CSC_IDENTITY_AUTO_DISCOVERY: 'false' },
    });
    const log = `${r.stdout ?? ''}\n${r.stderr ?? ''}`;
    if (r.error || r.signal) ctx.skip(`electron-builder did not finish within ${PACK_TIMEOUT_MS} ms (${r.error?.message ?? r.signal})`);
    if (r.status !== 0 && ENVIRONMENTAL.test(log)) ctx.skip(`environmental failure: ${log.match(ENVIRONMENTAL)![0]}`);
    expect(r.status, log.slice(-3000)).toBe(0);

    const resources = path.join(out, 'linux-unpacked', 'resources');
    const asar = require('@electron/asar') as typeof import('@electron/asar');
    const files = new Set(asar.listPackage(path.join(resources, 'app.asar'), { isPack: false }).map((f) => f.split(path.sep).join('/')));
    for (const f of [
      '/package.json',
      '/dist-electron/main.js',
      '/dist-electron/preload.cjs',
      '/dist-electron/analysis-host.js',
      '/dist/renderer/index.html',
      '/dist/src/app/core.js',
      '/dist/src/workers/analysis-worker.js',
      '/assets/recipes/alizarin.json',
      '/node_modules/zod/package.json',
    ]) {
      expect(files, f).toContain(f);
    }
    expect([...files].filter((f) => f.endsWith('.map'))).toEqual([]);
    expect([...files].some((f) => f.startsWith('/node_modules/react/'))).toBe(false);
    const pkg = JSON.parse(asar.extractFile(path.join(resources, 'app.asar'), 'package.json').toString()) as { main: string };
    expect(pkg.main).toBe('dist-electron/main.js');

    const unpacked = path.join(resources, 'app.asar.unpacked', 'node_modules');
    const natives = readdirSync(path.join(unpacked, '@img'), { recursive: true }).map(String).filter((f) => f.endsWith('.node'));
    expect(natives.length, 'sharp .node file unpacked').toBeGreaterThan(0);
    expect(existsSync(path.join(unpacked, 'sharp', 'package.json'))).toBe(true);
    expect(existsSync(path.join(unpacked, '@techstark', 'opencv-js', 'dist', 'opencv.js')), 'OpenCV (wasm inlined) unpacked').toBe(true);
  }, PACK_TIMEOUT_MS + 30_000);
});
