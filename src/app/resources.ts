/**
 * Pixel resources for the viewer, addressed by resource paths (RESOURCE_PATH_PATTERN): JPEG
 * thumbnails (kept in memory), Deep Zoom pyramids (made once per image by libvips into the cache
 * folder, on first view) and overlay PNGs (written by analysis jobs into the cache folder). Only
 * ids of images in the library are served; nothing else on disk is reachable.
 */
import { mkdir, readFile, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { RESOURCE_PATH_PATTERN, type ImageId, type Resource } from '../common/api.js';
import { DEFAULT_MAX_PIXELS } from '../io/decode.js';
import type { Library } from './library.js';

const THUMB_SIDE_PX = 256;
const MAX_THUMBS_IN_MEMORY = 2000;

export interface ResourceStore {
  read(resourcePath: string): Promise<Resource | null>;
  /** File an overlay PNG with this key is written to (by a job), and its resource path. */
  overlayTarget(key: string): { filePath: string; resourcePath: string };
  /** Deep Zoom descriptor path of an image (the pyramid is made when first read). */
  dziPath(id: ImageId): string;
  /** Forgets cached thumbnails and pyramid locations (the workspace changed). */
  reset(): void;
}

function pyramidSource(file: string) {
  return sharp(file, { limitInputPixels: DEFAULT_MAX_PIXELS }).rotate().toColourspace('srgb');
}

export function createResourceStore(o: { cacheDir: () => string; library: Pick<Library, 'get'> }): ResourceStore {
  const thumbs = new Map<string, Uint8Array | null>();
  const pyramids = new Map<string, Promise<string | null>>();
  const overlayDir = () => path.join(o.cacheDir(), 'overlays');

  async function thumbnail(id: ImageId): Promise<Uint8Array | null> {
    if (thumbs.has(id)) return thumbs.get(id)!;
    let data: Uint8Array | null = null;
    try {
      const e = o.library.get(id);
      data = await pyramidSource(e.path).resize(THUMB_SIDE_PX, THUMB_SIDE_PX, { fit: 'inside', withoutEnlargement: true }).jpeg({ quality: 82 }).toBuffer();
    } catch {
      data = null; // unreadable image: the UI shows its error instead
    }
    if (thumbs.size >= MAX_THUMBS_IN_MEMORY) thumbs.delete(thumbs.keys().next().value!);
    thumbs.set(id, data);
    return data;
  }

  /** Folder holding `<id>.dzi` and `<id>_files/`, made atomically (temp folder + rename). */
  function pyramid(id: ImageId): Promise<string | null> {
    let p = pyramids.get(id);
    if (!p) {
      p = (async () => {
        const dir = path.join(o.cacheDir(), 'dzi', id);
        try {
          await stat(path.join(dir, `${id}.dzi`));
          return dir;
        } catch {
          /* not made yet */
        }
        try {
          const e = o.library.get(id);
          const tmp = `${dir}.tmp-${process.pid}-${Date.now()}`;
          await mkdir(tmp, { recursive: true });
          await pyramidSource(e.path).jpeg({ quality: 88 }).tile({ size: 256, overlap: 1, layout: 'dz' }).toFile(path.join(tmp, id));
          await rm(dir, { recursive: true, force: true });
          await rename(tmp, dir);
          return dir;
        } catch {
          pyramids.delete(id);
          return null;
        }
      })();
      pyramids.set(id, p);
    }
    return p;
  }

  async function readFileOrNull(file: string): Promise<Uint8Array | null> {
    try {
      return await readFile(file);
    } catch {
      return null;
    }
  }

  return {
    async read(resourcePath) {
      if (!RESOURCE_PATH_PATTERN.test(resourcePath)) return null;
      const [, kind, rest] = /^\/res\/([a-z]+)\/(.+)$/.exec(resourcePath)!;
      if (kind === 'thumb') {
        const data = await thumbnail(rest!.slice(0, 16) as ImageId);
        return data && { contentType: 'image/jpeg', data };
      }
      if (kind === 'overlay') {
        const data = await readFileOrNull(path.join(overlayDir(), rest!));
        return data && { contentType: 'image/png', data };
      }
      const id = rest!.slice(0, 16) as ImageId;
      const dir = await pyramid(id);
      if (!dir) return null;
      const data = await readFileOrNull(path.join(dir, ...rest!.split('/')));
      return data && { contentType: rest!.endsWith('.dzi') ? 'application/xml' : 'image/jpeg', data };
    },
    overlayTarget(key) {
      if (!/^[0-9a-z-]{1,80}$/.test(key)) throw new Error(`bad overlay key ${key}`);
      return { filePath: path.join(overlayDir(), `${key}.png`), resourcePath: `/res/overlay/${key}.png` };
    },
    dziPath(id) {
      return `/res/dzi/${id}.dzi`;
    },
    reset() {
      thumbs.clear();
      pyramids.clear();
    },
  };
}
