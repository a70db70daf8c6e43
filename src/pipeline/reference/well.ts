/**
 * Automatic well reference: the inner disc of ONE culture well (e.g. a 12-well-plate well filling
 * most of the photo). The well wall is a dark ring (plate plastic outside, cell layer inside, often
 * with a dark meniscus shadow along the inner edge).
 *
 * 1. Coarse (≤ 512 px brightness map, well-coarse.ts): dark minima along 180 rays from the image
 *    centre, a consensus circle through them (deposits darker than the wall are outvoted), refined
 *    robustly, twice. Accepted when ≥ 1/3 of the rays agree, the radius is ≥ 30 % of the short side
 *    (a well filling most of the photo) and the ring is ≥ 15 % darker than the inside.
 * 2. Inner edge, first estimate: in 64 sectors of the full-resolution image, the steepest
 *    bright → dark drop near the wall (±2 px); a robust circle through them.
 * 3. Sub-pixel edge in 64 angular sectors (12 rays each, 0.5 px steps, bilinear): the blurred
 *    step model of `fitWallEdge` (handles a rim shadow that ends abruptly at the wall), then a
 *    robust circle through the sector edges; repeated once from the refined centre. At least half
 *    of the sectors must agree within max(1.5 px, 0.4 % of the radius), so an irregular dark ring
 *    (a section of an aorta) is not taken for a well.
 * Coordinates: pixel (x, y) has its centre at (x, y); the mask holds the pixels whose centre is
 * inside the circle. (Add 0.5 for coordinates whose pixel corners sit on integers.)
 */
import { AppError } from '../../common/errors.js';
import type { Illumination } from '../od.js';
import type { Mask, RgbImage } from '../raster.js';
import { type LowResRgb, lowResRgb } from '../illumination.js';
import { coarseWallCircle } from './well-coarse.js';
import { type Circle, fitCircleRobust, fitWallEdge } from './well-fit.js';

export interface WellResult {
  /** Full-resolution mask, 255 inside the well. */
  readonly mask: Mask;
  /** Centre (pixel-index coordinates, px) and inner radius of the wall (px). */
  readonly cx: number;
  readonly cy: number;
  readonly radiusPx: number;
  readonly notes: string[];
}

/** Smallest accepted radius of the wall ring as a fraction of the image's short side. */
const MIN_RADIUS_FRAC = 0.3;
const SECTORS = 64;
const RAYS_PER_SECTOR = 12;
/** Radial sampling step of the sector profiles (px). */
const PROFILE_STEP_PX = 0.5;

function noWell(detail: string): AppError {
  return new AppError(
    'REFERENCE_EMPTY',
    'No culture well was found in this image (expected one well with a dark wall filling most of the photo). Use --reference tissue, or draw the area to measure as a region.',
    { detail },
  );
}

/**
 * Finds the well and returns its inner disc. Pure; inputs untouched. Throws REFERENCE_EMPTY.
 * `illum` is not needed (the geometry comes from local brightness contrasts) and is accepted for
 * symmetry with the other references; pass `o.lowRes` to reuse a `lowResRgb` copy.
 */
export function detectWell(img: RgbImage, _illum?: Illumination, o: { lowRes?: LowResRgb } = {}): WellResult {
  const coarse = coarseWallCircle(o.lowRes ?? lowResRgb(img), MIN_RADIUS_FRAC);
  if ('reason' in coarse) throw noWell(coarse.reason);
  const full = img.bitDepth === 16 ? 65535 : 255;
  const bright = (x: number, y: number) => sampleBrightness(img, x, y) / full;
  // inner edge: steepest bright → dark drop near the wall, per sector, then a robust circle
  const c0 = coarse.circle;
  const guess = steepestDrops(bright, c0, img.width, img.height);
  const g = fitCircleRobust(guess.xs, guess.ys, Math.max(2, 0.006 * c0.r));
  if (!g || g.inliers.filter(Boolean).length < SECTORS / 3) throw noWell('no sharp inner wall edge');
  let c: Circle = g.circle;
  const notes: string[] = [];
  for (let pass = 0; pass < 2; pass++) {
    const fit = sectorEdges(bright, c, img.width, img.height, pass === 0 ? 5 : 2.5);
    const xs: number[] = [], ys: number[] = [];
    for (let k = 0; k < SECTORS; k++) {
      if (!fit.ok[k]) continue;
      const a = (2 * Math.PI * (k + 0.5)) / SECTORS;
      xs.push(c.cx + fit.r[k]! * Math.cos(a));
      ys.push(c.cy + fit.r[k]! * Math.sin(a));
    }
    const robust = fitCircleRobust(xs, ys, Math.max(1.5, 0.004 * c.r));
    if (!robust) throw noWell('circle fit failed');
    const inl = robust.inliers.filter(Boolean).length;
    // an irregular dark ring (e.g. an aorta section) does not give a circle
    if (pass === 1 && inl < SECTORS / 2) throw noWell(`only ${inl} of ${SECTORS} sector edges agree on a circle`);
    c = robust.circle;
    if (pass === 1) notes.push(`well edge from ${inl} of ${SECTORS} sectors (blur σ ≈ ${fit.sigma.toFixed(1)} px)`);
  }
  return { mask: discMask(img.width, img.height, c), cx: c.cx, cy: c.cy, radiusPx: c.r, notes };
}

/** Bilinear brightness (sum of R, G, B in code values) at a full-res position (clamped). */
export function sampleBrightness(img: RgbImage, x: number, y: number): number {
  const { width: w, height: h, data } = img;
  const xc = Math.min(Math.max(x, 0), w - 1), yc = Math.min(Math.max(y, 0), h - 1);
  const x0 = Math.min(Math.floor(xc), w - 2 < 0 ? 0 : w - 2), y0 = Math.min(Math.floor(yc), h - 2 < 0 ? 0 : h - 2);
  const tx = xc - x0, ty = yc - y0;
  const p = (y0 * w + x0) * 3, q = p + 3 * w;
  const s00 = data[p]! + data[p + 1]! + data[p + 2]!, s10 = data[p + 3]! + data[p + 4]! + data[p + 5]!;
  const s01 = data[q]! + data[q + 1]! + data[q + 2]!, s11 = data[q + 3]! + data[q + 4]! + data[q + 5]!;
  return (s00 * (1 - tx) + s10 * tx) * (1 - ty) + (s01 * (1 - tx) + s11 * tx) * ty;
}

/**
 * Per sector (4 rays averaged, 1 px steps), the position of the steepest bright → dark drop between
 * 85 % and 105 % of the coarse wall radius: a first inner-edge estimate (± ~2 px).
 */
function steepestDrops(bright: (x: number, y: number) => number, c: Circle, w: number, h: number) {
  const lo = 0.85 * c.r, hi = 1.05 * c.r, step = 1, rays = 4;
  const n = Math.floor((hi - lo) / step) + 1;
  const xs: number[] = [], ys: number[] = [];
  const prof = new Float64Array(n), cnt = new Float64Array(n);
  for (let k = 0; k < SECTORS; k++) {
    prof.fill(0);
    cnt.fill(0);
    for (let j = 0; j < rays; j++) {
      const a = (2 * Math.PI * (k + (j + 0.5) / rays)) / SECTORS, dx = Math.cos(a), dy = Math.sin(a);
      for (let i = 0; i < n; i++) {
        const x = c.cx + (lo + i * step) * dx, y = c.cy + (lo + i * step) * dy;
        if (x < 0 || y < 0 || x > w - 1 || y > h - 1) continue;
        prof[i]! += bright(x, y);
        cnt[i]!++;
      }
    }
    let best = 0, bi = -1;
    for (let i = 1; i < n - 1; i++) {
      if (cnt[i + 1]! < rays || cnt[i - 1]! < rays) continue;
      const d = (prof[i + 1]! - prof[i - 1]!) / rays;
      if (d < best) {
        best = d;
        bi = i;
      }
    }
    if (bi < 0) continue;
    const a = (2 * Math.PI * (k + 0.5)) / SECTORS, r = lo + bi * step;
    xs.push(c.cx + r * Math.cos(a));
    ys.push(c.cy + r * Math.sin(a));
  }
  return { xs, ys };
}

/** Sub-pixel inner-wall radius per angular sector around circle c (see fitWallEdge). */
function sectorEdges(bright: (x: number, y: number) => number, c: Circle, w: number, h: number, searchPx: number) {
  const inner = Math.max(8, Math.min(14, 0.03 * c.r)), outer = Math.max(6, Math.min(12, 0.025 * c.r));
  const rs = new Float64Array(Math.floor((inner + outer) / PROFILE_STEP_PX) + 1).map((_, i) => c.r - inner + i * PROFILE_STEP_PX);
  const r = new Float64Array(SECTORS), ok: boolean[] = [];
  const profiles: (Float64Array | null)[] = [];
  const mean = new Float64Array(rs.length);
  for (let k = 0; k < SECTORS; k++) {
    const p = new Float64Array(rs.length);
    let inside = true;
    for (let j = 0; j < RAYS_PER_SECTOR && inside; j++) {
      const a = (2 * Math.PI * (k + (j + 0.5) / RAYS_PER_SECTOR)) / SECTORS, dx = Math.cos(a), dy = Math.sin(a);
      for (let i = 0; i < rs.length; i++) {
        const x = c.cx + rs[i]! * dx, y = c.cy + rs[i]! * dy;
        if (x < 0 || y < 0 || x > w - 1 || y > h - 1) inside = false;
        p[i]! += bright(x, y) / RAYS_PER_SECTOR;
      }
    }
    profiles.push(inside ? p : null);
    if (inside) for (let i = 0; i < rs.length; i++) mean[i]! += p[i]!;
  }
  // blur σ once, from the mean profile; then only the radius per sector
  const all = fitWallEdge(rs, mean, c.r - searchPx, c.r + searchPx, [0.6, 0.8, 1.0, 1.2, 1.5, 1.9, 2.4]);
  const sigma = all ? all.sigma : 1.2;
  for (let k = 0; k < SECTORS; k++) {
    const p = profiles[k];
    const fit = p ? fitWallEdge(rs, p, c.r - searchPx, c.r + searchPx, [sigma]) : null;
    // an edge at the border of the search range is not an edge
    ok.push(fit !== null && Math.abs(fit.r - c.r) < searchPx - 0.1);
    r[k] = fit ? fit.r : NaN;
  }
  return { r, ok, sigma };
}

/** Mask of the pixels whose centre lies strictly inside circle c. */
function discMask(w: number, h: number, c: Circle): Mask {
  const data = new Uint8Array(w * h);
  const r2 = c.r * c.r;
  for (let y = Math.max(0, Math.floor(c.cy - c.r)); y <= Math.min(h - 1, Math.ceil(c.cy + c.r)); y++) {
    const dy2 = (y - c.cy) ** 2;
    if (dy2 >= r2) continue;
    const half = Math.sqrt(r2 - dy2);
    let x0 = Math.max(0, Math.ceil(c.cx - half)), x1 = Math.min(w - 1, Math.floor(c.cx + half));
    // strict inequality at the ends (guards against rounding in sqrt)
    while (x0 <= x1 && (x0 - c.cx) ** 2 + dy2 >= r2) x0++;
    while (x1 >= x0 && (x1 - c.cx) ** 2 + dy2 >= r2) x1--;
    if (x0 <= x1) data.fill(255, y * w + x0, y * w + x1 + 1);
  }
  return { width: w, height: h, channels: 1, data };
}
