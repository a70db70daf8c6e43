/**
 * Test-image generators. Every fixture is created at test time in a temporary directory; no binary
 * fixtures are committed. Reusable by any test (decode, CLI, project import, …).
 *
 * Conventions:
 * - Every `write*` function takes the target directory first and returns the absolute path of the
 *   file it wrote. Names may contain spaces and non-ASCII characters.
 * - Colours are `[r, g, b]` in 0–255 (8-bit) or 0–65535 (16-bit) as stated.
 * - Lossless formats (PNG, TIFF) hold exactly the values given; JPEG fixtures are lossy, so compare
 *   their pixels with a tolerance.
 * - TIFF files are written by {@link encodeTiff}, a small uncompressed TIFF/BigTIFF encoder, so tests
 *   control every tag (ImageDescription, resolution, orientation, byte order, page layout) exactly.
 *
 * Typical use:
 * ```ts
 * const dir = await makeTempDir();            // removed with removeTempDir(dir) in afterAll
 * const file = await writeTiff16(dir, 'a.tif', 4, 3, [1000, 2000, 65535]);
 * ```
 */
import { mkdtemp, rm, writeFile, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';

export type Rgb = readonly [number, number, number];

/** Creates a fresh temporary directory (prefix `calciquant-`). */
export async function makeTempDir(prefix = 'calciquant-'): Promise<string> {
  return mkdtemp(join(tmpdir(), prefix));
}

/** Removes a directory made by {@link makeTempDir} (recursive, ignores a missing directory). */
export async function removeTempDir(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
}

// ---------------------------------------------------------------------------------------------
// Raw pixel builders
// ---------------------------------------------------------------------------------------------

/** Interleaved 8-bit RGB buffer of one colour. */
export function solidRgb8(w: number, h: number, rgb: Rgb): Buffer {
  const b = Buffer.alloc(w * h * 3);
  for (let i = 0; i < w * h; i++) {
    b[i * 3] = rgb[0];
    b[i * 3 + 1] = rgb[1];
    b[i * 3 + 2] = rgb[2];
  }
  return b;
}

/**
 * Interleaved 8-bit RGB gradient: R = x-dependent, G = y-dependent, B = constant 128. Smooth, so
 * it survives JPEG compression reasonably; use it when the content does not matter.
 */
export function gradientRgb8(w: number, h: number): Buffer {
  const b = Buffer.alloc(w * h * 3);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const i = (y * w + x) * 3;
      b[i] = w > 1 ? Math.round((x / (w - 1)) * 255) : 0;
      b[i + 1] = h > 1 ? Math.round((y / (h - 1)) * 255) : 0;
      b[i + 2] = 128;
    }
  }
  return b;
}

// ---------------------------------------------------------------------------------------------
// Formats written with sharp
// ---------------------------------------------------------------------------------------------

/** 8-bit RGB JPEG with a gradient (or a solid colour). */
export async function writeRgbJpeg(
  dir: string,
  name: string,
  w: number,
  h: number,
  opts: { rgb?: Rgb; quality?: number } = {},
): Promise<string> {
  const file = join(dir, name);
  const px = opts.rgb ? solidRgb8(w, h, opts.rgb) : gradientRgb8(w, h);
  await sharp(px, { raw: { width: w, height: h, channels: 3 } })
    .jpeg({ quality: opts.quality ?? 95, chromaSubsampling: '4:4:4' })
    .toFile(file);
  return file;
}

/** 8-bit RGB PNG with exactly the given pixels (default: gradient). */
export async function writeRgbPng(
  dir: string,
  name: string,
  w: number,
  h: number,
  opts: { rgb?: Rgb; pixels?: Buffer } = {},
): Promise<string> {
  const file = join(dir, name);
  const px = opts.pixels ?? (opts.rgb ? solidRgb8(w, h, opts.rgb) : gradientRgb8(w, h));
  await sharp(px, { raw: { width: w, height: h, channels: 3 } }).png().toFile(file);
  return file;
}

/**
 * CMYK JPEG (Adobe, 4 channels) made by converting an sRGB solid colour with sharp's built-in CMYK
 * profile. Decoding it back to sRGB gives approximately `rgb`.
 */
export async function writeCmykJpeg(
  dir: string,
  name: string,
  w: number,
  h: number,
  rgb: Rgb = [200, 40, 40],
): Promise<string> {
  const file = join(dir, name);
  await sharp(solidRgb8(w, h, rgb), { raw: { width: w, height: h, channels: 3 } })
    .toColourspace('cmyk')
    .jpeg({ quality: 100 })
    .toFile(file);
  return file;
}

/**
 * Single-channel grayscale image of one value. PNG and TIFF are exact (8 or 16 bit); JPEG is 8-bit
 * and lossy. `value` is 0–255 for 8-bit, 0–65535 for 16-bit.
 */
export async function writeGray(
  dir: string,
  name: string,
  w: number,
  h: number,
  opts: { value?: number; bitDepth?: 8 | 16; format?: 'png' | 'tiff' | 'jpeg' } = {},
): Promise<string> {
  const file = join(dir, name);
  const bitDepth = opts.bitDepth ?? 8;
  const value = opts.value ?? (bitDepth === 16 ? 1000 : 100);
  const format = opts.format ?? 'png';
  if (format === 'tiff') {
    const data = bitDepth === 16 ? new Uint16Array(w * h).fill(value) : new Uint8Array(w * h).fill(value);
    await writeFile(file, encodeTiff([{ width: w, height: h, samples: 1, data }]));
    return file;
  }
  if (bitDepth === 16) {
    if (format !== 'png') throw new Error('16-bit gray fixtures: use png or tiff');
    const data = new Uint16Array(w * h).fill(value);
    // A Uint16Array (not a Buffer) tells sharp the raw input is 16-bit.
    await sharp(data, { raw: { width: w, height: h, channels: 1 } })
      .toColourspace('grey16')
      .png()
      .toFile(file);
    return file;
  }
  // toColourspace('b-w') keeps one channel (sharp would otherwise write RGB).
  const s = sharp(Buffer.alloc(w * h, value), { raw: { width: w, height: h, channels: 1 } }).toColourspace('b-w');
  await (format === 'jpeg' ? s.jpeg({ quality: 100 }) : s.png()).toFile(file);
  return file;
}

/**
 * PNG with an alpha channel: RGBA by default, gray+alpha with `gray: true`. Every pixel has colour
 * `rgb` (or gray `rgb[0]`) and alpha `alpha` (255 = opaque). With `transparentPixel`, pixel (0, 0)
 * alone gets that alpha instead, so "any pixel transparent?" can be tested.
 */
export async function writeRgba(
  dir: string,
  name: string,
  w: number,
  h: number,
  opts: { rgb?: Rgb; alpha?: number; transparentPixel?: number; gray?: boolean } = {},
): Promise<string> {
  const file = join(dir, name);
  const rgb = opts.rgb ?? [200, 100, 50];
  const alpha = opts.alpha ?? 255;
  const ch = opts.gray ? 2 : 4;
  const b = Buffer.alloc(w * h * ch);
  for (let i = 0; i < w * h; i++) {
    if (opts.gray) {
      b[i * 2] = rgb[0];
    } else {
      b[i * 4] = rgb[0];
      b[i * 4 + 1] = rgb[1];
      b[i * 4 + 2] = rgb[2];
    }
    b[i * ch + ch - 1] = i === 0 && opts.transparentPixel !== undefined ? opts.transparentPixel : alpha;
  }
  const img = sharp(b, { raw: { width: w, height: h, channels: ch } });
  await (opts.gray ? img.toColourspace('b-w') : img).png().toFile(file);
  return file;
}

/**
 * JPEG (quality 100, 4:4:4) whose stored pixels are `stored` (w × h, row-major RGB triples) and
 * whose EXIF Orientation tag is `orientation` (1–8; 6 = display rotated 90° clockwise). Default:
 * 2 × 1 pixels, left red, right blue, orientation 6 → displayed as 1 × 2, red on top.
 * Use large blocks of colour (`scale`) if JPEG bleeding matters: each stored pixel becomes a
 * `scale × scale` block.
 */
export async function writeExifRotated(
  dir: string,
  name: string,
  opts: { orientation?: number; stored?: { w: number; h: number; rgb: readonly Rgb[] }; scale?: number } = {},
): Promise<string> {
  const file = join(dir, name);
  const stored = opts.stored ?? { w: 2, h: 1, rgb: [[255, 0, 0], [0, 0, 255]] as const };
  const s = opts.scale ?? 1;
  const w = stored.w * s;
  const h = stored.h * s;
  const b = Buffer.alloc(w * h * 3);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const c = stored.rgb[Math.floor(y / s) * stored.w + Math.floor(x / s)] ?? [0, 0, 0];
      b.set(c, (y * w + x) * 3);
    }
  }
  await sharp(b, { raw: { width: w, height: h, channels: 3 } })
    .withMetadata({ orientation: opts.orientation ?? 6 })
    .jpeg({ quality: 100, chromaSubsampling: '4:4:4' })
    .toFile(file);
  return file;
}

/**
 * A solid-colour JPEG whose SOS header has Se = 62 instead of 63, as some phone/camera firmware
 * writes. libjpeg only warns ("Invalid SOS parameters for sequential JPEG"); the pixels are intact.
 */
export async function writeJpegWithInvalidSos(
  dir: string,
  name: string,
  w = 32,
  h = 32,
  rgb: Rgb = [200, 100, 50],
): Promise<string> {
  const file = join(dir, name);
  const jpg = await sharp(solidRgb8(w, h, rgb), { raw: { width: w, height: h, channels: 3 } })
    .jpeg({ quality: 95, chromaSubsampling: '4:4:4' })
    .toBuffer();
  const sos = jpg.indexOf(Buffer.from([0xff, 0xda]));
  if (sos < 0) throw new Error('writeJpegWithInvalidSos: no SOS marker');
  const len = jpg.readUInt16BE(sos + 2);
  jpg[sos + 2 + len - 2] = 62; // Se (spectral selection end)
  await writeFile(file, jpg);
  return file;
}

// ---------------------------------------------------------------------------------------------
// Broken and hostile files
// ---------------------------------------------------------------------------------------------

/** A valid image (JPEG, PNG or TIFF, 64 × 48) cut to `fraction` of its bytes. */
export async function writeTruncated(
  dir: string,
  name: string,
  opts: { format?: 'jpeg' | 'png' | 'tiff'; fraction?: number } = {},
): Promise<string> {
  const file = join(dir, name);
  const format = opts.format ?? 'jpeg';
  const w = 64;
  const h = 48;
  let full: Buffer;
  if (format === 'tiff') {
    // Our encoder puts the IFD before the pixel data, so a cut loses pixels, not the header.
    full = encodeTiff([{ width: w, height: h, samples: 3, data: new Uint8Array(gradientRgb8(w, h)) }]);
  } else {
    const s = sharp(gradientRgb8(w, h), { raw: { width: w, height: h, channels: 3 } });
    full = await (format === 'jpeg' ? s.jpeg({ quality: 90 }) : s.png()).toBuffer();
  }
  await writeFile(file, full.subarray(0, Math.floor(full.length * (opts.fraction ?? 0.6))));
  return file;
}

/**
 * A JPEG (128 × 128 gradient) with 8 bytes in the middle of its compressed data overwritten by
 * 0xFF: libjpeg reports "Corrupt JPEG data: premature end of data segment".
 */
export async function writeCorruptJpeg(dir: string, name: string): Promise<string> {
  const file = join(dir, name);
  const w = 128;
  const jpg = await sharp(gradientRgb8(w, w), { raw: { width: w, height: w, channels: 3 } })
    .jpeg({ quality: 80 })
    .toBuffer();
  const mid = Math.floor(jpg.length / 2);
  jpg.fill(0xff, mid, mid + 8);
  await writeFile(file, jpg);
  return file;
}

/** An empty (0-byte) file. */
export async function writeZeroByte(dir: string, name = 'empty.tif'): Promise<string> {
  const file = join(dir, name);
  await writeFile(file, Buffer.alloc(0));
  return file;
}

/** A text file (or any given bytes) that is not an image. */
export async function writeNotAnImage(
  dir: string,
  name = 'notes.txt',
  content: string | Buffer = 'Sample 3, well B2: stained 20 min with ARS.\n',
): Promise<string> {
  const file = join(dir, name);
  await writeFile(file, content);
  return file;
}

/**
 * A "decompression bomb": a PNG signature + IHDR chunk claiming `w × h` (default 100 000²) 8-bit
 * RGB pixels, followed by a tiny IDAT and IEND. All CRCs are correct, so only the size is wrong.
 */
export async function writeBombPng(dir: string, name = 'bomb.png', w = 100_000, h = 100_000): Promise<string> {
  const file = join(dir, name);
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0);
  ihdr.writeUInt32BE(h, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // colour type: truecolour
  ihdr[10] = 0; // compression
  ihdr[11] = 0; // filter
  ihdr[12] = 0; // interlace
  // A minimal zlib stream (stored, empty) — the decoder must never get this far.
  const idat = Buffer.from([0x78, 0x01, 0x01, 0x00, 0x00, 0xff, 0xff, 0x00, 0x00, 0x00, 0x01]);
  const png = Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', ihdr),
    pngChunk('IDAT', idat),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
  await writeFile(file, png);
  return file;
}

/** One PNG chunk: length, type, data, CRC-32 over type + data. */
export function pngChunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length, 0);
  const td = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(td), 0);
  return Buffer.concat([len, td, crc]);
}

let crcTable: Uint32Array | null = null;
/** CRC-32 (IEEE 802.3, as used by PNG and zlib). */
export function crc32(buf: Uint8Array): number {
  if (!crcTable) {
    crcTable = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      crcTable[n] = c >>> 0;
    }
  }
  let c = 0xffffffff;
  for (let i = 0; i < buf.length; i++) c = crcTable[(c ^ buf[i]!) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

// ---------------------------------------------------------------------------------------------
// TIFF
// ---------------------------------------------------------------------------------------------

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
