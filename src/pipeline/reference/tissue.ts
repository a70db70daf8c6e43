/**
 * Automatic tissue reference: tissue = everything that absorbs more than the glass / light box.
 *
 * Rules (defaults in `TISSUE_DEFAULTS`):
 * 1. Threshold: OD summed over R, G and B (flat-field corrected) on the ≤ 1024 px block-mean copy
 *    ("fine"), above the glass peak of its histogram: mode + 7 σ of the peak's dark-side spread,
 *    kept within [0.04, 0.10] (glass noise and flat-field residue stay below; pale tissue, OD
 *    0.05–0.3 per channel, lies above). Decisions are taken on a ≤ 512 px grid ("coarse") where a
 *    pixel is tissue only when all its fine pixels are, so a glass gap one fine pixel wide (a
 *    notch between branches, a crack reaching the edge) still separates tissue.
 * 2. Debris: 8-connected pieces smaller than 0.2 % of the largest piece (and, when calibrated,
 *    smaller than 2 500 µm²) are dropped.
 * 3. Holes (4-connected background not touching the image border): filled when smaller than 2 % of
 *    the tissue area and (when calibrated) than 0.5 mm². Lumens of tubules, cracks and pale spots are
 *    filled; an aorta lumen (~45 % of the ring) or a renal pelvis opening to the outside stays open.
 * 4. Edges at full resolution, only near the boundary (tissue-levels.ts, tissue-edge.ts): a pixel is
 *    tissue when its 3×3-mean transmittance (mean over channels of I/W) is below the half-way level
 *    between the local glass (mean of nearby glass) and the adjacent tissue (median of nearby tissue
 *    off the boundary on the fine grid: ignores nuclei and a few deposit pixels, follows a thin pale
 *    layer next to dark deposits). For a blurred step this is the pre-blur physical edge.
 *    Afterwards the rules 2–3 are kept at full resolution by connectivity: glass pixels not
 *    connected to the glass are filled, tissue pixels not connected to the tissue are dropped.
 */
import type { Illumination } from '../od.js';
import type { Mask, RgbImage } from '../raster.js';
import { type LowResRgb, lowResRgb, odSumFromLowRes } from '../illumination.js';
import { factorForMaxSide } from '../resample.js';
import { labelComponents } from './mask-ops.js';
import { refineBand } from './tissue-edge.js';
import { fineDecision } from './tissue-levels.js';

export interface TissueOptions {
  /** µm per pixel, or null when the image is not calibrated (µm² limits are then not applied). */
  readonly pixelSizeUm: number | null;
  /** Holes smaller than this fraction of the tissue area are filled (0–1, default 0.02). */
  readonly fillHolesMaxFrac?: number;
  /** … and, when calibrated, smaller than this area (µm², default 500 000 = 0.5 mm²). */
  readonly fillHolesMaxUm2?: number;
  /** Pieces smaller than this fraction of the largest piece are debris (0–1, default 0.002). */
  readonly minPieceFrac?: number;
  /** … as are, when calibrated, pieces smaller than this area (µm², default 2 500). */
  readonly minPieceUm2?: number;
  /** Fixed threshold on the low-res OD summed over R, G, B (skips the automatic choice). */
  readonly thresholdOd?: number;
  /** A block-mean copy made earlier with `lowResRgb` (saves one pass over the image). */
  readonly lowRes?: LowResRgb;
}

export const TISSUE_DEFAULTS = {
  fillHolesMaxFrac: 0.02,
  fillHolesMaxUm2: 500_000,
  minPieceFrac: 0.002,
  minPieceUm2: 2_500,
  thresholdMinOd: 0.04,
  thresholdMaxOd: 0.1,
  decisionMaxSidePx: 512,
} as const;

export interface TissueResult {
  /** Full-resolution mask, 255 = tissue. */
  readonly mask: Mask;
  /** Threshold used on the low-res OD sum (R + G + B, OD units). */
  readonly thresholdOd: number;
  readonly notes: string[];
}

/** Tissue mask of a brightfield section (see module doc for the rules). Pure; inputs untouched. */
export function detectTissue(img: RgbImage, illum: Illumination, o: TissueOptions): TissueResult {
  const fine = o.lowRes ?? lowResRgb(img);
  const fineOd = odSumFromLowRes(fine, illum).map;
  const thresholdOd = o.thresholdOd ?? glassThreshold(fineOd.data);
  // coarse decision: a coarse pixel is tissue only when all its fine pixels are, so a glass gap
  // one fine pixel wide (a notch between branches, a crack) still separates tissue
  const r = factorForMaxSide(fine.rgb.width, fine.rgb.height, TISSUE_DEFAULTS.decisionMaxSidePx);
  const sw = Math.ceil(fineOd.width / r), sh = Math.ceil(fineOd.height / r);
  const f = fine.factor * r;
  const notes: string[] = [];
  const bin = new Uint8Array(sw * sh).fill(1);
  const cxOf = new Int32Array(fineOd.width);
  for (let x = 0; x < cxOf.length; x++) cxOf[x] = (x / r) | 0;
  for (let y = 0; y < fineOd.height; y++) {
    const row = ((y / r) | 0) * sw;
    for (let x = 0, i = y * fineOd.width; x < fineOd.width; x++, i++) {
      if (!(fineOd.data[i]! > thresholdOd)) bin[row + cxOf[x]!] = 0;
    }
  }

  const px2 = o.pixelSizeUm ? o.pixelSizeUm * o.pixelSizeUm : null;
  const lowPxArea = f * f; // full-res pixels per low-res pixel
  const removed = removeDebris(bin, sw, sh, o.minPieceFrac ?? TISSUE_DEFAULTS.minPieceFrac,
    px2 ? (o.minPieceUm2 ?? TISSUE_DEFAULTS.minPieceUm2) / px2 / lowPxArea : 0);
  if (removed > 0) notes.push(`${removed} debris speck(s) removed`);
  let tissueLow = 0;
  for (let i = 0; i < bin.length; i++) tissueLow += bin[i]!;
  const maxHole = Math.min(
    (o.fillHolesMaxFrac ?? TISSUE_DEFAULTS.fillHolesMaxFrac) * tissueLow,
    px2 ? (o.fillHolesMaxUm2 ?? TISSUE_DEFAULTS.fillHolesMaxUm2) / px2 / lowPxArea : Infinity,
  );
  const unfilled = bin.slice();
  const filled = fillHoles(bin, sw, sh, maxHole);
  if (filled.filled > 0) notes.push(`${filled.filled} small hole(s) filled`);
  if (filled.kept > 0) notes.push(`${filled.kept} large hole(s) kept as background (lumen, cavity)`);
  if (tissueLow === 0) {
    notes.push('no tissue found: nothing absorbs more than the glass');
    return { mask: { width: img.width, height: img.height, channels: 1, data: new Uint8Array(img.width * img.height) }, thresholdOd, notes };
  }

  // Edges: half-way levels on the fine copy around the coarse boundary, then full resolution.
  // Transmittance is normalized by the global white only: a smooth illumination factor scales
  // glass, tissue and the pixel alike, so the local half-way comparison needs no flat field.
  const decision = fineDecision(fine, { bin, unfilled, width: sw, height: sh, factor: f }, thresholdOd, illum.whiteFrac);
  const mask = refineBand(img, decision);
  notes.push(`tissue threshold ${thresholdOd.toFixed(3)} OD (sum of R, G, B) on a ${sw}×${sh} map; edges refined at full resolution`);
  return tissueResult(mask, thresholdOd, notes);
}

/** Built outside detectTissue's long loops (on-stack-replaced loops deoptimized at result literals). */
function tissueResult(mask: Mask, thresholdOd: number, notes: string[]): TissueResult {
  return { mask, thresholdOd, notes };
}

/**
 * Threshold on the OD sum from the glass peak: the histogram mode in [−0.1, 0.1] plus 7× the RMS
 * spread of values on its dark (lower-OD) side, clamped to [0.04, 0.10]; 0.06 when no peak.
 */
export function glassThreshold(od: Float32Array): number {
  const lo = -0.1, hi = 0.1, bins = 200, w = (hi - lo) / bins;
  const hist = new Uint32Array(bins);
  let inRange = 0;
  const step = od.length > 400_000 ? 3 : 1; // a subsample is plenty for a histogram
  for (let i = 0; i < od.length; i += step) {
    const b = Math.floor((od[i]! - lo) / w);
    if (b >= 0 && b < bins) {
      hist[b]!++;
      inRange++;
    }
  }
  if (inRange < (0.02 * od.length) / step) return 0.06;
  let mb = 0;
  for (let b = 1; b < bins; b++) if (hist[b]! > hist[mb]!) mb = b;
  const mode = lo + (mb + 0.5) * w;
  let s = 0, n = 0;
  for (let i = 0; i < od.length; i += step) {
    const v = od[i]!;
    if (v <= mode && v > mode - 0.1) {
      s += (v - mode) ** 2;
      n++;
    }
  }
  const sigma = n > 0 ? Math.sqrt(s / n) : 0.01;
  return Math.min(TISSUE_DEFAULTS.thresholdMaxOd, Math.max(TISSUE_DEFAULTS.thresholdMinOd, mode + 7 * sigma));
}

/** Drops 8-connected pieces below max(frac × largest, minArea) (low-res px). Returns how many. */
function removeDebris(bin: Uint8Array, w: number, h: number, frac: number, minArea: number): number {
  const c = labelComponents(bin, w, h, 1, 8);
  let largest = 0;
  for (let k = 1; k <= c.count; k++) largest = Math.max(largest, c.areas[k]!);
  const limit = Math.max(frac * largest, minArea);
  const drop = new Uint8Array(c.count + 1);
  let removed = 0;
  for (let k = 1; k <= c.count; k++) {
    if (c.areas[k]! < limit) {
      drop[k] = 1;
      removed++;
    }
  }
  for (let i = 0; i < bin.length; i++) if (drop[c.labels[i]!]) bin[i] = 0;
  return removed;
}

/** Fills 4-connected background holes (not touching the border) of ≤ maxArea low-res px. */
function fillHoles(bin: Uint8Array, w: number, h: number, maxArea: number): { filled: number; kept: number } {
  const c = labelComponents(bin, w, h, 0, 4);
  const fill = new Uint8Array(c.count + 1);
  let filled = 0, kept = 0;
  for (let k = 1; k <= c.count; k++) {
    if (c.touchesBorder[k]) continue;
    if (c.areas[k]! <= maxArea) {
      fill[k] = 1;
      filled++;
    } else kept++;
  }
  for (let i = 0; i < bin.length; i++) if (fill[c.labels[i]!]) bin[i] = 1;
  return { filled, kept };
}
