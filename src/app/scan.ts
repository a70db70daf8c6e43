/** Expands the user's files and folders into the list of images to analyse. */
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import type { ScannedImage, SkippedFile } from '../common/api.js';
import { isImagePath } from '../io/decode.js';

const IGNORED_NAMES = /^(\.|~\$|Thumbs\.db$|desktop\.ini$)/i;
/** Files we write ourselves next to results: never re-analyse them. */
const OUR_OUTPUTS = /_(overlay|reference|mineral)\.png$/i;

async function walk(dir: string, root: string, images: ScannedImage[], skipped: SkippedFile[]): Promise<void> {
  let entries: import('node:fs').Dirent[];
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (e) {
    skipped.push({ path: dir, reason: `folder cannot be read (${(e as NodeJS.ErrnoException).code ?? 'error'})` });
    return;
  }
  entries.sort((a, b) => a.name.localeCompare(b.name, 'en', { numeric: true }));
  for (const e of entries) {
    const p = path.join(dir, e.name);
    if (IGNORED_NAMES.test(e.name)) continue;
    if (e.isDirectory()) await walk(p, root, images, skipped);
    else if (e.isFile()) await addFile(p, path.relative(root, p), images, skipped);
  }
}

async function addFile(p: string, displayName: string, images: ScannedImage[], skipped: SkippedFile[]): Promise<void> {
  if (!isImagePath(p)) {
    skipped.push({ path: p, reason: 'not an image file (by extension)' });
    return;
  }
  if (OUR_OUTPUTS.test(p)) {
    skipped.push({ path: p, reason: 'a Calciquant overlay/mask output' });
    return;
  }
  try {
    const s = await stat(p);
    images.push({ path: p, displayName, sizeBytes: s.size });
  } catch (e) {
    skipped.push({ path: p, reason: `cannot be read (${(e as NodeJS.ErrnoException).code ?? 'error'})` });
  }
}

/**
 * Files are taken as given (even with an unusual extension: the decoder reads by content);
 * folders are walked recursively in natural order, keeping only image extensions.
 */
export async function scanInputs(paths: readonly string[]): Promise<{ images: ScannedImage[]; skipped: SkippedFile[] }> {
  const images: ScannedImage[] = [];
  const skipped: SkippedFile[] = [];
  for (const given of paths) {
    const abs = path.resolve(given);
    let s;
    try {
      s = await stat(abs);
    } catch (e) {
      skipped.push({ path: given, reason: `does not exist or cannot be read (${(e as NodeJS.ErrnoException).code ?? 'error'})` });
      continue;
    }
    if (s.isDirectory()) await walk(abs, abs, images, skipped);
    // a file named by an absolute path (a dialog, drag and drop) is shown by its name
    else images.push({ path: abs, displayName: path.isAbsolute(given) ? path.basename(given) : given, sizeBytes: s.size });
  }
  const seen = new Set<string>();
  return {
    images: images.filter((i) => (seen.has(i.path) ? false : (seen.add(i.path), true))),
    skipped,
  };
}
