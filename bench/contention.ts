/**
 * How much this machine slows one thread's work when its other core is busy too (shared caches,
 * memory bandwidth, the host's own scheduling of a VM's cores). The 12 MP analysis is timed alone
 * and while a second thread analyses the same image (contention-worker.ts), alternately; 2 workers
 * can then reach about 2 / (1 + slowdown) of 1 worker at best. Measured, printed, not asserted.
 */
import { Worker } from 'node:worker_threads';
import type { BenchStain } from './inputs.js';
import { median } from './measure.js';

/** The states this module sets for its neighbour thread (contention-worker.ts). */
export const PAUSE = 0, RUN = 1, STOP = 2;

export interface ContentionResult {
  readonly aloneMs: number;
  readonly busyMs: number;
  /** busy / alone − 1. */
  readonly slowdown: number;
}

/**
 * `run` (the analysis of `filePath` with `preset`, in this thread) timed `rounds` times alone and
 * `rounds` times while a second thread analyses the same image, alternately.
 */
export async function measureContention(run: () => void, filePath: string, preset: BenchStain, rounds = 4): Promise<ContentionResult> {
  const state = new Int32Array(new SharedArrayBuffer(4));
  const worker = new Worker(new URL('./contention-worker.js', import.meta.url), { workerData: { filePath, preset, state: state.buffer } });
  const set = (s: number) => {
    Atomics.store(state, 0, s);
    Atomics.notify(state, 0);
  };
  const alone: number[] = [], busy: number[] = [];
  const time = () => {
    const t0 = performance.now();
    run();
    return performance.now() - t0;
  };
  try {
    await new Promise<void>((resolve, reject) => {
      worker.once('message', () => resolve());
      worker.once('error', reject);
    });
    for (let i = 0; i < rounds; i++) {
      alone.push(time());
      set(RUN);
      await new Promise((r) => setTimeout(r, 50)); // the neighbour is into its analysis
      busy.push(time());
      set(PAUSE);
      await new Promise((r) => setTimeout(r, 400)); // its analysis in progress finishes
    }
  } finally {
    set(STOP);
    await worker.terminate();
  }
  const aloneMs = median(alone), busyMs = median(busy);
  return { aloneMs, busyMs, slowdown: busyMs / aloneMs - 1 };
}
