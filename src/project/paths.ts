/**
 * The layout of a project folder and the only functions that build paths inside it. Every path a
 * write goes to is made from a validated id (never from relPath or another stored string), and the
 * folder it lands in is checked to resolve inside the project (no links pointing out of it).
 */
import { mkdir, realpath } from 'node:fs/promises';
import path from 'node:path';
import { AppError, BugError } from '../common/errors.js';
import type { ImageId } from '../common/api.js';
import { isImageId, isSafeRecipeId } from './schema.js';

export const PROJECT_FILE = 'project.json';
export const LOCK_FILE = '.lock';
export const RECIPES_DIR = 'recipes';
export const IMAGES_DIR = 'images';
export const CACHE_DIR = 'cache';
export const ROIS_FILE = 'rois.json';
export const RESULTS_DIR = 'results';

export function assertImageId(id: unknown): asserts id is ImageId {
  if (!isImageId(id)) {
    throw new AppError('INPUT_INVALID', `“${String(id).slice(0, 80)}” is not a valid image id (16 hex digits).`);
  }
}

export function assertRecipeId(id: unknown): asserts id is string {
  if (!isSafeRecipeId(id)) {
    throw new AppError('INPUT_INVALID', `“${String(id).slice(0, 80)}” is not a valid recipe id (1–64 letters, digits, ".", "_" or "-").`);
  }
}

export const projectFilePath = (dir: string): string => path.join(dir, PROJECT_FILE);
export const lockFilePath = (dir: string): string => path.join(dir, LOCK_FILE);
export const cacheDirPath = (dir: string): string => path.join(dir, CACHE_DIR);

export function imageDirPath(dir: string, id: ImageId): string {
  assertImageId(id);
  return path.join(dir, IMAGES_DIR, id);
}
export const roisFilePath = (dir: string, id: ImageId): string => path.join(imageDirPath(dir, id), ROIS_FILE);
export const resultsDirPath = (dir: string, id: ImageId): string => path.join(imageDirPath(dir, id), RESULTS_DIR);

export function resultFilePath(dir: string, id: ImageId, recipeId: string): string {
  assertRecipeId(recipeId);
  return path.join(resultsDirPath(dir, id), `${recipeId}.json`);
}

export function recipeFilePath(dir: string, recipeId: string): string {
  assertRecipeId(recipeId);
  return path.join(dir, RECIPES_DIR, `${recipeId}.json`);
}

/** True when `child` is `parent` or below it (both absolute, already resolved). */
export function isInside(parent: string, child: string): boolean {
  const rel = path.relative(parent, child);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

/**
 * Stored form of an image path: relative to the project folder with `/` separators (may start with
 * `../`). Absolute (with `/`) only when no relative path exists, i.e. another drive on Windows.
 */
export function toRelPath(projectDir: string, absPath: string): string {
  const rel = path.relative(path.resolve(projectDir), path.resolve(absPath));
  return rel.split(path.sep).join('/');
}

/** Where a stored relPath points now. Only ever read (hashed, decoded), never written. */
export function resolveImagePath(projectDir: string, relPath: string): string {
  return path.resolve(projectDir, relPath);
}

/**
 * Creates the folders of `dirPath` (inside the project) and checks that, after following links, it
 * is still inside the project. `verified` remembers folders already checked.
 */
export async function ensureDirInside(projectRealDir: string, dirPath: string, verified: Set<string>): Promise<void> {
  if (verified.has(dirPath)) return;
  await mkdir(dirPath, { recursive: true });
  const real = await realpath(dirPath);
  if (!isInside(projectRealDir, real)) {
    throw new AppError(
      'INPUT_INVALID',
      `The project folder contains a link “${dirPath}” that points outside the project (to “${real}”). ` +
        'Calciquant does not write through such links: remove the link and open the project again.',
    );
  }
  verified.add(dirPath);
}

/** Defence in depth: a write target built by this module must lie inside the project folder. */
export function assertWriteInside(projectDir: string, target: string): void {
  if (!isInside(path.resolve(projectDir), path.resolve(target))) {
    throw new BugError(`refusing to write outside the project: ${target}`);
  }
}
