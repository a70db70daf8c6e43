/**
 * The analysis service inside the utility process: runs jobs from main on an AnalysisHost (the
 * worker-thread pool) and answers each with a result message. Kept apart from the entry file so
 * tests can drive it with a fake port and host.
 */
import { toErrorInfo } from '../../src/common/errors.js';
import type { AnalysisHost } from '../../src/app/analysis-host.js';
import { isMainToUtility, type MainToUtility, type UtilityToMain } from '../common/utility-protocol.js';

/** What Electron's `process.parentPort` offers (and what tests fake). */
export interface ParentPortLike {
  on(event: 'message', listener: (e: { data: unknown }) => void): unknown;
  postMessage(message: unknown): void;
}

export function serveAnalysis(port: ParentPortLike, host: AnalysisHost): void {
  const running = new Map<number, AbortController>();
  const send = (m: UtilityToMain): void => {
    try {
      port.postMessage(m);
    } catch (e) {
      if (m.kind === 'result') port.postMessage({ kind: 'result', seq: m.seq, ok: false, error: toErrorInfo(e) });
    }
  };

  async function run(m: Extract<MainToUtility, { kind: 'run' }>): Promise<void> {
    const controller = new AbortController();
    running.set(m.seq, controller);
    try {
      const value = await host.run(m.job, controller.signal);
      send({ kind: 'result', seq: m.seq, ok: true, value });
    } catch (e) {
      send({ kind: 'result', seq: m.seq, ok: false, error: toErrorInfo(e) });
    } finally {
      running.delete(m.seq);
    }
  }

  port.on('message', (e) => {
    const m = e.data;
    if (!isMainToUtility(m)) return;
    if (m.kind === 'run') void run(m);
    else running.get(m.seq)?.abort();
  });
  send({ kind: 'ready' });
}
