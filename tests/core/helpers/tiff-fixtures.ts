/**
 * TIFF test files: a small uncompressed TIFF/BigTIFF encoder, so tests control every tag
 * (ImageDescription, resolution, orientation, byte order, page layout) exactly. Re-exported by
 * image-fixtures.ts.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { solidRgb8, type Rgb } from './image-fixtures.js';

/** A resolution value: a number (stored as a rational, denominator up to 1 000 000) or [num, den]. */
export type TiffRational = number | readonly [number, number];

export interface TiffPageSpec {
  readonly width: number;
  readonly height: number;
  /** 1 gray, 2 gray+alpha, 3 RGB, 4 RGBA (or CMYK with photometric 5). */
  readonly samples: 1 | 2 | 3 | 4;
  /**
   * Interleaved samples; Uint16Array makes a 16-bit TIFF, Float32Array a 32-bit floating-point one
   * (SampleFormat 3). Length = width·height·samples.
   */
  readonly data: Uint8Array | Uint16Array | Float32Array;
  /** TIFF Photometric: default 1 (min-is-black) for 1–2 samples, 2 (RGB) for 3–4. 5 = separated (CMYK). */
  readonly photometric?: number;
  readonly description?: string;
  readonly xResolution?: TiffRational;
  readonly yResolution?: TiffRational;
  /** 1 none, 2 inch, 3 centimetre. Omitted = tag not written. */
  readonly resolutionUnit?: number;
  /** Tag 274, 1–8. */
  readonly orientation?: number;
  /** Further raw tags, e.g. ImageJ's private 50838/50839. Types: 1 BYTE, 2 ASCII, 3 SHORT, 4 LONG, 5 RATIONAL, 7 UNDEFINED. */
  readonly extraTags?: readonly { tag: number; type: number; values: readonly number[] | string }[];
}

export interface TiffEncodeOptions {
  /** Default true ('II'). false writes big-endian ('MM'). */
  readonly littleEndian?: boolean;
  /** Write BigTIFF (version 43, 64-bit offsets). */
  readonly bigTiff?: boolean;
}

const TYPE_SIZE: Record<number, number> = { 1: 1, 2: 1, 3: 2, 4: 4, 5: 8, 7: 1, 16: 8 };

interface Entry {
  tag: number;
  type: number;
  count: number;
  bytes: Buffer; // value bytes in file byte order
}

/**
 * Encodes uncompressed, chunky (interleaved), single-strip TIFF pages. Layout per page:
 * IFD, then out-of-line tag values, then pixel data; pages follow each other, linked by the
 * next-IFD offset. So a truncated file keeps its first IFD but loses pixels.
 */
export function encodeTiff(pages: readonly TiffPageSpec[], opts: TiffEncodeOptions = {}): Buffer {
  const le = opts.littleEndian ?? true;
  const big = opts.bigTiff ?? false;
  const chunks: Buffer[] = [];
  let pos = 0;
  const push = (b: Buffer): void => {
    chunks.push(b);
    pos += b.length;
  };
  const num = (type: number, values: readonly number[]): Buffer => {
    const size = TYPE_SIZE[type] ?? 1;
    const b = Buffer.alloc(size * values.length);
    values.forEach((v, i) => {
      const o = i * size;
      if (type === 1 || type === 7) b[o] = v;
      else if (type === 3) le ? b.writeUInt16LE(v, o) : b.writeUInt16BE(v, o);
      else if (type === 4) le ? b.writeUInt32LE(v, o) : b.writeUInt32BE(v, o);
      else if (type === 16) le ? b.writeBigUInt64LE(BigInt(v), o) : b.writeBigUInt64BE(BigInt(v), o);
      else throw new Error(`encodeTiff: type ${type} not supported by num()`);
    });
    return b;
  };
  const rational = (r: TiffRational): Buffer => {
    if (typeof r !== 'number') return num(4, [r[0], r[1]]);
    // Largest power-of-ten denominator (up to 10⁶) that keeps the numerator in 32 bits.
    let den = 1_000_000;
    while (den > 1 && Math.round(r * den) > 0xffffffff) den /= 10;
    return num(4, [Math.round(r * den), den]);
  };

  // Header
  const header = Buffer.alloc(big ? 16 : 8);
  header.write(le ? 'II' : 'MM', 0, 'latin1');
  const u16 = (b: Buffer, v: number, o: number): number => (le ? b.writeUInt16LE(v, o) : b.writeUInt16BE(v, o));
  const u32 = (b: Buffer, v: number, o: number): number => (le ? b.writeUInt32LE(v, o) : b.writeUInt32BE(v, o));
  const u64 = (b: Buffer, v: number, o: number): number =>
    le ? b.writeBigUInt64LE(BigInt(v), o) : b.writeBigUInt64BE(BigInt(v), o);
  if (big) {
    u16(header, 43, 2);
    u16(header, 8, 4);
    u16(header, 0, 6);
    u64(header, 16, 8);
  } else {
    u16(header, 42, 2);
    u32(header, 8, 4);
  }
  push(header);

  const entrySize = big ? 20 : 12;
  const countSize = big ? 8 : 2;
  const offSize = big ? 8 : 4;

  pages.forEach((p, pageIndex) => {
    const is16 = p.data instanceof Uint16Array;
    const isFloat = p.data instanceof Float32Array;
    const bps = isFloat ? 32 : is16 ? 16 : 8;
    const expected = p.width * p.height * p.samples;
    if (p.data.length !== expected) throw new Error(`encodeTiff: data has ${p.data.length} samples, need ${expected}`);
    const pixelBytes = Buffer.alloc(expected * (bps / 8));
    if (isFloat) p.data.forEach((v, i) => (le ? pixelBytes.writeFloatLE(v, i * 4) : pixelBytes.writeFloatBE(v, i * 4)));
    else if (is16) p.data.forEach((v, i) => u16(pixelBytes, v, i * 2));
    else pixelBytes.set(p.data);

    const entries: Entry[] = [];
    const add = (tag: number, type: number, bytes: Buffer, count?: number): void => {
      entries.push({ tag, type, bytes, count: count ?? bytes.length / (TYPE_SIZE[type] ?? 1) });
    };
    add(256, 4, num(4, [p.width]));
    add(257, 4, num(4, [p.height]));
    add(258, 3, num(3, Array(p.samples).fill(bps)));
    add(259, 3, num(3, [1]));
    add(262, 3, num(3, [p.photometric ?? (p.samples >= 3 ? 2 : 1)]));
    if (p.description !== undefined) add(270, 2, Buffer.from(p.description + '\0', 'utf8'));
    add(273, 4, num(4, [0])); // patched below
    if (p.orientation !== undefined) add(274, 3, num(3, [p.orientation]));
    add(277, 3, num(3, [p.samples]));
    add(278, 4, num(4, [p.height]));
    add(279, 4, num(4, [pixelBytes.length]));
    if (p.xResolution !== undefined) add(282, 5, rational(p.xResolution));
    if (p.yResolution !== undefined) add(283, 5, rational(p.yResolution));
    add(284, 3, num(3, [1]));
    if (p.resolutionUnit !== undefined) add(296, 3, num(3, [p.resolutionUnit]));
    const hasAlpha = p.samples === 2 || (p.samples === 4 && (p.photometric ?? 2) !== 5);
    if (hasAlpha) add(338, 3, num(3, [2])); // unassociated alpha
    if (isFloat) add(339, 3, num(3, Array(p.samples).fill(3))); // SampleFormat: IEEE float
    for (const t of p.extraTags ?? []) {
      if (typeof t.values === 'string') add(t.tag, t.type, Buffer.from(t.values + '\0', 'latin1'));
      else if (t.type === 5) add(t.tag, 5, Buffer.concat(chunkPairs(t.values).map((r) => rational(r))));
      else add(t.tag, t.type, num(t.type, t.values));
    }
    entries.sort((a, b) => a.tag - b.tag);

    const ifdStart = pos;
    const ifdLen = countSize + entries.length * entrySize + offSize;
    // Out-of-line values go right after the IFD, each word-aligned.
    let extraPos = ifdStart + ifdLen;
    const inlineMax = big ? 8 : 4;
    const extras: Buffer[] = [];
    const valueOffsets = entries.map((e) => {
      if (e.bytes.length <= inlineMax) return -1;
      const at = extraPos;
      const padded = e.bytes.length % 2 ? Buffer.concat([e.bytes, Buffer.alloc(1)]) : e.bytes;
      extras.push(padded);
      extraPos += padded.length;
      return at;
    });
    const dataStart = extraPos;
    // Patch StripOffsets now that the data position is known.
    const so = entries.find((e) => e.tag === 273)!;
    so.bytes = num(4, [dataStart]);
    const nextIfd = pageIndex < pages.length - 1 ? dataStart + pixelBytes.length : 0;

    const ifd = Buffer.alloc(ifdLen);
    let o = 0;
    if (big) u64(ifd, entries.length, 0);
    else u16(ifd, entries.length, 0);
    o = countSize;
    entries.forEach((e, i) => {
      u16(ifd, e.tag, o);
      u16(ifd, e.type, o + 2);
      if (big) u64(ifd, e.count, o + 4);
      else u32(ifd, e.count, o + 4);
      const vo = o + (big ? 12 : 8);
      const at = valueOffsets[i]!;
      if (at < 0) e.bytes.copy(ifd, vo);
      else if (big) u64(ifd, at, vo);
      else u32(ifd, at, vo);
      o += entrySize;
    });
    if (big) u64(ifd, nextIfd, o);
    else u32(ifd, nextIfd, o);
    push(ifd);
    extras.forEach(push);
    push(pixelBytes);
  });
  return Buffer.concat(chunks);
}

function chunkPairs(v: readonly number[]): [number, number][] {
  const out: [number, number][] = [];
  for (let i = 0; i + 1 < v.length; i += 2) out.push([v[i]!, v[i + 1]!]);
  return out;
}

/** Writes any pages with {@link encodeTiff}. */
export async function writeTiff(
  dir: string,
  name: string,
  pages: readonly TiffPageSpec[],
  opts: TiffEncodeOptions = {},
): Promise<string> {
  const file = join(dir, name);
  await writeFile(file, encodeTiff(pages, opts));
  return file;
}

/** Solid 8-bit RGB TIFF page spec (handy with {@link writeTiff}). */
export function rgbPage(w: number, h: number, rgb: Rgb, extra: Partial<TiffPageSpec> = {}): TiffPageSpec {
  return { width: w, height: h, samples: 3, data: new Uint8Array(solidRgb8(w, h, rgb)), ...extra };
}

/** 16-bit RGB TIFF of one colour (each channel 0–65535), e.g. [1000, 2000, 65535]. */
export async function writeTiff16(
  dir: string,
  name: string,
  w: number,
  h: number,
  rgb16: Rgb = [1000, 2000, 65535],
  opts: TiffEncodeOptions = {},
): Promise<string> {
  const data = new Uint16Array(w * h * 3);
  for (let i = 0; i < w * h; i++) data.set(rgb16, i * 3);
  return writeTiff(dir, name, [{ width: w, height: h, samples: 3, data }], opts);
}

/**
 * RGB TIFF as ImageJ saves a calibrated image: ImageDescription "ImageJ=1.54f\nunit=micron\n…",
 * XResolution = YResolution = pixels per unit (1/umPerPx for microns), ResolutionUnit none, plus
 * ImageJ's private tags 50838/50839. `unit` is written verbatim (ImageJ writes `micron`, or the
 * escaped form `\u00B5m`).
 */
export async function writeImageJTiff(
  dir: string,
  name: string,
  umPerPx: number,
  opts: { unit?: string; unitsPerPx?: number; w?: number; h?: number; yUmPerPx?: number; spacing?: number } = {},
): Promise<string> {
  const w = opts.w ?? 8;
  const h = opts.h ?? 6;
  const unit = opts.unit ?? 'micron';
  const unitsPerPx = opts.unitsPerPx ?? umPerPx; // size of one pixel in `unit`
  const yUnitsPerPx = opts.yUmPerPx !== undefined ? (opts.yUmPerPx / umPerPx) * unitsPerPx : unitsPerPx;
  const lines = ['ImageJ=1.54f', `unit=${unit}`];
  if (opts.spacing !== undefined) lines.push(`spacing=${opts.spacing}`);
  lines.push('');
  return writeTiff(dir, name, [
    rgbPage(w, h, [180, 120, 90], {
      description: lines.join('\n'),
      xResolution: 1 / unitsPerPx,
      yResolution: 1 / yUnitsPerPx,
      resolutionUnit: 1,
      extraTags: [
        { tag: 50838, type: 4, values: [12, 10] },
        { tag: 50839, type: 1, values: [0x49, 0x4a, 0x49, 0x4a, 0x69, 0x6e, 0x66, 0x6f, 0, 0] },
      ],
    }),
  ]);
}

/** OME-XML ImageDescription with PhysicalSizeX/Y (unit attribute omitted when `unit` is null → µm). */
export function omeXml(sizeX: number, sizeY: number, unit: string | null = 'µm', w = 8, h = 6): string {
  const u = (axis: 'X' | 'Y'): string => (unit === null ? '' : ` PhysicalSize${axis}Unit="${unit}"`);
  return (
    '<?xml version="1.0" encoding="UTF-8"?>' +
    '<OME xmlns="http://www.openmicroscopy.org/Schemas/OME/2016-06" Creator="calciquant tests">' +
    '<Image ID="Image:0" Name="well"><Pixels ID="Pixels:0" DimensionOrder="XYCZT" Type="uint8"' +
    ` SizeX="${w}" SizeY="${h}" SizeC="3" SizeZ="1" SizeT="1"` +
    ` PhysicalSizeX="${sizeX}"${u('X')} PhysicalSizeY="${sizeY}"${u('Y')}>` +
    '<Channel ID="Channel:0:0" SamplesPerPixel="3"/><TiffData IFD="0" PlaneCount="1"/>' +
    '</Pixels></Image></OME>'
  );
}

/**
 * RGB OME-TIFF: OME-XML in ImageDescription with PhysicalSizeX = `size` in `unit` (default µm).
 * Optional TIFF resolution tags (e.g. to test that OME wins).
 */
export async function writeOmeTiff(
  dir: string,
  name: string,
  size: number,
  opts: { unit?: string | null; sizeY?: number; tiffRes?: { x: number; unit: number } } = {},
): Promise<string> {
  const w = 8;
  const h = 6;
  return writeTiff(dir, name, [
    rgbPage(w, h, [180, 120, 90], {
      description: omeXml(size, opts.sizeY ?? size, opts.unit === undefined ? 'µm' : opts.unit, w, h),
      ...(opts.tiffRes
        ? { xResolution: opts.tiffRes.x, yResolution: opts.tiffRes.x, resolutionUnit: opts.tiffRes.unit }
        : {}),
    }),
  ]);
}

/** Multi-page 8-bit RGB TIFF, one solid colour per page (default red, green, blue), all w × h. */
export async function writeMultiPageTiff(
  dir: string,
  name: string,
  colours: readonly Rgb[] = [
    [255, 0, 0],
    [0, 255, 0],
    [0, 0, 255],
  ],
  w = 4,
  h = 3,
  opts: TiffEncodeOptions = {},
): Promise<string> {
  return writeTiff(
    dir,
    name,
    colours.map((c) => rgbPage(w, h, c)),
    opts,
  );
}

/** Reads a file back (convenience for byte-level assertions). */
export async function readBytes(file: string): Promise<Buffer> {
  return readFile(file);
}
