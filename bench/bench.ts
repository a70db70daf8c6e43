/**
 * `npm run bench`: prints how fast Calciquant analyses images on this machine — end to end per
 * image vs. sharp's decode alone, a stage breakdown, worker-pool throughput with 1 and 2 workers,
 * peak memory, and OpenCV-WASM vs plain-JS kernels. It prints figures; it asserts nothing.
 *
 *   node --expose-gc --single-threaded-gc --initial-old-space-size=128 dist/bench/bench.js [--quick] [--data-dir=DIR]
 *     (`npm run bench`: the V8 flags of the CLI and the web host, src/app/gc-flags.ts)
 *     --quick: 1 and 12 MP only, fewer runs; --data-dir: source images (missing → procedural images)
 *
 * The last line is `BENCH_JSON {…}` for machines.
 */
import path from 'node:path';
import sharp from 'sharp';
import { createWorkerHost } from '../src/app/analysis-host.js';
import { gcMode, missingPoolFlags } from '../src/app/gc-flags.js';
import { loadPreset, recipeHash } from '../src/app/recipes.js';
import { APP_VERSION } from '../src/app/version.js';
import type { Recipe } from '../src/common/recipe-schema.js';
import { decodeImage } from '../src/io/decode.js';
import { sha256File } from '../src/io/hash.js';
import { analyzeImage } from '../src/pipeline/analyze.js';
import type { FloatMap, Mask } from '../src/pipeline/raster.js';
import { runAnalysisJob, type AnalysisJob, type AnalysisJobResult } from '../src/workers/analysis-job.js';
import { measureContention } from './contention.js';
import { DATA_DIR, SIZES, prepareInputs, type BenchInput, type BenchStain } from './inputs.js';
import { collectGarbage, cpuWindow, machineInfo, median, startRssProbe, timeRuns, type RssProbe } from './measure.js';
import { benchMask, compareOpenCv, odMap, type CompareResult } from './opencv-compare.js';
import { profileCall } from './profile.js';
import { printReport, type Report, type SizeRow, type ThroughputRow } from './report.js';

const quick = process.argv.includes('--quick');
/** `--data-dir=DIR`: where the source images are (default DATA_DIR); a missing dir means procedural inputs. */
const dataDir = process.argv.find((a) => a.startsWith('--data-dir='))?.slice('--data-dir='.length) ?? DATA_DIR;
/**
 * Timed runs per size after `warmup` untimed ones (V8 settles its code for a size within a few
 * images, as in a batch); the stage breakdown uses `stageRuns`.
 */
const PLAN: Readonly<Record<string, { runs: number; warmup: number; stageRuns: number }>> = quick
  ? { '1 MP': { runs: 3, warmup: 2, stageRuns: 1 }, '12 MP': { runs: 3, warmup: 2, stageRuns: 1 } }
  : { '1 MP': { runs: 7, warmup: 3, stageRuns: 3 }, '12 MP': { runs: 7, warmup: 3, stageRuns: 1 }, '50 MP': { runs: 1, warmup: 1, stageRuns: 1 } };
/** Sizes whose analysis also runs once under the CPU profiler (where does the time go?). */
const PROFILED = new Set(['12 MP']);
/** Worker throughput batches: images per batch, by size label. */
const BATCHES: readonly { label: string; images: number }[] = quick
  ? [{ label: '1 MP', images: 12 }, { label: '12 MP', images: 6 }]
  : [{ label: '1 MP', images: 48 }, { label: '12 MP', images: 16 }];
/**
 * 1 MP jobs each worker runs before timing. V8 compiles a function called once per image only after
 * a few images, and each worker thread compiles for itself: 8–10 images settle it (measured with
 * --trace-opt). A batch of hundreds of images runs warm; the cold start is reported apart.
 */
const WARM_JOBS_PER_WORKER = 12;
/** Analyses of the 1 MP inputs in this thread before anything is timed (same reason). */
const WARM_RUNS_IN_THREAD = 6;
const WORKER_COUNTS = [1, 2] as const;
/** Throughput rounds (1 w, 2 w, 1 w, 2 w …); the best round per setting counts, since other processes only slow us down. */
const ROUNDS = quick ? 1 : 3;
const REFERENCE = 'tissue' as const;

const log = (line = ''): void => void process.stdout.write(`${line}\n`);

const recipes: Record<BenchStain, { recipe: Recipe; hash: string }> = {
  alizarin: withHash(loadPreset('alizarin')),
  vonkossa: withHash(loadPreset('vonkossa')),
};
function withHash(recipe: Recipe) {
  return { recipe, hash: recipeHash(recipe) };
}

function jobFor(input: BenchInput): AnalysisJob {
  const { recipe, hash } = recipes[input.stain];
  return {
    filePath: input.filePath,
    displayName: path.basename(input.filePath),
    recipe,
    recipeHash: hash,
    appVersion: APP_VERSION,
    referenceKind: REFERENCE,
  };
}

function checkOk(r: AnalysisJobResult): void {
  if (r.result.status !== 'ok') throw new Error(`analysis failed: ${r.result.errorCode}: ${r.result.error}`);
}

/** sharp's decode alone, file → raw 8-bit RGB, as the pipeline's decode asks for it. */
async function sharpDecode(file: string): Promise<number> {
  const { info } = await sharp(file).toColourspace('srgb').raw().toBuffer({ resolveWithObject: true });
  return info.width * info.height;
}

const yieldToEventLoop = () => new Promise((r) => setImmediate(r));

/** Kept from the 12 MP Alizarin breakdown for the OpenCV comparison. */
let compareInputs: { mask: Mask; map: FloatMap } | null = null;

async function measureSize(input: BenchInput, probe: RssProbe): Promise<SizeRow> {
  const plan = PLAN[input.size.label]!;
  const job = jobFor(input);
  const row: SizeRow = {
    size: input.size.label, stain: input.stain, width: input.size.width, height: input.size.height,
    fileMb: input.bytes / 1024 ** 2, runs: plan.runs, e2eMs: [], decodeMs: [], stages: null,
    mineralPct: null, referenceAreaPct: null, depositCount: null, peakRss: null, otherCores: null, profile: null, contention: null, error: null,
  };
  try {
    // No forced GC before the timed analyses (nor before the decode): V8's forced full GC (gc()) throws away the
    // pipeline's optimized code, and the next runs measured 2–2.5× slower until it was recompiled
    // (1 MP: 72 → 180 ms). The app never forces a GC; the natural ones do not do this.
    await yieldToEventLoop();
    probe.reset();
    const cpu = cpuWindow();
    let last: AnalysisJobResult | null = null;
    const keep = (r: AnalysisJobResult) => {
      checkOk(r);
      last = r;
    };
    await timeRuns(0, 1, () => sharpDecode(input.filePath));
    await timeRuns(0, plan.warmup, () => runAnalysisJob(job), keep);
    // decode-only and end-to-end alternate run by run, so a slow phase of a shared machine weighs on
    // both sides of their ratio alike (measured one block after the other, the ratio moved by ±20 %);
    // which comes first alternates too, so neither always pays for the other's garbage collection
    for (let i = 0; i < plan.runs; i++) {
      const decode = async () => row.decodeMs.push(...(await timeRuns(1, 0, () => sharpDecode(input.filePath))));
      const e2e = async () => row.e2eMs.push(...(await timeRuns(1, 0, () => runAnalysisJob(job), keep)));
      if (i % 2 === 0) {
        await decode();
        await e2e();
      } else {
        await e2e();
        await decode();
      }
    }
    row.peakRss = probe.peak();
    row.otherCores = cpu.otherCores();
    const res = (last as AnalysisJobResult | null)?.result;
    if (res) {
      row.mineralPct = res.mineralPct;
      row.depositCount = res.depositCount;
      row.referenceAreaPct = res.referenceAreaPx === null ? null : (100 * res.referenceAreaPx) / (input.size.width * input.size.height);
    }
    // Stage breakdown: the job's steps timed one by one (in the job, decode and hash overlap).
    const decode: number[] = [], hash: number[] = [], analyze: number[] = [];
    const keepForCompare = input.size.label === '12 MP' && input.stain === 'alizarin';
    for (let i = 0; i < plan.stageRuns; i++) {
      let t = performance.now();
      const img = await decodeImage(input.filePath);
      decode.push(performance.now() - t);
      t = performance.now();
      await sha256File(input.filePath);
      hash.push(performance.now() - t);
      t = performance.now();
      const out = analyzeImage({ image: img, pixelSizeUm: img.pixelSizeUm, referenceKind: REFERENCE }, job.recipe);
      analyze.push(performance.now() - t);
      if (keepForCompare && i === 0) compareInputs = { mask: benchMask(out.mineral), map: odMap(img) };
      if (PROFILED.has(input.size.label) && i === plan.stageRuns - 1) {
        const input_ = { image: img, pixelSizeUm: img.pixelSizeUm, referenceKind: REFERENCE };
        row.profile = await profileCall(() => void analyzeImage(input_, job.recipe));
        // how much a second analysis on the other core slows this one (bounds what 2 workers can reach)
        if (keepForCompare) row.contention = await measureContention(() => void analyzeImage(input_, job.recipe), input.filePath, input.stain, quick ? 2 : 4);
      }
    }
    row.stages = { decodeMs: median(decode), hashMs: median(hash), analyzeMs: median(analyze) };
  } catch (e) {
    row.error = e instanceof Error ? e.message : String(e);
  }
  return row;
}

async function measureThroughput(inputs: readonly BenchInput[], probe: RssProbe): Promise<ThroughputRow[]> {
  const rows: ThroughputRow[] = BATCHES.map((b) => ({ size: b.label, images: b.images, byWorkers: {}, roundsImagesPerS: {} }));
  for (let round = 0; round < ROUNDS; round++) for (const n of WORKER_COUNTS) {
    collectGarbage();
    await yieldToEventLoop();
    probe.reset();
    const baseMb = process.memoryUsage.rss() / 1024 ** 2;
    const host = createWorkerHost(n);
    try {
      // Warm-up: start the workers and run small images in each (each worker thread has its own
      // JIT to warm; start-up is not throughput).
      const t0 = performance.now();
      const warm = inputs.filter((i) => i.size.label === '1 MP');
      const warmJobs = Array.from({ length: WARM_JOBS_PER_WORKER * n }, (_, k) => jobFor(warm[k % warm.length]!));
      (await Promise.all(warmJobs.map((j) => host.run(j)))).forEach(checkOk);
      const warmMs = performance.now() - t0;
      for (const [b, batch] of BATCHES.entries()) {
        const pool = inputs.filter((i) => i.size.label === batch.label); // both stains, alternating
        const jobs = Array.from({ length: batch.images }, (_, k) => jobFor(pool[k % pool.length]!));
        collectGarbage();
        probe.reset();
        const cpu = cpuWindow();
        const t = performance.now();
        let error: string | null = null;
        try {
          (await Promise.all(jobs.map((j) => host.run(j)))).forEach(checkOk);
        } catch (e) {
          error = e instanceof Error ? e.message : String(e);
        }
        const wallMs = performance.now() - t;
        const run = {
          wallMs, imagesPerS: (1000 * batch.images) / wallMs, warmMs, baseRssMb: baseMb, peakRss: probe.peak(),
          ownCores: cpu.ownCores(), otherCores: cpu.otherCores(), error,
        };
        const row = rows[b]!, best = row.byWorkers[n];
        (row.roundsImagesPerS[n] ??= []).push(run.imagesPerS);
        if (!best || (!run.error && run.imagesPerS > best.imagesPerS)) row.byWorkers[n] = run;
      }
    } finally {
      await host.destroy();
    }
  }
  return rows;
}

async function main(): Promise<void> {
  const tStart = performance.now();
  const cpuAll = cpuWindow();
  // libvips' operation cache would let repeated decodes of one file skip work the app never skips.
  sharp.cache(false);
  const probe = await startRssProbe(20);
  const machine = machineInfo(sharp.versions);
  log(`Calciquant ${APP_VERSION} benchmark${quick ? ' (--quick)' : ''}`);
  log(`${machine.cpuModel} · ${machine.cores} cores (availableParallelism ${machine.availableParallelism}) · ` +
    `${machine.totalMemGb} GB RAM · Node ${machine.node} (V8 ${machine.v8}) · sharp ${machine.sharp} / ` +
    `libvips ${machine.libvips} · ${machine.platform}`);
  const missing = missingPoolFlags(process.execArgv);
  log(`Garbage collection: ${gcMode()}; node ${process.execArgv.join(' ') || '(no options)'}` +
    (missing.length ? ` (WITHOUT the CLI's ${missing.join(' ')}: run it through \`npm run bench\`)` : ' (the V8 flags the CLI and the web host run with)'));
  log(`Load average at start: ${machine.loadAvg.join(' / ')} (1 / 5 / 15 min)`);
  log('Note: figures from one run on a shared machine are noisy; ratios measured in the same run are what count.');
  log();

  log('Inputs (JPEG q90, cached):');
  const set = await prepareInputs((l) => log(l), { dataDir });
  const wanted = new Set(Object.keys(PLAN));
  const inputs = set.inputs.filter((i) => wanted.has(i.size.label));
  if (set.procedural) {
    log(`  NOTE: ${dataDir} is missing — inputs are PROCEDURAL images (not the synthetic data set);` +
      ' timings are still valid, mineral % are not comparable.');
  }
  for (const s of ['alizarin', 'vonkossa'] as const) log(`  ${s}: from ${set.sources[s]}`);
  log(`  in ${set.dir} (${set.created} made now, ${set.inputs.length - set.created} reused, ${(set.createMs / 1000).toFixed(1)} s)`);
  log();

  // JIT warm-up of the whole pipeline on the small images, so the first rows are not penalised.
  process.stderr.write('  … warm-up\n');
  for (let k = 0; k < WARM_RUNS_IN_THREAD; k++) {
    for (const input of inputs.filter((i) => i.size.label === '1 MP')) checkOk(await runAnalysisJob(jobFor(input)));
  }

  const sizeRows: SizeRow[] = [];
  for (const size of SIZES.filter((s) => wanted.has(s.label))) {
    for (const input of inputs.filter((i) => i.size === size)) {
      process.stderr.write(`  … ${size.label} ${input.stain}\n`);
      sizeRows.push(await measureSize(input, probe));
    }
  }

  process.stderr.write('  … worker throughput\n');
  let throughput: ThroughputRow[] = [];
  try {
    throughput = await measureThroughput(inputs, probe);
  } catch (e) {
    log(`Worker throughput could not be measured: ${e instanceof Error ? e.message : String(e)}`);
  }

  let opencv: CompareResult | { error: string } | null = null;
  const cmp = compareInputs as { mask: Mask; map: FloatMap } | null;
  if (cmp) {
    process.stderr.write('  … OpenCV-WASM vs plain JS\n');
    compareInputs = null;
    collectGarbage();
    probe.reset();
    try {
      opencv = await compareOpenCv(cmp.mask, cmp.map, 5);
    } catch (e) {
      opencv = { error: e instanceof Error ? e.message : String(e) };
    }
  }
  const opencvPeak = probe.peak();
  await probe.stop();

  const report: Report = {
    appVersion: APP_VERSION, quick, machine, reference: REFERENCE, warmRunsInThread: WARM_RUNS_IN_THREAD, warmJobsPerWorker: WARM_JOBS_PER_WORKER,
    warmupRunsPerSize: Object.entries(PLAN).map(([size, p]) => `${size} ${p.warmup}`).join(', '),
    inputs: { dir: set.dir, procedural: set.procedural, sources: set.sources },
    sizes: sizeRows, throughput, opencv, opencvPeakRss: opencvPeak, totalS: (performance.now() - tStart) / 1000,
    otherCores: cpuAll.otherCores(),
  };
  printReport(report, log);
}

main().then(
  () => process.exit(0), // OpenCV-WASM keeps handles open
  (e: unknown) => {
    process.stderr.write(`bench failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exit(1);
  },
);
