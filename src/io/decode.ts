/**
 * Image decoding with sharp: file → interleaved RGB pixels (8 or 16 bit) + calibration + remarks.
 *
 * - Decodes by content, not extension (a wrong extension only adds a warning).
 * - JPEG, PNG, TIFF (8/16 bit per channel, multi-page, classic and BigTIFF), WebP.
 * - Gray → 3 equal channels (`isSingleChannel`); alpha → flattened onto white; CMYK → sRGB;
 *   EXIF orientation applied. 16-bit input stays 16-bit (values are never rounded to 8 bits).
 * - Size guard before decoding (header width × height vs `maxPixels`) and in sharp
 *   (`limitInputPixels`), so decompression bombs fail fast with IMAGE_TOO_LARGE.
 * - Every failure is an AppError whose userMessage names the file and says what to do; sharp's
 *   own message goes to `detail`.
 */
import { open, type FileHandle } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import sharp from 'sharp';
import { AppError } from '../common/errors.js';
import type { RgbImage } from '../pipeline/raster.js';
import {
  resolveCalibration,
  tiffTagReader,
  type ByteRangeRequest,
  type PixelSizeSource,
  type TiffTags,
} from './calibration.js';

export type { PixelSizeSource } from './calibration.js';

/** sharp's default `limitInputPixels` (0x3FFF²). */
export const DEFAULT_MAX_PIXELS = 268_402_689;

export interface DecodeOptions {
  /** Zero-based page (IFD) of a multi-page TIFF; default 0. Messages count pages from 1. */
  page?: number;
  /** User-supplied pixel size in µm; overrides any calibration found in the file. */
  pixelSizeUm?: number;
  /** Refuse images with more pixels than this (width × height); default {@link DEFAULT_MAX_PIXELS}. */
  maxPixels?: number;
}

export interface DecodedImage extends RgbImage {
  /** Container format as sharp reports it: 'jpeg' | 'png' | 'tiff' | 'webp' | … */
  readonly format: string;
  /** Number of pages in the file (1 for single-image formats). */
  readonly pageCount: number;
  /** Zero-based page that was decoded. */
  readonly page: number;
  /** Channels stored in the file: 1 gray, 2 gray+alpha, 3 RGB, 4 RGBA or CMYK. */
  readonly sourceChannels: number;
  /** Colour space of the file as sharp names it: 'srgb', 'b-w', 'cmyk', 'rgb16', 'grey16', … */
  readonly sourceColorSpace: string;
  /** The file had a single colour channel (gray / fluorescence); the RGB channels are equal. */
  readonly isSingleChannel: boolean;
  readonly pixelSizeUm: number | null;
  readonly pixelSizeSource: PixelSizeSource;
  /** User-facing remarks (alpha flattened, gray expanded, extension mismatch, page used, …). */
  readonly warnings: readonly string[];
}

export interface ImageInfo {
  /** Width and height as displayed, i.e. after EXIF orientation (same as the decoded image). */
  width: number;
  height: number;
  format: string;
  pageCount: number;
  pixelSizeUm: number | null;
  pixelSizeSource: PixelSizeSource;
  sourceChannels: number;
  bitDepth: 8 | 16;
}

/** File extensions (lower case, with dot) of the formats decodeImage reads. */
export const IMAGE_EXTENSIONS: readonly string[] = ['.jpg', '.jpeg', '.png', '.tif', '.tiff', '.webp'];

/** True if the path ends in one of {@link IMAGE_EXTENSIONS} (case-insensitive). */
export function isImagePath(p: string): boolean {
  return IMAGE_EXTENSIONS.includes(extname(p).toLowerCase());
}

/** Formats sharp may report for a file with this extension. */
const FORMATS_BY_EXTENSION: Record<string, readonly string[]> = {
  '.jpg': ['jpeg'],
  '.jpeg': ['jpeg'],
  '.jpe': ['jpeg'],
  '.jfif': ['jpeg'],
  '.png': ['png'],
  '.tif': ['tiff'],
  '.tiff': ['tiff'],
  '.webp': ['webp'],
  '.gif': ['gif'],
  '.avif': ['heif'],
};

const FORMAT_LABEL: Record<string, string> = {
  jpeg: 'JPEG',
  png: 'PNG',
  tiff: 'TIFF',
  webp: 'WebP',
  gif: 'GIF',
  heif: 'AVIF/HEIF',
  svg: 'SVG',
};

/** Bytes read from the start of the file to recognise its type (DICOM needs 132). */
const SNIFF_BYTES = 512;

// ---------------------------------------------------------------------------------------------
// Public API
// ---------------------------------------------------------------------------------------------

/** Decodes one image to interleaved RGB. Throws AppError only. */
export async function decodeImage(filePath: string, opts: DecodeOptions = {}): Promise<DecodedImage> {
  const name = basename(filePath);
  const o = validateOptions(name, opts);
  const file = await openImageFile(filePath, name);
  try {
    const meta = await readMetadata(filePath, name, file.head, o.page);
    checkSize(name, meta.width, meta.height, o.maxPixels);
    const bitDepth = bitDepthOf(name, meta.depth);
    const warnings: string[] = [];

    const single = isSingleChannelSpace(meta.space, meta.channels);
    // 16-bit: keep 16 bits ('rgb16' / 'grey16'; sharp's default output would be 8-bit sRGB).
    // 8-bit gray: 'srgb' replicates the gray band exactly and keeps alpha ('b-w' would drop it).
    const target = bitDepth === 16 ? (single ? 'grey16' : 'rgb16') : 'srgb';
    const run = (failOn: 'warning' | 'error') =>
      sharp(filePath, { failOn, limitInputPixels: o.maxPixels, page: o.page })
        .autoOrient()
        .toColourspace(target)
        .raw({ depth: bitDepth === 16 ? 'ushort' : 'uchar' })
        .toBuffer({ resolveWithObject: true });

    let out: Awaited<ReturnType<typeof run>>;
    try {
      out = await run('warning');
    } catch (strictError) {
      // failOn 'warning' (sharp's advice for untrusted input) also rejects files whose decoder only
      // warned about a harmless format slip, e.g. "Invalid SOS parameters for sequential JPEG" from
      // some camera firmware. Those are decoded again at 'error' level, with a remark. Damaged or
      // truncated pixel data is never retried: measuring half-decoded pixels would be wrong.
      const first = classifySharpError(strictError, name, file.head);
      if (first.code !== 'IMAGE_UNREADABLE' || isDataDamage(sharpMessage(strictError))) throw first;
      try {
        out = await run('error');
      } catch (e) {
        throw classifySharpError(e, name, file.head);
      }
      warnings.push(
        `“${name}” has a minor format defect (${shortSharpMessage(strictError)}); it was decoded anyway. ` +
          'Check that the image looks right, and re-export it from the original software if it does not.',
      );
    }

    const { info, data: buf } = out;
    const max = bitDepth === 16 ? 65535 : 255;
    const values = bitDepth === 16 ? asUint16(buf) : new Uint8Array(buf.buffer, buf.byteOffset, buf.length);
    const rgb = toRgb(values, info.width * info.height, info.channels, max);
    if (rgb.hadTransparency) {
      warnings.push(`Transparent areas of “${name}” were filled with white.`);
    }

    if (single) {
      warnings.push(
        `“${name}” is a single-channel (grayscale) image. It is shown as gray, and stains cannot be told ` +
          'apart by colour. Use an RGB brightfield image for colour-based stain measurements.',
      );
    }
    if (meta.space === 'cmyk') {
      warnings.push(`“${name}” is stored in CMYK (print colours); it was converted to RGB, so colours may differ slightly.`);
    }
    const extWarning = extensionWarning(name, meta.format);
    if (extWarning) warnings.push(extWarning);
    if (meta.pageCount > 1) {
      warnings.push(
        `“${name}” has ${meta.pageCount} pages; page ${o.page + 1} of ${meta.pageCount} was used.` +
          (opts.page === undefined ? ' Choose another page if that is not the image to analyse.' : ''),
      );
    }

    const cal = await calibrationFor(file.handle, meta.format, o.page, opts.pixelSizeUm);
    warnings.push(...cal.warnings);

    return {
      width: info.width,
      height: info.height,
      data: rgb.data,
      bitDepth,
      format: meta.format,
      pageCount: meta.pageCount,
      page: o.page,
      sourceChannels: meta.channels,
      sourceColorSpace: meta.space,
      isSingleChannel: single,
      pixelSizeUm: cal.pixelSizeUm,
      pixelSizeSource: cal.source,
      warnings,
    };
  } finally {
    await file.handle.close().catch(() => undefined);
  }
}

/**
 * Reads the header only (no pixel decoding): size as displayed, format, pages, channels, bit depth
 * and calibration. Does not enforce `maxPixels` — it reports the size so callers can decide.
 */
export async function readImageInfo(filePath: string, opts: DecodeOptions = {}): Promise<ImageInfo> {
  const name = basename(filePath);
  const o = validateOptions(name, opts);
  const file = await openImageFile(filePath, name);
  try {
    const meta = await readMetadata(filePath, name, file.head, o.page);
    const bitDepth = bitDepthOf(name, meta.depth);
    const cal = await calibrationFor(file.handle, meta.format, o.page, opts.pixelSizeUm);
    return {
      width: meta.displayWidth,
      height: meta.displayHeight,
      format: meta.format,
      pageCount: meta.pageCount,
      pixelSizeUm: cal.pixelSizeUm,
      pixelSizeSource: cal.source,
      sourceChannels: meta.channels,
      bitDepth,
    };
  } finally {
    await file.handle.close().catch(() => undefined);
  }
}

// ---------------------------------------------------------------------------------------------
// Steps
// ---------------------------------------------------------------------------------------------

interface ValidOptions {
  page: number;
  maxPixels: number;
}

function validateOptions(name: string, opts: DecodeOptions): ValidOptions {
  const page = opts.page ?? 0;
  if (!Number.isInteger(page) || page < 0) {
    throw new AppError('INPUT_INVALID', `Page ${String(opts.page)} of “${name}” is not valid. Pages are counted 1, 2, 3, …`, {
      detail: `page option must be a non-negative integer, got ${String(opts.page)}`,
    });
  }
  const maxPixels = opts.maxPixels ?? DEFAULT_MAX_PIXELS;
  if (!Number.isInteger(maxPixels) || maxPixels < 1) {
    throw new AppError('INPUT_INVALID', `The pixel limit for “${name}” must be a positive whole number.`, {
      detail: `maxPixels must be a positive integer, got ${String(opts.maxPixels)}`,
    });
  }
  const px = opts.pixelSizeUm;
  if (px !== undefined && !(typeof px === 'number' && Number.isFinite(px) && px > 0)) {
    throw new AppError(
      'INPUT_INVALID',
      `The pixel size given for “${name}” (${String(px)}) is not valid. Enter a positive number of µm per pixel.`,
      { detail: `pixelSizeUm must be a positive finite number, got ${String(px)}` },
    );
  }
  return { page, maxPixels };
}

interface OpenedFile {
  handle: FileHandle;
  head: Uint8Array;
}

/** Opens the file for reading (permission check), rejects folders and empty files, reads the head. */
async function openImageFile(filePath: string, name: string): Promise<OpenedFile> {
  let handle: FileHandle;
  try {
    handle = await open(filePath, 'r');
  } catch (e) {
    throw fileSystemError(e, name);
  }
  try {
    const st = await handle.stat();
    if (st.isDirectory()) {
      throw new AppError('INPUT_INVALID', `“${name}” is a folder, not an image file. Choose the image files inside it.`, {
        detail: `${filePath} is a directory`,
      });
    }
    if (!st.isFile()) {
      throw new AppError('INPUT_INVALID', `“${name}” is not a regular file. Choose an image file (JPEG, PNG or TIFF).`, {
        detail: `${filePath} is not a regular file`,
      });
    }
    if (st.size === 0) {
      throw new AppError(
        'IMAGE_UNREADABLE',
        `“${name}” is empty (0 bytes). Re-export the image from the microscope software.`,
        { detail: `${filePath} has size 0` },
      );
    }
    const head = new Uint8Array(Math.min(SNIFF_BYTES, st.size));
    const { bytesRead } = await handle.read(head, 0, head.length, 0);
    return { handle, head: head.subarray(0, bytesRead) };
  } catch (e) {
    await handle.close().catch(() => undefined);
    throw e instanceof AppError ? e : fileSystemError(e, name);
  }
}

function fileSystemError(e: unknown, name: string): AppError {
  const code = (e as { code?: unknown } | null)?.code;
  const detail = e instanceof Error ? e.message : String(e);
  switch (code) {
    case 'ENOENT':
      return new AppError(
        'IMAGE_UNREADABLE',
        `“${name}” was not found. Check that the file still exists and was not moved or renamed.`,
        { detail, cause: e },
      );
    case 'EACCES':
    case 'EPERM':
      return new AppError(
        'IMAGE_UNREADABLE',
        `“${name}” cannot be read: permission denied. Ask the owner for read access, or copy the image to a folder of your own.`,
        { detail, cause: e },
      );
    case 'EISDIR':
      return new AppError('INPUT_INVALID', `“${name}” is a folder, not an image file. Choose the image files inside it.`, {
        detail,
        cause: e,
      });
    case 'ENAMETOOLONG':
      return new AppError('INPUT_INVALID', `The path of “${name}” is too long. Move the image to a shorter folder path.`, {
        detail,
        cause: e,
      });
    default:
      return new AppError(
        'IMAGE_UNREADABLE',
        `“${name}” could not be read (${typeof code === 'string' ? code : 'read error'}). ` +
          'Check the drive or network share and try again, or copy the image to a local folder.',
        { detail, cause: e },
      );
  }
}

type SharpMetadata = Awaited<ReturnType<ReturnType<typeof sharp>['metadata']>>;

interface Meta {
  format: string;
  width: number;
  height: number;
  displayWidth: number;
  displayHeight: number;
  channels: number;
  space: string;
  depth: string;
  pageCount: number;
}

/** Header metadata of page `page` (no pixel decoding, no pixel limit: the caller checks size). */
async function readMetadata(filePath: string, name: string, head: Uint8Array, page: number): Promise<Meta> {
  const read = async (p: number | undefined): Promise<SharpMetadata> => {
    try {
      return await sharp(filePath, { limitInputPixels: false, ...(p !== undefined ? { page: p } : {}) }).metadata();
    } catch (e) {
      throw classifySharpError(e, name, head);
    }
  };
  let m = await read(undefined);
  const pageCount = typeof m.pages === 'number' && m.pages > 0 ? m.pages : 1;
  if (page >= pageCount) {
    throw new AppError(
      'INPUT_INVALID',
      pageCount === 1
        ? `“${name}” has only one page; page ${page + 1} does not exist. Use page 1.`
        : `“${name}” has ${pageCount} pages; page ${page + 1} does not exist. Choose a page from 1 to ${pageCount}.`,
      { detail: `page index ${page} requested, file has ${pageCount} page(s)` },
    );
  }
  if (page > 0) m = await read(page);
  if (!(m.width > 0 && m.height > 0)) {
    throw new AppError('IMAGE_UNREADABLE', `“${name}” has no valid image size. Re-save it as TIFF or PNG.`, {
      detail: `metadata width=${String(m.width)} height=${String(m.height)}`,
    });
  }
  const swap = typeof m.orientation === 'number' && m.orientation >= 5 && m.orientation <= 8;
  return {
    format: m.format,
    width: m.width,
    height: m.height,
    displayWidth: m.autoOrient?.width ?? (swap ? m.height : m.width),
    displayHeight: m.autoOrient?.height ?? (swap ? m.width : m.height),
    channels: m.channels,
    space: m.space,
    depth: m.depth,
    pageCount,
  };
}

function checkSize(name: string, width: number, height: number, maxPixels: number): void {
  const px = width * height;
  if (px > maxPixels) {
    const mp = (n: number): string => `${Number((n / 1e6).toPrecision(3))} megapixels`;
    throw new AppError(
      'IMAGE_TOO_LARGE',
      `“${name}” is too large to open: ${width} × ${height} pixels (${mp(px)}), the limit is ${mp(maxPixels)}. ` +
        'Export a smaller image or a region of it, or split it into tiles.',
      { detail: `width*height=${px} > maxPixels=${maxPixels}` },
    );
  }
}

function bitDepthOf(name: string, depth: string): 8 | 16 {
  if (depth === 'uchar') return 8;
  if (depth === 'ushort') return 16;
  const what: Record<string, string> = {
    char: 'signed 8-bit',
    short: 'signed 16-bit',
    uint: '32-bit integer',
    int: 'signed 32-bit integer',
    float: '32-bit floating-point',
    double: '64-bit floating-point',
    complex: 'complex-valued',
    dpcomplex: 'complex-valued',
  };
  throw new AppError(
    'IMAGE_UNSUPPORTED',
    `“${name}” has ${what[depth] ?? depth} pixel values, which Calciquant cannot measure. ` +
      'Export it as an 8-bit or 16-bit TIFF (in Fiji: Image › Type › 16-bit or RGB Color).',
    { detail: `sharp depth '${depth}'` },
  );
}

function isSingleChannelSpace(space: string, channels: number): boolean {
  return space === 'b-w' || space === 'grey16' || channels <= 2;
}

/** View of a 16-bit raw buffer (native byte order, as sharp writes it); copies if misaligned. */
function asUint16(buf: Buffer): Uint16Array {
  if (buf.byteOffset % 2 === 0) return new Uint16Array(buf.buffer, buf.byteOffset, buf.length >> 1);
  const copy = new Uint8Array(buf.length);
  copy.set(buf);
  return new Uint16Array(copy.buffer, 0, buf.length >> 1);
}

/**
 * Converts 1–4 interleaved channels to RGB: gray is copied to R, G and B; a last alpha channel
 * (2 or 4 channels) is composited onto white: c' = (c·a + max·(max − a)) / max, rounded.
 */
function toRgb<T extends Uint8Array | Uint16Array>(
  src: T,
  n: number,
  channels: number,
  max: number,
): { data: Uint8Array | Uint16Array; hadTransparency: boolean } {
  if (channels === 3) return { data: src, hadTransparency: false };
  const out = src instanceof Uint16Array ? new Uint16Array(n * 3) : new Uint8Array(n * 3);
  let hadTransparency = false;
  if (channels === 1) {
    for (let i = 0, j = 0; i < n; i++, j += 3) {
      const v = src[i]!;
      out[j] = v;
      out[j + 1] = v;
      out[j + 2] = v;
    }
  } else if (channels === 2) {
    for (let i = 0, j = 0, s = 0; i < n; i++, j += 3, s += 2) {
      const a = src[s + 1]!;
      let v = src[s]!;
      if (a < max) {
        hadTransparency = true;
        v = Math.round((v * a + max * (max - a)) / max);
      }
      out[j] = v;
      out[j + 1] = v;
      out[j + 2] = v;
    }
  } else if (channels === 4) {
    for (let i = 0, j = 0, s = 0; i < n; i++, j += 3, s += 4) {
      const a = src[s + 3]!;
      if (a < max) {
        hadTransparency = true;
        const w = max * (max - a);
        out[j] = Math.round((src[s]! * a + w) / max);
        out[j + 1] = Math.round((src[s + 1]! * a + w) / max);
        out[j + 2] = Math.round((src[s + 2]! * a + w) / max);
      } else {
        out[j] = src[s]!;
        out[j + 1] = src[s + 1]!;
        out[j + 2] = src[s + 2]!;
      }
    }
  } else {
    // More channels than RGBA: keep the first three (toColourspace normally prevents this).
    for (let i = 0, j = 0, s = 0; i < n; i++, j += 3, s += channels) {
      out[j] = src[s]!;
      out[j + 1] = src[s + 1]!;
      out[j + 2] = src[s + 2]!;
    }
  }
  return { data: out, hadTransparency };
}

function extensionWarning(name: string, format: string): string | null {
  const ext = extname(name).toLowerCase();
  const label = FORMAT_LABEL[format] ?? format.toUpperCase();
  const expected = FORMATS_BY_EXTENSION[ext];
  if (expected?.includes(format)) return null;
  if (!expected) {
    return (
      `“${name}” ${ext ? `has the unusual extension “${ext}”` : 'has no file extension'} but is a ${label} image; ` +
      `it was read as ${label}. Rename it to end in .${extensionFor(format)} to avoid confusion.`
    );
  }
  return (
    `“${name}” is named like a ${FORMAT_LABEL[expected[0]!] ?? expected[0]!} file but is actually a ${label} image; ` +
    `it was read as ${label}. Rename it to end in .${extensionFor(format)} to avoid confusion.`
  );
}

function extensionFor(format: string): string {
  return format === 'jpeg' ? 'jpg' : format === 'tiff' ? 'tif' : format === 'heif' ? 'avif' : format;
}

// ---------------------------------------------------------------------------------------------
// Calibration
// ---------------------------------------------------------------------------------------------

/** Reads at most this many bytes per request from the file (matches the description cap). */
const MAX_READ_BYTES = 4 * 1024 * 1024;

async function calibrationFor(
  handle: FileHandle,
  format: string,
  page: number,
  userPixelSizeUm: number | undefined,
): Promise<ReturnType<typeof resolveCalibration>> {
  if (userPixelSizeUm !== undefined || format !== 'tiff') {
    return resolveCalibration({ userPixelSizeUm: userPixelSizeUm ?? null });
  }
  const pageTags = await readTiffTagsFromFile(handle, page);
  // ImageJ and OME-TIFF keep the description (and often the resolution) in the first page only.
  const firstTags = page > 0 ? await readTiffTagsFromFile(handle, 0) : pageTags;
  const hasOwnRes = pageTags?.xResolution != null;
  const resFrom = hasOwnRes ? pageTags : firstTags;
  return resolveCalibration({
    imageDescription: firstTags?.imageDescription ?? pageTags?.imageDescription ?? null,
    xResolution: resFrom?.xResolution ?? null,
    yResolution: resFrom?.yResolution ?? null,
    resolutionUnit: resFrom?.resolutionUnit ?? null,
  });
}

/**
 * Drives {@link tiffTagReader} over an open file: reads only the requested byte ranges (header,
 * IFD chain, four tag values), each capped at 4 MB. Returns null on any I/O problem.
 */
async function readTiffTagsFromFile(handle: FileHandle, page: number): Promise<TiffTags | null> {
  try {
    const gen = tiffTagReader(page);
    let step = gen.next();
    while (!step.done) {
      step = gen.next(await readRange(handle, step.value));
    }
    return step.value;
  } catch {
    return null;
  }
}

async function readRange(handle: FileHandle, r: ByteRangeRequest): Promise<Uint8Array | null> {
  const length = Math.min(r.length, MAX_READ_BYTES);
  if (!Number.isSafeInteger(r.offset) || r.offset < 0 || length <= 0) return null;
  const buf = new Uint8Array(length);
  const { bytesRead } = await handle.read(buf, 0, length, r.offset);
  return bytesRead > 0 ? buf.subarray(0, bytesRead) : null;
}

// ---------------------------------------------------------------------------------------------
// sharp errors → AppError
// ---------------------------------------------------------------------------------------------

/** sharp messages that mean the pixel data itself is damaged or cut short. */
function isDataDamage(msg: string): boolean {
  return /premature end|unexpected end|truncat|corrupt|read error|got \d+ bytes|not enough|damaged|crc/i.test(msg);
}

function sharpMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** sharp's message on one line, without the decoder prefix, for user-facing remarks. */
function shortSharpMessage(e: unknown): string {
  const line = sharpMessage(e).split('\n')[0] ?? '';
  return line.replace(/^(VipsJpeg|vipspng|tiff2vips|VipsForeignLoad\w*|webp2vips):\s*/i, '').trim() || 'decoder warning';
}

type Sniffed =
  | { kind: 'image'; format: string }
  | { kind: 'foreign'; what: string; advice: string }
  | { kind: 'text' }
  | { kind: 'unknown' };

/** Recognises the file type from its first bytes. */
export function sniffFormat(h: Uint8Array): Sniffed {
  const at = (o: number, bytes: readonly number[]): boolean => bytes.every((b, i) => h[o + i] === b);
  const ascii = (o: number, s: string): boolean => at(o, [...s].map((c) => c.charCodeAt(0)));
  if (at(0, [0xff, 0xd8, 0xff])) return { kind: 'image', format: 'jpeg' };
  if (at(0, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return { kind: 'image', format: 'png' };
  if (at(0, [0x49, 0x49, 0x2a, 0x00]) || at(0, [0x4d, 0x4d, 0x00, 0x2a]) || at(0, [0x49, 0x49, 0x2b, 0x00]) || at(0, [0x4d, 0x4d, 0x00, 0x2b]))
    return { kind: 'image', format: 'tiff' };
  if (ascii(0, 'RIFF') && ascii(8, 'WEBP')) return { kind: 'image', format: 'webp' };
  if (ascii(0, 'GIF87a') || ascii(0, 'GIF89a')) return { kind: 'image', format: 'gif' };
  const tiffAdvice = 'Re-save it as TIFF or PNG (for example in Fiji: File › Save As › Tiff).';
  if (ascii(0, 'ZISRAWFILE'))
    return { kind: 'foreign', what: 'a Zeiss CZI file', advice: 'Export it as TIFF from ZEN, or open it in Fiji and save it as TIFF.' };
  if (at(0, [0xda, 0xce, 0xbe, 0x0a]))
    return { kind: 'foreign', what: 'a Nikon ND2 file', advice: 'Export it as TIFF from NIS-Elements, or open it in Fiji and save it as TIFF.' };
  if (at(0, [0x70, 0x00, 0x00, 0x00]) && h[8] === 0x2a)
    return { kind: 'foreign', what: 'a Leica LIF file', advice: 'Export the images as TIFF from LAS X, or open it in Fiji and save it as TIFF.' };
  if (ascii(0, 'BM')) return { kind: 'foreign', what: 'a BMP image', advice: tiffAdvice };
  if (at(0, [0x00, 0x00, 0x00, 0x0c, 0x6a, 0x50, 0x20, 0x20]) || at(0, [0xff, 0x4f, 0xff, 0x51]))
    return { kind: 'foreign', what: 'a JPEG 2000 image', advice: tiffAdvice };
  if (ascii(4, 'ftyp')) return { kind: 'foreign', what: 'a HEIC/AVIF or video file', advice: tiffAdvice };
  if (ascii(0, '%PDF')) return { kind: 'foreign', what: 'a PDF document', advice: 'Export the image itself as TIFF or PNG.' };
  if (at(0, [0x50, 0x4b, 0x03, 0x04]))
    return { kind: 'foreign', what: 'a ZIP archive (or Office document)', advice: 'Unpack it and choose the image files inside.' };
  if (ascii(128, 'DICM')) return { kind: 'foreign', what: 'a DICOM file', advice: tiffAdvice };
  if (h.length > 0 && looksLikeText(h)) return { kind: 'text' };
  return { kind: 'unknown' };
}

function looksLikeText(h: Uint8Array): boolean {
  let bad = 0;
  for (const b of h) {
    if (b === 0) return false;
    if (b < 0x09 || (b > 0x0d && b < 0x20) || b === 0x7f) bad++;
  }
  return bad <= h.length * 0.02;
}

/** Converts an error thrown by sharp into an AppError. Never returns a non-AppError. */
export function classifySharpError(e: unknown, name: string, head: Uint8Array): AppError {
  if (e instanceof AppError) return e;
  const msg = sharpMessage(e);
  const detail = `sharp: ${msg}`;
  const sniffed = sniffFormat(head);
  if (/exceeds pixel limit/i.test(msg)) {
    return new AppError(
      'IMAGE_TOO_LARGE',
      `“${name}” is too large to open (more pixels than the limit). Export a smaller image or a region of it, or split it into tiles.`,
      { detail, cause: e },
    );
  }
  if (/channels? (?:exceeds|limit)|exceeds channel limit/i.test(msg)) {
    return new AppError(
      'IMAGE_UNSUPPORTED',
      `“${name}” has more colour channels than Calciquant can use. Export it as an RGB or grayscale TIFF.`,
      { detail, cause: e },
    );
  }
  if (/out of memory|not enough memory|memory allocation|cannot allocate/i.test(msg)) {
    return new AppError(
      'IMAGE_TOO_LARGE',
      `“${name}” is too large to decode with the memory available. Export a smaller image or a region of it.`,
      { detail, cause: e },
    );
  }
  if (/unsupported image format/i.test(msg)) {
    if (sniffed.kind === 'image') {
      return corruptError(name, `the ${FORMAT_LABEL[sniffed.format] ?? sniffed.format} header or directory is damaged`, detail, e);
    }
    if (sniffed.kind === 'foreign') {
      return new AppError('IMAGE_UNSUPPORTED', `“${name}” is ${sniffed.what}, which Calciquant cannot read. ${sniffed.advice}`, {
        detail,
        cause: e,
      });
    }
    const looks = sniffed.kind === 'text' ? 'it looks like a text file' : 'its content is not a known image format';
    return new AppError('IMAGE_UNSUPPORTED', `“${name}” is not an image Calciquant can read (${looks}). Use JPEG, PNG or TIFF.`, {
      detail,
      cause: e,
    });
  }
  if (/premature end|unexpected end|truncat|end of (?:file|stream|data)|not enough (?:image )?data|got \d+ bytes, expected/i.test(msg)) {
    return corruptError(name, 'the image data ends too early', detail, e);
  }
  if (/read error|corrupt|invalid|bad |crc|error|damaged/i.test(msg)) {
    return corruptError(name, 'part of the image data could not be decoded', detail, e);
  }
  return new AppError('IMAGE_UNREADABLE', `“${name}” could not be decoded (${shortSharpMessage(e)}). Re-save it as TIFF or PNG.`, {
    detail,
    cause: e,
  });
}

function corruptError(name: string, why: string, detail: string, cause: unknown): AppError {
  return new AppError(
    'IMAGE_UNREADABLE',
    `“${name}” is truncated or corrupt: ${why}. Re-copy it from the original source, or re-save it as TIFF or PNG.`,
    { detail, cause },
  );
}
