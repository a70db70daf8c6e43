/**
 * Morphology by plain typed-array loops (measured faster than OpenCV-WASM for these sizes, see
 * `npm run bench`). Inputs are never modified.
 */
import type { FloatMap, Mask } from './raster.js';

/**
 * Running max over windows of 2r+1 samples (van Herk / Gil–Werman: 3 comparisons per sample
 * whatever r). `src` and `dst` have `n` samples spaced `stride` apart starting at `offset`.
 */
function runningMax1d(
  src: Float32Array,
  dst: Float32Array,
  offset: number,
  stride: number,
  n: number,
  r: number,
  g: Float32Array,
  h: Float32Array,
): void {
  const k = 2 * r + 1;
  const padded = n + 2 * r;
  const total = Math.ceil(padded / k) * k;
  // g: prefix max within each block, h: suffix max within each block, over the padded line
  for (let i = 0; i < total; i++) {
    const j = i - r;
    const v = j >= 0 && j < n ? src[offset + j * stride]! : -Infinity;
    g[i] = i % k === 0 ? v : Math.max(g[i - 1]!, v);
  }
  for (let i = total - 1; i >= 0; i--) {
    const j = i - r;
    const v = j >= 0 && j < n ? src[offset + j * stride]! : -Infinity;
    h[i] = i % k === k - 1 || i === total - 1 ? v : Math.max(h[i + 1]!, v);
  }
  for (let x = 0; x < n; x++) {
    // window in padded coordinates: [x, x + 2r]
    dst[offset + x * stride] = Math.max(h[x]!, g[x + 2 * r]!);
  }
}

/** Grey dilation (max filter) of a float map with a (2r+1)² square. Shape and units unchanged. */
export function maxFilterSquare(map: FloatMap, radiusPx: number): FloatMap {
  const r = Math.max(0, Math.floor(radiusPx));
  const { width, height } = map;
  if (r === 0) return { width, height, data: map.data.slice() };
  const k = 2 * r + 1;
  const len = Math.ceil((Math.max(width, height) + 2 * r) / k) * k;
  const g = new Float32Array(len), h = new Float32Array(len);
  const tmp = new Float32Array(width * height);
  for (let y = 0; y < height; y++) runningMax1d(map.data, tmp, y * width, 1, width, r, g, h);
  const out = new Float32Array(width * height);
  for (let x = 0; x < width; x++) runningMax1d(tmp, out, x, width, height, r, g, h);
  return { width, height, data: out };
}

/** Binary dilation with a (2r+1)² square. */
export function dilateMaskSquare(mask: Mask, radiusPx: number): Mask {
  const r = Math.max(0, Math.floor(radiusPx));
  const { width, height, data } = mask;
  const tmp = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    const row = y * width;
    let last = -Infinity; // last set pixel at or before x + r
    for (let x = 0; x < width + r; x++) {
      if (x < width && data[row + x] !== 0) last = x;
      const t = x - r;
      if (t >= 0 && t < width && x - last <= 2 * r) tmp[row + t] = 255;
    }
  }
  const out = new Uint8Array(width * height);
  for (let x = 0; x < width; x++) {
    let last = -Infinity;
    for (let y = 0; y < height + r; y++) {
      if (y < height && tmp[y * width + x] !== 0) last = y;
      const t = y - r;
      if (t >= 0 && t < height && y - last <= 2 * r) out[t * width + x] = 255;
    }
  }
  return { width, height, channels: 1, data: out };
}

/** Half-widths of a digital disc of radius r, per row offset dy = −r … r. */
export function discHalfWidths(radiusPx: number): Int32Array {
  const r = Math.max(0, Math.floor(radiusPx));
  const w = new Int32Array(2 * r + 1);
  for (let dy = -r; dy <= r; dy++) w[dy + r] = Math.floor(Math.sqrt(r * r + r - dy * dy));
  return w;
}

/**
 * Binary erosion with a disc: a pixel stays when, for every row offset dy, the disc's chord
 * [x − w(dy), x + w(dy)] lies inside the mask. Pixels outside the image count as outside.
 */
export function erodeMaskDisc(mask: Mask, radiusPx: number): Mask {
  const r = Math.max(0, Math.floor(radiusPx));
  const { width, height, data } = mask;
  if (r === 0) return { ...mask, data: data.slice() };
  const widths = discHalfWidths(r);
  // run[i]: for set pixels, min(distance to the run's left end, distance to its right end)
  const reach = new Int32Array(width * height);
  for (let y = 0; y < height; y++) {
    const row = y * width;
    let x = 0;
    while (x < width) {
      if (data[row + x] === 0) {
        x++;
        continue;
      }
      const s = x;
      while (x < width && data[row + x] !== 0) x++;
      for (let t = s; t < x; t++) reach[row + t] = Math.min(t - s, x - 1 - t);
    }
  }
  const out = new Uint8Array(width * height);
  for (let y = r; y < height - r; y++) {
    for (let x = 0; x < width; x++) {
      let ok = data[y * width + x] !== 0;
      for (let dy = -r; ok && dy <= r; dy++) {
        const i = (y + dy) * width + x;
        ok = data[i] !== 0 && reach[i]! >= widths[dy + r]!;
      }
      if (ok) out[y * width + x] = 255;
    }
  }
  return { width, height, channels: 1, data: out };
}

/** Binary dilation with a disc (painting the disc's chords around every set pixel, run-wise). */
export function dilateMaskDisc(mask: Mask, radiusPx: number): Mask {
  const r = Math.max(0, Math.floor(radiusPx));
  const { width, height, data } = mask;
  if (r === 0) return { ...mask, data: data.slice() };
  const widths = discHalfWidths(r);
  const out = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    const row = y * width;
    let x = 0;
    while (x < width) {
      if (data[row + x] === 0) {
        x++;
        continue;
      }
      const s = x;
      while (x < width && data[row + x] !== 0) x++;
      for (let dy = -r; dy <= r; dy++) {
        const yy = y + dy;
        if (yy < 0 || yy >= height) continue;
        const w = widths[dy + r]!;
        out.fill(255, yy * width + Math.max(0, s - w), yy * width + Math.min(width, x + w));
      }
    }
  }
  return { width, height, channels: 1, data: out };
}

/** Opening (erosion then dilation) with a disc of radius r: removes specks and spurs thinner than 2r+1. */
export function openMaskDisc(mask: Mask, radiusPx: number): Mask {
  if (radiusPx < 1) return { ...mask, data: mask.data.slice() };
  return dilateMaskDisc(erodeMaskDisc(mask, radiusPx), radiusPx);
}

/** Pixel-wise AND of two masks of the same size. */
export function andMasks(a: Mask, b: Mask): Mask {
  const out = new Uint8Array(a.data.length);
  for (let i = 0; i < out.length; i++) out[i] = a.data[i] !== 0 && b.data[i] !== 0 ? 255 : 0;
  return { width: a.width, height: a.height, channels: 1, data: out };
}
