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

/** Returns a function giving full-resolution row y of the bilinear interpolation of `grid`. */
export function createRowSampler(grid: LowResGrid, fullWidth: number): RowSampler {
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
  const out = new Float32Array(fullWidth);
  return (y, xa = 0, xb = fullWidth - 1) => {
    const g = Math.min(Math.max((y + 0.5) / factor - 0.5, 0), gh - 1);
    const j0 = Math.floor(g);
    const j1 = Math.min(j0 + 1, gh - 1);
    const t = g - j0;
    const a = hrow(j0), b = hrow(j1);
    if (t === 0 || j0 === j1) for (let x = xa; x <= xb; x++) out[x] = a[x]!;
    else for (let x = xa; x <= xb; x++) out[x] = a[x]! + (b[x]! - a[x]!) * t;
    return out;
  };
}

/** A constant "grid" (one sample) for callers that have a single level. */
export function constantGrid(value: number, factor: number): LowResGrid {
  return { width: 1, height: 1, factor, data: new Float32Array([value]) };
}
