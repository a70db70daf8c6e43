/**
 * Constructors, boolean operations and measures for ROI geometry (see roi.ts for the
 * representation). Boolean operations use polygon-clipping; every result is a valid MultiPolygon
 * (non-overlapping polygons, closed rings, outer rings with positive shoelace area). Inputs to the
 * clipper are snapped to a 1/1024 px grid, far below pixel precision, which keeps it away from
 * near-coincident edges (its known failure mode); on a failure it retries on coarser grids.
 * Every vertex this module makes lies on that grid, so re-normalizing stored geometry changes nothing.
 * Self-crossing rings follow polygon-clipping's non-zero rule.
 * Isomorphic: polygon-clipping only.
 */
import polygonClipping from 'polygon-clipping';
import type { MultiPolygon as PcMultiPolygon, Ring as PcRing } from 'polygon-clipping';
import { AppError } from './errors.js';
import type { MultiPolygon, Roi } from './roi.js';
import { assertClippable, convexHull, openRing, ringSignedAreaPx, simplifyPath, type Point } from './roi-path.js';

export type { Point } from './roi-path.js';

const EMPTY: MultiPolygon = [];
/** Default largest distance between a curve and its polygon, in image pixels. */
export const DEFAULT_MAX_ERROR_PX = 0.25;
const MAX_CURVE_VERTICES = 4096;

/** Every vertex made here lies on this grid (per image pixel). */
const GRID_PER_PX = 1024;
/** Snap grids tried in turn when polygon-clipping trips over near-degenerate input. */
const SNAP_GRIDS_PER_PX = [GRID_PER_PX, 64, 8] as const;

function snapped(g: MultiPolygon | PcMultiPolygon, perPx: number): PcMultiPolygon {
  const s = (v: number): number => Math.round(v * perPx) / perPx;
  return g.map((poly) => poly.map((ring) => ring.map((p): [number, number] => [s(p[0]), s(p[1])])));
}

function closed(ring: readonly Point[]): PcRing {
  const r = ring.map((p): [number, number] => [p[0], p[1]]);
  if (r.length) r.push([r[0]![0], r[0]![1]]);
  return r;
}

/** One polygon from open rings, on the grid. */
function fromOpenRings(rings: readonly (readonly Point[])[]): MultiPolygon {
  return snapped([rings.map(closed)], GRID_PER_PX) as unknown as MultiPolygon;
}

/**
 * Clipper output snapped to the same grid (so that normalizing again is idempotent and files
 * round-trip exactly), without the repeated points or collapsed rings snapping can leave.
 */
function cleanSnapped(mp: PcMultiPolygon, perPx: number): MultiPolygon {
  const out: PcMultiPolygon = [];
  for (const poly of snapped(mp, perPx)) {
    const rings = poly.map((ring) => ring.filter((p, i) => i === 0 || p[0] !== ring[i - 1]![0] || p[1] !== ring[i - 1]![1]));
    if (!rings[0] || rings[0].length < 4) continue;
    out.push(rings.filter((r) => r.length >= 4));
  }
  return out as unknown as MultiPolygon;
}

type ClipOp = 'union' | 'difference' | 'intersection' | 'xor';

/**
 * Runs polygon-clipping on snapped copies of the inputs, retrying on a coarser grid when it
 * fails; a final failure becomes ROI_INVALID instead of a crash.
 */
function clip(op: ClipOp, geoms: readonly (MultiPolygon | PcMultiPolygon)[]): MultiPolygon {
  let error: unknown;
  for (const perPx of SNAP_GRIDS_PER_PX) {
    const [first, ...rest] = geoms.map((g) => snapped(g, perPx));
    try {
      return cleanSnapped(polygonClipping[op](first!, ...rest), perPx);
    } catch (e) {
      error = e;
    }
  }
  throw new AppError('ROI_INVALID', 'The region’s shape could not be combined with the others. Redraw it with fewer crossings.', {
    detail: `polygon-clipping ${op} failed: ${(error as Error)?.message ?? String(error)}`,
    cause: error,
  });
}

/** Union of many parts as a tree of small unions (much faster than one sweep over heavy overlap). */
function unionMany(parts: readonly MultiPolygon[]): MultiPolygon {
  const CHUNK = 8;
  let level = parts.filter((g) => g.length > 0);
  if (level.length === 0) return EMPTY;
  if (level.length === 1) return clip('union', level);
  while (level.length > 1) {
    const next: MultiPolygon[] = [];
    for (let i = 0; i < level.length; i += CHUNK) {
      const group = level.slice(i, i + CHUNK);
      next.push(group.length === 1 ? group[0]! : clip('union', group));
    }
    level = next;
  }
  return level[0]!;
}

/** Axis-aligned rectangle between two corners (any order); empty when it has no area. */
export function rectangleGeometry(x0: number, y0: number, x1: number, y1: number): MultiPolygon {
  const minX = Math.min(x0, x1), maxX = Math.max(x0, x1), minY = Math.min(y0, y1), maxY = Math.max(y0, y1);
  if (!(maxX > minX && maxY > minY)) return EMPTY;
  return fromOpenRings([[[minX, minY], [maxX, minY], [maxX, maxY], [minX, maxY]]]);
}

/**
 * Rectangle with corners rounded by quarter ellipses of diameter `cornerDiameterPx` (at most the
 * width / height), like ImageJ's rounded rectangles; outline within `maxErrorPx` of the arcs.
 */
export function roundedRectangleGeometry(
  x0: number, y0: number, x1: number, y1: number, cornerDiameterPx: number, maxErrorPx = DEFAULT_MAX_ERROR_PX,
): MultiPolygon {
  const minX = Math.min(x0, x1), maxX = Math.max(x0, x1), minY = Math.min(y0, y1), maxY = Math.max(y0, y1);
  const rx = Math.min(cornerDiameterPx, maxX - minX) / 2, ry = Math.min(cornerDiameterPx, maxY - minY) / 2;
  if (!(rx > 0 && ry > 0)) return rectangleGeometry(x0, y0, x1, y1);
  const steps = curveVertexCount(Math.max(rx, ry), maxErrorPx) / 4;
  const corners: [number, number, number][] = [[maxX - rx, minY + ry, -Math.PI / 2], [maxX - rx, maxY - ry, 0], [minX + rx, maxY - ry, Math.PI / 2], [minX + rx, minY + ry, Math.PI]];
  const ring: Point[] = [];
  for (const [cx, cy, t0] of corners) {
    for (let i = 0; i <= steps; i++) {
      const t = t0 + (i / steps) * (Math.PI / 2);
      ring.push([cx + rx * Math.cos(t), cy + ry * Math.sin(t)]);
    }
  }
  return clip('union', [fromOpenRings([openRing(ring)])]);
}

/** Vertices for a circle of radius `radiusPx` whose polygon stays within `maxErrorPx` of it. */
export function curveVertexCount(radiusPx: number, maxErrorPx: number): number {
  const e = Math.min(Math.max(maxErrorPx, 1e-6), radiusPx);
  const n = Math.ceil(Math.PI / Math.acos(1 - e / radiusPx));
  return Math.min(MAX_CURVE_VERTICES, Math.max(32, Math.ceil(n / 4) * 4));
}

/**
 * Unit-circle polygon with n vertices scaled by √(θ / sin θ), θ = 2π/n, so that its area is
 * exactly π: an ellipse or disc built from it has the analytic area, and its outline stays within
 * the sagitta r·(1 − cos(θ/2)) of the true curve (vertices slightly outside, edge midpoints inside).
 */
function unitCircle(n: number): Point[] {
  const theta = (2 * Math.PI) / n;
  const k = Math.sqrt(theta / Math.sin(theta));
  return Array.from({ length: n }, (_, i): Point => [k * Math.cos(i * theta), k * Math.sin(i * theta)]);
}

/** Axis-aligned ellipse; polygon area = π·rx·ry, outline within `maxErrorPx` of the ellipse. */
export function ellipseGeometry(cx: number, cy: number, rx: number, ry: number, maxErrorPx = DEFAULT_MAX_ERROR_PX): MultiPolygon {
  if (!(rx * GRID_PER_PX >= 1 && ry * GRID_PER_PX >= 1) || !Number.isFinite(cx + cy + rx + ry)) return EMPTY;
  const n = curveVertexCount(Math.max(rx, ry), maxErrorPx);
  return fromOpenRings([unitCircle(n).map(([x, y]): Point => [cx + rx * x, cy + ry * y])]);
}

/** A closed polygon through `points` (closing edge implied); self-crossings resolved (non-zero rule). */
export function polygonGeometry(points: readonly Point[]): MultiPolygon {
  const ring = openRing(points);
  if (ring.length < 3) return EMPTY;
  assertClippable([ring]);
  return clip('union', [fromOpenRings([ring])]);
}

/** GeoJSON-style polygons (outer ring, then holes; any orientation) made valid and unioned. */
export function polygonsGeometry(polygons: readonly (readonly (readonly Point[])[])[]): MultiPolygon {
  const rings = polygons.map((poly) => poly.map(openRing).filter((r) => r.length >= 3)).filter((poly) => poly.length > 0);
  if (rings.length === 0) return EMPTY;
  assertClippable(rings.flat());
  return clip('union', [rings.map((poly) => poly.map(closed))]);
}

/** Rings combined by the even–odd rule (a point is inside when it is inside an odd number of rings). */
export function evenOddGeometry(rings: readonly (readonly Point[])[]): MultiPolygon {
  const open = rings.map(openRing).filter((r) => r.length >= 3);
  if (open.length === 0) return EMPTY;
  assertClippable(open);
  return clip('xor', open.map((r) => fromOpenRings([r])));
}

/** Freehand lasso: Ramer–Douglas–Peucker within `toleranceImagePx`, then a valid polygon. */
export function freehandGeometry(points: readonly Point[], toleranceImagePx: number): MultiPolygon {
  return polygonGeometry(simplifyPath(openRing(points), toleranceImagePx));
}

/**
 * Polygonal disc template around the origin: area exactly πr²; at least 48 vertices so that the
 * width of a capsule's straight part (2r·√(θ/sin θ)) is within 0.15 % of 2r.
 */
function discTemplate(radiusImagePx: number, maxErrorPx: number): Point[] {
  return unitCircle(Math.max(48, curveVertexCount(radiusImagePx, maxErrorPx))).map(([x, y]): Point => [radiusImagePx * x, radiusImagePx * y]);
}

/**
 * A brush stroke: the union of discs of `radiusImagePx` centred on every point of the path, i.e.
 * capsules between consecutive points. Each capsule is the convex hull of two copies of the same
 * polygonal disc (area πr², within `maxErrorPx` of the circle), so neighbouring capsules share
 * their joint exactly. The path is first simplified by `maxErrorPx`.
 */
export function brushStrokeGeometry(points: readonly Point[], radiusImagePx: number, maxErrorPx = DEFAULT_MAX_ERROR_PX): MultiPolygon {
  if (!(radiusImagePx > 0) || points.length === 0) return EMPTY;
  const path: Point[] = [];
  for (const p of points) {
    const q = path[path.length - 1];
    if (!q || q[0] !== p[0] || q[1] !== p[1]) path.push([p[0], p[1]]);
  }
  const simple = simplifyPath(path, maxErrorPx);
  const disc = discTemplate(radiusImagePx, maxErrorPx);
  const at = (c: Point): Point[] => disc.map(([x, y]): Point => [c[0] + x, c[1] + y]);
  if (simple.length === 1) return clip('union', [fromOpenRings([at(simple[0]!)])]);
  const capsules: MultiPolygon[] = [];
  for (let i = 0; i + 1 < simple.length; i++) {
    capsules.push(fromOpenRings([convexHull([...at(simple[i]!), ...at(simple[i + 1]!)])]));
  }
  return unionMany(capsules);
}

/** a ∪ b. */
export function unionGeometry(a: MultiPolygon, b: MultiPolygon): MultiPolygon {
  if (a.length === 0 && b.length === 0) return EMPTY;
  return clip('union', [a, b]);
}

/** Union of many geometries (empty list → empty). */
export function unionAllGeometry(geoms: readonly MultiPolygon[]): MultiPolygon {
  return unionMany(geoms);
}

/** a minus b (the eraser). */
export function differenceGeometry(a: MultiPolygon, b: MultiPolygon): MultiPolygon {
  if (a.length === 0) return EMPTY;
  if (b.length === 0) return clip('union', [a]);
  return clip('difference', [a, b]);
}

/** a ∩ b. */
export function intersectGeometry(a: MultiPolygon, b: MultiPolygon): MultiPolygon {
  if (a.length === 0 || b.length === 0) return EMPTY;
  return clip('intersection', [a, b]);
}

/** Re-validates geometry read from a file (overlaps merged, crossings resolved, orientation fixed). */
export function normalizeGeometry(g: MultiPolygon): MultiPolygon {
  if (g.length === 0) return EMPTY;
  assertClippable(g.flat());
  return clip('union', [g]);
}

/** Area in image pixels²: Σ |outer| − Σ |holes| (shoelace). */
export function geometryAreaPx(g: MultiPolygon): number {
  let area = 0;
  for (const poly of g) {
    poly.forEach((ring, i) => {
      const a = Math.abs(ringSignedAreaPx(ring));
      area += i === 0 ? a : -a;
    });
  }
  return area;
}

export interface BoundsPx {
  readonly minX: number;
  readonly minY: number;
  readonly maxX: number;
  readonly maxY: number;
}

/** Bounding box in image pixels, or null for empty geometry. */
export function geometryBounds(g: MultiPolygon): BoundsPx | null {
  let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
  for (const poly of g) {
    for (const p of poly[0] ?? []) {
      if (p[0] < minX) minX = p[0];
      if (p[0] > maxX) maxX = p[0];
      if (p[1] < minY) minY = p[1];
      if (p[1] > maxY) maxY = p[1];
    }
  }
  return minX <= maxX ? { minX, minY, maxX, maxY } : null;
}

/** Geometry moved by (dx, dy) image pixels. */
export function translateGeometry(g: MultiPolygon, dx: number, dy: number): MultiPolygon {
  return snapped(g.map((poly) => poly.map((ring) => ring.map((p): [number, number] => [p[0] + dx, p[1] + dy]))), GRID_PER_PX) as unknown as MultiPolygon;
}

/** The part of g inside the image [0, widthPx] × [0, heightPx]. */
export function clipToImage(g: MultiPolygon, widthPx: number, heightPx: number): MultiPolygon {
  const b = geometryBounds(g);
  if (!b) return EMPTY;
  if (b.minX >= 0 && b.minY >= 0 && b.maxX <= widthPx && b.maxY <= heightPx) return g;
  return intersectGeometry(g, rectangleGeometry(0, 0, widthPx, heightPx));
}

export interface RoiReference {
  /** Union of the include regions clipped to the image; null when there is none (automatic reference). */
  readonly include: MultiPolygon | null;
  /** Union of the exclude regions clipped to the image; null when there is none. */
  readonly exclude: MultiPolygon | null;
}

/**
 * What the analysis needs from an image's regions. The reference is `include − exclude` when
 * `include` is not null, else the recipe's automatic reference − `exclude`. Hidden regions count
 * (hiding is a display choice). An include set lying entirely outside the image gives `[]`, not null.
 */
export function referenceFromRois(rois: readonly Roi[], widthPx: number, heightPx: number): RoiReference {
  const of = (role: Roi['role']): MultiPolygon | null => {
    const gs = rois.filter((r) => r.role === role).map((r) => r.geometry);
    return gs.length ? clipToImage(unionAllGeometry(gs), widthPx, heightPx) : null;
  };
  return { include: of('include'), exclude: of('exclude') };
}
