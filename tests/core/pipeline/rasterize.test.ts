import { describe, expect, it } from 'vitest';
import { rasterizePolygons } from '../../../src/pipeline/rasterize.js';
import type { Ring } from '../../../src/common/geometry.js';
import { count } from '../helpers/rasters.js';

function circle(cx: number, cy: number, r: number, n = 720): Ring {
  return Array.from({ length: n }, (_, i) => [cx + r * Math.cos((2 * Math.PI * i) / n), cy + r * Math.sin((2 * Math.PI * i) / n)] as const);
}

describe('polygon rasterization (pixel centres, even–odd per polygon)', () => {
  it('a pixel-aligned rectangle covers exactly its pixels', () => {
    const m = rasterizePolygons([[[[10, 20], [40, 20], [40, 30], [10, 30]]]], 64, 64);
    expect(count(m)).toBe(300);
    expect(m.data[20 * 64 + 10]).toBe(255);
    expect(m.data[19 * 64 + 10]).toBe(0);
    expect(m.data[29 * 64 + 39]).toBe(255);
    expect(m.data[30 * 64 + 39]).toBe(0);
  });

  it('a disc of radius 40 has area π·40² within 0.5 %', () => {
    const m = rasterizePolygons([[circle(64.3, 60.7, 40)]], 128, 128);
    expect(Math.abs(count(m) / (Math.PI * 1600) - 1)).toBeLessThan(0.005);
  });

  it('holes are excluded and overlapping polygons are unioned', () => {
    const withHole = [[[0, 0], [100, 0], [100, 100], [0, 100]], circle(50, 50, 20)] as const;
    const m = rasterizePolygons([withHole as unknown as Ring[]], 100, 100);
    expect(Math.abs(count(m) - (10000 - Math.PI * 400)) / 10000).toBeLessThan(0.003);
    const two = rasterizePolygons([[[[0, 0], [60, 0], [60, 10], [0, 10]]], [[[40, 0], [100, 0], [100, 10], [40, 10]]]], 100, 20);
    expect(count(two)).toBe(1000);
  });

  it('clips shapes that extend outside the image and ignores degenerate rings', () => {
    const m = rasterizePolygons([[[[-50, -50], [30, -50], [30, 30], [-50, 30]]], [[[5, 5], [9, 5], [9, 5]]]], 20, 20);
    expect(count(m)).toBe(400);
  });

  it('handles self-intersecting (bow-tie) polygons by the even–odd rule without crashing', () => {
    const m = rasterizePolygons([[[[0, 0], [20, 20], [20, 0], [0, 20]]]], 20, 20);
    expect(count(m)).toBeGreaterThan(150);
    expect(count(m)).toBeLessThan(250);
  });
});
