/**
 * Reduced copies of images for live previews, kept per worker for the image being tuned (a slider
 * drag asks for the same image many times in a row).
 */
import { stat } from 'node:fs/promises';
import { decodeImage, type DecodedImage } from '../io/decode.js';
import { lowResRgb } from '../pipeline/illumination.js';
import type { RgbImage } from '../pipeline/raster.js';
import { createAnalysisMemo, type AnalysisMemo } from '../pipeline/analyze.js';

export interface ScaledImage {
  /** The (possibly reduced) image to analyse, 16-bit so no precision is lost in the averaging. */
  readonly image: RgbImage;
  readonly full: Pick<DecodedImage, 'width' | 'height' | 'pixelSizeUm' | 'pixelSizeSource' | 'warnings' | 'isSingleChannel'>;
  /** Full-resolution pixels per analysed pixel (area ratio). */
  readonly areaScale: number;
  /** Stages of earlier previews of this copy (threshold drags reuse them). */
  readonly memo?: AnalysisMemo;
}

/** Block-mean reduction to a 16-bit RgbImage whose longer side is ≤ maxSidePx. */
export function reduceImage(img: RgbImage, maxSidePx: number): { image: RgbImage; areaScale: number } {
  if (Math.max(img.width, img.height) <= maxSidePx) return { image: img, areaScale: 1 };
  const lr = lowResRgb(img, maxSidePx);
  const data = new Uint16Array(lr.rgb.data.length);
  for (let i = 0; i < data.length; i++) data[i] = Math.round(Math.min(1, Math.max(0, lr.rgb.data[i]!)) * 65535);
  const image: RgbImage = { width: lr.rgb.width, height: lr.rgb.height, data, bitDepth: 16 };
  return { image, areaScale: (img.width * img.height) / (image.width * image.height) };
}

let cached: { key: string; value: ScaledImage } | null = null;

export async function previewImage(filePath: string, maxSidePx: number, o: { page?: number; pixelSizeUm?: number }): Promise<ScaledImage> {
  const s = await stat(filePath);
  const key = JSON.stringify([filePath, s.mtimeMs, s.size, maxSidePx, o.page ?? 0, o.pixelSizeUm ?? null]);
  if (cached?.key === key) return cached.value;
  const img = await decodeImage(filePath, o);
  const { image, areaScale } = reduceImage(img, maxSidePx);
  const value: ScaledImage = {
    memo: createAnalysisMemo(),
    image,
    full: { width: img.width, height: img.height, pixelSizeUm: img.pixelSizeUm, pixelSizeSource: img.pixelSizeSource, warnings: img.warnings, isSingleChannel: img.isSingleChannel },
    areaScale,
  };
  cached = { key, value };
  return value;
}
