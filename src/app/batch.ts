/**
 * Running a batch of analysis jobs on an AnalysisHost: every job settles into a row (never a
 * thrown error), progress is emitted after each image, cancel aborts queued and running jobs.
 */
import type { BatchId, BatchProgress, BatchSummary, ImageId } from '../common/api.js';
import { isErrorCode } from '../common/errors.js';
import type { Recipe } from '../common/recipe-schema.js';
import type { ImageResult } from '../common/result.js';
import { failedRow, type AnalysisJob } from '../workers/analysis-job.js';
import type { AnalysisHost } from './analysis-host.js';

export interface BatchItem {
  readonly job: AnalysisJob;
  readonly imageId: ImageId | null;
  /** Resource path of the viewer overlay the job writes (null when none). */
  readonly overlayPath: string | null;
}

export interface BatchState {
  summary: BatchSummary;
  readonly items: readonly BatchItem[];
  readonly results: (ImageResult | undefined)[];
  readonly controller: AbortController;
  finished: Promise<BatchSummary>;
  readonly recipe: Recipe;
  readonly createdAt: string;
}

function cancelledRow(job: AnalysisJob): ImageResult {
  return failedRow(job, 'CANCELLED', 'was not analysed: the batch was cancelled. Run it again.');
}

async function settle(host: AnalysisHost, job: AnalysisJob, signal: AbortSignal): Promise<{ row: ImageResult; detail: readonly ImageResult[] }> {
  if (signal.aborted) return { row: cancelledRow(job), detail: [] };
  try {
    const out = await host.run(job, signal);
    return { row: out.result, detail: out.regionRows ?? [] };
  } catch (e) {
    const err = e as { code?: string; userMessage?: string };
    if (err.code === 'CANCELLED') return { row: cancelledRow(job), detail: [] };
    return { row: failedRow(job, isErrorCode(err.code) ? err.code : 'INTERNAL', err.userMessage ?? String(e)), detail: [] };
  }
}

/** All rows of a batch in CSV order: each image's row followed by its region (and well) rows. */
export function flattenRows(s: Pick<BatchSummary, 'results' | 'detailRows'>): ImageResult[] {
  return s.results.flatMap((r, i) => [r, ...(s.detailRows?.[i] ?? [])]);
}

export function createBatchState(id: BatchId, items: BatchItem[], recipe: Recipe, recipeHash: string, createdAt: string): BatchState {
  return {
    summary: {
      batchId: id, state: 'running', recipeId: recipe.id, recipeHash, results: [],
      imageIds: items.map((i) => i.imageId), overlayPaths: items.map(() => null),
    },
    items, results: new Array(items.length), controller: new AbortController(),
    finished: Promise.resolve(null as never), recipe, createdAt,
  };
}

/** Runs every item; resolves with the final summary (also emitted through `emitDone`). */
export async function runBatch(
  st: BatchState,
  host: AnalysisHost,
  emitProgress: (p: BatchProgress) => void,
  emitDone: (s: BatchSummary) => void,
): Promise<BatchSummary> {
  const t0 = Date.now();
  const total = st.items.length;
  let done = 0, failed = 0;
  const progress = (result?: ImageResult, imageId?: ImageId | null, regionRows?: readonly ImageResult[]): BatchProgress => {
    const elapsedMs = Date.now() - t0;
    return {
      batchId: st.summary.batchId, done, failed, total, ...(result ? { result } : {}), ...(imageId ? { imageId } : {}),
      ...(regionRows?.length ? { regionRows } : {}), elapsedMs, etaMs: done ? (elapsedMs / done) * (total - done) : null,
    };
  };
  emitProgress(progress());
  const overlayPaths: (string | null)[] = st.items.map(() => null);
  const detailRows: (readonly ImageResult[])[] = st.items.map(() => []);
  await Promise.all(
    st.items.map(async (item, i) => {
      const { row, detail } = await settle(host, item.job, st.controller.signal);
      st.results[i] = row;
      detailRows[i] = detail;
      if (row.status === 'ok') overlayPaths[i] = item.overlayPath;
      done++;
      if (row.status === 'error') failed++;
      emitProgress(progress(row, item.imageId, detail));
    }),
  );
  st.summary = {
    ...st.summary,
    state: st.controller.signal.aborted ? 'cancelled' : 'done',
    results: st.results as ImageResult[],
    detailRows,
    overlayPaths,
  };
  emitDone(st.summary);
  return st.summary;
}
