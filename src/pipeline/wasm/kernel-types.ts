/**
 * The types of the WebAssembly kernels' interface (kernels.ts): the module's exports as called
 * from JS, and what the kernels take and give.
 */

export interface KernelExports {
  lowResRgb8(src: number, w: number, h: number, f: number, out: number, col: number, by0: number, by1: number): void;
  projectRows8(
    src: number, out: number, w: number, h: number, spans: number, lut: number, field: number, gridW: number, gridH: number, cellPx: number,
    constant: number, biasRow: number,
  ): void;
  gaussianBlur(src: number, w: number, h: number, k: number, r: number, tmp: number, out: number): void;
  extractRuns(mask: number, w: number, h: number, rowStart: number, x0: number, x1: number, cap: number): number;
  odSumRow(src: number, out: number, sw: number, lut: number, q: number, bias: number): void;
  expandCoarse(bin: number, cw: number, ch: number, fc: number, out: number, w: number, h: number): void;
  applyCandidates(out: number, px: number, vals: number, np: number): void;
  resolveCandidates(out: number, w: number, h: number, px: number, np: number, queue: number): void;
  backgroundSums(
    map: number, weight: number, w: number, h: number, levels: number, constLevel: number, seedOd: number, pad: number, factor: number,
    num: number, den: number, ring: number, seeds: number, prefix: number, colCount: number,
  ): void;
  maskedBlockSums(f: number, ref: number, spans: number, w: number, h: number, factor: number, sum: number, cnt: number): void;
  contrastPass1(
    f: number, ref: number, spans: number, w: number, h: number, grid: number, gh: number, gridFactor: number,
    gMin: number, gMax: number, minContrast: number, out: number, candStart: number, cand: number, candCap: number, res: number,
  ): number;
  bandCandidates(
    src: number, w: number, h: number, band: number, level: number, bandBin: number, nb: number, ff: number, fineWidth: number,
    k0: number, k1: number, k2: number, px: number, vals: number,
  ): number;
  contrastPass2(
    f: number, w: number, h: number, r: number, cand: number, candStart: number, first: number, last: number, grid: number, gh: number,
    gridFactor: number, lut: number, gMin: number, minContrast: number, localBackground: number, out: number, ring: number, rowOf: number,
    colSum: number, rows: number, applied: number, res: number,
  ): void;
}

/** What the local contrast needs besides the images (see local-contrast.ts). */
export interface ContrastParams {
  readonly grid: BlendGrid;
  readonly gMin: number;
  readonly gMax: number;
  readonly minContrast: number;
  /** Window radius (px) of pass 2. */
  readonly r: number;
  /** The half-transmittance lookup table (4096 values). */
  readonly lut: Float32Array;
  readonly localBackground: boolean;
}

/** A low-resolution grid and its rows interpolated to full width (RowBlend). */
export interface BlendGrid {
  readonly height: number;
  readonly factor: number;
  gridRow(j: number): Float32Array;
}

/** The local-contrast segmentation (both passes, see kernels.as.ts). */
export interface ContrastResult {
  /** The mineral pixels (255), a new array. */
  readonly out: Uint8Array;
  /** Its runs, row by row (null when too many to list here). */
  readonly runs: MaskRuns | null;
  readonly referencePx: number;
  readonly mineralPx: number;
  /** Σ (f − B) over the mineral pixels: pass 1's sum plus pass 2's, each in row order. */
  readonly integratedOd: number;
  /** Pixels accepted per threshold bin of 1/32 OD (64 bins). */
  readonly applied: Float64Array;
}

/** A flat-field bias: grid node (i, j) at pixel (i·cellPx, j·cellPx), rows as sampleFieldRow (od.ts). */
export interface BiasField {
  readonly combined: Float32Array;
  readonly field: { readonly gridW: number; readonly gridH: number; readonly cellPx: number };
}

/** Runs of a mask (see extractRuns in components.ts). */
export interface MaskRuns {
  readonly rowStart: Int32Array;
  readonly x0: Int32Array;
  readonly x1: Int32Array;
  readonly count: number;
}

export interface ImageLayout {
  readonly rgb: number;
  readonly amount: number;
  readonly lowRes: number;
  readonly scratch: number;
  readonly end: number;
}

/** The coarse tissue decision (see CoarseDecision in tissue-levels.ts). */
export interface CoarseBin {
  readonly bin: Uint8Array;
  readonly width: number;
  readonly height: number;
  readonly factor: number;
}

/** The fine tissue band (see EdgeDecision in tissue-levels.ts). */
export interface TissueBand {
  readonly band: Int32Array;
  readonly level: Float32Array;
  readonly bandBin: Uint8Array;
  readonly fineFactor: number;
  readonly fineWidth: number;
}

/** Per-block sums of f and counts over the reference (f32, blocks of factor² pixels, row-major). */
export interface BlockSums {
  readonly sum: Float32Array;
  readonly cnt: Float32Array;
}
