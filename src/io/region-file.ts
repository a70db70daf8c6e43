/**
 * Reading user regions from files: GeoJSON (QuPath's form) or a binary mask image (non-zero = inside).
 */
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { AppError } from '../common/errors.js';
import { parseGeoJsonRegions, type RegionShape } from '../common/geometry.js';
import type { Mask } from '../pipeline/raster.js';

export type RegionSpec =
  | { readonly kind: 'shapes'; readonly source: string; readonly shapes: readonly RegionShape[] }
  | { readonly kind: 'mask'; readonly source: string; readonly path: string };

const MAX_GEOJSON_BYTES = 200 * 1024 * 1024;

/** Loads a region file: `.geojson`/`.json` → shapes (validated); an image → deferred mask path. */
export async function loadRegionSpec(filePath: string): Promise<RegionSpec> {
  const name = path.basename(filePath);
  let size: number;
  try {
    size = (await stat(filePath)).size;
  } catch (e) {
    throw new AppError('ROI_INVALID', `Region file “${name}” cannot be read (${(e as NodeJS.ErrnoException).code ?? 'error'}). Check the path.`, { cause: e });
  }
  if (/\.(geo)?json$/i.test(filePath)) {
    if (size > MAX_GEOJSON_BYTES) throw new AppError('ROI_INVALID', `Region file “${name}” is larger than 200 MB. Simplify the regions.`);
    let doc: unknown;
    try {
      doc = JSON.parse(await readFile(filePath, 'utf8'));
    } catch (e) {
      throw new AppError('ROI_INVALID', `Region file “${name}” is not valid JSON (${(e as Error).message}). Export it again as GeoJSON.`, { cause: e });
    }
    return { kind: 'shapes', source: name, shapes: parseGeoJsonRegions(doc, name) };
  }
  return { kind: 'mask', source: name, path: filePath };
}

/** Reads a mask image at the image's size: non-zero (any channel) = inside. */
export async function readRegionMask(spec: { source: string; path: string }, widthPx: number, heightPx: number): Promise<Mask> {
  let out: { data: Buffer; info: { width: number; height: number } };
  try {
    out = await sharp(spec.path, { limitInputPixels: widthPx * heightPx + 1 })
      .greyscale()
      .raw()
      .toBuffer({ resolveWithObject: true });
  } catch (e) {
    throw new AppError('ROI_INVALID', `Region mask “${spec.source}” could not be read as an image (${(e as Error).message}). Save it as an 8-bit PNG or TIFF.`, { cause: e });
  }
  if (out.info.width !== widthPx || out.info.height !== heightPx) {
    throw new AppError(
      'ROI_INVALID',
      `Region mask “${spec.source}” is ${out.info.width}×${out.info.height} pixels but the image is ${widthPx}×${heightPx}. Make the mask at the image's full resolution.`,
    );
  }
  const data = new Uint8Array(widthPx * heightPx);
  for (let i = 0; i < data.length; i++) data[i] = out.data[i]! !== 0 ? 255 : 0;
  return { width: widthPx, height: heightPx, channels: 1, data };
}
