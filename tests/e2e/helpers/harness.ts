/**
 * End-to-end harness: the REAL core (2 worker threads) behind the web host, the renderer build,
 * and Debian's Chromium driven by playwright-core with a fresh profile.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { createWorkerHost } from '../../../src/app/analysis-host.js';
import { createCore, type CoreHandle } from '../../../src/app/core.js';
import { startWebHost, type WebHost } from '../../../src/web/server.js';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
export const CHROMIUM = '/usr/bin/chromium';
export const HAS_CHROMIUM = existsSync(CHROMIUM);
export const SKIP_REASON = `skipped: ${CHROMIUM} is missing — install Debian's chromium (apt-get install -y chromium); never \`npx playwright install\``;
if (!HAS_CHROMIUM) console.warn(`Calciquant e2e: ${SKIP_REASON}`);
export const ARTIFACTS = path.join(ROOT, 'tests', 'e2e', 'artifacts');
const STATIC_DIR = path.join(ROOT, 'dist', 'renderer');
const WORKER_JS = path.join(ROOT, 'dist', 'src', 'workers', 'analysis-worker.js');

function newestMtimeMs(dir: string): number {
  let newest = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    newest = Math.max(newest, e.isDirectory() ? newestMtimeMs(p) : statSync(p).mtimeMs);
  }
  return newest;
}

/** Builds the renderer unless an up-to-date build is there (`npm test` runs `npm run build:renderer` first). */
export async function ensureRendererBuild(): Promise<void> {
  const index = path.join(STATIC_DIR, 'index.html');
  const sources = Math.max(newestMtimeMs(path.join(ROOT, 'renderer')), newestMtimeMs(path.join(ROOT, 'src', 'common')), statSync(path.join(ROOT, 'vite.config.ts')).mtimeMs);
  if (existsSync(index) && statSync(index).mtimeMs >= sources) return;
  const { build } = await import('vite');
  // vitest sets NODE_ENV=test, which would give a development React bundle: build what users get.
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    await build({ configFile: path.join(ROOT, 'vite.config.ts'), mode: 'production', logLevel: 'warn' });
  } finally {
    process.env.NODE_ENV = nodeEnv;
  }
}

export interface App {
  readonly core: CoreHandle;
  readonly host: WebHost;
  readonly context: BrowserContext;
  readonly page: Page;
  /** A scratch folder for this run (images, exports). */
  readonly tmp: string;
  close(): Promise<void>;
}

export async function startApp(o: { width?: number; height?: number } = {}): Promise<App> {
  if (!existsSync(WORKER_JS)) throw new Error(`${WORKER_JS} is missing: run \`npm run build:core\` first (npm test does).`);
  await ensureRendererBuild();
  const tmp = await mkdtemp(path.join(os.tmpdir(), 'calciquant-e2e-'));
  const core = createCore({ createHost: () => createWorkerHost(2), cacheDir: path.join(tmp, 'cache') });
  const host = await startWebHost({ core, staticDir: STATIC_DIR, log: () => {} });
  const profile = path.join(tmp, 'profile');
  await mkdir(profile);
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    viewport: { width: o.width ?? 1600, height: o.height ?? 1000 },
    deviceScaleFactor: 1,
    acceptDownloads: true,
  });
  const page = context.pages()[0] ?? (await context.newPage());
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(host.url);
  return {
    core,
    host,
    context,
    page,
    tmp,
    async close() {
      await context.close().catch(() => {});
      await host.close().catch(() => {});
      await core.dispose().catch(() => {});
      await rm(tmp, { recursive: true, force: true }).catch(() => {});
      if (errors.length) console.warn(`page errors during the run:\n${errors.join('\n')}`);
    },
  };
}

export async function screenshot(page: Page, name: string): Promise<string> {
  await mkdir(ARTIFACTS, { recursive: true });
  const file = path.join(ARTIFACTS, `${name}.png`);
  await page.screenshot({ path: file });
  return file;
}
