import { describe, expect, it } from 'vitest';
import { newRoiId, parseAnnotationFile, parseRoi, ROI_LIMITS } from '../../../src/common/roi.js';
import { ellipseGeometry, rectangleGeometry } from '../../../src/common/roi-geometry.js';
import { roiRefusal } from './refusal.js';

const square = rectangleGeometry(0, 0, 10, 10);
const good = { id: 'a1', role: 'include', tool: 'rectangle', label: 'media', colour: '#12abEF', geometry: square };

describe('annotation file schema', () => {
  it('accepts a valid file and keeps the geometry as is', () => {
    const f = parseAnnotationFile({ schemaVersion: 1, rois: [good, { ...good, id: 'b', role: 'exclude', tool: 'ellipse', hidden: true, geometry: ellipseGeometry(5, 5, 3, 2) }] }, 'rois.json');
    expect(f.rois).toHaveLength(2);
    expect(f.rois[0]!.geometry).toBe(square);
    expect(parseRoi(good, 'renderer').label).toBe('media');
  });

  it('makes UUID ids', () => {
    expect(newRoiId()).toMatch(/^[0-9a-f-]{36}$/);
  });

  it.each([
    ['a newer schema', { schemaVersion: 2, rois: [] }, /schemaVersion/],
    ['an unknown role', { schemaVersion: 1, rois: [{ ...good, role: 'maybe' }] }, /region 1 \(“media”\): role:/],
    ['an unclosed ring', { schemaVersion: 1, rois: [{ ...good, geometry: [[[[0, 0], [1, 0], [1, 1], [0, 1]]]] }] }, /region 1 \(“media”\): geometry: a ring is not closed/],
    ['a NaN coordinate', { schemaVersion: 1, rois: [good, { ...good, id: 'x', label: undefined, geometry: [[[[0, 0], [NaN, 0], [1, 1], [0, 0]]]] }] }, /region 2 \(id x\): geometry: a coordinate is not a finite number/],
    ['absurd coordinates', { schemaVersion: 1, rois: [{ ...good, geometry: [[[[0, 0], [1e9, 0], [1, 1], [0, 0]]]] }] }, /far outside/],
    ['empty geometry', { schemaVersion: 1, rois: [{ ...good, geometry: [] }] }, /geometry is empty/],
    ['a bad colour', { schemaVersion: 1, rois: [{ ...good, colour: 'red' }] }, /colour: must be #rrggbb/],
    ['a bad id', { schemaVersion: 1, rois: [{ ...good, id: '../x' }] }, /region 1 \(“media”\): id: must be/],
    ['duplicate ids', { schemaVersion: 1, rois: [good, { ...good, label: 'plaque' }] }, /region 2 \(“plaque”\): id: is used by another region/],
    ['an unknown field', { schemaVersion: 1, rois: [{ ...good, extra: 1 }] }, /region 1/],
    ['not an object', 'hello', /file/],
  ])('refuses %s with a message naming the file and the region', (_n, doc, re) => {
    const msg = roiRefusal(() => parseAnnotationFile(doc, 'rois.json'));
    expect(msg).toContain('“rois.json”');
    expect(msg).toMatch(re);
  });

  it('limits the vertices of a region', () => {
    const ring = Array.from({ length: ROI_LIMITS.maxVerticesPerRoi + 1 }, (_, i) => [i % 7, Math.floor(i / 7)]);
    ring[ring.length - 1] = ring[0]!;
    expect(roiRefusal(() => parseRoi({ ...good, geometry: [[ring]] }, 'x'))).toMatch(/region \(“media”\).*more than 1,000,000 vertices/);
  });
});
