/** Turning a finished shape into a region: clipped to the image, named, coloured. */
import { clipToImage, geometryAreaPx } from '../../src/common/roi-geometry.js';
import { newRoiId, type MultiPolygon, type Roi, type RoiRole, type RoiTool } from '../../src/common/roi.js';
import { nextIncludeColour } from '../viewer/roi-style.js';
import type { ImageSize } from './types.js';

/** Shapes smaller than this (image px²) are treated as a stray click and dropped. */
export const MIN_AREA_PX = 1;

/** The part inside the image, or null when nothing of substance is left. */
export function finishGeometry(g: MultiPolygon, size: ImageSize): MultiPolygon | null {
  if (!g.length) return null;
  const clipped = clipToImage(g, size.widthPx, size.heightPx);
  return clipped.length && geometryAreaPx(clipped) >= MIN_AREA_PX ? clipped : null;
}

/** “Region n” with the smallest n not taken by another label. */
export function nextRegionLabel(rois: readonly Roi[]): string {
  const taken = new Set(rois.map((r) => r.label));
  let n = 1;
  while (taken.has(`Region ${n}`)) n++;
  return `Region ${n}`;
}

/**
 * A new region. Include regions get a label (so result rows read “Region 2”, not an id) and the
 * next free colour; exclude regions are always drawn vermillion and need neither.
 */
export function newRoi(rois: readonly Roi[], role: RoiRole, tool: RoiTool, geometry: MultiPolygon): Roi {
  const base = { id: newRoiId(), role, tool, geometry };
  return role === 'include' ? { ...base, label: nextRegionLabel(rois), colour: nextIncludeColour(rois) } : base;
}
