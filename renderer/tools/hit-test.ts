/**
 * Hit testing and vertex edits on region geometry, in image pixels (tolerances are converted from
 * screen pixels by the caller through viewer/coords.ts).
 */
import { distanceToSegmentPx, type Point } from '../../src/common/roi-path.js';
import { geometryBounds, polygonsGeometry } from '../../src/common/roi-geometry.js';
import type { MultiPolygon, Roi, RoiId } from '../../src/common/roi.js';

/** Even–odd test against one closed ring. */
export function pointInRing(p: Point, ring: readonly Point[]): boolean {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const a = ring[i]!, b = ring[j]!;
    if (a[1] > p[1] !== b[1] > p[1] && p[0] < ((b[0] - a[0]) * (p[1] - a[1])) / (b[1] - a[1]) + a[0]) inside = !inside;
  }
  return inside;
}

export function pointInGeometry(g: MultiPolygon, p: Point): boolean {
  return g.some((poly) => poly.reduce((inside, ring) => (pointInRing(p, ring) ? !inside : inside), false));
}

/** Where a vertex sits in a MultiPolygon (ring positions are closed: the last repeats the first). */
export interface VertexRef {
  readonly poly: number;
  readonly ring: number;
  readonly index: number;
}

function forEachSegment(g: MultiPolygon, f: (a: Point, b: Point, ref: VertexRef) => void): void {
  g.forEach((poly, pi) => poly.forEach((ring, ri) => {
    for (let i = 0; i + 1 < ring.length; i++) f(ring[i]!, ring[i + 1]!, { poly: pi, ring: ri, index: i });
  }));
}

export function distanceToEdges(g: MultiPolygon, p: Point): number {
  let best = Infinity;
  forEachSegment(g, (a, b) => (best = Math.min(best, distanceToSegmentPx(p, a, b))));
  return best;
}

/** The topmost visible region under `p` (inside, or within `tolPx` of its outline). */
export function roiAt(rois: readonly Roi[], p: Point, tolPx: number): Roi | null {
  for (let i = rois.length - 1; i >= 0; i--) {
    const r = rois[i]!;
    if (r.hidden) continue;
    const b = geometryBounds(r.geometry);
    if (!b || p[0] < b.minX - tolPx || p[0] > b.maxX + tolPx || p[1] < b.minY - tolPx || p[1] > b.maxY + tolPx) continue;
    if (pointInGeometry(r.geometry, p) || distanceToEdges(r.geometry, p) <= tolPx) return r;
  }
  return null;
}

export function vertexCount(g: MultiPolygon): number {
  return g.reduce((n, poly) => n + poly.reduce((m, ring) => m + ring.length - 1, 0), 0);
}

/** The vertex nearest to `p` within `tolPx`, or null. */
export function nearestVertex(g: MultiPolygon, p: Point, tolPx: number): VertexRef | null {
  let best: VertexRef | null = null, bestD = tolPx;
  forEachSegment(g, (a, _b, ref) => {
    const d = Math.hypot(a[0] - p[0], a[1] - p[1]);
    if (d <= bestD) (bestD = d), (best = ref);
  });
  return best;
}

/** The edge nearest to `p` within `tolPx` (index of its first vertex), or null. */
export function nearestEdge(g: MultiPolygon, p: Point, tolPx: number): VertexRef | null {
  let best: VertexRef | null = null, bestD = tolPx;
  forEachSegment(g, (a, b, ref) => {
    const d = distanceToSegmentPx(p, a, b);
    if (d <= bestD) (bestD = d), (best = ref);
  });
  return best;
}

type OpenRings = Point[][][];

function openRings(g: MultiPolygon): OpenRings {
  return g.map((poly) => poly.map((ring) => ring.slice(0, -1).map((q): Point => [q[0], q[1]])));
}

/** Raw rings (not yet valid) with one vertex moved — for drawing while dragging. */
export function moveVertexRaw(g: MultiPolygon, v: VertexRef, to: Point): MultiPolygon {
  const rings = openRings(g);
  rings[v.poly]![v.ring]![v.index] = [to[0], to[1]];
  return rings.map((poly) => poly.map((ring) => [...ring, ring[0]!])) as unknown as MultiPolygon;
}

/** A valid geometry with one vertex moved (crossings resolved), or empty. */
export function moveVertex(g: MultiPolygon, v: VertexRef, to: Point): MultiPolygon {
  const rings = openRings(g);
  rings[v.poly]![v.ring]![v.index] = [to[0], to[1]];
  return polygonsGeometry(rings);
}

/**
 * A vertex inserted on the edge (at the point of it nearest to `at`, on the 1/1024 px grid of
 * roi-geometry). The shape does not change, so it is not re-normalized (which would drop the new,
 * collinear vertex again).
 */
export function insertVertex(g: MultiPolygon, edge: VertexRef, at: Point): MultiPolygon {
  const ring = g[edge.poly]![edge.ring]!;
  const a = ring[edge.index]!, b = ring[edge.index + 1]!;
  const dx = b[0] - a[0], dy = b[1] - a[1];
  const t = Math.max(0, Math.min(1, ((at[0] - a[0]) * dx + (at[1] - a[1]) * dy) / (dx * dx + dy * dy || 1)));
  const snap = (v: number) => Math.round(v * 1024) / 1024;
  const q: Point = [snap(a[0] + t * dx), snap(a[1] + t * dy)];
  if ((q[0] === a[0] && q[1] === a[1]) || (q[0] === b[0] && q[1] === b[1])) return g;
  return g.map((poly, pi) => poly.map((r, ri) => (pi === edge.poly && ri === edge.ring ? [...r.slice(0, edge.index + 1), q, ...r.slice(edge.index + 1)] : r))) as unknown as MultiPolygon;
}

/** A vertex removed; null when its ring would have fewer than three. */
export function removeVertex(g: MultiPolygon, v: VertexRef): MultiPolygon | null {
  const rings = openRings(g);
  const ring = rings[v.poly]![v.ring]!;
  if (ring.length <= 3) return null;
  ring.splice(v.index, 1);
  return polygonsGeometry(rings);
}

export const roiById = (rois: readonly Roi[], id: RoiId | null): Roi | null => (id ? (rois.find((r) => r.id === id) ?? null) : null);
