/**
 * Where the analysis time goes, without instrumenting the pipeline: one `analyzeImage` run under
 * V8's sampling CPU profiler (node:inspector), summarised as inclusive time per function called
 * directly by `analyzeImage` (its stages, whatever they are named today) and the hottest
 * functions by self time. Sampling: figures are ±1–2 % of the total.
 */
import { Session } from 'node:inspector/promises';
import path from 'node:path';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples?: number[];
}

export interface TimeShare {
  readonly name: string;
  readonly ms: number;
  readonly pct: number;
}

export interface AnalyzeProfile {
  /** Wall time of the profiled call. */
  readonly wallMs: number;
  /** Inclusive time of each direct callee of `root`, largest first (inlined callees count as the caller). */
  readonly stages: readonly TimeShare[];
  /** Self time of the hottest functions anywhere under `root`, largest first. */
  readonly hottest: readonly TimeShare[];
  /** Garbage collection during the call (attributed by V8 outside the JS stack). */
  readonly gcMs: number;
}

function label(n: ProfileNode): string {
  const f = n.callFrame;
  const file = f.url ? path.basename(f.url.replace(/^file:\/\//, '')) : '';
  return `${f.functionName || '(anonymous)'}${file ? ` ${file}:${f.lineNumber + 1}` : ''}`;
}

/** Runs `fn` (synchronous) under the profiler and summarises the samples under `rootName`. */
export async function profileCall(fn: () => void, rootName = 'analyzeImage', topN = 8): Promise<AnalyzeProfile> {
  const session = new Session();
  session.connect();
  let profile: CpuProfile;
  let wallMs: number;
  try {
    await session.post('Profiler.enable');
    await session.post('Profiler.setSamplingInterval', { interval: 500 }); // µs
    await session.post('Profiler.start');
    const t0 = performance.now();
    fn();
    wallMs = performance.now() - t0;
    profile = (await session.post('Profiler.stop')).profile as CpuProfile;
    await session.post('Profiler.disable');
  } finally {
    session.disconnect();
  }

  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const totalHits = profile.nodes.reduce((s, n) => s + (n.hitCount ?? 0), 0);
  const msPerHit = totalHits > 0 ? (profile.endTime - profile.startTime) / 1000 / totalHits : 0;
  const inclusive = new Map<number, number>();
  const inclusiveHits = (id: number): number => {
    const cached = inclusive.get(id);
    if (cached !== undefined) return cached;
    const n = byId.get(id)!;
    const h = (n.hitCount ?? 0) + (n.children ?? []).reduce((s, c) => s + inclusiveHits(c), 0);
    inclusive.set(id, h);
    return h;
  };

  const roots = profile.nodes.filter((n) => n.callFrame.functionName === rootName);
  const rootHits = roots.reduce((s, r) => s + inclusiveHits(r.id), 0);
  const stageHits = new Map<string, number>();
  const selfHits = new Map<string, number>();
  const add = (m: Map<string, number>, k: string, v: number) => m.set(k, (m.get(k) ?? 0) + v);
  const walk = (id: number): void => {
    const n = byId.get(id)!;
    if (n.hitCount) add(selfHits, label(n), n.hitCount);
    for (const c of n.children ?? []) walk(c);
  };
  for (const r of roots) {
    if (r.hitCount) add(stageHits, `${rootName} (own code, inlined steps)`, r.hitCount);
    for (const c of r.children ?? []) add(stageHits, byId.get(c)!.callFrame.functionName || '(anonymous)', inclusiveHits(c));
    walk(r.id);
  }
  const gcHits = profile.nodes.filter((n) => n.callFrame.functionName === '(garbage collector)').reduce((s, n) => s + (n.hitCount ?? 0), 0);
  const shares = (m: Map<string, number>, limit: number): TimeShare[] =>
    [...m.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, limit)
      .map(([name, hits]) => ({ name, ms: hits * msPerHit, pct: rootHits > 0 ? (100 * hits) / rootHits : 0 }));
  return { wallMs, stages: shares(stageHits, 20), hottest: shares(selfHits, topN), gcMs: gcHits * msPerHit };
}
