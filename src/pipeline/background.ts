/**
 * Local background level B of the mineral-stain amount f: the smooth mean of the reference pixels
 * that are not (near) deposits, by normalized convolution (Knutsson & Westin 1993):
 * B = G∗(f·w) / G∗w with a Gaussian G of σ = sigmaPx and w = the reference weight on valid pixels.
 * The sums are accumulated per block of ≈σ/4 samples in one streaming pass and blurred on that
 * coarse grid; B is returned as a LowResGrid (sample it with createRowSampler). Large images are
 * first reduced to masked block means (B is smooth at the scale of σ, so nothing is lost).
 *
 * Valid samples: inside the reference and farther than `padPx` (square) from any "seed", a sample
 * above level + seedOd. The exclusion is computed row by row (prefix counts horizontally, running
 * column counts vertically), so no full-size mask is stored.
 */
import { createRowSampler, type LowResGrid } from './lowres.js';
import { maskRowSpans, type FloatMap, type Mask } from './raster.js';
import { wasmKernels } from './wasm/kernels.js';

/** Separable Gaussian blur of a small float map; edges replicate. σ in samples of this map. */
export function gaussianBlur(map: FloatMap, sigma: number): FloatMap {
  const { width, height } = map;
  if (!(sigma > 0.3)) return { width, height, data: map.data.slice() };
  const r = Math.ceil(3 * sigma);
  const k = new Float32Array(2 * r + 1);
  let s = 0;
  for (let i = -r; i <= r; i++) s += k[i + r] = Math.exp((-i * i) / (2 * sigma * sigma));
  for (let i = 0; i < k.length; i++) k[i]! /= s;
  const viaWasm = wasmKernels()?.gaussianBlur(map.data, width, height, k, r); // same sums, ~2.5× faster
  if (viaWasm) return { width, height, data: viaWasm };
  const tmp = new Float32Array(width * height);
  const out = new Float32Array(width * height);
  const src = map.data;
  // rows: clamped taps only near the ends (same sums, same order as a clamped loop everywhere)
  for (let y = 0; y < height; y++) {
    const row = y * width;
    for (let x = 0; x < width; x++) {
      let acc = 0;
      if (x - r >= 0 && x + r < width) {
        for (let i = -r, p = row + x - r; i <= r; i++, p++) acc += k[i + r]! * src[p]!;
      } else {
        for (let i = -r; i <= r; i++) {
          const xx = x + i < 0 ? 0 : x + i >= width ? width - 1 : x + i;
          acc += k[i + r]! * src[row + xx]!;
        }
      }
      tmp[row + x] = acc;
    }
  }
  // columns, a whole row at a time (row-major reads); per pixel the taps are added in the same order
  const acc = new Float64Array(width);
  for (let y = 0; y < height; y++) {
    acc.fill(0);
    for (let i = -r; i <= r; i++) {
      const yy = y + i < 0 ? 0 : y + i >= height ? height - 1 : y + i;
      const w = k[i + r]!, o = yy * width;
      for (let x = 0; x < width; x++) acc[x]! += w * tmp[o + x]!;
    }
    for (let x = 0, o = y * width; x < width; x++) out[o + x] = acc[x]!;
  }
  return { width, height, data: out };
}

export interface BackgroundPass {
  /** Level the seeds are measured from: a constant or a smooth grid (full-resolution coordinates). */
  readonly level: number | LowResGrid;
  readonly seedOd: number;
  /** Exclusion margin around seeds, in pixels of the map passed in. */
  readonly padPx: number;
  /** Gaussian σ in pixels of the map passed in. */
  readonly sigmaPx: number;
  /** Value used where valid pixels are scarce. */
  readonly fallback: number;
  /** Weight of the fallback, as a fraction of a fully valid neighbourhood. */
  readonly fallbackWeightFrac?: number;
}

/** A map with per-pixel weights (0 = outside the reference), e.g. a masked block-mean copy. */
export interface WeightedMap {
  readonly map: FloatMap;
  readonly weight: Float32Array;
  /** Full-resolution pixels per sample along each axis. */
  readonly scale: number;
}

/** Horizontal dilation of one row of seed flags: out[x] = 1 if a seed lies within ±pad. */
function dilateRow(seeds: Uint8Array, pad: number, prefix: Int32Array, out: Uint8Array): void {
  const w = seeds.length;
  prefix[0] = 0;
  for (let x = 0; x < w; x++) prefix[x + 1] = prefix[x]! + seeds[x]!;
  for (let x = 0; x < w; x++) {
    const a = x - pad < 0 ? 0 : x - pad;
    const b = x + pad + 1 > w ? w : x + pad + 1;
    out[x] = prefix[b]! - prefix[a]! > 0 ? 1 : 0;
  }
}

/**
 * Masked block means of f: sample = mean of f over the reference pixels of a factor×factor block,
 * weight = their fraction of the block. One pass over the full-resolution map.
 */
export function maskedBlockMeans(f: FloatMap, reference: Mask, factor: number, referenceSpans?: Int32Array): WeightedMap {
  const { width: W, height: H } = f;
  const gw = Math.ceil(W / factor), gh = Math.ceil(H / factor);
  const spans = referenceSpans ?? maskRowSpans(reference);
  // the WebAssembly kernel when f is its buffer (same sums), else the loop below
  const wasm = wasmKernels()?.maskedBlockSums(f.data, reference.data, spans, W, H, factor);
  const { sum, cnt } = wasm ?? blockSumsJs(f, reference, factor, spans);
  const weight = new Float32Array(gw * gh);
  for (let i = 0; i < sum.length; i++) {
    if (cnt[i]! > 0) sum[i]! /= cnt[i]!;
    weight[i] = cnt[i]! / (factor * factor);
  }
  return { map: { width: gw, height: gh, data: sum }, weight, scale: factor };
}

function blockSumsJs(f: FloatMap, reference: Mask, factor: number, spans: Int32Array): { sum: Float32Array; cnt: Float32Array } {
  const { width: W, height: H } = f;
  const gw = Math.ceil(W / factor), gh = Math.ceil(H / factor);
  const sum = new Float32Array(gw * gh), cnt = new Float32Array(gw * gh);
  const colBlock = new Int32Array(W);
  for (let x = 0; x < W; x++) colBlock[x] = (x / factor) | 0;
  const fd = f.data, ref = reference.data;
  for (let y = 0; y < H; y++) {
    const row = y * W, g0 = ((y / factor) | 0) * gw;
    const x1 = spans[2 * y + 1]!;
    // block by block: one read and one write of the block's sums per row (the running sum is
    // rounded to float32 at every step, as a Float32Array element would be)
    for (let x = spans[2 * y]!; x < x1; ) {
      const b = colBlock[x]!, xe = Math.min(x1, (b + 1) * factor);
      let s = sum[g0 + b]!, n = 0;
      for (; x < xe; x++) {
        if (ref[row + x] === 0) continue;
        s = Math.fround(s + fd[row + x]!);
        n++;
      }
      sum[g0 + b] = s;
      cnt[g0 + b]! += n;
    }
  }
  return { sum, cnt };
}

/** Full-resolution weights of a mask: 1 inside, 0 outside. */
export function maskWeights(f: FloatMap, reference: Mask): WeightedMap {
  const weight = new Float32Array(reference.data.length);
  for (let i = 0; i < weight.length; i++) weight[i] = reference.data[i] !== 0 ? 1 : 0;
  return { map: f, weight, scale: 1 };
}

/**
 * One round of normalized convolution over a weighted map; returns B on a grid of blocks of ≈σ/4
 * samples, in full-resolution coordinates (factor = blocks × scale).
 */
export function backgroundGrid(w: WeightedMap, p: BackgroundPass): LowResGrid {
  const { width: W, height: H, data: fd } = w.map;
  const wt = w.weight;
  const factor = Math.max(1, Math.round(p.sigmaPx / 4));
  const gw = Math.ceil(W / factor), gh = Math.ceil(H / factor);
  const pad = Math.max(0, Math.ceil(p.padPx));
  // the level grid is in full-resolution coordinates: express it in samples of this map
  const levelGrid = typeof p.level === 'number' ? null : { ...p.level, factor: p.level.factor / w.scale };
  const sample = levelGrid ? createRowSampler(levelGrid, W) : null;
  const constLevel = typeof p.level === 'number' ? p.level + p.seedOd : 0;
  const kernels = wasmKernels();
  if (kernels) {
    // the same sums in WebAssembly; the level rows are sampled here, straight into its memory
    const sums = kernels.backgroundSums(fd, wt, W, H, sample ?? constLevel, p.seedOd, pad, factor);
    if (sums) return blurredLevel(sums.num, sums.den, gw, gh, factor, w.scale, p);
  }
  const num = new Float32Array(gw * gh), den = new Float32Array(gw * gh);
  const colBlock = new Int32Array(W);
  for (let x = 0; x < W; x++) colBlock[x] = (x / factor) | 0;
  const ring = Array.from({ length: 2 * pad + 2 }, () => new Uint8Array(W));
  const seeds = new Uint8Array(W), prefix = new Int32Array(W + 1), colCount = new Int32Array(W);
  for (let yy = 0; yy < H + pad; yy++) {
    if (yy < H) {
      const row = yy * W;
      if (sample) {
        const lev = sample.row(yy);
        for (let x = 0; x < W; x++) seeds[x] = wt[row + x]! > 0 && fd[row + x]! > lev[x]! + p.seedOd ? 1 : 0;
      } else {
        for (let x = 0; x < W; x++) seeds[x] = wt[row + x]! > 0 && fd[row + x]! > constLevel ? 1 : 0;
      }
      const h = ring[yy % ring.length]!;
      dilateRow(seeds, pad, prefix, h);
      for (let x = 0; x < W; x++) colCount[x]! += h[x]!;
    }
    const gone = yy - 2 * pad - 1;
    if (gone >= 0) {
      const h = ring[gone % ring.length]!;
      for (let x = 0; x < W; x++) colCount[x]! -= h[x]!;
    }
    const y = yy - pad;
    if (y < 0) continue;
    const row = y * W, g0 = ((y / factor) | 0) * gw;
    for (let x = 0; x < W; x++) {
      const v = wt[row + x]!;
      if (v === 0 || colCount[x] !== 0) continue;
      const g = g0 + colBlock[x]!;
      num[g]! += fd[row + x]! * v;
      den[g]! += v;
    }
  }
  return blurredLevel(num, den, gw, gh, factor, w.scale, p);
}

/** B on the block grid: the blurred sums' ratio, with the fallback level where samples are scarce. */
function blurredLevel(num: Float32Array, den: Float32Array, gw: number, gh: number, factor: number, scale: number, p: BackgroundPass): LowResGrid {
  const sigmaLow = p.sigmaPx / factor;
  const numB = gaussianBlur({ width: gw, height: gh, data: num }, sigmaLow).data;
  const denB = gaussianBlur({ width: gw, height: gh, data: den }, sigmaLow).data;
  const k = (p.fallbackWeightFrac ?? 0.02) * factor * factor;
  const out = new Float32Array(gw * gh);
  for (let i = 0; i < out.length; i++) out[i] = (numB[i]! + k * p.fallback) / (denB[i]! + k);
  return { width: gw, height: gh, factor: factor * scale, data: out };
}
