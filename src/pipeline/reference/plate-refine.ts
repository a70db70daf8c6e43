/**
 * Sub-pixel wall edges of one plate well at full resolution (edge models in plate-edge.ts).
 *
 * Inner edge (`refineWellEdge`, the boundary of the measured disc):
 * 1. From a coarse guess: in N angular sectors (N = 2πR / 8 px, 24…64), the steepest bright → dark
 *    drop of the radial brightness (4 rays averaged, 1 px steps) between 0.88 and 1.04 × the coarse
 *    wall radius; a robust circle through them. (Skipped when the guess is the expected circle.)
 * 2. Twice (search ± 2.5 px, then ± 1 px): per sector a radial profile (8 rays, 0.5 px steps,
 *    bilinear) fitted with the 'wall' model (blur σ and wall width found once per plate by
 *    `estimateWallProfile`), then a robust circle through the sector edges (inliers within
 *    max(1 px, 0.5 % of R)). A sector without a clean edge (a deposit touching the wall, a detached
 *    cell layer) is an outlier; `agreement` is the inlier fraction of the wide search (within ± 1 px
 *    even noise would agree).
 * Outer edge (`refineOuterEdge`, wall → plate plastic, never covered by deposits): the same with
 * the 'step' model; it locates wells whose inner edge is hidden.
 * Coordinates: pixel (x, y) has its centre at (x, y).
 */
import type { RgbImage } from '../raster.js';
import { sampleBrightness } from './well.js';
import { type Circle, fitCircleRobust } from './well-fit.js';
import { type EdgeFitCache, fitEdges } from './plate-edge.js';

export interface WellEdgeFit {
  readonly circle: Circle;
  /** Fraction (0–1) of the sectors whose edge lies on the fitted circle (in the wide search). */
  readonly agreement: number;
}

const RAYS = 8;
const STEP_PX = 0.5;
export const BLUR_SIGMAS: readonly number[] = [0.6, 0.8, 1.0, 1.2, 1.5, 1.9, 2.4];

function sectorCount(r: number): number {
  return Math.min(64, Math.max(24, Math.round((2 * Math.PI * r) / 8)));
}

type Sampler = (x: number, y: number) => number;

/** Brightness sampler of an image, normalised to 0–3 (R + G + B as fractions of full scale). */
function brightnessSampler(img: RgbImage): Sampler {
  const k = 1 / (img.bitDepth === 16 ? 65535 : 255);
  return (x, y) => sampleBrightness(img, x, y) * k;
}

/** Per sector, the position of the steepest outward drop (sign −1) or rise (+1) between lo and hi (px from the centre). */
function steepestChanges(bright: Sampler, c: { cx: number; cy: number }, lo: number, hi: number, n: number, sign: 1 | -1, w: number, h: number) {
  const m = Math.floor(hi - lo) + 1, rays = 4;
  const xs: number[] = [], ys: number[] = [];
  const prof = new Float64Array(m);
  for (let k = 0; k < n; k++) {
    prof.fill(0);
    let inside = true;
    for (let j = 0; j < rays && inside; j++) {
      const a = (2 * Math.PI * (k + (j + 0.5) / rays)) / n, dx = Math.cos(a), dy = Math.sin(a);
      for (let i = 0; i < m; i++) {
        const x = c.cx + (lo + i) * dx, y = c.cy + (lo + i) * dy;
        if (x < 0 || y < 0 || x > w - 1 || y > h - 1) inside = false;
        prof[i]! += bright(x, y);
      }
    }
    if (!inside) continue;
    let best = 0, bi = -1;
    for (let i = 1; i < m - 1; i++) {
      const d = sign * (prof[i - 1]! - prof[i + 1]!);
      if (d < best) {
        best = d;
        bi = i;
      }
    }
    if (bi < 0) continue;
    const a = (2 * Math.PI * (k + 0.5)) / n;
    xs.push(c.cx + (lo + bi) * Math.cos(a));
    ys.push(c.cy + (lo + bi) * Math.sin(a));
  }
  return { xs, ys };
}

/**
 * Radial profiles of all sectors around c over [r − inner, r + outer] (px) in STEP_PX steps, each
 * the mean of RAYS rays; null for sectors leaving the image.
 */
function sectorProfiles(bright: Sampler, c: Circle, n: number, inner: number, outer: number, w: number, h: number) {
  const len = Math.floor((inner + outer) / STEP_PX) + 1, r0 = c.r - inner, rEnd = r0 + (len - 1) * STEP_PX;
  const profiles: (Float64Array | null)[] = [];
  for (let k = 0; k < n; k++) {
    const p = new Float64Array(len);
    let inside = true;
    for (let j = 0; j < RAYS && inside; j++) {
      const a = (2 * Math.PI * (k + (j + 0.5) / RAYS)) / n, dx = Math.cos(a), dy = Math.sin(a);
      const xa = c.cx + r0 * dx, ya = c.cy + r0 * dy, xb = c.cx + rEnd * dx, yb = c.cy + rEnd * dy;
      if (Math.min(xa, xb) < 0 || Math.min(ya, yb) < 0 || Math.max(xa, xb) > w - 1 || Math.max(ya, yb) > h - 1) inside = false;
      else for (let i = 0; i < len; i++) p[i]! += bright(xa + i * STEP_PX * dx, ya + i * STEP_PX * dy) / RAYS;
    }
    profiles.push(inside ? p : null);
  }
  return { r0, profiles };
}

/**
 * Profile window inside / outside the inner wall edge (px): room for the rim shadow inside; outside,
 * the wall up to 2.5 σ before its outer edge. A wall too thin for that (< 2.5 σ + 2 px, width t
 * known) is taken whole with its outer rise, which the model then includes (`t` > 0 in the result).
 */
function innerWindow(r: number, search: number, sigma: number, wallPx: number) {
  const inner = Math.max(6, Math.min(14, 0.06 * r)) + search;
  let outer = Math.max(3, Math.min(10, 0.035 * r));
  const thin = wallPx > 0 && wallPx < 2.5 * sigma + 2;
  if (thin) outer = wallPx + 2 * sigma + 1;
  else if (wallPx > 0) outer = Math.min(outer, wallPx - 2.5 * sigma);
  // whole sample steps: wells of one plate share the window and so the model factorisations
  const q = (v: number) => Math.ceil(v / STEP_PX) * STEP_PX;
  return { inner: q(inner), outer: q(outer), t: thin ? wallPx : 0 };
}

/** Edge blur σ (px), wall width (px, 0 = unknown) and the plate's factorisation cache. */
export interface EdgeParams {
  readonly sigma: number;
  readonly wallPx: number;
  readonly cache?: EdgeFitCache;
}

/** Mean of the non-null sector profiles; null if none. */
function meanProfile(profiles: readonly (Float64Array | null)[]): Float64Array | null {
  const valid = profiles.filter((p): p is Float64Array => p !== null);
  if (!valid.length) return null;
  const mean = new Float64Array(valid[0]!.length);
  for (const p of valid) for (let i = 0; i < mean.length; i++) mean[i]! += p[i]! / valid.length;
  return mean;
}

/**
 * Edge blur σ (px, one of BLUR_SIGMAS) and wall width (px, outer − inner radius, ±0.05) of a well
 * whose inner circle c is known to ±2 px and whose outer wall radius is about `rOut` (±2 px): fit
 * of the 'wall' model with its outer rise to the mean sector profile. null if nothing fits.
 */
export function estimateWallProfile(img: RgbImage, c: Circle, rOut: number): { sigma: number; wallPx: number } | null {
  const inner = Math.max(6, Math.min(14, 0.06 * c.r)) + 2, outer = rOut - c.r + 2 + 2 * BLUR_SIGMAS[BLUR_SIGMAS.length - 1]! + 1;
  const { r0, profiles } = sectorProfiles(brightnessSampler(img), c, sectorCount(c.r), inner, outer, img.width, img.height);
  const mean = meanProfile(profiles);
  if (!mean) return null;
  // σ and the width trade off against each other for thin walls: a joint grid, coarse (width in
  // 0.5 px steps), then fine (0.1 px) around the best pair
  let sigma = 1.2, wallPx = rOut - c.r, best = Infinity;
  const tryFit = (sg: number, t: number) => {
    const fit = fitEdges([mean], r0, { step: STEP_PX, rLo: c.r - 2, rHi: c.r + 2, model: 'wall', sigma: sg, wallPx: t })[0];
    if (fit && fit.sse < best) {
      best = fit.sse;
      sigma = sg;
      wallPx = t;
    }
  };
  const t0 = wallPx;
  for (const sg of BLUR_SIGMAS) for (let t = Math.max(0.5, t0 - 2); t <= t0 + 2 + 1e-9; t += 0.5) tryFit(sg, t);
  const s1 = BLUR_SIGMAS.indexOf(sigma), t1 = wallPx;
  for (const sg of BLUR_SIGMAS.slice(Math.max(0, s1 - 1), s1 + 2)) for (let t = Math.max(0.5, t1 - 0.4); t <= t1 + 0.4 + 1e-9; t += 0.1) tryFit(sg, t);
  return Number.isFinite(best) ? { sigma, wallPx } : null;
}

/** Robust circle through the sector edges of `fits` around c; agreement = inlier fraction of n. */
function circleFromSectors(c: Circle, fits: readonly ({ r: number } | null)[], n: number): WellEdgeFit | null {
  const xs: number[] = [], ys: number[] = [];
  fits.forEach((f, k) => {
    if (!f) return;
    const a = (2 * Math.PI * (k + 0.5)) / n;
    xs.push(c.cx + f.r * Math.cos(a));
    ys.push(c.cy + f.r * Math.sin(a));
  });
  const robust = fitCircleRobust(xs, ys, Math.max(1, 0.005 * c.r));
  return robust ? { circle: robust.circle, agreement: robust.inliers.filter(Boolean).length / n } : null;
}

/**
 * Inner wall circle of the well near `guess`, with edge blur σ and wall width (px). `coarse`: the
 * centre is known to ± ~0.1·R and `guess.r` is the coarse wall radius (the dark ring, ± 4 %); the
 * first estimate is the steepest drop per sector. Otherwise `guess` is the expected inner circle
 * itself (± 2 px, e.g. from the plate grid and the other wells). null when no circle fits. Pure.
 */
export function refineWellEdge(img: RgbImage, guess: Circle, e: EdgeParams, coarse = true): WellEdgeFit | null {
  const bright = brightnessSampler(img);
  const { width: w, height: h } = img;
  const n = sectorCount(guess.r);
  let fit: WellEdgeFit | null = { circle: guess, agreement: 0 };
  if (coarse) {
    const first = steepestChanges(bright, guess, 0.88 * guess.r, 1.04 * guess.r, n, -1, w, h);
    if (first.xs.length < n / 4) return null;
    const g = fitCircleRobust(first.xs, first.ys, Math.max(2, 0.01 * guess.r));
    if (!g) return null;
    fit = { circle: g.circle, agreement: 0 };
  }
  let agreement = 1;
  for (const [search, gridPx] of [[2.5, 0.5], [1, 0.25]] as const) {
    const c: Circle = fit.circle, win = innerWindow(c.r, search, e.sigma, e.wallPx);
    const { r0, profiles } = sectorProfiles(bright, c, n, win.inner, win.outer, w, h);
    const fits = fitEdges(profiles, r0, { step: STEP_PX, rLo: c.r - search, rHi: c.r + search, gridPx, model: 'wall', sigma: e.sigma, wallPx: win.t, cache: e.cache });
    fit = circleFromSectors(c, fits, n);
    if (!fit) return null;
    agreement = Math.min(agreement, fit.agreement);
  }
  // the agreement of the wide search counts: within a narrow one even noise lies near the circle
  return { circle: fit.circle, agreement };
}

/**
 * Outer wall circle (dark wall → brighter plastic, never covered by deposits) near `guess`
 * (centre ± 2 px, radius ± 2.5 px), edge blur σ and wall width (px). null when no circle fits.
 */
export function refineOuterEdge(img: RgbImage, guess: Circle, e: EdgeParams): WellEdgeFit | null {
  const { sigma, wallPx } = e;
  const bright = brightnessSampler(img);
  const n = sectorCount(guess.r);
  let fit: WellEdgeFit | null = { circle: guess, agreement: 0 }, agreement = 1;
  for (const search of [2.5, 1]) {
    // inside: the wall only (its radius bias is common to all sectors and leaves the centre exact)
    const c: Circle = fit.circle, side = 2 + 2 * sigma, inside = Math.max(1.5, Math.min(side, wallPx - 1.5 * sigma));
    const { r0, profiles } = sectorProfiles(bright, c, n, inside + search, side + search, img.width, img.height);
    fit = circleFromSectors(c, fitEdges(profiles, r0, { step: STEP_PX, rLo: c.r - search, rHi: c.r + search, model: 'step', sigma, cache: e.cache }), n);
    if (!fit) return null;
    agreement = Math.min(agreement, fit.agreement);
  }
  return { circle: fit.circle, agreement };
}

/**
 * Outer wall radius of a well whose inner circle c is known: per sector the steepest outward rise
 * between 1.01 and 1.3 × c.r, median over the sectors (±1 px). null if the image cuts the well.
 */
export function coarseOuterRadius(img: RgbImage, c: Circle): number | null {
  const n = sectorCount(c.r);
  const s = steepestChanges(brightnessSampler(img), c, 1.01 * c.r + 1, 1.3 * c.r, n, 1, img.width, img.height);
  const r = s.xs.map((x, k) => Math.hypot(x - c.cx, s.ys[k]! - c.cy)).sort((a, b) => a - b);
  return r.length >= n / 2 ? r[r.length >> 1]! : null;
}

/**
 * Darkness of the wall ring around an inner circle c: median over 64 angles of the brightness just
 * outside the wall (r = c.r + wallPx + 2σ + 1) minus the brightness in the middle of the wall
 * (0–3 brightness units; ~0 where there is no wall).
 */
export function wallContrast(img: RgbImage, c: Circle, wallPx: number, sigma: number): number {
  const bright = brightnessSampler(img), d: number[] = [];
  const rIn = c.r + wallPx / 2, rOut = c.r + wallPx + 2 * sigma + 1;
  for (let k = 0; k < 64; k++) {
    const a = (2 * Math.PI * (k + 0.5)) / 64, dx = Math.cos(a), dy = Math.sin(a);
    d.push(bright(c.cx + rOut * dx, c.cy + rOut * dy) - bright(c.cx + rIn * dx, c.cy + rIn * dy));
  }
  d.sort((p, q) => p - q);
  return d[32]!;
}
