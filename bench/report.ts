/** The bench's printed tables, target verdicts and the closing `BENCH_JSON {…}` line. */
import type { ContentionResult } from './contention.js';
import type { MachineInfo } from './measure.js';
import { fmt, median, round, table, verdict } from './measure.js';
import type { CompareResult } from './opencv-compare.js';
import type { AnalyzeProfile } from './profile.js';

export type Peak = { sampledMb: number; kernelMb: number | null };

export interface SizeRow {
  size: string;
  stain: string;
  width: number;
  height: number;
  fileMb: number;
  runs: number;
  /** End to end (`runAnalysisJob`), each timed run. */
  e2eMs: number[];
  /** sharp decode to raw RGB alone, each timed run. */
  decodeMs: number[];
  /** Medians of the job's stages timed one by one. */
  stages: { decodeMs: number; hashMs: number; analyzeMs: number } | null;
  mineralPct: number | null;
  referenceAreaPct: number | null;
  depositCount: number | null;
  /** Process peak RSS during the end-to-end runs. */
  peakRss: Peak | null;
  /** Cores kept busy by other processes during the e2e runs. */
  otherCores: number | null;
  /** One analyzeImage run under the CPU profiler (some sizes only). */
  profile: AnalyzeProfile | null;
  /** The analysis alone vs beside a second analysis on the other core (12 MP Alizarin only). */
  contention: ContentionResult | null;
  error: string | null;
}

export interface WorkerRun {
  wallMs: number;
  imagesPerS: number;
  /** Pool start-up plus one small image per worker. */
  warmMs: number;
  /** Process RSS before the pool was created. */
  baseRssMb: number;
  peakRss: Peak;
  /** Cores used by this process (all threads) and by other processes during the batch. */
  ownCores: number;
  otherCores: number | null;
  error: string | null;
}

export interface ThroughputRow {
  size: string;
  images: number;
  /** The best round per worker count. */
  byWorkers: Partial<Record<number, WorkerRun>>;
  /** Images/s of every round, per worker count. */
  roundsImagesPerS: Partial<Record<number, number[]>>;
}

export interface Report {
  appVersion: string;
  quick: boolean;
  machine: MachineInfo;
  reference: string;
  /** 1 MP analyses in the bench thread, and jobs per worker, before anything is timed (JIT warm-up). */
  warmRunsInThread: number;
  /** Untimed runs before each size's timed runs, as "1 MP 3, 12 MP 3, …". */
  warmupRunsPerSize: string;
  warmJobsPerWorker: number;
  inputs: { dir: string; procedural: boolean; sources: Readonly<Record<string, string>> };
  sizes: SizeRow[];
  throughput: ThroughputRow[];
  opencv: CompareResult | { error: string } | null;
  opencvPeakRss: Peak;
  totalS: number;
  /** Cores kept busy by other processes over the whole bench. */
  otherCores: number | null;
}

const E2E_TARGET = 4; // 12 MP end to end ≤ 4× decode-only
const SCALING_TARGET = 1.7; // 2 workers ≥ 1.7× one worker

const ratio = (a: number | null | undefined, b: number | null | undefined): number | null =>
  a === null || a === undefined || b === null || b === undefined || !(b > 0) ? null : a / b;

const cpuText = (w: WorkerRun | undefined): string => (w ? `${fmt(w.ownCores, 1)} / ${fmt(w.otherCores, 1)}` : '–');

const peakText = (p: Peak | null | undefined): string =>
  p ? `${fmt(p.sampledMb)}${p.kernelMb === null ? '' : ` / ${fmt(p.kernelMb)}`}` : '–';

export function printReport(r: Report, log: (line?: string) => void): void {
  // 1. One thread, per size × stain
  log(`End to end in this thread (runAnalysisJob: decode + sha256 + analysis; reference '${r.reference}'), median after ${r.warmupRunsPerSize} warm-up runs per size (and ${r.warmRunsInThread}× the 1 MP images at start)`);
  const rows = r.sizes.map((s) => {
    const e2e = median(s.e2eMs), dec = median(s.decodeMs), st = s.stages;
    return [
      `${s.size} ${s.stain}`, `${s.width}×${s.height}`, fmt(s.fileMb, 1), String(s.runs), fmt(e2e), fmt(dec),
      `${fmt(ratio(e2e, dec), 1)}×`, st ? fmt(st.decodeMs) : '–', st ? fmt(st.hashMs) : '–', st ? fmt(st.analyzeMs) : '–',
      st ? `${fmt((100 * st.analyzeMs) / (st.decodeMs + st.hashMs + st.analyzeMs))} %` : '–',
      fmt(s.mineralPct, 1), fmt(s.referenceAreaPct, 0), peakText(s.peakRss), fmt(s.otherCores, 1),
    ];
  });
  log(table(['image', 'pixels', 'MB', 'N', 'e2e ms', 'decode ms', 'e2e/dec', 'decodeImage', 'sha256', 'analyze',
    'analyze share', 'mineral %', 'ref % img', 'peak RSS MB', 'others'], rows));
  for (const s of r.sizes) if (s.error) log(`  ERROR ${s.size} ${s.stain}: ${s.error}`);
  log('  decode ms = sharp alone to raw RGB; decodeImage/sha256/analyze = the job\'s stages timed one by one (in the job,');
  log('  decode and hash overlap). Peak RSS = whole process (sampled every 20 ms / kernel VmHWM), during the e2e runs.');
  log('  others = cores kept busy by other processes meanwhile (shared machine).');
  log();

  for (const s of r.sizes.filter((x) => x.profile)) {
    const p = s.profile!;
    log(`Where analyzeImage spends its time — ${s.size} ${s.stain}, one run under the V8 CPU profiler ` +
      `(${fmt(p.wallMs)} ms, GC ${fmt(p.gcMs)} ms)`);
    const stages = p.stages.filter((x) => x.pct >= 0.5);
    const hot = p.hottest.filter((x) => x.pct >= 1);
    const n = Math.max(stages.length, hot.length);
    log(table(['stage (direct callee of analyzeImage)', 'ms', '%', 'hottest functions (self time)', 'ms', '%'],
      Array.from({ length: n }, (_, i) => {
        const a = stages[i], b = hot[i];
        return [a?.name ?? '', a ? fmt(a.ms) : '', a ? fmt(a.pct) : '', b?.name ?? '', b ? fmt(b.ms) : '', b ? fmt(b.pct) : ''];
      }), 'lrrlrr'));
    log();
  }

  // 2. Worker throughput
  const rounds = Math.max(...r.throughput.flatMap((t) => Object.values(t.roundsImagesPerS).map((x) => x?.length ?? 0)), 1);
  log(`Throughput through createWorkerHost(n): all jobs at once, both stains alternating, after ${r.warmJobsPerWorker} warm-up jobs (1 MP) per worker;` +
    (rounds > 1 ? ` best of ${rounds} rounds (1w, 2w, 1w, 2w…)` : ' one round'));
  const tRows = r.throughput.map((t) => {
    const w1 = t.byWorkers[1], w2 = t.byWorkers[2];
    return [
      `${t.images} × ${t.size}`, w1 ? fmt(w1.wallMs / 1000, 2) : '–', w1 ? fmt(w1.imagesPerS, 2) : '–',
      w2 ? fmt(w2.wallMs / 1000, 2) : '–', w2 ? fmt(w2.imagesPerS, 2) : '–', `${fmt(ratio(w2?.imagesPerS, w1?.imagesPerS), 2)}×`,
      peakText(w1?.peakRss), peakText(w2?.peakRss), cpuText(w1), cpuText(w2),
    ];
  });
  log(table(['batch', '1 worker s', 'img/s', '2 workers s', 'img/s', '2w/1w', 'peak RSS MB 1w', 'peak RSS MB 2w',
    'cores 1w', 'cores 2w'], tRows));
  const anyRun = r.throughput[0]?.byWorkers;
  for (const n of [1, 2]) {
    const w = anyRun?.[n];
    if (w) log(`  ${n} worker(s): start-up + warm-up ${fmt(w.warmMs)} ms; process RSS before the pool ${fmt(w.baseRssMb)} MB`);
  }
  // cold start: the warm-up jobs themselves, workers starting and compiling (a short batch)
  const cold = (n: number) => {
    const w = anyRun?.[n];
    return w ? (n * r.warmJobsPerWorker * 1000) / w.warmMs : undefined;
  };
  const c1 = cold(1), c2 = cold(2);
  if (c1 && c2) {
    log(`  Cold start (the warm-up itself: ${r.warmJobsPerWorker} × 1 MP per worker, incl. worker start-up and JIT compilation): ` +
      `${fmt(c1, 2)} img/s with 1 worker, ${fmt(c2, 2)} with 2 → ${fmt(c2 / c1, 2)}×`);
  }
  const cont = r.sizes.find((x) => x.contention)?.contention;
  if (cont) {
    log(`  Contention: the 12 MP Alizarin analysis takes ${fmt(cont.aloneMs)} ms alone and ${fmt(cont.busyMs)} ms while another thread ` +
      `analyses the same image, as a second worker would (${cont.slowdown >= 0 ? '+' : ''}${fmt(100 * cont.slowdown)} %): on this machine, at this time, 2 workers can ` +
      `reach about ${fmt(2 / (1 + Math.max(0, cont.slowdown)), 2)}× one worker at best.`);
  }
  for (const t of r.throughput) {
    const w1s = t.roundsImagesPerS[1] ?? [], w2s = t.roundsImagesPerS[2] ?? [];
    if (w1s.length > 1) {
      const pairs = w1s.map((a, i) => ratio(w2s[i], a)).filter((x): x is number => x !== null);
      log(`  ${t.size} by round (img/s 1w → 2w): ${w1s.map((a, i) => `${fmt(a, 1)} → ${fmt(w2s[i], 1)}`).join(', ')}; ` +
        `2w/1w within each round ${pairs.map((x) => fmt(x, 2)).join(', ')}`);
    }
  }
  for (const t of r.throughput) {
    for (const [n, w] of Object.entries(t.byWorkers)) if (w?.error) log(`  ERROR ${t.size}, ${n} worker(s): ${w.error}`);
  }
  log('  Peak RSS is the whole process (workers are threads of it); the pool does not report per-worker memory.');
  log('  cores = this process / other processes, average busy cores during the batch (of the round shown).');
  for (const t of r.throughput) {
    const o1 = t.byWorkers[1]?.otherCores ?? 0, o2 = t.byWorkers[2]?.otherCores ?? 0;
    if (Math.max(o1, o2) > 0.3) {
      const effect = o1 > o2 ? 'flatters' : 'understates';
      log(`  CAUTION ${t.size}: other processes kept ${fmt(o1, 1)} (1 w) / ${fmt(o2, 1)} (2 w) cores busy: the 2w/1w ratio ` +
        `probably ${effect} the scaling; re-run on an idle machine.`);
    }
  }
  log();

  // 3. OpenCV vs JS
  const cv = r.opencv;
  if (cv && 'cases' in cv) {
    log(`OpenCV-WASM vs plain JS on ${cv.width}×${cv.height} (mask: 12 MP Alizarin mineral mask + specks, ` +
      `${fmt(cv.maskCoveragePct, 1)} % set), median of 5`);
    log(`  OpenCV-WASM load + init: ${fmt(cv.initMs)} ms (once per worker)`);
    log(table(['operation', 'JS ms', 'cv ms (+copies)', 'cv ms (call only)', 'faster', 'agreement'], cv.cases.map((c) => {
      // what the pipeline would pay: its buffers live in JS, so OpenCV's copies count
      const faster = c.jsMs <= c.cvMs ? `JS ${fmt(c.cvMs / c.jsMs, 1)}×` : `cv ${fmt(c.jsMs / c.cvMs, 1)}×`;
      return [c.name, fmt(c.jsMs), fmt(c.cvMs), fmt(c.cvOpMs), faster, c.agreement];
    }), 'lrrrrl'));
    log(`  peak RSS during the comparison ${peakText(r.opencvPeakRss)} MB`);
  } else if (cv) log(`OpenCV-WASM comparison failed: ${cv.error}`);
  else log('OpenCV-WASM comparison skipped (no 12 MP Alizarin analysis to take a mask from).');
  log();

  // 4. Targets
  log('Targets');
  const targets: { name: string; value: number | null; target: string; met: boolean | null }[] = [];
  for (const s of r.sizes.filter((x) => x.size === '12 MP')) {
    const v = ratio(median(s.e2eMs), median(s.decodeMs));
    const met = v === null ? null : v <= E2E_TARGET;
    targets.push({ name: `12 MP ${s.stain}: end to end / decode-only`, value: v, target: `≤ ${E2E_TARGET}×`, met });
  }
  for (const t of r.throughput) {
    const v = ratio(t.byWorkers[2]?.imagesPerS, t.byWorkers[1]?.imagesPerS);
    const met = v === null ? null : v >= SCALING_TARGET;
    targets.push({ name: `${t.size}: 2 workers / 1 worker throughput`, value: v, target: `≥ ${SCALING_TARGET}×`, met });
  }
  for (const t of targets) {
    log(`  ${t.name.padEnd(44)} ${fmt(t.value, 2).padStart(6)}×  target ${t.target}  ${t.met === null ? 'n/a' : verdict(t.met)}`);
  }
  log(`  (total bench time ${fmt(r.totalS, 0)} s; other processes kept ${fmt(r.otherCores, 2)} cores busy on average)`);
  log();

  log(`BENCH_JSON ${JSON.stringify(toJson(r, targets))}`);
}

function toJson(r: Report, targets: readonly { value: number | null }[]): unknown {
  const ms = (xs: number[]) => xs.map((x) => round(x));
  return {
    appVersion: r.appVersion, quick: r.quick, machine: r.machine, reference: r.reference, inputs: r.inputs,
    sizes: r.sizes.map((s) => ({
      size: s.size, stain: s.stain, width: s.width, height: s.height, fileMb: round(s.fileMb, 2), runs: s.runs,
      e2eMs: round(median(s.e2eMs)), decodeMs: round(median(s.decodeMs)),
      e2eOverDecode: round(ratio(median(s.e2eMs), median(s.decodeMs)), 2),
      e2eRunsMs: ms(s.e2eMs), decodeRunsMs: ms(s.decodeMs),
      stagesMs: s.stages && { decode: round(s.stages.decodeMs), hash: round(s.stages.hashMs), analyze: round(s.stages.analyzeMs) },
      mineralPct: round(s.mineralPct, 2), referenceAreaPct: round(s.referenceAreaPct, 1), depositCount: s.depositCount,
      peakRssMb: s.peakRss && { sampled: round(s.peakRss.sampledMb, 0), kernel: round(s.peakRss.kernelMb, 0) },
      otherCores: round(s.otherCores, 2),
      contention: s.contention && { aloneMs: round(s.contention.aloneMs), busyMs: round(s.contention.busyMs), slowdown: round(s.contention.slowdown, 3) },
      profile: s.profile && {
        wallMs: round(s.profile.wallMs), gcMs: round(s.profile.gcMs),
        stages: s.profile.stages.map((x) => ({ name: x.name, ms: round(x.ms), pct: round(x.pct) })),
        hottest: s.profile.hottest.map((x) => ({ name: x.name, ms: round(x.ms), pct: round(x.pct) })),
      },
      error: s.error,
    })),
    throughput: r.throughput.map((t) => ({
      size: t.size, images: t.images,
      workers: Object.fromEntries(Object.entries(t.byWorkers).map(([n, w]) => [n, w && {
        wallMs: round(w.wallMs), imagesPerS: round(w.imagesPerS, 3), warmMs: round(w.warmMs), baseRssMb: round(w.baseRssMb, 0),
        peakRssMb: { sampled: round(w.peakRss.sampledMb, 0), kernel: round(w.peakRss.kernelMb, 0) },
        ownCores: round(w.ownCores, 2), otherCores: round(w.otherCores, 2), error: w.error,
      }])),
      roundsImagesPerS: Object.fromEntries(Object.entries(t.roundsImagesPerS).map(([n, xs]) => [n, (xs ?? []).map((x) => round(x, 3))])),
      twoOverOne: round(ratio(t.byWorkers[2]?.imagesPerS, t.byWorkers[1]?.imagesPerS), 2),
    })),
    opencv: r.opencv && ('cases' in r.opencv
      ? { initMs: round(r.opencv.initMs), maskCoveragePct: round(r.opencv.maskCoveragePct, 2),
          cases: r.opencv.cases.map((c) => ({
            name: c.name, jsMs: round(c.jsMs), cvMs: round(c.cvMs), cvCallMs: round(c.cvOpMs), agreement: c.agreement,
          })) }
      : r.opencv),
    opencvPeakRssMb: { sampled: round(r.opencvPeakRss.sampledMb, 0), kernel: round(r.opencvPeakRss.kernelMb, 0) },
    targets: targets.map((t) => ({ ...t, value: round(t.value, 2) })),
    totalS: round(r.totalS), otherCores: round(r.otherCores, 2),
  };
}
