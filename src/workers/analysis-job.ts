/**
 * One image, end to end, as a job for a worker thread (or in-process in tests): decode, hash,
 * regions, analysis, optional overlays → one result row. Never throws: any failure becomes an
 * error row whose message names the file and what to do.
 */
import path from 'node:path';
import { toAppError } from '../common/errors.js';
import type { RegionShape } from '../common/geometry.js';
import type { Recipe } from '../common/recipe-schema.js';
import type { ImageResult, PixelSizeSource, ReferenceKind } from '../common/result.js';
import { writeOverlayFiles } from '../export/overlay.js';
import { decodeImage } from '../io/decode.js';
import { writeFileAtomic } from '../io/atomic-write.js';
import { renderViewerOverlay } from '../export/viewer-overlay.js';
import { previewImage, type ScaledImage } from './preview-image.js';
import { regionRows, wellRows } from './region-rows.js';
import { recycleMaskBuffers } from '../pipeline/mask-pool.js';
import { mkdir } from 'node:fs/promises';
import sharp from 'sharp';
import { sha256File } from '../io/hash.js';
import { readRegionMask, type RegionSpec } from '../io/region-file.js';
import { analyzeImage } from '../pipeline/analyze.js';
import type { Mask } from '../pipeline/raster.js';
import { rasterizePolygons } from '../pipeline/rasterize.js';
import type { RegionInput } from '../pipeline/reference.js';

export interface AnalysisJob {
  readonly filePath: string;
  /** How the image is named in results (path relative to what the user gave). */
  readonly displayName: string;
  readonly recipe: Recipe;
  readonly recipeHash: string;
  readonly appVersion: string;
  readonly referenceKind?: ReferenceKind | undefined;
  readonly region?: RegionSpec | undefined;
  readonly pixelSizeUm?: number | undefined;
  readonly page?: number | undefined;
  /** When set, overlay and mask PNGs are written there with this base name. */
  readonly overlay?: { readonly outDir: string; readonly baseName: string } | undefined;
  /** When set, the viewer's RGBA overlay PNG is written to this file. */
  readonly viewerOverlayFile?: string | undefined;
  /** Live preview: analyse a copy whose longer side is at most this (areas reported at full scale). */
  readonly previewMaxSidePx?: number | undefined;
  /** Plate layout to look for when the reference is a plate (overrides the recipe). */
  readonly plateLayout?: 'auto' | 6 | 12 | 24 | 48 | 96 | undefined;
  /** Wells set by the user (full-resolution pixels): used instead of detecting them. */
  readonly plateWells?: readonly PlateWellGeometry[] | undefined;
}

export interface PlateWellGeometry {
  readonly id: string;
  readonly cx: number;
  readonly cy: number;
  readonly radiusPx: number;
  readonly found?: boolean;
}

export interface AnalysisJobResult {
  readonly result: ImageResult;
  /** One row per include region (the image row is `result`). */
  readonly regionRows?: readonly ImageResult[];
  /** Plate references: the wells found or used (full-resolution pixels). */
  readonly plate?: { readonly layout: number; readonly wells: readonly PlateWellGeometry[] };
  readonly overlayPaths?: readonly string[];
  readonly elapsedMs: number;
}

/** Region shapes in the coordinates of an analysed copy `scaleX`, `scaleY` times smaller. */
function scaleShapes(shapes: readonly RegionShape[], scaleX: number, scaleY: number): RegionShape[] {
  if (scaleX === 1 && scaleY === 1) return [...shapes];
  return shapes.map((s) => ({
    ...s,
    polygons: s.polygons.map((poly) => poly.map((ring) => ring.map(([x, y]) => [x / scaleX, y / scaleY] as const))),
  }));
}

/** Block-majority reduction of a full-resolution mask to an analysed copy's size. */
function reduceMask(mask: Mask, width: number, height: number): Mask {
  if (mask.width === width && mask.height === height) return mask;
  const sums = new Float32Array(width * height), counts = new Float32Array(width * height);
  for (let y = 0; y < mask.height; y++) {
    const ty = Math.min(height - 1, Math.floor((y * height) / mask.height)) * width;
    for (let x = 0; x < mask.width; x++) {
      const t = ty + Math.min(width - 1, Math.floor((x * width) / mask.width));
      counts[t]!++;
      if (mask.data[y * mask.width + x] !== 0) sums[t]!++;
    }
  }
  const data = new Uint8Array(width * height);
  for (let i = 0; i < data.length; i++) data[i] = sums[i]! * 2 >= counts[i]! && counts[i]! > 0 ? 255 : 0;
  return { width, height, channels: 1, data };
}

async function regionInput(spec: RegionSpec, full: { width: number; height: number }, widthPx: number, heightPx: number): Promise<{ input: RegionInput; shapes: RegionShape[] }> {
  if (spec.kind === 'mask') {
    return { input: { include: reduceMask(await readRegionMask(spec, full.width, full.height), widthPx, heightPx), exclude: null }, shapes: [] };
  }
  const shapes = scaleShapes(spec.shapes, full.width / widthPx, full.height / heightPx);
  const inc = shapes.filter((s) => s.role === 'include').flatMap((s) => s.polygons);
  const exc = shapes.filter((s) => s.role === 'exclude').flatMap((s) => s.polygons);
  const include: Mask | null = inc.length ? rasterizePolygons(inc, widthPx, heightPx) : null;
  const exclude: Mask | null = exc.length ? rasterizePolygons(exc, widthPx, heightPx) : null;
  return { input: { include, exclude }, shapes };
}

/** Well geometry scaled by `s` (analysed copy ↔ full resolution). */
function scaleWells(wells: readonly PlateWellGeometry[], s: number): PlateWellGeometry[] {
  return wells.map((w) => ({ ...w, cx: (w.cx + 0.5) * s - 0.5, cy: (w.cy + 0.5) * s - 0.5, radiusPx: w.radiusPx * s }));
}

/** A row with nothing measured yet (status error until the analysis succeeds). */
export function emptyRow(job: Pick<AnalysisJob, 'displayName' | 'recipe' | 'recipeHash' | 'appVersion'>): ImageResult {
  return {
    image: job.displayName,
    status: 'error',
    error: null,
    errorCode: null,
    widthPx: null,
    heightPx: null,
    reference: null,
    referenceAreaPx: null,
    mineralAreaPx: null,
    mineralPct: null,
    pixelSizeUm: null,
    pixelSizeSource: null,
    referenceAreaUm2: null,
    mineralAreaUm2: null,
    depositCount: null,
    meanOd: null,
    integratedOd: null,
    thresholdOd: null,
    recipeId: job.recipe.id,
    recipeHash: job.recipeHash,
    appVersion: job.appVersion,
    imageSha256: null,
    warnings: [],
    notes: [],
  };
}

/** An error row for a job that failed outside the analysis (cancelled, worker crashed). */
export function failedRow(job: AnalysisJob, errorCode: ImageResult['errorCode'], message: string): ImageResult {
  return { ...emptyRow(job), errorCode, error: namingFile(message, path.basename(job.filePath)) };
}

/** Prefixes a message with the file name unless it already names it. */
export function namingFile(message: string, name: string): string {
  return message.includes(`“${name}”`) ? message : `“${name}”: ${message}`;
}

/** The image to analyse: full resolution (batch) or a reduced copy (live preview). */
async function loadForJob(job: AnalysisJob): Promise<ScaledImage & { sha256: string | null }> {
  const opts = { page: job.page, pixelSizeUm: job.pixelSizeUm };
  if (job.previewMaxSidePx) return { ...(await previewImage(job.filePath, job.previewMaxSidePx, opts)), sha256: null };
  const [img, sha256] = await Promise.all([decodeImage(job.filePath, opts), sha256File(job.filePath)]);
  return { image: img, full: img, areaScale: 1, sha256 };
}

async function writeViewerOverlay(file: string, reference: Mask, mineral: Mask): Promise<void> {
  const pic = renderViewerOverlay(reference, mineral);
  const png = await sharp(pic.data, { raw: { width: pic.width, height: pic.height, channels: 4 } }).png({ compressionLevel: 6 }).toBuffer();
  await mkdir(path.dirname(file), { recursive: true });
  await writeFileAtomic(file, png);
}

export async function runAnalysisJob(job: AnalysisJob): Promise<AnalysisJobResult> {
  const t0 = performance.now();
  let row: ImageResult = emptyRow(job);
  const name = path.basename(job.filePath);
  try {
    const { image, full, areaScale, sha256, memo } = await loadForJob(job);
    row = { ...row, widthPx: full.width, heightPx: full.height, imageSha256: sha256, warnings: [...full.warnings] };
    const regions = job.region ? await regionInput(job.region, full, image.width, image.height) : undefined;
    const region = regions?.input;
    const out = analyzeImage(
      {
        image, pixelSizeUm: full.pixelSizeUm && full.pixelSizeUm * Math.sqrt(areaScale), referenceKind: job.referenceKind, region,
        singleChannel: full.isSingleChannel, ...(job.plateLayout !== undefined ? { plateLayout: job.plateLayout } : {}),
        ...(job.plateWells ? { plateWells: scaleWells(job.plateWells, image.width / full.width) } : {}),
      },
      job.recipe,
      memo,
    );
    const m = out.measurements;
    const um2 = full.pixelSizeUm ? full.pixelSizeUm * full.pixelSizeUm : null;
    const refPx = m.referenceAreaPx * areaScale, minPx = m.mineralAreaPx * areaScale;
    row = {
      ...row,
      status: 'ok',
      reference: m.reference,
      referenceAreaPx: areaScale === 1 ? refPx : Math.round(refPx),
      mineralAreaPx: areaScale === 1 ? minPx : Math.round(minPx),
      mineralPct: m.mineralPct,
      pixelSizeUm: full.pixelSizeUm,
      pixelSizeSource: full.pixelSizeSource as PixelSizeSource,
      referenceAreaUm2: um2 === null ? null : refPx * um2,
      mineralAreaUm2: um2 === null ? null : minPx * um2,
      depositCount: m.depositCount,
      meanOd: m.meanOd,
      integratedOd: m.integratedOd * areaScale,
      thresholdOd: m.thresholdOd,
      warnings: [...row.warnings, ...m.warnings, ...(areaScale > 1 ? [`preview on a ${image.width}×${image.height} copy`] : [])],
      notes: m.notes,
    };
    let overlayPaths: string[] | undefined;
    if (job.overlay) {
      const files = await writeOverlayFiles({ ...job.overlay, image, reference: out.reference, mineral: out.mineral });
      overlayPaths = [files.overlayPath, files.referenceMaskPath, files.mineralMaskPath];
    }
    if (job.viewerOverlayFile) await writeViewerOverlay(job.viewerOverlayFile, out.reference, out.mineral);
    const shapes = regions?.shapes ?? [];
    const perRegion = [
      ...(shapes.some((s) => s.role === 'include') ? regionRows(row, shapes, region?.exclude ?? null, out.mineral, areaScale) : []),
      ...(out.wells ? wellRows(row, out.wells, areaScale) : []),
    ];
    const plate = out.plate ? { layout: out.plate.layout, wells: scaleWells(out.plate.wells, full.width / image.width) } : undefined;
    // the masks are not part of the result and everything above is done with them: the next image
    // reuses their buffers (not with a memo, which keeps them for the next preview)
    if (!memo) recycleMaskBuffers(out.reference.data, out.mineral.data);
    return {
      result: row, ...(perRegion.length ? { regionRows: perRegion } : {}), ...(plate ? { plate } : {}),
      ...(overlayPaths ? { overlayPaths } : {}), elapsedMs: performance.now() - t0,
    };
  } catch (e) {
    const err = toAppError(e);
    return {
      result: { ...row, status: 'error', errorCode: err.code, error: namingFile(err.userMessage, name) },
      elapsedMs: performance.now() - t0,
    };
  }
}
