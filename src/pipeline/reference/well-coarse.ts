/**
 * Coarse circle of a culture-well wall on a ≤ 512 px brightness map (see well.ts, step 1).
 *
 * Along 180 rays from a centre, the smoothed brightness profile (20 %–75 % of the short side) has
 * dark local minima (below 85 % of the ray's mean): the wall, and dark deposits inside the well (von Kossa nodules can be darker
 * than the wall). Each ray keeps its three outermost significant minima and its deepest one as
 * candidates. Circles through candidate triples of rays 120° apart are scored by how many rays
 * have a candidate within 2 % of the short side; the best circle is refined by a robust fit to the
 * candidates nearest to it. A second pass samples the rays again from the found centre.
 */
import type { LowResRgb } from '../illumination.js';
import { reduceLowRes } from '../illumination.js';
import { type Circle, fitCircleRobust, fitCircleWeighted } from './well-fit.js';

const RAYS = 180;
const MAX_CANDIDATES = 4;

/** Coarse wall circle in full-res pixel coordinates, or a reason why none was found. */
export function coarseWallCircle(lowRes: LowResRgb, minRadiusFrac: number): { circle: Circle } | { reason: string } {
  const lr = reduceLowRes(lowRes, 512);
  const { width: sw, height: sh, data } = lr.rgb;
  const f = lr.factor;
  const b = new Float32Array(sw * sh);
  for (let i = 0; i < b.length; i++) b[i] = data[3 * i]! + data[3 * i + 1]! + data[3 * i + 2]!;
  const at = (x: number, y: number) => {
    const x0 = Math.min(Math.max(Math.floor(x), 0), sw - 2), y0 = Math.min(Math.max(Math.floor(y), 0), sh - 2);
    const tx = Math.min(Math.max(x - x0, 0), 1), ty = Math.min(Math.max(y - y0, 0), 1);
    const i = y0 * sw + x0;
    return (b[i]! * (1 - tx) + b[i + 1]! * tx) * (1 - ty) + (b[i + sw]! * (1 - tx) + b[i + sw + 1]! * tx) * ty;
  };
  const S = Math.min(sw, sh);
  const tol = 0.02 * S;
  let centre = { x: (sw - 1) / 2, y: (sh - 1) / 2 };
  let circle: Circle | null = null;
  for (let pass = 0; pass < 2; pass++) {
    const cand = rayCandidates(at, centre, sw, sh, S);
    // pass 1 re-samples the rays from the found centre and keeps the candidates near that circle
    const best = circle ?? consensusCircle(cand, centre, tol, minRadiusFrac * S, 0.8 * S);
    if (!best) return { reason: 'no dark ring found along rays from the centre' };
    const xs: number[] = [], ys: number[] = [];
    for (let k = 0; k < RAYS; k++) {
      const p = nearestCandidate(cand[k]!, best);
      if (p && Math.abs(Math.hypot(p.x - best.cx, p.y - best.cy) - best.r) <= tol) {
        xs.push(p.x);
        ys.push(p.y);
      }
    }
    const fit = fitCircleRobust(xs, ys, tol);
    if (!fit || fit.inliers.filter(Boolean).length < RAYS / 3) return { reason: 'the dark ring is not round' };
    circle = fit.circle;
    centre = { x: circle.cx, y: circle.cy };
  }
  const c = circle!;
  if (c.r < minRadiusFrac * S || c.r > 0.8 * S) {
    return { reason: `ring radius ${(c.r * f).toFixed(0)} px is implausible for a well filling the photo` };
  }
  // the ring must be clearly darker than the inside of the well (median over rays, 15 %)
  const ring: number[] = [], inside: number[] = [];
  for (let k = 0; k < RAYS; k++) {
    const a = (2 * Math.PI * k) / RAYS;
    ring.push(at(c.cx + c.r * Math.cos(a), c.cy + c.r * Math.sin(a)));
    inside.push(at(c.cx + 0.6 * c.r * Math.cos(a), c.cy + 0.6 * c.r * Math.sin(a)));
  }
  ring.sort((p, q) => p - q);
  inside.sort((p, q) => p - q);
  if (ring[RAYS >> 1]! > 0.85 * inside[RAYS >> 1]!) return { reason: 'the ring is not darker than the well interior' };
  return { circle: { cx: (c.cx + 0.5) * f - 0.5, cy: (c.cy + 0.5) * f - 0.5, r: c.r * f } };
}

interface Pt {
  readonly x: number;
  readonly y: number;
}

/** Per ray: positions (map px) of up to 4 candidate wall minima. */
function rayCandidates(at: (x: number, y: number) => number, c: Pt, sw: number, sh: number, S: number): Pt[][] {
  const step = 0.5, r0 = 0.2 * S;
  const win = Math.max(2, Math.round((0.01 * S) / step));
  const out: Pt[][] = [];
  for (let k = 0; k < RAYS; k++) {
    const a = (2 * Math.PI * k) / RAYS, dx = Math.cos(a), dy = Math.sin(a);
    const prof: number[] = [];
    for (let r = r0; r <= 0.75 * S; r += step) {
      const x = c.x + r * dx, y = c.y + r * dy;
      if (x < 0 || y < 0 || x > sw - 1 || y > sh - 1) break;
      prof.push(at(x, y));
    }
    const s = boxSmooth(prof, win);
    let mean = 0;
    for (const v of s) mean += v / s.length;
    const minima: number[] = [];
    for (let i = 0; i < s.length; i++) {
      if (s[i]! > 0.85 * mean) continue;
      let isMin = true;
      for (let j = Math.max(0, i - win); j <= Math.min(s.length - 1, i + win) && isMin; j++) {
        if (j < i ? s[j]! < s[i]! : j > i && s[j]! <= s[i]!) isMin = false;
      }
      if (isMin) minima.push(i);
    }
    const keep = new Set(minima.slice(-(MAX_CANDIDATES - 1)));
    if (minima.length) keep.add(minima.reduce((p, q) => (s[q]! < s[p]! ? q : p)));
    out.push([...keep].map((i) => ({ x: c.x + (r0 + i * step) * dx, y: c.y + (r0 + i * step) * dy })));
  }
  return out;
}

/** Centred running mean over `win` samples (shorter at the ends). */
function boxSmooth(p: number[], win: number): Float64Array {
  const h = win >> 1, n = p.length, out = new Float64Array(n);
  const cum = new Float64Array(n + 1);
  for (let i = 0; i < n; i++) cum[i + 1] = cum[i]! + p[i]!;
  for (let i = 0; i < n; i++) {
    const a = Math.max(0, i - h), b = Math.min(n, i + h + 1);
    out[i] = (cum[b]! - cum[a]!) / (b - a);
  }
  return out;
}

function nearestCandidate(cands: Pt[], c: Circle): Pt | null {
  let best: Pt | null = null, bd = Infinity;
  for (const p of cands) {
    const d = Math.abs(Math.hypot(p.x - c.cx, p.y - c.cy) - c.r);
    if (d < bd) {
      bd = d;
      best = p;
    }
  }
  return best;
}

/** Circle through candidate triples (rays 120° apart) supported by the most rays. */
function consensusCircle(cand: Pt[][], centre: Pt, tol: number, rMin: number, rMax: number): Circle | null {
  const third = RAYS / 3;
  let best: Circle | null = null, bestScore = 0;
  for (let k = 0; k < third; k += 3) {
    for (const p of cand[k]!) for (const q of cand[k + third]!) for (const s of cand[k + 2 * third]!) {
      const c = fitCircleWeighted([p.x, q.x, s.x], [p.y, q.y, s.y], [1, 1, 1]);
      if (!c || c.r < rMin || c.r > rMax || Math.hypot(c.cx - centre.x, c.cy - centre.y) > 0.5 * c.r) continue;
      let score = 0;
      for (let j = 0; j < RAYS; j++) {
        for (const t of cand[j]!) {
          if (Math.abs(Math.hypot(t.x - c.cx, t.y - c.cy) - c.r) <= tol) {
            score++;
            break;
          }
        }
      }
      if (score > bestScore) {
        bestScore = score;
        best = c;
      }
    }
  }
  return bestScore >= RAYS / 3 ? best : null;
}
