/**
 * Small synthetic brightfield rasters with exact answers for the reference-area tests, rendered
 * like tools/synth.py: transmittance T = substrate · 10^(−OD) per channel, Gaussian blur of T (the
 * ground truth is the pre-blur geometry), illumination (white balance × vignetting), noise,
 * 8- or 16-bit quantization. Deterministic (seeded PRNG).
 */
import type { Mask, RgbImage } from '../../../src/pipeline/raster.js';
import { rng as uniformRng } from '../helpers/rasters.js';

export type Rgb = readonly [number, number, number];

/** Deterministic PRNG (mulberry32) and a Gaussian from it. */
export function rng(seed: number): { uniform: () => number; normal: () => number } {
  const uniform = uniformRng(seed);
  const normal = () => Math.sqrt(-2 * Math.log(uniform() + 1e-12)) * Math.cos(2 * Math.PI * uniform());
  return { uniform, normal };
}

export interface Scene {
  readonly width: number;
  readonly height: number;
  /** Per-pixel OD per channel (3 interleaved), evaluated at pixel centres. */
  readonly od: Float32Array;
  /** Per-pixel neutral substrate transmittance (glass 0.97, plastic 0.45, …). */
  readonly substrate: Float32Array;
  /** Ground-truth reference mask (0/255). */
  readonly truth: Mask;
}

export function emptyScene(width: number, height: number, substrate = 0.97): Scene {
  return {
    width,
    height,
    od: new Float32Array(width * height * 3),
    substrate: new Float32Array(width * height).fill(substrate),
    truth: { width, height, channels: 1, data: new Uint8Array(width * height) },
  };
}

/** Paints OD `od` (+ optional multiplicative texture) where `inside(x, y)`; marks the truth if asked. */
export function paint(s: Scene, inside: (x: number, y: number) => boolean, od: Rgb, o: { truth?: 0 | 255; texture?: number; seed?: number } = {}): void {
  const r = rng(o.seed ?? 1);
  for (let y = 0; y < s.height; y++) {
    for (let x = 0; x < s.width; x++) {
      if (!inside(x, y)) continue;
      const i = y * s.width + x;
      const k = 1 + (o.texture ?? 0) * (r.uniform() * 2 - 1);
      for (let c = 0; c < 3; c++) s.od[3 * i + c] = od[c]! * k;
      if (o.truth !== undefined) s.truth.data[i] = o.truth;
    }
  }
}

export interface CameraOptions {
  readonly blurSigmaPx?: number;
  /** Relative fall-off at the corners (quadratic in radius). */
  readonly vignette?: number;
  readonly whiteBalance?: Rgb;
  readonly exposure?: number;
  /** Gaussian noise σ as a fraction of full scale. */
  readonly noise?: number;
  readonly bitDepth?: 8 | 16;
  readonly seed?: number;
  /** Extra multiplicative illumination (e.g. a rim shadow), not blurred. */
  readonly illumination?: (x: number, y: number) => number;
}

/** Renders a scene to an RgbImage. */
export function render(s: Scene, o: CameraOptions = {}): RgbImage {
  const { width: w, height: h } = s;
  const n = w * h;
  const bits = o.bitDepth ?? 8, full = bits === 16 ? 65535 : 255;
  const wb = o.whiteBalance ?? [1, 1, 1], e = o.exposure ?? 0.93, v = o.vignette ?? 0;
  const r = rng(o.seed ?? 7);
  const data = bits === 16 ? new Uint16Array(n * 3) : new Uint8Array(n * 3);
  const rmax = Math.hypot(w / 2, h / 2);
  for (let c = 0; c < 3; c++) {
    let t: Float32Array = new Float32Array(n);
    for (let i = 0; i < n; i++) t[i] = s.substrate[i]! * 10 ** -s.od[3 * i + c]!;
    if ((o.blurSigmaPx ?? 0) > 0) t = gaussianBlur(t, w, h, o.blurSigmaPx!);
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        const i = y * w + x;
        const ill = (1 - v * (Math.hypot(x - w / 2, y - h / 2) / rmax) ** 2) * (o.illumination ? o.illumination(x, y) : 1);
        const sig = t[i]! * ill * wb[c]! * e + (o.noise ?? 0) * r.normal();
        data[3 * i + c] = Math.min(full, Math.max(0, Math.round(sig * full)));
      }
    }
  }
  return { width: w, height: h, data, bitDepth: bits };
}

/** True white point (fraction of full scale) of glass at (x, y) for the options used in render. */
export function trueWhite(s: Scene, o: CameraOptions, x: number, y: number, c: 0 | 1 | 2, glass = 0.97): number {
  const rmax = Math.hypot(s.width / 2, s.height / 2);
  const v = o.vignette ?? 0;
  return glass * (o.whiteBalance ?? [1, 1, 1])[c]! * (o.exposure ?? 0.93) * (1 - v * (Math.hypot(x - s.width / 2, y - s.height / 2) / rmax) ** 2);
}

/** Separable Gaussian blur with reflected borders. */
export function gaussianBlur(src: Float32Array, w: number, h: number, sigma: number): Float32Array {
  const r = Math.ceil(3 * sigma);
  const k = Array.from({ length: 2 * r + 1 }, (_, i) => Math.exp(-((i - r) ** 2) / (2 * sigma * sigma)));
  const sum = k.reduce((a, b) => a + b, 0);
  for (let i = 0; i < k.length; i++) k[i] = k[i]! / sum;
  const refl = (i: number, n: number) => (i < 0 ? -i - 1 : i >= n ? 2 * n - i - 1 : i);
  const tmp = new Float32Array(w * h), out = new Float32Array(w * h);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      let s = 0;
      for (let d = -r; d <= r; d++) s += k[d + r]! * src[y * w + refl(x + d, w)]!;
      tmp[y * w + x] = s;
    }
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      let s = 0;
      for (let d = -r; d <= r; d++) s += k[d + r]! * tmp[refl(y + d, h) * w + x]!;
      out[y * w + x] = s;
    }
  return out;
}

/** Pixel counts and Dice between a mask and the truth. */
export function compare(mask: Mask, truth: Mask): { areaPx: number; truthPx: number; areaErrPct: number; dice: number } {
  let a = 0, b = 0, both = 0;
  for (let i = 0; i < truth.data.length; i++) {
    const p = mask.data[i]! > 0, q = truth.data[i]! > 0;
    if (p) a++;
    if (q) b++;
    if (p && q) both++;
  }
  return { areaPx: a, truthPx: b, areaErrPct: (100 * (a - b)) / Math.max(1, b), dice: (2 * both) / Math.max(1, a + b) };
}

/** Element-wise equality of two typed arrays (fast; vitest's deep equality is slow on megapixels). */
export function sameData(a: ArrayLike<number>, b: ArrayLike<number>): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
