/**
 * Where analysis jobs run: a pool of worker threads (default) or inline in this thread (tests,
 * debugging). createCore sees only this interface.
 */
import type { AnalysisJob, AnalysisJobResult } from '../workers/analysis-job.js';
import { runAnalysisJob } from '../workers/analysis-job.js';
import { createWorkerPool, resolveCompiledPath } from '../workers/pool.js';

export interface AnalysisHost {
  readonly size: number;
  run(job: AnalysisJob, signal?: AbortSignal): Promise<AnalysisJobResult>;
  destroy(): Promise<void>;
}

export function createInlineHost(): AnalysisHost {
  return { size: 1, run: (job) => runAnalysisJob(job), destroy: async () => {} };
}

/** Worker threads, `size` of them (default: one per core, at most 4). */
export function createWorkerHost(size?: number): AnalysisHost {
  const pool = createWorkerPool<AnalysisJob, AnalysisJobResult>({
    workerPath: resolveCompiledPath(import.meta.url, '../workers/analysis-worker.js'),
    ...(size ? { size } : {}),
  });
  return {
    size: pool.size,
    run: (job, signal) => pool.run(job, signal ? { signal } : {}),
    destroy: () => pool.destroy(),
  };
}
