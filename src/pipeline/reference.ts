/**
 * The reference area (the denominator): whole image, automatic tissue, automatic single well,
 * automatic multiwell plate (the union of its wells), or a user region (include shapes minus
 * exclude shapes). Exclude shapes also cut automatic references.
 */
import { AppError } from '../common/errors.js';
import type { ReferenceKind } from '../common/result.js';
import type { LowResRgb } from './illumination.js';
import type { Illumination } from './od.js';
import { type Mask, type RgbImage } from './raster.js';
import { detectTissue } from './reference/tissue.js';
import { detectWell } from './reference/well.js';
import { detectPlate, edgeExclusionPx, wellMasks, type EdgeExclusion, type PlateLayout, type PlateResult, type WellLabels } from './reference/plate.js';

export interface ReferenceOptions {
  readonly plateLayout?: 'auto' | PlateLayout;
  /** Wells given by the user (edited in the viewer): used instead of detecting them. */
  readonly plateWells?: readonly { readonly id: string; readonly cx: number; readonly cy: number; readonly radiusPx: number }[];
  readonly edgeExclusionFrac?: number;
  readonly edgeExclusionUm?: number;
}

export interface RegionInput {
  /** Union of include shapes, or null when the user gave only exclude shapes. */
  readonly include: Mask | null;
  readonly exclude: Mask | null;
}

export interface ReferenceResult {
  readonly kind: ReferenceKind;
  readonly mask: Mask;
  readonly notes: string[];
  /** Plate references: the wells and their label image (for per-well rows). */
  readonly plate?: { readonly result: PlateResult; readonly labels: WellLabels };
}

type AutoReference = { mask: Mask; notes: string[]; plate?: ReferenceResult['plate'] };

function edgeExclusionOf(o: ReferenceOptions, pixelSizeUm: number | null): EdgeExclusion | undefined {
  if (o.edgeExclusionUm !== undefined) return { um: o.edgeExclusionUm, pixelSizeUm };
  if (o.edgeExclusionFrac !== undefined) return { fracOfRadius: o.edgeExclusionFrac };
  return undefined;
}

/** Disc mask of pixel centres closer than r to (cx, cy). */
function discMask(width: number, height: number, cx: number, cy: number, r: number): Mask {
  const data = new Uint8Array(width * height);
  for (let y = Math.max(0, Math.floor(cy - r)); y <= Math.min(height - 1, Math.ceil(cy + r)); y++) {
    const dy = y - cy, half = r * r - dy * dy;
    if (half <= 0) continue;
    const h = Math.sqrt(half);
    const x0 = Math.max(0, Math.ceil(cx - h)), x1 = Math.min(width - 1, Math.floor(cx + h));
    for (let x = x0; x <= x1; x++) if ((x - cx) ** 2 + dy * dy < r * r) data[y * width + x] = 255;
  }
  return { width, height, channels: 1, data };
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

function autoReference(
  image: RgbImage, illum: Illumination, kind: ReferenceKind, pixelSizeUm: number | null, lowRes: LowResRgb, o: ReferenceOptions,
): AutoReference {
  switch (kind) {
    case 'image':
      return { mask: fullMask(image.width, image.height), notes: [] as string[] };
    case 'tissue': {
      const t = detectTissue(image, illum, { pixelSizeUm, lowRes });
      return { mask: t.mask, notes: t.notes };
    }
    case 'well': {
      const w = detectWell(image, illum, { lowRes });
      const excl = edgeExclusionOf(o, pixelSizeUm);
      const cutPx = excl ? edgeExclusionPx(w.radiusPx, excl) : 0;
      return {
        mask: cutPx > 0 ? discMask(image.width, image.height, w.cx, w.cy, w.radiusPx - cutPx) : w.mask,
        notes: [
          ...w.notes,
          `well centre (${w.cx.toFixed(1)}, ${w.cy.toFixed(1)}) px, radius ${w.radiusPx.toFixed(1)} px`,
          ...(cutPx > 0 ? [`edge ring of ${cutPx.toFixed(1)} px excluded`] : []),
        ],
      };
    }
    case 'plate': {
      const excl = edgeExclusionOf(o, pixelSizeUm) ?? null;
      const plate: PlateResult = o.plateWells?.length
        ? {
            layout: o.plateWells.length as PlateLayout, rotationDeg: 0, pitchPx: 0, edgeExclusion: excl, notes: ['wells as set by the user'],
            wells: o.plateWells.map((w, i) => ({ id: w.id, row: i, col: 0, cx: w.cx, cy: w.cy, radiusPx: w.radiusPx, found: true })),
          }
        : detectPlate(image, { layout: o.plateLayout ?? 'auto', lowRes, ...(excl ? { edgeExclusion: excl } : {}) });
      const labels = wellMasks(plate, image.width, image.height);
      const placed = plate.wells.filter((w) => !w.found).map((w) => w.id);
      return {
        mask: labels.mask,
        notes: [
          ...plate.notes,
          ...(o.plateWells?.length ? [] : [`${plate.layout}-well plate, rotated ${plate.rotationDeg.toFixed(2)}°, pitch ${plate.pitchPx.toFixed(1)} px`]),
          ...(placed.length ? [`wells placed by the grid (no clear wall edge): ${placed.join(', ')}`] : []),
        ],
        plate: { result: plate, labels },
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
  options: ReferenceOptions = {},
): ReferenceResult {
  const kind: ReferenceKind = region?.include ? 'region' : requested;
  let base: AutoReference;
  if (kind === 'region' && region?.include) {
    checkSize(region.include, image, 'region mask');
    base = { mask: region.include, notes: [] };
  } else base = autoReference(image, illum, kind, pixelSizeUm, lowRes, options);
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
  return { kind, mask, notes, ...(base.plate ? { plate: base.plate } : {}) };
}
