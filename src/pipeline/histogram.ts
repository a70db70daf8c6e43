/**
 * Fixed-range histograms of float maps restricted to a mask, and the statistics computed from them
 * (quantiles, Otsu, triangle). Values outside [lo, hi) are clamped into the end bins.
 */
import type { FloatMap, Mask } from './raster.js';

export interface Histogram {
  readonly lo: number;
  readonly hi: number;
  readonly counts: Float64Array;
  readonly total: number;
}

export function binWidth(h: Histogram): number {
  return (h.hi - h.lo) / h.counts.length;
}

export function binCentre(h: Histogram, i: number): number {
  return h.lo + (i + 0.5) * binWidth(h);
}

export function histogramOf(map: FloatMap, mask: Mask | null, lo: number, hi: number, bins = 1024): Histogram {
  const counts = new Float64Array(bins);
  const k = bins / (hi - lo);
  const d = map.data;
  const m = mask?.data;
  let total = 0;
  for (let i = 0; i < d.length; i++) {
    if (m && m[i] === 0) continue;
    let b = Math.floor((d[i]! - lo) * k);
    if (b < 0) b = 0;
    else if (b >= bins) b = bins - 1;
    counts[b]!++;
    total++;
  }
  return { lo, hi, counts, total };
}

/** Value below which a fraction q (0–1) of the histogram lies (linear within the bin). */
export function histogramQuantile(h: Histogram, q: number): number {
  if (h.total === 0) return NaN;
  const target = Math.min(Math.max(q, 0), 1) * h.total;
  let acc = 0;
  const w = binWidth(h);
  for (let i = 0; i < h.counts.length; i++) {
    const c = h.counts[i]!;
    if (acc + c >= target && c > 0) return h.lo + (i + (target - acc) / c) * w;
    acc += c;
  }
  return h.hi;
}

/** Otsu's threshold (maximum between-class variance); returns the upper edge of the lower class. */
export function otsuThreshold(h: Histogram): number {
  const n = h.counts.length;
  let sumAll = 0;
  for (let i = 0; i < n; i++) sumAll += h.counts[i]! * binCentre(h, i);
  let w0 = 0, sum0 = 0, best = -1, bestI = 0;
  for (let i = 0; i < n - 1; i++) {
    w0 += h.counts[i]!;
    sum0 += h.counts[i]! * binCentre(h, i);
    const w1 = h.total - w0;
    if (w0 === 0 || w1 === 0) continue;
    const m0 = sum0 / w0, m1 = (sumAll - sum0) / w1;
    const v = w0 * w1 * (m0 - m1) * (m0 - m1);
    if (v > best) {
      best = v;
      bestI = i;
    }
  }
  return h.lo + (bestI + 1) * binWidth(h);
}

/**
 * Triangle threshold (Zack et al. 1977): the bin farthest from the line joining the histogram
 * peak to the far end of its longer tail. Suited to a large background peak with a small tail of
 * stained pixels.
 */
export function triangleThreshold(h: Histogram): number {
  const c = h.counts;
  const n = c.length;
  let first = 0, last = n - 1, peak = 0;
  while (first < n && c[first] === 0) first++;
  while (last > 0 && c[last] === 0) last--;
  for (let i = 0; i < n; i++) if (c[i]! > c[peak]!) peak = i;
  if (first >= last) return binCentre(h, peak);
  const toHigh = last - peak >= peak - first;
  const end = toHigh ? last : first;
  const dx = end - peak, dy = c[end]! - c[peak]!;
  const norm = Math.hypot(dx, dy) || 1;
  let best = peak, bestD = -1;
  const [a, b] = toHigh ? [peak, end] : [end, peak];
  for (let i = a; i <= b; i++) {
    const d = Math.abs(dy * (i - peak) - dx * (c[i]! - c[peak]!)) / norm;
    if (d > bestD) {
      bestD = d;
      best = i;
    }
  }
  return h.lo + (toHigh ? best + 1 : best) * binWidth(h);
}
