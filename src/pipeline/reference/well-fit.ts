/**
 * Numerical helpers for the well detector: a robust circle fit and a 1-D edge model for the inner
 * edge of the dark well wall. Pure functions over plain arrays.
 */

/** Standard normal CDF Φ(z) (Abramowitz & Stegun 7.1.26, |error| < 1.5e-7). */
export function normalCdf(z: number): number {
  if (z <= -CDF_RANGE) return 0;
  if (z >= CDF_RANGE) return 1;
  const g = (z + CDF_RANGE) * CDF_STEPS_PER_UNIT, i = Math.floor(g), t = g - i;
  return CDF_TABLE[i]! * (1 - t) + CDF_TABLE[i + 1]! * t;
}

/** Φ tabulated on [−8, 8] in steps of 1/256 (linear interpolation error < 1e-6). */
const CDF_RANGE = 8, CDF_STEPS_PER_UNIT = 256;
const CDF_TABLE = Float64Array.from({ length: 2 * CDF_RANGE * CDF_STEPS_PER_UNIT + 2 }, (_, i) => normalCdfExact(i / CDF_STEPS_PER_UNIT - CDF_RANGE));

function normalCdfExact(z: number): number {
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * x);
  const erf = 1 - (((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t) * Math.exp(-x * x);
  return z >= 0 ? 0.5 * (1 + erf) : 0.5 * (1 - erf);
}

export interface Circle {
  readonly cx: number;
  readonly cy: number;
  readonly r: number;
}

/** Algebraic (Kåsa) least-squares circle through weighted points; null when degenerate. */
export function fitCircleWeighted(xs: ArrayLike<number>, ys: ArrayLike<number>, w: ArrayLike<number>): Circle | null {
  // minimize Σ w (x² + y² + D x + E y + F)²
  let sw = 0, mx = 0, my = 0;
  for (let i = 0; i < xs.length; i++) {
    sw += w[i]!;
    mx += w[i]! * xs[i]!;
    my += w[i]! * ys[i]!;
  }
  if (sw <= 0) return null;
  mx /= sw;
  my /= sw;
  let suu = 0, svv = 0, suv = 0, suz = 0, svz = 0;
  for (let i = 0; i < xs.length; i++) {
    const u = xs[i]! - mx, v = ys[i]! - my, z = u * u + v * v, wi = w[i]!;
    suu += wi * u * u;
    svv += wi * v * v;
    suv += wi * u * v;
    suz += wi * u * z;
    svz += wi * v * z;
  }
  const det = suu * svv - suv * suv;
  if (Math.abs(det) < 1e-12) return null;
  const a = (suz * svv - svz * suv) / (2 * det), b = (svz * suu - suz * suv) / (2 * det);
  let sr = 0;
  for (let i = 0; i < xs.length; i++) sr += w[i]! * ((xs[i]! - mx - a) ** 2 + (ys[i]! - my - b) ** 2);
  return { cx: mx + a, cy: my + b, r: Math.sqrt(sr / sw) };
}

function median(v: number[]): number {
  const s = [...v].sort((a, b) => a - b);
  return s.length ? s[s.length >> 1]! : NaN;
}

/**
 * Robust circle fit: deterministic LMedS over point triples spread around the circle (i, i + n/3,
 * i + 2n/3), then Tukey-weighted refits. Returns the circle, per-point residuals (px) and the
 * inlier flags (|residual| ≤ `inlierPx`).
 */
export function fitCircleRobust(xs: number[], ys: number[], inlierPx: number): { circle: Circle; residuals: number[]; inliers: boolean[] } | null {
  const n = xs.length;
  if (n < 3) return null;
  let best: Circle | null = null, bestMed = Infinity;
  const third = Math.max(1, Math.floor(n / 3));
  for (let i = 0; i < third; i++) {
    const idx = [i, (i + third) % n, (i + 2 * third) % n];
    const c = fitCircleWeighted(idx.map((k) => xs[k]!), idx.map((k) => ys[k]!), [1, 1, 1]);
    if (!c || !Number.isFinite(c.r)) continue;
    const med = median(xs.map((x, k) => Math.abs(Math.hypot(x - c.cx, ys[k]! - c.cy) - c.r)));
    if (med < bestMed) {
      bestMed = med;
      best = c;
    }
  }
  if (!best) return null;
  let circle = best;
  for (let it = 0; it < 6; it++) {
    const res = xs.map((x, k) => Math.hypot(x - circle.cx, ys[k]! - circle.cy) - circle.r);
    const s = Math.max(1.4826 * median(res.map(Math.abs)), inlierPx / 3);
    const w = res.map((e) => (Math.abs(e) < 4 * s ? (1 - (e / (4 * s)) ** 2) ** 2 : 0));
    const c = fitCircleWeighted(xs, ys, w);
    if (!c) break;
    circle = c;
  }
  const residuals = xs.map((x, k) => Math.hypot(x - circle.cx, ys[k]! - circle.cy) - circle.r);
  return { circle, residuals, inliers: residuals.map((e) => Math.abs(e) <= inlierPx) };
}

/**
 * Sub-pixel position of the inner edge of the wall in a radial profile p(r) sampled at rs (px,
 * increasing outwards). Model (u = R − r, positive inside the well):
 *   p = a + b·Φ(u/σ) + J(u)·(c + d·u + e·Φ(u/σ)),   J(u) = Φ(u / 0.5)
 * i.e. a blurred step of the transmittance (wall → interior) multiplied by an interior shading that
 * may end abruptly at the edge (meniscus rim shadow) and varies linearly inside. For each candidate
 * R the five coefficients are a linear least-squares fit; R (and σ) minimize the residual.
 * Returns null when no candidate fits.
 */
export function fitWallEdge(rs: Float64Array, p: Float64Array, rLo: number, rHi: number, sigmas: readonly number[]): { r: number; sigma: number; sse: number } | null {
  let best: { r: number; sigma: number; sse: number } | null = null;
  const consider = (R: number, s: number) => {
    const e = edgeSse(rs, p, R, s);
    if (e !== null && (!best || e < best.sse)) best = { r: R, sigma: s, sse: e };
  };
  for (const s of sigmas) for (let R = rLo; R <= rHi + 1e-9; R += 0.5) consider(R, s);
  if (!best) return null;
  const b0: { r: number; sigma: number } = best;
  for (let R = b0.r - 0.5; R <= b0.r + 0.5 + 1e-9; R += 0.05) consider(R, b0.sigma);
  return best;
}

const NB = 5;

/** Residual sum of squares of the edge model at (R, σ); null when the system is singular. */
function edgeSse(rs: Float64Array, p: Float64Array, R: number, sigma: number): number | null {
  const A = new Float64Array(NB * NB), b = new Float64Array(NB), phi = new Float64Array(NB);
  let pp = 0;
  for (let i = 0; i < rs.length; i++) {
    const u = R - rs[i]!;
    const P = normalCdf(u / sigma), J = normalCdf(u / 0.5);
    phi[0] = 1;
    phi[1] = P;
    phi[2] = J;
    phi[3] = J * u;
    phi[4] = J * P;
    for (let a = 0; a < NB; a++) {
      b[a]! += phi[a]! * p[i]!;
      for (let c = a; c < NB; c++) A[a * NB + c]! += phi[a]! * phi[c]!;
    }
    pp += p[i]! * p[i]!;
  }
  for (let a = 0; a < NB; a++) {
    for (let c = 0; c < a; c++) A[a * NB + c] = A[c * NB + a]!;
    A[a * NB + a]! += 1e-9 * (A[0]! + 1);
  }
  const x = choleskySolve(A, b);
  if (!x) return null;
  // SSE = Σp² − 2 xᵀb + xᵀAx = Σp² − xᵀb at the optimum
  let xb = 0;
  for (let a = 0; a < NB; a++) xb += x[a]! * b[a]!;
  return pp - xb;
}

/** Solves the symmetric positive-definite n×n system A x = b (Cholesky); null if not SPD. */
function choleskySolve(A: Float64Array, b: Float64Array): Float64Array | null {
  const n = b.length, L = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = A[i * n + j]!;
      for (let k = 0; k < j; k++) s -= L[i * n + k]! * L[j * n + k]!;
      if (i === j) {
        if (s <= 0) return null;
        L[i * n + i] = Math.sqrt(s);
      } else L[i * n + j] = s / L[j * n + j]!;
    }
  }
  const y = new Float64Array(n), x = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = b[i]!;
    for (let k = 0; k < i; k++) s -= L[i * n + k]! * y[k]!;
    y[i] = s / L[i * n + i]!;
  }
  for (let i = n - 1; i >= 0; i--) {
    let s = y[i]!;
    for (let k = i + 1; k < n; k++) s -= L[k * n + i]! * x[k]!;
    x[i] = s / L[i * n + i]!;
  }
  return x;
}
