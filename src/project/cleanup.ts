/**
 * Removes what an interrupted save leaves behind: the hidden temp files of writeFileAtomic
 * (`.<name>.<pid>-<12 hex>.tmp`). Runs on open, while holding the lock,
 * so no other Calciquant is writing. Only the folders the store writes to are visited.
 */
import { readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { IMAGES_DIR, RECIPES_DIR, RESULTS_DIR } from './paths.js';
import { isImageId } from './schema.js';

const STRAY = /^\..+\.\d+-[0-9a-f]{12}\.tmp$/;

async function entries(dir: string): Promise<import('node:fs').Dirent[]> {
  return readdir(dir, { withFileTypes: true }).catch(() => []);
}

async function removeStrayIn(dir: string): Promise<number> {
  let n = 0;
  for (const e of await entries(dir)) {
    if (e.isFile() && STRAY.test(e.name)) {
      await rm(path.join(dir, e.name), { force: true }).catch(() => undefined);
      n++;
    }
  }
  return n;
}

/** Returns how many stray files were removed. */
export async function removeStrayFiles(projectDir: string): Promise<number> {
  let n = (await removeStrayIn(projectDir)) + (await removeStrayIn(path.join(projectDir, RECIPES_DIR)));
  const imagesDir = path.join(projectDir, IMAGES_DIR);
  for (const e of await entries(imagesDir)) {
    if (!e.isDirectory() || !isImageId(e.name)) continue;
    n += await removeStrayIn(path.join(imagesDir, e.name));
    n += await removeStrayIn(path.join(imagesDir, e.name, RESULTS_DIR));
  }
  return n;
}
