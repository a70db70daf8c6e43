/**
 * Options of decodeImage / readImageInfo, their validation, and the pixel-count limit that stops
 * decompression bombs before any pixel is decoded.
 */
import { AppError } from '../common/errors.js';

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

/** Options after validation, with defaults applied. */
export interface ValidOptions {
  page: number;
  maxPixels: number;
}

/** Checks `opts` and applies the defaults. Throws INPUT_INVALID naming the file. */
export function validateOptions(name: string, opts: DecodeOptions): ValidOptions {
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

/** Throws IMAGE_TOO_LARGE when width × height exceeds `maxPixels`. */
export function checkSize(name: string, width: number, height: number, maxPixels: number): void {
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
