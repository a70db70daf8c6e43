/**
 * The image library of a running app: files the user opened, by stable id (a hash of the absolute
 * path), with what their header says. Bad files are kept as entries with an error, so the user
 * sees them (and why) instead of losing them silently.
 */
import { createHash } from 'node:crypto';
import path from 'node:path';
import type { ImageEntry, ImageId, OpenImagesResult, ScannedImage, SkippedFile } from '../common/api.js';
import { AppError, toErrorInfo } from '../common/errors.js';
import { readImageInfo } from '../io/decode.js';

export function imageIdOf(absolutePath: string): ImageId {
  return createHash('sha256').update(path.resolve(absolutePath)).digest('hex').slice(0, 16) as ImageId;
}

export function thumbnailPathOf(id: ImageId): string {
  return `/res/thumb/${id}.jpg`;
}

async function entryOf(img: ScannedImage): Promise<ImageEntry> {
  const id = imageIdOf(img.path);
  const base = { id, path: img.path, displayName: img.displayName, sizeBytes: img.sizeBytes, thumbnailPath: thumbnailPathOf(id) };
  try {
    const info = await readImageInfo(img.path);
    return {
      ...base, widthPx: info.width, heightPx: info.height, pixelSizeUm: info.pixelSizeUm,
      pixelSizeSource: info.pixelSizeSource, format: info.format, error: null,
    };
  } catch (e) {
    return { ...base, widthPx: null, heightPx: null, pixelSizeUm: null, pixelSizeSource: null, format: null, error: toErrorInfo(e) };
  }
}

export class Library {
  private readonly entries = new Map<ImageId, ImageEntry>();

  list(): ImageEntry[] {
    return [...this.entries.values()];
  }

  get(id: ImageId): ImageEntry {
    const e = this.entries.get(id);
    if (!e) throw new AppError('INPUT_INVALID', 'That image is not in the library any more. Open it again.');
    return e;
  }

  /** Adds scanned images (header read concurrently, a few at a time); returns their entries. */
  async add(images: readonly ScannedImage[], skipped: readonly SkippedFile[]): Promise<OpenImagesResult> {
    const out: ImageEntry[] = new Array(images.length);
    let next = 0;
    const worker = async () => {
      while (next < images.length) {
        const i = next++;
        const id = imageIdOf(images[i]!.path);
        out[i] = this.entries.get(id) ?? (await entryOf(images[i]!));
      }
    };
    await Promise.all(Array.from({ length: Math.min(8, images.length) }, worker));
    for (const e of out) this.entries.set(e.id, e);
    return { images: out, skipped };
  }

  remove(ids: readonly ImageId[]): void {
    for (const id of ids) this.entries.delete(id);
  }
}
