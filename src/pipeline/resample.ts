/**
 * Resampling of float maps and RGB images by plain typed-array loops (no I/O).
 * Downsampling is an area mean over factor×factor blocks (partial blocks at the right/bottom edge
 * average the pixels they have); upsampling is bilinear with pixel centres aligned.
 */
import type { FloatMap, RgbImage } from './raster.js';

/** RGB as fractions of full scale (0–1), 3 interleaved floats per pixel. */
export interface RgbFloat {
  readonly width: number;
  readonly height: number;
  readonly data: Float32Array;
}

export function downsampledSize(width: number, height: number, factor: number): { width: number; height: number } {
  return { width: Math.ceil(width / factor), height: Math.ceil(height / factor) };
}

/** Area-mean downsampling of a float map by an integer factor ≥ 1. */
export function downsampleFloat(map: FloatMap, factor: number): FloatMap {
  const f = Math.max(1, Math.floor(factor));
  const { width, height } = downsampledSize(map.width, map.height, f);
  const sum = new Float64Array(width * height);
  const cnt = new Uint32Array(width * height);
  const src = map.data;
  for (let y = 0; y < map.height; y++) {
    const oy = Math.floor(y / f) * width;
    const row = y * map.width;
    for (let x = 0; x < map.width; x++) {
      const o = oy + Math.floor(x / f);
      sum[o]! += src[row + x]!;
      cnt[o]!++;
    }
  }
  const out = new Float32Array(width * height);
  for (let i = 0; i < out.length; i++) out[i] = sum[i]! / Math.max(1, cnt[i]!);
  return { width, height, data: out };
}

/** Area-mean downsampling of an RGB image to fractions of full scale. */
export function downsampleRgb(img: RgbImage, factor: number): RgbFloat {
  const f = Math.max(1, Math.floor(factor));
  const { width, height } = downsampledSize(img.width, img.height, f);
  const full = img.bitDepth === 16 ? 65535 : 255;
  const sum = new Float64Array(width * height * 3);
  const cnt = new Uint32Array(width * height);
  const src = img.data;
  for (let y = 0; y < img.height; y++) {
    const oy = Math.floor(y / f) * width;
    let p = y * img.width * 3;
    for (let x = 0; x < img.width; x++, p += 3) {
      const o = oy + Math.floor(x / f);
      sum[3 * o]! += src[p]!;
      sum[3 * o + 1]! += src[p + 1]!;
      sum[3 * o + 2]! += src[p + 2]!;
      cnt[o]!++;
    }
  }
  const out = new Float32Array(width * height * 3);
  for (let o = 0; o < cnt.length; o++) {
    const k = 1 / (Math.max(1, cnt[o]!) * full);
    out[3 * o] = sum[3 * o]! * k;
    out[3 * o + 1] = sum[3 * o + 1]! * k;
    out[3 * o + 2] = sum[3 * o + 2]! * k;
  }
  return { width, height, data: out };
}

/**
 * Bilinear upsampling of a map that was downsampled by `factor` back to width×height.
 * Low-res sample i covers full-res pixels [i·factor, (i+1)·factor), its centre is at (i + 0.5)·factor − 0.5.
 */
export function upsampleFloat(map: FloatMap, factor: number, width: number, height: number): FloatMap {
  const out = new Float32Array(width * height);
  const xs0 = new Int32Array(width), xs1 = new Int32Array(width), xt = new Float32Array(width);
  for (let x = 0; x < width; x++) {
    const g = Math.min(Math.max((x + 0.5) / factor - 0.5, 0), map.width - 1);
    const i0 = Math.floor(g);
    xs0[x] = i0;
    xs1[x] = Math.min(i0 + 1, map.width - 1);
    xt[x] = g - i0;
  }
  const src = map.data;
  for (let y = 0; y < height; y++) {
    const g = Math.min(Math.max((y + 0.5) / factor - 0.5, 0), map.height - 1);
    const j0 = Math.floor(g);
    const j1 = Math.min(j0 + 1, map.height - 1);
    const ty = g - j0;
    const r0 = j0 * map.width, r1 = j1 * map.width, o = y * width;
    for (let x = 0; x < width; x++) {
      const t = xt[x]!;
      const a = src[r0 + xs0[x]!]! * (1 - t) + src[r0 + xs1[x]!]! * t;
      const b = src[r1 + xs0[x]!]! * (1 - t) + src[r1 + xs1[x]!]! * t;
      out[o + x] = a * (1 - ty) + b * ty;
    }
  }
  return { width, height, data: out };
}

/** Integer factor that brings the longer side to at most `maxSidePx`. */
export function factorForMaxSide(width: number, height: number, maxSidePx: number): number {
  return Math.max(1, Math.ceil(Math.max(width, height) / maxSidePx));
}
