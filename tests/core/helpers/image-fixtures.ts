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
import { encodeTiff } from './tiff-fixtures.js';

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

export * from './tiff-fixtures.js';
