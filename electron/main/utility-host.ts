/**
 * AnalysisHost for createCore that runs jobs in a `utilityProcess` (electron/utility/analysis-host.ts).
 * - A job is posted with a `seq`; its result message settles it.
 * - AbortSignal: rejects at once with CANCELLED and tells the utility process to cancel the job.
 * - The utility process exiting on its own fails the jobs in flight with WORKER_CRASHED and forks a
 *   new one at once (after 3 exits within 10 s it is forked again only for the next job).
 * - destroy(): in-flight jobs reject with CANCELLED, the process is killed.
 */
import { utilityProcess, type UtilityProcess } from 'electron';
import type { AnalysisHost } from '../../src/app/analysis-host.js';
import { AppError } from '../../src/common/errors.js';
import type { AnalysisJob, AnalysisJobResult } from '../../src/workers/analysis-job.js';
import { WORKER_MESSAGES } from '../../src/workers/protocol.js';
import { isUtilityToMain, WORKERS_FLAG, type MainToUtility, type UtilityToMain } from '../common/utility-protocol.js';

export interface UtilityHostOptions {
  /** Absolute path of dist-electron/analysis-host.js. */
  readonly modulePath: string;
  /** Worker threads in the utility process (also reported as AnalysisHost.size). */
  readonly size: number;
  readonly log?: (message: string) => void;
  readonly now?: () => number;
}

export interface UtilityHost extends AnalysisHost {
  /** Processes forked so far (1 after the first job; +1 per crash). */
  forks(): number;
}

interface InFlight {
  resolve(v: AnalysisJobResult): void;
  reject(e: AppError): void;
  detach(): void;
}

const CRASH_WINDOW_MS = 10_000;
const MAX_EAGER_RESTARTS = 3;

export function createUtilityHost(o: UtilityHostOptions): UtilityHost {
  const log = o.log ?? ((m: string) => console.error(`[analysis] ${m}`));
  const now = o.now ?? Date.now;
  const inFlight = new Map<number, InFlight>();
  let child: UtilityProcess | null = null;
  let nextSeq = 1;
  let forks = 0;
  let destroyed = false;
  let recentExits: number[] = [];

  function spawn(): UtilityProcess {
    const c = utilityProcess.fork(o.modulePath, [WORKERS_FLAG + o.size], {
      serviceName: 'Calciquant analysis',
      stdio: 'inherit',
    });
    forks++;
    c.on('message', (m: unknown) => onMessage(c, m));
    c.on('exit', (code: number) => onExit(c, code));
    child = c;
    return c;
  }

  function settle(seq: number, outcome: { ok: true; value: AnalysisJobResult } | { ok: false; error: AppError }): void {
    const job = inFlight.get(seq);
    if (!job) return;
    inFlight.delete(seq);
    job.detach();
    if (outcome.ok) job.resolve(outcome.value);
    else job.reject(outcome.error);
  }

  function failAll(error: AppError): void {
    for (const seq of [...inFlight.keys()]) settle(seq, { ok: false, error });
  }

  function onMessage(c: UtilityProcess, raw: unknown): void {
    if (c !== child || !isUtilityToMain(raw)) return;
    const m = raw as UtilityToMain;
    if (m.kind === 'log') log(m.message);
    if (m.kind !== 'result') return;
    if (m.ok) settle(m.seq, { ok: true, value: m.value });
    else settle(m.seq, { ok: false, error: new AppError(m.error.code, m.error.userMessage) });
  }

  function onExit(c: UtilityProcess, code: number): void {
    if (c !== child) return;
    child = null;
    if (destroyed) return;
    log(`analysis process exited with code ${code}; ${inFlight.size} job(s) failed`);
    failAll(new AppError('WORKER_CRASHED', WORKER_MESSAGES.crashed, { detail: `utility process exit code ${code}` }));
    const t = now();
    recentExits = [...recentExits.filter((x) => t - x < CRASH_WINDOW_MS), t];
    if (recentExits.length <= MAX_EAGER_RESTARTS) spawn();
  }

  function post(seq: number, m: MainToUtility): void {
    try {
      (child ?? spawn()).postMessage(m);
    } catch (e) {
      settle(seq, { ok: false, error: new AppError('INTERNAL', WORKER_MESSAGES.crashed, { detail: String(e), cause: e }) });
    }
  }

  return {
    size: o.size,
    run(job: AnalysisJob, signal?: AbortSignal): Promise<AnalysisJobResult> {
      if (destroyed) return Promise.reject(new AppError('CANCELLED', WORKER_MESSAGES.poolClosed));
      if (signal?.aborted) return Promise.reject(new AppError('CANCELLED', WORKER_MESSAGES.cancelled));
      const seq = nextSeq++;
      return new Promise<AnalysisJobResult>((resolve, reject) => {
        const onAbort = (): void => {
          settle(seq, { ok: false, error: new AppError('CANCELLED', WORKER_MESSAGES.cancelled) });
          try {
            child?.postMessage({ kind: 'cancel', seq } satisfies MainToUtility);
          } catch {
            /* the process is gone: nothing left to cancel */
          }
        };
        signal?.addEventListener('abort', onAbort, { once: true });
        inFlight.set(seq, { resolve, reject, detach: () => signal?.removeEventListener('abort', onAbort) });
        post(seq, { kind: 'run', seq, job });
      });
    },
    async destroy(): Promise<void> {
      if (destroyed) return;
      destroyed = true;
      failAll(new AppError('CANCELLED', WORKER_MESSAGES.poolClosed));
      const c = child;
      child = null;
      c?.kill();
    },
    forks: () => forks,
  };
}
