/**
 * Entry of the analysis utility process (STYLE §7), forked by electron/main/utility-host.ts. It owns
 * the worker-thread pool, so a crash in image work ends this process, never the window.
 */
import { createWorkerHost } from '../../src/app/analysis-host.js';
import { parseWorkersArg } from '../common/utility-protocol.js';
import { serveAnalysis } from './serve.js';

serveAnalysis(process.parentPort, createWorkerHost(parseWorkersArg(process.argv)));
