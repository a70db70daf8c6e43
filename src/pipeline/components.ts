/**
 * Connected components of binary masks by run-length encoding + union–find over runs.
 * Cost is proportional to the number of runs, not pixels, so sparse deposit masks of tens of
 * megapixels are labelled in a few tens of milliseconds.
 */
import type { Mask } from './raster.js';
import { wasmKernels } from './wasm/kernels.js';

export interface Runs {
  readonly width: number;
  readonly height: number;
  /** runs of row y are indices rowStart[y] … rowStart[y+1]−1 */
  readonly rowStart: Int32Array;
  readonly x0: Int32Array;
  /** exclusive end */
  readonly x1: Int32Array;
  readonly count: number;
}

export interface ComponentStats {
  /** number of components */
  readonly count: number;
  /** component index of every run */
  readonly runLabel: Int32Array;
  readonly areaPx: Float64Array;
  readonly sumX: Float64Array;
  readonly sumY: Float64Array;
  readonly minX: Int32Array;
  readonly maxX: Int32Array;
  readonly minY: Int32Array;
  readonly maxY: Int32Array;
}

/** Masks from this size on are scanned by the WebAssembly kernel (same runs, SIMD skips uniform stretches). */
const WASM_RUNS_MIN_PX = 65_536;

/** Runs of non-zero pixels, row by row. */
export function extractRuns(mask: Mask): Runs {
  const { width, height, data } = mask;
  const viaWasm = data.length >= WASM_RUNS_MIN_PX ? wasmKernels()?.extractRuns(data, width, height) : null;
  if (viaWasm) return runsOf(width, height, viaWasm);
  return extractRunsJs(mask);
}

/** Runs of a width × height mask from row starts and run ends listed elsewhere (the WebAssembly kernels). */
export function runsOf(width: number, height: number, r: { rowStart: Int32Array; x0: Int32Array; x1: Int32Array; count: number }): Runs {
  return { width, height, rowStart: r.rowStart, x0: r.x0, x1: r.x1, count: r.count };
}

/** `extractRuns` in plain JS (small masks, and where the WebAssembly kernels are off). */
export function extractRunsJs(mask: Mask): Runs {
  const { width, height, data } = mask;
  const rowStart = new Int32Array(height + 1);
  let cap = 1024;
  let x0 = new Int32Array(cap);
  let x1 = new Int32Array(cap);
  let n = 0;
  for (let y = 0; y < height; y++) {
    rowStart[y] = n;
    const row = y * width;
    let x = 0;
    while (x < width) {
      while (x < width && data[row + x] === 0) x++;
      if (x >= width) break;
      const s = x;
      while (x < width && data[row + x] !== 0) x++;
      if (n === cap) {
        cap *= 2;
        const a = new Int32Array(cap), b = new Int32Array(cap);
        a.set(x0);
        b.set(x1);
        x0 = a;
        x1 = b;
      }
      x0[n] = s;
      x1[n] = x;
      n++;
    }
  }
  rowStart[height] = n;
  return { width, height, rowStart, x0, x1, count: n };
}

function find(parent: Int32Array, i: number): number {
  let r = i;
  while (parent[r] !== r) r = parent[r]!;
  while (parent[i] !== r) {
    const next = parent[i]!;
    parent[i] = r;
    i = next;
  }
  return r;
}

/** Labels runs into components; `connectivity` 8 joins diagonal neighbours. */
export function labelRuns(runs: Runs, connectivity: 4 | 8 = 8): ComponentStats {
  const n = runs.count;
  const parent = new Int32Array(n);
  for (let i = 0; i < n; i++) parent[i] = i;
  const slack = connectivity === 8 ? 1 : 0;
  const { rowStart, x0, x1 } = runs;
  for (let y = 1; y < runs.height; y++) {
    let j = rowStart[y - 1]!;
    const jEnd = rowStart[y]!;
    for (let i = rowStart[y]!; i < rowStart[y + 1]!; i++) {
      const a0 = x0[i]! - slack, a1 = x1[i]! + slack;
      while (j < jEnd && x1[j]! <= a0) j++;
      for (let k = j; k < jEnd && x0[k]! < a1; k++) {
        const ri = find(parent, i), rk = find(parent, k);
        if (ri !== rk) parent[Math.max(ri, rk)] = Math.min(ri, rk);
      }
    }
  }
  const runLabel = new Int32Array(n);
  const rootLabel = new Int32Array(n).fill(-1);
  let count = 0;
  for (let i = 0; i < n; i++) {
    const r = find(parent, i);
    if (rootLabel[r] === -1) rootLabel[r] = count++;
    runLabel[i] = rootLabel[r]!;
  }
  const areaPx = new Float64Array(count), sumX = new Float64Array(count), sumY = new Float64Array(count);
  const minX = new Int32Array(count).fill(2 ** 30), maxX = new Int32Array(count).fill(-1);
  const minY = new Int32Array(count).fill(2 ** 30), maxY = new Int32Array(count).fill(-1);
  for (let y = 0; y < runs.height; y++) {
    for (let i = rowStart[y]!; i < rowStart[y + 1]!; i++) {
      const c = runLabel[i]!, a = x0[i]!, b = x1[i]!, len = b - a;
      areaPx[c]! += len;
      sumX[c]! += (len * (a + b - 1)) / 2;
      sumY[c]! += len * y;
      if (a < minX[c]!) minX[c] = a;
      if (b - 1 > maxX[c]!) maxX[c] = b - 1;
      if (y < minY[c]!) minY[c] = y;
      if (y > maxY[c]!) maxY[c] = y;
    }
  }
  return { count, runLabel, areaPx, sumX, sumY, minX, maxX, minY, maxY };
}

/** Paints the runs of the components of at least `minAreaPx` into a new mask. */
export function paintComponents(runs: Runs, stats: ComponentStats, minAreaPx: number): Mask {
  const data = new Uint8Array(runs.width * runs.height);
  for (let y = 0; y < runs.height; y++) {
    const row = y * runs.width;
    for (let i = runs.rowStart[y]!; i < runs.rowStart[y + 1]!; i++) {
      if (stats.areaPx[stats.runLabel[i]!]! >= minAreaPx) data.fill(255, row + runs.x0[i]!, row + runs.x1[i]!);
    }
  }
  return maskOf(runs.width, runs.height, data);
}

/** A mask object, built outside long loops (on-stack-replaced loops deoptimized at result literals). */
function maskOf(width: number, height: number, data: Uint8Array): Mask {
  return { width, height, channels: 1, data };
}

/**
 * Removes 8-connected components smaller than `minAreaPx`. Returns the mask without them (a new
 * one, or with `inPlace` the input itself, cleared where components were removed), the number of
 * kept components and their total area. `knownRuns`: the mask's runs, when already listed.
 */
export function removeSmallComponents(
  mask: Mask,
  minAreaPx: number,
  inPlace = false,
  knownRuns?: Runs,
): { mask: Mask; count: number; areaPx: number; removedRuns: { y: number; x0: number; x1: number }[] } {
  const runs = knownRuns ?? extractRuns(mask);
  const stats = labelRuns(runs, 8);
  let count = 0, areaPx = 0;
  for (let c = 0; c < stats.count; c++) {
    if (stats.areaPx[c]! >= minAreaPx) {
      count++;
      areaPx += stats.areaPx[c]!;
    }
  }
  const removedRuns: { y: number; x0: number; x1: number }[] = [];
  if (count < stats.count) {
    for (let y = 0; y < runs.height; y++) {
      for (let i = runs.rowStart[y]!; i < runs.rowStart[y + 1]!; i++) {
        if (stats.areaPx[stats.runLabel[i]!]! < minAreaPx) removedRuns.push({ y, x0: runs.x0[i]!, x1: runs.x1[i]! });
      }
    }
  }
  if (inPlace) {
    for (const r of removedRuns) mask.data.fill(0, r.y * mask.width + r.x0, r.y * mask.width + r.x1);
    return smallRemoved(mask, count, areaPx, removedRuns);
  }
  return smallRemoved(paintComponents(runs, stats, minAreaPx), count, areaPx, removedRuns);
}

function smallRemoved(mask: Mask, count: number, areaPx: number, removedRuns: { y: number; x0: number; x1: number }[]) {
  return { mask, count, areaPx, removedRuns };
}

/** Number of 8-connected components. */
export function countComponents(mask: Mask): number {
  return labelRuns(extractRuns(mask), 8).count;
}
