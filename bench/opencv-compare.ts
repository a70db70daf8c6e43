/**
 * "OpenCV-WASM where it serves, typed-array loops where faster — measure": the pipeline's plain-JS
 * kernels against their OpenCV-WASM counterparts on a 12 MP mask / float map, in this thread.
 * OpenCV timings are given twice: including the copies into and out of the WASM heap (what the
 * pipeline would pay, since its buffers live in JS) and for the OpenCV call alone.
 */
import { createRequire } from 'node:module';
import type * as OpenCv from '@techstark/opencv-js';
import { extractRuns, labelRuns } from '../src/pipeline/components.js';
import { discHalfWidths, maxFilterSquare, openMaskDisc } from '../src/pipeline/morphology.js';
import type { FloatMap, Mask, RgbImage } from '../src/pipeline/raster.js';
import { seededRandom } from './inputs.js';
import { median } from './measure.js';

type Cv = typeof OpenCv;
type Mat = OpenCv.Mat;

/**
 * Loads and initialises OpenCV-WASM. The module object is thenable, so `await cv` would spin
 * forever: resolve to a wrapper instead.
 */
export async function loadOpenCv(timeoutMs = 120_000): Promise<{ cv: Cv; initMs: number }> {
  const t0 = performance.now();
  const require = createRequire(import.meta.url);
  const mod = require('@techstark/opencv-js') as Cv & { onRuntimeInitialized?: () => void };
  const wrapped = await new Promise<{ cv: Cv }>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`OpenCV-WASM did not initialise within ${timeoutMs} ms`)), timeoutMs);
    const done = () => {
      clearTimeout(timer);
      resolve({ cv: mod });
    };
    if (typeof (mod as { Mat?: unknown }).Mat === 'function') done();
    else mod.onRuntimeInitialized = done;
  });
  return { cv: wrapped.cv, initMs: performance.now() - t0 };
}

/** Runs `fn` with a `keep` that registers Mats; every kept Mat is deleted afterwards (WASM memory is not GC'd). */
function withMats<T>(fn: (keep: <M extends { delete(): void }>(m: M) => M) => T): T {
  const mats: { delete(): void }[] = [];
  try {
    return fn((m) => {
      mats.push(m);
      return m;
    });
  } finally {
    for (const m of mats.reverse()) m.delete();
  }
}

function maskToMat(cv: Cv, mask: Mask): Mat {
  const m = new cv.Mat(mask.height, mask.width, cv.CV_8UC1);
  m.data.set(mask.data);
  return m;
}

function floatToMat(cv: Cv, map: FloatMap): Mat {
  const m = new cv.Mat(map.height, map.width, cv.CV_32FC1);
  m.data32F.set(map.data);
  return m;
}

/** Same digital disc as the JS morphology (`discHalfWidths`), as an OpenCV kernel. */
function discKernel(cv: Cv, radiusPx: number): Mat {
  const w = discHalfWidths(radiusPx), d = 2 * radiusPx + 1, k = new Uint8Array(d * d);
  for (let dy = 0; dy < d; dy++) for (let dx = -w[dy]!; dx <= w[dy]!; dx++) k[dy * d + radiusPx + dx] = 1;
  return cv.matFromArray(d, d, cv.CV_8UC1, k);
}

/**
 * A realistic 12 MP deposit mask: the mineral mask the pipeline found, plus sparse 1–2 px specks
 * (as a raw segmentation leaves them before clean-up), so the opening has work to do.
 */
export function benchMask(mineral: Mask, specksFrac = 0.002): Mask {
  const data = mineral.data.slice(), rnd = seededRandom(7), n = Math.round(mineral.data.length * specksFrac);
  for (let k = 0; k < n; k++) {
    const i = Math.floor(rnd() * data.length);
    data[i] = 255;
    if (rnd() < 0.5 && i + 1 < data.length) data[i + 1] = 255;
  }
  return { ...mineral, data };
}

/** A smooth-ish float map of the image's size: optical density of the green channel (0–3). */
export function odMap(image: RgbImage): FloatMap {
  const max = image.bitDepth === 16 ? 65535 : 255, n = image.width * image.height, out = new Float32Array(n);
  const lut = new Float32Array(max + 1);
  for (let v = 0; v <= max; v++) lut[v] = Math.min(3, -Math.log10(Math.max(v, 1) / max));
  for (let i = 0; i < n; i++) out[i] = lut[image.data[i * 3 + 1]!]!;
  return { width: image.width, height: image.height, data: out };
}

export interface CompareCase {
  readonly name: string;
  readonly jsMs: number;
  /** OpenCV including copies in/out of the WASM heap. */
  readonly cvMs: number;
  /** OpenCV call alone. */
  readonly cvOpMs: number;
  readonly agreement: string;
}

export interface CompareResult {
  readonly initMs: number;
  readonly width: number;
  readonly height: number;
  readonly maskCoveragePct: number;
  readonly cases: readonly CompareCase[];
}

async function timed(runs: number, fn: () => number | void): Promise<{ ms: number; inner: number }> {
  fn(); // warm-up
  const outer: number[] = [], inner: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    const op = fn();
    outer.push(performance.now() - t0);
    if (typeof op === 'number') inner.push(op);
    await new Promise((r) => setImmediate(r)); // let the RSS sampler and GC breathe
  }
  return { ms: median(outer), inner: median(inner) };
}

export async function compareOpenCv(mask: Mask, map: FloatMap, runs = 5): Promise<CompareResult> {
  const { cv, initMs } = await loadOpenCv();
  let set = 0;
  for (let i = 0; i < mask.data.length; i++) if (mask.data[i] !== 0) set++;
  const cases: CompareCase[] = [];

  // 1. Connected components (8-connectivity) with area, bounding box and centroid per component.
  let jsCount = 0, cvCount = 0;
  const jsCc = await timed(runs, () => {
    jsCount = labelRuns(extractRuns(mask), 8).count;
  });
  const cvCc = await timed(runs, () =>
    withMats((keep) => {
      const src = keep(maskToMat(cv, mask));
      const labels = keep(new cv.Mat()), stats = keep(new cv.Mat()), centroids = keep(new cv.Mat());
      const t0 = performance.now();
      cvCount = cv.connectedComponentsWithStats(src, labels, stats, centroids, 8, cv.CV_32S) - 1;
      const op = performance.now() - t0;
      stats.data32S.slice(); // per-component numbers back to JS (the JS side has them as arrays)
      centroids.data64F.slice();
      return op;
    }),
  );
  cases.push({
    name: 'connected components + stats',
    jsMs: jsCc.ms,
    cvMs: cvCc.ms,
    cvOpMs: cvCc.inner,
    agreement: jsCount === cvCount ? `same count (${jsCount})` : `count differs: JS ${jsCount}, cv ${cvCount}`,
  });

  // 2. Binary opening with a disc r = 2 (5×5 ellipse in OpenCV).
  let jsOpen: Mask | null = null;
  const jsOp = await timed(runs, () => {
    jsOpen = openMaskDisc(mask, 2);
  });
  const cvOp = await timed(runs, () =>
    withMats((keep) => {
      const src = keep(maskToMat(cv, mask)), dst = keep(new cv.Mat());
      const k = keep(cv.getStructuringElement(cv.MORPH_ELLIPSE, new cv.Size(5, 5)));
      const t0 = performance.now();
      cv.morphologyEx(src, dst, cv.MORPH_OPEN, k);
      const op = performance.now() - t0;
      dst.data.slice();
      return op;
    }),
  );
  // Agreement, untimed: the same digital disc, pixels outside the image counted as outside.
  const diff = withMats((keep) => {
    const src = keep(maskToMat(cv, mask)), dst = keep(new cv.Mat()), k = keep(discKernel(cv, 2));
    cv.morphologyEx(src, dst, cv.MORPH_OPEN, k, new cv.Point(-1, -1), 1, cv.BORDER_CONSTANT, new cv.Scalar(0));
    const a = (jsOpen as Mask | null)?.data, b = dst.data;
    let n = 0;
    if (a) for (let i = 0; i < a.length; i++) if ((a[i] !== 0) !== (b[i] !== 0)) n++;
    return n;
  });
  cases.push({
    name: 'binary opening, disc r=2',
    jsMs: jsOp.ms,
    cvMs: cvOp.ms,
    cvOpMs: cvOp.inner,
    agreement: diff === 0 ? 'identical (same disc)' : `${diff} px differ (same disc)`,
  });

  // 3. Grey dilation (max filter) 7×7 of a Float32 map.
  let jsMax: FloatMap | null = null;
  const jsDil = await timed(runs, () => {
    jsMax = maxFilterSquare(map, 3);
  });
  let cvMax: Float32Array | null = null;
  const cvDil = await timed(runs, () =>
    withMats((keep) => {
      const src = keep(floatToMat(cv, map)), dst = keep(new cv.Mat());
      const k = keep(cv.getStructuringElement(cv.MORPH_RECT, new cv.Size(7, 7)));
      const t0 = performance.now();
      cv.dilate(src, dst, k);
      const op = performance.now() - t0;
      cvMax = dst.data32F.slice();
      return op;
    }),
  );
  let maxAbs = 0;
  const jm = (jsMax as FloatMap | null)?.data, cm = cvMax as Float32Array | null;
  if (jm && cm) for (let i = 0; i < jm.length; i++) maxAbs = Math.max(maxAbs, Math.abs(jm[i]! - cm[i]!));
  cases.push({
    name: 'grey dilation 7×7, Float32',
    jsMs: jsDil.ms,
    cvMs: cvDil.ms,
    cvOpMs: cvDil.inner,
    agreement: maxAbs === 0 ? 'identical' : `max |Δ| ${maxAbs.toExponential(1)}`,
  });

  return { initMs, width: mask.width, height: mask.height, maskCoveragePct: (100 * set) / mask.data.length, cases };
}
