import { describe, expect, it } from 'vitest';
import { parseGeoJsonRegions, roleOfProperties } from '../../../src/common/geometry.js';

const square = [[[0, 0], [10, 0], [10, 10], [0, 10], [0, 0]]];

describe('GeoJSON regions (QuPath form)', () => {
  it('reads a FeatureCollection with include, exclude (classification) and holes', () => {
    const shapes = parseGeoJsonRegions(
      {
        type: 'FeatureCollection',
        features: [
          { type: 'Feature', geometry: { type: 'Polygon', coordinates: square }, properties: { objectType: 'annotation', name: 'media' } },
          { type: 'Feature', geometry: { type: 'MultiPolygon', coordinates: [square, square] }, properties: { objectType: 'annotation', classification: { name: 'Ignore*', color: [1, 2, 3] } } },
          { type: 'Feature', geometry: { type: 'Point', coordinates: [1, 1] }, properties: {} },
        ],
      },
      'r.geojson',
    );
    expect(shapes).toHaveLength(2);
    expect(shapes[0]).toMatchObject({ role: 'include', label: 'media' });
    expect(shapes[1]!.role).toBe('exclude');
    expect(shapes[1]!.polygons).toHaveLength(2);
  });

  it('accepts a bare array of features and a bare geometry', () => {
    expect(parseGeoJsonRegions([{ type: 'Feature', geometry: { type: 'Polygon', coordinates: square } }], 'a.json')).toHaveLength(1);
    expect(parseGeoJsonRegions({ type: 'Polygon', coordinates: square }, 'b.json')).toHaveLength(1);
  });

  it('classifies roles', () => {
    expect(roleOfProperties({ classification: { name: 'Exclude' } })).toBe('exclude');
    expect(roleOfProperties({ classification: 'ignore' })).toBe('exclude');
    expect(roleOfProperties({ role: 'exclude' })).toBe('exclude');
    expect(roleOfProperties({ classification: { name: 'Tumor' } })).toBe('include');
  });

  it.each([
    ['not GeoJSON', { hello: 1 }, /is not GeoJSON/],
    ['NaN coordinate', { type: 'Polygon', coordinates: [[[0, 0], [1, 'x'], [1, 1]]] }, /finite number/],
    ['too few points', { type: 'Polygon', coordinates: [[[0, 0], [1, 1]]] }, /fewer than 3/],
    ['only points', { type: 'Point', coordinates: [0, 0] }, /no polygon/],
    ['absurd coordinates', { type: 'Polygon', coordinates: [[[0, 0], [1e12, 0], [1, 1]]] }, /far outside/],
    ['unknown type', { type: 'Circle', coordinates: [] }, /unsupported geometry/],
    ['features not a list', { type: 'FeatureCollection', features: 3 }, /without a "features" list/],
  ])('rejects %s with ROI_INVALID naming the file', (_n, doc, msg) => {
    try {
      parseGeoJsonRegions(doc, 'bad.geojson');
      expect.unreachable();
    } catch (e) {
      expect((e as { code: string }).code).toBe('ROI_INVALID');
      expect((e as { userMessage: string }).userMessage).toMatch(/“bad\.geojson”/);
      expect((e as { userMessage: string }).userMessage).toMatch(msg);
    }
  });

  it('refuses hostile vertex counts without running out of memory', () => {
    const ring = Array.from({ length: 5_000_001 }, (_, i) => [i % 100, Math.floor(i / 100)]);
    expect(() => parseGeoJsonRegions({ type: 'Polygon', coordinates: [ring] }, 'huge.geojson')).toThrow(/more than/);
  });

  it('never throws anything but ROI_INVALID on random junk (fuzz)', () => {
    let seed = 1;
    const rand = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
    const atoms: unknown[] = [null, 0, -1, 1e309, 'x', [], {}, true, [0], [0, 0], [[0, 0]], NaN];
    const junk = (depth: number): unknown => {
      const r = rand();
      if (depth > 4 || r < 0.3) return atoms[Math.floor(rand() * atoms.length)];
      if (r < 0.6) return Array.from({ length: Math.floor(rand() * 5) }, () => junk(depth + 1));
      const keys = ['type', 'coordinates', 'features', 'geometry', 'properties', 'Polygon', 'MultiPolygon', 'FeatureCollection'];
      const o: Record<string, unknown> = {};
      for (let i = 0; i < 3; i++) o[keys[Math.floor(rand() * keys.length)]!] = rand() < 0.5 ? keys[Math.floor(rand() * keys.length)] : junk(depth + 1);
      return o;
    };
    for (let i = 0; i < 2000; i++) {
      try {
        parseGeoJsonRegions(junk(0), 'fuzz.json');
      } catch (e) {
        expect((e as { code?: string }).code).toBe('ROI_INVALID');
      }
    }
  });
});
