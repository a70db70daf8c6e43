/**
 * Messages between the worker pool (host, `pool.ts`) and a worker thread (`worker-runtime.ts`).
 *
 * Every message is a discriminated union on `kind`; every message about a task carries the `seq`
 * the host gave it, so a late message from a task that was already settled is recognised and dropped.
 * Errors cross the thread boundary as plain `ErrorInfo` objects (`{ code, userMessage }`), never as
 * class instances: identify them by `code`.
 */
import type { Transferable as NodeTransferable } from 'node:worker_threads';
import type { ErrorInfo } from '../common/errors.js';

/** Anything that can go in a transfer list (ArrayBuffer, MessagePort, …). */
export type Transferable = NodeTransferable;

/** Host → worker: run one request. The host sends the next one only after the result. */
export interface RunMessage<Req> {
  readonly kind: 'run';
  readonly seq: number;
  readonly req: Req;
}
export type HostToWorker<Req> = RunMessage<Req>;

/** Worker → host: initialisation finished, the worker accepts requests. */
export interface ReadyMessage {
  readonly kind: 'ready';
}
/**
 * Worker → host: initialisation threw. The host terminates the worker and counts a start-up
 * failure (a worker that exits before 'ready' counts the same).
 */
export interface InitFailedMessage {
  readonly kind: 'init-failed';
  readonly error: ErrorInfo;
  /** The thrown error's message (for the log, not for users). */
  readonly detail: string;
}
export type ResultMessage<Res> =
  | { readonly kind: 'result'; readonly seq: number; readonly ok: true; readonly value: Res }
  | { readonly kind: 'result'; readonly seq: number; readonly ok: false; readonly error: ErrorInfo };
export interface LogMessage {
  readonly kind: 'log';
  readonly seq: number;
  readonly message: string;
}
export interface ProgressMessage {
  readonly kind: 'progress';
  readonly seq: number;
  /** 0–1. */
  readonly fraction: number;
}
export type WorkerToHost<Res> = ReadyMessage | InitFailedMessage | ResultMessage<Res> | LogMessage | ProgressMessage;

/** Type guard for what arrives on the host side (the worker is ours, but never trust a cast). */
export function isWorkerToHost(m: unknown): m is WorkerToHost<unknown> {
  if (typeof m !== 'object' || m === null) return false;
  const k = (m as { kind?: unknown }).kind;
  if (k === 'ready') return true;
  if (k === 'init-failed') return typeof (m as { error?: unknown }).error === 'object';
  if (k !== 'result' && k !== 'log' && k !== 'progress') return false;
  return typeof (m as { seq?: unknown }).seq === 'number';
}

export function isRunMessage(m: unknown): m is RunMessage<unknown> {
  return (
    typeof m === 'object' &&
    m !== null &&
    (m as { kind?: unknown }).kind === 'run' &&
    typeof (m as { seq?: unknown }).seq === 'number'
  );
}

/** User messages shared by the runtime and the pool. The caller prefixes the image name. */
export const WORKER_MESSAGES = {
  outOfMemory:
    'The analysis of this image ran out of memory. Try a smaller image, analyse it in tiles or ' +
    'restrict it to a region, or close other programs and try again.',
  crashed:
    'The analysis stopped unexpectedly (its worker crashed). Try again; if it happens again with ' +
    'the same image, please report it with the image.',
  cancelled: 'The analysis was cancelled.',
  poolClosed: 'The analysis was stopped because the analysis engine was shut down.',
  cannotStart: (attempts: number) =>
    `The analysis engine could not start (${attempts} attempts failed). Restart the app; if this ` +
    'keeps happening, reinstall it or report the problem.',
  resultNotSendable:
    'The analysis finished but its result could not be passed back. Please report this with the image.',
} as const;
