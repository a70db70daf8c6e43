/**
 * Full-resolution tissue edge (see tissue.ts, rule 4): the coarse decision is expanded to full
 * resolution (one row built per coarse row, copied), then the full-res pixels under the fine band
 * are classified one by one against their half-way level (3×3 mean transmittance), and finally
 * resolved by connectivity so hole filling and debris removal hold at full resolution too.
 * Cost: one write pass over the mask plus a few operations per band pixel.
 */
import type { Mask, RgbImage } from '../raster.js';
import type { EdgeDecision } from './tissue-levels.js';
import { wasmKernels } from '../wasm/kernels.js';
import { takeMaskBuffer } from '../mask-pool.js';

const TISSUE = 255, GLASS = 0, CAND_TISSUE = 1, CAND_GLASS = 2;

/** Full-resolution mask (255 = tissue) from the coarse decision refined in the fine band. */
export function refineBand(img: RgbImage, d: EdgeDecision): Mask {
  const { width: W, height: H, data } = img;
  const full = img.bitDepth === 16 ? 65535 : 255;
  const { coarse } = d;
  const fc = coarse.factor, ff = d.fineFactor;
  const k0 = 1 / (full * d.white[0]), k1 = 1 / (full * d.white[1]), k2 = 1 / (full * d.white[2]);
  // 8-bit images: all of it in WebAssembly (same mask), else the loops below
  const wasm = data instanceof Uint8Array ? wasmKernels()?.tissueEdge(data, W, H, coarse, d, k0, k1, k2) : null;
  if (wasm) return { width: W, height: H, channels: 1, data: wasm };
  // every pixel is written below when the coarse grid covers the image (it does: ceil of ceil)
  const out = takeMaskBuffer(W * H, coarse.width * fc < W || coarse.height * fc < H);
  const row = new Uint8Array(W);
  for (let cy = 0; cy < coarse.height; cy++) {
    let x = 0;
    for (let cx = 0; cx < coarse.width; cx++) {
      const v = coarse.bin[cy * coarse.width + cx] ? TISSUE : GLASS;
      const xe = Math.min(W, x + fc);
      for (let i = x; i < xe; i++) row[i] = v;
      x = xe;
    }
    for (let y = cy * fc; y < Math.min(H, (cy + 1) * fc); y++) out.set(row, y * W);
  }
  const px = new Int32Array(d.band.length * ff * ff);
  let np = 0;
  for (let k = 0; k < d.band.length; k++) {
    const b = d.band[k]!, bx = b % d.fineWidth, by = (b - bx) / d.fineWidth;
    const x0 = bx * ff, x1 = Math.min(W, x0 + ff), y0 = by * ff, y1 = Math.min(H, y0 + ff);
    const thr = d.level[k]!;
    if (!Number.isFinite(thr)) {
      const v = d.bandBin[k] ? CAND_TISSUE : CAND_GLASS;
      for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) {
        out[y * W + x] = v;
        px[np++] = y * W + x;
      }
      continue;
    }
    const limit = 27 * thr; // 3×3 sum of Σ_k I_k / W_k against 27 × the mean-of-channels level
    for (let y = y0; y < y1; y++) {
      const ya = y > 0 ? y - 1 : 0, yb = y < H - 1 ? y + 1 : H - 1;
      for (let x = x0; x < x1; x++) {
        const xa = x > 0 ? x - 1 : 0, xb = x < W - 1 ? x + 1 : W - 1;
        let s0 = 0, s1 = 0, s2 = 0;
        for (let yy = ya; yy <= yb; yy++) {
          for (let p = (yy * W + xa) * 3, pe = (yy * W + xb) * 3; p <= pe; p += 3) {
            s0 += data[p]!;
            s1 += data[p + 1]!;
            s2 += data[p + 2]!;
          }
        }
        const t = (s0 * k0 + s1 * k1 + s2 * k2) * (9 / ((yb - ya + 1) * (xb - xa + 1)));
        out[y * W + x] = t < limit ? CAND_TISSUE : CAND_GLASS;
        px[np++] = y * W + x;
      }
    }
  }
  resolveCandidates(out, W, H, px.subarray(0, np));
  return { width: W, height: H, channels: 1, data: out };
}

/**
 * Candidates become final by connectivity: glass candidates 4-connected to glass stay glass (others
 * are small holes → tissue); tissue candidates 8-connected to tissue stay tissue (others → glass).
 */
function resolveCandidates(out: Uint8Array, W: number, H: number, band: Int32Array): void {
  const queue = new Int32Array(band.length);
  grow(out, W, H, band, queue, CAND_GLASS, GLASS, false);
  for (let q = 0; q < band.length; q++) if (out[band[q]!] === CAND_GLASS) out[band[q]!] = CAND_TISSUE;
  grow(out, W, H, band, queue, CAND_TISSUE, TISSUE, true);
  for (let q = 0; q < band.length; q++) if (out[band[q]!] === CAND_TISSUE) out[band[q]!] = GLASS;
}

/**
 * Turns candidates `cand` that touch `target` (or, for glass, the border) into `target`, then
 * floods through connected candidates. Top-level (a closure would be recompiled at every call).
 */
function grow(out: Uint8Array, W: number, H: number, band: Int32Array, queue: Int32Array, cand: number, target: number, conn8: boolean): void {
  let qh = 0, qt = 0;
  for (let q = 0; q < band.length; q++) {
    const i = band[q]!;
    if (out[i] !== cand) continue;
    const x = i % W, y = (i - x) / W;
    const onBorder = target === GLASS && (x === 0 || y === 0 || x === W - 1 || y === H - 1);
    if (onBorder || hasNeighbour(out, W, H, i, target, conn8)) {
      out[i] = target;
      queue[qt++] = i;
    }
  }
  while (qh < qt) {
    const i = queue[qh++]!;
    const x = i % W, y = (i - x) / W;
    for (let dy = -1; dy <= 1; dy++) {
      for (let dx = -1; dx <= 1; dx++) {
        if ((dx === 0 && dy === 0) || (!conn8 && dx !== 0 && dy !== 0)) continue;
        const xx = x + dx, yy = y + dy;
        if (xx < 0 || yy < 0 || xx >= W || yy >= H) continue;
        const j = yy * W + xx;
        if (out[j] === cand) {
          out[j] = target;
          queue[qt++] = j;
        }
      }
    }
  }
}

function hasNeighbour(out: Uint8Array, W: number, H: number, i: number, v: number, conn8: boolean): boolean {
  const x = i % W, y = (i - x) / W;
  for (let dy = -1; dy <= 1; dy++) {
    for (let dx = -1; dx <= 1; dx++) {
      if ((dx === 0 && dy === 0) || (!conn8 && dx !== 0 && dy !== 0)) continue;
      const xx = x + dx, yy = y + dy;
      if (xx >= 0 && yy >= 0 && xx < W && yy < H && out[yy * W + xx] === v) return true;
    }
  }
  return false;
}
