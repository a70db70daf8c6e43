/**
 * Source images of a project: checking that each is still where relPath says with the same content,
 * describing a newly added file, and finding moved files again by size and SHA-256. Images are only
 * ever read here, never written.
 */
import { randomBytes } from 'node:crypto';
import type { Dirent } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import type { ImageId } from '../common/api.js';
import { AppError } from '../common/errors.js';
import { sha256File } from '../io/hash.js';
import { resolveImagePath, toRelPath } from './paths.js';
import type { ImageRecord } from './schema.js';

/** ok: found with the recorded content; missing: no file at relPath; changed: a file with other content. */
export type ImageStatus = 'ok' | 'missing' | 'changed';
/** 'hash': compare SHA-256 (reads every image); 'size': compare sizes only (fast, weaker). */
export type VerifyMode = 'hash' | 'size';

export async function checkImage(projectDir: string, rec: ImageRecord, mode: VerifyMode): Promise<ImageStatus> {
  const abs = resolveImagePath(projectDir, rec.relPath);
  const st = await stat(abs).catch(() => null);
  if (st === null || !st.isFile()) return 'missing';
  if (st.size !== rec.sizeBytes) return 'changed';
  if (mode === 'size') return 'ok';
  const sha = await sha256File(abs).catch(() => null);
  return sha === null ? 'missing' : sha === rec.sha256 ? 'ok' : 'changed';
}

/** Runs `fn` over `items` with at most `limit` at a time, keeping the order of results. */
export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (x: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

export async function checkImages(projectDir: string, recs: readonly ImageRecord[], mode: VerifyMode): Promise<Map<ImageId, ImageStatus>> {
  const statuses = await mapLimit(recs, 4, (r) => checkImage(projectDir, r, mode));
  return new Map(recs.map((r, i) => [r.id, statuses[i]!]));
}

export interface NewImage {
  readonly path: string;
  readonly displayName?: string;
  readonly metadata?: ImageRecord['metadata'];
}

/**
 * Describes a file for project.json. The id is the first 16 hex digits of its SHA-256, so the same
 * image added again finds its regions again (the store picks a random id if that one is taken).
 */
export async function describeImage(projectDir: string, img: NewImage): Promise<ImageRecord> {
  const abs = path.resolve(img.path);
  const st = await stat(abs).catch(() => null);
  if (st === null || !st.isFile()) {
    throw new AppError('IMAGE_UNREADABLE', `“${path.basename(abs)}” was not found or is not a file. Check the path.`);
  }
  const { readImageInfo } = await import('../io/decode.js'); // sharp loads only when images are added
  const info = await readImageInfo(abs);
  const sha256 = await sha256File(abs);
  return {
    id: sha256.slice(0, 16) as ImageId,
    relPath: toRelPath(projectDir, abs),
    sha256,
    sizeBytes: st.size,
    widthPx: info.width,
    heightPx: info.height,
    ...(info.pixelSizeUm !== null ? { pixelSizeUm: info.pixelSizeUm } : {}),
    displayName: (img.displayName ?? path.basename(abs)).slice(0, 1000) || 'image',
    ...(img.metadata ? { metadata: img.metadata } : {}),
  };
}

/** A random id not used by `taken` (when the content-derived id is taken by other content). */
export function randomImageId(taken: readonly ImageRecord[]): ImageId {
  for (;;) {
    const id = randomBytes(8).toString('hex');
    if (!taken.some((r) => r.id === id)) return id as ImageId;
  }
}

export interface RelinkSearchOptions {
  /** Stop after looking at this many directory entries (protects against searching a whole disk). */
  readonly maxEntries?: number;
  readonly maxDepth?: number;
  readonly signal?: AbortSignal;
}

/** Files under `folder` (recursively; links to files count, linked folders are not entered) whose size is in `sizes`. */
async function candidatesBySize(
  folder: string,
  sizes: ReadonlySet<number>,
  o: RelinkSearchOptions,
): Promise<{ file: string; size: number }[]> {
  const out: { file: string; size: number }[] = [];
  let budget = o.maxEntries ?? 1_000_000;
  const walk = async (dir: string, depth: number): Promise<void> => {
    if (depth > (o.maxDepth ?? 32) || budget <= 0) return;
    const list: Dirent[] = await readdir(dir, { withFileTypes: true }).catch(() => []);
    list.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of list) {
      if (--budget < 0 || o.signal?.aborted) return;
      const p = path.join(dir, e.name);
      if (e.isDirectory()) await walk(p, depth + 1);
      else if (e.isFile() || e.isSymbolicLink()) {
        const st = await stat(p).catch(() => null);
        if (st?.isFile() === true && sizes.has(st.size)) out.push({ file: p, size: st.size });
      }
    }
  };
  await walk(path.resolve(folder), 0);
  return out;
}

/**
 * Looks under `folder` for the content of `wanted` images: only files whose size matches one of
 * them are hashed. Returns image id → absolute path of the first match.
 */
export async function findImagesByHash(
  folder: string,
  wanted: readonly ImageRecord[],
  o: RelinkSearchOptions = {},
): Promise<Map<ImageId, string>> {
  const found = new Map<ImageId, string>();
  if (wanted.length === 0) return found;
  const sizes = new Set(wanted.map((w) => w.sizeBytes));
  for (const { file, size } of await candidatesBySize(folder, sizes, o)) {
    if (o.signal?.aborted || found.size === wanted.length) break;
    const open = wanted.filter((w) => !found.has(w.id) && w.sizeBytes === size);
    if (open.length === 0) continue;
    const sha = await sha256File(file).catch(() => null);
    for (const w of open) if (w.sha256 === sha) found.set(w.id, file);
  }
  return found;
}
