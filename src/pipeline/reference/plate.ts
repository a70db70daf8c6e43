/**
 * Automatic well finding in a photo or scan of a whole multiwell plate (6, 12, 24, 48 or 96 wells,
 * landscape, row A at the top, rotated by at most a few degrees).
 *
 * 1. Candidates (plate-hough.ts, ≤ 512 px copy): centres of circles of radius 1 %–15 % of the
 *    image's long side by a gradient Hough transform (the dark wall ring of every well).
 * 2. Grid (plate-grid.ts): a square lattice under a similarity transform fitted robustly to the
 *    candidates, with the layout (given, or the one whose rows × columns window explains the
 *    candidates best). Candidates off the lattice (deposits, dust, bubbles) are rejected; nodes
 *    without a candidate are kept (missing or empty wells).
 * 3. Coarse wall radius: minimum of the angular-median brightness profile, median over the wells;
 *    edge blur σ and wall width at full resolution from 3 wells (plate-refine.ts).
 * 4. Each well at full resolution (plate-refine.ts): sub-pixel inner wall edge in angular sectors,
 *    robust circle. Clean when ≥ 70 % of the sectors agree, near its node, radius within 3 % of the
 *    median. Other wells: fitted again from the circle the clean wells predict (lattice refitted to
 *    their centres, median radius); failing that, located by the outer wall edge (same centre,
 *    median radius) if their wall is as dark as the others'; failing that, placed on the lattice
 *    with the median radius (`found: false`: a missing, cut-out or unrecognisable well).
 * Coordinates: full-resolution pixels, pixel (x, y) centred at (x, y); a well is the disc of the
 * pixels whose centre lies strictly inside its circle. Pure; the image is untouched.
 */
import { AppError } from '../../common/errors.js';
import type { RgbImage } from '../raster.js';
import { type LowResRgb, lowResRgb, reduceLowRes } from '../illumination.js';
import { type GridFit, type PlateLayout, fitLattice, fitPlateGrid, latticeNode, wellId } from './plate-grid.js';
import { brightnessMap, houghCentres, medianRadialProfile, sampleMap } from './plate-hough.js';
import { type EdgeParams, type WellEdgeFit, coarseOuterRadius, estimateWallProfile, refineOuterEdge, refineWellEdge, wallContrast } from './plate-refine.js';
import type { Circle } from './well-fit.js';
import { type EdgeExclusion, checkEdgeExclusion } from './plate-masks.js';

export { type PlateLayout, PLATE_GEOMETRY, PLATE_LAYOUTS, wellId } from './plate-grid.js';
export { type EdgeExclusion, type WellLabels, edgeExclusionPx, wellMasks } from './plate-masks.js';

export interface PlateWell {
  /** A1, A2, … (row letter from the top, column number from the left). */
  readonly id: string;
  readonly row: number;
  readonly col: number;
  /** Centre (px, full resolution) and inner wall radius (px). */
  readonly cx: number;
  readonly cy: number;
  readonly radiusPx: number;
  /** false: no clean wall edge was found; the well was placed by the grid fit. */
  readonly found: boolean;
}

export interface PlateResult {
  readonly layout: PlateLayout;
  /** Row-major, A1 first. */
  readonly wells: PlateWell[];
  /** Rotation of the rows against the image x axis (degrees, positive = clockwise on screen). */
  readonly rotationDeg: number;
  /** Centre-to-centre distance of neighbouring wells (px). */
  readonly pitchPx: number;
  /** Edge exclusion requested (applied by `wellMasks`). */
  readonly edgeExclusion: EdgeExclusion | null;
  readonly notes: string[];
}

export interface PlateOptions {
  readonly layout: 'auto' | PlateLayout;
  readonly edgeExclusion?: EdgeExclusion;
  /** A `lowResRgb` copy made earlier (saves one pass over the image). */
  readonly lowRes?: LowResRgb;
}

/** Fraction of a well's sectors that must agree on its inner circle for it to count as clean. */
const CLEAN_AGREEMENT = 0.7;
/** … and on its outer circle for a well with deposits over the inner edge to count as found. */
const MIN_AGREEMENT = 0.5;
const COARSE_SIDE_PX = 512;

function noPlate(layout: PlateOptions['layout'], detail: string): AppError {
  const what = layout === 'auto' ? 'a multiwell plate (6 to 96 wells)' : `a ${layout}-well plate`;
  return new AppError(
    'REFERENCE_EMPTY',
    `No plate was found in this image (expected a photo of ${what}, landscape with row A at the top). For a single well use the well reference; otherwise draw the wells as regions.`,
    { detail },
  );
}

/** Finds the wells of a multiwell plate. Throws REFERENCE_EMPTY (no plate), CALIBRATION_MISSING. */
export function detectPlate(img: RgbImage, o: PlateOptions): PlateResult {
  checkEdgeExclusion(o.edgeExclusion);
  const lr = reduceLowRes(o.lowRes ?? lowResRgb(img), COARSE_SIDE_PX);
  const { width: w, height: h } = lr.rgb, f = lr.factor;
  const b = brightnessMap(lr);
  const L = Math.max(w, h), rMin = 0.01 * L, rMax = 0.15 * L;
  const hough = houghCentres(b, w, h, rMin, rMax);
  const points = hough.peaks.map((p) => ({ x: p.x, y: p.y, weight: p.votes }));
  const nodeScore = (x: number, y: number) => (x < 0 || y < 0 || x > w - 1 || y > h - 1 ? -1e9 : sampleMap(hough.votes, w, h, x, y));
  const grid = fitPlateGrid(points, o.layout, { minPitch: 2.1 * rMin, maxPitch: 2.8 * rMax, nodeScore });
  if ('reason' in grid) throw noPlate(o.layout, grid.reason);
  const rv = wallRadius(b, w, h, grid);
  if (rv === null) throw noPlate(o.layout, 'no dark wall ring around the grid nodes');
  const full = (v: number) => (v + 0.5) * f - 0.5;
  const guesses = grid.nodes.map((n) => ({ cx: full(n.x), cy: full(n.y), r: rv * f }));
  const edge: EdgeParams = { ...wallProfile(img, guesses, grid), cache: new Map() };
  const fits = guesses.map((g) => refineWellEdge(img, g, edge));
  return assemble(img, grid, guesses, fits, f, o, edge);
}

/** Dark-ring radius (low-res px): minimum of the median of the found wells' radial profiles. */
function wallRadius(b: Float32Array, w: number, h: number, grid: GridFit): number | null {
  const p = grid.pitch, step = 0.25, r0 = 0.25 * p, n = Math.floor((0.3 * p) / step) + 1;
  const profiles = grid.nodes.filter((nd) => nd.point >= 0).map((nd) => medianRadialProfile(b, w, h, nd.x, nd.y, r0, step, n));
  const med = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    const v = profiles.map((q) => q[k]!).filter(Number.isFinite).sort((x, y) => x - y);
    med[k] = v.length ? v[v.length >> 1]! : NaN;
  }
  let bk = -1;
  for (let k = 1; k < n - 1; k++) if (Number.isFinite(med[k]) && (bk < 0 || med[k]! < med[bk]!)) bk = k;
  if (bk <= 0 || bk >= n - 1) return null;
  // parabolic interpolation of the minimum
  const a = med[bk - 1]!, c = med[bk]!, d = med[bk + 1]!, den = a - 2 * c + d;
  return r0 + (bk + (den > 0 ? (0.5 * (a - d)) / den : 0)) * step;
}

/**
 * Edge blur σ and wall width (px) from up to 3 detected wells spread over the plate (medians);
 * σ = 1.2 px and width 0 (unknown) if no well gives a clean edge.
 */
function wallProfile(img: RgbImage, guesses: Circle[], grid: GridFit): { sigma: number; wallPx: number } {
  const idx = grid.nodes.flatMap((n, k) => (n.point >= 0 ? [k] : []));
  const pick = [...new Set([0.1, 0.5, 0.9].map((q) => idx[Math.round(q * (idx.length - 1))]!))];
  const s: number[] = [], t: number[] = [];
  for (const k of pick) {
    const first = refineWellEdge(img, guesses[k]!, { sigma: 1.2, wallPx: 0 });
    if (!first || first.agreement < CLEAN_AGREEMENT) continue;
    const rOut = coarseOuterRadius(img, first.circle);
    const est = rOut === null ? null : estimateWallProfile(img, first.circle, rOut);
    if (!est) continue;
    s.push(est.sigma);
    t.push(est.wallPx);
  }
  return s.length ? { sigma: median(s), wallPx: median(t) } : { sigma: 1.2, wallPx: 0 };
}

/** Clean, refitted, outer-edge and placed wells (step 4 above), the final lattice, notes. */
function assemble(img: RgbImage, grid: GridFit, guesses: Circle[], fits: (WellEdgeFit | null)[], f: number, o: PlateOptions, edge: EdgeParams): PlateResult {
  const { sigma, wallPx } = edge;
  const N = grid.nodes.length, pitch = grid.pitch * f;
  const near = (k: number, c: { cx: number; cy: number }) => Math.hypot(c.cx - guesses[k]!.cx, c.cy - guesses[k]!.cy) <= Math.max(3, 0.05 * pitch);
  const circles: (Circle | null)[] = fits.map((ft, k) => (ft && ft.agreement >= CLEAN_AGREEMENT && near(k, ft.circle) ? ft.circle : null));
  const count = () => circles.filter((c) => c !== null).length;
  if (count() < 3) throw noPlate(o.layout, `only ${count()} of ${N} wells have a clean circular wall edge`);
  const rMed = median(circles.flatMap((c) => (c ? [c.r] : [])));
  // all wells of a plate have the same size
  const sameSize = (r: number) => Math.abs(r - rMed) <= Math.max(1.5, 0.03 * rMed);
  circles.forEach((c, k) => {
    if (c && !sameSize(c.r)) circles[k] = null;
  });
  const refit = () => fitLattice(grid.nodes.flatMap((n, k) => (circles[k] ? [{ i: n.row, j: n.col, x: circles[k]!.cx, y: circles[k]!.cy }] : [])));
  let lattice = refit();
  if (!lattice) throw noPlate(o.layout, 'too few clean wells to fit the plate grid');
  const nClean = count();
  const predicted = (k: number) => latticeNode(lattice!, grid.nodes[k]!.row, grid.nodes[k]!.col);
  const weak = circles.flatMap((c, k) => (c ? [] : [k]));
  for (const k of weak) {
    const p = predicted(k), again = refineWellEdge(img, { cx: p.x, cy: p.y, r: rMed }, edge, false);
    if (again && again.agreement >= CLEAN_AGREEMENT && sameSize(again.circle.r) && Math.hypot(again.circle.cx - p.x, again.circle.cy - p.y) <= 2) circles[k] = again.circle;
  }
  const nRefit = count() - nClean;
  const left = wallPx > 0 ? circles.flatMap((c, j) => (c ? [] : [j])) : [];
  // a wall as dark as the clean wells' (a faint ring, e.g. a well cut out of the photo, is not a well)
  const contrast = left.length ? median(circles.filter((c): c is Circle => c !== null).slice(0, 9).map((c) => wallContrast(img, c, wallPx, sigma))) : 0;
  for (const k of left) {
    const p = predicted(k), out = refineOuterEdge(img, { cx: p.x, cy: p.y, r: rMed + wallPx }, edge);
    if (!out || out.agreement < MIN_AGREEMENT || Math.hypot(out.circle.cx - p.x, out.circle.cy - p.y) > 2) continue;
    const inner = { cx: out.circle.cx, cy: out.circle.cy, r: rMed };
    if (Math.abs(out.circle.r - rMed - wallPx) <= Math.max(1, 0.01 * rMed) && wallContrast(img, inner, wallPx, sigma) >= 0.5 * contrast) {
      circles[k] = inner;
    }
  }
  const nFound = count();
  if (nFound < Math.max(4, N / 2)) throw noPlate(o.layout, `only ${nFound} of ${N} wells found`);
  lattice = refit() ?? lattice;
  const wells: PlateWell[] = grid.nodes.map((n, k) => {
    const p = predicted(k), c = circles[k] ?? { cx: p.x, cy: p.y, r: rMed };
    return { id: wellId(n.row, n.col), row: n.row, col: n.col, cx: c.cx, cy: c.cy, radiusPx: c.r, found: circles[k] !== null };
  });
  const rot = (Math.atan2(lattice.b, lattice.a) * 180) / Math.PI, pitchPx = Math.hypot(lattice.a, lattice.b);
  const how = [nRefit ? `${nRefit} refitted from the grid` : '', nFound - nClean - nRefit ? `${nFound - nClean - nRefit} by the outer wall edge` : ''].filter(Boolean);
  const notes = [
    `${grid.layout}-well plate: ${nFound} of ${N} wells found${how.length ? ` (${how.join(', ')})` : ''}${nFound < N ? `; ${wells.filter((q) => !q.found).map((q) => q.id).join(' ')} placed by the grid` : ''}`,
    `pitch ${pitchPx.toFixed(1)} px, rotation ${rot.toFixed(2)}°, median well radius ${rMed.toFixed(1)} px, wall ${wallPx.toFixed(1)} px, edge blur σ ≈ ${sigma.toFixed(1)} px`,
  ];
  if (grid.rejected.length) notes.push(`${grid.rejected.length} circle candidate(s) off the plate grid ignored`);
  return { layout: grid.layout, wells, rotationDeg: rot, pitchPx, edgeExclusion: o.edgeExclusion ?? null, notes };
}

function median(v: number[]): number {
  const s = [...v].sort((a, b) => a - b);
  return s[s.length >> 1]!;
}
