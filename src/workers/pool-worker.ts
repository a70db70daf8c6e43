/**
 * One slot of the worker pool: a worker thread and its lifecycle, starting → idle ⇄ busy → dead.
 *
 * A slot starts its thread and arms the 'ready' deadline, routes the worker's messages (log and
 * progress lines straight to the running task's callbacks; 'ready', results and losses to the
 * pool), posts a task to the worker, and stops the thread. Queueing, replacing lost workers,
 * counting start-up failures and settling tasks belong to the pool (`pool.ts`).
 */
import { Worker, type WorkerOptions } from 'node:worker_threads';
import { AppError, type ErrorInfo } from '../common/errors.js';
import type { RunOptions } from './pool-options.js';
import { isWorkerToHost, WORKER_MESSAGES, type WorkerToHost } from './protocol.js';

/** One `run()` call, from queueing until it is settled. */
export interface Task<Req, Res> {
  readonly seq: number;
  readonly req: Req;
  readonly opts: RunOptions;
  settled: boolean;
  slot: Slot<Req, Res> | null;
  resolve(v: Res): void;
  reject(e: AppError): void;
  detachAbort(): void;
}

export interface Slot<Req, Res> {
  readonly worker: Worker;
  state: 'starting' | 'idle' | 'busy' | 'dead';
  task: Task<Req, Res> | null;
  initTimer: NodeJS.Timeout | null;
}

/** Why a worker was lost. */
export interface Loss {
  readonly oom: boolean;
  readonly detail: string;
  /** The worker's own error report, when init threw. */
  readonly info?: ErrorInfo;
}

export type Outcome<Res> = { ok: true; value: Res } | { ok: false; error: AppError };

/** What a slot reports to the pool. */
export interface SlotEvents<Req, Res> {
  /** The worker posted 'ready'; the slot is now idle. */
  ready(slot: Slot<Req, Res>): void;
  /**
   * The worker died (error, exit), its init threw, or it missed the 'ready' deadline. Also called
   * for a slot that is already dead (its thread's 'exit' after a stop): check `slot.state`.
   */
  lost(slot: Slot<Req, Res>, loss: Loss): void;
  /** The worker answered `task`, which has been taken off the slot; the slot is now idle. */
  result(slot: Slot<Req, Res>, task: Task<Req, Res>, outcome: Outcome<Res>): void;
  /** A message from the worker could not be deserialised. */
  messageError(slot: Slot<Req, Res>, err: unknown): void;
}

/** Starts a worker thread in a new 'starting' slot; it becomes idle when the worker posts 'ready'. */
export function startSlot<Req, Res>(
  workerPath: string,
  workerOptions: WorkerOptions,
  initTimeoutMs: number,
  events: SlotEvents<Req, Res>,
): Slot<Req, Res> {
  const worker = new Worker(workerPath, workerOptions);
  const slot: Slot<Req, Res> = { worker, state: 'starting', task: null, initTimer: null };
  slot.initTimer = setTimeout(
    () => events.lost(slot, { oom: false, detail: `worker sent no 'ready' within ${initTimeoutMs} ms` }),
    initTimeoutMs,
  );
  slot.initTimer.unref();
  worker.on('message', (m: unknown) => onMessage(slot, m, events));
  worker.on('error', (err: Error & { code?: string }) =>
    events.lost(slot, { oom: err.code === 'ERR_WORKER_OUT_OF_MEMORY', detail: err.stack ?? err.message }),
  );
  worker.on('exit', (code) => events.lost(slot, { oom: false, detail: `worker exited with code ${code}` }));
  worker.on('messageerror', (err) => events.messageError(slot, err));
  return slot;
}

/** Marks the slot dead, drops its task, disarms the deadline and terminates the thread. */
export function stopSlot<Req, Res>(slot: Slot<Req, Res>): Promise<unknown> {
  slot.state = 'dead';
  slot.task = null;
  if (slot.initTimer) clearTimeout(slot.initTimer);
  slot.initTimer = null;
  return slot.worker.terminate().catch(() => undefined);
}

/**
 * Sends `task` to the idle worker of `slot`, moving its `transfer` buffers. Returns null, or, when
 * the request cannot be sent (DataCloneError: it holds something that cannot cross threads, a
 * caller bug), the error to fail the task with; the slot is then idle again.
 */
export function postTask<Req, Res>(slot: Slot<Req, Res>, task: Task<Req, Res>): AppError | null {
  slot.state = 'busy';
  slot.task = task;
  task.slot = slot;
  try {
    slot.worker.postMessage({ kind: 'run', seq: task.seq, req: task.req }, task.opts.transfer ?? []);
    return null;
  } catch (e) {
    slot.task = null;
    slot.state = 'idle';
    return new AppError(
      'INTERNAL',
      'The analysis request could not be sent to the analysis engine. Please report this.',
      { detail: e instanceof Error ? e.message : String(e), cause: e },
    );
  }
}

/** The error of a task whose worker was lost while running it. */
export function lostTaskError(loss: Loss): AppError {
  return loss.oom
    ? new AppError('WORKER_OUT_OF_MEMORY', WORKER_MESSAGES.outOfMemory, { detail: loss.detail })
    : new AppError('WORKER_CRASHED', WORKER_MESSAGES.crashed, { detail: loss.detail });
}

/** The error of the tasks left waiting when `failures` worker starts in a row failed. */
export function cannotStartError(failures: number, last: Loss | null): AppError {
  const why = last?.info && last.info.code !== 'INTERNAL' ? ` ${last.info.userMessage}` : '';
  return new AppError('WORKER_CRASHED', WORKER_MESSAGES.cannotStart(failures) + why, {
    detail: `worker start-up failed ${failures} times in a row; last: ${last?.detail ?? 'unknown'}`,
  });
}

function onMessage<Req, Res>(slot: Slot<Req, Res>, m: unknown, events: SlotEvents<Req, Res>): void {
  if (slot.state === 'dead' || !isWorkerToHost(m)) return;
  const msg = m as WorkerToHost<Res>;
  switch (msg.kind) {
    case 'ready':
      if (slot.state !== 'starting') return;
      if (slot.initTimer) clearTimeout(slot.initTimer);
      slot.initTimer = null;
      slot.state = 'idle';
      events.ready(slot);
      return;
    case 'init-failed':
      events.lost(slot, { oom: msg.error.code === 'WORKER_OUT_OF_MEMORY', detail: msg.detail, info: msg.error });
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
      events.result(
        slot,
        task,
        msg.ok ? { ok: true, value: msg.value } : { ok: false, error: new AppError(msg.error.code, msg.error.userMessage) },
      );
      return;
    }
  }
}

function safeCall(fn: () => void): void {
  try {
    fn();
  } catch {
    // A throwing onLog/onProgress must not become an uncaught exception in the host.
  }
}
