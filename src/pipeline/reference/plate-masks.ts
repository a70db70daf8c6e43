/**
 * Well discs of a detected (or user-edited) plate as a label image and a union mask, with an
 * optional edge exclusion: each disc shrunk by a fraction of its radius or by a distance in µm
 * (drops the meniscus / peeled rim along the wall). Pure.
 */
import { AppError } from '../../common/errors.js';
import type { Mask } from '../raster.js';

export interface EdgeExclusion {
  /** Shrink each well's radius by this fraction of it (0 ≤ f < 1). */
  readonly fracOfRadius?: number;
  /** Shrink each well's radius by this distance (µm ≥ 0); needs `pixelSizeUm`. */
  readonly um?: number;
  /** Pixel size of the image (µm per px), or null when uncalibrated. */
  readonly pixelSizeUm?: number | null;
}

export interface WellLabels {
  readonly width: number;
  readonly height: number;
  /** Per pixel: 0 outside every well, k + 1 inside well k (index into the plate's wells). */
  readonly labels: Int32Array;
  /** Union of the (shrunk) wells: 255 inside any well. */
  readonly mask: Mask;
}

/** Throws INPUT_INVALID / CALIBRATION_MISSING for an edge exclusion that cannot be applied. */
export function checkEdgeExclusion(e: EdgeExclusion | null | undefined): void {
  if (!e) return;
  const hasFrac = e.fracOfRadius !== undefined && e.fracOfRadius !== 0, hasUm = e.um !== undefined && e.um !== 0;
  if (hasFrac && hasUm) {
    throw new AppError('INPUT_INVALID', 'Give the well edge exclusion either in µm or as a percentage of the radius, not both.');
  }
  if (e.fracOfRadius !== undefined && !(e.fracOfRadius >= 0 && e.fracOfRadius < 1)) {
    throw new AppError('INPUT_INVALID', `The well edge exclusion must be between 0 % and 99 % of the radius (got ${(100 * e.fracOfRadius).toFixed(1)} %).`);
  }
  if (e.um !== undefined && !(e.um >= 0 && Number.isFinite(e.um))) {
    throw new AppError('INPUT_INVALID', `The well edge exclusion must be a distance of 0 µm or more (got ${e.um} µm).`);
  }
  if (hasUm && !(e.pixelSizeUm && e.pixelSizeUm > 0)) {
    throw new AppError(
      'CALIBRATION_MISSING',
      'The well edge exclusion is given in µm, but the image has no pixel size. Set the pixel size (Recipe › Calibration, or --pixel-size-um on the command line) or set the exclusion as a percentage of the well radius.',
    );
  }
}

/** Shrink of a well of radius `radiusPx` (px) by the edge exclusion; 0 when none. */
export function edgeExclusionPx(radiusPx: number, e: EdgeExclusion | null | undefined): number {
  checkEdgeExclusion(e);
  if (!e) return 0;
  if (e.um) return e.um / e.pixelSizeUm!;
  return (e.fracOfRadius ?? 0) * radiusPx;
}

/**
 * Label image of the well discs (pixel centre strictly inside radius − exclusion). Wells that
 * would vanish throw INPUT_INVALID; where discs overlap the earlier well keeps the pixel.
 */
export function wellMasks(
  plate: { readonly wells: readonly { id: string; cx: number; cy: number; radiusPx: number }[]; readonly edgeExclusion?: EdgeExclusion | null },
  width: number,
  height: number,
  edgeExclusion: EdgeExclusion | null | undefined = plate.edgeExclusion,
): WellLabels {
  const labels = new Int32Array(width * height), data = new Uint8Array(width * height);
  plate.wells.forEach((wl, k) => {
    const r = wl.radiusPx - edgeExclusionPx(wl.radiusPx, edgeExclusion);
    if (!(r > 0.5)) throw new AppError('INPUT_INVALID', `The edge exclusion leaves nothing of well ${wl.id}. Use a smaller exclusion.`);
    const r2 = r * r;
    for (let y = Math.max(0, Math.floor(wl.cy - r)); y <= Math.min(height - 1, Math.ceil(wl.cy + r)); y++) {
      const dy2 = (y - wl.cy) ** 2;
      if (dy2 >= r2) continue;
      const half = Math.sqrt(r2 - dy2);
      let x0 = Math.max(0, Math.ceil(wl.cx - half)), x1 = Math.min(width - 1, Math.floor(wl.cx + half));
      // strict inequality at the ends (guards against rounding in sqrt)
      while (x0 <= x1 && (x0 - wl.cx) ** 2 + dy2 >= r2) x0++;
      while (x1 >= x0 && (x1 - wl.cx) ** 2 + dy2 >= r2) x1--;
      for (let x = x0, i = y * width + x0; x <= x1; x++, i++) {
        if (labels[i] !== 0) continue;
        labels[i] = k + 1;
        data[i] = 255;
      }
    }
  });
  return { width, height, labels, mask: { width, height, channels: 1, data } };
}
