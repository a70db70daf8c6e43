/**
 * Scan-line rasterization of polygons (with holes) into masks. A pixel is inside when its centre
 * (x + ½, y + ½) is inside by the even–odd rule, applied per polygon (outer ring + holes), so
 * holes are excluded and overlapping polygons are unioned.
 */
import type { PolygonRings } from '../common/geometry.js';
import { createMask, type Mask } from './raster.js';

interface Edge {
  readonly x0: number;
  readonly y0: number;
  readonly x1: number;
  readonly y1: number;
}

function edgesOf(poly: PolygonRings): Edge[] {
  const edges: Edge[] = [];
  for (const ring of poly) {
    const n = ring.length;
    for (let i = 0; i < n; i++) {
      const a = ring[i]!, b = ring[(i + 1) % n]!;
      if (a[1] !== b[1]) edges.push({ x0: a[0], y0: a[1], x1: b[0], y1: b[1] });
    }
  }
  return edges;
}

/** Fills one polygon (even–odd over its rings) into `mask` (OR). */
export function fillPolygon(mask: Mask, poly: PolygonRings): void {
  const { width, height, data } = mask;
  const edges = edgesOf(poly);
  if (edges.length === 0) return;
  // bucket edges by the first row whose centre they cross
  const buckets = new Map<number, Edge[]>();
  let yMin = Infinity, yMax = -Infinity;
  for (const e of edges) {
    const lo = Math.min(e.y0, e.y1), hi = Math.max(e.y0, e.y1);
    const first = Math.max(0, Math.ceil(lo - 0.5));
    const last = Math.min(height - 1, Math.ceil(hi - 0.5) - 1);
    if (first > last) continue;
    let b = buckets.get(first);
    if (!b) buckets.set(first, (b = []));
    b.push(e);
    yMin = Math.min(yMin, first);
    yMax = Math.max(yMax, last);
  }
  let active: Edge[] = [];
  const xs: number[] = [];
  for (let y = yMin; y <= yMax; y++) {
    const yc = y + 0.5;
    const added = buckets.get(y);
    if (added) active = active.concat(added);
    active = active.filter((e) => Math.max(e.y0, e.y1) > yc);
    xs.length = 0;
    for (const e of active) {
      if (Math.min(e.y0, e.y1) <= yc) xs.push(e.x0 + ((yc - e.y0) * (e.x1 - e.x0)) / (e.y1 - e.y0));
    }
    xs.sort((a, b) => a - b);
    const row = y * width;
    for (let k = 0; k + 1 < xs.length; k += 2) {
      // pixels whose centre lies in [xs[k], xs[k+1])
      const a = Math.max(0, Math.ceil(xs[k]! - 0.5));
      const b = Math.min(width, Math.ceil(xs[k + 1]! - 0.5));
      if (b > a) data.fill(255, row + a, row + b);
    }
  }
}

/** Union of polygons as a new mask of width × height. */
export function rasterizePolygons(polys: readonly PolygonRings[], width: number, height: number): Mask {
  const mask = createMask(width, height);
  for (const p of polys) fillPolygon(mask, p);
  return mask;
}
