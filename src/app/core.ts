/**
 * createCore: the CoreApi implementation shared by the CLI, the Electron main process and the
 * web host. Validates every input, runs batches on an AnalysisHost, emits progress events.
 */
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import {
  batchRequestSchema,
  exportRequestSchema,
  PRESET_NAMES,
  type AppInfo,
  type BatchId,
  type BatchProgress,
  type BatchRequest,
  type BatchSummary,
  type CoreApi,
  type CoreEvents,
} from '../common/api.js';
import { AppError, isErrorCode } from '../common/errors.js';
import type { Recipe } from '../common/recipe-schema.js';
import type { ImageResult } from '../common/result.js';
import { formatResultsCsv, resultsToJson } from '../export/csv.js';
import { safeBaseName } from '../export/overlay.js';
import { ensureWritableDir, writeFileAtomic } from '../io/atomic-write.js';
import { loadRegionSpec, type RegionSpec } from '../io/region-file.js';
import { failedRow, type AnalysisJob } from '../workers/analysis-job.js';
import { createWorkerHost, type AnalysisHost } from './analysis-host.js';
import { loadPreset, parseRecipeText, recipeHash } from './recipes.js';
import { scanInputs } from './scan.js';
import { APP_VERSION } from './version.js';
import { parseRecipe } from '../common/recipe-schema.js';

export interface CoreDeps {
  /** Defaults to worker threads, created on first use. */
  readonly createHost?: () => AnalysisHost;
  readonly appVersion?: string;
  readonly now?: () => Date;
}

export interface CoreHandle extends CoreApi {
  /** Waits for a batch to finish (hosts that are not event-driven, tests). */
  waitForBatch(id: BatchId): Promise<BatchSummary>;
  dispose(): Promise<void>;
}

interface BatchState {
  summary: BatchSummary;
  results: (ImageResult | undefined)[];
  controller: AbortController;
  finished: Promise<BatchSummary>;
  recipe: Recipe;
  createdAt: string;
}

function invalid(what: string, e: { issues: { path: PropertyKey[]; message: string }[] }): AppError {
  const msg = e.issues.slice(0, 3).map((i) => `${i.path.map(String).join('.') || what}: ${i.message}`).join('; ');
  return new AppError('INPUT_INVALID', `Invalid ${what}: ${msg}.`);
}

function cancelledRow(job: AnalysisJob): ImageResult {
  return failedRow(job, 'CANCELLED', 'was not analysed: the batch was cancelled. Run it again.');
}

export function createCore(deps: CoreDeps = {}): CoreHandle {
  const appVersion = deps.appVersion ?? APP_VERSION;
  const now = deps.now ?? (() => new Date());
  let host: AnalysisHost | null = null;
  const getHost = () => (host ??= (deps.createHost ?? (() => createWorkerHost()))());
  const listeners = new Map<keyof CoreEvents, Set<(e: never) => void>>();
  const batches = new Map<string, BatchState>();

  function emit<K extends keyof CoreEvents>(topic: K, e: CoreEvents[K]): void {
    for (const cb of listeners.get(topic) ?? []) {
      try {
        (cb as (x: CoreEvents[K]) => void)(e);
      } catch {
        /* a listener's failure never stops a batch */
      }
    }
  }

  function resolveRecipe(r: BatchRequest['recipe']): Recipe {
    if ('preset' in r) return loadPreset(r.preset);
    return typeof r.document === 'string' ? parseRecipeText(r.document, r.source) : parseRecipe(r.document, r.source);
  }

  async function runBatch(id: BatchId, st: BatchState, jobs: AnalysisJob[]): Promise<BatchSummary> {
    const t0 = Date.now();
    let done = 0, failed = 0;
    const h = getHost();
    const progress = (result?: ImageResult): BatchProgress => {
      const elapsedMs = Date.now() - t0;
      return { batchId: id, done, failed, total: jobs.length, ...(result ? { result } : {}), elapsedMs, etaMs: done ? (elapsedMs / done) * (jobs.length - done) : null };
    };
    emit('batch:progress', progress());
    await Promise.all(
      jobs.map(async (job, i) => {
        let row: ImageResult;
        try {
          row = st.controller.signal.aborted ? cancelledRow(job) : (await h.run(job, st.controller.signal)).result;
        } catch (e) {
          const err = e as { code?: string; userMessage?: string };
          row = err.code === 'CANCELLED'
            ? cancelledRow(job)
            : failedRow(job, isErrorCode(err.code) ? err.code : 'INTERNAL', err.userMessage ?? String(e));
        }
        st.results[i] = row;
        done++;
        if (row.status === 'error') failed++;
        emit('batch:progress', progress(row));
      }),
    );
    const summary: BatchSummary = { ...st.summary, state: st.controller.signal.aborted ? 'cancelled' : 'done', results: st.results as ImageResult[] };
    st.summary = summary;
    emit('batch:done', summary);
    return summary;
  }

  const api: CoreHandle = {
    async getAppInfo(): Promise<AppInfo> {
      return {
        version: appVersion,
        presets: PRESET_NAMES.map((name) => {
          const r = loadPreset(name);
          return { name, recipeId: r.id, title: r.name };
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
    async startBatch(raw) {
      const parsed = batchRequestSchema.safeParse(raw);
      if (!parsed.success) throw invalid('batch request', parsed.error);
      const req = parsed.data;
      const recipe = resolveRecipe(req.recipe);
      const hash = recipeHash(recipe);
      const region: RegionSpec | undefined = req.regionPath ? await loadRegionSpec(req.regionPath) : undefined;
      if (req.overlayDir) await ensureWritableDir(req.overlayDir);
      const taken = new Set<string>();
      const jobs: AnalysisJob[] = req.images.map((img) => ({
        filePath: path.resolve(img.path), displayName: img.displayName, recipe, recipeHash: hash, appVersion,
        referenceKind: req.referenceKind, region, pixelSizeUm: req.pixelSizeUm, page: req.page,
        overlay: req.overlayDir ? { outDir: req.overlayDir, baseName: safeBaseName(img.displayName, taken) } : undefined,
      }));
      const id = randomUUID() as BatchId;
      const st: BatchState = {
        summary: { batchId: id, state: 'running', recipeId: recipe.id, recipeHash: hash, results: [] },
        results: new Array(jobs.length), controller: new AbortController(), finished: Promise.resolve(null as never),
        recipe, createdAt: now().toISOString(),
      };
      batches.set(id, st);
      st.finished = runBatch(id, st, jobs);
      return id;
    },
    async cancelBatch(id) {
      const st = batches.get(String(id));
      if (!st) throw new AppError('INPUT_INVALID', `No batch with id ${String(id).slice(0, 100)}.`);
      st.controller.abort();
    },
    async getBatch(id) {
      const st = batches.get(String(id));
      if (!st) throw new AppError('INPUT_INVALID', `No batch with id ${String(id).slice(0, 100)}.`);
      return { ...st.summary, results: st.results.filter((r): r is ImageResult => !!r) };
    },
    async exportResults(raw) {
      const parsed = exportRequestSchema.safeParse(raw);
      if (!parsed.success) throw invalid('export request', parsed.error);
      const st = batches.get(parsed.data.batchId);
      if (!st) throw new AppError('INPUT_INVALID', `No batch with id ${parsed.data.batchId}.`);
      const summary = await st.finished;
      const dir = parsed.data.outDir;
      await ensureWritableDir(dir);
      const csvPath = path.join(dir, 'results.csv'), jsonPath = path.join(dir, 'results.json');
      await writeFileAtomic(csvPath, formatResultsCsv(summary.results));
      await writeFileAtomic(
        jsonPath,
        resultsToJson(summary.results, { appVersion, recipe: st.recipe, recipeHash: summary.recipeHash, createdAt: st.createdAt }),
      );
      return { csvPath, jsonPath };
    },
    on(topic, cb) {
      let set = listeners.get(topic);
      if (!set) listeners.set(topic, (set = new Set()));
      set.add(cb as (e: never) => void);
      return () => set.delete(cb as (e: never) => void);
    },
    async waitForBatch(id) {
      const st = batches.get(String(id));
      if (!st) throw new AppError('INPUT_INVALID', `No batch with id ${String(id)}.`);
      return st.finished;
    },
    async dispose() {
      for (const st of batches.values()) st.controller.abort();
      await host?.destroy();
      host = null;
    },
  };
  return api;
}
