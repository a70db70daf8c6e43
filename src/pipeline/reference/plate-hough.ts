/**
 * Coarse well candidates for plate detection, on a block-mean copy (≤ 1024 px long side).
 *
 * Centres: a gradient Hough transform. Every strong edge pixel (Sobel magnitude ≥ 20 % of the
 * 99th percentile, after a [1 2 1]² smoothing) votes along its gradient line, both ways, at distances
 * rMin…rMax: the inner edge of a well wall (bright interior → dark wall) and its outer edge (dark
 * wall → brighter plate plastic) both point at the well centre, so every well gives a sharp peak
 * whatever its radius; straight edges (plate border, light box) only spread votes along lines.
 * Peaks = local maxima of the smoothed accumulator, greedily suppressed within 0.6·rMin.
 *
 * Radius: the angular median of the brightness at each radius around a centre (robust to deposits
 * covering less than half of a ring) has its minimum in the dark wall.
 */
import type { LowResRgb } from '../illumination.js';

export interface CentreCandidate {
  /** Low-res pixel coordinates (pixel centres at integers). */
  readonly x: number;
  readonly y: number;
  /** Smoothed accumulator value (votes). */
  readonly votes: number;
}

/** Brightness (R + G + B, fractions of full scale, 0–3) of a low-res copy. */
export function brightnessMap(lr: LowResRgb): Float32Array {
  const d = lr.rgb.data, out = new Float32Array(lr.rgb.width * lr.rgb.height);
  for (let i = 0; i < out.length; i++) out[i] = d[3 * i]! + d[3 * i + 1]! + d[3 * i + 2]!;
  return out;
}

/** Separable [1 2 1]/4 smoothing (edges clamped); returns a new array. */
function smooth121(src: Float32Array, w: number, h: number): Float32Array {
  const tmp = new Float32Array(w * h), out = new Float32Array(w * h);
  for (let y = 0; y < h; y++) {
    const r = y * w;
    for (let x = 0; x < w; x++) tmp[r + x] = 0.25 * (src[r + Math.max(0, x - 1)]! + 2 * src[r + x]! + src[r + Math.min(w - 1, x + 1)]!);
  }
  for (let y = 0; y < h; y++) {
    const a = Math.max(0, y - 1) * w, b = y * w, c = Math.min(h - 1, y + 1) * w;
    for (let x = 0; x < w; x++) out[b + x] = 0.25 * (tmp[a + x]! + 2 * tmp[b + x]! + tmp[c + x]!);
  }
  return out;
}

/** Value below which a fraction q of the array lies (1024-bin histogram between 0 and the max). */
function histQuantile(v: Float32Array, q: number): number {
  let max = 0;
  for (let i = 0; i < v.length; i++) if (v[i]! > max) max = v[i]!;
  if (max === 0) return 0;
  const bins = new Float64Array(1024), k = 1023 / max;
  for (let i = 0; i < v.length; i++) bins[Math.floor(v[i]! * k)]!++;
  let acc = 0;
  for (let i = 0; i < 1024; i++) {
    acc += bins[i]!;
    if (acc >= q * v.length) return (i + 1) / k;
  }
  return max;
}

/**
 * Circle-centre candidates of radius rMin…rMax (low-res px) in a brightness map `b` (w × h), best
 * first, at most `maxPeaks`, each ≥ 10 % of the strongest, and the smoothed accumulator (w × h,
 * votes) for judging other positions. Pure.
 */
export function houghCentres(b: Float32Array, w: number, h: number, rMin: number, rMax: number, maxPeaks = 200): { peaks: CentreCandidate[]; votes: Float32Array } {
  const s = smooth121(smooth121(b, w, h), w, h);
  const gx = new Float32Array(w * h), gy = new Float32Array(w * h), mag = new Float32Array(w * h);
  for (let y = 1; y < h - 1; y++) {
    for (let x = 1; x < w - 1; x++) {
      const i = y * w + x;
      const tl = s[i - w - 1]!, t = s[i - w]!, tr = s[i - w + 1]!, l = s[i - 1]!, r = s[i + 1]!, bl = s[i + w - 1]!, bm = s[i + w]!, br = s[i + w + 1]!;
      const dx = tr + 2 * r + br - tl - 2 * l - bl, dy = bl + 2 * bm + br - tl - 2 * t - tr;
      gx[i] = dx;
      gy[i] = dy;
      mag[i] = Math.hypot(dx, dy);
    }
  }
  const thr = 0.2 * histQuantile(mag, 0.99);
  const acc = new Float32Array(w * h);
  const t0 = Math.max(1, Math.floor(rMin)), t1 = Math.ceil(rMax);
  for (let y = 1; y < h - 1; y++) {
    for (let x = 1; x < w - 1; x++) {
      const i = y * w + x, m = mag[i]!;
      if (m < thr || m === 0) continue;
      const ux = gx[i]! / m, uy = gy[i]! / m;
      for (let sg = 1; sg >= -1; sg -= 2) {
        const vx = sg * ux, vy = sg * uy;
        for (let t = t0; t <= t1; t++) {
          const X = x + t * vx + 0.5, Y = y + t * vy + 0.5;
          if (X < 0 || Y < 0 || X >= w || Y >= h) break;
          acc[(Y | 0) * w + (X | 0)]! += 1;
        }
      }
    }
  }
  const votes = smooth121(acc, w, h);
  return { peaks: peaks(votes, w, h, Math.max(2, 0.6 * rMin), maxPeaks), votes };
}

/** Local maxima ≥ 10 % of the global one, greedily separated by ≥ `minDist`, with 3×3 centroids. */
function peaks(a: Float32Array, w: number, h: number, minDist: number, maxPeaks: number): CentreCandidate[] {
  let max = 0;
  for (let i = 0; i < a.length; i++) if (a[i]! > max) max = a[i]!;
  const cand: number[] = [];
  for (let y = 1; y < h - 1; y++) {
    for (let x = 1; x < w - 1; x++) {
      const i = y * w + x, v = a[i]!;
      if (v < 0.1 * max) continue;
      if (v >= a[i - 1]! && v > a[i + 1]! && v >= a[i - w]! && v > a[i + w]! && v >= a[i - w - 1]! && v > a[i + w + 1]! && v >= a[i - w + 1]! && v > a[i + w - 1]!) cand.push(i);
    }
  }
  cand.sort((p, q) => a[q]! - a[p]!);
  const out: CentreCandidate[] = [];
  const d2 = minDist * minDist;
  for (const i of cand) {
    if (out.length >= maxPeaks) break;
    const x = i % w, y = (i - x) / w;
    if (out.some((p) => (p.x - x) ** 2 + (p.y - y) ** 2 < d2)) continue;
    let sx = 0, sy = 0, sw = 0;
    for (let dy = -1; dy <= 1; dy++) {
      for (let dx = -1; dx <= 1; dx++) {
        const v = a[i + dy * w + dx]!;
        sx += v * dx;
        sy += v * dy;
        sw += v;
      }
    }
    out.push({ x: x + sx / sw, y: y + sy / sw, votes: a[i]! });
  }
  return out;
}

/** Bilinear sample of a w × h map (clamped to the border). */
export function sampleMap(b: Float32Array, w: number, h: number, x: number, y: number): number {
  const xc = Math.min(Math.max(x, 0), w - 1), yc = Math.min(Math.max(y, 0), h - 1);
  const x0 = Math.min(Math.floor(xc), w - 2), y0 = Math.min(Math.floor(yc), h - 2);
  const tx = xc - x0, ty = yc - y0, i = y0 * w + x0;
  return (b[i]! * (1 - tx) + b[i + 1]! * tx) * (1 - ty) + (b[i + w]! * (1 - tx) + b[i + w + 1]! * tx) * ty;
}

/**
 * Angular-median brightness profile around (cx, cy): value k is the median over 48 angles at radius
 * r0 + k·step (low-res px). NaN where fewer than half of the angles fall inside the map.
 */
export function medianRadialProfile(b: Float32Array, w: number, h: number, cx: number, cy: number, r0: number, step: number, n: number): Float64Array {
  const ANGLES = 48, out = new Float64Array(n), vals: number[] = [];
  for (let k = 0; k < n; k++) {
    const r = r0 + k * step;
    vals.length = 0;
    for (let a = 0; a < ANGLES; a++) {
      const x = cx + r * Math.cos((2 * Math.PI * a) / ANGLES), y = cy + r * Math.sin((2 * Math.PI * a) / ANGLES);
      if (x >= 0 && y >= 0 && x <= w - 1 && y <= h - 1) vals.push(sampleMap(b, w, h, x, y));
    }
    vals.sort((p, q) => p - q);
    out[k] = vals.length >= ANGLES / 2 ? vals[vals.length >> 1]! : NaN;
  }
  return out;
}
