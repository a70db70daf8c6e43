/**
 * Smooth maps kept at low resolution (a grid of block means, one sample per factor×factor block)
 * and sampled row by row at full resolution with bilinear interpolation, so no full-size copy of
 * a smooth map is ever stored. Sample i covers full-res pixels [i·factor, (i+1)·factor) and sits at
 * (i + ½)·factor − ½.
 */
export interface LowResGrid {
  readonly width: number;
  readonly height: number;
  readonly factor: number;
  readonly data: Float32Array;
}

/** Row y of the interpolated map (columns xa…xb inclusive are filled; default the whole row). */
export type RowSampler = (y: number, xa?: number, xb?: number) => Float32Array;

/**
 * Row y of the interpolation as two horizontally interpolated grid rows and a weight: the value at
 * x is a[x] when t = 0, else float32(a[x] + (b[x] − a[x]) · t) (what the RowSampler stores). For
 * loops that use each value once, so the row is never written out.
 */
export type RowBlend = (y: number) => { readonly a: Float32Array; readonly b: Float32Array; readonly t: number };

/** Returns a function giving full-resolution row y of the bilinear interpolation of `grid`. */
export function createRowSampler(grid: LowResGrid, fullWidth: number): RowSampler {
  const blend = createRowBlend(grid, fullWidth);
  const out = new Float32Array(fullWidth);
  return (y, xa = 0, xb = fullWidth - 1) => {
    const { a, b, t } = blend(y);
    if (t === 0) for (let x = xa; x <= xb; x++) out[x] = a[x]!;
    else for (let x = xa; x <= xb; x++) out[x] = a[x]! + (b[x]! - a[x]!) * t;
    return out;
  };
}

export function createRowBlend(grid: LowResGrid, fullWidth: number): RowBlend {
  const { width: gw, height: gh, factor, data } = grid;
  const i0 = new Int32Array(fullWidth), i1 = new Int32Array(fullWidth), tx = new Float32Array(fullWidth);
  for (let x = 0; x < fullWidth; x++) {
    const g = Math.min(Math.max((x + 0.5) / factor - 0.5, 0), gw - 1);
    const a = Math.floor(g);
    i0[x] = a;
    i1[x] = Math.min(a + 1, gw - 1);
    tx[x] = g - a;
  }
  // horizontally interpolated grid rows, computed on demand
  const cache = new Map<number, Float32Array>();
  const hrow = (j: number): Float32Array => {
    let r = cache.get(j);
    if (r) return r;
    if (cache.size > 4) cache.delete(cache.keys().next().value!);
    r = new Float32Array(fullWidth);
    const o = j * gw;
    for (let x = 0; x < fullWidth; x++) {
      const t = tx[x]!;
      r[x] = data[o + i0[x]!]! * (1 - t) + data[o + i1[x]!]! * t;
    }
    cache.set(j, r);
    return r;
  };
  return (y) => {
    const g = Math.min(Math.max((y + 0.5) / factor - 0.5, 0), gh - 1);
    const j0 = Math.floor(g);
    const j1 = Math.min(j0 + 1, gh - 1);
    const t = g - j0;
    const a = hrow(j0);
    return j0 === j1 || t === 0 ? { a, b: a, t: 0 } : { a, b: hrow(j1), t };
  };
}

/** A constant "grid" (one sample) for callers that have a single level. */
export function constantGrid(value: number, factor: number): LowResGrid {
  return { width: 1, height: 1, factor, data: new Float32Array([value]) };
}
