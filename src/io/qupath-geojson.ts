/**
 * Regions as GeoJSON in the form QuPath (0.4+) writes and reads with File › Export/Import objects:
 * a FeatureCollection of Features with a UUID `id`, a Polygon or MultiPolygon geometry in
 * full-resolution image pixels (origin top-left) and properties `objectType: "annotation"`,
 * `name`, `classification: { name, color: [r, g, b] }`, `color` and `isLocked`.
 *
 * Roles: exclude regions are written with the classification "Exclude"; include regions are
 * unclassified (a class named after the label could read back as "Ignore…"). Reading accepts
 * everything `parseGeoJsonRegions` accepts, with its semantics (holes are excluded; "Exclude…"/
 * "Ignore*" classifications or `role: "exclude"` make exclude regions) and makes each feature's
 * geometry valid. Pure: parsed JSON in, objects out.
 */
import { AppError, BugError, isAppErrorLike } from '../common/errors.js';
import { parseGeoJsonRegions } from '../common/geometry.js';
import { isRoiId, newRoiId, type MultiPolygon, type Roi, type RoiId } from '../common/roi.js';
import { geometryAreaPx, polygonsGeometry } from '../common/roi-geometry.js';
import { clipRoisToImage, type ImageSizePx } from '../common/roi-image.js';

type Rgb = [number, number, number];

export interface QuPathFeature {
  readonly type: 'Feature';
  readonly id: string;
  readonly geometry:
    | { readonly type: 'Polygon'; readonly coordinates: number[][][] }
    | { readonly type: 'MultiPolygon'; readonly coordinates: number[][][][] };
  readonly properties: {
    readonly objectType: 'annotation';
    readonly name?: string;
    readonly classification?: { readonly name: string; readonly color: Rgb };
    readonly color?: Rgb;
    readonly isLocked: false;
  };
}

export interface QuPathFeatureCollection {
  readonly type: 'FeatureCollection';
  readonly features: QuPathFeature[];
}

export const EXCLUDE_CLASS = 'Exclude';
const DEFAULT_EXCLUDE_RGB: Rgb = [255, 64, 64];
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function rgbOf(colour: string | undefined): Rgb | undefined {
  if (!colour || !/^#[0-9a-f]{6}$/i.test(colour)) return undefined;
  const v = parseInt(colour.slice(1), 16);
  return [(v >> 16) & 255, (v >> 8) & 255, v & 255];
}

function colourOf(rgb: unknown): string | undefined {
  if (typeof rgb === 'number' && Number.isInteger(rgb)) return `#${(rgb & 0xffffff).toString(16).padStart(6, '0')}`;
  if (!Array.isArray(rgb) || rgb.length < 3) return undefined;
  const c = rgb.slice(0, 3);
  if (!c.every((v) => typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= 255)) return undefined;
  return `#${c.map((v: number) => v.toString(16).padStart(2, '0')).join('')}`;
}

function coordinatesOf(g: MultiPolygon): number[][][][] {
  return g.map((poly) => poly.map((ring) => ring.map((p) => [p[0], p[1]])));
}

/** One QuPath annotation feature per region. */
export function roisToQuPathGeoJson(rois: readonly Roi[]): QuPathFeatureCollection {
  const features = rois
    .filter((roi) => roi.geometry.length > 0)
    .map((roi): QuPathFeature => {
      const coords = coordinatesOf(roi.geometry);
      const rgb = rgbOf(roi.colour);
      return {
        type: 'Feature',
        id: UUID.test(roi.id) ? roi.id : newRoiId(),
        geometry: coords.length === 1 ? { type: 'Polygon', coordinates: coords[0]! } : { type: 'MultiPolygon', coordinates: coords },
        properties: {
          objectType: 'annotation',
          ...(roi.label ? { name: roi.label } : {}),
          ...(roi.role === 'exclude' ? { classification: { name: EXCLUDE_CLASS, color: rgb ?? DEFAULT_EXCLUDE_RGB } } : {}),
          ...(rgb ? { color: rgb } : {}),
          isLocked: false,
        },
      };
    });
  return { type: 'FeatureCollection', features };
}

/** The features of a document in the forms parseGeoJsonRegions accepts (already validated). */
interface RawFeature {
  readonly id?: unknown;
  readonly properties?: unknown;
  readonly geometry?: unknown;
}

function featureList(doc: unknown): RawFeature[] {
  if (Array.isArray(doc)) return doc as RawFeature[];
  const d = doc as { type?: unknown; features?: unknown };
  if (d.type === 'FeatureCollection') return d.features as RawFeature[];
  if (d.type === 'Feature') return [d as RawFeature];
  return [{ geometry: doc, properties: {} }];
}

/** Mirrors parseGeoJsonRegions: does this geometry yield at least one polygon? */
function hasPolygons(g: unknown): boolean {
  const { type, coordinates, geometries } = (g ?? {}) as { type?: unknown; coordinates?: unknown; geometries?: unknown };
  if (type === 'Polygon') return true;
  if (type === 'MultiPolygon') return Array.isArray(coordinates) && coordinates.length > 0;
  if (type === 'GeometryCollection' && Array.isArray(geometries)) return geometries.some(hasPolygons);
  return false;
}

function featureColour(props: unknown): string | undefined {
  const p = (props && typeof props === 'object' ? props : {}) as { color?: unknown; classification?: unknown };
  const cls = (p.classification && typeof p.classification === 'object' ? p.classification : {}) as { color?: unknown; colorRGB?: unknown };
  return colourOf(p.color) ?? colourOf(cls.color) ?? colourOf(cls.colorRGB);
}

export interface GeoJsonImportOptions {
  readonly newId?: () => RoiId;
  /** When given, regions are clipped to the image and one entirely outside it is refused. */
  readonly imageSizePx?: ImageSizePx;
}

/**
 * Regions from a parsed GeoJSON document (QuPath export, our export, or any GeoJSON polygons).
 * Features whose polygons have no area are skipped; throws ROI_INVALID naming `name`.
 */
export function roisFromGeoJson(doc: unknown, name: string, opts: GeoJsonImportOptions = {}): Roi[] {
  const shapes = parseGeoJsonRegions(doc, name);
  const features = featureList(doc).filter((f) => hasPolygons(f?.geometry));
  if (features.length !== shapes.length) throw new BugError(`GeoJSON feature/shape mismatch: ${features.length} vs ${shapes.length}`);
  const usedIds = new Set<string>();
  const rois: Roi[] = [];
  shapes.forEach((shape, i) => {
    let geometry: MultiPolygon;
    try {
      geometry = polygonsGeometry(shape.polygons);
    } catch (e) {
      const why = isAppErrorLike(e) ? e.userMessage : 'Its shape could not be processed.';
      throw new AppError('ROI_INVALID', `Region file “${name}”, feature ${i + 1}${shape.label ? ` (“${shape.label}”)` : ''}: ${why}`, { cause: e });
    }
    if (geometry.length === 0 || geometryAreaPx(geometry) <= 0) return;
    const f = features[i]!;
    const fid = typeof f.id === 'string' && isRoiId(f.id) && !usedIds.has(f.id) ? (f.id as RoiId) : (opts.newId ?? newRoiId)();
    usedIds.add(fid);
    const colour = featureColour(f.properties);
    const simple = geometry.length === 1 && geometry[0]!.length === 1;
    rois.push({
      id: fid,
      role: shape.role,
      tool: simple ? 'polygon' : 'brush',
      ...(shape.label ? { label: shape.label } : {}),
      ...(colour ? { colour } : {}),
      geometry,
    });
  });
  if (rois.length === 0) {
    throw new AppError('ROI_INVALID', `Region file “${name}” contains no region with an area. Export the annotations again from QuPath (File › Export objects as GeoJSON).`);
  }
  return opts.imageSizePx ? clipRoisToImage(rois, opts.imageSizePx, name) : rois;
}
