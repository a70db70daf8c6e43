/**
 * One image, end to end, as a job for a worker thread (or in-process in tests): decode, hash,
 * regions, analysis, optional overlays → one result row. Never throws: any failure becomes an
 * error row whose message names the file and what to do.
 */
import path from 'node:path';
import { toAppError } from '../common/errors.js';
import type { Recipe } from '../common/recipe-schema.js';
import type { ImageResult, PixelSizeSource, ReferenceKind } from '../common/result.js';
import { writeOverlayFiles } from '../export/overlay.js';
import { decodeImage } from '../io/decode.js';
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
}

export interface AnalysisJobResult {
  readonly result: ImageResult;
  readonly overlayPaths?: readonly string[];
  readonly elapsedMs: number;
}

async function regionInput(spec: RegionSpec, widthPx: number, heightPx: number): Promise<RegionInput> {
  if (spec.kind === 'mask') return { include: await readRegionMask(spec, widthPx, heightPx), exclude: null };
  const inc = spec.shapes.filter((s) => s.role === 'include').flatMap((s) => s.polygons);
  const exc = spec.shapes.filter((s) => s.role === 'exclude').flatMap((s) => s.polygons);
  const include: Mask | null = inc.length ? rasterizePolygons(inc, widthPx, heightPx) : null;
  const exclude: Mask | null = exc.length ? rasterizePolygons(exc, widthPx, heightPx) : null;
  return { include, exclude };
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

export async function runAnalysisJob(job: AnalysisJob): Promise<AnalysisJobResult> {
  const t0 = performance.now();
  let row: ImageResult = emptyRow(job);
  const name = path.basename(job.filePath);
  try {
    const [img, sha] = await Promise.all([
      decodeImage(job.filePath, { page: job.page, pixelSizeUm: job.pixelSizeUm }),
      sha256File(job.filePath),
    ]);
    row = { ...row, widthPx: img.width, heightPx: img.height, imageSha256: sha, warnings: [...img.warnings] };
    const region = job.region ? await regionInput(job.region, img.width, img.height) : undefined;
    const out = analyzeImage(
      { image: img, pixelSizeUm: img.pixelSizeUm, referenceKind: job.referenceKind, region, singleChannel: img.isSingleChannel },
      job.recipe,
    );
    const m = out.measurements;
    const um2 = img.pixelSizeUm ? img.pixelSizeUm * img.pixelSizeUm : null;
    row = {
      ...row,
      status: 'ok',
      reference: m.reference,
      referenceAreaPx: m.referenceAreaPx,
      mineralAreaPx: m.mineralAreaPx,
      mineralPct: m.mineralPct,
      pixelSizeUm: img.pixelSizeUm,
      pixelSizeSource: img.pixelSizeSource as PixelSizeSource,
      referenceAreaUm2: um2 === null ? null : m.referenceAreaPx * um2,
      mineralAreaUm2: um2 === null ? null : m.mineralAreaPx * um2,
      depositCount: m.depositCount,
      meanOd: m.meanOd,
      integratedOd: m.integratedOd,
      thresholdOd: m.thresholdOd,
      warnings: [...row.warnings, ...m.warnings],
      notes: m.notes,
    };
    let overlayPaths: string[] | undefined;
    if (job.overlay) {
      const files = await writeOverlayFiles({ ...job.overlay, image: img, reference: out.reference, mineral: out.mineral });
      overlayPaths = [files.overlayPath, files.referenceMaskPath, files.mineralMaskPath];
    }
    return { result: row, ...(overlayPaths ? { overlayPaths } : {}), elapsedMs: performance.now() - t0 };
  } catch (e) {
    const err = toAppError(e);
    return {
      result: { ...row, status: 'error', errorCode: err.code, error: namingFile(err.userMessage, name) },
      elapsedMs: performance.now() - t0,
    };
  }
}
