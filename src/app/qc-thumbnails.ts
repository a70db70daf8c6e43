/** Thumbnails for the QC contact sheet: the original image and the same with its overlay drawn on. */
import sharp from 'sharp';
import type { QcThumbnails } from '../export/qc-sheet.js';
import { DEFAULT_MAX_PIXELS } from '../io/decode.js';

export const QC_THUMB_SIDE_PX = 360;

/** JPEG thumbnails of an image file and of it with an overlay PNG (RGBA, any size) composited on top. */
export async function qcThumbnails(imagePath: string, overlayPng: Uint8Array | null): Promise<QcThumbnails> {
  try {
    const base = await sharp(imagePath, { limitInputPixels: DEFAULT_MAX_PIXELS })
      .rotate()
      .toColourspace('srgb')
      .resize(QC_THUMB_SIDE_PX, QC_THUMB_SIDE_PX, { fit: 'inside', withoutEnlargement: true })
      .removeAlpha()
      .raw()
      .toBuffer({ resolveWithObject: true });
    const raw = { raw: { width: base.info.width, height: base.info.height, channels: 3 as const } };
    const original = await sharp(base.data, raw).jpeg({ quality: 80 }).toBuffer();
    if (!overlayPng) return { original, overlay: null };
    const layer = await sharp(overlayPng).resize(base.info.width, base.info.height, { fit: 'fill' }).png().toBuffer();
    const overlay = await sharp(base.data, raw).composite([{ input: layer }]).jpeg({ quality: 80 }).toBuffer();
    return { original, overlay };
  } catch {
    return { original: null, overlay: null };
  }
}
