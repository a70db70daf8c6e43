/**
 * The `local-contrast` segmentation (see segment.ts): a pixel is mineral when it lies on the
 * deposit side of the half-way point in transmittance between the local background B and the
 * nearby deposit level D. Pass 1 (every reference pixel) decides deep pixels and lists edge
 * candidates; pass 2 (candidates only) measures D and the local background in a window. Pass 1 runs
 * in WebAssembly when the stain amount is in the kernels' buffer (same results), else in JS.
 */
import { createRowBlend, type LowResGrid, type RowBlend } from './lowres.js';
import type { FloatMap, Mask } from './raster.js';
import type { SegmentResult } from './segment.js';
import { wasmKernels } from './wasm/kernels.js';
import { runsOf, type Runs } from './components.js';

/** How deposit edges look in the stain-amount map: the OD weights that made it and the stain's vector. */
export interface EdgeModel {
  readonly weights: readonly [number, number, number];
  readonly mineral: readonly [number, number, number];
  /**
   * Measure edges from the local background (the lowest 3×3 mean near the pixel) where it stands
   * above the smooth background. For a neutral mineral stain (silver) any neutral darkening next to
   * deposits (stain haze, denser cell layer) lands in the mineral channel and would widen deposits;
   * colour deconvolution already removes it for chromatic stains, where the local minimum would
   * only add texture bias.
   */
  readonly localBackground: boolean;
}

/**
 * Lookup table of g(Δ) for Δ in [0, 4) OD, step 1/1024: the stain amount f − B of a pixel whose
 * transmittance is half-way between the background and a deposit of amount Δ on top of it,
 * g(Δ) = Σ_k w_k · −log10((1 + 10^(−Δ·v_k)) / 2). Exact for any weights (the deconvolution row may
 * have negative entries, which makes g non-monotonic for dense Alizarin).
 */
export function halfTransmittanceLut(edge: EdgeModel): Float32Array {
  const lut = new Float32Array(4096);
  const [w0, w1, w2] = edge.weights, [v0, v1, v2] = edge.mineral;
  const m = (x: number) => -Math.log10((1 + Math.pow(10, -x)) / 2);
  for (let i = 0; i < lut.length; i++) {
    const d = i / 1024;
    lut[i] = w0 * m(d * v0) + w1 * m(d * v1) + w2 * m(d * v2);
  }
  return lut;
}

/** Smallest and largest g over deposit contrasts above minContrast. */
function lutRange(lut: Float32Array, minContrastOd: number): { gMin: number; gMax: number } {
  let gMin = Infinity, gMax = -Infinity;
  for (let i = Math.min(4095, Math.floor(minContrastOd * 1024)); i < lut.length; i++) {
    if (lut[i]! < gMin) gMin = lut[i]!;
    if (lut[i]! > gMax) gMax = lut[i]!;
  }
  return { gMin, gMax };
}

/**
 * The 3×3 mean of f in row y (edges replicate) for x in [ma, mb], into `out`; `colSum` is scratch
 * of the image width (column sums rounded to float32 first).
 */
function meanRow3(f: FloatMap, y: number, ma: number, mb: number, colSum: Float32Array, out: Float32Array): void {
  const { width: W, height: Hh, data } = f;
  const a = (y > 0 ? y - 1 : 0) * W, b = y * W, c = (y < Hh - 1 ? y + 1 : y) * W;
  const sa = Math.max(0, ma - 1), sb = Math.min(W - 1, mb + 1);
  for (let x = sa; x <= sb; x++) colSum[x] = data[a + x]! + data[b + x]! + data[c + x]!;
  for (let x = ma; x <= mb; x++) out[x] = (colSum[x > 0 ? x - 1 : 0]! + colSum[x]! + colSum[x < W - 1 ? x + 1 : x]!) / 9;
}

/**
 * The last `size` rows of 3×3 means, each computed once over the union of the candidate column
 * ranges (first/last, −1 = none) of the rows within ±r, widened by r.
 */
class MeanRowRing {
  private readonly rows: Float32Array[];
  private readonly rowOf: Int32Array;
  private readonly colSum: Float32Array;
  constructor(private readonly size: number, width: number) {
    this.rows = Array.from({ length: size }, () => new Float32Array(width));
    this.rowOf = new Int32Array(size).fill(-1);
    this.colSum = new Float32Array(width);
  }

  row(f: FloatMap, yy: number, r: number, first: Int32Array, last: Int32Array): Float32Array {
    const k = yy % this.size, W = f.width;
    if (this.rowOf[k] !== yy) {
      let a = W, b = -1;
      for (let q = Math.max(0, yy - r); q <= Math.min(f.height - 1, yy + r); q++) {
        if (first[q]! < 0) continue;
        if (first[q]! < a) a = first[q]!;
        if (last[q]! > b) b = last[q]!;
      }
      meanRow3(f, yy, Math.max(0, a - r), Math.min(W - 1, b + r), this.colSum, this.rows[k]!);
      this.rowOf[k] = yy;
    }
    return this.rows[k]!;
  }
}

/** 3×3 mean from three row offsets and three columns, summed in reading order (small: inlined). */
function mean3(d: Float32Array, r0: number, r1: number, r2: number, x0: number, x: number, x1: number): number {
  return (d[r0 + x0]! + d[r0 + x]! + d[r0 + x1]! + d[r1 + x0]! + d[r1 + x]! + d[r1 + x1]! + d[r2 + x0]! + d[r2 + x]! + d[r2 + x1]!) / 9;
}

export function localContrast(
  f: FloatMap, bg: LowResGrid, reference: Mask, minContrastOd: number, edgeRadiusPx: number, edge: EdgeModel, spans: Int32Array,
): SegmentResult {
  const { width: W, height: H, data } = f;
  const ref = reference.data;
  const lut = halfTransmittanceLut(edge);
  const { gMin, gMax } = lutRange(lut, minContrastOd); // no threshold lies outside [gMin, gMax]
  const gMaxBin = Math.min(63, (gMax * 32) | 0);
  const r = Math.max(1, Math.floor(edgeRadiusPx));
  // both passes in WebAssembly when f is in the kernels' buffer (same results)
  const gridRows = createRowBlend(bg, W);
  const grid = { height: bg.height, factor: bg.factor, gridRow: (j: number) => gridRows.gridRow(j) };
  const wasm = wasmKernels()?.localContrast(data, ref, spans, W, H, { grid, gMin, gMax, minContrast: minContrastOd, r, lut, localBackground: edge.localBackground });
  if (wasm) {
    const runs = wasm.runs ? runsOf(W, H, wasm.runs) : undefined;
    return segmentResult(wasm.out, W, H, medianOfBins(wasm.applied, 1 / 32), wasm.referencePx, wasm.mineralPx, wasm.integratedOd, runs);
  }
  const pass2 = new EdgePass(f, r, lut, gMin, minContrastOd, edge.localBackground, createRowBlend(bg, W));
  // Pass 1 in JS: reference size; deep pixels (above any possible threshold) decided with their own
  // 3×3 mean; edge candidates (gMin < c, undecided) listed row by row, with each row's column
  // range. Pass 2 of row y needs pass 1 up to row y + 2r (the mean rows' ranges), so it runs `lag`
  // rows behind pass 1, on rows of f still in the cache.
  const out = pass2.out, applied = pass2.applied;
  let referencePx = 0, mineralPx = 0, deepOd = 0;
  const lag = 2 * r + 1;
  const first = new Int32Array(H).fill(-1), last = new Int32Array(H).fill(-1);
  const candStart = new Int32Array(H + 1);
  let cand = new Int32Array(1024), nCand = 0;
  const blend1 = createRowBlend(bg, W);
  for (let step = 0; step < H + lag; step++) {
    if (step < H) {
      const y = step;
      const sx0 = spans[2 * y]!, sx1 = spans[2 * y + 1]!;
      if (sx1 > sx0) {
        blend1.select(y);
        const Ba = blend1.a, Bb = blend1.b, Bt = blend1.t, row = y * W;
        // rows above and below for the 3×3 mean of deep pixels (edges replicate)
        const r0 = (y > 0 ? y - 1 : 0) * W, r2 = (y < H - 1 ? y + 1 : y) * W;
        for (let x = sx0; x < sx1; x++) {
          if (ref[row + x] === 0) continue;
          referencePx++;
          const Bx = Bt === 0 ? Ba[x]! : Math.fround(Ba[x]! + (Bb[x]! - Ba[x]!) * Bt); // B as a RowSampler row holds it
          const c = data[row + x]! - Bx;
          if (c <= gMin) continue;
          if (c > gMax && mean3(data, r0, row, r2, x > 0 ? x - 1 : 0, x, x < W - 1 ? x + 1 : x) - Bx > minContrastOd) {
            out[row + x] = 255;
            mineralPx++;
            deepOd += c;
            applied[gMaxBin]!++;
          } else {
            if (first[y]! < 0) first[y] = x;
            last[y] = x;
            if (nCand === cand.length) {
              const grown = new Int32Array(cand.length * 2);
              grown.set(cand);
              cand = grown;
            }
            cand[nCand++] = x;
          }
        }
      }
      candStart[y + 1] = nCand;
    }
    const y = step - lag;
    if (y >= 0) pass2.row(y, cand, candStart, first, last);
  }
  return segmentResult(out, W, H, medianOfBins(applied, 1 / 32), referencePx, mineralPx + pass2.mineralPx, deepOd + pass2.edgeOd);
}

/**
 * Pass 2, row by row: at each candidate, D and M = max and min of the 3×3 means in the (2r+1)²
 * window (clipped to the image). Mean rows live in a ring; each is computed once, over the union of
 * the candidate ranges (first/last, −1 = none) of the rows that need it (± r columns). The
 * window's max / min are reduced column by column, lazily left to right (candidates are in x
 * order, so each column is reduced once per row). Accepted pixels go into `out`; the counts and
 * the Σ (f − B) of this pass accumulate in the fields, in row order.
 */
class EdgePass {
  out: Uint8Array;
  readonly applied = new Float64Array(64);
  mineralPx = 0;
  edgeOd = 0;
  private readonly ring: MeanRowRing;
  private readonly rows: Float32Array[];
  private readonly colMax: Float32Array;
  private readonly colMin: Float32Array;

  constructor(
    private readonly f: FloatMap, private readonly r: number, private readonly lut: Float32Array, private readonly gMin: number,
    private readonly minContrastOd: number, private readonly localBackground: boolean, private readonly blend: RowBlend,
  ) {
    const size = 2 * r + 1;
    this.out = new Uint8Array(f.width * f.height);
    this.ring = new MeanRowRing(size, f.width);
    this.rows = new Array(size);
    this.colMax = new Float32Array(f.width);
    this.colMin = new Float32Array(f.width);
  }

  row(y: number, cand: Int32Array, candStart: Int32Array, first: Int32Array, last: Int32Array): void {
    const c0 = candStart[y]!, c1 = candStart[y + 1]!;
    if (c1 === c0) return;
    const { width: W, height: H, data } = this.f;
    const { r, lut, gMin, minContrastOd, localBackground, out, applied, rows, colMax, colMin } = this;
    this.blend.select(y);
    const Ba = this.blend.a, Bb = this.blend.b, Bt = this.blend.t, row = y * W;
    const y0 = Math.max(0, y - r), y1 = Math.min(H - 1, y + r);
    for (let yy = y0; yy <= y1; yy++) rows[yy - y0] = this.ring.row(this.f, yy, r, first, last);
    const nr = y1 - y0 + 1;
    let mineralPx = this.mineralPx, edgeOd = this.edgeOd;
    let done = -1; // columns ≤ done hold this row's reductions
    for (let ci = c0; ci < c1; ci++) {
      const x = cand[ci]!;
      const xa = x - r < 0 ? 0 : x - r, xb = x + r > W - 1 ? W - 1 : x + r;
      for (let xx = done + 1 > xa ? done + 1 : xa; xx <= xb; xx++) {
        let hi = -Infinity, lo = Infinity;
        for (let k = 0; k < nr; k++) {
          const v = rows[k]![xx]!;
          if (v > hi) hi = v;
          if (v < lo) lo = v;
        }
        colMax[xx] = hi;
        colMin[xx] = lo;
      }
      done = xb;
      let D = -Infinity, M = Infinity;
      for (let xx = xa; xx <= xb; xx++) {
        if (colMax[xx]! > D) D = colMax[xx]!;
        if (colMin[xx]! < M) M = colMin[xx]!;
      }
      const Bx = Bt === 0 ? Ba[x]! : Math.fround(Ba[x]! + (Bb[x]! - Ba[x]!) * Bt);
      // near an edge (the window holds deposit and background) the background is the local one
      // when it stands above the smooth estimate (denser tissue, stain haze around deposits)
      const b = localBackground && D - M > minContrastOd && M > Bx ? M : Bx;
      const c = data[row + x]! - b;
      if (c <= gMin) continue;
      const delta = D - b;
      if (delta <= minContrastOd) continue;
      const g = lut[delta >= 4 ? 4095 : (delta * 1024) | 0]!;
      if (c > g) {
        out[row + x] = 255;
        mineralPx++;
        edgeOd += data[row + x]! - Bx;
        applied[Math.min(63, (g * 32) | 0)]!++;
      }
    }
    this.mineralPx = mineralPx;
    this.edgeOd = edgeOd;
  }
}

/**
 * The result object, built outside the long loops: V8 runs those loops as on-stack-replaced code,
 * which deoptimized at a result literal after the loop at every image.
 */
export function segmentResult(
  out: Uint8Array, W: number, H: number, thresholdOd: number, referencePx: number, mineralPx: number, integratedOd: number, mineralRuns?: Runs,
): SegmentResult {
  return { mineral: { width: W, height: H, channels: 1, data: out }, thresholdOd, referencePx, mineralPx, integratedOd, ...(mineralRuns ? { mineralRuns } : {}) };
}

function medianOfBins(counts: Float64Array, binOd: number): number {
  let total = 0;
  for (const c of counts) total += c;
  if (total === 0) return NaN;
  let acc = 0;
  for (let i = 0; i < counts.length; i++) {
    acc += counts[i]!;
    if (acc >= total / 2) return (i + 0.5) * binOd;
  }
  return NaN;
}

