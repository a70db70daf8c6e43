/**
 * A tiny ImageJ `.roi` encoder for tests, written from the layout documented in RoiDecoder /
 * RoiEncoder: 64-byte header, coordinates, header 2 (64 bytes), name (UTF-16BE).
 */
export const ROI_TYPE = { polygon: 0, rect: 1, oval: 2, line: 3, freeline: 4, polyline: 5, noRoi: 6, freehand: 7, traced: 8, angle: 9, point: 10 } as const;
export const OPT = { splineFit: 1, subPixel: 128 } as const;

export interface RoiSpec {
  type: number;
  version?: number;
  /** Bounds (top, left, bottom, right); derived from the points when omitted. */
  bounds?: [top: number, left: number, bottom: number, right: number];
  /** Integer polygon vertices (absolute; stored relative to left/top). */
  points?: [number, number][];
  /** Sub-pixel vertices (absolute floats), stored after the integer ones. */
  subPixelPoints?: [number, number][];
  /** Sub-pixel rectangle / oval x, y, width, height. */
  subPixelRect?: [number, number, number, number];
  /** Composite shape array (segment types and coordinates). */
  shape?: number[];
  /** Store n in the int at offset 18 (n field 0), as ImageJ does for > 65535 points. */
  nAsInt?: boolean;
  subtype?: number;
  options?: number;
  arcSize?: number;
  strokeArgb?: number;
  name?: string;
}

export function encodeRoi(spec: RoiSpec): Uint8Array {
  const pts = spec.points ?? (spec.subPixelPoints ?? []).map(([x, y]): [number, number] => [Math.floor(x), Math.floor(y)]);
  const n = spec.shape ? 0 : pts.length;
  const floats = spec.subPixelPoints ? 8 * n : 0;
  const payload = spec.shape ? 4 * spec.shape.length : 4 * n + floats;
  const name = spec.name ?? '';
  const h2 = 64 + payload;
  const buf = new Uint8Array(h2 + 64 + 2 * name.length);
  const v = new DataView(buf.buffer);
  buf.set([0x49, 0x6f, 0x75, 0x74]);
  v.setInt16(4, spec.version ?? 228);
  v.setUint8(6, spec.type);
  const xs = pts.map((p) => p[0]), ys = pts.map((p) => p[1]);
  const [top, left, bottom, right] = spec.bounds ?? (pts.length ? [Math.min(...ys), Math.min(...xs), Math.max(...ys), Math.max(...xs)] : [0, 0, 0, 0]);
  v.setInt16(8, top);
  v.setInt16(10, left);
  v.setInt16(12, bottom);
  v.setInt16(14, right);
  if (spec.nAsInt) v.setInt32(18, n);
  else v.setUint16(16, n);
  let options = spec.options ?? 0;
  if (spec.subPixelRect) {
    spec.subPixelRect.forEach((f, i) => v.setFloat32(18 + 4 * i, f));
    options |= OPT.subPixel;
  }
  if (spec.subPixelPoints) options |= OPT.subPixel;
  if (spec.shape) v.setInt32(36, spec.shape.length);
  if (spec.strokeArgb !== undefined) v.setInt32(40, spec.strokeArgb);
  v.setInt16(48, spec.subtype ?? 0);
  v.setInt16(50, options);
  v.setInt16(54, spec.arcSize ?? 0);
  v.setInt32(60, h2);
  if (spec.shape) spec.shape.forEach((f, i) => v.setFloat32(64 + 4 * i, f));
  else {
    pts.forEach(([x, y], i) => {
      v.setInt16(64 + 2 * i, x - left);
      v.setInt16(64 + 2 * n + 2 * i, y - top);
    });
    spec.subPixelPoints?.forEach(([x, y], i) => {
      v.setFloat32(64 + 4 * n + 4 * i, x);
      v.setFloat32(64 + 8 * n + 4 * i, y);
    });
  }
  if (name) {
    v.setInt32(h2 + 16, h2 + 64);
    v.setInt32(h2 + 20, name.length);
    for (let i = 0; i < name.length; i++) v.setUint16(h2 + 64 + 2 * i, name.charCodeAt(i));
  }
  return buf;
}

export const rectRoi = (x: number, y: number, w: number, h: number, extra: Partial<RoiSpec> = {}): Uint8Array =>
  encodeRoi({ type: ROI_TYPE.rect, bounds: [y, x, y + h, x + w], ...extra });

export const ovalRoi = (x: number, y: number, w: number, h: number, extra: Partial<RoiSpec> = {}): Uint8Array =>
  encodeRoi({ type: ROI_TYPE.oval, bounds: [y, x, y + h, x + w], ...extra });

/** Deterministic pseudo-random numbers in [0, 1). */
export function seededRandom(seed: number): () => number {
  let s = seed % 2147483647 || 1;
  return () => (s = (s * 16807) % 2147483647) / 2147483647;
}

/** Pixel count of a mask. */
export function countInside(mask: { data: Uint8Array }): number {
  let n = 0;
  for (const v of mask.data) if (v) n++;
  return n;
}
