/**
 * Pixel containers used by the pipeline. Row-major, interleaved; pixel (x, y) starts at
 * data[(y * width + x) * channels].
 */
export interface Raster<C extends 1 | 3 | 4 = 1 | 3 | 4> {
  readonly width: number;
  readonly height: number;
  readonly channels: C;
  readonly data: Uint8Array;
}
/** Binary mask: 0 = outside, 255 = inside. */
export type Mask = Raster<1>;

/** Decoded RGB pixels with their bit depth kept (16-bit images are not rounded to 8 bits). */
export interface RgbImage {
  readonly width: number;
  readonly height: number;
  /** Interleaved RGB, 3 values per pixel. */
  readonly data: Uint8Array | Uint16Array;
  readonly bitDepth: 8 | 16;
}

/** A single-channel float map (OD, stain amount, …) of the image's size. */
export interface FloatMap {
  readonly width: number;
  readonly height: number;
  readonly data: Float32Array;
}

export function createMask(width: number, height: number): Mask {
  return { width, height, channels: 1, data: new Uint8Array(width * height) };
}

export function countMaskPx(mask: Mask): number {
  let n = 0;
  const d = mask.data;
  for (let i = 0; i < d.length; i++) if (d[i] !== 0) n++;
  return n;
}

/**
 * Per row, the span [x0, x1) holding every set pixel of the mask, widened by `padPx` on each side
 * (clipped to the image); x0 = x1 = 0 for rows without a set pixel. Found with the native
 * indexOf / lastIndexOf scans, so it costs a fraction of a pass over the mask.
 */
export function maskRowSpans(mask: Mask, padPx = 0): Int32Array {
  const { width, height, data } = mask;
  const spans = new Int32Array(2 * height);
  for (let y = 0; y < height; y++) {
    const row = data.subarray(y * width, (y + 1) * width);
    const first = row.indexOf(255);
    if (first < 0) continue;
    const last = row.lastIndexOf(255);
    spans[2 * y] = Math.max(0, first - padPx);
    spans[2 * y + 1] = Math.min(width, last + 1 + padPx);
  }
  return spans;
}

/** maskRowSpans(mask, padPx) from maskRowSpans(mask): rows with set pixels widened, clipped to the width. */
export function padRowSpans(spans: Int32Array, padPx: number, width: number): Int32Array {
  const out = new Int32Array(spans.length);
  for (let y = 0; 2 * y < spans.length; y++) {
    if (spans[2 * y + 1]! <= spans[2 * y]!) continue;
    out[2 * y] = Math.max(0, spans[2 * y]! - padPx);
    out[2 * y + 1] = Math.min(width, spans[2 * y + 1]! + padPx);
  }
  return out;
}
