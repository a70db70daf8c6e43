/**
 * The reference area (the denominator): whole image, automatic tissue, automatic single well, or a
 * user region (include shapes minus exclude shapes). Exclude shapes also cut automatic references.
 */
import { AppError } from '../common/errors.js';
import type { ReferenceKind } from '../common/result.js';
import type { LowResRgb } from './illumination.js';
import type { Illumination } from './od.js';
import { type Mask, type RgbImage } from './raster.js';
import { detectTissue } from './reference/tissue.js';
import { detectWell } from './reference/well.js';

export interface RegionInput {
  /** Union of include shapes, or null when the user gave only exclude shapes. */
  readonly include: Mask | null;
  readonly exclude: Mask | null;
}

export interface ReferenceResult {
  readonly kind: ReferenceKind;
  readonly mask: Mask;
  readonly notes: string[];
}

function fullMask(width: number, height: number): Mask {
  return { width, height, channels: 1, data: new Uint8Array(width * height).fill(255) };
}

function checkSize(mask: Mask, image: RgbImage, what: string): void {
  if (mask.width !== image.width || mask.height !== image.height) {
    throw new AppError(
      'ROI_INVALID',
      `The ${what} is ${mask.width}×${mask.height} pixels but the image is ${image.width}×${image.height}. Make the mask at the image's full resolution.`,
    );
  }
}

function autoReference(image: RgbImage, illum: Illumination, kind: ReferenceKind, pixelSizeUm: number | null, lowRes: LowResRgb) {
  switch (kind) {
    case 'image':
      return { mask: fullMask(image.width, image.height), notes: [] as string[] };
    case 'tissue': {
      const t = detectTissue(image, illum, { pixelSizeUm, lowRes });
      return { mask: t.mask, notes: t.notes };
    }
    case 'well': {
      const w = detectWell(image, illum, { lowRes });
      return {
        mask: w.mask,
        notes: [...w.notes, `well centre (${w.cx.toFixed(1)}, ${w.cy.toFixed(1)}) px, radius ${w.radiusPx.toFixed(1)} px`],
      };
    }
    case 'region':
      throw new AppError('REFERENCE_EMPTY', 'The recipe measures inside a region, but no region was given. Pass --roi FILE.geojson or a mask image.');
  }
}

export function resolveReference(
  image: RgbImage,
  illum: Illumination,
  requested: ReferenceKind,
  region: RegionInput | null,
  pixelSizeUm: number | null,
  lowRes: LowResRgb,
): ReferenceResult {
  const kind: ReferenceKind = region?.include ? 'region' : requested;
  let base: { mask: Mask; notes: string[] };
  if (kind === 'region' && region?.include) {
    checkSize(region.include, image, 'region mask');
    base = { mask: region.include, notes: [] };
  } else base = autoReference(image, illum, kind, pixelSizeUm, lowRes);
  let mask = base.mask;
  const notes = [...base.notes];
  if (region?.exclude) {
    checkSize(region.exclude, image, 'exclude mask');
    const data = mask.data.slice();
    for (let i = 0; i < data.length; i++) if (region.exclude.data[i] !== 0) data[i] = 0;
    mask = { ...mask, data };
    notes.push('exclude regions removed from the reference');
  }
  if (!mask.data.includes(255)) {
    throw new AppError(
      'REFERENCE_EMPTY',
      kind === 'region'
        ? 'The region covers no pixel of the image (are its coordinates in full-resolution image pixels?). Check the region file.'
        : `No ${kind} area was found in the image. Choose another reference (--reference image, or a region with --roi).`,
    );
  }
  return { kind, mask, notes };
}
