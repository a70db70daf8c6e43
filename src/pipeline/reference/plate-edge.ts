/**
 * Sub-pixel edge positions in radial brightness profiles around a plate well, sized for small
 * wells (radius 40–800 px, meniscus shadow a few px wide). With u = R − r (positive inside):
 *
 *   'wall' (inner edge of the dark wall):
 *     p(u) = a + b·Φ(u/σ) + J(u)·(c + d·u + e·u² + g·Φ(u/σ)),   J(u) = Φ(u / 0.5)
 *     a blurred step of the transmittance (wall → well bottom) times an interior shading that may
 *     end abruptly at the wall (rim shadow) and curves inside (a shadow decaying over a few px).
 *     With the wall width t known (thin walls of small wells), + h·Φ((−u − t)/σ): the rise at the
 *     outer edge of the wall, so that it does not pull the inner edge outwards.
 *   'step' (outer edge of the wall, wall → plate plastic): p(u) = a + b·Φ(u/σ) + c·u.
 *
 * For a candidate R the coefficients are a linear least-squares fit and R minimises the residual.
 * All profiles of a well share one sampling grid, so the design matrix of each candidate R is
 * factorised once (Cholesky, W = L⁻¹Φᵀ; residual = Σp² − |W p|²) and every profile costs only one
 * small matrix–vector product per R. R: a 0.25 px grid, then a parabola through the minimum.
 */
import { normalCdf } from './well-fit.js';

export type EdgeModel = 'wall' | 'step';

function basis(model: EdgeModel, u: number, is: number, t: number, out: Float64Array): void {
  const P = normalCdf(u * is);
  out[0] = 1;
  out[1] = P;
  if (model === 'step') {
    out[2] = u;
    return;
  }
  const J = normalCdf(2 * u);
  out[2] = J;
  out[3] = J * u;
  out[4] = J * u * u;
  out[5] = J * P;
  if (t > 0) out[6] = normalCdf((-u - t) * is);
}

function basisSize(model: EdgeModel, t: number): number {
  return model === 'step' ? 3 : t > 0 ? 7 : 6;
}

/** W = L⁻¹Φᵀ (nb × n, row-major) for the design matrix Φ (n × nb) at edge position R; null if singular. */
function whitened(model: EdgeModel, n: number, r0: number, step: number, R: number, sigma: number, t: number): Float64Array | null {
  const nb = basisSize(model, t), is = 1 / sigma;
  const Phi = new Float64Array(n * nb), row = new Float64Array(nb), A = new Float64Array(nb * nb);
  for (let i = 0; i < n; i++) {
    basis(model, R - (r0 + i * step), is, t, row);
    for (let a = 0; a < nb; a++) {
      Phi[i * nb + a] = row[a]!;
      for (let c = 0; c <= a; c++) A[a * nb + c]! += row[a]! * row[c]!;
    }
  }
  const ridge = 1e-9 * (A[0]! + 1), L = new Float64Array(nb * nb);
  for (let i = 0; i < nb; i++) {
    for (let j = 0; j <= i; j++) {
      let v = A[i * nb + j]! + (i === j ? ridge : 0);
      for (let k = 0; k < j; k++) v -= L[i * nb + k]! * L[j * nb + k]!;
      if (i === j) {
        if (v <= 1e-12) return null;
        L[i * nb + i] = Math.sqrt(v);
      } else L[i * nb + j] = v / L[j * nb + j]!;
    }
  }
  const W = new Float64Array(nb * n);
  for (let i = 0; i < n; i++) {
    for (let a = 0; a < nb; a++) {
      let v = Phi[i * nb + a]!;
      for (let k = 0; k < a; k++) v -= L[a * nb + k]! * W[k * n + i]!;
      W[a * n + i] = v / L[a * nb + a]!;
    }
  }
  return W;
}

/**
 * Factorisations reused across the wells of one plate (same window, candidate offsets, σ, width).
 * Create one per plate with `new Map()`; results do not depend on it.
 */
export type EdgeFitCache = Map<string, Float64Array | null>;

export interface EdgeFit {
  /** Edge position (px from the well centre). */
  readonly r: number;
  /** Residual sum of squares at r (profile units²). */
  readonly sse: number;
}

export interface EdgeFitOptions {
  /** Sample spacing of the profiles (px); sample i lies at r0 + i·step. */
  readonly step: number;
  /** Range of edge positions searched (px from the well centre). */
  readonly rLo: number;
  readonly rHi: number;
  /** Spacing of the candidate positions before the parabola (px). Default 0.25. */
  readonly gridPx?: number;
  readonly model: EdgeModel;
  /** Edge blur σ (px). */
  readonly sigma: number;
  /** Wall width (px; 'wall' model only, 0 = unknown or outside the window). */
  readonly wallPx?: number;
  readonly cache?: EdgeFitCache;
}

/**
 * Edge position in [rLo, rHi] for each profile (all sampled alike from r0). null for a missing
 * profile, or when the best position lies on the border of the range (no edge inside it). Pure.
 */
export function fitEdges(profiles: readonly (Float64Array | null)[], r0: number, o: EdgeFitOptions): (EdgeFit | null)[] {
  const { step, rLo, rHi, sigma, model } = o, wallPx = o.wallPx ?? 0, cache = o.cache ?? new Map<string, Float64Array | null>();
  const first = profiles.find((p) => p !== null);
  if (!first) return profiles.map(() => null);
  const n = first.length, nb = basisSize(model, wallPx);
  const m = Math.max(3, Math.round((rHi - rLo) / (o.gridPx ?? 0.25)) + 1), dR = (rHi - rLo) / (m - 1);
  const sse = new Float64Array(profiles.length * m).fill(Infinity);
  const pp = profiles.map((p) => (p ? p.reduce((s, v) => s + v * v, 0) : 0));
  for (let j = 0; j < m; j++) {
    const R = rLo + j * dR, key = `${model} ${n} ${step} ${(R - r0).toFixed(4)} ${sigma} ${wallPx}`;
    let W = cache.get(key);
    if (W === undefined) {
      W = whitened(model, n, r0, step, R, sigma, wallPx);
      cache.set(key, W);
    }
    if (!W) continue;
    profiles.forEach((p, k) => {
      if (!p) return;
      let q = 0;
      for (let a = 0; a < nb; a++) {
        let y = 0;
        const o = a * n;
        for (let i = 0; i < n; i++) y += W[o + i]! * p[i]!;
        q += y * y;
      }
      sse[k * m + j] = pp[k]! - q;
    });
  }
  return profiles.map((p, k) => {
    if (!p) return null;
    let bj = 0;
    for (let j = 1; j < m; j++) if (sse[k * m + j]! < sse[k * m + bj]!) bj = j;
    if (bj === 0 || bj === m - 1 || !Number.isFinite(sse[k * m + bj]!)) return null;
    const a = sse[k * m + bj - 1]!, b = sse[k * m + bj]!, c = sse[k * m + bj + 1]!, den = a - 2 * b + c;
    const off = den > 0 ? Math.max(-0.5, Math.min(0.5, (0.5 * (a - c)) / den)) : 0;
    return { r: rLo + (bj + off) * dR, sse: b - 0.25 * (a - c) * off };
  });
}
