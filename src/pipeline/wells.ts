/**
 * Per-well measurements of a plate: the image's mineral mask split by a well label image
 * (`wellMasks` in reference/plate.ts). Pure: masks in, one row per well out.
 */
import { BugError } from '../common/errors.js';
import type { Mask } from './raster.js';

export interface WellRow {
  /** Well id (A1, …), in the order of the wells given. */
  readonly id: string;
  /** Pixels of the well (after edge exclusion and, if given, inside the reference). */
  readonly referenceAreaPx: number;
  /** Mineral pixels inside the well. */
  readonly mineralAreaPx: number;
  /** 100 · mineralAreaPx / referenceAreaPx (0 for an empty well area), 0–100. */
  readonly mineralPct: number;
}

/**
 * Splits `mineral` (full-resolution Mask, 255 = mineral) by `labels` (0 = no well, k + 1 = well k of
 * `wells`). When `reference` is given (e.g. the analysed reference after exclude regions), only its
 * pixels count. Throws BugError when the sizes differ.
 */
export function measureWells(
  mineral: Mask,
  labels: { readonly width: number; readonly height: number; readonly labels: Int32Array },
  wells: readonly { readonly id: string }[],
  reference?: Mask,
): WellRow[] {
  const { width, height } = labels;
  if (mineral.width !== width || mineral.height !== height || (reference && (reference.width !== width || reference.height !== height))) {
    throw new BugError(`measureWells: masks ${mineral.width}×${mineral.height} and labels ${width}×${height} differ`);
  }
  const n = wells.length, ref = new Float64Array(n + 1), min = new Float64Array(n + 1);
  const L = labels.labels, m = mineral.data, r = reference?.data;
  for (let i = 0; i < L.length; i++) {
    const k = L[i]!;
    if (k <= 0 || k > n || (r && r[i] === 0)) continue;
    ref[k]!++;
    if (m[i] !== 0) min[k]!++;
  }
  return wells.map((w, k) => {
    const a = ref[k + 1]!, b = min[k + 1]!;
    return { id: w.id, referenceAreaPx: a, mineralAreaPx: b, mineralPct: a > 0 ? (100 * b) / a : 0 };
  });
}
