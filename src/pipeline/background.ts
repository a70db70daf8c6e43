/**
 * Local background level of the mineral-stain amount: the smooth mean of the pixels that are not
 * (near) deposits, by normalized convolution (Knutsson & Westin 1993): B = G∗(f·w) / G∗w with a
 * Gaussian G and weights w = 1 on valid pixels. Computed on a grid downsampled by ≈σ/4, where a
 * Gaussian of a few samples is cheap, then upsampled bilinearly.
 */
import type { FloatMap, Mask } from './raster.js';
import { upsampleFloat } from './resample.js';

/** Separable Gaussian blur of a (small) float map; edges replicate. σ in samples of this map. */
export function gaussianBlur(map: FloatMap, sigma: number): FloatMap {
  const { width, height } = map;
  if (!(sigma > 0.3)) return { width, height, data: map.data.slice() };
  const r = Math.ceil(3 * sigma);
  const k = new Float32Array(2 * r + 1);
  let s = 0;
  for (let i = -r; i <= r; i++) s += k[i + r] = Math.exp((-i * i) / (2 * sigma * sigma));
  for (let i = 0; i < k.length; i++) k[i]! /= s;
  const tmp = new Float32Array(width * height);
  const out = new Float32Array(width * height);
  const src = map.data;
  for (let y = 0; y < height; y++) {
    const row = y * width;
    for (let x = 0; x < width; x++) {
      let acc = 0;
      for (let i = -r; i <= r; i++) {
        const xx = x + i < 0 ? 0 : x + i >= width ? width - 1 : x + i;
        acc += k[i + r]! * src[row + xx]!;
      }
      tmp[row + x] = acc;
    }
  }
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let acc = 0;
      for (let i = -r; i <= r; i++) {
        const yy = y + i < 0 ? 0 : y + i >= height ? height - 1 : y + i;
        acc += k[i + r]! * tmp[yy * width + x]!;
      }
      out[y * width + x] = acc;
    }
  }
  return { width, height, data: out };
}

/**
 * Smooth local mean of `amount` over `valid` pixels with a Gaussian of σ = sigmaPx (full-resolution
 * pixels). Where valid pixels are scarce the result is pulled towards `fallback`
 * (a weight of `fallbackWeightFrac` of a fully valid neighbourhood). Returns a full-size map.
 */
export function localBackground(
  amount: FloatMap,
  valid: Mask,
  sigmaPx: number,
  fallback: number,
  fallbackWeightFrac = 0.02,
): FloatMap {
  const { width, height } = amount;
  const factor = Math.max(1, Math.floor(sigmaPx / 4));
  const gw = Math.ceil(width / factor), gh = Math.ceil(height / factor);
  const num = new Float32Array(gw * gh), den = new Float32Array(gw * gh);
  const a = amount.data, v = valid.data;
  for (let y = 0; y < height; y++) {
    const gy = Math.floor(y / factor) * gw;
    const row = y * width;
    for (let x = 0; x < width; x++) {
      if (v[row + x] === 0) continue;
      const g = gy + Math.floor(x / factor);
      num[g]! += a[row + x]!;
      den[g]! += 1;
    }
  }
  const sigmaLow = sigmaPx / factor;
  const numB = gaussianBlur({ width: gw, height: gh, data: num }, sigmaLow).data;
  const denB = gaussianBlur({ width: gw, height: gh, data: den }, sigmaLow).data;
  const k = fallbackWeightFrac * factor * factor;
  const low = new Float32Array(gw * gh);
  for (let i = 0; i < low.length; i++) low[i] = (numB[i]! + k * fallback) / (denB[i]! + k);
  return upsampleFloat({ width: gw, height: gh, data: low }, factor, width, height);
}
