/** CoreApi methods of the image library: open, list, remove, view, probe, browse folders. */
import path from 'node:path';
import type { CoreApi } from '../common/api.js';
import { AppError } from '../common/errors.js';
import { checkId, checkPath, type CoreContext } from './core-context.js';
import { listDirectory } from './directory.js';
import { probePixel } from './probe.js';
import { assetsDir } from './recipes.js';
import { scanInputs } from './scan.js';

type LibraryMethods = Pick<CoreApi, 'scanInputs' | 'openImages' | 'openSamples' | 'listImages' | 'removeImages' | 'listDirectory' | 'getImageView' | 'probePixel'>;

export function checkPaths(paths: unknown): string[] {
  if (!Array.isArray(paths) || paths.length > 100_000) throw new AppError('INPUT_INVALID', 'Invalid paths: give a list of file or folder paths.');
  return paths.map((p) => checkPath(p, 'path'));
}

export function libraryMethods(ctx: CoreContext): LibraryMethods {
  async function openAndAnnounce(paths: readonly string[]) {
    const scanned = await scanInputs(paths);
    const result = await ctx.workspace.add(scanned.images, scanned.skipped);
    ctx.emit('library:changed', { images: ctx.workspace.list() });
    return result;
  }
  return {
    async scanInputs(paths) {
      return scanInputs(checkPaths(paths));
    },
    async openImages(paths) {
      return openAndAnnounce(checkPaths(paths));
    },
    async openSamples() {
      const r = await openAndAnnounce([path.join(assetsDir(), 'samples')]);
      return { ...r, skipped: [] }; // truth.json and the like: not the user's business
    },
    async listImages() {
      return ctx.workspace.list();
    },
    async removeImages(ids) {
      if (!Array.isArray(ids)) throw new AppError('INPUT_INVALID', 'Invalid image ids.');
      await ctx.workspace.remove(ids.map(checkId));
      ctx.emit('library:changed', { images: ctx.workspace.list() });
    },
    async listDirectory(p) {
      if (typeof p !== 'string' || p.length > 4096) throw new AppError('INPUT_INVALID', 'Invalid folder path.');
      return listDirectory(p);
    },
    async getImageView(id) {
      const e = ctx.workspace.get(checkId(id));
      if (e.error || e.widthPx === null || e.heightPx === null) {
        throw new AppError(e.error?.code ?? 'IMAGE_UNREADABLE', e.error?.userMessage ?? `“${e.displayName}” cannot be shown.`);
      }
      return { id: e.id, widthPx: e.widthPx, heightPx: e.heightPx, pixelSizeUm: e.pixelSizeUm, dziPath: ctx.resources.dziPath(e.id) };
    },
    async probePixel(id, xPx, yPx) {
      if (!Number.isFinite(xPx) || !Number.isFinite(yPx)) throw new AppError('INPUT_INVALID', 'Pixel coordinates must be numbers.');
      return probePixel(ctx.workspace.get(checkId(id)).path, xPx, yPx);
    },
  };
}
