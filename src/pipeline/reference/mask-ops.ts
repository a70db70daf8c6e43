/**
 * Small binary-image helpers for the reference detectors (plain typed-array loops, inputs untouched).
 * Binary images here are Uint8Array of width·height with 0 = off and anything else = on.
 */
import { scratchFloat64 } from '../scratch.js';

/** Connected components of the pixels whose value equals `on` (0 or 1 after normalizing ≠0 → 1). */
export interface Components {
  /** Per pixel: component id (1…count) or 0 for pixels not selected. */
  readonly labels: Int32Array;
  readonly count: number;
  /** Area in pixels of component id k at index k (index 0 unused). */
  readonly areas: Int32Array;
  /** 1 when component k touches the image border. */
  readonly touchesBorder: Uint8Array;
}

/** Union-find root of a with path halving (top-level: closures are recompiled per call). */
function findRoot(parent: Int32Array, a: number): number {
  while (parent[a]! !== a) {
    parent[a] = parent[parent[a]!]!;
    a = parent[a]!;
  }
  return a;
}

/** A pixel's label so far (`l`, 0: none) meeting a neighbour's (`lj`): the first one found is kept, later ones are merged into it. */
function joinLabel(parent: Int32Array, l: number, lj: number): number {
  if (!lj) return l;
  if (!l) return lj;
  const ra = findRoot(parent, l), rb = findRoot(parent, lj);
  if (ra !== rb) {
    const lo = ra < rb ? ra : rb;
    parent[ra] = lo;
    parent[rb] = lo;
  }
  return l;
}

/**
 * Labels the connected components of pixels where (bin[i] !== 0) === (on === 1), with 4- or
 * 8-connectivity (two-pass union-find).
 */
export function labelComponents(bin: Uint8Array, width: number, height: number, on: 0 | 1, connectivity: 4 | 8): Components {
  const n = width * height;
  const sel = new Uint8Array(n);
  for (let i = 0; i < n; i++) sel[i] = (bin[i] !== 0) === (on === 1) ? 1 : 0;
  const labels = new Int32Array(n);
  let parent = new Int32Array(1024);
  let next = 1;
  // neighbour offsets already visited in raster order: left, up, (up-left, up-right for 8-conn)
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      if (!sel[i]) continue;
      // neighbours in this order: left, up, up-left, up-right (8-connectivity)
      let l = x > 0 ? labels[i - 1]! : 0;
      if (y > 0) {
        l = joinLabel(parent, l, labels[i - width]!);
        if (connectivity === 8) {
          if (x > 0) l = joinLabel(parent, l, labels[i - width - 1]!);
          if (x < width - 1) l = joinLabel(parent, l, labels[i - width + 1]!);
        }
      }
      if (!l) {
        if (next === parent.length) {
          const grown = new Int32Array(parent.length * 2);
          grown.set(parent);
          parent = grown;
        }
        l = next;
        parent[next] = next;
        next++;
      }
      labels[i] = l;
    }
  }
  // compact roots to 1…count
  const map = new Int32Array(next);
  let count = 0;
  for (let k = 1; k < next; k++) {
    const r = findRoot(parent, k);
    if (r === k) map[k] = ++count;
  }
  for (let k = 1; k < next; k++) map[k] = map[findRoot(parent, k)]!;
  const areas = new Int32Array(count + 1), touchesBorder = new Uint8Array(count + 1);
  for (let y = 0; y < height; y++) {
    const edgeRow = y === 0 || y === height - 1;
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      if (!labels[i]) continue;
      const id = map[labels[i]!]!;
      labels[i] = id;
      areas[id]!++;
      if (edgeRow || x === 0 || x === width - 1) touchesBorder[id] = 1;
    }
  }
  return { labels, count, areas, touchesBorder };
}

/** Square (Chebyshev) dilation of a binary image by `r` pixels, separable. Returns a new 0/1 image. */
export function dilateSquare(bin: Uint8Array, width: number, height: number, r: number): Uint8Array {
  const tmp = new Uint8Array(width * height), out = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    const row = y * width;
    let last = -1e9; // position of the last on-pixel seen scanning right
    for (let x = 0; x < width; x++) {
      if (bin[row + x]) last = x;
      if (x - last <= r) tmp[row + x] = 1;
    }
    last = 1e9;
    for (let x = width - 1; x >= 0; x--) {
      if (bin[row + x]) last = x;
      if (last - x <= r) tmp[row + x] = 1;
    }
  }
  // columns, swept a row at a time (row-major reads) with each column's last on-pixel kept
  const last = new Float64Array(width).fill(-1e9);
  for (let y = 0; y < height; y++) {
    for (let x = 0, i = y * width; x < width; x++, i++) {
      if (tmp[i]) last[x] = y;
      if (y - last[x]! <= r) out[i] = 1;
    }
  }
  last.fill(1e9);
  for (let y = height - 1; y >= 0; y--) {
    for (let x = 0, i = y * width; x < width; x++, i++) {
      if (tmp[i]) last[x] = y;
      if (last[x]! - y <= r) out[i] = 1;
    }
  }
  return out;
}

/** Pixels of a 0/1 image that differ from at least one 4-neighbour (both sides of every edge). */
export function edgePixels(bin: Uint8Array, width: number, height: number): Uint8Array {
  const out = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = y * width + x, v = bin[i]! !== 0;
      if (
        (x > 0 && (bin[i - 1]! !== 0) !== v) ||
        (x < width - 1 && (bin[i + 1]! !== 0) !== v) ||
        (y > 0 && (bin[i - width]! !== 0) !== v) ||
        (y < height - 1 && (bin[i + width]! !== 0) !== v)
      ) {
        out[i] = 1;
      }
    }
  }
  return out;
}

/**
 * Box means of `values` over the pixels where `weight` is 1, for each radius r in `radii` (window
 * (2r+1)²), via one summed-area table, evaluated only where `at` is 1. NaN elsewhere and where the
 * window holds no weighted pixel.
 */
export function maskedBoxMeans(
  values: Float32Array,
  weight: Uint8Array,
  width: number,
  height: number,
  radii: readonly number[],
  at: Uint8Array,
): Float32Array[] {
  const W = width + 1;
  // summed-area tables: row 0 and column 0 stay 0 (never written), the rest is written below
  const sv = scratchFloat64('maskedBoxMeans.sv', W * (height + 1)), sw = scratchFloat64('maskedBoxMeans.sw', W * (height + 1));
  for (let y = 0; y < height; y++) {
    let rv = 0, rw = 0;
    const o = (y + 1) * W + 1, u = y * W + 1;
    for (let x = 0, i = y * width; x < width; x++, i++) {
      if (weight[i]) {
        rv += values[i]!;
        rw += 1;
      }
      sv[o + x] = sv[u + x]! + rv;
      sw[o + x] = sw[u + x]! + rw;
    }
  }
  return radii.map((r) => boxMeansFromSums(sv, sw, at, width, height, r));
}

/** Box means of radius r from summed-area tables (row stride width + 1) where `at` is set, NaN elsewhere. */
function boxMeansFromSums(sv: Float64Array, sw: Float64Array, at: Uint8Array, width: number, height: number, r: number): Float32Array {
  const W = width + 1;
  const out = new Float32Array(width * height).fill(NaN);
  for (let y = 0; y < height; y++) {
    const y0 = Math.max(0, y - r) * W, y1 = Math.min(height, y + r + 1) * W;
    for (let x = 0; x < width; x++) {
      if (!at[y * width + x]) continue;
      const x0 = Math.max(0, x - r), x1 = Math.min(width, x + r + 1);
      const cnt = sw[y1 + x1]! - sw[y0 + x1]! - sw[y1 + x0]! + sw[y0 + x0]!;
      const sum = sv[y1 + x1]! - sv[y0 + x1]! - sv[y1 + x0]! + sv[y0 + x0]!;
      if (cnt > 0) out[y * width + x] = sum / cnt;
    }
  }
  return out;
}
