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
 *
 * This module is the public API; the steps live next to it: options and size limit
 * (`decode-options.ts`), file and header reading with calibration (`decode-header.ts`), pixel
 * conversion (`decode-pixels.ts`), error classification (`decode-errors.ts`) and extensions and
 * format names (`image-formats.ts`).
 */
import { basename } from 'node:path';
import sharp from 'sharp';
import type { RgbImage } from '../pipeline/raster.js';
import type { PixelSizeSource } from './calibration.js';
import { classifySharpError, isDataDamage, sharpMessage, shortSharpMessage } from './decode-errors.js';
import { bitDepthOf, calibrationFor, isSingleChannelSpace, openImageFile, readMetadata } from './decode-header.js';
import { checkSize, validateOptions, type DecodeOptions } from './decode-options.js';
import { asUint16, toRgb } from './decode-pixels.js';
import { extensionWarning } from './image-formats.js';

export type { PixelSizeSource } from './calibration.js';
export { classifySharpError, sniffFormat } from './decode-errors.js';
export { DEFAULT_MAX_PIXELS, type DecodeOptions } from './decode-options.js';
export { IMAGE_EXTENSIONS, isImagePath } from './image-formats.js';

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
    if (meta.format === 'jpeg' && meta.chromaSubsampling && meta.chromaSubsampling !== '4:4:4') {
      warnings.push(
        `“${name}” is a JPEG with ${meta.chromaSubsampling} chroma subsampling: its colours are stored at reduced resolution, ` +
          'so very thin stained deposits (1–3 pixels wide) are under-counted. Save TIFF, PNG or JPEG 4:4:4 if your camera software allows.',
      );
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
    // not awaited: nothing waits for the close, and awaiting it cost up to 8 ms when the thread pool
    // or a garbage collection was busy at that moment
    void file.handle.close().catch(() => undefined);
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
