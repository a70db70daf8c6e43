/** CoreApi methods of projects and regions. */
import path from 'node:path';
import type { CoreApi, ProjectSummary } from '../common/api.js';
import { AppError, toErrorInfo } from '../common/errors.js';
import { clipRoisToImage } from '../common/roi-image.js';
import { newRoiId } from '../common/roi.js';
import { createProject, openProject, type ProjectStore } from '../project/index.js';
import { checkId, checkPath, type CoreContext } from './core-context.js';
import { checkRois, exportRoiFile, importRoiFile } from './roi-files.js';
import { createProjectWorkspace, createSessionWorkspace, metaKeyOf, parseMetaKey } from './workspace.js';

type ProjectMethods = Pick<
  CoreApi,
  'createProject' | 'openProject' | 'closeProject' | 'getProject' | 'relinkImages' | 'loadRois' | 'saveRois' | 'importRois' | 'exportRois' | 'copyRois'
>;

export function summarize(store: ProjectStore): ProjectSummary {
  const images = store.images();
  return {
    dir: store.dir, name: store.name, imageCount: images.length,
    missingCount: images.filter((i) => i.status !== 'ok').length, warnings: [...store.openWarnings],
  };
}

function sizeOf(ctx: CoreContext, id: string) {
  const e = ctx.workspace.get(checkId(id));
  if (e.widthPx === null || e.heightPx === null) throw new AppError(e.error?.code ?? 'IMAGE_UNREADABLE', e.error?.userMessage ?? `“${e.displayName}” cannot be read.`);
  return { entry: e, size: { widthPx: e.widthPx, heightPx: e.heightPx } };
}

export function projectMethods(ctx: CoreContext): ProjectMethods {
  async function switchTo(store: ProjectStore | null): Promise<void> {
    await ctx.workspace.close();
    ctx.workspace = store
      ? createProjectWorkspace(store, (e) => ctx.emit('project:save-error', { userMessage: toErrorInfo(e).userMessage }))
      : createSessionWorkspace(ctx.sessionCacheDir);
    ctx.resources.reset();
    ctx.emit('project:changed', { project: store ? summarize(store) : null });
    ctx.emit('library:changed', { images: ctx.workspace.list() });
  }
  const current = () => {
    const p = ctx.workspace.project;
    if (!p) throw new AppError('INPUT_INVALID', 'No project is open. Open or create a project first.');
    return p;
  };
  return {
    async createProject(dir, name) {
      checkPath(dir, 'project folder');
      if (typeof name !== 'string' || !name.trim() || name.length > 200) throw new AppError('INPUT_INVALID', 'Give the project a name (up to 200 characters).');
      const carried = ctx.workspace.list().filter((e) => !e.error);
      const rois = await Promise.all(carried.map((e) => ctx.workspace.loadRois(e.id)));
      // sample metadata (images, wells, regions) and hand-set wells come along too
      const meta = [...ctx.workspace.metadata()].map(([k, v]) => ({ target: parseMetaKey(k), v }));
      const wells = carried.map((e) => ctx.workspace.plateWells(e.id));
      const store = await createProject(path.resolve(dir), name.trim());
      await switchTo(store);
      if (carried.length) {
        await store.addImages(carried.map((e) => ({ path: e.path, displayName: e.displayName })));
        const byPath = new Map(ctx.workspace.list().map((e) => [e.path, e.id]));
        const newId = new Map(carried.map((e) => [e.id as string, byPath.get(e.path)]));
        await Promise.all(carried.map(async (e, i) => {
          const id = newId.get(e.id);
          if (id && rois[i]!.length) await ctx.workspace.saveRois(id, rois[i]!);
          if (id && wells[i]) await ctx.workspace.setPlateWells(id, wells[i]!);
        }));
        const carriedMeta = meta.flatMap(({ target, v }) => {
          const id = newId.get(target.imageId);
          return id ? [[metaKeyOf({ ...target, imageId: id }), v] as const] : [];
        });
        if (carriedMeta.length) await ctx.workspace.setMetadata(new Map(carriedMeta));
        ctx.emit('library:changed', { images: ctx.workspace.list() });
      }
      return summarize(store);
    },
    async openProject(dir) {
      const store = await openProject(path.resolve(checkPath(dir, 'project folder')));
      await switchTo(store);
      return summarize(store);
    },
    async closeProject() {
      if (ctx.workspace.project) await switchTo(null);
    },
    async getProject() {
      return ctx.workspace.project ? summarize(ctx.workspace.project) : null;
    },
    async relinkImages(folder) {
      const r = await current().relinkImages(path.resolve(checkPath(folder, 'folder')));
      ctx.resources.reset();
      ctx.emit('library:changed', { images: ctx.workspace.list() });
      ctx.emit('project:changed', { project: summarize(current()) });
      return { relinked: r.relinked.length, stillMissing: r.stillMissing.length };
    },
    async loadRois(id) {
      return ctx.workspace.loadRois(checkId(id));
    },
    async saveRois(id, rois) {
      const { size } = sizeOf(ctx, id);
      await ctx.workspace.saveRois(checkId(id), clipRoisToImage(checkRois(rois), size, 'regions'));
    },
    async importRois(id, filePath) {
      const { size } = sizeOf(ctx, id);
      const imported = await importRoiFile(checkPath(filePath, 'region file'), size);
      const all = [...(await ctx.workspace.loadRois(checkId(id))), ...imported];
      await ctx.workspace.saveRois(checkId(id), all);
      return all;
    },
    async exportRois(id, filePath) {
      await exportRoiFile(await ctx.workspace.loadRois(checkId(id)), checkPath(filePath, 'file'));
    },
    async copyRois(fromId, toIds, mode) {
      if (mode !== 'append' && mode !== 'replace') throw new AppError('INPUT_INVALID', 'Copy mode must be "append" or "replace".');
      if (!Array.isArray(toIds)) throw new AppError('INPUT_INVALID', 'Invalid image ids.');
      const source = await ctx.workspace.loadRois(checkId(fromId));
      for (const to of toIds.map(checkId)) {
        if (to === fromId) continue;
        const { entry, size } = sizeOf(ctx, to);
        const copies = clipRoisToImage(source.map((r) => ({ ...r, id: newRoiId() })), size, entry.displayName);
        const kept = mode === 'append' ? await ctx.workspace.loadRois(to) : [];
        await ctx.workspace.saveRois(to, [...kept, ...copies]);
      }
    },
  };
}
