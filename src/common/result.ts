/**
 * One measured image: what the CLI writes as a row of results.csv / an entry of results.json and
 * what the UI shows. Areas are pixel counts of the full-resolution image; µm² only when calibrated.
 */
import type { ErrorCode } from './errors.js';

export type ReferenceKind = 'image' | 'tissue' | 'well' | 'plate' | 'region';
export type PixelSizeSource = 'user' | 'tiff-resolution' | 'imagej' | 'ome-xml' | 'none';

export interface ImageResult {
  /** The image path as the user gave it (or relative to the folder they gave). */
  readonly image: string;
  readonly status: 'ok' | 'error';
  /** User-facing message when status is 'error' (names the file and what to do), else null. */
  readonly error: string | null;
  readonly errorCode: ErrorCode | null;
  readonly widthPx: number | null;
  readonly heightPx: number | null;
  /** What the percentage is a percentage of. */
  readonly reference: ReferenceKind | null;
  readonly referenceAreaPx: number | null;
  readonly mineralAreaPx: number | null;
  /** 100 · mineralAreaPx / referenceAreaPx. */
  readonly mineralPct: number | null;
  readonly pixelSizeUm: number | null;
  readonly pixelSizeSource: PixelSizeSource | null;
  readonly referenceAreaUm2: number | null;
  readonly mineralAreaUm2: number | null;
  /** Connected deposits (8-connectivity) left after clean-up. */
  readonly depositCount: number | null;
  /** Mean mineral-stain amount inside the deposits, relative OD units of the stain vector. */
  readonly meanOd: number | null;
  /** Sum of the mineral-stain amount over deposit pixels (relative OD · px). */
  readonly integratedOd: number | null;
  /** Stain-amount threshold actually applied (relative OD units); for adaptive methods the median. */
  readonly thresholdOd: number | null;
  readonly recipeId: string;
  readonly recipeHash: string;
  readonly appVersion: string;
  readonly imageSha256: string | null;
  /** Non-fatal remarks (single-channel input, calibration ignored, …). */
  readonly warnings: readonly string[];
  /** What the analysis did (reference found, corrections applied); results.json only. */
  readonly notes: readonly string[];
  /** Set on per-region rows (the region's label, or its id when unlabelled); empty on the image's row. */
  readonly region?: string | null;
  /** Set on per-well rows of plate images (A1…); empty on the image's row. */
  readonly well?: string | null;
}

/** Column order of results.csv: the documented columns first, extras after. */
export const RESULT_COLUMNS = [
  'image',
  'status',
  'error',
  'width_px',
  'height_px',
  'reference',
  'reference_area_px',
  'mineral_area_px',
  'mineral_pct',
  'pixel_size_um',
  'reference_area_um2',
  'mineral_area_um2',
  'deposit_count',
  'mean_od',
  'integrated_od',
  'recipe_hash',
  'app_version',
  'image_sha256',
  'region',
  'well',
  'error_code',
  'recipe_id',
  'pixel_size_source',
  'threshold_od',
  'warnings',
] as const;
export type ResultColumn = (typeof RESULT_COLUMNS)[number];
