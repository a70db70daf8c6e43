import { describe, expect, it } from 'vitest';
import { parseGeoJsonRegions } from '../../../src/common/geometry.js';
import type { Roi, RoiId } from '../../../src/common/roi.js';
import {
  brushStrokeGeometry, differenceGeometry, ellipseGeometry, geometryAreaPx, polygonGeometry, rectangleGeometry,
} from '../../../src/common/roi-geometry.js';
import { roisFromGeoJson, roisToQuPathGeoJson } from '../../../src/io/qupath-geojson.js';
import { rasterizePolygons } from '../../../src/pipeline/rasterize.js';
import { seededRandom } from './imagej-encoder.js';

const id = (s: string): RoiId => s as RoiId;
const ROIS: Roi[] = [
  { id: id('0b9f3c1e-8f7a-4c39-9d7e-2f4a6b8c1d2e'), role: 'include', tool: 'polygon', label: 'media', colour: '#20c040', geometry: polygonGeometry([[10, 10], [300, 20], [280, 200], [30, 180]]) },
  { id: id('short-id'), role: 'include', tool: 'brush', geometry: differenceGeometry(ellipseGeometry(200, 200, 80, 60), ellipseGeometry(200, 200, 30, 20)) },
  { id: id('c0ffee00-0000-4000-8000-000000000001'), role: 'exclude', tool: 'brush', label: 'fold', geometry: brushStrokeGeometry([[50, 50], [120, 90], [200, 60]], 8) },
  { id: id('c0ffee00-0000-4000-8000-000000000002'), role: 'exclude', tool: 'rectangle', colour: '#ff0000', geometry: [...rectangleGeometry(0, 0, 5, 5), ...rectangleGeometry(20, 20, 30, 30)] },
];

describe('QuPath GeoJSON export', () => {
  const doc = roisToQuPathGeoJson(ROIS);

  it('writes QuPath annotation features: UUID ids, Polygon/MultiPolygon, objectType, classification', () => {
    expect(doc.type).toBe('FeatureCollection');
    expect(doc.features.map((f) => f.geometry.type)).toEqual(['Polygon', 'Polygon', 'Polygon', 'MultiPolygon']);
    for (const f of doc.features) {
      expect(f.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i);
      expect(f.properties).toMatchObject({ objectType: 'annotation', isLocked: false });
    }
    expect(doc.features[0]!.id).toBe(ROIS[0]!.id);
    expect(doc.features[0]!.properties).toEqual({ objectType: 'annotation', name: 'media', color: [32, 192, 64], isLocked: false });
    expect(doc.features[1]!.geometry.coordinates).toHaveLength(2); // outer ring + hole
    expect(doc.features[2]!.properties.classification).toEqual({ name: 'Exclude', color: [255, 64, 64] });
    expect(doc.features[3]!.properties.classification).toEqual({ name: 'Exclude', color: [255, 0, 0] });
    expect(JSON.parse(JSON.stringify(doc))).toEqual(doc);
  });

  it('is accepted by parseGeoJsonRegions (the CLI’s --roi) with the same roles, labels and areas', () => {
    const shapes = parseGeoJsonRegions(JSON.parse(JSON.stringify(doc)), 'out.geojson');
    expect(shapes.map((s) => [s.role, s.label])).toEqual([['include', 'media'], ['include', null], ['exclude', 'fold'], ['exclude', null]]);
    shapes.forEach((s, i) => {
      const a = rasterizePolygons(s.polygons, 400, 400).data, b = rasterizePolygons(ROIS[i]!.geometry, 400, 400).data;
      expect(Buffer.compare(Buffer.from(a), Buffer.from(b))).toBe(0);
    });
  });

  it('round trip export → import preserves geometry, roles, labels, colours and UUID ids', () => {
    const back = roisFromGeoJson(JSON.parse(JSON.stringify(doc)), 'out.geojson', { newId: () => id('fresh') });
    expect(back).toHaveLength(ROIS.length);
    back.forEach((r, i) => {
      const orig = ROIS[i]!;
      expect([r.role, r.label, r.colour]).toEqual([orig.role, orig.label, orig.colour ?? (orig.role === 'exclude' ? '#ff4040' : undefined)]);
      expect(r.geometry).toEqual(orig.geometry); // geometry is kept on the 1/1024 px grid: exact round trip
    });
    expect(back.map((r) => r.id)).toEqual([ROIS[0]!.id, doc.features[1]!.id, ROIS[2]!.id, ROIS[3]!.id]);
    expect(back.map((r) => r.tool)).toEqual(['polygon', 'brush', 'polygon', 'brush']);
  });
});

describe('QuPath GeoJSON import', () => {
  it('reads QuPath 0.4 and 0.3 exports: classification colours, colorRGB, Ignore*, holes', () => {
    const qupath = [
      { type: 'Feature', id: '7c2d9a6e-1111-4e2f-9a7b-000000000001', geometry: { type: 'Polygon', coordinates: [[[0, 0], [100, 0], [100, 100], [0, 100], [0, 0]], [[40, 40], [60, 40], [60, 60], [40, 60], [40, 40]]] },
        properties: { objectType: 'annotation', name: 'section 2', classification: { name: 'Tumor', color: [200, 0, 0] }, isLocked: false } },
      { type: 'Feature', id: 'PathAnnotationObject', geometry: { type: 'Polygon', coordinates: [[[0, 0], [10, 0], [10, 10], [0, 0]]] },
        properties: { isLocked: false, measurements: [], classification: { name: 'Ignore*', colorRGB: -3670016 } } },
      { type: 'Feature', geometry: { type: 'Point', coordinates: [5, 5] }, properties: { objectType: 'annotation' } },
      { type: 'Feature', geometry: { type: 'Polygon', coordinates: [[[0, 0], [5, 5], [10, 10], [0, 0]]] }, properties: {} },
    ];
    const rois = roisFromGeoJson(qupath, 'qupath.geojson', { newId: () => id('new') });
    expect(rois).toHaveLength(2); // the point and the zero-area sliver are skipped
    expect(rois[0]).toMatchObject({ id: '7c2d9a6e-1111-4e2f-9a7b-000000000001', role: 'include', label: 'section 2', colour: '#c80000', tool: 'brush' });
    expect(geometryAreaPx(rois[0]!.geometry)).toBe(10000 - 400);
    expect(rois[1]).toMatchObject({ id: 'PathAnnotationObject', role: 'exclude', colour: '#c80000', tool: 'polygon' });
  });

  it('makes self-intersecting features valid and refuses hostile or empty ones with the file name', () => {
    const bowtie = { type: 'Polygon', coordinates: [[[0, 0], [10, 10], [10, 0], [0, 10], [0, 0]]] };
    const [r] = roisFromGeoJson(bowtie, 'b.geojson');
    expect(r!.geometry).toHaveLength(2);
    expect(geometryAreaPx(r!.geometry)).toBeCloseTo(50, 9);
    const rnd = seededRandom(9);
    const tangle = Array.from({ length: 5000 }, () => [rnd() * 1000, rnd() * 1000]);
    expect(() => roisFromGeoJson({ type: 'Feature', properties: { name: 'x' }, geometry: { type: 'Polygon', coordinates: [tangle] } }, 't.geojson'))
      .toThrow(/Region file “t\.geojson”, feature 1 \(“x”\): The region’s outline crosses itself too often/);
    expect(() => roisFromGeoJson({ type: 'Polygon', coordinates: [[[0, 0], [1, 1], [2, 2]]] }, 'e.geojson')).toThrow(/“e\.geojson” contains no region with an area/);
    expect(() => roisFromGeoJson({ hello: 1 }, 'n.geojson')).toThrow(/“n\.geojson” is not GeoJSON/);
  });

  it('with the image size: clips to the image and refuses a region entirely outside it', () => {
    const doc = roisToQuPathGeoJson(ROIS);
    const rois = roisFromGeoJson(doc, 'out.geojson', { imageSizePx: { widthPx: 200, heightPx: 200 } });
    expect(geometryAreaPx(rois[0]!.geometry)).toBeLessThan(190 * 190);
    expect(geometryAreaPx(rois[1]!.geometry)).toBeCloseTo(geometryAreaPx(ROIS[1]!.geometry) / 4, 0); // a quarter of the donut
    expect(geometryAreaPx(rois[3]!.geometry)).toBe(25 + 100);
    expect(() => roisFromGeoJson(doc, 'out.geojson', { imageSizePx: { widthPx: 8, heightPx: 8 } }))
      .toThrow(/In “out\.geojson”, region 1 \(“media”\) lies entirely outside the 8 × 8 pixel image/);
  });

  it('fuzz: mutated exports only ever give ROI_INVALID', () => {
    const base = JSON.stringify(roisToQuPathGeoJson(ROIS));
    const rnd = seededRandom(99);
    const junk = [null, 0, -1e12, 'x', [], {}, [[]], [[1]], NaN, true, 'Polygon', 'MultiPolygon', 'GeometryCollection'];
    const bad: string[] = [];
    for (let k = 0; k < 400; k++) {
      const doc = JSON.parse(base) as unknown;
      // replace a few random nodes of the JSON tree
      for (let m = 0; m < 1 + Math.floor(rnd() * 3); m++) {
        let node = doc as Record<string, unknown>;
        for (let depth = 0; depth < 8; depth++) {
          const keys = Object.keys(node);
          if (keys.length === 0) break;
          const key = keys[Math.floor(rnd() * keys.length)]!;
          const child = node[key];
          if (child === null || typeof child !== 'object' || rnd() < 0.25) {
            node[key] = structuredClone(junk[Math.floor(rnd() * junk.length)]);
            break;
          }
          node = child as Record<string, unknown>;
        }
      }
      try {
        roisFromGeoJson(doc, 'mutant.geojson');
      } catch (e) {
        if ((e as { code?: string }).code !== 'ROI_INVALID') bad.push(`${k}: ${(e as Error).name} ${(e as Error).message}`);
      }
    }
    expect(bad.slice(0, 5)).toEqual([]);
  });
});
