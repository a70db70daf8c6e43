/**
 * Per-region and per-well result rows. Per region: for every include region, its own reference (the region minus the
 * exclude regions) and the image's mineral inside it. The mineral mask itself was segmented once,
 * inside the image-level reference (union of include regions minus exclude regions).
 */
import type { RegionShape } from '../common/geometry.js';
import type { ImageResult } from '../common/result.js';
import { removeSmallComponents } from '../pipeline/components.js';
import type { Mask } from '../pipeline/raster.js';
import { rasterizePolygons } from '../pipeline/rasterize.js';
import type { WellRow } from '../pipeline/wells.js';

export function regionLabel(shape: RegionShape, index: number): string {
  return shape.label ?? `region ${index + 1}`;
}

export function regionRows(
  imageRow: ImageResult,
  shapes: readonly RegionShape[],
  exclude: Mask | null,
  mineral: Mask,
  areaScale: number,
): ImageResult[] {
  const includes = shapes.filter((s) => s.role === 'include');
  const um2 = imageRow.pixelSizeUm ? imageRow.pixelSizeUm * imageRow.pixelSizeUm : null;
  return includes.map((shape, i) => {
    const mask = rasterizePolygons(shape.polygons, mineral.width, mineral.height);
    let refPx = 0;
    const inRegion = new Uint8Array(mask.data.length);
    for (let p = 0; p < mask.data.length; p++) {
      if (mask.data[p] === 0 || (exclude && exclude.data[p] !== 0)) continue;
      refPx++;
      if (mineral.data[p] !== 0) inRegion[p] = 255;
    }
    const minerals = removeSmallComponents({ ...mineral, data: inRegion }, 0);
    const reference = refPx * areaScale, mineralPx = minerals.areaPx * areaScale;
    return {
      ...imageRow,
      region: regionLabel(shape, i),
      reference: 'region' as const,
      referenceAreaPx: Math.round(reference),
      mineralAreaPx: Math.round(mineralPx),
      mineralPct: refPx > 0 ? (100 * minerals.areaPx) / refPx : null,
      referenceAreaUm2: um2 === null ? null : reference * um2,
      mineralAreaUm2: um2 === null ? null : mineralPx * um2,
      depositCount: minerals.count,
      meanOd: null,
      integratedOd: null,
      notes: [],
    };
  });
}

/** Per-well rows of a plate image: the well id, its area and the mineral in it. */
export function wellRows(imageRow: ImageResult, wells: readonly WellRow[], areaScale: number): ImageResult[] {
  const um2 = imageRow.pixelSizeUm ? imageRow.pixelSizeUm * imageRow.pixelSizeUm : null;
  return wells.map((w) => {
    const reference = w.referenceAreaPx * areaScale, mineralPx = w.mineralAreaPx * areaScale;
    return {
      ...imageRow,
      well: w.id,
      reference: 'well' as const,
      referenceAreaPx: Math.round(reference),
      mineralAreaPx: Math.round(mineralPx),
      mineralPct: w.referenceAreaPx > 0 ? w.mineralPct : null,
      referenceAreaUm2: um2 === null ? null : reference * um2,
      mineralAreaUm2: um2 === null ? null : mineralPx * um2,
      depositCount: null,
      meanOd: null,
      integratedOd: null,
      notes: [],
    };
  });
}
