/**
 * Background (glass) cells and smooth surface fits for the flat field (see illumination.ts).
 *
 * The image is split into ~40 × 30 cells of a ≤ 512 px block-mean copy. A cell is a background
 * candidate when it is as smooth as noise (mean neighbour difference ≤ 2.5 × the 20th percentile
 * among bright cells + 0.4 %: glass has no texture, tissue and cell layers do; vignetting gradients
 * do not count) and not more than 35 % darker than the bright cells. The search starts from the
 * candidates within 8 % of the brightest candidates (95th percentile), so a bare well bottom wins
 * over a cell layer. Round 0 keeps candidates no more than 6 % below a polynomial through the
 * current set; rounds 1–3 compare with the leave-one-out surface instead (6 %, relaxed up to 15 %
 * for border cells with little support, where the surface extrapolates into the corners).
 * The surface is a 2-D polynomial of degree ≤ 2 (vignetting is ~quadratic) plus a normalized
 * convolution of the residuals (σ = 1.5 cells, prior weight 0.5) that follows finer unevenness near
 * background and fades to the polynomial far from it (inside large tissue).
 */
import { scratchFloat64 } from './scratch.js';
import type { LowResRgb } from './illumination.js';

/** Per-cell statistics (natural logs of fractions of full scale). */
export interface Cells {
  readonly n: number;
  /** Grid size in cells; cell c = gy·gw + gx covers low-res pixels [gx·cs, (gx+1)·cs) × … */
  readonly gw: number;
  readonly gh: number;
  readonly cs: number;
  /** Cell centre in normalized coordinates: (x − W/2) / (L/2) with L the longer full-res side. */
  readonly u: Float64Array;
  readonly v: Float64Array;
  /** ln of the bright level (mean of pixels between the 50th and 90th brightness percentile). */
  readonly lnB: Float64Array;
  readonly lnC: readonly [Float64Array, Float64Array, Float64Array];
  /**
   * Texture: mean |difference| of brightness between horizontal and vertical neighbours, relative
   * to the bright level. ~noise for glass (blind to smooth vignetting), larger for tissue.
   */
  readonly spread: Float64Array;
}

const HIST_BINS = 1024;
const LN_EPS = Math.log(1e-3);

/** Value at quantile q (0–1) of a histogram over [0, 1], linear inside the bin. */
export function histQuantile(hist: Uint32Array, total: number, q: number, from = 0): number {
  const target = q * total;
  let acc = 0;
  // bins below `from` are empty (the caller knows), so starting there changes nothing
  for (let i = from; i < hist.length; i++) {
    const c = hist[i]!;
    if (acc + c >= target && c > 0) return (i + (target - acc) / c) / hist.length;
    acc += c;
  }
  return 1;
}

/** Quantile q (0–1) of a list of numbers (nearest rank); NaN when empty. */
export function quantile(values: ArrayLike<number>, q: number): number {
  const s = Float64Array.from(values).sort();
  if (s.length === 0) return NaN;
  return s[Math.min(s.length - 1, Math.max(0, Math.round(q * (s.length - 1))))]!;
}

/** Cell statistics of a block-mean copy (RGB fractions 0–1). */
export function cellStats(lr: LowResRgb): Cells {
  const { width: sw, height: sh, data } = lr.rgb;
  const cs = Math.max(2, Math.ceil(Math.max(sw, sh) / 40));
  const gw = Math.ceil(sw / cs), gh = Math.ceil(sh / cs), n = gw * gh;
  const half = Math.max(lr.fullWidth, lr.fullHeight) / 2;
  const u = new Float64Array(n), v = new Float64Array(n), lnB = new Float64Array(n), spread = new Float64Array(n);
  const lnC = [new Float64Array(n), new Float64Array(n), new Float64Array(n)] as const;
  const hist = new Uint32Array(HIST_BINS);
  // each pixel's brightness once (the loops below read it up to three times)
  const bright = scratchFloat64('cellStats.bright', sw * sh); // fully written here
  for (let i = 0, p = 0; i < bright.length; i++, p += 3) bright[i] = (data[p]! + data[p + 1]! + data[p + 2]!) / 3;
  for (let c = 0; c < n; c++) {
    const x0 = (c % gw) * cs, y0 = Math.floor(c / gw) * cs;
    const x1 = Math.min(sw, x0 + cs), y1 = Math.min(sh, y0 + cs);
    let diff = 0, nd = 0, lo = HIST_BINS, hi = -1;
    for (let y = y0; y < y1; y++) {
      for (let x = x0, i = y * sw + x0; x < x1; x++, i++) {
        const bb = bright[i]!;
        const bin = Math.min(HIST_BINS - 1, (bb * HIST_BINS) | 0);
        hist[bin]!++;
        if (bin < lo) lo = bin;
        if (bin > hi) hi = bin;
        if (x + 1 < x1) {
          diff += Math.abs(bb - bright[i + 1]!);
          nd++;
        }
        if (y + 1 < y1) {
          diff += Math.abs(bb - bright[i + sw]!);
          nd++;
        }
      }
    }
    const m = (x1 - x0) * (y1 - y0);
    lo = Math.max(0, lo); // (brightness is a fraction ≥ 0: a negative bin was never counted)
    const q50 = histQuantile(hist, m, 0.5, lo), q90 = histQuantile(hist, m, 0.9, lo);
    if (hi >= lo) hist.fill(0, lo, hi + 1); // only the bins this cell used
    let r = 0, g = 0, b = 0, k = 0;
    for (let y = y0; y < y1; y++) {
      for (let x = x0, p = (y * sw + x0) * 3; x < x1; x++, p += 3) {
        const bb = bright[y * sw + x]!;
        if (bb < q50 || bb > q90) continue;
        r += data[p]!;
        g += data[p + 1]!;
        b += data[p + 2]!;
        k++;
      }
    }
    k = Math.max(k, 1);
    lnC[0][c] = Math.max(Math.log(r / k), LN_EPS);
    lnC[1][c] = Math.max(Math.log(g / k), LN_EPS);
    lnC[2][c] = Math.max(Math.log(b / k), LN_EPS);
    lnB[c] = Math.max(Math.log((r + g + b) / (3 * k)), LN_EPS);
    spread[c] = diff / Math.max(1, nd) / Math.max((r + g + b) / (3 * k), 1e-3);
    u[c] = (((x0 + x1) / 2) * lr.factor - lr.fullWidth / 2) / half;
    v[c] = (((y0 + y1) / 2) * lr.factor - lr.fullHeight / 2) / half;
  }
  return { n, gw, gh, cs, u, v, lnB, lnC, spread };
}

/** Monomials u^a·v^b with a + b ≤ degree (≤ 2), written into `out`; returns the count. */
function basis(u: number, v: number, degree: number, out: Float64Array): number {
  out[0] = 1;
  if (degree < 1) return 1;
  out[1] = u;
  out[2] = v;
  if (degree < 2) return 3;
  out[3] = u * u;
  out[4] = u * v;
  out[5] = v * v;
  return 6;
}

/** Gaussian elimination with partial pivoting of an n×n system (A and b are overwritten). */
export function solve(A: Float64Array, b: Float64Array, n: number): Float64Array {
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(A[r * n + c]!) > Math.abs(A[p * n + c]!)) p = r;
    if (p !== c) {
      for (let k = 0; k < n; k++) [A[c * n + k], A[p * n + k]] = [A[p * n + k]!, A[c * n + k]!];
      [b[c], b[p]] = [b[p]!, b[c]!];
    }
    const d = A[c * n + c]! || 1e-30;
    for (let r = c + 1; r < n; r++) {
      const f = A[r * n + c]! / d;
      for (let k = c; k < n; k++) A[r * n + k]! -= f * A[c * n + k]!;
      b[r]! -= f * b[c]!;
    }
  }
  const x = new Float64Array(n);
  for (let r = n - 1; r >= 0; r--) {
    let s = b[r]!;
    for (let k = r + 1; k < n; k++) s -= A[r * n + k]! * x[k]!;
    x[r] = s / (A[r * n + r]! || 1e-30);
  }
  return x;
}

/** A smooth surface over the image: polynomial + residual correction on the cell grid. */
export interface Surface {
  readonly degree: number;
  readonly coef: Float64Array;
  /** Correction per cell (ln units), already normalized (fades to 0 away from background). */
  readonly corr: Float64Array;
  /** Leave-one-out surface value at every cell. */
  readonly looAtCell: Float64Array;
  /** Leave-one-out support: Gaussian-weighted count of other background cells nearby (0 … ~13). */
  readonly looSupport: Float64Array;
}

/** Fits `z` over cells with weights `w` (0/1): polynomial of `degree` + normalized convolution. */
export function fitSurface(cells: Cells, z: Float64Array, w: Float64Array, degree: number): Surface {
  const nb = ((degree + 1) * (degree + 2)) / 2;
  const A = new Float64Array(nb * nb), rhs = new Float64Array(nb), phi = new Float64Array(6);
  for (let i = 0; i < cells.n; i++) {
    if (w[i]! <= 0) continue;
    basis(cells.u[i]!, cells.v[i]!, degree, phi);
    for (let a = 0; a < nb; a++) {
      rhs[a]! += w[i]! * phi[a]! * z[i]!;
      for (let b = 0; b < nb; b++) A[a * nb + b]! += w[i]! * phi[a]! * phi[b]!;
    }
  }
  for (let a = 0; a < nb; a++) A[a * nb + a]! += 1e-6 * (A[0]! + 1);
  const coef = solve(A, rhs, nb);
  const poly = new Float64Array(cells.n), res = new Float64Array(cells.n);
  for (let i = 0; i < cells.n; i++) {
    poly[i] = polyAt(coef, degree, cells.u[i]!, cells.v[i]!);
    res[i] = w[i]! > 0 ? z[i]! - poly[i]! : 0;
  }
  const { num, den } = gaussianSums(res, w, cells.gw, cells.gh, NC_SIGMA_CELLS);
  const corr = new Float64Array(cells.n), looAtCell = new Float64Array(cells.n), looSupport = new Float64Array(cells.n);
  for (let i = 0; i < cells.n; i++) {
    corr[i] = num[i]! / (den[i]! + NC_PRIOR);
    // leave-one-out: remove the cell's own contribution (Gaussian weight 1 at distance 0)
    looAtCell[i] = poly[i]! + (num[i]! - w[i]! * res[i]!) / (den[i]! - w[i]! + NC_PRIOR);
    looSupport[i] = den[i]! - w[i]!;
  }
  return { degree, coef, corr, looAtCell, looSupport };
}

const NC_SIGMA_CELLS = 1.5;
const NC_PRIOR = 0.5;

/** Scratch for polyAt's basis values (one per thread; polyAt does not call back out). */
const POLY_PHI = new Float64Array(6);

export function polyAt(coef: Float64Array, degree: number, u: number, v: number): number {
  const phi = POLY_PHI;
  const nb = basis(u, v, degree, phi);
  let s = 0;
  for (let k = 0; k < nb; k++) s += coef[k]! * phi[k]!;
  return s;
}

/** Separable Gaussian sums Σ g·w·v and Σ g·w over a gw×gh grid (σ in cells). */
function gaussianSums(v: Float64Array, w: Float64Array, gw: number, gh: number, sigma: number) {
  const r = Math.ceil(3 * sigma);
  const g = new Float64Array(2 * r + 1);
  for (let i = 0; i < g.length; i++) g[i] = Math.exp(-((i - r) ** 2) / (2 * sigma * sigma));
  const vw = new Float64Array(v.length);
  for (let i = 0; i < vw.length; i++) vw[i] = v[i]! * w[i]!;
  return { num: truncatedBlur(vw, gw, gh, g, r), den: truncatedBlur(w, gw, gh, g, r) };
}

/** Separable sums with kernel g (radius r), taps beyond the grid dropped (not renormalized). */
function truncatedBlur(src: Float64Array, gw: number, gh: number, g: Float64Array, r: number): Float64Array {
  const tmp = new Float64Array(gw * gh), out = new Float64Array(gw * gh);
  for (let y = 0; y < gh; y++)
    for (let x = 0; x < gw; x++) {
      let s = 0;
      for (let d = Math.max(-r, -x); d <= Math.min(r, gw - 1 - x); d++) s += g[d + r]! * src[y * gw + x + d]!;
      tmp[y * gw + x] = s;
    }
  for (let y = 0; y < gh; y++)
    for (let x = 0; x < gw; x++) {
      let s = 0;
      for (let d = Math.max(-r, -y); d <= Math.min(r, gh - 1 - y); d++) s += g[d + r]! * tmp[(y + d) * gw + x]!;
      out[y * gw + x] = s;
    }
  return out;
}

/** Polynomial degree the background supports, by count and coverage of a 3×3 partition (0–2). */
export function supportedDegree(cells: Cells, bg: Float64Array): number {
  let cnt = 0;
  const occ = new Uint32Array(9);
  for (let i = 0; i < cells.n; i++) {
    if (!bg[i]) continue;
    cnt++;
    const sx = Math.min(2, Math.floor((3 * (i % cells.gw)) / cells.gw));
    const sy = Math.min(2, Math.floor((3 * Math.floor(i / cells.gw)) / cells.gh));
    occ[sy * 3 + sx]!++;
  }
  const cover = occ.reduce((a, c) => a + (c >= 2 ? 1 : 0), 0);
  if (cover >= 6 && cnt >= 20) return 2;
  if (cover >= 4 && cnt >= 8) return 1;
  return 0;
}

export interface Background {
  /** 1 for background cells, else 0. */
  readonly bg: Float64Array;
  readonly count: number;
  readonly degree: number;
}

/** Uniform cells have a spread ≤ this × the 20th percentile spread of bright cells (+ 0.004). */
const UNIFORM_FACTOR = 2.5;
/**
 * Rejection threshold below the leave-one-out surface, ln units: 6 %; for cells on the image border
 * up to ≈ 15 % where few background cells surround them (the surface is extrapolated into corners).
 */
const TAU = 0.06;
const tauFor = (support: number): number => TAU * (1 + 3 / (support + 2));

/** Background (glass) cells: uniform, bright enough, and not darker than the local surface by τ. */
export function findBackground(cells: Cells): Background {
  const { n, lnB, spread } = cells;
  const seed = quantile(lnB, 0.9);
  const brightSpread: number[] = [];
  for (let i = 0; i < n; i++) if (lnB[i]! > seed - 0.15) brightSpread.push(spread[i]!);
  const floor = quantile(brightSpread, 0.2);
  const cand = new Uint8Array(n);
  for (let i = 0; i < n; i++) cand[i] = spread[i]! <= UNIFORM_FACTOR * floor + 0.004 && lnB[i]! > seed - 0.35 ? 1 : 0;
  // start from the brightest candidates; round 0 compares with the polynomial alone, later rounds
  // with the leave-one-out surface (polynomial + local correction)
  // (the brightest uniform material: glass, or bare well bottom rather than a cell layer)
  const candB: number[] = [];
  for (let i = 0; i < n; i++) if (cand[i]) candB.push(lnB[i]!);
  const top = quantile(candB, 0.95);
  const bg = new Float64Array(n);
  for (let i = 0; i < n; i++) bg[i] = cand[i] && lnB[i]! > top - 0.08 ? 1 : 0;
  for (let round = 0; round < 4; round++) {
    const s = fitSurface(cells, lnB, bg, supportedDegree(cells, bg));
    for (let i = 0; i < n; i++) {
      const onBorder = i < cells.gw || i >= n - cells.gw || i % cells.gw === 0 || i % cells.gw === cells.gw - 1;
      const ref = round === 0 ? polyAt(s.coef, s.degree, cells.u[i]!, cells.v[i]!) : s.looAtCell[i]!;
      const tau = round === 0 ? TAU : onBorder ? tauFor(s.looSupport[i]!) : TAU;
      bg[i] = cand[i] && lnB[i]! - ref >= -tau ? 1 : 0;
    }
  }
  let count = 0;
  for (let i = 0; i < n; i++) count += bg[i]!;
  return { bg, count, degree: supportedDegree(cells, bg) };
}
