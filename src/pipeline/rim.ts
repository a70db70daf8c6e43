/**
 * Rim (meniscus) shading of culture wells. Along the inner edge of a well the medium's meniscus
 * and the wall darken the image neutrally; for a neutral mineral stain (silver) that shading is
 * indistinguishable from deposits by colour, but it depends only on the distance to the well edge.
 * For every (nearly) circular reference component we estimate a low quantile of the stain amount as
 * a function of the distance to the edge, relative to the well interior, and subtract it.
 * A low quantile is robust to deposits covering up to ~¾ of a ring.
 */
import { extractRuns, labelRuns } from './components.js';
import type { FloatMap, Mask } from './raster.js';

export interface Circle {
  readonly cx: number;
  readonly cy: number;
  readonly radiusPx: number;
}

/**
 * Reference components that are discs: bounding box nearly square and area ≈ π·(w/2)·(h/2).
 * Centre = centroid, radius = area-equivalent radius (pixel-centre convention).
 */
export function circularComponents(reference: Mask, minAreaPx = 400): Circle[] {
  const runs = extractRuns(reference);
  const st = labelRuns(runs, 8);
  const out: Circle[] = [];
  for (let c = 0; c < st.count; c++) {
    const a = st.areaPx[c]!;
    if (a < minAreaPx) continue;
    const w = st.maxX[c]! - st.minX[c]! + 1, h = st.maxY[c]! - st.minY[c]! + 1;
    const squareness = Math.min(w, h) / Math.max(w, h);
    const fill = a / ((Math.PI * w * h) / 4);
    if (squareness < 0.95 || fill < 0.95 || fill > 1.05) continue;
    out.push({ cx: st.sumX[c]! / a, cy: st.sumY[c]! / a, radiusPx: Math.sqrt(a / Math.PI) });
  }
  return out;
}

const HIST_LO = -1, HIST_HI = 4, HIST_BINS = 500;

function quantileOfBins(counts: Float64Array, offset: number, total: number, q: number): number {
  const target = q * total;
  let acc = 0;
  const w = (HIST_HI - HIST_LO) / HIST_BINS;
  for (let i = 0; i < HIST_BINS; i++) {
    const c = counts[offset + i]!;
    if (c > 0 && acc + c >= target) return HIST_LO + (i + (target - acc) / c) * w;
    acc += c;
  }
  return HIST_HI;
}

/**
 * Excess of the `quantile` of `amount` per 1-px distance band from the circle's edge, relative to
 * the interior (distance ≥ bandPx), forced non-negative and non-increasing inwards. Index = band.
 */
export function rimProfile(
  amount: FloatMap,
  reference: Mask,
  circle: Circle,
  bandPx: number,
  quantile: number,
): Float32Array {
  const nb = bandPx + 1; // bands 0..bandPx−1, plus the interior at index bandPx
  const counts = new Float64Array(nb * HIST_BINS);
  const totals = new Float64Array(nb);
  const { width, height } = amount;
  const R = circle.radiusPx;
  const y0 = Math.max(0, Math.floor(circle.cy - R - 2)), y1 = Math.min(height - 1, Math.ceil(circle.cy + R + 2));
  const x0 = Math.max(0, Math.floor(circle.cx - R - 2)), x1 = Math.min(width - 1, Math.ceil(circle.cx + R + 2));
  const k = HIST_BINS / (HIST_HI - HIST_LO);
  for (let y = y0; y <= y1; y++) {
    const dy = y - circle.cy;
    for (let x = x0; x <= x1; x++) {
      const i = y * width + x;
      if (reference.data[i] === 0) continue;
      const d = R - Math.hypot(x - circle.cx, dy);
      const band = Math.min(bandPx, Math.max(0, Math.floor(d)));
      let b = Math.floor((amount.data[i]! - HIST_LO) * k);
      b = b < 0 ? 0 : b >= HIST_BINS ? HIST_BINS - 1 : b;
      counts[band * HIST_BINS + b]!++;
      totals[band]!++;
    }
  }
  const profile = new Float32Array(nb);
  if (totals[bandPx]! < 50) return profile;
  const base = quantileOfBins(counts, bandPx * HIST_BINS, totals[bandPx]!, quantile);
  let prev = Infinity;
  for (let band = 0; band < bandPx; band++) {
    const excess = totals[band]! >= 10 ? quantileOfBins(counts, band * HIST_BINS, totals[band]!, quantile) - base : 0;
    prev = Math.min(prev, Math.max(0, excess));
    profile[band] = prev;
  }
  return profile;
}

/**
 * Subtracts each circle's rim profile from `amount` inside the reference. Returns a new map, or
 * with `inPlace` the input itself (every profile is measured before anything is subtracted, so
 * both give the same values).
 */
export function correctRims(
  amount: FloatMap,
  reference: Mask,
  circles: readonly Circle[],
  o: { bandFrac?: number; quantile?: number; inPlace?: boolean } = {},
): FloatMap {
  const { width, height } = amount;
  const bands = circles.map((c) => Math.max(4, Math.round((o.bandFrac ?? 0.2) * c.radiusPx)));
  const profiles = circles.map((c, k) => rimProfile(amount, reference, c, bands[k]!, o.quantile ?? 0.25));
  const out = o.inPlace ? amount.data : amount.data.slice();
  circles.forEach((c, k) => {
    const bandPx = bands[k]!, prof = profiles[k]!;
    const R = c.radiusPx;
    const y0 = Math.max(0, Math.floor(c.cy - R - 2)), y1 = Math.min(height - 1, Math.ceil(c.cy + R + 2));
    const x0 = Math.max(0, Math.floor(c.cx - R - 2)), x1 = Math.min(width - 1, Math.ceil(c.cx + R + 2));
    for (let y = y0; y <= y1; y++) {
      const dy = y - c.cy;
      for (let x = x0; x <= x1; x++) {
        const i = y * width + x;
        if (reference.data[i] === 0) continue;
        const band = Math.floor(R - Math.hypot(x - c.cx, dy));
        if (band >= bandPx) continue;
        out[i] = out[i]! - prof[Math.max(0, band)]!;
      }
    }
  });
  return o.inPlace ? amount : { width, height, data: out };
}
