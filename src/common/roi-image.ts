/**
 * Fitting imported or copied regions to an image. Isomorphic.
 */
import { AppError } from './errors.js';
import type { Roi } from './roi.js';
import { clipToImage, geometryAreaPx } from './roi-geometry.js';

export interface ImageSizePx {
  readonly widthPx: number;
  readonly heightPx: number;
}

/**
 * Each region clipped to the image [0, widthPx] × [0, heightPx]. A region lying entirely outside
 * is refused with ROI_INVALID naming `source` and the region: it was most likely drawn on another
 * image or on a reduced copy.
 */
export function clipRoisToImage(rois: readonly Roi[], size: ImageSizePx, source: string): Roi[] {
  return rois.map((roi, i) => {
    const geometry = clipToImage(roi.geometry, size.widthPx, size.heightPx);
    if (geometry.length === 0 || !(geometryAreaPx(geometry) > 0)) {
      const who = `region ${i + 1}${roi.label ? ` (“${roi.label}”)` : ''}`;
      throw new AppError(
        'ROI_INVALID',
        `In “${source}”, ${who} lies entirely outside the ${size.widthPx} × ${size.heightPx} pixel image. Was it drawn on another image or on a reduced copy? Use regions made at the image's full resolution.`,
      );
    }
    return geometry === roi.geometry ? roi : { ...roi, geometry };
  });
}
