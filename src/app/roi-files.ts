/**
 * Region files in and out: QuPath GeoJSON (.geojson/.json), ImageJ ROIs (.roi) and ROI Manager
 * sets (.zip) in; QuPath GeoJSON out. Regions are clipped to the image and made valid.
 */
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { AppError } from '../common/errors.js';
import type { RegionShape } from '../common/geometry.js';
import { normalizeGeometry } from '../common/roi-geometry.js';
import { clipRoisToImage } from '../common/roi-image.js';
import { parseAnnotationFile, type Roi } from '../common/roi.js';
import { writeFileAtomic } from '../io/atomic-write.js';
import { parseImageJRoi, parseImageJRoiSet } from '../io/imagej-roi.js';
import { roisFromGeoJson, roisToQuPathGeoJson } from '../io/qupath-geojson.js';

const MAX_REGION_FILE_BYTES = 200 * 1024 * 1024;

export async function importRoiFile(filePath: string, size: { widthPx: number; heightPx: number }): Promise<Roi[]> {
  const name = path.basename(filePath);
  let bytes: Uint8Array;
  try {
    if ((await stat(filePath)).size > MAX_REGION_FILE_BYTES) throw new AppError('ROI_INVALID', `Region file “${name}” is larger than 200 MB.`);
    bytes = await readFile(filePath);
  } catch (e) {
    if ((e as { code?: string }).code === 'ROI_INVALID') throw e;
    throw new AppError('ROI_INVALID', `Region file “${name}” cannot be read (${(e as NodeJS.ErrnoException).code ?? 'error'}). Check the path.`, { cause: e });
  }
  const ext = path.extname(name).toLowerCase();
  const opts = { imageSizePx: { widthPx: size.widthPx, heightPx: size.heightPx } };
  let rois: Roi[];
  if (ext === '.roi') rois = [parseImageJRoi(bytes, name, opts)];
  else if (ext === '.zip') rois = parseImageJRoiSet(bytes, name, opts);
  else {
    let doc: unknown;
    try {
      doc = JSON.parse(new TextDecoder().decode(bytes));
    } catch (e) {
      throw new AppError('ROI_INVALID', `Region file “${name}” is not valid JSON (${(e as Error).message}). Export it again as GeoJSON.`, { cause: e });
    }
    rois = roisFromGeoJson(doc, name, opts);
  }
  return clipRoisToImage(rois.map((r) => ({ ...r, geometry: normalizeGeometry(r.geometry) })), { widthPx: size.widthPx, heightPx: size.heightPx }, name);
}

export async function exportRoiFile(rois: readonly Roi[], filePath: string): Promise<void> {
  await writeFileAtomic(filePath, JSON.stringify(roisToQuPathGeoJson(rois), null, 1));
}

/** Validated regions (as they come from a host): throws ROI_INVALID naming the bad one. */
export function checkRois(raw: unknown): Roi[] {
  return [...parseAnnotationFile({ schemaVersion: 1, rois: raw }, 'regions').rois];
}

/** The analysis' view of regions: role, label (or id when unlabelled) and polygons. Hidden ones count. */
export function roisToShapes(rois: readonly Roi[]): RegionShape[] {
  return rois.map((r) => ({ role: r.role, label: r.label ?? r.id, polygons: r.geometry }));
}
