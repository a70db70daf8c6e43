/** A temporary renderer build for web host tests, with traversal bait beside and outside it. */
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

export const INDEX_HTML = '<!doctype html><title>Calciquant</title><script type="module" src="/assets/app-1234.js"></script>';
export const APP_JS = 'console.log("app")';

export interface SiteFixture {
  readonly baseDir: string;
  readonly staticDir: string;
  remove(): Promise<void>;
}

/**
 * <base>/static: index.html, assets/app-1234.js, assets/style.css, .env (hidden), leak.txt and
 * linkdir/ (symlinks to outside), inside-link.css (symlink inside). <base>: package.json, secret,
 * outside/secret.txt — files containing "SECRET"/"leak" that must never be served.
 */
export async function createSiteFixture(): Promise<SiteFixture> {
  const baseDir = await mkdtemp(path.join(os.tmpdir(), 'calciquant-web-'));
  const staticDir = path.join(baseDir, 'static');
  await mkdir(path.join(staticDir, 'assets'), { recursive: true });
  await writeFile(path.join(staticDir, 'index.html'), INDEX_HTML);
  await writeFile(path.join(staticDir, 'assets', 'app-1234.js'), APP_JS);
  await writeFile(path.join(staticDir, 'assets', 'style.css'), 'body{}');
  await writeFile(path.join(staticDir, '.env'), 'HIDDEN=1');
  await writeFile(path.join(baseDir, 'package.json'), '{"name":"leak"}');
  await writeFile(path.join(baseDir, 'secret'), 'SECRET');
  await mkdir(path.join(baseDir, 'outside'));
  await writeFile(path.join(baseDir, 'outside', 'secret.txt'), 'SECRET');
  await symlink(path.join(baseDir, 'outside', 'secret.txt'), path.join(staticDir, 'leak.txt'));
  await symlink(path.join(baseDir, 'outside'), path.join(staticDir, 'linkdir'));
  await symlink(path.join(staticDir, 'assets', 'style.css'), path.join(staticDir, 'inside-link.css'));
  return { baseDir, staticDir, remove: () => rm(baseDir, { recursive: true, force: true }) };
}
