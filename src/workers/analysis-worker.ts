/**
 * Worker-thread entry: runs analysis jobs sent by the pool. The pool runs one worker per core, so
 * each worker's libvips keeps to one thread (`workerData.vipsThreads`, default 1): otherwise two
 * workers each decoding on several threads oversubscribe the cores and both slow down.
 */
import { workerData } from 'node:worker_threads';
import sharp from 'sharp';
import { runAnalysisJob, type AnalysisJob, type AnalysisJobResult } from './analysis-job.js';
import { serveWorker } from './worker-runtime.js';

const vipsThreads = (workerData as { vipsThreads?: number } | null)?.vipsThreads ?? Number(process.env.CALCIQUANT_VIPS_THREADS ?? 1);
if (vipsThreads > 0) sharp.concurrency(vipsThreads);

serveWorker<AnalysisJob, AnalysisJobResult, null>(
  () => null,
  async (job) => ({ value: await runAnalysisJob(job) }),
);
