/** Worker-thread entry: runs analysis jobs sent by the pool. */
import { runAnalysisJob, type AnalysisJob, type AnalysisJobResult } from './analysis-job.js';
import { serveWorker } from './worker-runtime.js';

serveWorker<AnalysisJob, AnalysisJobResult, null>(
  () => null,
  async (job) => ({ value: await runAnalysisJob(job) }),
);
