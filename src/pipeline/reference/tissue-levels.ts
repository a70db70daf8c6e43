/**
 * Half-way transmittance levels for the tissue edge (see tissue.ts, rule 4), on the ≤ 1024 px
 * block-mean copy ("fine" grid), only near the boundary of the coarse decision:
 * - glass level: mean transmittance of glass pixels outside the boundary zone (coarse grid,
 *   radius 3 coarse px, else 8, else 1);
 * - fine tissue decision: transmittance below the local glass level by 5 robust σ of the glass
 *   noise (at least 1.5 %, at most the coarse OD threshold);
 * - band: fine pixels on either side of a fine tissue/glass boundary, widened by 1 fine px;
 * - tissue level: median transmittance of fine tissue pixels off the boundary within 3 fine px
 *   (else 6), so a thin pale layer next to dark deposits keeps its own level and nuclei are ignored;
 * - level = (glass + tissue) / 2, or NaN when they differ by < 0.02 (no edge to place).
 * Transmittance = mean over channels of I / W with the global white: a smooth illumination factor
 * scales glass, tissue and pixel alike, so the local comparison needs no flat field.
 */
import type { Rgb } from '../od.js';
import type { LowResRgb } from '../illumination.js';
import { dilateSquare, edgePixels, maskedBoxMeans } from './mask-ops.js';
import { scratchFloat32, scratchUint8 } from '../scratch.js';

/** Coarse decision (0/1 per coarse pixel); its factor is a multiple of the fine factor. */
export interface CoarseDecision {
  readonly bin: Uint8Array;
  /** The decision before small holes were filled: their edges are examined too (a filled "hole"
   *  may be a notch that opens to the glass at full resolution). */
  readonly unfilled: Uint8Array;
  readonly width: number;
  readonly height: number;
  readonly factor: number;
}

/** Tissue bit of fine pixel j: its own decision in the region (state bit 2), else the coarse decision. */
function tissueAt(state: Uint8Array, coarse: Uint8Array, fw: number, cw: number, ch: number, r: number, j: number): number {
  if (state[j]! & 2) return state[j]! & 1;
  const x = j % fw;
  return coarse[Math.min(ch - 1, ((j - x) / fw / r) | 0) * cw + Math.min(cw - 1, (x / r) | 0)]!;
}

/** What the full-resolution pass needs: the coarse decision and the fine band with its levels. */
export interface EdgeDecision {
  readonly coarse: CoarseDecision;
  readonly fineWidth: number;
  readonly fineHeight: number;
  readonly fineFactor: number;
  /** Fine pixel indices of the band. */
  readonly band: Int32Array;
  /** Per band entry: transmittance threshold (mean over channels of I/W), or NaN. */
  readonly level: Float32Array;
  /** Per band entry: fine tissue decision (0/1), used where the level is NaN. */
  readonly bandBin: Uint8Array;
  readonly white: Rgb;
}

/** Fine band, decisions and half-way levels around the coarse boundary. */
export function fineDecision(fine: LowResRgb, coarse: CoarseDecision, thresholdOd: number, white: Rgb): EdgeDecision {
  const r = Math.round(coarse.factor / fine.factor);
  const { width: cw, height: ch } = coarse;
  const { width: fw, height: fh, data } = fine.rgb;
  const k0 = 1 / (3 * white[0]), k1 = 1 / (3 * white[1]), k2 = 1 / (3 * white[2]);
  const edgesC = edgePixels(coarse.unfilled, cw, ch);
  const regionC = dilateSquare(edgesC, cw, ch, 1 + Math.ceil(8 / r));
  const outCore = dilateSquare(edgesC, cw, ch, 1);
  for (let i = 0; i < outCore.length; i++) outCore[i] = !coarse.bin[i] && !outCore[i] ? 1 : 0;
  // glass pixels up to 8 coarse px outside the region feed the glass level
  const tc = coarseTransmittance(data, fw, fh, r, cw, ch, dilateSquare(regionC, cw, ch, 8), k0, k1, k2);
  const [gNear, gFar] = maskedBoxMeans(tc, outCore, cw, ch, [3, 8], regionC) as [Float32Array, Float32Array];
  // fine pixels of the region: transmittance; outside the region: coarse decision
  const n = fw * fh;
  // work arrays reused between images (scratch.ts): t and glassAt are written before they are read
  const state = scratchUint8('fineDecision.state', n, true); // bit0 tissue, bit1 in region (0 outside the region)
  const t = scratchFloat32('fineDecision.t', n);
  const glassAt = scratchFloat32('fineDecision.glassAt', n);
  let nRegion = 0;
  for (let c = 0; c < regionC.length; c++) nRegion += regionC[c]!;
  const regionPx = new Int32Array(nRegion * r * r);
  let nr = 0;
  // glass noise samples (every 8th fine pixel of the glass core), in a typed array: a growing JS
  // array of this size lands in the old generation and brings a full GC per image
  const dev = new Float64Array(nRegion * r * Math.ceil(r / 8) + 1); // at most ⌈r/8⌉ per row of a region block
  let nDev = 0;
  for (let c = 0; c < regionC.length; c++) {
    if (!regionC[c]) continue;
    const cx = c % cw, cy = (c - cx) / cw;
    const g = Number.isFinite(gNear[c]!) ? gNear[c]! : Number.isFinite(gFar[c]!) ? gFar[c]! : 1;
    for (let y = cy * r; y < Math.min(fh, cy * r + r); y++) {
      for (let x = cx * r, i = y * fw + x; x < Math.min(fw, cx * r + r); x++, i++) {
        const p = 3 * i;
        t[i] = data[p]! * k0 + data[p + 1]! * k1 + data[p + 2]! * k2;
        glassAt[i] = g;
        state[i] = 2;
        regionPx[nr++] = i;
        if (outCore[c] && (i & 7) === 0) dev[nDev++] = Math.abs(t[i]! / g - 1);
      }
    }
  }
  // tissue bit of any fine pixel: its own decision in the region, else the coarse decision
  // fine tissue: darker than the local glass by 5 robust σ of glass noise (at least 1.5 %, at most
  // the coarse threshold), so the comparison is local and immune to flat-field residue
  const sigma = nDev > 20 ? quantileOf(dev.subarray(0, nDev), 0.5) * 1.4826 : 0.01;
  const drop = Math.min(1 - 10 ** (-thresholdOd / 3), Math.max(0.015, 5 * sigma));
  for (let k = 0; k < nr; k++) {
    const i = regionPx[k]!;
    if (t[i]! < glassAt[i]! * (1 - drop)) state[i]! |= 1;
  }
  // band = fine pixels within 1 px of a tissue/glass boundary in the region; inner = tissue
  // pixels whose 4 neighbours are tissue
  const inner = scratchUint8('fineDecision.inner', n, true);
  const inBand = scratchUint8('fineDecision.inBand', n, true);
  let nb = 0;
  for (let k = 0; k < nr; k++) {
    const i = regionPx[k]!;
    const x = i % fw, v = state[i]! & 1;
    const l = x > 0 ? tissueAt(state, coarse.bin, fw, cw, ch, r, i - 1) : v, rr = x < fw - 1 ? tissueAt(state, coarse.bin, fw, cw, ch, r, i + 1) : v;
    const u = i >= fw ? tissueAt(state, coarse.bin, fw, cw, ch, r, i - fw) : v, d = i < n - fw ? tissueAt(state, coarse.bin, fw, cw, ch, r, i + fw) : v;
    if (l === v && rr === v && u === v && d === v) {
      inner[i] = v;
      continue;
    }
    const y = (i - x) / fw;
    for (let yy = Math.max(0, y - 1); yy <= Math.min(fh - 1, y + 1); yy++) {
      for (let xx = Math.max(0, x - 1); xx <= Math.min(fw - 1, x + 1); xx++) {
        const j = yy * fw + xx;
        if (!inBand[j] && state[j]! & 2) {
          inBand[j] = 1;
          nb++;
        }
      }
    }
  }
  const band = new Int32Array(nb);
  for (let k = 0, m = 0; k < nr; k++) if (inBand[regionPx[k]!]) band[m++] = regionPx[k]!;
  const level = new Float32Array(band.length).fill(NaN), bandBin = new Uint8Array(band.length);
  const buf = new Float32Array(169);
  for (let k = 0; k < band.length; k++) {
    const i = band[k]!;
    bandBin[k] = state[i]! & 1;
    const tt = localMedian(t, inner, fw, fh, i, 3, buf) ?? localMedian(t, inner, fw, fh, i, 6, buf);
    if (tt !== null && glassAt[i]! - tt >= 0.02) level[k] = (glassAt[i]! + tt) / 2;
  }
  return { coarse, fineWidth: fw, fineHeight: fh, fineFactor: fine.factor, band, level, bandBin, white };
}

/** Mean-of-channels transmittance on the coarse grid (fine blocks of r×r), where `at` is 1. */
function coarseTransmittance(
  d: Float32Array, fw: number, fh: number, r: number, cw: number, ch: number, at: Uint8Array,
  k0: number, k1: number, k2: number,
): Float32Array {
  const out = new Float32Array(cw * ch);
  for (let c = 0; c < out.length; c++) {
    if (!at[c]) continue;
    const cx = c % cw, cy = (c - cx) / cw;
    let s = 0, m = 0;
    for (let y = cy * r; y < Math.min(fh, cy * r + r); y++) {
      for (let x = cx * r, p = (y * fw + x) * 3; x < Math.min(fw, cx * r + r); x++, p += 3) {
        s += d[p]! * k0 + d[p + 1]! * k1 + d[p + 2]! * k2;
        m++;
      }
    }
    out[c] = s / Math.max(1, m);
  }
  return out;
}

/** Median of `v` over selected pixels in the (2r+1)² window around pixel i; null when < 3. */
function localMedian(v: Float32Array, sel: Uint8Array, w: number, h: number, i: number, r: number, buf: Float32Array): number | null {
  const x = i % w, y = (i - x) / w;
  let n = 0;
  const xa = Math.max(0, x - r), xb = Math.min(w - 1, x + r);
  for (let yy = Math.max(0, y - r); yy <= Math.min(h - 1, y + r); yy++) {
    for (let j = yy * w + xa, je = yy * w + xb; j <= je; j++) if (sel[j]) buf[n++] = v[j]!;
  }
  return n < 3 ? null : selectKth(buf, n, n >> 1);
}

/** k-th smallest of buf[0…n) (quickselect; reorders buf). */
function selectKth(buf: Float32Array, n: number, k: number): number {
  let lo = 0, hi = n - 1;
  while (lo < hi) {
    const pivot = buf[(lo + hi) >> 1]!;
    let i = lo, j = hi;
    while (i <= j) {
      while (buf[i]! < pivot) i++;
      while (buf[j]! > pivot) j--;
      if (i <= j) {
        const tmp = buf[i]!;
        buf[i++] = buf[j]!;
        buf[j--] = tmp;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else break;
  }
  return buf[k]!;
}

/** Quantile q (0–1) of a list (nearest rank). */
function quantileOf(v: ArrayLike<number>, q: number): number {
  const s = Float64Array.from(v).sort();
  return s[Math.min(s.length - 1, Math.round(q * (s.length - 1)))]!;
}
