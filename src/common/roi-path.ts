/**
 * Plain path helpers for ROI geometry (no clipping): ring closing, Ramer–Douglas–Peucker
 * simplification, convex hull, shoelace area and a bounded self-crossing count that protects the
 * clipper from hostile outlines. Coordinates are image pixels. Isomorphic, no dependencies.
 */
import { AppError } from './errors.js';

/** An input point in image pixels (tools and importers pass plain numbers). */
export type Point = readonly [number, number];

/** Distance from p to the segment a–b (to a when a = b). */
export function distanceToSegmentPx(p: Point, a: Point, b: Point): number {
  const dx = b[0] - a[0], dy = b[1] - a[1];
  const len2 = dx * dx + dy * dy;
  let t = len2 > 0 ? ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / len2 : 0;
  t = Math.max(0, Math.min(1, t));
  return Math.hypot(p[0] - (a[0] + t * dx), p[1] - (a[1] + t * dy));
}

/** Drops consecutive duplicates and a repeated closing point; the result is an open ring. */
export function openRing(points: readonly Point[]): Point[] {
  const out: Point[] = [];
  for (const p of points) {
    const q = out[out.length - 1];
    if (!q || q[0] !== p[0] || q[1] !== p[1]) out.push([p[0], p[1]]);
  }
  while (out.length > 1 && out[0]![0] === out[out.length - 1]![0] && out[0]![1] === out[out.length - 1]![1]) out.pop();
  return out;
}

/**
 * Ramer–Douglas–Peucker on an open path (iterative, no recursion limit). Every input point lies
 * within `toleranceImagePx` of the simplified path; the end points are kept.
 */
export function simplifyPath(points: readonly Point[], toleranceImagePx: number): Point[] {
  const n = points.length;
  if (n <= 2 || !(toleranceImagePx > 0)) return points.slice();
  const keep = new Uint8Array(n);
  keep[0] = keep[n - 1] = 1;
  const stack: [number, number][] = [[0, n - 1]];
  while (stack.length) {
    const [a, b] = stack.pop()!;
    let maxD = -1, at = -1;
    for (let i = a + 1; i < b; i++) {
      const d = distanceToSegmentPx(points[i]!, points[a]!, points[b]!);
      if (d > maxD) (maxD = d), (at = i);
    }
    if (maxD > toleranceImagePx) {
      keep[at] = 1;
      stack.push([a, at], [at, b]);
    }
  }
  return points.filter((_, i) => keep[i] === 1);
}

/** Signed shoelace area ½·Σ(xᵢ·yᵢ₊₁ − xᵢ₊₁·yᵢ); works for open or closed rings. */
export function ringSignedAreaPx(ring: readonly Point[]): number {
  let s = 0;
  for (let i = 0, n = ring.length; i < n; i++) {
    const a = ring[i]!, b = ring[(i + 1) % n]!;
    s += a[0] * b[1] - b[0] * a[1];
  }
  return s / 2;
}

function cross(o: Point, a: Point, b: Point): number {
  return (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0]);
}

/** Convex hull (Andrew's monotone chain), open ring with positive shoelace area. */
export function convexHull(points: readonly Point[]): Point[] {
  const p = [...points].sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  if (p.length < 3) return p;
  const lower: Point[] = [], upper: Point[] = [];
  for (const q of p) {
    while (lower.length >= 2 && cross(lower[lower.length - 2]!, lower[lower.length - 1]!, q) <= 0) lower.pop();
    lower.push(q);
  }
  for (let i = p.length - 1; i >= 0; i--) {
    const q = p[i]!;
    while (upper.length >= 2 && cross(upper[upper.length - 2]!, upper[upper.length - 1]!, q) <= 0) upper.pop();
    upper.push(q);
  }
  return lower.slice(0, -1).concat(upper.slice(0, -1));
}

interface Segment {
  readonly x0: number;
  readonly x1: number;
  readonly y0: number;
  readonly y1: number;
  readonly a: Point;
  readonly b: Point;
}

function properlyCross(s: Segment, t: Segment): boolean {
  const d1 = cross(s.a, s.b, t.a), d2 = cross(s.a, s.b, t.b);
  const d3 = cross(t.a, t.b, s.a), d4 = cross(t.a, t.b, s.b);
  return ((d1 > 0 && d2 < 0) || (d1 < 0 && d2 > 0)) && ((d3 > 0 && d4 < 0) || (d3 < 0 && d4 > 0));
}

/** Bounds for `assertClippable`: the clipper's cost grows with crossings; ours with pair tests. */
export const CLIP_LIMITS = { maxCrossings: 10_000, maxPairTests: 30_000_000 } as const;

/**
 * Throws ROI_INVALID when rings (open or closed) cross each other too often for the polygon
 * clipper to finish quickly — a hostile or corrupt outline — or when checking that would itself
 * take too long. A sweep along x with a work budget: ordinary outlines cost about
 * n × (edges over a vertical line); 65 535 random vertices are refused in ~0.1 s.
 */
export function assertClippable(rings: readonly (readonly Point[])[]): void {
  const segs: Segment[] = [];
  for (const r of rings) {
    for (let i = 0, n = r.length; i < n; i++) {
      const a = r[i]!, b = r[(i + 1) % n]!;
      if (a[0] === b[0] && a[1] === b[1]) continue;
      segs.push({ x0: Math.min(a[0], b[0]), x1: Math.max(a[0], b[0]), y0: Math.min(a[1], b[1]), y1: Math.max(a[1], b[1]), a, b });
    }
  }
  segs.sort((s, t) => s.x0 - t.x0);
  const active: Segment[] = [];
  let work = 0, crossings = 0;
  for (const s of segs) {
    let kept = 0; // drop edges that end before s starts, test the others against s
    for (const t of active) {
      if (t.x1 < s.x0) continue;
      active[kept++] = t;
      if (t.y1 >= s.y0 && t.y0 <= s.y1 && properlyCross(s, t)) crossings++;
    }
    work += active.length + 1;
    active.length = kept;
    if (crossings > CLIP_LIMITS.maxCrossings) {
      throw new AppError('ROI_INVALID', 'The region’s outline crosses itself too often to be processed. Simplify or redraw it.', {
        detail: `outline too tangled: more than ${CLIP_LIMITS.maxCrossings} self-crossings (${segs.length} edges)`,
      });
    }
    if (work > CLIP_LIMITS.maxPairTests) {
      throw new AppError('ROI_INVALID', 'The region’s outline is too complex to be processed. Simplify it (fewer vertices) or redraw it.', {
        detail: `outline too complex: ${work} pair tests after ${crossings} crossings (${segs.length} edges)`,
      });
    }
    active.push(s);
  }
}
