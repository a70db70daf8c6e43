/**
 * Options of the worker pool (`createWorkerPool` in `pool.ts`) and of one `run()`, with their
 * defaults.
 */
import os from 'node:os';
import type { ResourceLimits, SHARE_ENV } from 'node:worker_threads';
import type { Transferable } from './protocol.js';

export interface WorkerPoolOptions {
  /** Absolute path of the compiled `.js` worker module (see `resolveCompiledPath`). */
  readonly workerPath: string;
  /** Number of workers; default `max(1, min(4, os.availableParallelism()))`. */
  readonly size?: number;
  /** V8 limits for each worker, e.g. `{ maxOldGenerationSizeMb: 2048 }`. */
  readonly resourceLimits?: ResourceLimits;
  /** Cloned into each worker; `serveWorker`'s `init` receives it. */
  readonly workerData?: unknown;
  /** Environment of each worker (default: a copy of the host's `process.env`). */
  readonly env?: NodeJS.Dict<string> | typeof SHARE_ENV;
  /** A worker that has not posted 'ready' by then is a start-up failure. Default 60 000. */
  readonly initTimeoutMs?: number;
  /** Start-up failures in a row before the pool gives up. Default 3. */
  readonly maxStartupFailures?: number;
}

export interface RunOptions {
  readonly signal?: AbortSignal;
  /** Buffers inside `req` to move to the worker instead of copying. */
  readonly transfer?: Transferable[];
  /** Log lines of this task from the worker. Exceptions thrown here are ignored. */
  onLog?(message: string): void;
  /** Progress 0–1 of this task. Exceptions thrown here are ignored. */
  onProgress?(fraction: number): void;
}

export const DEFAULT_INIT_TIMEOUT_MS = 60_000;
export const DEFAULT_MAX_STARTUP_FAILURES = 3;

/** `availableParallelism()` capped at 4, at least 1 (see `pool.ts` for why not cores − 1). */
export function defaultPoolSize(): number {
  return Math.max(1, Math.min(4, os.availableParallelism()));
}
