/**
 * The WebAssembly kernels (kernels.as.ts, embedded by `npm run build:kernels`, SIMD enabled) behind
 * a small typed interface: the low-resolution copy, the OD projection with its flat-field rows, the
 * tissue-edge band sums, the masked block sums, the background's Gaussian blur, both local-contrast
 * passes and the runs of a mask, for 8-bit RGB images up to ~25 MP. Bit-identical to their JS
 * versions (the callers fall back to those whenever a kernel returns null) and 2–4× faster.
 * One instance per thread (worker), created on first use. Its memory has a fixed size, so it never
 * grows: growing would detach the old buffer, which makes V8 check every typed-array access in the
 * process from then on (measured 30 % slower). The types are in kernel-types.ts.
 *
 * Memory layout per image (byte offsets): lookup table | RGB | stain amount | low-res | scratch;
 * small maps (the Gaussian, the background sums) use the top of the memory. The RGB region doubles as space for the
 * reference mask and the segmentation once the image is projected.
 * Images that do not fit (over ~25 MP), 16-bit images, or CALCIQUANT_WASM=0 use the JS code.
 */
import { KERNELS_WASM_BASE64 } from './kernels-wasm.js';
import type { BiasField, BlockSums, CoarseBin, ContrastParams, ContrastResult, ImageLayout, KernelExports, MaskRuns, TissueBand } from './kernel-types.js';
import { takeMaskBuffer } from '../mask-pool.js';

export type { BiasField, BlendGrid, BlockSums, CoarseBin, ContrastParams, ContrastResult, ImageLayout, MaskRuns, TissueBand } from './kernel-types.js';

/** The part of the WebAssembly API used here (the core is compiled without the DOM library). */
interface WasmMemory {
  readonly buffer: ArrayBuffer;
}
declare const WebAssembly: {
  Memory: new (descriptor: { initial: number; maximum: number }) => WasmMemory;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { readonly exports: unknown };
};

/** Fixed memory: enough for the RGB and the stain amount of a 25 MP image, plus the rest. */
const MEMORY_BYTES = 192 * 1024 * 1024;
const PAGE_BYTES = 65536;
const LUT_BYTES = 768 * 4;
const align16 = (n: number) => (n + 15) & ~15;
/** Where every image's RGB (and later its reference mask) starts: right after the lookup table. */
const RGB_AT = align16(LUT_BYTES);
/** The low-res copy stages the RGB in chunks of about this size (fits the L2 cache). */
const STAGE_CHUNK_BYTES = 256 * 1024;

export class Kernels {
  private readonly memory: WasmMemory;
  private readonly k: KernelExports;
  /** The RGB data last copied in, and whether the copy is still current for the next call. */
  private staged: Uint8Array | null = null;
  /** The reference mask last copied in (at the RGB offset) by maskedBlockSums, while still there. */
  private stagedRef: Uint8Array | null = null;
  /** The stain-amount buffer of the last projection, which the caller may still read ([start, end) bytes). */
  private amount: { readonly start: number; readonly end: number } | null = null;

  constructor() {
    this.memory = new WebAssembly.Memory({ initial: MEMORY_BYTES / PAGE_BYTES, maximum: MEMORY_BYTES / PAGE_BYTES });
    const module = new WebAssembly.Module(Buffer.from(KERNELS_WASM_BASE64, 'base64'));
    this.k = new WebAssembly.Instance(module, { env: { memory: this.memory } }).exports as unknown as KernelExports;
  }

  /** Where an image's buffers go, or null when they do not fit. */
  layout(width: number, height: number, lowResWidth: number, lowResHeight: number): ImageLayout | null {
    const n = width * height;
    const rgb = RGB_AT;
    const amount = align16(rgb + 3 * n);
    const lowRes = align16(amount + 4 * n);
    const scratch = align16(lowRes + 12 * lowResWidth * lowResHeight);
    const end = scratch + Math.max(8 * width, 24 * lowResWidth); // low-res column sums (6w), bias row (4w)
    return end <= MEMORY_BYTES ? { rgb, amount, lowRes, scratch, end } : null;
  }

  /** Copies the image's RGB in, unless `data` is the copy made for the previous call (`reuse`). */
  private stage(data: Uint8Array, at: number, reuse: boolean): void {
    if (reuse && this.staged === data) return;
    new Uint8Array(this.memory.buffer, at, data.length).set(data);
    this.staged = data;
    this.stagedRef = null;
  }

  /**
   * Copies the reference mask to the RGB offset, unless it is the one copied there last (the
   * caller does not change a reference between the background and the segmentation).
   */
  private stageRef(ref: Uint8Array, at: number): void {
    if (this.stagedRef === ref) return;
    this.staged = null;
    new Uint8Array(this.memory.buffer, at, ref.length).set(ref);
    this.stagedRef = ref;
  }

  /** The RGB region is about to be overwritten: nothing staged there stays valid. */
  private clobberRgb(): void {
    this.staged = null;
    this.stagedRef = null;
  }

  /**
   * Block means of 8-bit RGB as fractions of 255 (sw·sh·3 values), in `out` when given (else a
   * new array); the RGB stays staged for a projection of the same image right after (projectRows
   * with reuseStaged).
   */
  lowResRgb8(data: Uint8Array, w: number, h: number, f: number, sw: number, sh: number, out?: Float32Array): Float32Array | null {
    const at = this.layout(w, h, sw, sh);
    if (!at || f > 257) return null; // column sums are u16
    // the RGB is copied in a few block rows at a time, each summed while it is still in the cache
    this.clobberRgb();
    const rgb = new Uint8Array(this.memory.buffer, at.rgb, data.length);
    const blockRowBytes = 3 * w * f, step = Math.max(1, Math.floor(STAGE_CHUNK_BYTES / blockRowBytes));
    for (let by = 0; by < sh; by += step) {
      const end = Math.min(sh, by + step);
      rgb.set(data.subarray(by * blockRowBytes, Math.min(data.length, end * blockRowBytes)), by * blockRowBytes);
      this.k.lowResRgb8(at.rgb, w, h, f, at.lowRes, at.scratch, by, end);
    }
    this.staged = data;
    const means = new Float32Array(this.memory.buffer, at.lowRes, sw * sh * 3);
    if (!out) return means.slice();
    out.set(means);
    return out;
  }

  /**
   * The OD projection into the kernels' stain-amount buffer: rows y with spans [x0, x1), the rest
   * 0. `lut`: the 768 weighted values (R, G, B); bias: a constant, or a flat field whose rows are
   * interpolated as sampleFieldRow does. Returns a view of the buffer, valid until the next image
   * is projected.
   */
  projectRows8(
    data: Uint8Array, w: number, h: number, spans: Int32Array, lut: Float32Array, bias: number | BiasField, reuseStaged: boolean,
  ): Float32Array | null {
    const at = this.layout(w, h, 0, 0);
    if (!at) return null;
    const spansAt = align16(at.end), gridAt = align16(spansAt + 8 * h);
    const grid = typeof bias === 'number' ? null : bias;
    if (gridAt + 4 * (grid ? grid.combined.length : 0) > MEMORY_BYTES) return null;
    this.stage(data, at.rgb, reuseStaged);
    this.clobberRgb(); // the next image is copied again
    const buf = this.memory.buffer;
    new Float32Array(buf, 0, 768).set(lut);
    new Int32Array(buf, spansAt, 2 * h).set(spans);
    if (grid) new Float32Array(buf, gridAt, grid.combined.length).set(grid.combined);
    this.k.projectRows8(
      at.rgb, at.amount, w, h, spansAt, 0, grid ? gridAt : 0, grid?.field.gridW ?? 0, grid?.field.gridH ?? 0, grid?.field.cellPx ?? 1,
      typeof bias === 'number' ? bias : 0, at.scratch,
    );
    this.amount = { start: at.amount, end: at.amount + 4 * w * h };
    return new Float32Array(buf, at.amount, w * h);
  }

  /**
   * Separable Gaussian blur of a small map, as gaussianBlur in background.ts (taps `k`, 2r + 1),
   * in scratch at the top of the memory; null when it does not fit beside what is kept.
   */
  gaussianBlur(data: Float32Array, w: number, h: number, k: Float32Array, r: number): Float32Array | null {
    const n = w * h;
    const base = this.topScratch(align16(4 * n) * 3 + align16(4 * k.length));
    if (base === null) return null;
    const srcAt = base, tmpAt = srcAt + align16(4 * n), outAt = tmpAt + align16(4 * n), kAt = outAt + align16(4 * n);
    const buf = this.memory.buffer;
    new Float32Array(buf, srcAt, n).set(data);
    new Float32Array(buf, kAt, k.length).set(k);
    this.k.gaussianBlur(srcAt, w, h, kAt, r, tmpAt, outAt);
    return new Float32Array(buf, outAt, n).slice();
  }

  /**
   * One round of the background's sums (see backgroundGrid in background.ts) on a small weighted
   * map: `levels` the seed level, rows of w samples (`row(y)`: without seedOd, which is added here) or
   * one number (with seedOd). Null when it does not fit.
   */
  backgroundSums(
    map: Float32Array, weight: Float32Array, w: number, h: number, levels: { row(y: number): Float32Array } | number, seedOd: number, pad: number,
    factor: number,
  ): { num: Float32Array; den: Float32Array } | null {
    const n = w * h, gn = Math.ceil(w / factor) * Math.ceil(h / factor);
    const rows = typeof levels === 'number' ? 0 : n;
    const need = align16(4 * n) * 2 + align16(4 * rows) + align16(4 * gn) * 2 + align16((2 * pad + 2) * w) + align16(w) + align16(4 * (w + 1)) + align16(4 * w);
    const base = this.topScratch(need);
    if (base === null) return null;
    const mapAt = base, weightAt = mapAt + align16(4 * n), levelsAt = weightAt + align16(4 * n), numAt = levelsAt + align16(4 * rows);
    const denAt = numAt + align16(4 * gn), ringAt = denAt + align16(4 * gn), seedsAt = ringAt + align16((2 * pad + 2) * w);
    const prefixAt = seedsAt + align16(w), colCountAt = prefixAt + align16(4 * (w + 1));
    const buf = this.memory.buffer;
    new Float32Array(buf, mapAt, n).set(map);
    new Float32Array(buf, weightAt, n).set(weight);
    if (typeof levels !== 'number') {
      const rowsView = new Float32Array(buf, levelsAt, n);
      for (let y = 0; y < h; y++) rowsView.set(levels.row(y).subarray(0, w), y * w);
    }
    new Uint8Array(buf, numAt, ringAt - numAt).fill(0);
    this.k.backgroundSums(
      mapAt, weightAt, w, h, typeof levels === 'number' ? 0 : levelsAt, typeof levels === 'number' ? levels : 0, seedOd, pad, factor,
      numAt, denAt, ringAt, seedsAt, prefixAt, colCountAt,
    );
    return { num: new Float32Array(buf, numAt, gn).slice(), den: new Float32Array(buf, denAt, gn).slice() };
  }

  /**
   * The low-res OD sum (see odSumFromLowRes in illumination.ts) of `data` (sw·sh RGB fractions):
   * `lut` the fraction table, `bias.fill(y, out)` writes row y's bias (sw f64). Null when it does not fit.
   */
  odSumLowRes(data: Float32Array, sw: number, sh: number, lut: Float32Array, bias: { fill(y: number, out: Float64Array): void }): Float32Array | null {
    const n = sw * sh;
    const base = this.topScratch(align16(12 * n) + align16(4 * n) + align16(8 * sw) + align16(4 * lut.length));
    if (base === null) return null;
    const srcAt = base, outAt = srcAt + align16(12 * n), biasAt = outAt + align16(4 * n), lutAt = biasAt + align16(8 * sw);
    const buf = this.memory.buffer;
    new Float32Array(buf, srcAt, 3 * n).set(data);
    new Float32Array(buf, lutAt, lut.length).set(lut);
    const row = new Float64Array(buf, biasAt, sw);
    for (let y = 0; y < sh; y++) {
      bias.fill(y, row);
      this.k.odSumRow(srcAt + 12 * sw * y, outAt + 4 * sw * y, sw, lutAt, lut.length - 1, biasAt);
    }
    return new Float32Array(buf, outAt, n).slice();
  }

  /** Whether `f` is this thread's stain-amount buffer for an image laid out as `at` (n pixels). */
  private isAmount(f: Float32Array, at: ImageLayout, n: number): boolean {
    return f.buffer === this.memory.buffer && f.byteOffset === at.amount && f.length === n;
  }

  /**
   * Lists the runs of the w × h mask at `maskAt` into `at` (row starts, then x0 and x1 for up to
   * `cap` runs each) and copies them out; null when there are more than `cap`.
   */
  private listRuns(maskAt: number, w: number, h: number, at: number, cap: number): MaskRuns | null {
    const x0At = at + 4 * (h + 1), x1At = x0At + 4 * cap;
    const count = this.k.extractRuns(maskAt, w, h, at, x0At, x1At, cap);
    if (count < 0) return null;
    const buf = this.memory.buffer;
    return {
      rowStart: new Int32Array(buf, at, h + 1).slice(),
      x0: new Int32Array(buf, x0At, count).slice(),
      x1: new Int32Array(buf, x1At, count).slice(),
      count,
    };
  }

  /** Start of `bytes` of scratch at the top of the memory, or null when that would reach what is kept (stain amount, staged RGB). */
  private topScratch(bytes: number): number | null {
    const base = MEMORY_BYTES - bytes;
    return base < Math.max(this.amount?.end ?? 0, RGB_AT + (this.staged?.length ?? 0)) ? null : base;
  }

  /**
   * Runs of non-zero bytes of a mask, row by row (see extractRuns in components.ts), in the RGB
   * region; null when they do not fit there (the JS code then runs).
   */
  extractRuns(mask: Uint8Array, w: number, h: number): MaskRuns | null {
    const n = w * h;
    const maskAt = RGB_AT, runsAt = align16(maskAt + n);
    // the region ends where the stain amount still being read begins (or at the memory's end)
    const cap = Math.floor(((this.amount?.start ?? MEMORY_BYTES) - runsAt - 4 * (h + 1)) / 8);
    if (cap < Math.min(h, 1024)) return null;
    this.clobberRgb();
    new Uint8Array(this.memory.buffer, maskAt, n).set(mask);
    return this.listRuns(maskAt, w, h, runsAt, cap);
  }

  /**
   * Masked block sums of `f` over the reference pixels within `spans` (see maskedBlockMeans), when
   * `f` is this thread's stain-amount buffer from projectRows8; null otherwise.
   */
  maskedBlockSums(f: Float32Array, ref: Uint8Array, spans: Int32Array, w: number, h: number, factor: number): BlockSums | null {
    const at = this.layout(w, h, 0, 0);
    if (!at || !this.isAmount(f, at, w * h)) return null;
    // the RGB region is free once projected: the mask and the spans go there, the sums after the
    // image's buffers (small blocks of a small image would not fit beside the mask)
    const gw = Math.ceil(w / factor), gh = Math.ceil(h / factor);
    const refAt = at.rgb, spansAt = align16(refAt + w * h), sumAt = align16(at.end), cntAt = align16(sumAt + 4 * gw * gh);
    if (spansAt + 8 * h > at.amount || cntAt + 4 * gw * gh > MEMORY_BYTES) return null;
    const buf = this.memory.buffer;
    this.stageRef(ref, refAt);
    new Int32Array(buf, spansAt, 2 * h).set(spans);
    new Uint8Array(buf, sumAt, cntAt + 4 * gw * gh - sumAt).fill(0);
    this.k.maskedBlockSums(at.amount, refAt, spansAt, w, h, factor, sumAt, cntAt);
    return { sum: new Float32Array(buf, sumAt, gw * gh).slice(), cnt: new Float32Array(buf, cntAt, gw * gh).slice() };
  }

  /**
   * The full-resolution tissue mask of refineBand (tissue-edge.ts): the coarse decision expanded,
   * the pixels under the fine band classified by their 3×3 mean transmittance (weights k0–k2), and
   * the candidates resolved by connectivity, all in the kernels' memory; returned as a mask buffer
   * (from the mask pool). The RGB copy made by lowResRgb8 is reused (and kept for the projection).
   * Null when it does not fit.
   */
  tissueEdge(data: Uint8Array, w: number, h: number, coarse: CoarseBin, d: TissueBand, k0: number, k1: number, k2: number): Uint8Array | null {
    const at = this.layout(w, h, 0, 0);
    if (!at) return null;
    const n = w * h, nc = coarse.width * coarse.height, nb = d.band.length, maxPx = nb * d.fineFactor * d.fineFactor;
    const maskAt = align16(at.end), coarseAt = align16(maskAt + n), bandAt = align16(coarseAt + nc), levelAt = align16(bandAt + 4 * nb);
    const binAt = align16(levelAt + 4 * nb), pxAt = align16(binAt + nb), valsAt = align16(pxAt + 4 * maxPx), queueAt = align16(valsAt + maxPx);
    if (queueAt + 4 * maxPx > MEMORY_BYTES) return null;
    this.stage(data, at.rgb, true);
    const buf = this.memory.buffer;
    new Uint8Array(buf, coarseAt, nc).set(coarse.bin);
    new Int32Array(buf, bandAt, nb).set(d.band);
    new Float32Array(buf, levelAt, nb).set(d.level);
    new Uint8Array(buf, binAt, nb).set(d.bandBin);
    this.k.expandCoarse(coarseAt, coarse.width, coarse.height, coarse.factor, maskAt, w, h);
    const np = this.k.bandCandidates(at.rgb, w, h, bandAt, levelAt, binAt, nb, d.fineFactor, d.fineWidth, k0, k1, k2, pxAt, valsAt);
    this.k.applyCandidates(maskAt, pxAt, valsAt, np);
    this.k.resolveCandidates(maskAt, w, h, pxAt, np, queueAt);
    return copyOut(new Uint8Array(buf, maskAt, n));
  }

  /**
   * The local-contrast segmentation, both passes, when `f` is this thread's stain-amount buffer;
   * null otherwise, or when the background grid or the candidates do not fit (the JS code then runs).
   */
  localContrast(f: Float32Array, ref: Uint8Array, spans: Int32Array, w: number, h: number, p: ContrastParams): ContrastResult | null {
    const at = this.layout(w, h, 0, 0);
    if (!at || !this.isAmount(f, at, w * h)) return null;
    const { grid, r } = p;
    const size = 2 * r + 1;
    // in the free RGB region: mask, result mask, spans, row starts, grid rows, results
    const refAt = at.rgb, outAt = refAt + w * h, spansAt = align16(outAt + w * h), startAt = align16(spansAt + 8 * h);
    const gridAt = align16(startAt + 4 * (h + 1)), resAt = align16(gridAt + 4 * grid.height * w);
    if (resAt + 64 > at.amount) return null;
    // after the image's buffers: pass 2's scratch, then the candidates
    const firstAt = align16(at.end), lastAt = align16(firstAt + 4 * h), lutAt = align16(lastAt + 4 * h);
    const ringAt = align16(lutAt + 4 * p.lut.length), rowOfAt = align16(ringAt + 4 * size * w), colSumAt = align16(rowOfAt + 4 * size);
    const rowsAt = align16(colSumAt + 4 * w);
    const appliedAt = align16(rowsAt + 4 * size), candAt = align16(appliedAt + 8 * 64);
    const candCap = Math.min(w * h, Math.floor((MEMORY_BYTES - candAt) / 4));
    if (candCap < w) return null;
    const buf = this.memory.buffer;
    this.stageRef(ref, refAt);
    new Uint8Array(buf, outAt, w * h).fill(0);
    new Int32Array(buf, spansAt, 2 * h).set(spans);
    const rows = new Float32Array(buf, gridAt, grid.height * w);
    for (let j = 0; j < grid.height; j++) rows.set(grid.gridRow(j), j * w);
    const n = this.k.contrastPass1(at.amount, refAt, spansAt, w, h, gridAt, grid.height, grid.factor, p.gMin, p.gMax, p.minContrast, outAt, startAt, candAt, candCap, resAt);
    if (n < 0) return null;
    const res = new Float64Array(buf, resAt, 6);
    const referencePx = res[0]!, deepPx = res[1]!, deepOd = res[2]!;
    // each row's first and last candidate (candidates are in x order)
    const cand = new Int32Array(buf, candAt, n), start = new Int32Array(buf, startAt, h + 1);
    const first = new Int32Array(buf, firstAt, h).fill(-1), last = new Int32Array(buf, lastAt, h).fill(-1);
    for (let y = 0; y < h; y++) {
      if (start[y + 1]! === start[y]!) continue;
      first[y] = cand[start[y]!]!;
      last[y] = cand[start[y + 1]! - 1]!;
    }
    new Float32Array(buf, lutAt, p.lut.length).set(p.lut);
    const applied = new Float64Array(buf, appliedAt, 64).fill(0);
    applied[Math.min(63, (p.gMax * 32) | 0)]! += deepPx;
    this.k.contrastPass2(
      at.amount, w, h, r, candAt, startAt, firstAt, lastAt, gridAt, grid.height, grid.factor, lutAt, p.gMin, p.minContrast, p.localBackground ? 1 : 0,
      outAt, ringAt, rowOfAt, colSumAt, rowsAt, appliedAt, resAt + 32,
    );
    // the runs of the result while it is here (the candidates' space is free again)
    const runs = this.listRuns(outAt, w, h, candAt, Math.floor((MEMORY_BYTES - candAt - 4 * (h + 1)) / 8));
    return {
      out: copyOut(new Uint8Array(buf, outAt, w * h)),
      runs,
      referencePx,
      mineralPx: deepPx + res[4]!,
      integratedOd: deepOd + res[5]!,
      applied: applied.slice(),
    };
  }
}

/** A mask in the kernels' memory copied out (into a recycled buffer when one is free). */
function copyOut(mask: Uint8Array): Uint8Array {
  const out = takeMaskBuffer(mask.length, false);
  out.set(mask);
  return out;
}

/** This thread's kernels: created on first use (null when WebAssembly cannot start). */
let instance: Kernels | null | undefined;
let enabled = process.env.CALCIQUANT_WASM !== '0';

/**
 * Switches the kernels off (everything runs in JS) or back on, for this thread: for comparisons
 * (tests, benchmarks). Off by default only with CALCIQUANT_WASM=0.
 */
export function setWasmKernelsEnabled(on: boolean): void {
  enabled = on;
}

/** This thread's kernels, or null when WebAssembly is switched off or cannot start. */
export function wasmKernels(): Kernels | null {
  if (!enabled) return null;
  if (instance === undefined) {
    try {
      instance = new Kernels();
    } catch {
      instance = null; // e.g. address space too small for the fixed memory: the JS code does the work
    }
  }
  return instance;
}
