/**
 * Autosave: the UI queues every finished change (one region edit per gesture) and the autosaver
 * writes it shortly after. Per file only the latest queued content is kept (coalescing); files are
 * written one at a time in the order they were first queued, so the same file is never written
 * twice at once. Failures go to `onError` (never thrown at the caller) and are retried with backoff
 * unless newer content replaced them.
 *
 *   const saver = createAutosaver(store, { debounceMs: 300, onError: (e) => showToast(e.userMessage) });
 *   saver.saveRois(imageId, rois);     // after each gesture
 *   await saver.flush();               // before closing, switching projects, quitting
 */
import type { ImageId } from '../common/api.js';
import { toAppError, type AppError } from '../common/errors.js';
import type { ResultToSave } from './documents.js';
import type { ProjectStore } from './project-store.js';
import type { StoredRoi } from './schema.js';

export interface AutosaverOptions {
  /** Quiet time after the last change before writing. */
  readonly debounceMs: number;
  /** Longest a change waits while changes keep coming (default max(1000, 10 × debounceMs)). */
  readonly maxDelayMs?: number;
  /** A write failed (it is retried); `key` names the file, e.g. `rois:<imageId>`. */
  readonly onError: (error: AppError, key: string) => void;
  /** A write finished; `ticket` is the number returned when the written content was queued. */
  readonly onSaved?: (key: string, ticket: number) => void;
}

export interface Autosaver {
  /**
   * Queues the image's complete region list (not copied: ROIs are immutable, STYLE §9); returns a
   * ticket (increasing per call).
   */
  saveRois(imageId: ImageId, rois: readonly StoredRoi[]): number;
  saveResult(imageId: ImageId, recipeId: string, result: ResultToSave): number;
  /** Queues a save of project.json. */
  saveProject(): number;
  /** Writes everything queued now; resolves true when all of it was written. Never rejects. */
  flush(): Promise<boolean>;
  /** Number of files waiting to be written. */
  readonly pending: number;
  /** Flushes and stops; later calls are ignored (reported through onError). */
  dispose(): Promise<boolean>;
}

/** What the autosaver writes through (a ProjectStore). */
export type AutosaveTarget = Pick<ProjectStore, 'saveRois' | 'saveResult' | 'save'>;

interface Job {
  readonly key: string;
  readonly ticket: number;
  readonly write: () => Promise<void>;
}

const MAX_RETRY_MS = 30_000;

function safeCall(fn: () => void): void {
  try {
    fn();
  } catch {
    /* a callback must not break the queue */
  }
}

export function createAutosaver(store: AutosaveTarget, o: AutosaverOptions): Autosaver {
  const pending = new Map<string, Job>();
  const maxDelayMs = o.maxDelayMs ?? Math.max(1000, 10 * o.debounceMs);
  let ticket = 0;
  let timer: NodeJS.Timeout | null = null;
  let firstQueuedAt: number | null = null;
  let failures = 0;
  let chain: Promise<boolean> = Promise.resolve(true);
  let disposed = false;

  const clearTimer = (): void => {
    if (timer) clearTimeout(timer);
    timer = null;
  };

  const arm = (delayMs: number): void => {
    clearTimer();
    timer = setTimeout(() => void runDrain(), delayMs);
  };

  async function drain(): Promise<boolean> {
    firstQueuedAt = null;
    const failed: Job[] = [];
    while (pending.size > 0) {
      const job = pending.values().next().value as Job;
      pending.delete(job.key);
      try {
        await job.write();
        failures = 0;
        safeCall(() => o.onSaved?.(job.key, job.ticket));
      } catch (e) {
        failed.push(job);
        safeCall(() => o.onError(toAppError(e), job.key));
      }
    }
    for (const job of failed) if (!pending.has(job.key)) pending.set(job.key, job);
    if (failed.length > 0 && !disposed) {
      failures++;
      arm(Math.min(MAX_RETRY_MS, Math.max(o.debounceMs, 500) * 2 ** (failures - 1)));
    }
    return failed.length === 0;
  }

  function runDrain(): Promise<boolean> {
    clearTimer();
    chain = chain.then(drain, drain);
    return chain;
  }

  function enqueue(key: string, write: () => Promise<void>): number {
    ticket++;
    if (disposed) {
      safeCall(() => o.onError(toAppError(new Error('autosave used after dispose()')), key));
      return ticket;
    }
    pending.set(key, { key, ticket, write }); // keeps the key's place in the queue
    const now = Date.now();
    firstQueuedAt ??= now;
    arm(Math.max(0, Math.min(o.debounceMs, firstQueuedAt + maxDelayMs - now)));
    return ticket;
  }

  return {
    saveRois: (imageId, rois) => enqueue(`rois:${imageId}`, () => store.saveRois(imageId, rois)),
    saveResult: (imageId, recipeId, result) =>
      enqueue(`result:${imageId}:${recipeId}`, () => store.saveResult(imageId, recipeId, result)),
    saveProject: () => enqueue('project', () => store.save()),
    flush: () => runDrain(),
    get pending() {
      return pending.size;
    },
    async dispose() {
      const ok = await runDrain();
      disposed = true;
      clearTimer();
      return ok;
    },
  };
}
