/**
 * WebAssembly kernels (AssemblyScript source; `npm run build:kernels` compiles it into
 * kernels-wasm.ts). Plain loops over linear memory: no bounds checks, no deoptimization, about
 * 2.5× faster than the same loops in V8-compiled JS on this project's machines. Each kernel does
 * exactly the arithmetic of its JS twin (f64 sums rounded to f32 on store), so results are
 * bit-identical; tests compare the two. SIMD (v128) is used where lanes do the same IEEE operations
 * as the scalar code (f64 lanes for sums, exact max/min, integer sums).
 *
 * Pointers are byte offsets into the (imported) memory. The local-contrast passes are in
 * contrast.as.ts. Not TypeScript: excluded from tsc.
 */

/**
 * Area-mean low-resolution copy of interleaved 8-bit RGB (see lowResRgb in illumination.ts): block
 * (bx, by) covers pixels [bx·f, (bx+1)·f) × [by·f, (by+1)·f) clipped to the image; out (f32, three
 * per block) = channel sum · 1 / (pixels in block · 255). Per block row, the bytes of its rows are
 * summed column by column with SIMD into `col` (u16, 3w values, so f ≤ 257), then along each
 * block. Integer sums are exact, so the order does not change the result. Block rows [by0, by1).
 */
export function lowResRgb8(src: usize, w: i32, h: i32, f: i32, out: usize, col: usize, by0: i32, by1: i32): void {
  const sw = (w + f - 1) / f;
  const n3 = 3 * w, nv = n3 & ~15;
  for (let by = by0; by < by1; by++) {
    memory.fill(col, 0, <usize>n3 << 1);
    const y1 = min(h, (by + 1) * f);
    for (let y = by * f; y < y1; y++) {
      const p = src + <usize>(y * n3);
      let i = 0;
      for (; i < nv; i += 16) {
        const v = v128.load(p + <usize>i);
        const c = col + (<usize>i << 1);
        v128.store(c, i16x8.add(v128.load(c), i16x8.extend_low_i8x16_u(v)));
        v128.store(c, i16x8.add(v128.load(c, 16), i16x8.extend_high_i8x16_u(v)), 16);
      }
      for (; i < n3; i++) {
        const c = col + (<usize>i << 1);
        store<u16>(c, load<u16>(c) + <u16>load<u8>(p + <usize>i));
      }
    }
    const ny = y1 - by * f;
    let x = 0;
    for (let bx = 0; bx < sw; bx++) {
      const xe = min(w, x + f);
      let r: u32 = 0, g: u32 = 0, b: u32 = 0;
      for (let c = col + (<usize>(3 * x) << 1); x < xe; x++, c += 6) {
        r += <u32>load<u16>(c);
        g += <u32>load<u16>(c, 2);
        b += <u32>load<u16>(c, 4);
      }
      const k = 1.0 / (<f64>(min(w, (bx + 1) * f) - bx * f) * <f64>ny * 255.0);
      const o = out + (<usize>((by * sw + bx) * 3) << 2);
      store<f32>(o, <f32>(<f64>r * k));
      store<f32>(o, <f32>(<f64>g * k), 4);
      store<f32>(o, <f32>(<f64>b * k), 8);
    }
  }
}

/**
 * A row of the flat-field bias (see sampleFieldRow in od.ts): linear interpolation between the
 * field grid's rows j0, j1 and along x between nodes i·cellPx, one segment at a time with an
 * incremental value; constant beyond the last node. `grid`: gridW × gridH f32; out: w f32.
 * Only the segments that meet [xFrom, xTo) are computed: each segment starts afresh at
 * ceil(i·cellPx), so their values are those of the whole row.
 */
function fieldRow(grid: usize, gridW: i32, gridH: i32, cellPx: f64, y: i32, out: usize, w: i32, xFrom: i32, xTo: i32): void {
  const gy = min(max(<f64>y / cellPx, 0.0), <f64>(gridH - 1));
  const j0 = min(<i32>Math.floor(gy), gridH - 1), j1 = min(j0 + 1, gridH - 1);
  const ty = gy - <f64>j0;
  const r0 = grid + (<usize>(j0 * gridW) << 2), r1 = grid + (<usize>(j1 * gridW) << 2);
  // the segment holding xFrom, less one for safety against rounding of xFrom / cellPx
  let i = max(0, min(gridW - 1, <i32>Math.floor(<f64>xFrom / cellPx) - 1));
  let x = i == 0 ? 0 : <i32>min(<f64>w, Math.ceil(<f64>i * cellPx));
  const to = min(w, xTo);
  for (; i < gridW - 1 && x < to; i++) {
    const v0 = fieldNode(r0, r1, i, ty);
    const dv = (fieldNode(r0, r1, i + 1, ty) - v0) / cellPx;
    const end = <i32>min(<f64>w, Math.ceil(<f64>(i + 1) * cellPx));
    let v = v0 + (<f64>x - <f64>i * cellPx) * dv;
    for (; x < end; x++, v += dv) store<f32>(out + (<usize>x << 2), <f32>v);
  }
  const last = <f32>fieldNode(r0, r1, gridW - 1, ty);
  for (; x < to; x++) store<f32>(out + (<usize>x << 2), last);
}

@inline function fieldNode(r0: usize, r1: usize, i: i32, ty: f64): f64 {
  return <f64>load<f32>(r0 + (<usize>i << 2)) * (1 - ty) + <f64>load<f32>(r1 + (<usize>i << 2)) * ty;
}

/**
 * The OD projection of a whole 8-bit RGB image (see project8 in od.ts): row y over its span
 * [spans[2y], spans[2y+1]) as projectRow8, with bias = the flat field's row (`field` ≠ 0: a
 * gridW × gridH f32 grid, rows computed into `biasRow`) or `constant`; everything else is 0.
 */
export function projectRows8(
  src: usize, out: usize, w: i32, h: i32, spans: usize, lut: usize, field: usize, gridW: i32, gridH: i32, cellPx: f64,
  constant: f64, biasRow: usize,
): void {
  for (let y = 0; y < h; y++) {
    const x0 = load<i32>(spans + (<usize>(2 * y) << 2)), x1 = load<i32>(spans + (<usize>(2 * y + 1) << 2));
    let bias: usize = 0;
    if (field != 0 && x1 > x0) {
      fieldRow(field, gridW, gridH, cellPx, y, biasRow, w, x0, x1);
      bias = biasRow;
    }
    projectRow8(src + <usize>(3 * y * w), out + (<usize>(y * w) << 2), w, x0, x1, lut, bias, constant);
  }
}

/**
 * Separable Gaussian blur of a small f32 map with replicated edges (see gaussianBlur in
 * background.ts): taps k (2r + 1 f32), rows into `tmp` (f32), then columns into `out` (f32).
 * Every output is an f64 sum of its taps in the same order as there (i = −r … r, each product
 * k·v in f64, rounded to f32 once), four pixels at a time in f64x2 lanes.
 */
export function gaussianBlur(src: usize, w: i32, h: i32, k: usize, r: i32, tmp: usize, out: usize): void {
  const taps = 2 * r + 1;
  for (let y = 0; y < h; y++) {
    const row = src + (<usize>(y * w) << 2), dst = tmp + (<usize>(y * w) << 2);
    let x = 0;
    for (; x < w && x - r < 0; x++) store<f32>(dst + (<usize>x << 2), <f32>clampedRowTap(row, w, k, r, x));
    // interior, four at a time: pixels x … x + 3 read taps x − r + i … x + 3 − r + i
    for (; x + 3 + r < w; x += 4) {
      let lo = f64x2.splat(0), hi = f64x2.splat(0);
      let p = row + (<usize>(x - r) << 2);
      for (let i = 0; i < taps; i++, p += 4) {
        const kv = f64x2.splat(<f64>load<f32>(k + (<usize>i << 2)));
        const v = v128.load(p);
        lo = f64x2.add(lo, f64x2.mul(kv, f64x2.promote_low_f32x4(v)));
        hi = f64x2.add(hi, f64x2.mul(kv, f64x2.promote_low_f32x4(i32x4.shuffle(v, v, 2, 3, 0, 1))));
      }
      v128.store(dst + (<usize>x << 2), i32x4.shuffle(f32x4.demote_f64x2_zero(lo), f32x4.demote_f64x2_zero(hi), 0, 1, 4, 5));
    }
    for (; x < w; x++) store<f32>(dst + (<usize>x << 2), <f32>clampedRowTap(row, w, k, r, x));
  }
  for (let y = 0; y < h; y++) {
    const o = out + (<usize>(y * w) << 2);
    let x = 0;
    for (; x + 3 < w; x += 4) {
      let lo = f64x2.splat(0), hi = f64x2.splat(0);
      for (let i = -r; i <= r; i++) {
        const yy = y + i < 0 ? 0 : y + i >= h ? h - 1 : y + i;
        const kv = f64x2.splat(<f64>load<f32>(k + (<usize>(i + r) << 2)));
        const v = v128.load(tmp + (<usize>(yy * w + x) << 2));
        lo = f64x2.add(lo, f64x2.mul(kv, f64x2.promote_low_f32x4(v)));
        hi = f64x2.add(hi, f64x2.mul(kv, f64x2.promote_low_f32x4(i32x4.shuffle(v, v, 2, 3, 0, 1))));
      }
      v128.store(o + (<usize>x << 2), i32x4.shuffle(f32x4.demote_f64x2_zero(lo), f32x4.demote_f64x2_zero(hi), 0, 1, 4, 5));
    }
    for (; x < w; x++) {
      let a: f64 = 0;
      for (let i = -r; i <= r; i++) {
        const yy = y + i < 0 ? 0 : y + i >= h ? h - 1 : y + i;
        a += <f64>load<f32>(k + (<usize>(i + r) << 2)) * <f64>load<f32>(tmp + (<usize>(yy * w + x) << 2));
      }
      store<f32>(o + (<usize>x << 2), <f32>a);
    }
  }
}

/** One pixel of the row pass near the ends, with clamped taps. */
@inline function clampedRowTap(row: usize, w: i32, k: usize, r: i32, x: i32): f64 {
  let a: f64 = 0;
  for (let i = -r; i <= r; i++) {
    const xx = x + i < 0 ? 0 : x + i >= w ? w - 1 : x + i;
    a += <f64>load<f32>(k + (<usize>(i + r) << 2)) * <f64>load<f32>(row + (<usize>xx << 2));
  }
  return a;
}

/**
 * The sums of one round of the background's normalized convolution (see backgroundGrid in
 * background.ts) on a w × h weighted map (`map`, `weight`: f32): seeds are samples of positive
 * weight above their level + seedOd (`levels`: w·h f32 rows, or 0 for the constant level
 * `constLevel` = level + seedOd); samples farther than `pad` (square) from every seed add map·weight
 * and weight to num and den (f32, blocks of `factor`, gw per row). Scratch: ring ((2pad + 2)·w
 * bytes), seeds (w), prefix (w + 1 i32), colCount (w i32, zeroed here).
 */
export function backgroundSums(
  map: usize, weight: usize, w: i32, h: i32, levels: usize, constLevel: f64, seedOd: f64, pad: i32, factor: i32, num: usize, den: usize,
  ring: usize, seeds: usize, prefix: usize, colCount: usize,
): void {
  const ringRows = 2 * pad + 2, gw = (w + factor - 1) / factor;
  memory.fill(colCount, 0, <usize>w << 2);
  for (let yy = 0; yy < h + pad; yy++) {
    if (yy < h) {
      const row = <usize>(yy * w);
      for (let x = 0; x < w; x++) {
        const i = row + <usize>x;
        const limit = levels != 0 ? <f64>load<f32>(levels + (i << 2)) + seedOd : constLevel;
        store<u8>(seeds + <usize>x, load<f32>(weight + (i << 2)) > 0 && <f64>load<f32>(map + (i << 2)) > limit ? 1 : 0);
      }
      const hr = ring + <usize>((yy % ringRows) * w);
      store<i32>(prefix, 0);
      for (let x = 0; x < w; x++) store<i32>(prefix + (<usize>(x + 1) << 2), load<i32>(prefix + (<usize>x << 2)) + <i32>load<u8>(seeds + <usize>x));
      for (let x = 0; x < w; x++) {
        const a = x - pad < 0 ? 0 : x - pad, b = x + pad + 1 > w ? w : x + pad + 1;
        const v: u8 = load<i32>(prefix + (<usize>b << 2)) - load<i32>(prefix + (<usize>a << 2)) > 0 ? 1 : 0;
        store<u8>(hr + <usize>x, v);
        const c = colCount + (<usize>x << 2);
        store<i32>(c, load<i32>(c) + <i32>v);
      }
    }
    const gone = yy - 2 * pad - 1;
    if (gone >= 0) {
      const hr = ring + <usize>((gone % ringRows) * w);
      for (let x = 0; x < w; x++) {
        const c = colCount + (<usize>x << 2);
        store<i32>(c, load<i32>(c) - <i32>load<u8>(hr + <usize>x));
      }
    }
    const y = yy - pad;
    if (y < 0) continue;
    const row = <usize>(y * w), g0 = (y / factor) * gw;
    for (let x = 0; x < w; x++) {
      const i = row + <usize>x;
      const v = load<f32>(weight + (i << 2));
      if (v == 0 || load<i32>(colCount + (<usize>x << 2)) != 0) continue;
      const g = <usize>(g0 + x / factor) << 2;
      store<f32>(num + g, <f32>(<f64>load<f32>(num + g) + <f64>load<f32>(map + (i << 2)) * <f64>v));
      store<f32>(den + g, <f32>(<f64>load<f32>(den + g) + <f64>v));
    }
  }
}

/**
 * One row of the low-res OD sum (see odSumFromLowRes in illumination.ts): out[x] =
 * f32(bias[x] + lut[i(R)] + lut[i(G)] + lut[i(B)]), i(v) = trunc(v·q + 0.5), for the sw low-res
 * pixels at `src` (three f32 fractions each); bias: sw f64, lut: −log10 on q + 1 steps (f32).
 */
export function odSumRow(src: usize, out: usize, sw: i32, lut: usize, q: f64, bias: usize): void {
  for (let x = 0; x < sw; x++) {
    const p = src + <usize>(12 * x);
    const v = load<f64>(bias + (<usize>x << 3)) + <f64>load<f32>(lut + fractionIndex(load<f32>(p), q)) +
      <f64>load<f32>(lut + fractionIndex(load<f32>(p, 4), q)) + <f64>load<f32>(lut + fractionIndex(load<f32>(p, 8), q));
    store<f32>(out + (<usize>x << 2), <f32>v);
  }
}

/** Byte offset in the fraction table of v (JS: (v·q + 0.5) | 0). */
@inline function fractionIndex(v: f32, q: f64): usize {
  return <usize>(<i32>(<f64>v * q + 0.5)) << 2;
}

/**
 * Runs of non-zero bytes of a w × h mask, row by row (see extractRuns in components.ts): run i
 * is [x0[i], x1[i]) of its row, row y's runs start at rowStart[y] (h + 1 entries). Uniform 16-byte
 * stretches are skipped with SIMD. Returns the number of runs, or −1 when more than `cap`.
 */
export function extractRuns(mask: usize, w: i32, h: i32, rowStart: usize, x0: usize, x1: usize, cap: i32): i32 {
  let n = 0;
  for (let y = 0; y < h; y++) {
    store<i32>(rowStart + (<usize>y << 2), n);
    const row = mask + <usize>(y * w);
    let x = 0;
    while (x < w) {
      while (x + 16 <= w && !v128.any_true(v128.load(row + <usize>x))) x += 16;
      while (x < w && load<u8>(row + <usize>x) == 0) x++;
      if (x >= w) break;
      const s = x;
      while (x + 16 <= w && i8x16.all_true(v128.load(row + <usize>x))) x += 16;
      while (x < w && load<u8>(row + <usize>x) != 0) x++;
      if (n == cap) return -1;
      store<i32>(x0 + (<usize>n << 2), s);
      store<i32>(x1 + (<usize>n << 2), x);
      n++;
    }
  }
  store<i32>(rowStart + (<usize>h << 2), n);
  return n;
}

/**
 * One row of the OD projection of 8-bit RGB (see project8 in od.ts): for x in [x0, x1),
 * out[x] = f32(lut[r] + lut[256 + g] + lut[512 + b] + bias), bias = biasRow[x] (f32) when biasRow
 * ≠ 0, else `constant`; the rest of the row (w pixels) is 0. `src` and `out` point at the row's
 * first pixel; `lut` holds 768 f32.
 */
function projectRow8(src: usize, out: usize, w: i32, x0: i32, x1: i32, lut: usize, biasRow: usize, constant: f64): void {
  if (x1 <= x0) {
    memory.fill(out, 0, <usize>w << 2);
    return;
  }
  memory.fill(out, 0, <usize>x0 << 2);
  memory.fill(out + (<usize>x1 << 2), 0, <usize>(w - x1) << 2);
  let p = src + <usize>(x0 * 3);
  if (biasRow != 0) {
    for (let x = x0; x < x1; x++, p += 3) {
      const v = <f64>load<f32>(lut + (<usize>load<u8>(p) << 2)) + <f64>load<f32>(lut + 1024 + (<usize>load<u8>(p, 1) << 2)) +
        <f64>load<f32>(lut + 2048 + (<usize>load<u8>(p, 2) << 2)) + <f64>load<f32>(biasRow + (<usize>x << 2));
      store<f32>(out + (<usize>x << 2), <f32>v);
    }
  } else {
    for (let x = x0; x < x1; x++, p += 3) {
      const v = <f64>load<f32>(lut + (<usize>load<u8>(p) << 2)) + <f64>load<f32>(lut + 1024 + (<usize>load<u8>(p, 1) << 2)) +
        <f64>load<f32>(lut + 2048 + (<usize>load<u8>(p, 2) << 2)) + constant;
      store<f32>(out + (<usize>x << 2), <f32>v);
    }
  }
}

/**
 * Masked block sums of a stain-amount map (see maskedBlockMeans in background.ts): for each row y,
 * over x in [spans[2y], spans[2y+1]) where ref ≠ 0, sum[block] += f (rounded to f32 at every add,
 * in row order) and cnt[block] += 1. `sum`, `cnt`: f32, gw per block row, zeroed by the caller.
 */
export function maskedBlockSums(f: usize, ref: usize, spans: usize, w: i32, h: i32, factor: i32, sum: usize, cnt: usize): void {
  const gw = (w + factor - 1) / factor;
  for (let y = 0; y < h; y++) {
    const x1 = load<i32>(spans + (<usize>(2 * y + 1) << 2));
    let x = load<i32>(spans + (<usize>(2 * y) << 2));
    const row = <usize>(y * w), g0 = (y / factor) * gw;
    while (x < x1) {
      const b = x / factor, xe = min(x1, (b + 1) * factor);
      const at = <usize>(g0 + b) << 2;
      if (x == b * factor && x + 4 * factor <= x1) {
        // four whole blocks side by side: each running sum is a chain of dependent additions, and
        // four chains overlap (each block still adds its pixels in x order: the same sums)
        const fs = <usize>factor;
        let s0 = load<f32>(sum + at), s1 = load<f32>(sum + at, 4), s2 = load<f32>(sum + at, 8), s3 = load<f32>(sum + at, 12);
        let n0: i32 = 0, n1: i32 = 0, n2: i32 = 0, n3: i32 = 0;
        for (let p = row + <usize>x, pe = p + fs; p < pe; p++) {
          if (load<u8>(ref + p) != 0) { s0 += load<f32>(f + (p << 2)); n0++; }
          if (load<u8>(ref + p + fs) != 0) { s1 += load<f32>(f + ((p + fs) << 2)); n1++; }
          if (load<u8>(ref + p + 2 * fs) != 0) { s2 += load<f32>(f + ((p + 2 * fs) << 2)); n2++; }
          if (load<u8>(ref + p + 3 * fs) != 0) { s3 += load<f32>(f + ((p + 3 * fs) << 2)); n3++; }
        }
        store<f32>(sum + at, s0);
        store<f32>(sum + at, s1, 4);
        store<f32>(sum + at, s2, 8);
        store<f32>(sum + at, s3, 12);
        store<f32>(cnt + at, load<f32>(cnt + at) + <f32>n0);
        store<f32>(cnt + at, load<f32>(cnt + at, 4) + <f32>n1, 4);
        store<f32>(cnt + at, load<f32>(cnt + at, 8) + <f32>n2, 8);
        store<f32>(cnt + at, load<f32>(cnt + at, 12) + <f32>n3, 12);
        x += 4 * factor;
        continue;
      }
      let s = load<f32>(sum + at), n: i32 = 0;
      for (; x < xe; x++) {
        if (load<u8>(ref + row + <usize>x) == 0) continue;
        s += load<f32>(f + ((row + <usize>x) << 2));
        n++;
      }
      store<f32>(sum + at, s);
      store<f32>(cnt + at, load<f32>(cnt + at) + <f32>n);
    }
  }
}

export { contrastPass1, contrastPass2 } from './contrast.as';

export { bandCandidates, expandCoarse, applyCandidates, resolveCandidates } from './tissue.as';
