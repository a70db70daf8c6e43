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
 *
 * One worker slot's lifecycle (start, message routing, posting a task, stop) is in
 * `pool-worker.ts`; this module queues tasks, dispatches them to slots and replaces lost workers.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { WorkerOptions } from 'node:worker_threads';
import { AppError, BugError } from '../common/errors.js';
import {
  DEFAULT_INIT_TIMEOUT_MS,
  DEFAULT_MAX_STARTUP_FAILURES,
  defaultPoolSize,
  type RunOptions,
  type WorkerPoolOptions,
} from './pool-options.js';
import {
  cannotStartError,
  lostTaskError,
  postTask,
  startSlot,
  stopSlot,
  type Loss,
  type Outcome,
  type Slot,
  type SlotEvents,
  type Task,
} from './pool-worker.js';
import { WORKER_MESSAGES } from './protocol.js';
import { missingWorkerModule } from './worker-path.js';

export {
  DEFAULT_INIT_TIMEOUT_MS,
  DEFAULT_MAX_STARTUP_FAILURES,
  defaultPoolSize,
  type RunOptions,
  type WorkerPoolOptions,
} from './pool-options.js';
export { resolveCompiledPath } from './worker-path.js';

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

  function settle(task: Task<Req, Res>, outcome: Outcome<Res>): void {
    if (task.settled) return;
    task.settled = true;
    task.slot = null;
    task.detachAbort();
    if (outcome.ok) task.resolve(outcome.value);
    else task.reject(outcome.error);
  }

  const events: SlotEvents<Req, Res> = {
    ready: () => pump(),
    lost: (slot, loss) => lose(slot, loss),
    result(slot, task, outcome) {
      startupFailures = 0;
      settle(task, outcome);
      // A heap that once ran out may stay fragmented (OpenCV-WASM does): start afresh.
      if (!outcome.ok && outcome.error.code === 'WORKER_OUT_OF_MEMORY') retire(slot);
      pump();
    },
    messageError(slot, err) {
      const task = slot.task;
      if (task) {
        settle(task, {
          ok: false,
          error: new AppError('INTERNAL', WORKER_MESSAGES.resultNotSendable, { detail: String(err) }),
        });
      }
      retire(slot);
      pump();
    },
  };

  function spawn(): void {
    const workerOptions: WorkerOptions = {
      workerData: opts.workerData,
      resourceLimits: opts.resourceLimits,
      env: opts.env,
    };
    slots.add(startSlot(opts.workerPath, workerOptions, initTimeoutMs, events));
  }

  /** Removes a slot for good and terminates its thread (harmless when it is already gone). */
  function kill(slot: Slot<Req, Res>): void {
    if (slot.state === 'dead') return;
    slots.delete(slot);
    void stopSlot(slot);
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
      settle(task, { ok: false, error: lostTaskError(loss) });
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

  function pump(): void {
    if (destroyed) return;
    for (const slot of slots) {
      if (queue.length === 0) break;
      if (slot.state === 'idle') {
        const task = queue.shift()!;
        const error = postTask(slot, task);
        if (error) settle(task, { ok: false, error });
      }
    }
    if (!tripped) {
      let starting = 0;
      for (const s of slots) if (s.state === 'starting') starting++;
      while (slots.size < size && queue.length > starting && canStart()) {
        spawn();
        starting++;
      }
    } else if (slots.size === 0 && queue.length > 0) {
      const error = cannotStartError(startupFailures, lastLoss);
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
          slots.delete(s);
          ending.push(stopSlot(s));
        }
        await Promise.all(ending);
      })();
      return destroyed;
    },
  };
}
