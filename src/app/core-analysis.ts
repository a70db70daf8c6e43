/** CoreApi methods that analyse: recipe validation, live preview, batches, CSV and export. */
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import {
  batchRequestSchema, exportRequestSchema, previewRequestSchema,
  type BatchId, type BatchSummary, type CoreApi, type ImageEntry, type ImageId,
} from '../common/api.js';
import { AppError } from '../common/errors.js';
import { parseRecipe } from '../common/recipe-schema.js';
import { formatResultsCsv, resultsToJson } from '../export/csv.js';
import { safeBaseName } from '../export/overlay.js';
import { ensureWritableDir, writeFileAtomic } from '../io/atomic-write.js';
import { loadRegionSpec, type RegionSpec } from '../io/region-file.js';
import type { AnalysisJob } from '../workers/analysis-job.js';
import { createBatchState, flattenRows, runBatch, type BatchItem, type BatchState } from './batch.js';
import { checkId, parseOrThrow, resolveRecipe, type CoreContext } from './core-context.js';
import { recipeHash } from './recipes.js';
import { roisToShapes } from './roi-files.js';

export const PREVIEW_FAST_MAX_SIDE_PX = 1024;

type AnalysisMethods = Pick<CoreApi, 'validateRecipe' | 'previewImage' | 'startBatch' | 'cancelBatch' | 'getBatch' | 'getResultsCsv' | 'exportResults'>;

export function analysisMethods(ctx: CoreContext): AnalysisMethods & { waitForBatch(id: BatchId): Promise<BatchSummary>; batchOf(id: unknown): BatchState } {
  let previewSeq = 0;

  function batchOf(id: unknown): BatchState {
    const st = typeof id === 'string' ? ctx.batches.get(id) : undefined;
    if (!st) throw new AppError('INPUT_INVALID', `No batch with id ${String(id).slice(0, 100)}.`);
    return st;
  }

  /** The image's own regions win over a region file given for the whole batch. */
  async function regionFor(entry: ImageEntry | null, fallback: RegionSpec | undefined): Promise<RegionSpec | undefined> {
    if (!entry) return fallback;
    const rois = await ctx.workspace.loadRois(entry.id);
    return rois.length ? { kind: 'shapes', source: `regions of ${entry.displayName}`, shapes: roisToShapes(rois) } : fallback;
  }

  return {
    async validateRecipe(document, source) {
      const recipe = parseRecipe(document, typeof source === 'string' ? source.slice(0, 200) : 'recipe');
      return { document: recipe, recipeHash: recipeHash(recipe) };
    },
    async previewImage(raw) {
      const req = parseOrThrow(previewRequestSchema, raw, 'preview request');
      const entry = ctx.workspace.get(req.imageId as ImageId);
      const recipe = resolveRecipe(req.recipe);
      const target = ctx.resources.overlayTarget(`p-${entry.id}-${(previewSeq++ % 4).toString()}`);
      const fallback = req.regionPath ? await loadRegionSpec(req.regionPath) : undefined;
      const job: AnalysisJob = {
        filePath: entry.path, displayName: entry.displayName, recipe, recipeHash: recipeHash(recipe), appVersion: ctx.appVersion,
        referenceKind: req.referenceKind, plateLayout: req.plateLayout, region: await regionFor(entry, fallback), pixelSizeUm: req.pixelSizeUm,
        viewerOverlayFile: target.filePath, previewMaxSidePx: req.quality === 'fast' ? PREVIEW_FAST_MAX_SIDE_PX : undefined,
        plateWells: ctx.workspace.plateWells(entry.id) ?? undefined,
      };
      const t0 = Date.now();
      const out = await ctx.host().run(job);
      if (out.result.status === 'error') throw new AppError(out.result.errorCode ?? 'INTERNAL', out.result.error ?? 'The preview failed.');
      return {
        imageId: entry.id, quality: req.quality, result: out.result, regionRows: out.regionRows ?? [], ...(out.plate ? { plate: out.plate } : {}),
        overlayPath: target.resourcePath,
        overlayWidthPx: entry.widthPx ?? 0, overlayHeightPx: entry.heightPx ?? 0, elapsedMs: Date.now() - t0,
      };
    },
    async startBatch(raw) {
      const req = parseOrThrow(batchRequestSchema, raw, 'batch request');
      const recipe = resolveRecipe(req.recipe);
      const hash = recipeHash(recipe);
      const fallback = req.regionPath ? await loadRegionSpec(req.regionPath) : undefined;
      if (req.overlayDir) await ensureWritableDir(req.overlayDir);
      const id = randomUUID() as BatchId;
      const entries: (ImageEntry | null)[] = req.imageIds ? req.imageIds.map((i) => ctx.workspace.get(checkId(i))) : req.images!.map(() => null);
      const taken = new Set<string>();
      const items: BatchItem[] = await Promise.all(entries.map(async (entry, i) => {
        const src = entry ? { path: entry.path, displayName: entry.displayName } : { path: path.resolve(req.images![i]!.path), displayName: req.images![i]!.displayName };
        const viewer = (req.viewerOverlays ?? !!entry) ? ctx.resources.overlayTarget(`b-${id.slice(0, 8)}-${i}`) : null;
        return {
          imageId: entry?.id ?? null,
          overlayPath: viewer?.resourcePath ?? null,
          job: {
            filePath: src.path, displayName: src.displayName, recipe, recipeHash: hash, appVersion: ctx.appVersion,
            referenceKind: req.referenceKind, plateLayout: req.plateLayout, region: await regionFor(entry, fallback),
            plateWells: entry ? ctx.workspace.plateWells(entry.id) ?? undefined : undefined,
            pixelSizeUm: req.pixelSizeUm, page: req.page,
            overlay: req.overlayDir ? { outDir: req.overlayDir, baseName: safeBaseName(src.displayName, taken) } : undefined,
            viewerOverlayFile: viewer?.filePath,
          },
        };
      }));
      const st = createBatchState(id, items, recipe, hash, ctx.now().toISOString());
      ctx.batches.set(id, st);
      const workspace = ctx.workspace;
      st.finished = runBatch(st, ctx.host(), (p) => {
        ctx.emit('batch:progress', p);
        if (p.result && p.imageId) void workspace.saveResult(p.imageId, recipe.id, p.result, p.regionRows ?? []);
      }, (s) => ctx.emit('batch:done', s));
      return id;
    },
    async cancelBatch(id) {
      batchOf(id).controller.abort();
    },
    async getBatch(id) {
      const st = batchOf(id);
      return { ...st.summary, results: st.results.filter((r) => !!r) as BatchSummary['results'] };
    },
    async getResultsCsv(id) {
      return formatResultsCsv(flattenRows(await batchOf(id).finished));
    },
    async exportResults(raw) {
      const req = parseOrThrow(exportRequestSchema, raw, 'export request');
      const st = batchOf(req.batchId);
      const summary = await st.finished;
      await ensureWritableDir(req.outDir);
      const csvPath = path.join(req.outDir, 'results.csv'), jsonPath = path.join(req.outDir, 'results.json');
      const rows = flattenRows(summary);
      await writeFileAtomic(csvPath, formatResultsCsv(rows));
      await writeFileAtomic(jsonPath, resultsToJson(rows, { appVersion: ctx.appVersion, recipe: st.recipe, recipeHash: summary.recipeHash, createdAt: st.createdAt }));
      let overlayCount = 0;
      if (req.overlays) {
        const taken = new Set<string>();
        await Promise.all(st.items.map(async (item, i) => {
          if (summary.results[i]?.status !== 'ok') return;
          const job = { ...item.job, viewerOverlayFile: undefined, overlay: { outDir: req.outDir, baseName: safeBaseName(item.job.displayName, taken) } };
          if ((await ctx.host().run(job)).result.status === 'ok') overlayCount++;
        }));
      }
      return { csvPath, jsonPath, overlayCount };
    },
    async waitForBatch(id) {
      return batchOf(id).finished;
    },
    batchOf,
  };
}
