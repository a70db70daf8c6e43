/** Batches: the running/last batch, its rows, the latest result of every image, export. */
import type { BatchId, BatchProgress, BatchSummary, ImageId, ImageResult } from '../../src/common/api.js';
import type { SliceCreator } from './app-state.js';
import { selectAnalysisOptions, selectRecipeError } from './selectors.js';

export type BatchState = 'starting' | 'running' | 'done' | 'cancelled';

export interface BatchRun {
  /** null until startBatch answers (events may come first; the first one is adopted). */
  readonly id: BatchId | null;
  readonly state: BatchState;
  readonly imageIds: readonly ImageId[];
  readonly total: number;
  readonly done: number;
  readonly failed: number;
  readonly elapsedMs: number;
  readonly etaMs: number | null;
  readonly startedAtMs: number;
  readonly cancelRequested: boolean;
}

export interface BatchRow {
  readonly imageId: ImageId | null;
  readonly result: ImageResult;
  readonly overlayPath: string | null;
  /** A per-region or per-well row that follows its image's row (CSV order). */
  readonly detail?: boolean;
}

export interface BatchSlice {
  batch: BatchRun | null;
  /** Rows of the current/last batch: in finishing order while running, input order when done. */
  rows: readonly BatchRow[];
  /** The latest row of each image over all batches (library badges). */
  latestByImage: Readonly<Record<string, BatchRow>>;
  runBatch(imageIds: readonly ImageId[]): Promise<void>;
  cancelBatch(): Promise<void>;
  rerunFailed(): Promise<void>;
  applyProgress(e: BatchProgress): void;
  /** Several progress events in one update (bursts, e.g. the rows of a cancelled batch). */
  applyProgressMany(events: readonly BatchProgress[]): void;
  applyDone(s: BatchSummary): void;
  exportCsv(): Promise<void>;
  exportFolder(): Promise<void>;
}

const isRunning = (b: BatchRun | null) => !!b && (b.state === 'starting' || b.state === 'running');

export const createBatchSlice: SliceCreator<BatchSlice> = ({ client, now }) => (set, get) => {
  /** The batch an event belongs to is ours (adopting the first event while startBatch is in flight). */
  function owns(batchId: BatchId): BatchRun | null {
    const b = get().batch;
    if (!b) return null;
    if (b.id === batchId) return b;
    if (b.id === null && b.state === 'starting') return { ...b, id: batchId, state: 'running' };
    return null;
  }

  return {
    batch: null,
    rows: [],
    latestByImage: {},
    async runBatch(imageIds) {
      const s = get();
      if (isRunning(s.batch)) return s.notify('info', 'A batch is already running. Cancel it first.');
      const ids = imageIds.length ? imageIds : s.images.map((i) => i.id);
      if (!ids.length) return s.notify('info', 'Open some images first.');
      const invalid = selectRecipeError(s);
      if (invalid) return s.notify('error', invalid.userMessage);
      const opts = selectAnalysisOptions(s);
      if (!opts) return;
      set(
        {
          batch: {
            id: null, state: 'starting', imageIds: ids, total: ids.length, done: 0, failed: 0,
            elapsedMs: 0, etaMs: null, startedAtMs: now(), cancelRequested: false,
          },
          rows: [],
          bottomTab: 'results',
        },
        undefined,
        'batch/starting',
      );
      try {
        const id = await client.core.startBatch({ imageIds: [...ids], ...opts });
        const b = get().batch;
        if (!b || b.id === id) return;
        if (b.id === null) set({ batch: { ...b, id, state: 'running' } }, undefined, 'batch/started');
        // An event of another window's batch was adopted: start over with ours.
        else set({ batch: { ...b, id, state: 'running', done: 0, failed: 0 }, rows: [] }, undefined, 'batch/started');
      } catch (e) {
        set({ batch: null }, undefined, 'batch/failedToStart');
        get().reportError(e);
      }
    },
    async cancelBatch() {
      const b = get().batch;
      if (!b || !isRunning(b) || !b.id) return;
      set({ batch: { ...b, cancelRequested: true } }, undefined, 'batch/cancelling');
      try {
        await client.core.cancelBatch(b.id);
      } catch (e) {
        get().reportError(e);
      }
    },
    async rerunFailed() {
      const ids = get()
        .rows.filter((r) => r.result.status === 'error' && r.imageId && !r.detail)
        .map((r) => r.imageId!);
      if (!ids.length) return get().notify('info', 'No failed images in the last batch.');
      await get().runBatch(ids);
    },
    applyProgress: (e) => get().applyProgressMany([e]),
    applyProgressMany(events) {
      let b: BatchRun | null = null;
      const added: BatchRow[] = [];
      for (const e of events) {
        const cur: BatchRun | null = b && b.id === e.batchId ? b : owns(e.batchId);
        if (!cur) continue;
        b = {
          ...cur, done: Math.max(cur.done, e.done), failed: Math.max(cur.failed, e.failed), total: e.total,
          elapsedMs: e.elapsedMs, etaMs: e.etaMs,
        };
        if (e.result) {
          const imageId = e.imageId ?? null;
          added.push({ imageId, result: e.result, overlayPath: null });
          for (const d of e.regionRows ?? []) added.push({ imageId, result: d, overlayPath: null, detail: true });
        }
      }
      if (!b) return;
      const next = b;
      set(
        (s) => {
          if (!added.length) return { batch: next };
          const latest = { ...s.latestByImage };
          for (const r of added) if (r.imageId && !r.detail) latest[r.imageId] = r;
          return { batch: next, rows: [...s.rows, ...added], latestByImage: latest };
        },
        undefined,
        'batch/progress',
      );
    },
    applyDone(summary) {
      const b = owns(summary.batchId);
      if (!b || summary.state === 'running') return;
      const rows: BatchRow[] = summary.results.flatMap((result, i) => {
        const imageId = summary.imageIds[i] ?? null, overlayPath = summary.overlayPaths[i] ?? null;
        const details = (summary.detailRows?.[i] ?? []).map((d): BatchRow => ({ imageId, result: d, overlayPath, detail: true }));
        return [{ imageId, result, overlayPath }, ...details];
      });
      const latest = { ...get().latestByImage };
      for (const r of rows) if (r.imageId && !r.detail) latest[r.imageId] = r;
      const failed = summary.results.filter((r) => r.status === 'error').length;
      set(
        { batch: { ...b, state: summary.state, done: summary.results.length, total: summary.results.length, failed, etaMs: 0 }, rows, latestByImage: latest },
        undefined,
        'batch/done',
      );
      const what = summary.state === 'cancelled' ? 'Batch cancelled' : 'Batch finished';
      get().notify(failed ? 'info' : 'success', `${what}: ${summary.results.length - failed} analysed${failed ? `, ${failed} not analysed (see Problems)` : ''}.`);
    },
    async exportCsv() {
      const b = get().batch;
      if (!b?.id) return get().notify('info', 'Run a batch first; its results are what gets exported.');
      try {
        const csv = await client.core.getResultsCsv(b.id);
        const saved = await client.saveText('results.csv', csv, 'text/csv');
        if (saved) get().notify('success', `Results saved as ${saved}.`);
      } catch (e) {
        get().reportError(e);
      }
    },
    async exportFolder() {
      const b = get().batch;
      if (!b?.id) return get().notify('info', 'Run a batch first; its results are what gets exported.');
      try {
        const dir = (await client.pickPaths({ kind: 'folder', title: 'Export results and overlays to a folder' }))?.[0];
        if (!dir) return;
        const r = await client.core.exportResults({ batchId: b.id, outDir: dir, overlays: true });
        get().notify('success', `Exported ${r.csvPath}, results.json and ${r.overlayCount} overlay${r.overlayCount === 1 ? '' : 's'}.`);
      } catch (e) {
        get().reportError(e);
      }
    },
  };
};
