/**
 * createCore: the CoreApi implementation shared by the CLI, the Electron main process and the
 * web host. Validates every input, keeps the image library, runs previews and batches on an
 * AnalysisHost, serves pixel resources, emits events.
 */
import { randomUUID } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import {
  batchRequestSchema, exportRequestSchema, previewRequestSchema, PRESET_NAMES,
  type BatchId, type BatchSummary, type CoreApi, type CoreEvents, type ImageId, type Resource,
} from '../common/api.js';
import { AppError } from '../common/errors.js';
import { parseRecipe, type Recipe } from '../common/recipe-schema.js';
import { formatResultsCsv, resultsToJson } from '../export/csv.js';
import { safeBaseName } from '../export/overlay.js';
import { ensureWritableDir, writeFileAtomic } from '../io/atomic-write.js';
import { loadRegionSpec } from '../io/region-file.js';
import type { AnalysisJob } from '../workers/analysis-job.js';
import { createWorkerHost, type AnalysisHost } from './analysis-host.js';
import { createBatchState, flattenRows, runBatch, type BatchItem, type BatchState } from './batch.js';
import { listDirectory } from './directory.js';
import { Library } from './library.js';
import { probePixel } from './probe.js';
import { assetsDir, loadPreset, parseRecipeText, recipeHash } from './recipes.js';
import { createResourceStore } from './resources.js';
import { scanInputs } from './scan.js';
import { APP_VERSION } from './version.js';

export interface CoreDeps {
  /** Defaults to worker threads, created on first use. */
  readonly createHost?: () => AnalysisHost;
  readonly appVersion?: string;
  readonly now?: () => Date;
  /** Derived data (tile pyramids, overlays): safe to delete. Default: <tmp>/calciquant-cache. */
  readonly cacheDir?: string;
}

export interface CoreHandle extends CoreApi {
  /** Pixel resources for hosts (custom protocol / HTTP); null when the path names nothing. */
  readResource(resourcePath: string): Promise<Resource | null>;
  /** Waits for a batch to finish (hosts that are not event-driven, tests). */
  waitForBatch(id: BatchId): Promise<BatchSummary>;
  dispose(): Promise<void>;
}

export const PREVIEW_FAST_MAX_SIDE_PX = 1024;

function invalid(what: string, e: { issues: { path: PropertyKey[]; message: string }[] }): AppError {
  const msg = e.issues.slice(0, 3).map((i) => `${i.path.map(String).join('.') || what}: ${i.message}`).join('; ');
  return new AppError('INPUT_INVALID', `Invalid ${what}: ${msg}.`);
}

function parseOrThrow<T>(schema: { safeParse(x: unknown): { success: true; data: T } | { success: false; error: { issues: { path: PropertyKey[]; message: string }[] } } }, raw: unknown, what: string): T {
  const r = schema.safeParse(raw);
  if (!r.success) throw invalid(what, r.error);
  return r.data;
}

function resolveRecipe(r: { preset: (typeof PRESET_NAMES)[number] } | { document?: unknown; source: string }): Recipe {
  if ('preset' in r) return loadPreset(r.preset);
  return typeof r.document === 'string' ? parseRecipeText(r.document, r.source) : parseRecipe(r.document, r.source);
}

function checkId(id: unknown): ImageId {
  if (typeof id !== 'string' || !/^[0-9a-f]{16}$/.test(id)) throw new AppError('INPUT_INVALID', 'Invalid image id.');
  return id as ImageId;
}

export function createCore(deps: CoreDeps = {}): CoreHandle {
  const appVersion = deps.appVersion ?? APP_VERSION;
  const now = deps.now ?? (() => new Date());
  const cacheDir = deps.cacheDir ?? path.join(os.tmpdir(), 'calciquant-cache');
  let host: AnalysisHost | null = null;
  const getHost = () => (host ??= (deps.createHost ?? (() => createWorkerHost()))());
  const listeners = new Map<keyof CoreEvents, Set<(e: never) => void>>();
  const batches = new Map<string, BatchState>();
  const library = new Library();
  const resources = createResourceStore({ cacheDir, library });
  let previewSeq = 0;

  function emit<K extends keyof CoreEvents>(topic: K, e: CoreEvents[K]): void {
    for (const cb of listeners.get(topic) ?? []) {
      try {
        (cb as (x: CoreEvents[K]) => void)(e);
      } catch {
        /* a listener's failure never stops the core */
      }
    }
  }

  function batchOf(id: unknown): BatchState {
    const st = typeof id === 'string' ? batches.get(id) : undefined;
    if (!st) throw new AppError('INPUT_INVALID', `No batch with id ${String(id).slice(0, 100)}.`);
    return st;
  }

  async function openAndAnnounce(paths: readonly string[]) {
    const scanned = await scanInputs(paths);
    const result = await library.add(scanned.images, scanned.skipped);
    emit('library:changed', { images: library.list() });
    return result;
  }

  const api: CoreHandle = {
    async getAppInfo() {
      return {
        version: appVersion,
        presets: PRESET_NAMES.map((name) => {
          const r = loadPreset(name);
          return { name, recipeId: r.id, title: r.name, document: r };
        }),
        workers: getHost().size,
      };
    },
    async scanInputs(paths) {
      if (!Array.isArray(paths) || paths.some((p) => typeof p !== 'string' || p.length === 0 || p.length > 4096)) {
        throw new AppError('INPUT_INVALID', 'Invalid paths: give a list of file or folder paths.');
      }
      return scanInputs(paths);
    },
    async openImages(paths) {
      await api.scanInputs(paths);
      return openAndAnnounce(paths);
    },
    async openSamples() {
      return openAndAnnounce([path.join(assetsDir(), 'samples')]);
    },
    async listImages() {
      return library.list();
    },
    async removeImages(ids) {
      if (!Array.isArray(ids)) throw new AppError('INPUT_INVALID', 'Invalid image ids.');
      library.remove(ids.map(checkId));
      emit('library:changed', { images: library.list() });
    },
    async listDirectory(p) {
      if (typeof p !== 'string' || p.length > 4096) throw new AppError('INPUT_INVALID', 'Invalid folder path.');
      return listDirectory(p);
    },
    async getImageView(id) {
      const e = library.get(checkId(id));
      if (e.error || e.widthPx === null || e.heightPx === null) {
        throw new AppError(e.error?.code ?? 'IMAGE_UNREADABLE', e.error?.userMessage ?? `“${e.displayName}” cannot be shown.`);
      }
      return { id: e.id, widthPx: e.widthPx, heightPx: e.heightPx, pixelSizeUm: e.pixelSizeUm, dziPath: resources.dziPath(e.id) };
    },
    async probePixel(id, xPx, yPx) {
      if (!Number.isFinite(xPx) || !Number.isFinite(yPx)) throw new AppError('INPUT_INVALID', 'Pixel coordinates must be numbers.');
      return probePixel(library.get(checkId(id)).path, xPx, yPx);
    },
    async validateRecipe(document, source) {
      const recipe = parseRecipe(document, typeof source === 'string' ? source.slice(0, 200) : 'recipe');
      return { document: recipe, recipeHash: recipeHash(recipe) };
    },
    async previewImage(raw) {
      const req = parseOrThrow(previewRequestSchema, raw, 'preview request');
      const entry = library.get(req.imageId as ImageId);
      const recipe = resolveRecipe(req.recipe);
      const key = `p-${entry.id}-${(previewSeq++ % 4).toString()}`;
      const target = resources.overlayTarget(key);
      const job: AnalysisJob = {
        filePath: entry.path, displayName: entry.displayName, recipe, recipeHash: recipeHash(recipe), appVersion,
        referenceKind: req.referenceKind, region: req.regionPath ? await loadRegionSpec(req.regionPath) : undefined,
        pixelSizeUm: req.pixelSizeUm, viewerOverlayFile: target.filePath,
        previewMaxSidePx: req.quality === 'fast' ? PREVIEW_FAST_MAX_SIDE_PX : undefined,
      };
      const t0 = Date.now();
      const out = await getHost().run(job);
      if (out.result.status === 'error') throw new AppError(out.result.errorCode ?? 'INTERNAL', out.result.error ?? 'The preview failed.');
      return {
        imageId: entry.id, quality: req.quality, result: out.result, overlayPath: target.resourcePath,
        overlayWidthPx: entry.widthPx ?? 0, overlayHeightPx: entry.heightPx ?? 0, elapsedMs: Date.now() - t0,
      };
    },
    async startBatch(raw) {
      const req = parseOrThrow(batchRequestSchema, raw, 'batch request');
      const recipe = resolveRecipe(req.recipe);
      const hash = recipeHash(recipe);
      const region = req.regionPath ? await loadRegionSpec(req.regionPath) : undefined;
      if (req.overlayDir) await ensureWritableDir(req.overlayDir);
      const id = randomUUID() as BatchId;
      const sources = req.images
        ? req.images.map((i) => ({ path: path.resolve(i.path), displayName: i.displayName, imageId: null }))
        : req.imageIds!.map((i) => {
            const e = library.get(checkId(i));
            return { path: e.path, displayName: e.displayName, imageId: e.id };
          });
      const taken = new Set<string>();
      const items: BatchItem[] = sources.map((s, i) => {
        const viewer = s.imageId ? resources.overlayTarget(`b-${id.slice(0, 8)}-${i}`) : null;
        return {
          imageId: s.imageId,
          overlayPath: viewer?.resourcePath ?? null,
          job: {
            filePath: s.path, displayName: s.displayName, recipe, recipeHash: hash, appVersion,
            referenceKind: req.referenceKind, region, pixelSizeUm: req.pixelSizeUm, page: req.page,
            overlay: req.overlayDir ? { outDir: req.overlayDir, baseName: safeBaseName(s.displayName, taken) } : undefined,
            viewerOverlayFile: viewer?.filePath,
          },
        };
      });
      const st = createBatchState(id, items, recipe, hash, now().toISOString());
      batches.set(id, st);
      st.finished = runBatch(st, getHost(), (p) => emit('batch:progress', p), (s) => emit('batch:done', s));
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
      const st = batchOf(id);
      return formatResultsCsv(flattenRows(await st.finished));
    },
    async exportResults(raw) {
      const req = parseOrThrow(exportRequestSchema, raw, 'export request');
      const st = batchOf(req.batchId);
      const summary = await st.finished;
      await ensureWritableDir(req.outDir);
      const csvPath = path.join(req.outDir, 'results.csv'), jsonPath = path.join(req.outDir, 'results.json');
      await writeFileAtomic(csvPath, formatResultsCsv(flattenRows(summary)));
      await writeFileAtomic(jsonPath, resultsToJson(flattenRows(summary), { appVersion, recipe: st.recipe, recipeHash: summary.recipeHash, createdAt: st.createdAt }));
      let overlayCount = 0;
      if (req.overlays) {
        const taken = new Set<string>();
        const h = getHost();
        await Promise.all(st.items.map(async (item, i) => {
          if (summary.results[i]?.status !== 'ok') return;
          const job = { ...item.job, viewerOverlayFile: undefined, overlay: { outDir: req.outDir, baseName: safeBaseName(item.job.displayName, taken) } };
          if ((await h.run(job)).result.status === 'ok') overlayCount++;
        }));
      }
      return { csvPath, jsonPath, overlayCount };
    },
    on(topic, cb) {
      let set = listeners.get(topic);
      if (!set) listeners.set(topic, (set = new Set()));
      set.add(cb as (e: never) => void);
      return () => set.delete(cb as (e: never) => void);
    },
    readResource: (p) => resources.read(p),
    async waitForBatch(id) {
      return batchOf(id).finished;
    },
    async dispose() {
      for (const st of batches.values()) st.controller.abort();
      await host?.destroy();
      host = null;
    },
  };
  return api;
}
