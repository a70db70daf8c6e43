/**
 * A small generic pool of `worker_threads` for the pixel work (STYLE §7). Used the same way by the
 * Electron utility process, the CLI and the tests:
 *
 * ```ts
 * const pool = createWorkerPool<Job, JobResult>({
 *   workerPath: resolveCompiledPath(import.meta.url, './analysis-worker.js'),
 *   resourceLimits: { maxOldGenerationSizeMb: 2048 },
 * });
 * const res = await pool.run(job, { signal, transfer: [raster.data.buffer], onProgress });
 * await pool.destroy();
 * ```
 *
 * Behaviour:
 * - Size: `availableParallelism()` capped at 4, at least 1 (callers may pass `size`). This departs on
 *   purpose from STYLE's `cores − 1`: on the 2-core machines we run on, the host thread only
 *   decodes and waits, so both cores should analyse (two workers measured 1.96–2.03× one).
 * - Workers start lazily — one per waiting task, up to `size` — and then stay alive (OpenCV's
 *   ~220 ms initialisation is paid once per worker). A worker lost to a crash, running out of
 *   memory or a cancel is replaced at once, so the pool stays warm. Idle workers are `unref`ed: they
 *   do not keep a CLI process alive (still call `destroy()` when done).
 * - Dispatch: one task per worker at a time; FIFO queue; the next task goes to any idle, ready
 *   worker (so the least loaded one).
 * - Transfer: `transfer` buffers go to the worker with the task, not copied. They are detached when
 *   the task is dispatched (at once if a worker is idle, else when it leaves the queue); do not touch
 *   them after `run()`. A worker's result buffers listed in its `transfer` arrive without copying.
 *   If the task fails or is cancelled after dispatch, the input buffers are gone with the worker.
 * - Cancel (`signal`): a queued task is removed and rejects with `AppError('CANCELLED')`; a running
 *   one rejects with CANCELLED at once, its worker is terminated and replaced.
 * - Crashes: a worker that dies during a task (uncaught exception, `process.exit`, V8 heap limit from
 *   `resourceLimits`) fails only that task, with WORKER_CRASHED or WORKER_OUT_OF_MEMORY (the message
 *   does not name the image — the caller adds that), and is replaced; other tasks go on. A task that
 *   fails with WORKER_OUT_OF_MEMORY inside the handler also gets its worker replaced.
 * - Start-up failures (init threw, the module threw while loading, exit before 'ready', no 'ready'
 *   within `initTimeoutMs`, or an idle worker died) are counted; after `maxStartupFailures` in a row
 *   (no task finished in between) the pool stops respawning and, if no worker is left, fails the
 *   waiting tasks with WORKER_CRASHED ("could not start"). The next `run()` gets a fresh set of
 *   attempts, so the count of respawns is bounded by the calls, never endless.
 */
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker, type ResourceLimits, type SHARE_ENV } from 'node:worker_threads';
import { AppError, BugError, type ErrorInfo } from '../common/errors.js';
import { isWorkerToHost, WORKER_MESSAGES, type Transferable, type WorkerToHost } from './protocol.js';

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

export interface WorkerPoolStats {
  /** Tasks running in a worker now. */
  readonly busy: number;
  /** Tasks waiting for a worker. */
  readonly queued: number;
  /** Workers started to replace one lost to a crash, out of memory, cancel or failed start. */
  readonly respawns: number;
}

export interface WorkerPool<Req, Res> {
  /** Runs `req` in a worker. Rejects with an `AppError` (check `code`). */
  run(req: Req, o?: RunOptions): Promise<Res>;
  readonly size: number;
  stats(): WorkerPoolStats;
  /** Terminates the workers; waiting and running tasks reject with CANCELLED. Idempotent. */
  destroy(): Promise<void>;
}

export const DEFAULT_INIT_TIMEOUT_MS = 60_000;
export const DEFAULT_MAX_STARTUP_FAILURES = 3;

/** `availableParallelism()` capped at 4, at least 1 (see the module comment for why not cores − 1). */
export function defaultPoolSize(): number {
  return Math.max(1, Math.min(4, os.availableParallelism()));
}

/**
 * Absolute path of a compiled worker module, `relJs` being relative to the calling module.
 * Under vitest the caller is `<root>/src/**.ts`: the path then points into `<root>/dist/src/**`,
 * where `npm run build:core` puts the JS (worker threads cannot load our `.ts`). Compiled callers
 * resolve next to themselves. Throws when the file does not exist.
 */
export function resolveCompiledPath(importMetaUrl: string, relJs: string): string {
  const caller = fileURLToPath(importMetaUrl);
  let dir = path.dirname(caller);
  if (caller.endsWith('.ts') && !caller.endsWith('.d.ts')) {
    const marker = `${path.sep}src${path.sep}`;
    const at = caller.lastIndexOf(marker);
    if (at >= 0) {
      const root = caller.slice(0, at);
      dir = path.join(root, 'dist', path.relative(root, dir));
    }
  }
  const p = path.resolve(dir, relJs);
  if (!existsSync(p)) throw missingWorkerModule(p);
  return p;
}

function missingWorkerModule(p: string): AppError {
  return new AppError(
    'INTERNAL',
    'A part of the analysis engine is missing. Reinstall the app, or run "npm run build:core" in a ' +
      'development checkout.',
    { detail: `worker module ${p} does not exist (run npm run build:core)` },
  );
}

interface Task<Req, Res> {
  readonly seq: number;
  readonly req: Req;
  readonly opts: RunOptions;
  settled: boolean;
  slot: Slot<Req, Res> | null;
  resolve(v: Res): void;
  reject(e: AppError): void;
  detachAbort(): void;
}

interface Slot<Req, Res> {
  readonly worker: Worker;
  state: 'starting' | 'idle' | 'busy' | 'dead';
  task: Task<Req, Res> | null;
  initTimer: NodeJS.Timeout | null;
}

interface Loss {
  readonly oom: boolean;
  readonly detail: string;
  /** The worker's own error report, when init threw. */
  readonly info?: ErrorInfo;
}

export function createWorkerPool<Req, Res>(opts: WorkerPoolOptions): WorkerPool<Req, Res> {
  const size = opts.size ?? defaultPoolSize();
  if (!Number.isInteger(size) || size < 1) {
    throw new BugError(`worker pool size must be an integer ≥ 1, got ${size}`);
  }
  if (!path.isAbsolute(opts.workerPath)) throw new BugError(`workerPath must be absolute: ${opts.workerPath}`);
  if (!existsSync(opts.workerPath)) throw missingWorkerModule(opts.workerPath);
  const initTimeoutMs = opts.initTimeoutMs ?? DEFAULT_INIT_TIMEOUT_MS;
  const maxStartupFailures = Math.max(1, opts.maxStartupFailures ?? DEFAULT_MAX_STARTUP_FAILURES);

  const slots = new Set<Slot<Req, Res>>();
  const queue: Task<Req, Res>[] = [];
  let nextSeq = 1;
  let respawns = 0;
  let startupFailures = 0;
  let lastLoss: Loss | null = null;
  let tripped = false;
  let destroyed: Promise<void> | null = null;

  const cancelled = (userMessage: string = WORKER_MESSAGES.cancelled): AppError =>
    new AppError('CANCELLED', userMessage);

  type Outcome = { ok: true; value: Res } | { ok: false; error: AppError };
  function settle(task: Task<Req, Res>, outcome: Outcome): void {
    if (task.settled) return;
    task.settled = true;
    task.slot = null;
    task.detachAbort();
    if (outcome.ok) task.resolve(outcome.value);
    else task.reject(outcome.error);
  }

  function safeCall(fn: () => void): void {
    try {
      fn();
    } catch {
      // A throwing onLog/onProgress must not become an uncaught exception in the host.
    }
  }

  function spawn(): void {
    const worker = new Worker(opts.workerPath, {
      workerData: opts.workerData,
      resourceLimits: opts.resourceLimits,
      env: opts.env,
    });
    const slot: Slot<Req, Res> = { worker, state: 'starting', task: null, initTimer: null };
    slot.initTimer = setTimeout(
      () => lose(slot, { oom: false, detail: `worker sent no 'ready' within ${initTimeoutMs} ms` }),
      initTimeoutMs,
    );
    slot.initTimer.unref();
    worker.on('message', (m: unknown) => onMessage(slot, m));
    worker.on('error', (err: Error & { code?: string }) =>
      lose(slot, { oom: err.code === 'ERR_WORKER_OUT_OF_MEMORY', detail: err.stack ?? err.message }),
    );
    worker.on('exit', (code) => lose(slot, { oom: false, detail: `worker exited with code ${code}` }));
    worker.on('messageerror', (err) => {
      const task = slot.task;
      if (task) {
        settle(task, {
          ok: false,
          error: new AppError('INTERNAL', WORKER_MESSAGES.resultNotSendable, { detail: String(err) }),
        });
      }
      retire(slot);
      pump();
    });
    slots.add(slot);
  }

  /** Removes a slot for good and terminates its thread (harmless when it is already gone). */
  function kill(slot: Slot<Req, Res>): void {
    if (slot.state === 'dead') return;
    slot.state = 'dead';
    slot.task = null;
    if (slot.initTimer) clearTimeout(slot.initTimer);
    slot.initTimer = null;
    slots.delete(slot);
    void slot.worker.terminate().catch(() => undefined);
  }

  /** Kills a worker that did nothing wrong at start-up (cancel, out of memory) and replaces it. */
  function retire(slot: Slot<Req, Res>): void {
    if (slot.state === 'dead') return;
    kill(slot);
    if (canStart()) {
      respawns++;
      spawn();
    }
  }

  /**
   * Whether another worker may start now: never after destroy or once given up, and never more
   * start attempts in flight than failures still allowed (so concurrent starts cannot overshoot).
   */
  function canStart(): boolean {
    if (destroyed || tripped) return false;
    let starting = 0;
    for (const s of slots) if (s.state === 'starting') starting++;
    return startupFailures + starting < maxStartupFailures;
  }

  /** A worker died or failed to start on its own. */
  function lose(slot: Slot<Req, Res>, loss: Loss): void {
    if (slot.state === 'dead') return;
    const task = slot.task;
    kill(slot);
    if (destroyed) return;
    if (task) {
      const error = loss.oom
        ? new AppError('WORKER_OUT_OF_MEMORY', WORKER_MESSAGES.outOfMemory, { detail: loss.detail })
        : new AppError('WORKER_CRASHED', WORKER_MESSAGES.crashed, { detail: loss.detail });
      settle(task, { ok: false, error });
    } else {
      // Before 'ready', or idle: nothing to blame but the worker's start-up.
      startupFailures++;
      lastLoss = loss;
      if (startupFailures >= maxStartupFailures) tripped = true;
    }
    if (canStart()) {
      respawns++;
      spawn();
    }
    pump();
  }

  function onMessage(slot: Slot<Req, Res>, m: unknown): void {
    if (slot.state === 'dead' || !isWorkerToHost(m)) return;
    const msg = m as WorkerToHost<Res>;
    switch (msg.kind) {
      case 'ready':
        if (slot.state !== 'starting') return;
        if (slot.initTimer) clearTimeout(slot.initTimer);
        slot.initTimer = null;
        slot.state = 'idle';
        pump();
        return;
      case 'init-failed':
        lose(slot, { oom: msg.error.code === 'WORKER_OUT_OF_MEMORY', detail: msg.detail, info: msg.error });
        return;
      case 'log': {
        const task = slot.task;
        if (task && task.seq === msg.seq && task.opts.onLog) {
          const onLog = task.opts.onLog.bind(task.opts);
          safeCall(() => onLog(msg.message));
        }
        return;
      }
      case 'progress': {
        const task = slot.task;
        if (task && task.seq === msg.seq && task.opts.onProgress) {
          const onProgress = task.opts.onProgress.bind(task.opts);
          safeCall(() => onProgress(msg.fraction));
        }
        return;
      }
      case 'result': {
        const task = slot.task;
        if (!task || task.seq !== msg.seq) return;
        slot.task = null;
        slot.state = 'idle';
        startupFailures = 0;
        if (msg.ok) {
          settle(task, { ok: true, value: msg.value });
        } else {
          settle(task, { ok: false, error: new AppError(msg.error.code, msg.error.userMessage) });
          // A heap that once ran out may stay fragmented (OpenCV-WASM does): start afresh.
          if (msg.error.code === 'WORKER_OUT_OF_MEMORY') retire(slot);
        }
        pump();
        return;
      }
    }
  }

  function dispatch(slot: Slot<Req, Res>, task: Task<Req, Res>): void {
    slot.state = 'busy';
    slot.task = task;
    task.slot = slot;
    try {
      slot.worker.postMessage({ kind: 'run', seq: task.seq, req: task.req }, task.opts.transfer ?? []);
    } catch (e) {
      // DataCloneError: the request holds something that cannot cross threads (a caller bug).
      slot.task = null;
      slot.state = 'idle';
      settle(task, {
        ok: false,
        error: new AppError(
          'INTERNAL',
          'The analysis request could not be sent to the analysis engine. Please report this.',
          { detail: e instanceof Error ? e.message : String(e), cause: e },
        ),
      });
    }
  }

  function pump(): void {
    if (destroyed) return;
    for (const slot of slots) {
      if (queue.length === 0) break;
      if (slot.state === 'idle') dispatch(slot, queue.shift()!);
    }
    if (!tripped) {
      let starting = 0;
      for (const s of slots) if (s.state === 'starting') starting++;
      while (slots.size < size && queue.length > starting && canStart()) {
        spawn();
        starting++;
      }
    } else if (slots.size === 0 && queue.length > 0) {
      const loss = lastLoss;
      const why = loss?.info && loss.info.code !== 'INTERNAL' ? ` ${loss.info.userMessage}` : '';
      const error = new AppError('WORKER_CRASHED', WORKER_MESSAGES.cannotStart(startupFailures) + why, {
        detail: `worker start-up failed ${startupFailures} times in a row; last: ${loss?.detail ?? 'unknown'}`,
      });
      for (const task of queue.splice(0)) settle(task, { ok: false, error });
    }
    // Only workers with work (or work waiting for them) keep the process alive.
    for (const s of slots) {
      if (s.state === 'busy' || (s.state === 'starting' && queue.length > 0)) s.worker.ref();
      else s.worker.unref();
    }
  }

  function cancel(task: Task<Req, Res>): void {
    if (task.settled) return;
    const at = queue.indexOf(task);
    if (at >= 0) queue.splice(at, 1);
    const slot = task.slot;
    settle(task, { ok: false, error: cancelled() });
    if (slot && slot.task === task) retire(slot);
    pump();
  }

  return {
    size,
    run(req: Req, o: RunOptions = {}): Promise<Res> {
      if (destroyed) return Promise.reject(cancelled(WORKER_MESSAGES.poolClosed));
      if (o.signal?.aborted) return Promise.reject(cancelled());
      return new Promise<Res>((resolve, reject) => {
        const signal = o.signal;
        const task: Task<Req, Res> = {
          seq: nextSeq++,
          req,
          opts: o,
          settled: false,
          slot: null,
          resolve,
          reject,
          detachAbort: () => undefined,
        };
        if (signal) {
          const onAbort = (): void => cancel(task);
          signal.addEventListener('abort', onAbort, { once: true });
          task.detachAbort = () => signal.removeEventListener('abort', onAbort);
        }
        if (tripped) {
          // The last tasks were failed for a worker that would not start: try again, boundedly.
          tripped = false;
          startupFailures = 0;
        }
        queue.push(task);
        pump();
      });
    },
    stats(): WorkerPoolStats {
      let busy = 0;
      for (const s of slots) if (s.state === 'busy') busy++;
      return { busy, queued: queue.length, respawns };
    },
    destroy(): Promise<void> {
      if (destroyed) return destroyed;
      const error = cancelled(WORKER_MESSAGES.poolClosed);
      const all = [...slots];
      const ending: Promise<unknown>[] = [];
      destroyed = (async () => {
        for (const task of queue.splice(0)) settle(task, { ok: false, error });
        for (const s of all) {
          if (s.task) settle(s.task, { ok: false, error });
          s.state = 'dead';
          s.task = null;
          if (s.initTimer) clearTimeout(s.initTimer);
          slots.delete(s);
          ending.push(s.worker.terminate().catch(() => undefined));
        }
        await Promise.all(ending);
      })();
      return destroyed;
    },
  };
}
