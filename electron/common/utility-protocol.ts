/**
 * Messages between electron/main (utility-host.ts) and the analysis utility process
 * (electron/utility/analysis-host.ts). Discriminated on `kind`; job messages carry the `seq` main
 * gave them, so a late reply for a job that was already settled is recognised and dropped.
 * Errors travel as plain ErrorInfo ({ code, userMessage }).
 */
import type { ErrorInfo } from '../../src/common/errors.js';
import type { AnalysisJob, AnalysisJobResult } from '../../src/workers/analysis-job.js';

export type MainToUtility =
  | { readonly kind: 'run'; readonly seq: number; readonly job: AnalysisJob }
  | { readonly kind: 'cancel'; readonly seq: number };

export type UtilityToMain =
  | { readonly kind: 'ready' }
  | { readonly kind: 'result'; readonly seq: number; readonly ok: true; readonly value: AnalysisJobResult }
  | { readonly kind: 'result'; readonly seq: number; readonly ok: false; readonly error: ErrorInfo }
  | { readonly kind: 'log'; readonly message: string };

/** argv flag telling the utility process how many worker threads to start. */
export const WORKERS_FLAG = '--calciquant-workers=';

const isObj = (m: unknown): m is Record<string, unknown> => typeof m === 'object' && m !== null;
const hasSeq = (m: Record<string, unknown>): boolean => Number.isSafeInteger(m.seq);

export function isMainToUtility(m: unknown): m is MainToUtility {
  if (!isObj(m) || !hasSeq(m)) return false;
  return (m.kind === 'run' && isObj(m.job)) || m.kind === 'cancel';
}

export function isUtilityToMain(m: unknown): m is UtilityToMain {
  if (!isObj(m)) return false;
  if (m.kind === 'ready') return true;
  if (m.kind === 'log') return typeof m.message === 'string';
  return m.kind === 'result' && hasSeq(m) && typeof m.ok === 'boolean';
}

/** The worker count from argv (`--calciquant-workers=N`), or undefined for the pool's default. */
export function parseWorkersArg(argv: readonly string[]): number | undefined {
  const arg = argv.find((a) => a.startsWith(WORKERS_FLAG));
  const n = arg ? Number(arg.slice(WORKERS_FLAG.length)) : NaN;
  return Number.isInteger(n) && n >= 1 && n <= 64 ? n : undefined;
}
