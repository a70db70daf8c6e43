import { zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import type { MultiPolygon, RoiId } from '../../../src/common/roi.js';
import { geometryAreaPx, geometryBounds } from '../../../src/common/roi-geometry.js';
import { parseImageJRoi, parseImageJRoiSet } from '../../../src/io/imagej-roi.js';
import { rasterizePolygons } from '../../../src/pipeline/rasterize.js';
import { countInside, encodeRoi, OPT, ovalRoi, rectRoi, ROI_TYPE } from './imagej-encoder.js';
import { roiRefusal } from './refusal.js';

let next = 0;
const opts = { newId: () => `id${next++}` as RoiId };
const mask = (g: MultiPolygon, w: number, h: number) => rasterizePolygons(g, w, h);

describe('ImageJ .roi: pixel-corner convention and coverage', () => {
  it('a 10 × 10 rectangle at (0, 0) covers exactly the 100 pixels [0, 10)²', () => {
    const roi = parseImageJRoi(rectRoi(0, 0, 10, 10), 'r.roi', opts);
    expect(roi).toMatchObject({ tool: 'rectangle', role: 'include', label: 'r' });
    const m = mask(roi.geometry, 20, 20);
    expect(countInside(m)).toBe(100);
    for (let y = 0; y < 20; y++) for (let x = 0; x < 20; x++) expect(m.data[y * 20 + x] === 255).toBe(x < 10 && y < 10);
  });

  it('an offset rectangle and a sub-pixel rectangle', () => {
    expect(geometryBounds(parseImageJRoi(rectRoi(5, 7, 20, 10), 'r.roi').geometry)).toEqual({ minX: 5, minY: 7, maxX: 25, maxY: 17 });
    const sub = parseImageJRoi(rectRoi(5, 7, 20, 10, { subPixelRect: [5.25, 7.5, 20.5, 10.25] }), 'r.roi');
    expect(geometryBounds(sub.geometry)).toEqual({ minX: 5.25, minY: 7.5, maxX: 25.75, maxY: 17.75 });
    expect(geometryAreaPx(sub.geometry)).toBeCloseTo(20.5 * 10.25, 9);
  });

  it('a rounded rectangle', () => {
    const roi = parseImageJRoi(rectRoi(10, 10, 100, 60, { arcSize: 20 }), 'rr.roi');
    expect(roi.tool).toBe('polygon');
    expect(Math.abs(geometryAreaPx(roi.geometry) / (6000 - (4 - Math.PI) * 100) - 1)).toBeLessThan(1e-3);
  });

  it('an oval is the inscribed ellipse (also sub-pixel)', () => {
    const roi = parseImageJRoi(ovalRoi(10, 20, 200, 100), 'o.roi');
    expect(roi.tool).toBe('ellipse');
    expect(Math.abs(geometryAreaPx(roi.geometry) / (Math.PI * 100 * 50) - 1)).toBeLessThan(1e-5); // vertices on the 1/1024 px grid
    expect(Math.abs(countInside(mask(roi.geometry, 250, 150)) / (Math.PI * 5000) - 1)).toBeLessThan(0.005);
    const b = geometryBounds(roi.geometry)!;
    expect(Math.abs(b.minX - 10)).toBeLessThan(0.25); // outline within maxErrorPx of the ellipse
    expect(Math.abs(b.maxY - 120)).toBeLessThan(0.25);
    const sub = parseImageJRoi(ovalRoi(10, 20, 200, 100, { subPixelRect: [10.5, 20.5, 199, 99] }), 'o.roi');
    expect(Math.abs(geometryAreaPx(sub.geometry) / (Math.PI * 99.5 * 49.5) - 1)).toBeLessThan(1e-5);
  });

  it('polygon, freehand and traced vertices are absolute (left/top + stored offsets)', () => {
    const tri: [number, number][] = [[100, 50], [160, 50], [100, 110]];
    for (const [type, tool] of [[ROI_TYPE.polygon, 'polygon'], [ROI_TYPE.freehand, 'freehand'], [ROI_TYPE.traced, 'polygon']] as const) {
      const roi = parseImageJRoi(encodeRoi({ type, points: tri }), 'p.roi');
      expect(roi.tool).toBe(tool);
      expect(geometryAreaPx(roi.geometry)).toBe(1800);
      expect(geometryBounds(roi.geometry)).toEqual({ minX: 100, minY: 50, maxX: 160, maxY: 110 });
    }
  });

  it('a traced (wand) outline covers exactly the traced pixels', () => {
    // an L of pixels: columns 2–4 of rows 1–3, plus row 4 columns 2–7
    const outline: [number, number][] = [[2, 1], [5, 1], [5, 4], [8, 4], [8, 5], [2, 5]];
    const m = mask(parseImageJRoi(encodeRoi({ type: ROI_TYPE.traced, points: outline }), 't.roi').geometry, 10, 8);
    const inside = (x: number, y: number): boolean => (y >= 1 && y <= 3 && x >= 2 && x <= 4) || (y === 4 && x >= 2 && x <= 7);
    for (let y = 0; y < 8; y++) for (let x = 0; x < 10; x++) expect(m.data[y * 10 + x] === 255, `${x},${y}`).toBe(inside(x, y));
  });

  it('sub-pixel polygons use the float coordinates; n may be stored as an int', () => {
    const pts: [number, number][] = [[10.25, 10.5], [60.75, 10.5], [60.75, 40.25], [10.25, 40.25]];
    const roi = parseImageJRoi(encodeRoi({ type: ROI_TYPE.polygon, subPixelPoints: pts }), 's.roi');
    expect(geometryAreaPx(roi.geometry)).toBeCloseTo(50.5 * 29.75, 9);
    const big = parseImageJRoi(encodeRoi({ type: ROI_TYPE.freehand, points: [[0, 0], [30, 0], [30, 30]], nAsInt: true }), 'n.roi');
    expect(geometryAreaPx(big.geometry)).toBe(450);
  });

  it('composite (shape) ROIs: sub-paths combined even–odd, curves flattened', () => {
    const sq = (x0: number, y0: number, s: number): number[] => [0, x0, y0, 1, x0 + s, y0, 1, x0 + s, y0 + s, 1, x0, y0 + s, 4];
    const roi = parseImageJRoi(encodeRoi({ type: ROI_TYPE.rect, bounds: [0, 0, 100, 100], shape: [...sq(0, 0, 100), ...sq(25, 25, 50), ...sq(200, 0, 10)] }), 'c.roi');
    expect(roi.tool).toBe('brush');
    expect(geometryAreaPx(roi.geometry)).toBeCloseTo(10000 - 2500 + 100, 6);
    // a half-disc by a cubic Bézier (κ = 0.5523): area ≈ π r² / 2
    const k = 0.5523 * 50;
    const half = [0, 0, 50, 3, 0, 50 - k, 50 - k, 0, 50, 0, 3, 50 + k, 0, 100, 50 - k, 100, 50, 4];
    expect(geometryAreaPx(parseImageJRoi(encodeRoi({ type: ROI_TYPE.rect, shape: half }), 'h.roi').geometry)).toBeCloseTo((Math.PI * 2500) / 2, -1);
  });

  it('with the image size: clipped to the image; entirely outside is refused', () => {
    const size = { imageSizePx: { widthPx: 50, heightPx: 40 } };
    expect(geometryBounds(parseImageJRoi(rectRoi(30, 30, 40, 40), 'r.roi', size).geometry)).toEqual({ minX: 30, minY: 30, maxX: 50, maxY: 40 });
    expect(roiRefusal(() => parseImageJRoi(rectRoi(60, 0, 5, 5, { name: 'media' }), 'r.roi', size))).toMatch(/region 1 \(“media”\) lies entirely outside the 50 × 40 pixel image/);
  });

  it('name (header 2), colour and role from the name', () => {
    const roi = parseImageJRoi(rectRoi(0, 0, 5, 5, { name: 'media', strokeArgb: 0xff12ab34 | 0 }), 'x.roi');
    expect(roi).toMatchObject({ label: 'media', colour: '#12ab34', role: 'include' });
    expect(parseImageJRoi(rectRoi(0, 0, 5, 5, { name: 'Exclude fold' }), 'x.roi').role).toBe('exclude');
    expect(parseImageJRoi(rectRoi(0, 0, 5, 5), 'dir/Ignore-bubble.roi').role).toBe('exclude');
  });
});

describe('ImageJ .roi: clear refusals', () => {
  it.each([
    ['a line', encodeRoi({ type: ROI_TYPE.line, bounds: [0, 0, 10, 10] }), /is a straight line, which has no area/],
    ['a point selection', encodeRoi({ type: ROI_TYPE.point, points: [[1, 1], [2, 2], [3, 1]] }), /point selection, which has no area/],
    ['a polyline', encodeRoi({ type: ROI_TYPE.polyline, points: [[1, 1], [2, 2], [3, 1]] }), /segmented line, which has no area/],
    ['a text label', rectRoi(0, 0, 5, 5, { subtype: 1 }), /text label/],
    ['a spline-fitted polygon', encodeRoi({ type: ROI_TYPE.polygon, points: [[0, 0], [9, 0], [9, 9]], options: OPT.splineFit }), /Fit Spline.*Interpolate/],
    ['an unknown type', encodeRoi({ type: 42, points: [[0, 0], [9, 0], [9, 9]] }), /unknown selection type \(42\)/],
    ['a 2-point polygon', encodeRoi({ type: ROI_TYPE.polygon, points: [[0, 0], [9, 0]] }), /only 2 points/],
    ['an empty rectangle', rectRoi(3, 3, 0, 5), /no area/],
    ['a truncated polygon', encodeRoi({ type: ROI_TYPE.polygon, points: [[0, 0], [9, 0], [9, 9]] }).slice(0, 70), /truncated/],
    ['a collinear polygon', encodeRoi({ type: ROI_TYPE.polygon, points: [[0, 0], [5, 5], [9, 9]] }), /has no area/],
    ['a non-ROI file', new TextEncoder().encode('x'.repeat(100)), /does not start with “Iout”/],
    ['a tiny file', new Uint8Array(10), /too short/],
  ])('refuses %s, naming the file', (_n, bytes, re) => {
    const msg = roiRefusal(() => parseImageJRoi(bytes, 'cell.roi'));
    expect(msg).toMatch(/^ImageJ ROI “cell\.roi” /);
    expect(msg).toMatch(re);
  });
});

describe('ImageJ RoiSet.zip', () => {
  it('reads every .roi entry in order with names; skips other files and macOS metadata', () => {
    const zip = zipSync({
      '0001-0001.roi': rectRoi(0, 0, 10, 10, { name: 'media' }),
      '0002-0002.roi': ovalRoi(20, 20, 40, 40),
      'notes.txt': new TextEncoder().encode('hello'),
      '__MACOSX/._0001-0001.roi': new Uint8Array(5),
      '0003-0003.roi': encodeRoi({ type: ROI_TYPE.polygon, points: [[0, 0], [10, 0], [0, 10]], name: 'Ignore*' }),
    });
    const rois = parseImageJRoiSet(zip, 'RoiSet.zip', opts);
    expect(rois.map((r) => [r.label, r.tool, r.role])).toEqual([
      ['media', 'rectangle', 'include'], ['0002-0002', 'ellipse', 'include'], ['Ignore*', 'polygon', 'exclude'],
    ]);
    expect(new Set(rois.map((r) => r.id)).size).toBe(3);
  });

  it('names the entry and the set when one entry is bad, and refuses empty sets', () => {
    const zip = zipSync({ 'a.roi': rectRoi(0, 0, 5, 5), 'b.roi': encodeRoi({ type: ROI_TYPE.line, bounds: [0, 0, 4, 4] }) }, { level: 0 });
    expect(roiRefusal(() => parseImageJRoiSet(zip, 'RoiSet.zip'))).toMatch(/^ROI “b\.roi” in “RoiSet\.zip” is a straight line/);
    expect(roiRefusal(() => parseImageJRoiSet(zipSync({ 'x.txt': new Uint8Array(3) }), 'S.zip'))).toMatch(/contains no \.roi files/);
  });
});
