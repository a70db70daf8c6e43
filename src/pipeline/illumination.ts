/**
 * Illumination estimation for transmitted-light images: the white point W (signal of clear glass,
 * well bottom or light box) per channel, either one global value or a smooth flat field that
 * follows vignetting and uneven illumination. The result feeds `projectOd` (od.ts).
 *
 * Method (on a ≤ 512 px block-mean copy cut into ~40 × 30 cells; details in illumination-fit.ts):
 * 1. Per cell: the bright level (channel means of the pixels between the 50th and 90th brightness
 *    percentile: immune to a few dark, saturated or hot pixels) and its texture (mean neighbour
 *    difference: ~noise on glass, larger on tissue and cell layers, blind to vignetting).
 * 2. Background cells: smooth cells, seeded by the brightest ones, kept while they are no more than
 *    6 % darker than a surface fitted through the others (2-D polynomial of degree ≤ 2 for the
 *    vignetting + a normalized-convolution correction for finer unevenness). Pale tissue is ≥ 10 %
 *    darker than the glass next to it and drops out.
 * 3. Enough background (≥ 5 % of the cells), glass-like (median texture ≤ 2 %, not > 15 % darker
 *    than the brightest pixels) and spread over the image (degree by coverage of a 3×3 partition)
 *    → per-channel flat field on a grid (`LowResField`), clamped to [0.75, 1.25] × the global white
 *    (the per-channel median of the background cells), so extrapolation over large tissue stays
 *    sane. Otherwise one global white; with no glass-like background at all (a culture-well photo)
 *    the white is the brightest pixel cluster (bare well bottom or, failing that, the cell layer).
 */
import type { FloatMap, RgbImage } from './raster.js';
import type { RgbFloat } from './resample.js';
import { factorForMaxSide } from './resample.js';
import { type Illumination, type LowResField, type Rgb, MIN_TRANSMITTANCE, globalIllumination } from './od.js';
import { scratchFloat32 } from './scratch.js';
import { wasmKernels } from './wasm/kernels.js';
import { type Cells, cellStats, findBackground, fitSurface, histQuantile, polyAt, quantile } from './illumination-fit.js';

/** Block-mean copy of an image plus the factor that made it (low-res pixel i covers [i·f, (i+1)·f)). */
export interface LowResRgb {
  readonly rgb: RgbFloat;
  readonly factor: number;
  readonly fullWidth: number;
  readonly fullHeight: number;
}

export const LOW_RES_MAX_SIDE_PX = 1024;
/** Field grid spacing target: the longer side is covered by about this many grid cells. */
const FIELD_GRID_CELLS = 64;
/** The flat field may deviate from the global white by at most this factor (either way). */
const FIELD_CLAMP_LO = 0.75, FIELD_CLAMP_HI = 1.25;

/**
 * Area-mean downsampling to fractions of full scale (0–1), longer side ≤ `maxSidePx` (integer factor,
 * partial blocks at the right/bottom average what they have). One pass over the image, ≈ 2.5× faster
 * than `downsampleRgb` (per-block row sums). Input untouched. `reuse`: the (8-bit) copy goes to an
 * array of this thread that the next such call overwrites (scratch.ts), so a batch does not
 * allocate 9 MB per 12 MP image; only for callers that drop the copy before the next image.
 */
export function lowResRgb(img: RgbImage, maxSidePx = LOW_RES_MAX_SIDE_PX, o: { reuse?: boolean } = {}): LowResRgb {
  const { width: w, height: h, data } = img;
  if (data instanceof Uint8Array) {
    const f = factorForMaxSide(w, h, maxSidePx);
    const sw = Math.ceil(w / f), sh = Math.ceil(h / f);
    const out = o.reuse ? scratchFloat32('lowResRgb', sw * sh * 3) : undefined;
    const rgb = wasmKernels()?.lowResRgb8(data, w, h, f, sw, sh, out); // same numbers, ~3× faster
    if (rgb) return { rgb: { width: sw, height: sh, data: rgb }, factor: f, fullWidth: w, fullHeight: h };
  }
  return lowResRgbJs(img, maxSidePx);
}

/** `lowResRgb` in plain JS (16-bit images, and where the WebAssembly kernels are off). */
export function lowResRgbJs(img: RgbImage, maxSidePx = LOW_RES_MAX_SIDE_PX): LowResRgb {
  const { width: w, height: h, data } = img;
  const f = factorForMaxSide(w, h, maxSidePx);
  const full = img.bitDepth === 16 ? 65535 : 255;
  const sw = Math.ceil(w / f), sh = Math.ceil(h / f);
  const out = new Float32Array(sw * sh * 3);
  const acc = new Float64Array(sw * 3);
  for (let by = 0; by < sh; by++) {
    acc.fill(0);
    const y1 = Math.min(h, (by + 1) * f);
    for (let y = by * f; y < y1; y++) {
      let p = y * w * 3;
      for (let bx = 0, x = 0; bx < sw; bx++) {
        const xe = Math.min(w, x + f);
        let r = 0, g = 0, b = 0;
        for (; x < xe; x++, p += 3) {
          r += data[p]!;
          g += data[p + 1]!;
          b += data[p + 2]!;
        }
        acc[3 * bx]! += r;
        acc[3 * bx + 1]! += g;
        acc[3 * bx + 2]! += b;
      }
    }
    const ny = y1 - by * f;
    for (let bx = 0; bx < sw; bx++) {
      const k = 1 / ((Math.min(w, (bx + 1) * f) - bx * f) * ny * full);
      const o = (by * sw + bx) * 3;
      out[o] = acc[3 * bx]! * k;
      out[o + 1] = acc[3 * bx + 1]! * k;
      out[o + 2] = acc[3 * bx + 2]! * k;
    }
  }
  return { rgb: { width: sw, height: sh, data: out }, factor: f, fullWidth: w, fullHeight: h };
}

/** Illumination statistics are taken on a copy whose longer side is at most this. */
const ILLUM_MAX_SIDE_PX = 512;

/**
 * Further integer block-mean reduction of a low-res copy so its longer side is ≤ `maxSidePx`.
 * `scratchKey`: the result goes to that work array of this thread (scratch.ts), for a caller that
 * drops it before asking again.
 */
export function reduceLowRes(lr: LowResRgb, maxSidePx: number, scratchKey?: string): LowResRgb {
  const { width: sw, height: sh, data } = lr.rgb;
  const f = factorForMaxSide(sw, sh, maxSidePx);
  if (f === 1) return lr;
  const tw = Math.ceil(sw / f), th = Math.ceil(sh / f);
  const out = scratchKey ? scratchFloat32(scratchKey, tw * th * 3, true) : new Float32Array(tw * th * 3);
  const cnt = scratchFloat32(`reduceLowRes:count:${maxSidePx}`, tw * th, true);
  for (let y = 0; y < sh; y++) {
    const ty = ((y / f) | 0) * tw;
    // block by block, the running sums kept as float32 (rounded at every add, as the array would)
    for (let ox = 0, p = y * sw * 3; ox < tw; ox++) {
      const o = ty + ox, xe = Math.min(sw, (ox + 1) * f);
      let r = out[3 * o]!, g = out[3 * o + 1]!, b = out[3 * o + 2]!;
      for (let x = ox * f; x < xe; x++, p += 3) {
        r = Math.fround(r + data[p]!);
        g = Math.fround(g + data[p + 1]!);
        b = Math.fround(b + data[p + 2]!);
      }
      out[3 * o] = r;
      out[3 * o + 1] = g;
      out[3 * o + 2] = b;
      cnt[o]! += xe - ox * f;
    }
  }
  for (let o = 0; o < cnt.length; o++) {
    const k = 1 / cnt[o]!;
    out[3 * o]! *= k;
    out[3 * o + 1]! *= k;
    out[3 * o + 2]! *= k;
  }
  return { rgb: { width: tw, height: th, data: out }, factor: lr.factor * f, fullWidth: lr.fullWidth, fullHeight: lr.fullHeight };
}

export interface IlluminationOptions {
  /** Fit a smooth flat field when the background allows it (default true). */
  readonly flatField?: boolean;
  /** User-supplied white point (fractions of full scale, 0–1): used as is, no estimation. */
  readonly whiteFrac?: Rgb;
  /** A block-mean copy made earlier with `lowResRgb` (saves one pass over the image). */
  readonly lowRes?: LowResRgb;
}

/** Median relative neighbour difference of background cells above which they are not glass. */
const MAX_GLASS_SPREAD = 0.02;

/**
 * White point or flat field of a brightfield image. Pure; input untouched. `whiteFrac` and the field
 * are fractions of full scale (0–1) per channel; the field is log10(W) on a grid of `cellPx` pixels.
 */
export function estimateIllumination(img: RgbImage, o: IlluminationOptions = {}): Illumination {
  if (o.whiteFrac) return globalIllumination(o.whiteFrac, 'user');
  return estimateIlluminationLowRes(o.lowRes ?? lowResRgb(img), o.flatField ?? true);
}

/** As `estimateIllumination`, from a block-mean copy. */
export function estimateIlluminationLowRes(lowRes: LowResRgb, flatField = true): Illumination {
  const lr = reduceLowRes(lowRes, ILLUM_MAX_SIDE_PX, 'illumination:lowRes'); // never leaves this function
  const cells = cellStats(lr);
  const b = findBackground(cells);
  const cluster = brightestClusterWhite(lr.rgb);
  if (b.count < Math.max(8, 0.05 * cells.n)) return globalIllumination(cluster);
  const spreads: number[] = [];
  for (let i = 0; i < cells.n; i++) if (b.bg[i]) spreads.push(cells.spread[i]!);
  const white: Rgb = [backgroundWhite(cells, b.bg, 0), backgroundWhite(cells, b.bg, 1), backgroundWhite(cells, b.bg, 2)];
  // Glass / light box: uniform cells (noise only) that are not much darker than the brightest
  // pixels. A textured cell layer or darker plate plastic fails this and gets the cluster white.
  const glassLike =
    quantile(spreads, 0.5) <= MAX_GLASS_SPREAD && white[0] + white[1] + white[2] >= 0.85 * (cluster[0] + cluster[1] + cluster[2]);
  if (!glassLike) return globalIllumination(cluster);
  if (!flatField || b.degree === 0) return globalIllumination(white);
  return { source: 'flat-field', whiteFrac: white, field: buildField(cells, b.bg, b.degree, white, lr) };
}

/** Channel k's white: the median over background cells of the cell's bright level (fraction ≤ 1). */
function backgroundWhite(cells: Cells, bg: Float64Array, k: 0 | 1 | 2): number {
  const vals: number[] = [];
  for (let i = 0; i < cells.n; i++) if (bg[i]) vals.push(cells.lnC[k][i]!);
  return Math.min(1, Math.exp(quantile(vals, 0.5)));
}

/**
 * White point from the brightest cluster of low-res pixels (images with little or no glass, e.g. a
 * culture well: bare well bottom or cell layer): per-channel median of the pixels whose brightness
 * lies within 6 % below the 99.5th percentile. Fractions of full scale, 0–1.
 */
export function brightestClusterWhite(rgb: RgbFloat): Rgb {
  const { data } = rgb;
  const n = data.length / 3;
  const bins = 4096;
  const hb = new Uint32Array(bins);
  for (let i = 0, p = 0; i < n; i++, p += 3) hb[Math.min(bins - 1, (((data[p]! + data[p + 1]! + data[p + 2]!) / 3) * bins) | 0)]!++;
  const top = histQuantile(hb, n, 0.995), lo = top * 0.94;
  const hc = [new Uint32Array(bins), new Uint32Array(bins), new Uint32Array(bins)] as const;
  let m = 0;
  for (let i = 0, p = 0; i < n; i++, p += 3) {
    const bb = (data[p]! + data[p + 1]! + data[p + 2]!) / 3;
    if (bb < lo || bb > top) continue;
    m++;
    for (let k = 0; k < 3; k++) hc[k as 0 | 1 | 2][Math.min(bins - 1, (data[p + k]! * bins) | 0)]!++;
  }
  return hc.map((h) => Math.min(1, Math.max(MIN_TRANSMITTANCE, histQuantile(h, m, 0.5)))) as unknown as Rgb;
}

/**
 * Per-channel flat field on a coarse grid of nodes `cellPx` apart: the smooth surface through the
 * background cells (polynomial + normalized-convolution correction), clamped to
 * [0.75, 1.25] × the global white so extrapolation over large tissue cannot run away.
 */
function buildField(cells: Cells, bg: Float64Array, degree: number, white: Rgb, lr: LowResRgb): LowResField {
  const { fullWidth: W, fullHeight: H } = lr;
  const half = Math.max(W, H) / 2;
  const cellPx = Math.max(8, Math.ceil((2 * half) / FIELD_GRID_CELLS));
  const gridW = Math.ceil((W - 1) / cellPx) + 1, gridH = Math.ceil((H - 1) / cellPx) + 1;
  const cellFull = cells.cs * lr.factor; // cell size in full-res pixels
  const plane = (k: 0 | 1 | 2) => {
    const s = fitSurface(cells, cells.lnC[k], bg, degree);
    const lo = Math.log(white[k] * FIELD_CLAMP_LO), hi = Math.log(Math.min(1, white[k] * FIELD_CLAMP_HI));
    return fieldPlane(s, cells, degree, { W, H, half, cellPx, cellFull, gridW, gridH }, lo, hi);
  };
  return { gridW, gridH, cellPx, log10White: [plane(0), plane(1), plane(2)] };
}

interface FieldGeometry {
  readonly W: number;
  readonly H: number;
  readonly half: number;
  readonly cellPx: number;
  readonly cellFull: number;
  readonly gridW: number;
  readonly gridH: number;
}

/** One channel's log10 white on the field grid: polynomial + correction, clamped to [lo, hi] (ln). */
function fieldPlane(s: { coef: Float64Array; corr: Float64Array }, cells: Cells, degree: number, g: FieldGeometry, lo: number, hi: number): Float32Array {
  const { W, H, half, cellPx, cellFull, gridW, gridH } = g;
  const plane = new Float32Array(gridW * gridH);
  for (let j = 0; j < gridH; j++) {
    const y = Math.min(j * cellPx, H - 1);
    for (let i = 0; i < gridW; i++) {
      const x = Math.min(i * cellPx, W - 1);
      const c = bilinear(s.corr, cells.gw, cells.gh, (x + 0.5) / cellFull - 0.5, (y + 0.5) / cellFull - 0.5);
      const ln = polyAt(s.coef, degree, (x - W / 2) / half, (y - H / 2) / half) + c;
      plane[j * gridW + i] = Math.min(hi, Math.max(lo, ln)) / Math.LN10;
    }
  }
  return plane;
}

/** Bilinear sample of a gw×gh grid at fractional grid coordinates (clamped at the border). */
function bilinear(grid: Float64Array | Float32Array, gw: number, gh: number, gx: number, gy: number): number {
  const x = Math.min(Math.max(gx, 0), gw - 1), y = Math.min(Math.max(gy, 0), gh - 1);
  const i0 = Math.min(Math.floor(x), Math.max(0, gw - 2)), j0 = Math.min(Math.floor(y), Math.max(0, gh - 2));
  const i1 = Math.min(i0 + 1, gw - 1), j1 = Math.min(j0 + 1, gh - 1), tx = x - i0, ty = y - j0;
  const a = grid[j0 * gw + i0]! * (1 - tx) + grid[j0 * gw + i1]! * tx;
  const b = grid[j1 * gw + i0]! * (1 - tx) + grid[j1 * gw + i1]! * tx;
  return a * (1 - ty) + b * ty;
}

/** log10 of the white point per channel at full-res pixel (x, y) (pixel-index coordinates). */
export function log10WhiteAt(illum: Illumination, x: number, y: number, out: Float64Array): void {
  const f = illum.field;
  if (!f) {
    for (let k = 0; k < 3; k++) out[k] = Math.log10(illum.whiteFrac[k]!);
    return;
  }
  const gx = Math.min(Math.max(x / f.cellPx, 0), f.gridW - 1), gy = Math.min(Math.max(y / f.cellPx, 0), f.gridH - 1);
  const i0 = Math.min(Math.floor(gx), Math.max(0, f.gridW - 2)), j0 = Math.min(Math.floor(gy), Math.max(0, f.gridH - 2));
  const i1 = Math.min(i0 + 1, f.gridW - 1), j1 = Math.min(j0 + 1, f.gridH - 1);
  const tx = gx - i0, ty = gy - j0;
  for (let k = 0; k < 3; k++) {
    const g = f.log10White[k as 0 | 1 | 2];
    const a = g[j0 * f.gridW + i0]! * (1 - tx) + g[j0 * f.gridW + i1]! * tx;
    const b = g[j1 * f.gridW + i0]! * (1 - tx) + g[j1 * f.gridW + i1]! * tx;
    out[k] = a * (1 - ty) + b * ty;
  }
}

/**
 * Low-resolution map of Σ_k OD_k (OD units, unitless; ~0 on glass, 0–9) from block means.
 * Pixel i of the map covers full-res pixels [i·factor, (i+1)·factor). Input untouched.
 */
export function odSumLowRes(img: RgbImage, illum: Illumination, maxSidePx = LOW_RES_MAX_SIDE_PX): { map: FloatMap; factor: number } {
  return odSumFromLowRes(lowResRgb(img, maxSidePx), illum);
}

let fractionLut: Float32Array | null = null;
/** −log10 of a fraction of full scale, on 2^16 steps (error < 1e-4 OD above 1 % transmittance); built once. */
function fractionOdLut(): Float32Array {
  if (fractionLut) return fractionLut;
  const n = 65536;
  const lut = new Float32Array(n);
  for (let i = 0; i < n; i++) lut[i] = -Math.log10(Math.max(i / (n - 1), MIN_TRANSMITTANCE));
  return (fractionLut = lut);
}

/** As `odSumLowRes`, from a block-mean copy. */
export function odSumFromLowRes(lr: LowResRgb, illum: Illumination): { map: FloatMap; factor: number } {
  const { width: sw, height: sh, data } = lr.rgb;
  const bias = new FieldSumRows(illum, lr);
  const lut = fractionOdLut();
  const viaWasm = wasmKernels()?.odSumLowRes(data, sw, sh, lut, bias); // same sums
  if (viaWasm) return { map: { width: sw, height: sh, data: viaWasm }, factor: lr.factor };
  const out = new Float32Array(sw * sh);
  const row = new Float64Array(sw);
  const q = lut.length - 1;
  for (let y = 0; y < sh; y++) {
    bias.fill(y, row);
    for (let x = 0, p = y * sw * 3; x < sw; x++, p += 3) {
      out[y * sw + x] = row[x]! + lut[(data[p]! * q + 0.5) | 0]! + lut[(data[p + 1]! * q + 0.5) | 0]! + lut[(data[p + 2]! * q + 0.5) | 0]!;
    }
  }
  return { map: { width: sw, height: sh, data: out }, factor: lr.factor };
}

/**
 * Fills `out[x]` with Σ_k weights_k·log10 W_k at the centre of low-res pixel (x, y) (bilinear in
 * the field grid; constant for a global white). A class: hot loops call it once per row.
 */
export class FieldSumRows {
  private readonly constant: number;
  private readonly sum: Float64Array;
  private readonly i0: Int32Array;
  private readonly i1: Int32Array;
  private readonly tx: Float64Array;
  private readonly ra: Float64Array;
  constructor(private readonly illum: Illumination, private readonly lr: LowResRgb, weights: Rgb = [1, 1, 1]) {
    const f = illum.field;
    this.constant = weights[0] * Math.log10(illum.whiteFrac[0]) + weights[1] * Math.log10(illum.whiteFrac[1]) + weights[2] * Math.log10(illum.whiteFrac[2]);
    const gridW = f?.gridW ?? 0, sw = f ? lr.rgb.width : 0;
    this.sum = new Float64Array(f ? gridW * f.gridH : 0);
    if (f) {
      for (let i = 0; i < this.sum.length; i++) {
        this.sum[i] = weights[0] * f.log10White[0][i]! + weights[1] * f.log10White[1][i]! + weights[2] * f.log10White[2][i]!;
      }
    }
    this.i0 = new Int32Array(sw);
    this.i1 = new Int32Array(sw);
    this.tx = new Float64Array(sw);
    for (let x = 0; f && x < sw; x++) {
      const gx = Math.min(Math.max(((x + 0.5) * lr.factor - 0.5) / f.cellPx, 0), f.gridW - 1);
      this.i0[x] = Math.min(Math.floor(gx), Math.max(0, f.gridW - 2));
      this.i1[x] = Math.min(this.i0[x]! + 1, f.gridW - 1);
      this.tx[x] = gx - this.i0[x]!;
    }
    this.ra = new Float64Array(gridW);
  }

  fill(y: number, out: Float64Array): void {
    const f = this.illum.field;
    if (!f) {
      out.fill(this.constant);
      return;
    }
    const gy = Math.min(Math.max(((y + 0.5) * this.lr.factor - 0.5) / f.cellPx, 0), f.gridH - 1);
    fieldSumRow(this.sum, f.gridW, f.gridH, gy, this.i0, this.i1, this.tx, this.ra, out);
  }
}

/** Row of the bilinear interpolation of `sum` at grid row coordinate gy (columns from i0/i1/tx); `ra` is scratch. */
function fieldSumRow(
  sum: Float64Array, gridW: number, gridH: number, gy: number, i0: Int32Array, i1: Int32Array, tx: Float64Array, ra: Float64Array, out: Float64Array,
): void {
  const j0 = Math.min(Math.floor(gy), Math.max(0, gridH - 2)), j1 = Math.min(j0 + 1, gridH - 1), ty = gy - j0;
  for (let i = 0; i < gridW; i++) ra[i] = sum[j0 * gridW + i]! * (1 - ty) + sum[j1 * gridW + i]! * ty;
  for (let x = 0; x < out.length; x++) out[x] = ra[i0[x]!]! * (1 - tx[x]!) + ra[i1[x]!]! * tx[x]!;
}
