/**
 * WebAssembly kernels of the full-resolution tissue edge (AssemblyScript; compiled with
 * kernels.as.ts, which exports them): refineBand in reference/tissue-edge.ts, step by step, with
 * the same results. Not TypeScript: excluded from tsc.
 */

const TISSUE: u8 = 255, GLASS: u8 = 0, CAND_TISSUE: u8 = 1, CAND_GLASS: u8 = 2;

/**
 * The coarse decision expanded to full resolution: coarse pixel (cx, cy) of `bin` (cw × ch, 0/1)
 * covers [cx·fc, (cx+1)·fc) × [cy·fc, (cy+1)·fc) of `out` (w × h, 255 tissue, 0 glass), clipped.
 */
export function expandCoarse(bin: usize, cw: i32, ch: i32, fc: i32, out: usize, w: i32, h: i32): void {
  for (let cy = 0; cy < ch; cy++) {
    const y0 = cy * fc, y1 = min(h, y0 + fc);
    if (y0 >= h) break;
    const first = out + <usize>(y0 * w);
    let x = 0;
    for (let cx = 0; cx < cw && x < w; cx++) {
      const xe = min(w, x + fc);
      memory.fill(first + <usize>x, load<u8>(bin + <usize>(cy * cw + cx)) != 0 ? TISSUE : GLASS, <usize>(xe - x));
      x = xe;
    }
    if (x < w) memory.fill(first + <usize>x, GLASS, <usize>(w - x));
    for (let y = y0 + 1; y < y1; y++) memory.copy(out + <usize>(y * w), first, <usize>w);
  }
  const covered = min(h, ch * fc);
  if (covered < h) memory.fill(out + <usize>(covered * w), GLASS, <usize>((h - covered) * w));
}

/** Writes the candidate values `vals` (1 tissue, 2 glass) at the pixels `px` of `out`. */
export function applyCandidates(out: usize, px: usize, vals: usize, np: i32): void {
  for (let k = 0; k < np; k++) store<u8>(out + <usize>load<i32>(px + (<usize>k << 2)), load<u8>(vals + <usize>k));
}

/**
 * Candidates become final by connectivity (resolveCandidates in tissue-edge.ts): glass candidates
 * 4-connected to glass (or the border) stay glass, the others become tissue candidates; tissue
 * candidates 8-connected to tissue stay tissue, the others become glass. `queue`: np i32.
 */
export function resolveCandidates(out: usize, w: i32, h: i32, px: usize, np: i32, queue: usize): void {
  grow(out, w, h, px, np, queue, CAND_GLASS, GLASS, false);
  for (let q = 0; q < np; q++) {
    const i = out + <usize>load<i32>(px + (<usize>q << 2));
    if (load<u8>(i) == CAND_GLASS) store<u8>(i, CAND_TISSUE);
  }
  grow(out, w, h, px, np, queue, CAND_TISSUE, TISSUE, true);
  for (let q = 0; q < np; q++) {
    const i = out + <usize>load<i32>(px + (<usize>q << 2));
    if (load<u8>(i) == CAND_TISSUE) store<u8>(i, GLASS);
  }
}

/**
 * Candidates `cand` touching `target` (or, for glass, the border) become `target`, then the flood
 * goes on through connected candidates (4- or 8-connected). The flooded set does not depend on the
 * visiting order, so it is that of the JS code.
 */
function grow(out: usize, w: i32, h: i32, px: usize, np: i32, queue: usize, cand: u8, target: u8, conn8: bool): void {
  let qh = 0, qt = 0;
  for (let q = 0; q < np; q++) {
    const i = load<i32>(px + (<usize>q << 2));
    if (load<u8>(out + <usize>i) != cand) continue;
    const y = i / w, x = i - y * w;
    const onBorder = target == GLASS && (x == 0 || y == 0 || x == w - 1 || y == h - 1);
    if (onBorder || touches(out, w, h, i, x, y, target, conn8)) {
      store<u8>(out + <usize>i, target);
      store<i32>(queue + (<usize>qt << 2), i);
      qt++;
    }
  }
  while (qh < qt) {
    const i = load<i32>(queue + (<usize>qh << 2));
    qh++;
    const y = i / w, x = i - y * w;
    const l = x > 0, r = x < w - 1, u = y > 0, d = y < h - 1;
    if (l) qt = visit(out, queue, qt, i - 1, cand, target);
    if (r) qt = visit(out, queue, qt, i + 1, cand, target);
    if (u) qt = visit(out, queue, qt, i - w, cand, target);
    if (d) qt = visit(out, queue, qt, i + w, cand, target);
    if (conn8) {
      if (u && l) qt = visit(out, queue, qt, i - w - 1, cand, target);
      if (u && r) qt = visit(out, queue, qt, i - w + 1, cand, target);
      if (d && l) qt = visit(out, queue, qt, i + w - 1, cand, target);
      if (d && r) qt = visit(out, queue, qt, i + w + 1, cand, target);
    }
  }
}

/** A candidate at j joins the flood: marked `target` and queued. Returns the new queue length. */
@inline function visit(out: usize, queue: usize, qt: i32, j: i32, cand: u8, target: u8): i32 {
  if (load<u8>(out + <usize>j) != cand) return qt;
  store<u8>(out + <usize>j, target);
  store<i32>(queue + (<usize>qt << 2), j);
  return qt + 1;
}

/** Whether pixel i = (x, y) has a neighbour of value v (4- or 8-connected). */
@inline function touches(out: usize, w: i32, h: i32, i: i32, x: i32, y: i32, v: u8, conn8: bool): bool {
  const l = x > 0, r = x < w - 1, u = y > 0, d = y < h - 1;
  const o = out + <usize>i, uw = <usize>w;
  if ((l && load<u8>(o - 1) == v) || (r && load<u8>(o + 1) == v) || (u && load<u8>(o - uw) == v) || (d && load<u8>(o + uw) == v)) return true;
  if (!conn8) return false;
  return (u && l && load<u8>(o - uw - 1) == v) || (u && r && load<u8>(o - uw + 1) == v) || (d && l && load<u8>(o + uw - 1) == v) ||
    (d && r && load<u8>(o + uw + 1) == v);
}

/**
 * The full-resolution pixels under the fine tissue band (see refineBand in tissue-edge.ts), in band
 * order: for band entry k (fine pixel band[k], ff×ff full-res pixels), each pixel is a tissue (1) or
 * glass (2) candidate: by bandBin[k] when level[k] is not finite, else by its 3×3 mean
 * transmittance Σ_c I_c·k_c against the level. Writes the pixel indices to `px` and the candidate
 * values to `vals`; returns how many.
 */
export function bandCandidates(
  src: usize, w: i32, h: i32, band: usize, level: usize, bandBin: usize, nb: i32, ff: i32, fineWidth: i32,
  k0: f64, k1: f64, k2: f64, px: usize, vals: usize,
): i32 {
  let np = 0;
  for (let k = 0; k < nb; k++) {
    const b = load<i32>(band + (<usize>k << 2)), bx = b % fineWidth, by = (b - bx) / fineWidth;
    const x0 = bx * ff, x1 = min(w, x0 + ff), y0 = by * ff, y1 = min(h, y0 + ff);
    const thr = <f64>load<f32>(level + (<usize>k << 2));
    if (!isFinite<f64>(thr)) {
      const v: u8 = load<u8>(bandBin + <usize>k) != 0 ? 1 : 2;
      for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) {
        store<i32>(px + (<usize>np << 2), y * w + x);
        store<u8>(vals + <usize>np, v);
        np++;
      }
      continue;
    }
    const limit = 27 * thr;
    for (let y = y0; y < y1; y++) {
      const ya = y > 0 ? y - 1 : 0, yb = y < h - 1 ? y + 1 : h - 1;
      for (let x = x0; x < x1; x++) {
        const xa = x > 0 ? x - 1 : 0, xb = x < w - 1 ? x + 1 : w - 1;
        let s0: u32 = 0, s1: u32 = 0, s2: u32 = 0;
        for (let yy = ya; yy <= yb; yy++) {
          for (let p = src + <usize>((yy * w + xa) * 3), pe = src + <usize>((yy * w + xb) * 3); p <= pe; p += 3) {
            s0 += <u32>load<u8>(p);
            s1 += <u32>load<u8>(p, 1);
            s2 += <u32>load<u8>(p, 2);
          }
        }
        const t = (<f64>s0 * k0 + <f64>s1 * k1 + <f64>s2 * k2) * (9.0 / <f64>((yb - ya + 1) * (xb - xa + 1)));
        store<i32>(px + (<usize>np << 2), y * w + x);
        store<u8>(vals + <usize>np, t < limit ? 1 : 2);
        np++;
      }
    }
  }
  return np;
}
