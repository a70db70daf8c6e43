/**
 * Regions of interest as vector shapes in full-resolution image pixel coordinates (origin at the
 * top-left corner of the image, x right, y down; pixel (i, j) covers [i, i+1) × [j, j+1) and is
 * inside a shape when its centre (i + ½, j + ½) is). Reads GeoJSON as QuPath writes it.
 * Isomorphic: no Node, no DOM.
 */
import { AppError } from './errors.js';

export type Position = readonly [number, number];
/** Closed ring; the last position may or may not repeat the first. */
export type Ring = readonly Position[];
/** Outer ring first, then holes. */
export type PolygonRings = readonly Ring[];

export interface RegionShape {
  readonly role: 'include' | 'exclude';
  readonly label: string | null;
  readonly polygons: readonly PolygonRings[];
}

/** Safety limit against hostile files: total vertices over all shapes. */
export const MAX_ROI_VERTICES = 5_000_000;
const MAX_ABS_COORD = 1e7;

function fail(source: string, what: string): never {
  throw new AppError('ROI_INVALID', `Region file “${source}” ${what} Export it again from QuPath (File › Export objects as GeoJSON) or draw the region in Calciquant.`);
}

function parseRing(raw: unknown, source: string, budget: { left: number }): Ring {
  if (!Array.isArray(raw)) fail(source, 'has a ring that is not a list of [x, y] positions.');
  if (raw.length > budget.left) fail(source, `has more than ${MAX_ROI_VERTICES.toLocaleString('en')} vertices.`);
  const ring: Position[] = [];
  for (const p of raw) {
    if (!Array.isArray(p) || p.length < 2) fail(source, 'has a position that is not [x, y].');
    const x = p[0], y = p[1];
    if (typeof x !== 'number' || typeof y !== 'number' || !Number.isFinite(x) || !Number.isFinite(y)) {
      fail(source, 'has a coordinate that is not a finite number.');
    }
    if (Math.abs(x) > MAX_ABS_COORD || Math.abs(y) > MAX_ABS_COORD) fail(source, 'has coordinates far outside any image.');
    ring.push([x, y]);
  }
  budget.left -= ring.length;
  if (ring.length < 3) fail(source, 'has a ring with fewer than 3 points.');
  return ring;
}

function parseGeometry(g: unknown, source: string, budget: { left: number }): PolygonRings[] {
  if (!g || typeof g !== 'object') fail(source, 'has a feature without a geometry.');
  const { type, coordinates, geometries } = g as { type?: unknown; coordinates?: unknown; geometries?: unknown };
  if (type === 'Polygon') {
    if (!Array.isArray(coordinates) || coordinates.length === 0) fail(source, 'has an empty Polygon.');
    return [coordinates.map((r) => parseRing(r, source, budget))];
  }
  if (type === 'MultiPolygon') {
    if (!Array.isArray(coordinates)) fail(source, 'has a MultiPolygon without coordinates.');
    return coordinates.map((poly) => {
      if (!Array.isArray(poly) || poly.length === 0) fail(source, 'has an empty polygon in a MultiPolygon.');
      return poly.map((r) => parseRing(r, source, budget));
    });
  }
  if (type === 'GeometryCollection' && Array.isArray(geometries)) {
    return geometries.flatMap((x) => parseGeometry(x, source, budget));
  }
  // Points and lines have no area: they cannot define a region.
  if (type === 'Point' || type === 'MultiPoint' || type === 'LineString' || type === 'MultiLineString') return [];
  fail(source, `has an unsupported geometry type ${JSON.stringify(type)}.`);
}

/** QuPath classifications "Exclude…" / "Ignore*" and our own role "exclude" mark exclude regions. */
export function roleOfProperties(props: unknown): 'include' | 'exclude' {
  if (!props || typeof props !== 'object') return 'include';
  const p = props as { role?: unknown; classification?: unknown };
  if (p.role === 'exclude') return 'exclude';
  const c = p.classification;
  const name = typeof c === 'string' ? c : c && typeof c === 'object' ? (c as { name?: unknown }).name : undefined;
  if (typeof name === 'string' && /^(exclude|ignore)/i.test(name.trim())) return 'exclude';
  return 'include';
}

function labelOfProperties(props: unknown): string | null {
  if (!props || typeof props !== 'object') return null;
  const p = props as { name?: unknown; label?: unknown };
  const v = typeof p.label === 'string' ? p.label : typeof p.name === 'string' ? p.name : null;
  return v ? v.slice(0, 200) : null;
}

/**
 * Regions from a parsed GeoJSON document: a FeatureCollection, a Feature, a bare geometry, or a
 * JSON array of features (as QuPath exports). Throws ROI_INVALID with a message naming `source`.
 */
export function parseGeoJsonRegions(doc: unknown, source: string): RegionShape[] {
  const budget = { left: MAX_ROI_VERTICES };
  let features: unknown[];
  if (Array.isArray(doc)) features = doc;
  else if (doc && typeof doc === 'object' && (doc as { type?: unknown }).type === 'FeatureCollection') {
    const f = (doc as { features?: unknown }).features;
    if (!Array.isArray(f)) fail(source, 'is a FeatureCollection without a "features" list.');
    features = f;
  } else if (doc && typeof doc === 'object' && (doc as { type?: unknown }).type === 'Feature') features = [doc];
  else if (doc && typeof doc === 'object' && 'coordinates' in doc) features = [{ type: 'Feature', geometry: doc, properties: {} }];
  else fail(source, 'is not GeoJSON (expected a FeatureCollection, Feature, Polygon or MultiPolygon).');
  const shapes: RegionShape[] = [];
  for (const f of features) {
    if (!f || typeof f !== 'object') fail(source, 'has an entry that is not a GeoJSON feature.');
    const { geometry, properties } = f as { geometry?: unknown; properties?: unknown };
    const polygons = parseGeometry(geometry, source, budget);
    if (polygons.length) shapes.push({ role: roleOfProperties(properties), label: labelOfProperties(properties), polygons });
  }
  if (shapes.length === 0) fail(source, 'contains no polygon (points and lines have no area).');
  return shapes;
}
