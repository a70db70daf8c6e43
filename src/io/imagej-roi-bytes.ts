/**
 * Bounds-checked big-endian access to an ImageJ `.roi` byte buffer, and the composite (ShapeRoi)
 * path decoder. Every read past the end, non-finite or far-away coordinate becomes a RoiProblem
 * (a user-facing phrase + advice) that imagej-roi.ts turns into ROI_INVALID.
 */
import { ROI_LIMITS } from '../common/roi.js';
import type { Point } from '../common/roi-geometry.js';

export class RoiProblem extends Error {
  override readonly name = 'RoiProblem';
  constructor(message: string, readonly advice: string) {
    super(message);
  }
}

export class RoiBytes {
  private readonly view: DataView;
  constructor(private readonly bytes: Uint8Array, private readonly defaultAdvice: string) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  get length(): number {
    return this.bytes.length;
  }

  fail(what: string, advice = this.defaultAdvice): never {
    throw new RoiProblem(what, advice);
  }

  private at(o: number, size: number): number {
    if (!Number.isSafeInteger(o) || o < 0 || o + size > this.bytes.length) this.fail('is truncated or damaged');
    return o;
  }

  u8(o: number): number {
    return this.view.getUint8(this.at(o, 1));
  }
  u16(o: number): number {
    return this.view.getUint16(this.at(o, 2));
  }
  i32(o: number): number {
    return this.view.getInt32(this.at(o, 4));
  }
  f32(o: number): number {
    return this.view.getFloat32(this.at(o, 4));
  }

  /** RoiDecoder.getShort: signed 16-bit, except values below −5000 are read as unsigned (> 32767). */
  ijShort(o: number): number {
    const v = this.view.getInt16(this.at(o, 2));
    return v < -5000 ? v & 0xffff : v;
  }

  /** A checked vertex in image pixels. */
  point(x: number, y: number): Point {
    if (!Number.isFinite(x) || !Number.isFinite(y)) this.fail('has coordinates that are not numbers');
    if (Math.abs(x) > ROI_LIMITS.maxAbsCoordPx || Math.abs(y) > ROI_LIMITS.maxAbsCoordPx) this.fail('has coordinates far outside any image');
    return [x, y];
  }
}

/** java.awt.geom.PathIterator segment types → number of coordinates that follow. */
const SEGMENT_COORDS = [2, 2, 4, 6, 0] as const;
const SEG_MOVETO = 0, SEG_LINETO = 1, SEG_QUADTO = 2, SEG_CUBICTO = 3;

/** Points along a quadratic or cubic Bézier from `p0` (exclusive) to the last control point. */
function flattenCurve(p0: Point, ctrl: readonly Point[]): Point[] {
  const pts = [p0, ...ctrl];
  let lengthPx = 0;
  for (let i = 1; i < pts.length; i++) lengthPx += Math.hypot(pts[i]![0] - pts[i - 1]![0], pts[i]![1] - pts[i - 1]![1]);
  const steps = Math.min(64, Math.max(4, Math.ceil(lengthPx / 2)));
  const out: Point[] = [];
  for (let s = 1; s <= steps; s++) {
    const t = s / steps, u = 1 - t;
    const w = pts.length === 3 ? [u * u, 2 * u * t, t * t] : [u * u * u, 3 * u * u * t, 3 * u * t * t, t * t * t];
    out.push([w.reduce((a, wi, i) => a + wi * pts[i]![0], 0), w.reduce((a, wi, i) => a + wi * pts[i]![1], 0)]);
  }
  return out;
}

/**
 * Rings of a composite ROI: `count` float32 values from offset 64, segments of a Java path
 * (type, then 0–6 absolute coordinates). Curves are flattened; rings are combined even–odd.
 */
export function shapeArrayRings(r: RoiBytes, count: number): Point[][] {
  if (count > 8 * ROI_LIMITS.maxVerticesPerRoi || 64 + 4 * count > r.length) r.fail('is truncated (its composite shape is incomplete)');
  const rings: Point[][] = [];
  let ring: Point[] = [], start: Point | null = null, vertices = 0;
  const finish = (): void => {
    if (ring.length >= 3) rings.push(ring);
    ring = [];
  };
  for (let i = 0; i < count; ) {
    const code = r.f32(64 + 4 * i);
    const nCoords = Number.isInteger(code) ? SEGMENT_COORDS[code as 0] : undefined;
    if (nCoords === undefined) r.fail('has a damaged composite shape (unknown path segment)');
    if (i + 1 + nCoords > count) r.fail('is truncated (its composite shape is incomplete)');
    const ctrl: Point[] = [];
    for (let k = 0; k < nCoords; k += 2) ctrl.push(r.point(r.f32(64 + 4 * (i + 1 + k)), r.f32(64 + 4 * (i + 2 + k))));
    i += 1 + nCoords;
    if (code === SEG_MOVETO) {
      finish();
      start = ctrl[0]!;
      ring.push(start);
      continue;
    }
    if (ring.length === 0) {
      if (!start) r.fail('has a damaged composite shape (a path without a start)');
      ring.push(start);
    }
    const added = code === SEG_LINETO ? [ctrl[0]!] : code === SEG_QUADTO || code === SEG_CUBICTO ? flattenCurve(ring[ring.length - 1]!, ctrl) : [];
    ring.push(...added);
    vertices += added.length;
    if (vertices > ROI_LIMITS.maxVerticesPerRoi) r.fail(`has more than ${ROI_LIMITS.maxVerticesPerRoi.toLocaleString('en')} points`);
    if (code !== SEG_LINETO && code !== SEG_QUADTO && code !== SEG_CUBICTO) finish(); // SEG_CLOSE: next segment restarts at the sub-path's start
  }
  finish();
  return rings;
}
