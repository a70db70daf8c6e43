/**
 * Mineral segmentation of a stain-amount map f inside the reference area, streaming row by row.
 *
 * `local-contrast` (default): a pixel is mineral when it lies on the deposit side of the half-way
 * point *in transmittance* between the local background B and the nearby deposit level D:
 *     f − B > g(D − B),  g(Δ) = −log10((1 + 10^(−a·Δ)) / 2) / a,
 * with a = the strongest channel's OD per unit stain, D = max of the 3×3-mean of f within
 * `edgeRadiusPx` (the mean keeps pixel noise from inflating D), and only where a deposit is really
 * near: D − B > minContrast. Optical blur mixes transmittances, so this places the boundary at the
 * physical deposit edge whatever the deposit's darkness. D is computed only around candidate pixels
 * (f − B above the smallest possible g), so sparse images cost little.
 * `otsu` / `triangle`: one threshold from the histogram of f − B in the reference.
 * `fixed`: f − B > valueOd.
 */
import { backgroundGrid, maskedBlockMeans, maskWeights, type WeightedMap } from './background.js';
import { histogramOf, histogramQuantile, otsuThreshold, triangleThreshold, type Histogram } from './histogram.js';
import { constantGrid, createRowSampler, type LowResGrid } from './lowres.js';
import type { FloatMap, Mask } from './raster.js';

export type ThresholdParams =
  | { method: 'local-contrast'; minContrastOd: number; edgeRadiusPx: number }
  | { method: 'otsu' }
  | { method: 'triangle' }
  | { method: 'fixed'; valueOd: number };

export interface BackgroundParams {
  /** Gaussian σ of the local background, as a fraction of the image's longer side. */
  readonly scaleFrac: number;
  /** Amount above the running background that marks a pixel as a likely deposit (excluded). */
  readonly seedOd: number;
}

export interface SegmentResult {
  readonly mineral: Mask;
  /** Threshold on f − B; for local-contrast the median applied threshold over mineral pixels. */
  readonly thresholdOd: number;
  readonly referencePx: number;
  readonly mineralPx: number;
  /** Σ (f − B) over mineral pixels (relative OD · px). */
  readonly integratedOd: number;
}

const HIST_LO = -1, HIST_HI = 4;

/**
 * Most frequent value of f inside the mask (histogram of 0.01-OD bins smoothed over ±0.03 OD):
 * the level of the unstained tissue even when deposits cover more than half of the reference.
 */
export function maskedMode(map: FloatMap, mask: Mask): number {
  return histogramMode(histogramOf(map, mask, HIST_LO, HIST_HI, 500));
}

export function histogramMode(h: Histogram): number {
  if (h.total === 0) return 0;
  let best = 0, bestI = 0;
  for (let i = 0; i < h.counts.length; i++) {
    let s = 0;
    for (let j = Math.max(0, i - 3); j <= Math.min(h.counts.length - 1, i + 3); j++) s += h.counts[j]!;
    if (s > best) {
      best = s;
      bestI = i;
    }
  }
  return h.lo + (bestI + 0.5) * ((h.hi - h.lo) / h.counts.length);
}

/**
 * Local background B of f inside the reference, excluding deposits: two rounds of
 * "exclude pixels above level + seedOd (dilated by padPx), then smooth the rest", starting from the
 * histogram mode (the median would sit inside the deposits when they cover more than half of the
 * reference). Returns B at low resolution.
 */
export function estimateBackground(f: FloatMap, reference: Mask, p: BackgroundParams, padPx: number): LowResGrid {
  const sigmaPx = Math.max(2, p.scaleFrac * Math.max(f.width, f.height));
  // work on masked block means when σ spans many pixels (≥ 16 samples per σ are kept)
  const scale = Math.max(1, Math.floor(sigmaPx / 16));
  const w = scale > 1 ? maskedBlockMeans(f, reference, scale) : maskWeights(f, reference);
  const global = weightedMode(w);
  let level: number | LowResGrid = global;
  for (let round = 0; round < 2; round++) {
    level = backgroundGrid(w, { level, seedOd: p.seedOd, padPx: padPx / scale, sigmaPx: sigmaPx / scale, fallback: global });
  }
  return level as LowResGrid;
}

/** Histogram mode of a weighted map (weights > 0 count). */
function weightedMode(w: WeightedMap): number {
  const counts = new Float64Array(500);
  const k = counts.length / (HIST_HI - HIST_LO);
  let total = 0;
  const d = w.map.data;
  for (let i = 0; i < d.length; i++) {
    const v = w.weight[i]!;
    if (v === 0) continue;
    const b = Math.floor((d[i]! - HIST_LO) * k);
    counts[b < 0 ? 0 : b >= counts.length ? counts.length - 1 : b]! += v;
    total += v;
  }
  return histogramMode({ lo: HIST_LO, hi: HIST_HI, counts, total });
}

export function zeroBackground(): LowResGrid {
  return constantGrid(0, 1);
}

/** Lookup table of g(Δ) for Δ in [0, 4) OD, step 1/1024. */
function halfTransmittanceLut(edgeOdPerUnit: number): Float32Array {
  const lut = new Float32Array(4096);
  const a = edgeOdPerUnit;
  for (let i = 0; i < lut.length; i++) lut[i] = -Math.log10((1 + Math.pow(10, (-a * i) / 1024)) / 2) / a;
  return lut;
}

/**
 * H[x] for x in [xa, xb] (inclusive) = horizontal max over ±r of the 3×3 mean of f in row y (edges
 * replicate). `mean` and `spans` are scratch rows of the image width; the result goes to `out`.
 */
function maxOfMeanRow(
  f: FloatMap, y: number, r: number, xa: number, xb: number, mean: Float32Array, spans: Float32Array, out: Float32Array,
): void {
  const { width: W, height: Hh, data } = f;
  const a = (y > 0 ? y - 1 : 0) * W, b = y * W, c = (y < Hh - 1 ? y + 1 : y) * W;
  const ma = Math.max(0, xa - r), mb = Math.min(W - 1, xb + r); // means needed
  const sa = Math.max(0, ma - 1), sb = Math.min(W - 1, mb + 1); // column sums needed
  for (let x = sa; x <= sb; x++) spans[x] = data[a + x]! + data[b + x]! + data[c + x]!;
  for (let x = ma; x <= mb; x++) {
    const l = spans[x > 0 ? x - 1 : 0]!, rr = spans[x < W - 1 ? x + 1 : x]!;
    mean[x] = (l + spans[x]! + rr) / 9;
  }
  // spans[x] = max over [x, x + span − 1] (clipped at mb), by doubling
  for (let x = ma; x <= mb; x++) spans[x] = mean[x]!;
  let span = 1;
  while (span * 2 <= 2 * r + 1) {
    for (let x = ma; x <= mb - span; x++) if (spans[x + span]! > spans[x]!) spans[x] = spans[x + span]!;
    span *= 2;
  }
  // the window [x − r, x + r] is the union of the spans starting at its two ends (span > r)
  for (let x = xa; x <= xb; x++) {
    const s = x - r < ma ? ma : x - r;
    const e = x + r > mb ? mb : x + r; // inclusive
    if (e - s + 1 >= span) {
      const t = e - span + 1;
      out[x] = spans[s]! > spans[t]! ? spans[s]! : spans[t]!;
    } else {
      let v = -Infinity; // window shorter than a span (image edges): direct maximum
      for (let i = s; i <= e; i++) v = mean[i]! > v ? mean[i]! : v;
      out[x] = v;
    }
  }
}

/** 3×3 mean of f at one pixel (edges replicate). */
function mean3At(f: FloatMap, x: number, y: number): number {
  const { width: W, height: H, data } = f;
  const x0 = x > 0 ? x - 1 : 0, x1 = x < W - 1 ? x + 1 : x;
  const r0 = (y > 0 ? y - 1 : 0) * W, r1 = y * W, r2 = (y < H - 1 ? y + 1 : y) * W;
  return (
    data[r0 + x0]! + data[r0 + x]! + data[r0 + x1]! + data[r1 + x0]! + data[r1 + x]! + data[r1 + x1]! + data[r2 + x0]! + data[r2 + x]! + data[r2 + x1]!
  ) / 9;
}

function localContrast(
  f: FloatMap, bg: LowResGrid, reference: Mask, minContrastOd: number, edgeRadiusPx: number, edgeOdPerUnit: number,
): SegmentResult {
  const { width: W, height: H, data } = f;
  const ref = reference.data;
  const lut = halfTransmittanceLut(edgeOdPerUnit);
  const gMin = lut[Math.min(4095, Math.floor(minContrastOd * 1024))]!;
  const gMax = lut[4095]!; // g never exceeds this (very dark deposits)
  const sample = createRowSampler(bg, W);
  const r = Math.max(1, Math.floor(edgeRadiusPx));
  const out = new Uint8Array(W * H);
  const applied = new Float64Array(64);
  let referencePx = 0, mineralPx = 0, integratedOd = 0;
  const accept = (i: number, c: number, g: number) => {
    out[i] = 255;
    mineralPx++;
    integratedOd += c;
    applied[Math.min(63, (g * 32) | 0)]!++;
  };
  // pass 1: reference size; deep pixels (above any possible threshold) decided with their own 3×3
  // mean; the column range of edge candidates (gMin < c, undecided) per row
  const first = new Int32Array(H).fill(-1), last = new Int32Array(H).fill(-1);
  for (let y = 0; y < H; y++) {
    const B = sample(y), row = y * W;
    for (let x = 0; x < W; x++) {
      if (ref[row + x] === 0) continue;
      referencePx++;
      const c = data[row + x]! - B[x]!;
      if (c <= gMin) continue;
      if (c > gMax && mean3At(f, x, y) - B[x]! > minContrastOd) accept(row + x, c, gMax);
      else {
        if (first[y]! < 0) first[y] = x;
        last[y] = x;
      }
    }
  }
  // pass 2: D = max of H rows (max of 3×3 means) around edge candidates; each H row computed once,
  // over the union of the candidate ranges of the rows that need it
  const size = 2 * r + 1;
  const ring = Array.from({ length: size }, () => new Float32Array(W));
  const ringRow = new Int32Array(size).fill(-1);
  const mean = new Float32Array(W), spans = new Float32Array(W);
  const hRow = (yy: number): Float32Array => {
    const k = yy % size;
    if (ringRow[k] !== yy) {
      let a = W, b = -1;
      for (let q = Math.max(0, yy - r); q <= Math.min(H - 1, yy + r); q++) {
        if (first[q]! < 0) continue;
        if (first[q]! < a) a = first[q]!;
        if (last[q]! > b) b = last[q]!;
      }
      maxOfMeanRow(f, yy, r, a, b, mean, spans, ring[k]!);
      ringRow[k] = yy;
    }
    return ring[k]!;
  };
  const rows: Float32Array[] = new Array(size);
  for (let y = 0; y < H; y++) {
    if (first[y]! < 0) continue;
    const B = sample(y, first[y]!, last[y]!), row = y * W;
    const y0 = Math.max(0, y - r), y1 = Math.min(H - 1, y + r);
    for (let yy = y0; yy <= y1; yy++) rows[yy - y0] = hRow(yy);
    const nr = y1 - y0 + 1;
    for (let x = first[y]!; x <= last[y]!; x++) {
      if (ref[row + x] === 0 || out[row + x] !== 0) continue;
      const c = data[row + x]! - B[x]!;
      if (c <= gMin) continue;
      let D = rows[0]![x]!;
      for (let k = 1; k < nr; k++) if (rows[k]![x]! > D) D = rows[k]![x]!;
      const delta = D - B[x]!;
      if (delta <= minContrastOd) continue;
      const g = lut[delta >= 4 ? 4095 : (delta * 1024) | 0]!;
      if (c > g) accept(row + x, c, g);
    }
  }
  return { mineral: { width: W, height: H, channels: 1, data: out }, thresholdOd: medianOfBins(applied, 1 / 32), referencePx, mineralPx, integratedOd };
}

function globalThreshold(f: FloatMap, bg: LowResGrid, reference: Mask, t: Exclude<ThresholdParams, { method: 'local-contrast' }>): SegmentResult {
  const { width: W, height: H, data } = f;
  const ref = reference.data;
  const sample = createRowSampler(bg, W);
  let thresholdOd: number;
  if (t.method === 'fixed') thresholdOd = t.valueOd;
  else {
    const counts = new Float64Array(2000);
    const k = counts.length / (HIST_HI - HIST_LO);
    let total = 0;
    for (let y = 0; y < H; y++) {
      const B = sample(y), row = y * W;
      for (let x = 0; x < W; x++) {
        if (ref[row + x] === 0) continue;
        const b = Math.floor((data[row + x]! - B[x]! - HIST_LO) * k);
        counts[b < 0 ? 0 : b >= counts.length ? counts.length - 1 : b]!++;
        total++;
      }
    }
    const h: Histogram = { lo: HIST_LO, hi: HIST_HI, counts, total };
    thresholdOd = total === 0 ? Infinity : t.method === 'otsu' ? otsuThreshold(h) : triangleThreshold(h);
  }
  const out = new Uint8Array(W * H);
  let referencePx = 0, mineralPx = 0, integratedOd = 0;
  for (let y = 0; y < H; y++) {
    const B = sample(y), row = y * W;
    for (let x = 0; x < W; x++) {
      if (ref[row + x] === 0) continue;
      referencePx++;
      const c = data[row + x]! - B[x]!;
      if (c > thresholdOd) {
        out[row + x] = 255;
        mineralPx++;
        integratedOd += c;
      }
    }
  }
  return { mineral: { width: W, height: H, channels: 1, data: out }, thresholdOd, referencePx, mineralPx, integratedOd };
}

export function segmentMineral(f: FloatMap, background: LowResGrid, reference: Mask, t: ThresholdParams, edgeOdPerUnit: number): SegmentResult {
  return t.method === 'local-contrast'
    ? localContrast(f, background, reference, t.minContrastOd, t.edgeRadiusPx, edgeOdPerUnit)
    : globalThreshold(f, background, reference, t);
}

function medianOfBins(counts: Float64Array, binOd: number): number {
  let total = 0;
  for (const c of counts) total += c;
  if (total === 0) return NaN;
  let acc = 0;
  for (let i = 0; i < counts.length; i++) {
    acc += counts[i]!;
    if (acc >= total / 2) return (i + 0.5) * binOd;
  }
  return NaN;
}

export { histogramQuantile };
