/**
 * The inside of a pool worker. A worker module is one call:
 *
 * ```ts
 * // src/workers/analysis-worker.ts (compiled to dist/src/workers/analysis-worker.js)
 * serveWorker(async () => ({ cv: await loadOpenCv() }), async (req: Job, ctx, io) => {
 *   io.progress(0.5);
 *   const mask = segment(req, ctx.cv);
 *   return { value: mask, transfer: [mask.data.buffer] };   // transferred, not copied
 * });
 * ```
 *
 * `init` runs once (it receives the pool's `workerData`); then 'ready' is posted and requests are
 * handled one at a time, in arrival order. A handler's thrown error becomes
 * `{ ok: false, error: { code, userMessage } }` via `toErrorInfo` (throw `AppError` for expected
 * failures; anything else reports as INTERNAL). A failed request does not end the worker.
 * Memory errors the handler survives (`RangeError: Array buffer allocation failed`, OpenCV's
 * "Insufficient memory") report as WORKER_OUT_OF_MEMORY, and the pool then replaces the worker,
 * because its heap may stay fragmented.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { BugError, isAppErrorLike, toErrorInfo, type ErrorInfo } from '../common/errors.js';
import {
  isRunMessage,
  WORKER_MESSAGES,
  type Transferable,
  type WorkerToHost,
} from './protocol.js';

export interface WorkerIo {
  /** A line for the host's log (not shown to users as is). */
  log(message: string): void;
  /** Progress of the current request, 0–1 (clamped). */
  progress(fraction: number): void;
}

export interface HandlerOutput<Res> {
  readonly value: Res;
  /** Buffers inside `value` to move to the host instead of copying (they are detached here). */
  readonly transfer?: Transferable[];
}

export type WorkerHandler<Req, Res, Ctx> = (req: Req, ctx: Ctx, io: WorkerIo) => Promise<HandlerOutput<Res>>;

/** Errors thrown inside the worker → what crosses to the host. Exported for tests. */
export function workerErrorInfo(e: unknown): ErrorInfo {
  if (!isAppErrorLike(e) && isMemoryError(e)) {
    return { code: 'WORKER_OUT_OF_MEMORY', userMessage: WORKER_MESSAGES.outOfMemory };
  }
  return toErrorInfo(e);
}

function isMemoryError(e: unknown): boolean {
  const message = e instanceof Error ? e.message : typeof e === 'string' ? e : '';
  return (
    (e instanceof RangeError && /allocation failed|out of memory/i.test(message)) ||
    /insufficient memory/i.test(message)
  );
}

function describe(e: unknown): string {
  return e instanceof Error ? (e.stack ?? e.message) : String(e);
}

/**
 * Serves requests from the pool on this worker thread. Call it exactly once, at the top level of
 * the worker module. Throws `BugError` when not running inside a worker thread.
 */
export function serveWorker<Req, Res, Ctx>(
  init: (workerData: unknown) => Promise<Ctx> | Ctx,
  handler: WorkerHandler<Req, Res, Ctx>,
): void {
  const port = parentPort;
  if (port === null) throw new BugError('serveWorker() must run inside a worker thread');
  const post = (m: WorkerToHost<Res>, transfer?: readonly Transferable[]): void => port.postMessage(m, transfer);

  let ctx: Ctx | undefined;
  let ready = false;
  // One request at a time: each run waits for the previous one (the pool sends one anyway).
  let chain: Promise<void> = Promise.resolve();

  const handle = async (seq: number, req: Req): Promise<void> => {
    const io: WorkerIo = {
      log: (message) => post({ kind: 'log', seq, message: String(message) }),
      progress: (fraction) => {
        const f = Number.isFinite(fraction) ? Math.min(1, Math.max(0, fraction)) : 0;
        post({ kind: 'progress', seq, fraction: f });
      },
    };
    let out: HandlerOutput<Res>;
    try {
      out = await handler(req, ctx as Ctx, io);
    } catch (e) {
      post({ kind: 'result', seq, ok: false, error: workerErrorInfo(e) });
      return;
    }
    try {
      post({ kind: 'result', seq, ok: true, value: out.value }, out.transfer ?? []);
    } catch (e) {
      // DataCloneError: a function in the value, a non-transferable or already detached buffer…
      const error = { code: 'INTERNAL', userMessage: WORKER_MESSAGES.resultNotSendable } as const;
      post({ kind: 'result', seq, ok: false, error });
      io.log(`result of request ${seq} could not be posted: ${describe(e)}`);
    }
  };

  port.on('message', (m: unknown) => {
    if (!isRunMessage(m)) return;
    const { seq } = m;
    const req = m.req as Req;
    if (!ready) {
      // The pool never sends before 'ready'; answer rather than hang if something else does.
      post({ kind: 'result', seq, ok: false, error: toErrorInfo(new BugError('request before ready')) });
      return;
    }
    chain = chain.then(() => handle(seq, req));
  });

  void (async () => {
    try {
      ctx = await init(workerData);
    } catch (e) {
      post({ kind: 'init-failed', error: workerErrorInfo(e), detail: describe(e) });
      return;
    }
    ready = true;
    post({ kind: 'ready' });
  })();
}
