import { describe, expect, it } from 'vitest';
import type { MultiPolygon, Roi, RoiId } from '../../../src/common/roi.js';
import {
  brushStrokeGeometry, clipToImage, curveVertexCount, differenceGeometry, ellipseGeometry, freehandGeometry, geometryAreaPx,
  geometryBounds, intersectGeometry, normalizeGeometry, polygonGeometry, rectangleGeometry, referenceFromRois,
  roundedRectangleGeometry, translateGeometry, unionGeometry, type Point,
} from '../../../src/common/roi-geometry.js';
import { distanceToSegmentPx, ringSignedAreaPx } from '../../../src/common/roi-path.js';
import { rasterizePolygons } from '../../../src/pipeline/rasterize.js';
import { countInside, seededRandom } from './imagej-encoder.js';

const rasterAreaPx = (g: MultiPolygon, w: number, h: number): number => countInside(rasterizePolygons(g, w, h));
const relErr = (measured: number, expected: number): number => Math.abs(measured / expected - 1);

/** Largest relative errors seen per shape kind, rasterized and vector (reported in the final test). */
const worst: Record<string, { raster: number; vector: number }> = {};
function expectAreaWithin(kind: string, g: MultiPolygon, analyticPx: number, w: number, h: number): void {
  const raster = rasterAreaPx(g, w, h);
  const e = relErr(raster, analyticPx);
  const w0 = worst[kind] ?? { raster: 0, vector: 0 };
  worst[kind] = { raster: Math.max(w0.raster, e), vector: Math.max(w0.vector, relErr(geometryAreaPx(g), analyticPx)) };
  expect(e, `${kind}: raster ${raster} vs analytic ${analyticPx.toFixed(1)}`).toBeLessThan(0.005);
}

// Shapes are large enough that pixelization itself stays under 0.5 %: an exact circle of radius
// 20 centred on a pixel corner already rasterizes 0.6 % too large (Gauss circle problem).
describe('constructors: rasterized area matches the analytic area within 0.5 %', () => {
  it('rectangles (exact on pixel corners)', () => {
    expect(rasterAreaPx(rectangleGeometry(3, 4, 53, 24), 100, 100)).toBe(1000);
    expect(rasterAreaPx(rectangleGeometry(53, 24, 3, 4), 100, 100)).toBe(1000);
    expectAreaWithin('rectangle', rectangleGeometry(10.3, 20.6, 150.2, 90.9), 139.9 * 70.3, 200, 200);
    expect(rectangleGeometry(1, 1, 1, 9)).toEqual([]);
  });

  it.each([
    [100.5, 100.5, 60, 60], [120.3, 90.7, 80, 35], [64, 64, 40, 40], [300.25, 200.75, 250, 120], [50, 50, 40, 12],
  ])('ellipse at (%f, %f) with radii %f × %f', (cx, cy, rx, ry) => {
    const g = ellipseGeometry(cx, cy, rx, ry);
    const analytic = Math.PI * rx * ry;
    expect(relErr(geometryAreaPx(g), analytic)).toBeLessThan(0.001);
    expectAreaWithin('ellipse', g, analytic, 600, 400);
    // the outline stays within maxErrorPx (0.25) of the ellipse: check the normalized radius
    for (const [x, y] of g[0]![0]!) {
      const rho = Math.hypot((x - cx) / rx, (y - cy) / ry);
      expect(Math.abs(rho - 1) * Math.max(rx, ry)).toBeLessThan(0.25);
    }
  });

  it('polygons (concave, non-integer vertices)', () => {
    const pts: Point[] = [[10.5, 10.2], [180.7, 15.1], [150.3, 120.8], [90.1, 60.4], [20.9, 140.6]];
    expectAreaWithin('polygon', polygonGeometry(pts), Math.abs(ringSignedAreaPx(pts)), 200, 200);
  });

  it.each([
    ['horizontal', [[40, 50], [260, 50]], 12],
    ['oblique', [[30.4, 20.2], [250.9, 170.3]], 9.5],
    ['steep, thin', [[100.2, 10.7], [120.6, 190.1]], 4],
  ] as const)('brush capsule %s: π r² + 2 r L', (_n, path, r) => {
    const g = brushStrokeGeometry(path as unknown as Point[], r);
    const L = Math.hypot(path[1][0] - path[0][0], path[1][1] - path[0][1]);
    expect(relErr(geometryAreaPx(g), Math.PI * r * r + 2 * r * L)).toBeLessThan(0.002);
    expectAreaWithin('brush', g, Math.PI * r * r + 2 * r * L, 300, 200);
  });

  it('brush: a single dab is a disc; a right-angle stroke has area 2r(L₁+L₂) + 5πr²/4 − r²', () => {
    expectAreaWithin('brush', brushStrokeGeometry([[100.5, 80.5]], 30), Math.PI * 900, 200, 200);
    const r = 15, path: Point[] = [[30, 40], [230, 40], [230, 190]];
    const g = brushStrokeGeometry(path, r);
    expect(g).toHaveLength(1);
    expectAreaWithin('brush', g, 2 * r * (200 + 150) + (5 * Math.PI * r * r) / 4 - r * r, 300, 250);
  });

  it('brush: many close points along a line give the same area as the two end points', () => {
    const dense: Point[] = Array.from({ length: 400 }, (_, i) => [20 + i * 0.5, 60 + (i % 2) * 0.1]);
    const g = brushStrokeGeometry(dense, 10);
    expect(relErr(geometryAreaPx(g), Math.PI * 100 + 2 * 10 * 199.5)).toBeLessThan(0.003);
  });

  it('rounded rectangles: each corner loses (1 − π/4)·r²', () => {
    const g = roundedRectangleGeometry(10, 10, 110, 70, 20);
    expect(relErr(geometryAreaPx(g), 100 * 60 - (4 - Math.PI) * 100)).toBeLessThan(0.002);
  });

  it('vertex counts grow with the radius and stay bounded', () => {
    expect(curveVertexCount(1, 0.25)).toBe(32);
    expect(curveVertexCount(1000, 0.25)).toBeGreaterThan(100);
    expect(curveVertexCount(1e7, 0.001)).toBe(4096);
  });
});

describe('boolean operations', () => {
  const a = rectangleGeometry(0, 0, 100, 100), b = rectangleGeometry(50, 50, 150, 150);

  it('union, difference (eraser) and intersection have the expected areas', () => {
    expect(geometryAreaPx(unionGeometry(a, b))).toBeCloseTo(17500, 6);
    expect(geometryAreaPx(differenceGeometry(a, b))).toBeCloseTo(7500, 6);
    expect(geometryAreaPx(intersectGeometry(a, b))).toBeCloseTo(2500, 6);
    expect(unionGeometry(a, rectangleGeometry(200, 0, 210, 10))).toHaveLength(2);
    expect(differenceGeometry(a, rectangleGeometry(0, 0, 100, 100))).toEqual([]);
    expect(unionGeometry([], [])).toEqual([]);
  });

  it('erasing the middle makes a hole: outer ring positive, hole negative, rings closed', () => {
    const g = differenceGeometry(a, ellipseGeometry(50, 50, 20, 20));
    expect(g).toHaveLength(1);
    expect(g[0]).toHaveLength(2);
    expect(ringSignedAreaPx(g[0]![0]!)).toBeGreaterThan(0);
    expect(ringSignedAreaPx(g[0]![1]!)).toBeLessThan(0);
    for (const ring of g[0]!) expect(ring[0]).toEqual(ring[ring.length - 1]);
    expect(relErr(geometryAreaPx(g), 10000 - Math.PI * 400)).toBeLessThan(1e-5); // clipper input snapped to 1/1024 px
    expect(relErr(rasterAreaPx(g, 100, 100), 10000 - Math.PI * 400)).toBeLessThan(0.005);
  });

  it('brush adds, eraser removes, repeated strokes stay valid', () => {
    let g: MultiPolygon = [];
    const rnd = seededRandom(7);
    for (let s = 0; s < 15; s++) {
      const path: Point[] = Array.from({ length: 30 }, (_, i) => [50 + rnd() * 200 + i, 50 + rnd() * 200]);
      g = s % 3 === 2 ? differenceGeometry(g, brushStrokeGeometry(path, 6)) : unionGeometry(g, brushStrokeGeometry(path, 10));
    }
    expect(rasterAreaPx(g, 400, 400) / geometryAreaPx(g)).toBeCloseTo(1, 1);
    expect(relErr(geometryAreaPx(normalizeGeometry(g)), geometryAreaPx(g))).toBeLessThan(1e-5);
  });
});

describe('self-intersecting input and simplification', () => {
  it('a bow tie becomes two triangles', () => {
    const g = polygonGeometry([[0, 0], [10, 10], [10, 0], [0, 10]]);
    expect(g).toHaveLength(2);
    expect(geometryAreaPx(g)).toBeCloseTo(50, 9);
  });

  it('a pentagram follows the non-zero rule (centre included); degenerate input is empty', () => {
    const star: Point[] = [0, 2, 4, 1, 3].map((k) => [100 + 80 * Math.sin((2 * Math.PI * k) / 5), 100 - 80 * Math.cos((2 * Math.PI * k) / 5)]);
    const g = polygonGeometry(star);
    expect(rasterizePolygons(g, 200, 200).data[100 * 200 + 100]).toBe(255);
    expect(polygonGeometry([[0, 0], [5, 5], [10, 10]])).toEqual([]);
    expect(polygonGeometry([[1, 1], [1, 1]])).toEqual([]);
  });

  it('freehand: every drawn point stays within the tolerance of the simplified outline', () => {
    const rnd = seededRandom(3);
    const pts: Point[] = Array.from({ length: 2000 }, (_, i) => {
      const t = (2 * Math.PI * i) / 2000, r = 80 + 5 * Math.sin(7 * t) + (rnd() - 0.5) * 0.8;
      return [120 + r * Math.cos(t), 120 + r * Math.sin(t)];
    });
    const tolerancePx = 1.5;
    const g = freehandGeometry(pts, tolerancePx);
    const ring = g[0]![0]!;
    expect(ring.length).toBeLessThan(pts.length / 5);
    for (const p of pts) {
      let d = Infinity;
      for (let i = 0; i + 1 < ring.length; i++) d = Math.min(d, distanceToSegmentPx(p, ring[i]!, ring[i + 1]!));
      expect(d).toBeLessThanOrEqual(tolerancePx + 1e-3);
    }
  });

  it('a hostile, hopelessly tangled outline is refused quickly with ROI_INVALID', () => {
    const rnd = seededRandom(11);
    const pts: Point[] = Array.from({ length: 20_000 }, () => [rnd() * 1000, rnd() * 1000]);
    const t0 = performance.now();
    expect(() => polygonGeometry(pts)).toThrow(expect.objectContaining({ code: 'ROI_INVALID' }));
    expect(performance.now() - t0).toBeLessThan(3000);
  });
});

describe('measures and helpers', () => {
  const roi = (role: Roi['role'], geometry: MultiPolygon): Roi => ({ id: `r${Math.random()}`.replace('.', '') as RoiId, role, tool: 'polygon', geometry });

  it('bounds, translation and clipping to the image', () => {
    const g = ellipseGeometry(10, 10, 20, 10);
    const b = geometryBounds(g)!;
    expect(b.minX).toBeLessThan(-9.9);
    expect(b.maxX).toBeGreaterThan(29.9);
    expect(geometryBounds([])).toBeNull();
    expect(geometryBounds(translateGeometry(g, 5, -2))!.minY).toBeCloseTo(b.minY - 2, 9);
    expect(geometryAreaPx(clipToImage(rectangleGeometry(-10, -10, 10, 10), 100, 100))).toBeCloseTo(100, 9);
    const inside = rectangleGeometry(1, 1, 5, 5);
    expect(clipToImage(inside, 100, 100)).toBe(inside);
  });

  it('referenceFromRois: union of includes and union of excludes, clipped; null when none', () => {
    const ref = referenceFromRois(
      [roi('include', rectangleGeometry(0, 0, 60, 60)), roi('include', rectangleGeometry(40, 0, 120, 60)), roi('exclude', rectangleGeometry(10, 10, 20, 20)),
        roi('exclude', rectangleGeometry(90, 90, 200, 200))],
      100, 100,
    );
    expect(geometryAreaPx(ref.include!)).toBeCloseTo(100 * 60, 6);
    expect(geometryAreaPx(ref.exclude!)).toBeCloseTo(100 + 100, 6);
    expect(referenceFromRois([roi('exclude', rectangleGeometry(0, 0, 5, 5))], 10, 10).include).toBeNull();
    expect(referenceFromRois([], 10, 10)).toEqual({ include: null, exclude: null });
    expect(referenceFromRois([roi('include', rectangleGeometry(50, 50, 60, 60))], 10, 10).include).toEqual([]);
  });

  it('reports the worst rasterized-area errors', () => {
    const pct = (v: number): string => `${(v * 100).toFixed(3)} %`;
    console.info('worst |area / analytic − 1|:', Object.fromEntries(Object.entries(worst).map(([k, v]) => [k, `raster ${pct(v.raster)}, vector ${pct(v.vector)}`])));
    expect(Object.keys(worst).sort()).toEqual(['brush', 'ellipse', 'polygon', 'rectangle']);
  });
});
