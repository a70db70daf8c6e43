/**
 * Optical density (OD) of transmitted-light images.
 *
 * OD_k(x) = −log10( I_k(x) / W_k(x) ) for channel k, where W is the white point: the signal a
 * pixel would have with nothing but clear glass / well bottom in the light path. W is either one
 * RGB value for the whole image or a smooth per-channel field (flat-field correction of vignetting
 * and uneven illumination), stored at low resolution as log10(W) and interpolated bilinearly.
 *
 * Projections Σ_k w_k·OD_k are computed in one pass with per-channel lookup tables, so 16-bit
 * images keep their precision and no per-pixel logarithm is evaluated.
 */
import type { FloatMap, RgbImage } from './raster.js';

export type Rgb = readonly [number, number, number];

export interface Illumination {
  /** How W was obtained. */
  readonly source: 'global' | 'flat-field' | 'user';
  /** Mean white point, as a fraction of full scale (0–1) per channel. */
  readonly whiteFrac: Rgb;
  /** Optional smooth field: log10 of W as a fraction of full scale, per channel, on a coarse grid. */
  readonly field?: LowResField;
}

/** A smooth per-channel field sampled on a coarse grid; grid node (i, j) sits at image pixel (i·cellPx, j·cellPx). */
export interface LowResField {
  readonly gridW: number;
  readonly gridH: number;
  readonly cellPx: number;
  /** Planar: three planes of gridW·gridH values (log10 of white as a fraction of full scale). */
  readonly log10White: readonly [Float32Array, Float32Array, Float32Array];
}

/** Darkest transmittance we trust (OD 3.0): below this, sensor noise dominates. */
export const MIN_TRANSMITTANCE = 1e-3;
export const MAX_OD = 3;

export function globalIllumination(whiteFrac: Rgb, source: 'global' | 'user' = 'global'): Illumination {
  return { source, whiteFrac };
}

/** −log10(v / full) for every code value v, clamped to [0, MAX_OD] before the white-point shift. */
function buildLog10Lut(bitDepth: 8 | 16): Float32Array {
  const full = bitDepth === 16 ? 65535 : 255;
  const lut = new Float32Array(full + 1);
  for (let v = 0; v <= full; v++) lut[v] = -Math.log10(Math.max(v / full, MIN_TRANSMITTANCE));
  return lut;
}
const lutCache = new Map<number, Float32Array>();
export function log10Lut(bitDepth: 8 | 16): Float32Array {
  let lut = lutCache.get(bitDepth);
  if (!lut) {
    lut = buildLog10Lut(bitDepth);
    lutCache.set(bitDepth, lut);
  }
  return lut;
}

/**
 * Per-pixel Σ_k weights_k · OD_k. Result in OD units (unitless, relative to white), clamped to
 * [−MAX_OD·Σ|w|, MAX_OD·Σ|w|]. Input untouched.
 */
export function projectOd(img: RgbImage, illum: Illumination, weights: Rgb): FloatMap {
  const { width, height, data } = img;
  const lut = log10Lut(img.bitDepth);
  const n = lut.length;
  const l0 = new Float32Array(n), l1 = new Float32Array(n), l2 = new Float32Array(n);
  for (let v = 0; v < n; v++) {
    l0[v] = weights[0] * lut[v]!;
    l1[v] = weights[1] * lut[v]!;
    l2[v] = weights[2] * lut[v]!;
  }
  const out = new Float32Array(width * height);
  if (!illum.field) {
    // OD relative to W: −log10(I/full) + log10(W/full)
    const bias =
      weights[0] * Math.log10(illum.whiteFrac[0]) +
      weights[1] * Math.log10(illum.whiteFrac[1]) +
      weights[2] * Math.log10(illum.whiteFrac[2]);
    for (let i = 0, p = 0; i < out.length; i++, p += 3) {
      out[i] = l0[data[p]!]! + l1[data[p + 1]!]! + l2[data[p + 2]!]! + bias;
    }
  } else {
    const biasRow = new Float32Array(width);
    const f = illum.field;
    const combined = new Float32Array(f.gridW * f.gridH);
    for (let i = 0; i < combined.length; i++) {
      combined[i] =
        weights[0] * f.log10White[0][i]! + weights[1] * f.log10White[1][i]! + weights[2] * f.log10White[2][i]!;
    }
    for (let y = 0; y < height; y++) {
      sampleFieldRow(combined, f.gridW, f.gridH, f.cellPx, y, biasRow);
      let p = y * width * 3;
      let i = y * width;
      for (let x = 0; x < width; x++, i++, p += 3) {
        out[i] = l0[data[p]!]! + l1[data[p + 1]!]! + l2[data[p + 2]!]! + biasRow[x]!;
      }
    }
  }
  return { width, height, data: out };
}

/** Bilinear interpolation of one image row y from a coarse grid into `out` (length = image width). */
export function sampleFieldRow(
  grid: Float32Array,
  gridW: number,
  gridH: number,
  cellPx: number,
  y: number,
  out: Float32Array,
): void {
  const gy = Math.min(Math.max(y / cellPx, 0), gridH - 1);
  const j0 = Math.min(Math.floor(gy), gridH - 1);
  const j1 = Math.min(j0 + 1, gridH - 1);
  const ty = gy - j0;
  for (let x = 0; x < out.length; x++) {
    const gx = Math.min(Math.max(x / cellPx, 0), gridW - 1);
    const i0 = Math.min(Math.floor(gx), gridW - 1);
    const i1 = Math.min(i0 + 1, gridW - 1);
    const tx = gx - i0;
    const a = grid[j0 * gridW + i0]! * (1 - tx) + grid[j0 * gridW + i1]! * tx;
    const b = grid[j1 * gridW + i0]! * (1 - tx) + grid[j1 * gridW + i1]! * tx;
    out[x] = a * (1 - ty) + b * ty;
  }
}
