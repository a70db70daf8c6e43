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


/**
 * Row y of the interpolation as two horizontally interpolated grid rows and a weight: after
 * `select(y)`, the value at x is a[x] when t = 0, else float32(a[x] + (b[x] − a[x]) · t) (what the
 * RowSampler stores). For loops that use each value once, so the row is never written out. A class
 * with fields (no object per row, no closure state): hot loops read `a`, `b`, `t` directly.
 */
export class RowBlend {
  a: Float32Array;
  b: Float32Array;
  t = 0;
  private readonly i0: Int32Array;
  private readonly i1: Int32Array;
  private readonly tx: Float32Array;
  /** Horizontally interpolated grid rows, computed on demand (a few kept: rows are visited in order). */
  private readonly cacheRow = new Int32Array(6).fill(-1);
  private readonly cacheData: Float32Array[];
  private cacheNext = 0;

  constructor(private readonly grid: LowResGrid, readonly fullWidth: number) {
    const { width: gw, factor } = grid;
    this.i0 = new Int32Array(fullWidth);
    this.i1 = new Int32Array(fullWidth);
    this.tx = new Float32Array(fullWidth);
    for (let x = 0; x < fullWidth; x++) {
      const g = Math.min(Math.max((x + 0.5) / factor - 0.5, 0), gw - 1);
      const a = Math.floor(g);
      this.i0[x] = a;
      this.i1[x] = Math.min(a + 1, gw - 1);
      this.tx[x] = g - a;
    }
    this.cacheData = Array.from({ length: this.cacheRow.length }, () => new Float32Array(fullWidth));
    this.a = this.b = this.cacheData[0]!;
  }

  /** Grid row j interpolated horizontally; never evicts `keep`. */
  private hrow(j: number, keep: Float32Array | null): Float32Array {
    for (let k = 0; k < this.cacheRow.length; k++) if (this.cacheRow[k] === j) return this.cacheData[k]!;
    let k = this.cacheNext;
    if (this.cacheData[k] === keep) k = (k + 1) % this.cacheRow.length;
    this.cacheNext = (k + 1) % this.cacheRow.length;
    this.cacheRow[k] = j;
    const r = this.cacheData[k]!, data = this.grid.data, i0 = this.i0, i1 = this.i1, tx = this.tx;
    const o = j * this.grid.width;
    for (let x = 0; x < r.length; x++) {
      const t = tx[x]!;
      r[x] = data[o + i0[x]!]! * (1 - t) + data[o + i1[x]!]! * t;
    }
    return r;
  }

  /** Grid row j interpolated to full width (the rows `select` blends). */
  gridRow(j: number): Float32Array {
    return this.hrow(j, null);
  }

  /** Makes `a`, `b`, `t` describe row y. */
  select(y: number): void {
    const { height: gh, factor } = this.grid;
    const g = Math.min(Math.max((y + 0.5) / factor - 0.5, 0), gh - 1);
    const j0 = Math.floor(g);
    const j1 = Math.min(j0 + 1, gh - 1);
    const t = g - j0;
    this.a = this.hrow(j0, null);
    if (j0 === j1 || t === 0) {
      this.b = this.a;
      this.t = 0;
    } else {
      this.b = this.hrow(j1, this.a);
      this.t = t;
    }
  }
}

export function createRowBlend(grid: LowResGrid, fullWidth: number): RowBlend {
  return new RowBlend(grid, fullWidth);
}

/**
 * Full-resolution rows of the bilinear interpolation of a grid, one at a time (`row(y)` overwrites
 * the previous row). A class, not a closure: hot loops call it, and a closure made per image would
 * be a new call target for the optimizing compiler every time.
 */
export class RowSampler {
  private readonly blend: RowBlend;
  private readonly out: Float32Array;
  constructor(grid: LowResGrid, readonly fullWidth: number) {
    this.blend = new RowBlend(grid, fullWidth);
    this.out = new Float32Array(fullWidth);
  }

  /** Row y (columns xa…xb inclusive are filled; default the whole row). */
  row(y: number, xa = 0, xb = this.fullWidth - 1): Float32Array {
    const blend = this.blend, out = this.out;
    blend.select(y);
    const a = blend.a, b = blend.b, t = blend.t;
    if (t === 0) for (let x = xa; x <= xb; x++) out[x] = a[x]!;
    else for (let x = xa; x <= xb; x++) out[x] = a[x]! + (b[x]! - a[x]!) * t;
    return out;
  }
}

export function createRowSampler(grid: LowResGrid, fullWidth: number): RowSampler {
  return new RowSampler(grid, fullWidth);
}

/** A constant "grid" (one sample) for callers that have a single level. */
export function constantGrid(value: number, factor: number): LowResGrid {
  return { width: 1, height: 1, factor, data: new Float32Array([value]) };
}
