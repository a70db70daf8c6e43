/**
 * ImageJ ROI files (`.roi`) and ROI Manager sets (`RoiSet.zip`), read from the binary layout
 * documented in ImageJ's `ij.io.RoiDecoder` (big-endian):
 *
 *   0–3 "Iout" · 4–5 version · 6 type · 8–15 top, left, bottom, right (int16) · 16–17 n coordinates
 *   (uint16; 0 → int32 at 18) · 18–33 sub-pixel x, y, width, height (float32, rect/oval)
 *   · 36–39 composite (shape) array length · 40–43 stroke colour ARGB · 44–47 fill colour
 *   · 48–49 subtype · 50–51 options · 54–55 rounded-rect corner diameter · 60–63 header-2 offset
 *   · 64– x[n] then y[n] (int16, relative to left/top), then with SUB_PIXEL_RESOLUTION x[n], y[n]
 *   (float32, absolute). Header 2: +16 name offset, +20 name length (UTF-16BE characters).
 *
 * Coordinates: ImageJ integer vertices lie on pixel corners, the same convention as ours — a
 * 10 × 10 rectangle at (0, 0) covers exactly the 100 pixels [0, 10)²; sub-pixel vertices are used
 * as they are. Supported: polygon, freehand, traced, rectangle (also rounded), oval (as an
 * ellipse), composite shapes (even–odd, curves flattened), with or without sub-pixel coordinates.
 * Refused with a message: lines, points, angles (no area), text and image overlays, spline-fitted
 * polygons. Every problem becomes `AppError('ROI_INVALID')` naming the file. Pure: bytes in.
 */
import { AppError, isAppErrorLike } from '../common/errors.js';
import { roleOfProperties } from '../common/geometry.js';
import { clipRoisToImage, type ImageSizePx } from '../common/roi-image.js';
import { newRoiId, ROI_LIMITS, type MultiPolygon, type Roi, type RoiId, type RoiTool } from '../common/roi.js';
import {
  ellipseGeometry, evenOddGeometry, geometryAreaPx, polygonGeometry, rectangleGeometry, roundedRectangleGeometry, type Point,
} from '../common/roi-geometry.js';
import { readZipEntries, ZipProblem } from './bounded-unzip.js';
import { shapeArrayRings, RoiProblem, RoiBytes } from './imagej-roi-bytes.js';

export interface ImageJImportOptions {
  /** Id factory (tests inject a deterministic one). */
  readonly newId?: () => RoiId;
  /** When given, regions are clipped to the image and one entirely outside it is refused. */
  readonly imageSizePx?: ImageSizePx;
}

const T = { polygon: 0, rect: 1, oval: 2, line: 3, freeline: 4, polyline: 5, noRoi: 6, freehand: 7, traced: 8, angle: 9, point: 10 } as const;
const SUBTYPE_TEXT = 1, SUBTYPE_IMAGE = 4;
const OPT_SPLINE_FIT = 1, OPT_SUB_PIXEL = 128;
const NO_AREA_TYPES = new Map<number, string>([
  [T.line, 'a straight line'], [T.freeline, 'a freehand line'], [T.polyline, 'a segmented line'],
  [T.angle, 'an angle'], [T.point, 'a point selection'], [T.noRoi, 'an empty selection'],
]);

const SET_LIMITS = {
  maxArchiveBytes: 64 * 1048576,
  maxEntries: ROI_LIMITS.maxRois,
  maxEntryBytes: 16 * 1048576,
  maxTotalBytes: 64 * 1048576,
} as const;

const DEFAULT_ADVICE = 'Save it again from ImageJ (ROI Manager › More › Save…) or draw the region in Calciquant.';

interface Shape {
  readonly tool: RoiTool;
  readonly geometry: MultiPolygon;
}

function polygonPoints(r: RoiBytes, version: number, options: number): Point[] {
  let n = r.u16(16);
  if (n === 0) n = r.i32(18);
  if (n < 3) r.fail(`has only ${Math.max(0, n)} points, too few for a region`);
  if (n > ROI_LIMITS.maxVerticesPerRoi) r.fail(`has more than ${ROI_LIMITS.maxVerticesPerRoi.toLocaleString('en')} points`);
  const subPixel = version >= 222 && (options & OPT_SUB_PIXEL) !== 0;
  if (64 + n * (subPixel ? 12 : 4) > r.length) r.fail(`is truncated (it declares ${n} points but holds fewer)`);
  const points: Point[] = new Array(n);
  if (subPixel) {
    const xs = 64 + 4 * n, ys = xs + 4 * n;
    for (let i = 0; i < n; i++) points[i] = r.point(r.f32(xs + 4 * i), r.f32(ys + 4 * i));
  } else {
    const left = r.ijShort(10), top = r.ijShort(8);
    for (let i = 0; i < n; i++) {
      points[i] = r.point(left + Math.max(0, r.ijShort(64 + 2 * i)), top + Math.max(0, r.ijShort(64 + 2 * n + 2 * i)));
    }
  }
  return points;
}

/** x, y, width, height of a rectangle or oval (sub-pixel floats from version 223). */
function boxOf(r: RoiBytes, version: number, options: number): [number, number, number, number] {
  let box: [number, number, number, number];
  if (version >= 223 && (options & OPT_SUB_PIXEL) !== 0) box = [r.f32(18), r.f32(22), r.f32(26), r.f32(30)];
  else {
    const top = r.ijShort(8), left = r.ijShort(10);
    box = [left, top, r.ijShort(14) - left, r.ijShort(12) - top];
  }
  r.point(box[0], box[1]);
  r.point(box[0] + box[2], box[1] + box[3]);
  if (!(box[2] > 0 && box[3] > 0)) r.fail('has no area (its width or height is zero)');
  return box;
}

function decodeShape(r: RoiBytes): Shape {
  const version = r.u16(4), type = r.u8(6), subtype = r.u16(48), options = r.u16(50);
  const composite = r.i32(36);
  if (composite !== 0) {
    if (type !== T.rect || composite < 0) r.fail('is a damaged composite selection');
    return { tool: 'brush', geometry: evenOddGeometry(shapeArrayRings(r, composite)) };
  }
  const noArea = NO_AREA_TYPES.get(type);
  if (noArea) r.fail(`is ${noArea}, which has no area`, 'Only area selections (polygon, freehand, rectangle, oval, traced) can be imported.');
  switch (type) {
    case T.rect: {
      if (subtype === SUBTYPE_TEXT || subtype === SUBTYPE_IMAGE) {
        r.fail(`is ${subtype === SUBTYPE_TEXT ? 'a text label' : 'an image overlay'}, not a region`, 'Only area selections can be imported.');
      }
      const [x, y, w, h] = boxOf(r, version, options);
      const arc = r.ijShort(54);
      return arc > 0
        ? { tool: 'polygon', geometry: roundedRectangleGeometry(x, y, x + w, y + h, arc) }
        : { tool: 'rectangle', geometry: rectangleGeometry(x, y, x + w, y + h) };
    }
    case T.oval: {
      const [x, y, w, h] = boxOf(r, version, options);
      return { tool: 'ellipse', geometry: ellipseGeometry(x + w / 2, y + h / 2, w / 2, h / 2) };
    }
    case T.polygon:
    case T.freehand:
    case T.traced: {
      if (version >= 218 && (options & OPT_SPLINE_FIT) !== 0) {
        r.fail('was drawn with “Fit Spline”, whose curve Calciquant cannot reproduce exactly',
          'In ImageJ run Edit › Selection › Interpolate (interval 1) on it and save it again.');
      }
      const tool: RoiTool = type === T.freehand ? 'freehand' : 'polygon';
      return { tool, geometry: polygonGeometry(polygonPoints(r, version, options)) };
    }
    default:
      return r.fail(`has an unknown selection type (${type})`);
  }
}

/** Header-2 name (UTF-16BE), or null. */
function roiName(r: RoiBytes): string | null {
  const h2 = r.i32(60);
  if (h2 <= 0 || h2 + 24 > r.length) return null;
  const offset = r.i32(h2 + 16), length = r.i32(h2 + 20);
  if (offset <= 0 || length <= 0 || offset + 2 * length > r.length) return null;
  let s = '';
  for (let i = 0; i < Math.min(length, ROI_LIMITS.maxLabelChars); i++) s += String.fromCharCode(r.u16(offset + 2 * i));
  return s.trim() || null;
}

function colourOf(r: RoiBytes): string | undefined {
  const argb = r.i32(40) || r.i32(44);
  return argb === 0 ? undefined : `#${(argb & 0xffffff).toString(16).padStart(6, '0')}`;
}

function decodeRoi(bytes: Uint8Array, fileName: string, newId: () => RoiId): Roi {
  const r = new RoiBytes(bytes, DEFAULT_ADVICE);
  if (bytes.length < 64) r.fail('is too short to be an ImageJ ROI');
  if (r.u8(0) !== 0x49 || r.u8(1) !== 0x6f || r.u8(2) !== 0x75 || r.u8(3) !== 0x74) r.fail('is not an ImageJ ROI (it does not start with “Iout”)');
  const { tool, geometry } = decodeShape(r);
  if (geometry.length === 0 || !(geometryAreaPx(geometry) > 0)) r.fail('has no area');
  const label = roiName(r) ?? (fileName.replace(/^.*[\\/]/, '').replace(/\.roi$/i, '').slice(0, ROI_LIMITS.maxLabelChars) || undefined);
  const colour = colourOf(r);
  // ImageJ has no roles; a selection named "Exclude…" or "Ignore…" excludes, as in QuPath.
  const role = roleOfProperties({ classification: label });
  return { id: newId(), role, tool, geometry, ...(label ? { label } : {}), ...(colour ? { colour } : {}) };
}

/** Any failure → ROI_INVALID whose message names `subject` and says what to do. */
function asRoiInvalid(e: unknown, subject: string): AppError {
  if (e instanceof RoiProblem) return new AppError('ROI_INVALID', `${subject} ${e.message}. ${e.advice}`, { cause: e });
  if (e instanceof ZipProblem) {
    return new AppError('ROI_INVALID', `${subject} ${e.message}. Save the ROI set again from ImageJ’s ROI Manager (More › Save…).`, { cause: e });
  }
  if (isAppErrorLike(e) && e.code === 'ROI_INVALID') return new AppError('ROI_INVALID', `${subject}: ${e.userMessage}`, { cause: e });
  return new AppError('ROI_INVALID', `${subject} could not be read; the file looks damaged. ${DEFAULT_ADVICE}`, {
    cause: e,
    detail: `unexpected ${(e as Error)?.name ?? typeof e}: ${(e as Error)?.message ?? String(e)}`,
  });
}

/** One `.roi` file as a region (role include, or exclude when named "Exclude…"/"Ignore…"). */
export function parseImageJRoi(bytes: Uint8Array, name: string, opts: ImageJImportOptions = {}): Roi {
  const roi = decodeNamed(bytes, name, `ImageJ ROI “${name}”`, opts);
  return opts.imageSizePx ? clipRoisToImage([roi], opts.imageSizePx, name)[0]! : roi;
}

function decodeNamed(bytes: Uint8Array, fileName: string, subject: string, opts: ImageJImportOptions): Roi {
  try {
    return decodeRoi(bytes, fileName, opts.newId ?? newRoiId);
  } catch (e) {
    throw asRoiInvalid(e, subject);
  }
}

const isRoiEntry = (n: string): boolean => /\.roi$/i.test(n) && !/(^|\/)__MACOSX\//.test(n) && !/(^|\/)\._[^/]*$/.test(n);

/** Every `.roi` entry of an ImageJ ROI Manager set (`RoiSet.zip`), in archive order. */
export function parseImageJRoiSet(zipBytes: Uint8Array, name: string, opts: ImageJImportOptions = {}): Roi[] {
  let entries: { name: string; data: Uint8Array }[];
  try {
    entries = readZipEntries(zipBytes, SET_LIMITS, isRoiEntry);
  } catch (e) {
    throw asRoiInvalid(e, `ROI set “${name}”`);
  }
  if (entries.length === 0) {
    throw new AppError('ROI_INVALID', `ROI set “${name}” contains no .roi files. Save the regions from ImageJ’s ROI Manager (More › Save…).`);
  }
  let vertices = 0;
  const rois = entries.map((entry) => {
    const roi = decodeNamed(entry.data, entry.name, `ROI “${entry.name}” in “${name}”`, opts);
    vertices += roi.geometry.reduce((s, poly) => s + poly.reduce((t, ring) => t + ring.length, 0), 0);
    if (vertices > ROI_LIMITS.maxVerticesPerFile) {
      throw new AppError('ROI_INVALID', `ROI set “${name}” has more than ${ROI_LIMITS.maxVerticesPerFile.toLocaleString('en')} vertices in total. Split or simplify it.`);
    }
    return roi;
  });
  return opts.imageSizePx ? clipRoisToImage(rois, opts.imageSizePx, name) : rois;
}
