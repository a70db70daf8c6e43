/** Small synthetic rasters with known answers, for unit tests. */
import type { FloatMap, Mask, RgbImage } from '../../../src/pipeline/raster.js';

export function discMask(width: number, height: number, cx: number, cy: number, r: number): Mask {
  const data = new Uint8Array(width * height);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) if ((x + 0.5 - cx) ** 2 + (y + 0.5 - cy) ** 2 < r * r) data[y * width + x] = 255;
  return { width, height, channels: 1, data };
}

export function maskFromRows(rows: string[]): Mask {
  const height = rows.length, width = rows[0]!.length;
  const data = new Uint8Array(width * height);
  rows.forEach((row, y) => [...row].forEach((c, x) => (data[y * width + x] = c === '#' ? 255 : 0)));
  return { width, height, channels: 1, data };
}

export function count(mask: Mask): number {
  let n = 0;
  for (const v of mask.data) if (v) n++;
  return n;
}

export function floatMap(width: number, height: number, f: (x: number, y: number) => number): FloatMap {
  const data = new Float32Array(width * height);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) data[y * width + x] = f(x, y);
  return { width, height, data };
}

/** Deterministic pseudo-random numbers (mulberry32). */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Gaussian noise via Box–Muller. */
export function gaussian(rand: () => number): number {
  return Math.sqrt(-2 * Math.log(Math.max(rand(), 1e-12))) * Math.cos(2 * Math.PI * rand());
}

/**
 * Beer–Lambert rendering of stain amounts: pixel = white · 10^(−Σ amount·vector), 8-bit, optional
 * Gaussian noise σ (fraction of full scale) and box blur radius.
 */
export function renderRgb(
  width: number,
  height: number,
  stains: { vector: readonly [number, number, number]; amount: (x: number, y: number) => number }[],
  o: { white?: readonly [number, number, number]; noise?: number; seed?: number; bitDepth?: 8 | 16 } = {},
): RgbImage {
  const white = o.white ?? [0.95, 0.95, 0.95];
  const full = o.bitDepth === 16 ? 65535 : 255;
  const data = o.bitDepth === 16 ? new Uint16Array(width * height * 3) : new Uint8Array(width * height * 3);
  const rand = rng(o.seed ?? 1);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++)
      for (let k = 0; k < 3; k++) {
        let od = 0;
        for (const s of stains) od += s.amount(x, y) * s.vector[k]!;
        let v = white[k]! * 10 ** -od;
        if (o.noise) v += o.noise * gaussian(rand);
        data[(y * width + x) * 3 + k] = Math.min(full, Math.max(0, Math.round(v * full)));
      }
  return { width, height, data, bitDepth: o.bitDepth ?? 8 };
}
