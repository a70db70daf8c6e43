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
 * Per-pixel Σ_k weights_k · OD_k. Result in OD units (unitless, relative to white). Input untouched.
 * With `spans` (per row [x0, x1), see maskRowSpans) only those pixels are computed; the rest are 0.
 * Per-channel lookup tables (8- and 16-bit loops kept apart so each stays monomorphic); the flat
 * field is interpolated row by row. `into`: a buffer of width·height to write into (it is zeroed
 * first), e.g. one reused from image to image: a fresh 48 MB buffer costs ~20 ms of page faults.
 */
export function projectOd(img: RgbImage, illum: Illumination, weights: Rgb, spans?: Int32Array, into?: Float32Array): FloatMap {
  const { width, height } = img;
  const lut = log10Lut(img.bitDepth);
  const out = into && into.length === width * height ? into.fill(0) : new Float32Array(width * height);
  const bias = fieldBias(illum, weights, width);
  const rows = spans ?? fullSpans(width, height);
  if (img.data instanceof Uint8Array) {
    fillWeighted8(lut, weights);
    project8(img.data, width, height, bias, out, rows);
  } else {
    const n = lut.length;
    const l0 = new Float32Array(n), l1 = new Float32Array(n), l2 = new Float32Array(n);
    for (let v = 0; v < n; v++) {
      l0[v] = weights[0] * lut[v]!;
      l1[v] = weights[1] * lut[v]!;
      l2[v] = weights[2] * lut[v]!;
    }
    project16(img.data, width, height, l0, l1, l2, bias, out, rows);
  }
  return { width, height, data: out };
}

function fillWeighted8(lut: Float32Array, weights: Rgb): void {
  for (let v = 0; v < 256; v++) {
    WEIGHTED8_R[v] = weights[0] * lut[v]!;
    WEIGHTED8_G[v] = weights[1] * lut[v]!;
    WEIGHTED8_B[v] = weights[2] * lut[v]!;
  }
}

/** The three 8-bit weighted tables in one array (R, G, B; 768 values), for the WebAssembly kernel. */
export function weighted8Table(weights: Rgb): Float32Array {
  fillWeighted8(log10Lut(8), weights);
  WEIGHTED8_RGB.set(WEIGHTED8_R, 0);
  WEIGHTED8_RGB.set(WEIGHTED8_G, 256);
  WEIGHTED8_RGB.set(WEIGHTED8_B, 512);
  return WEIGHTED8_RGB;
}

const WEIGHTED8_RGB = new Float32Array(768);

/**
 * The 8-bit weighted lookup tables, refilled by each projectOd call (analyses are synchronous).
 * Module constants rather than arguments: the optimizing compiler then knows their length (256)
 * and drops the bounds check of each lookup by a byte, which makes the projection ~35 % faster.
 */
const WEIGHTED8_R = new Float32Array(256), WEIGHTED8_G = new Float32Array(256), WEIGHTED8_B = new Float32Array(256);

/** Rows of a combined flat field (a class: a per-image closure would be a new call target each time). */
class FieldRows {
  private readonly out: Float32Array;
  constructor(readonly combined: Float32Array, readonly field: LowResField, width: number) {
    this.out = new Float32Array(width);
  }

  row(y: number): Float32Array {
    const f = this.field;
    sampleFieldRow(this.combined, f.gridW, f.gridH, f.cellPx, y, this.out);
    return this.out;
  }
}

/** Per-row bias Σ w_k·log10 W_k: a constant, or rows interpolated from the flat field. */
type RowBias = number | FieldRows;

export function fieldBias(illum: Illumination, weights: Rgb, width: number): RowBias {
  const f = illum.field;
  if (!f) {
    return (
      weights[0] * Math.log10(illum.whiteFrac[0]) +
      weights[1] * Math.log10(illum.whiteFrac[1]) +
      weights[2] * Math.log10(illum.whiteFrac[2])
    );
  }
  const combined = new Float32Array(f.gridW * f.gridH);
  for (let i = 0; i < combined.length; i++) {
    combined[i] = weights[0] * f.log10White[0][i]! + weights[1] * f.log10White[1][i]! + weights[2] * f.log10White[2][i]!;
  }
  return new FieldRows(combined, f, width);
}

/** Every row whole. */
function fullSpans(width: number, height: number): Int32Array {
  const s = new Int32Array(2 * height);
  for (let y = 0; y < height; y++) s[2 * y + 1] = width;
  return s;
}

function project8(data: Uint8Array, width: number, height: number, bias: RowBias, out: Float32Array, spans: Int32Array): void {
  const constant = typeof bias === 'number' ? bias : 0;
  const l0 = WEIGHTED8_R, l1 = WEIGHTED8_G, l2 = WEIGHTED8_B;
  for (let y = 0; y < height; y++) {
    const x0 = spans[2 * y]!, x1 = spans[2 * y + 1]!;
    if (x1 <= x0) continue;
    const b = typeof bias === 'number' ? null : bias.row(y);
    let p = (y * width + x0) * 3;
    const o = y * width;
    if (b) for (let x = x0; x < x1; x++, p += 3) out[o + x] = l0[data[p]!]! + l1[data[p + 1]!]! + l2[data[p + 2]!]! + b[x]!;
    else for (let x = x0; x < x1; x++, p += 3) out[o + x] = l0[data[p]!]! + l1[data[p + 1]!]! + l2[data[p + 2]!]! + constant;
  }
}

function project16(
  data: Uint16Array, width: number, height: number, l0: Float32Array, l1: Float32Array, l2: Float32Array, bias: RowBias, out: Float32Array,
  spans: Int32Array,
): void {
  const constant = typeof bias === 'number' ? bias : 0;
  for (let y = 0; y < height; y++) {
    const x0 = spans[2 * y]!, x1 = spans[2 * y + 1]!;
    if (x1 <= x0) continue;
    const b = typeof bias === 'number' ? null : bias.row(y);
    let p = (y * width + x0) * 3;
    const o = y * width;
    for (let x = x0; x < x1; x++, p += 3) out[o + x] = l0[data[p]!]! + l1[data[p + 1]!]! + l2[data[p + 2]!]! + (b ? b[x]! : constant);
  }
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
  // grid nodes i sit at x = i·cellPx: linear interpolation between consecutive nodes, one
  // segment at a time with an incremental parameter; constant beyond the last node
  const r0 = j0 * gridW, r1 = j1 * gridW;
  const node = (i: number) => grid[r0 + i]! * (1 - ty) + grid[r1 + i]! * ty;
  const W = out.length;
  let x = 0;
  for (let i = 0; i < gridW - 1 && x < W; i++) {
    const v0 = node(i), dv = (node(i + 1) - v0) / cellPx;
    const end = Math.min(W, Math.ceil((i + 1) * cellPx));
    let v = v0 + (x - i * cellPx) * dv;
    for (; x < end; x++, v += dv) out[x] = v;
  }
  const last = node(gridW - 1);
  for (; x < W; x++) out[x] = last;
}
