/**
 * Mineral segmentation of a stain-amount map inside the reference area.
 *
 * `local-contrast` (default): a pixel is mineral when it lies on the deposit side of the half-way
 * point *in transmittance* between the local background B and the nearby deposit level D:
 *     f − B > g(D − B),  g(Δ) = −log10((1 + 10^(−a·Δ)) / 2) / a,
 * with a = the strongest channel's OD per unit stain, D = max of the 3×3-mean of f within
 * `edgeRadiusPx` (the mean keeps pixel noise from inflating D), and only
 * where a deposit is really near: D − B > minContrast. Optical blur mixes transmittances, so this
 * places the boundary at the physical deposit edge whatever the deposit's darkness.
 * `otsu` / `triangle`: one threshold from the histogram of f − B in the reference.
 * `fixed`: f − B > valueOd.
 */
import { localBackground } from './background.js';
import { histogramOf, histogramQuantile, otsuThreshold, triangleThreshold } from './histogram.js';
import { dilateMaskSquare, maxFilterSquare } from './morphology.js';
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
  /** Background-corrected amount f − B (relative OD units). */
  readonly corrected: FloatMap;
  /** Threshold on f − B; for local-contrast the median applied threshold over mineral pixels. */
  readonly thresholdOd: number;
}

const HIST_LO = -1, HIST_HI = 4;

/** Median of f inside the mask (histogram-based). */
export function maskedMedian(map: FloatMap, mask: Mask): number {
  const q = histogramQuantile(histogramOf(map, mask, HIST_LO, HIST_HI, 2000), 0.5);
  return Number.isFinite(q) ? q : 0;
}

/**
 * Most frequent value of f inside the mask (histogram of 0.01-OD bins smoothed over ±0.03 OD):
 * the level of the unstained tissue even when deposits cover more than half of the reference.
 */
export function maskedMode(map: FloatMap, mask: Mask): number {
  const h = histogramOf(map, mask, HIST_LO, HIST_HI, 500);
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

/** Valid background pixels: reference minus (dilated) pixels above `level + seedOd`. */
function backgroundSupport(f: FloatMap, reference: Mask, level: FloatMap | number, seedOd: number, padPx: number): Mask {
  const seeds = new Uint8Array(f.data.length);
  const ref = reference.data, d = f.data;
  for (let i = 0; i < d.length; i++) {
    const l = typeof level === 'number' ? level : level.data[i]!;
    if (ref[i] !== 0 && d[i]! > l + seedOd) seeds[i] = 255;
  }
  const excl = dilateMaskSquare({ width: f.width, height: f.height, channels: 1, data: seeds }, padPx).data;
  const valid = new Uint8Array(d.length);
  for (let i = 0; i < d.length; i++) valid[i] = ref[i] !== 0 && excl[i] === 0 ? 255 : 0;
  return { width: f.width, height: f.height, channels: 1, data: valid };
}

/**
 * Local background B of f inside the reference, excluding deposits: two rounds of
 * "exclude pixels above level + seedOd, then smooth the rest", starting from the histogram mode
 * (the median would sit inside the deposits when they cover more than half of the reference).
 */
export function estimateBackground(f: FloatMap, reference: Mask, p: BackgroundParams, padPx: number): FloatMap {
  const sigmaPx = Math.max(2, p.scaleFrac * Math.max(f.width, f.height));
  const global = maskedMode(f, reference);
  let level: FloatMap | number = global;
  for (let round = 0; round < 2; round++) {
    const valid = backgroundSupport(f, reference, level, p.seedOd, padPx);
    level = localBackground(f, valid, sigmaPx, global);
  }
  return level as FloatMap;
}

/** Lookup table of g(Δ) for Δ in [0, 4) OD, step 1/1024. */
function halfTransmittanceLut(edgeOdPerUnit: number): Float32Array {
  const n = 4096;
  const lut = new Float32Array(n);
  const a = edgeOdPerUnit;
  for (let i = 0; i < n; i++) {
    const delta = i / 1024;
    lut[i] = -Math.log10((1 + Math.pow(10, -a * delta)) / 2) / a;
  }
  return lut;
}

export function segmentMineral(
  f: FloatMap,
  background: FloatMap,
  reference: Mask,
  t: ThresholdParams,
  edgeOdPerUnit: number,
): SegmentResult {
  const n = f.data.length;
  const corrected = new Float32Array(n);
  for (let i = 0; i < n; i++) corrected[i] = f.data[i]! - background.data[i]!;
  const cmap: FloatMap = { width: f.width, height: f.height, data: corrected };
  const out = new Uint8Array(n);
  const ref = reference.data;
  let thresholdOd: number;
  if (t.method === 'local-contrast') {
    const D = maxFilterSquare(boxMean3(f), t.edgeRadiusPx).data;
    const lut = halfTransmittanceLut(edgeOdPerUnit);
    const B = background.data;
    const applied = new Float64Array(64);
    for (let i = 0; i < n; i++) {
      if (ref[i] === 0) continue;
      const delta = D[i]! - B[i]!;
      if (delta <= t.minContrastOd) continue;
      const g = lut[Math.min(4095, Math.floor(delta * 1024))]!;
      if (corrected[i]! > g) {
        out[i] = 255;
        applied[Math.min(63, Math.floor(g * 32))]!++;
      }
    }
    thresholdOd = medianOfBins(applied, 1 / 32);
  } else {
    if (t.method === 'fixed') thresholdOd = t.valueOd;
    else {
      const h = histogramOf(cmap, reference, HIST_LO, HIST_HI, 2000);
      thresholdOd = h.total === 0 ? Infinity : t.method === 'otsu' ? otsuThreshold(h) : triangleThreshold(h);
    }
    for (let i = 0; i < n; i++) if (ref[i] !== 0 && corrected[i]! > thresholdOd) out[i] = 255;
  }
  return { mineral: { width: f.width, height: f.height, channels: 1, data: out }, corrected: cmap, thresholdOd };
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

/** 3×3 box mean (edges replicate): suppresses pixel noise before taking local maxima. */
export function boxMean3(map: FloatMap): FloatMap {
  const { width: w, height: h, data } = map;
  const tmp = new Float32Array(w * h), out = new Float32Array(w * h);
  for (let y = 0; y < h; y++) {
    const r = y * w;
    for (let x = 0; x < w; x++) {
      const a = data[r + (x > 0 ? x - 1 : 0)]!, b = data[r + x]!, c = data[r + (x < w - 1 ? x + 1 : x)]!;
      tmp[r + x] = a + b + c;
    }
  }
  for (let y = 0; y < h; y++) {
    const up = (y > 0 ? y - 1 : 0) * w, mid = y * w, dn = (y < h - 1 ? y + 1 : y) * w;
    for (let x = 0; x < w; x++) out[mid + x] = (tmp[up + x]! + tmp[mid + x]! + tmp[dn + x]!) / 9;
  }
  return { width: w, height: h, data: out };
}
