/**
 * WebAssembly kernels of the local-contrast segmentation (AssemblyScript; compiled with
 * kernels.as.ts, which exports them): pass 1 and pass 2 of localContrast in local-contrast.ts,
 * bit-identical to the JS code. Not TypeScript: excluded from tsc.
 */

/** Grid row coordinate of image row y, as RowBlend.select computes it. */
@inline function gridRowPos(y: i32, gridFactor: f64, gh: i32): f64 {
  return min(max((<f64>y + 0.5) / gridFactor - 0.5, 0.0), <f64>(gh - 1));
}

/** B at x between the grid rows at ga and gb, weight t (0: ga alone), rounded as RowBlend keeps it. */
@inline function blendAt(ga: usize, gb: usize, t: f64, ux: usize): f64 {
  const av = <f64>load<f32>(ga + (ux << 2));
  return t == 0 ? av : <f64><f32>(av + (<f64>load<f32>(gb + (ux << 2)) - av) * t);
}

/**
 * Pass 1 of the local-contrast segmentation (see localContrast in segment.ts), all rows: for each
 * reference pixel, c = f − B with B interpolated between grid rows (`grid`: gh rows of w f32, the
 * RowBlend rows; row y blends rows j0, j1 at weight t as RowBlend.select does). Deep pixels
 * (c > gMax and 3×3 mean − B > minContrast) are set in `out` (255); other pixels with c > gMin
 * become candidates: their x in `cand`, each row's first index in candStart (h + 1 entries).
 * res (f64): reference px, mineral px, Σ c of the mineral px, candidates. Returns the number of
 * candidates, or −1 when more than `candCap`.
 * Four pixels at a time, c in f64 lanes (the same IEEE operations as one at a time): only pixels
 * of the reference with c > gMin go on, one by one in x order, so counts, sums and the candidate
 * order are those of the plain loop.
 */
export function contrastPass1(
  f: usize, ref: usize, spans: usize, w: i32, h: i32, grid: usize, gh: i32, gridFactor: f64,
  gMin: f64, gMax: f64, minContrast: f64, out: usize, candStart: usize, cand: usize, candCap: i32, res: usize,
): i32 {
  let refPx: i32 = 0;
  p1MineralPx = 0;
  p1DeepOd = 0;
  p1NCand = 0;
  const gMinV = f64x2.splat(gMin), gMaxV = f64x2.splat(gMax), minContrastV = f64x2.splat(minContrast), nineV = f64x2.splat(9.0);
  for (let y = 0; y < h; y++) {
    store<i32>(candStart + (<usize>y << 2), p1NCand);
    const x1 = load<i32>(spans + (<usize>(2 * y + 1) << 2));
    const x0 = load<i32>(spans + (<usize>(2 * y) << 2));
    if (x1 <= x0) continue;
    const g = gridRowPos(y, gridFactor, gh), j0 = <i32>Math.floor(g), j1 = min(j0 + 1, gh - 1);
    const t = j0 == j1 ? 0 : g - <f64>j0;
    const tV = f64x2.splat(t);
    const ga = grid + (<usize>(j0 * w) << 2), gb = grid + (<usize>(j1 * w) << 2);
    const row = <usize>(y * w), r0 = <usize>((y > 0 ? y - 1 : 0) * w), r2 = <usize>((y < h - 1 ? y + 1 : y) * w);
    let x = x0;
    for (; x + 4 <= x1; x += 4) {
      const ux = <usize>x;
      const r4 = load<u32>(ref + row + ux);
      if (r4 == 0) continue;
      const inRef = (r4 & 0xff ? 1 : 0) | (r4 & 0xff00 ? 2 : 0) | (r4 & 0xff0000 ? 4 : 0) | (r4 & 0xff000000 ? 8 : 0);
      refPx += popcnt<i32>(inRef);
      const a4 = v128.load(ga + (ux << 2));
      let bLo = f64x2.promote_low_f32x4(a4), bHi = high2(a4);
      if (t != 0) {
        const b4 = v128.load(gb + (ux << 2));
        bLo = blend2(bLo, f64x2.promote_low_f32x4(b4), tV);
        bHi = blend2(bHi, high2(b4), tV);
      }
      const f4 = v128.load(f + ((row + ux) << 2));
      const cLo = f64x2.sub(f64x2.promote_low_f32x4(f4), bLo), cHi = f64x2.sub(high2(f4), bHi);
      let hit = (i64x2.bitmask(f64x2.gt(cLo, gMinV)) | (i64x2.bitmask(f64x2.gt(cHi, gMinV)) << 2)) & inRef;
      if (hit == 0) continue;
      if (x >= 1 && x + 4 < w && p1NCand + 4 <= candCap) {
        // all four 3×3 windows inside the image: the deep test in lanes too
        let deep = (i64x2.bitmask(f64x2.gt(cLo, gMaxV)) | (i64x2.bitmask(f64x2.gt(cHi, gMaxV)) << 2)) & hit;
        if (deep != 0) {
          const fa = f + ((r0 + ux) << 2), fb = f + ((row + ux) << 2), fc = f + ((r2 + ux) << 2);
          const mLo = f64x2.div(sum9(fa, fb, fc, 0), nineV), mHi = f64x2.div(sum9(fa, fb, fc, 8), nineV);
          deep &= i64x2.bitmask(f64x2.gt(f64x2.sub(mLo, bLo), minContrastV)) | (i64x2.bitmask(f64x2.gt(f64x2.sub(mHi, bHi), minContrastV)) << 2);
        }
        if (deep != 0) {
          store<u32>(out + row + ux, (deep & 1 ? 0xff : 0) | (deep & 2 ? 0xff00 : 0) | (deep & 4 ? 0xff0000 : 0) | (deep & 8 ? 0xff000000 : 0));
          p1MineralPx += <f64>popcnt<i32>(deep);
          if (deep & 1) p1DeepOd += f64x2.extract_lane(cLo, 0);
          if (deep & 2) p1DeepOd += f64x2.extract_lane(cLo, 1);
          if (deep & 4) p1DeepOd += f64x2.extract_lane(cHi, 0);
          if (deep & 8) p1DeepOd += f64x2.extract_lane(cHi, 1);
        }
        let rest = hit & ~deep;
        while (rest != 0) {
          store<i32>(cand + (<usize>p1NCand << 2), x + ctz<i32>(rest));
          p1NCand++;
          rest &= rest - 1;
        }
        continue;
      }
      while (hit != 0) {
        const xi = x + ctz<i32>(hit);
        hit &= hit - 1;
        const bx = blendAt(ga, gb, t, <usize>xi);
        if (!pass1Pixel(f, out, cand, candCap, w, row, r0, r2, xi, bx, <f64>load<f32>(f + ((row + <usize>xi) << 2)) - bx, gMax, minContrast)) return -1;
      }
    }
    for (; x < x1; x++) {
      const ux = <usize>x;
      if (load<u8>(ref + row + ux) == 0) continue;
      refPx++;
      const bx = blendAt(ga, gb, t, ux);
      const c = <f64>load<f32>(f + ((row + ux) << 2)) - bx;
      if (c <= gMin) continue;
      if (!pass1Pixel(f, out, cand, candCap, w, row, r0, r2, x, bx, c, gMax, minContrast)) return -1;
    }
  }
  store<i32>(candStart + (<usize>h << 2), p1NCand);
  store<f64>(res, <f64>refPx);
  store<f64>(res, p1MineralPx, 8);
  store<f64>(res, p1DeepOd, 16);
  store<f64>(res, <f64>p1NCand, 24);
  return p1NCand;
}

/** Pass 1's running totals (module globals, so the per-pixel step below can be inlined). */
let p1MineralPx: f64 = 0, p1DeepOd: f64 = 0, p1NCand: i32 = 0;

/**
 * Two lanes of the 3×3 sum at pixels x + o/4 and the next (rows at fa, fb, fc point at x), added
 * in pass1Pixel's order: row above left, centre, right, then this row, then the row below.
 */
@inline function sum9(fa: usize, fb: usize, fc: usize, o: usize): v128 {
  let s = f64x2.add(f64x2.add(lanes2(fa + o - 4), lanes2(fa + o)), lanes2(fa + o + 4));
  s = f64x2.add(f64x2.add(f64x2.add(s, lanes2(fb + o - 4)), lanes2(fb + o)), lanes2(fb + o + 4));
  return f64x2.add(f64x2.add(f64x2.add(s, lanes2(fc + o - 4)), lanes2(fc + o)), lanes2(fc + o + 4));
}

/** Two consecutive f32 at p as f64 lanes. */
@inline function lanes2(p: usize): v128 {
  return f64x2.promote_low_f32x4(v128.load64_zero(p));
}

/** Two lanes of blendAt with t ≠ 0: a + (b − a)·t rounded to f32, as f64. */
@inline function blend2(a: v128, b: v128, t: v128): v128 {
  return f64x2.promote_low_f32x4(f32x4.demote_f64x2_zero(f64x2.add(a, f64x2.mul(f64x2.sub(b, a), t))));
}

/**
 * One reference pixel with c = f − B > gMin: deep (c > gMax and its 3×3 mean − B > minContrast)
 * → mineral, else a candidate. False when the candidates are full.
 */
@inline function pass1Pixel(
  f: usize, out: usize, cand: usize, candCap: i32, w: i32, row: usize, r0: usize, r2: usize, x: i32, bx: f64, c: f64, gMax: f64, minContrast: f64,
): bool {
  const ux = <usize>x;
  if (c > gMax) {
    const xl = <usize>(x > 0 ? x - 1 : 0), xr = <usize>(x < w - 1 ? x + 1 : x);
    const m = (<f64>load<f32>(f + ((r0 + xl) << 2)) + <f64>load<f32>(f + ((r0 + ux) << 2)) + <f64>load<f32>(f + ((r0 + xr) << 2)) +
      <f64>load<f32>(f + ((row + xl) << 2)) + <f64>load<f32>(f + ((row + ux) << 2)) + <f64>load<f32>(f + ((row + xr) << 2)) +
      <f64>load<f32>(f + ((r2 + xl) << 2)) + <f64>load<f32>(f + ((r2 + ux) << 2)) + <f64>load<f32>(f + ((r2 + xr) << 2))) / 9.0;
    if (m - bx > minContrast) {
      store<u8>(out + row + ux, 255);
      p1MineralPx += 1;
      p1DeepOd += c;
      return true;
    }
  }
  if (p1NCand == candCap) return false;
  store<i32>(cand + (<usize>p1NCand << 2), x);
  p1NCand++;
  return true;
}

/**
 * Pass 2 of the local contrast (see EdgePass in local-contrast.ts), all rows, after contrastPass1:
 * at each candidate, D and M = max and min of the 3×3 means in the (2r+1)² window; the mean rows
 * live in a ring (`ring`: size rows of w f32, `rowOf`: their rows), each computed over the union of
 * the candidate ranges (first/last) of the rows within ±r, widened by r; `rows` holds the addresses
 * of the window's rows. Accepted pixels are set in `out`; applied (64 f64) counts the
 * thresholds used; res (f64): mineral px, Σ (f − B) over them.
 */
export function contrastPass2(
  f: usize, w: i32, h: i32, r: i32, cand: usize, candStart: usize, first: usize, last: usize, grid: usize, gh: i32, gridFactor: f64,
  lut: usize, gMin: f64, minContrast: f64, localBackground: i32, out: usize, ring: usize, rowOf: usize, colSum: usize,
  rows: usize, applied: usize, res: usize,
): void {
  const size = 2 * r + 1;
  for (let k = 0; k < size; k++) store<i32>(rowOf + (<usize>k << 2), -1);
  let mineralPx: f64 = 0, edgeOd: f64 = 0;
  for (let y = 0; y < h; y++) {
    const c0 = load<i32>(candStart + (<usize>y << 2)), c1 = load<i32>(candStart + (<usize>(y + 1) << 2));
    if (c1 == c0) continue;
    const g = gridRowPos(y, gridFactor, gh), j0 = <i32>Math.floor(g), j1 = min(j0 + 1, gh - 1);
    const t = j0 == j1 ? 0 : g - <f64>j0;
    const ga = grid + (<usize>(j0 * w) << 2), gb = grid + (<usize>(j1 * w) << 2);
    const row = <usize>(y * w);
    const y0 = max(0, y - r), y1 = min(h - 1, y + r);
    for (let yy = y0; yy <= y1; yy++) {
      const k = yy % size;
      const m = ring + (<usize>(k * w) << 2);
      if (load<i32>(rowOf + (<usize>k << 2)) != yy) {
        let a = w, b = -1;
        for (let q = max(0, yy - r); q <= min(h - 1, yy + r); q++) {
          const fq = load<i32>(first + (<usize>q << 2));
          if (fq < 0) continue;
          if (fq < a) a = fq;
          const lq = load<i32>(last + (<usize>q << 2));
          if (lq > b) b = lq;
        }
        meanRow3(f, w, h, yy, max(0, a - r), min(w - 1, b + r), colSum, m);
        store<i32>(rowOf + (<usize>k << 2), yy);
      }
      store<usize>(rows + (<usize>(yy - y0) << 2), m);
    }
    const nr = y1 - y0 + 1;
    // r = 3 away from the top and bottom: the seven rows' addresses held in locals for the row
    const seven = nr == 7;
    const m0 = load<usize>(rows), m1 = load<usize>(rows, 4), m2 = load<usize>(rows, 8), m3 = load<usize>(rows, 12);
    const m4 = seven ? load<usize>(rows, 16) : m0, m5 = seven ? load<usize>(rows, 20) : m0, m6 = seven ? load<usize>(rows, 24) : m0;
    for (let ci = c0; ci < c1; ci++) {
      const x = load<i32>(cand + (<usize>ci << 2));
      const xa = x - r < 0 ? 0 : x - r, xb = x + r > w - 1 ? w - 1 : x + r;
      // D, M straight from the window's mean rows, four columns at a time (max and min are exact in
      // any order; the last four overlap); no stores, so nothing waits on store forwarding
      let D: f64 = -Infinity, M: f64 = Infinity;
      if (xb - xa >= 3) {
        let hi4 = f32x4.splat(-Infinity), lo4 = f32x4.splat(Infinity);
        if (seven && xb - xa <= 7) {
          // the usual window (r = 3, 7 × 7): two loads per row, all unrolled
          const oa = <usize>xa << 2, ob = <usize>(xb - 3) << 2;
          const a0 = v128.load(m0 + oa), b0 = v128.load(m0 + ob), a1 = v128.load(m1 + oa), b1 = v128.load(m1 + ob);
          const a2 = v128.load(m2 + oa), b2 = v128.load(m2 + ob), a3 = v128.load(m3 + oa), b3 = v128.load(m3 + ob);
          const a4 = v128.load(m4 + oa), b4 = v128.load(m4 + ob), a5 = v128.load(m5 + oa), b5 = v128.load(m5 + ob);
          const a6 = v128.load(m6 + oa), b6 = v128.load(m6 + ob);
          hi4 = f32x4.max(f32x4.max(f32x4.max(f32x4.max(a0, b0), f32x4.max(a1, b1)), f32x4.max(f32x4.max(a2, b2), f32x4.max(a3, b3))),
            f32x4.max(f32x4.max(f32x4.max(a4, b4), f32x4.max(a5, b5)), f32x4.max(a6, b6)));
          lo4 = f32x4.min(f32x4.min(f32x4.min(f32x4.min(a0, b0), f32x4.min(a1, b1)), f32x4.min(f32x4.min(a2, b2), f32x4.min(a3, b3))),
            f32x4.min(f32x4.min(f32x4.min(a4, b4), f32x4.min(a5, b5)), f32x4.min(a6, b6)));
        } else if (xb - xa <= 7) {
          // windows up to 8 columns: two loads per row, no inner loop
          const oa = <usize>xa << 2, ob = <usize>(xb - 3) << 2;
          for (let k = 0; k < nr; k++) {
            const m = load<usize>(rows + (<usize>k << 2));
            const va = v128.load(m + oa), vb = v128.load(m + ob);
            hi4 = f32x4.max(hi4, f32x4.max(va, vb));
            lo4 = f32x4.min(lo4, f32x4.min(va, vb));
          }
        } else {
          for (let k = 0; k < nr; k++) {
            const m = load<usize>(rows + (<usize>k << 2));
            for (let xx = xa; xx <= xb; xx += 4) {
              const v = v128.load(m + (<usize>min(xx, xb - 3) << 2));
              hi4 = f32x4.max(hi4, v);
              lo4 = f32x4.min(lo4, v);
            }
          }
        }
        hi4 = f32x4.max(hi4, i32x4.shuffle(hi4, hi4, 2, 3, 0, 1));
        lo4 = f32x4.min(lo4, i32x4.shuffle(lo4, lo4, 2, 3, 0, 1));
        D = <f64>max(f32x4.extract_lane(hi4, 0), f32x4.extract_lane(hi4, 1));
        M = <f64>min(f32x4.extract_lane(lo4, 0), f32x4.extract_lane(lo4, 1));
      } else {
        for (let k = 0; k < nr; k++) {
          const m = load<usize>(rows + (<usize>k << 2));
          for (let xx = xa; xx <= xb; xx++) {
            const v = <f64>load<f32>(m + (<usize>xx << 2));
            D = max(D, v);
            M = min(M, v);
          }
        }
      }
      const ux = <usize>x;
      const bx = blendAt(ga, gb, t, ux);
      const bl = localBackground != 0 && D - M > minContrast && M > bx ? M : bx;
      const fv = <f64>load<f32>(f + ((row + ux) << 2));
      const c = fv - bl;
      if (c <= gMin) continue;
      const delta = D - bl;
      if (delta <= minContrast) continue;
      const gv = <f64>load<f32>(lut + (<usize>(delta >= 4 ? 4095 : <i32>(delta * 1024.0)) << 2));
      if (c > gv) {
        store<u8>(out + row + ux, 255);
        mineralPx += 1;
        edgeOd += fv - bx;
        const bin = min(63, <i32>(gv * 32.0));
        if (bin >= 0) store<f64>(applied + (<usize>bin << 3), load<f64>(applied + (<usize>bin << 3)) + 1);
      }
    }
  }
  store<f64>(res, mineralPx);
  store<f64>(res, edgeOd, 8);
}

/**
 * The 3×3 means of row y for x in [ma, mb] (edges replicated), from f32 column sums (meanRow3 in
 * JS); four columns at a time in f64 lanes (the same additions, in the same order).
 */
function meanRow3(f: usize, w: i32, h: i32, y: i32, ma: i32, mb: i32, colSum: usize, out: usize): void {
  const a = f + (<usize>((y > 0 ? y - 1 : 0) * w) << 2), b = f + (<usize>(y * w) << 2), c = f + (<usize>((y < h - 1 ? y + 1 : y) * w) << 2);
  const sa = max(0, ma - 1), sb = min(w - 1, mb + 1);
  let x = sa;
  for (; x + 3 <= sb; x += 4) {
    const o = <usize>x << 2;
    const va = v128.load(a + o), vb = v128.load(b + o), vc = v128.load(c + o);
    const lo = f32x4.demote_f64x2_zero(f64x2.add(f64x2.add(f64x2.promote_low_f32x4(va), f64x2.promote_low_f32x4(vb)), f64x2.promote_low_f32x4(vc)));
    const hi = f32x4.demote_f64x2_zero(f64x2.add(f64x2.add(high2(va), high2(vb)), high2(vc)));
    v128.store(colSum + o, i32x4.shuffle(lo, hi, 0, 1, 4, 5));
  }
  for (; x <= sb; x++) {
    const o = <usize>x << 2;
    store<f32>(colSum + o, <f32>(<f64>load<f32>(a + o) + <f64>load<f32>(b + o) + <f64>load<f32>(c + o)));
  }
  x = ma;
  if (x == 0 && x <= mb) {
    meanAt3(colSum, out, 0, w);
    x = 1;
  }
  const nineV = f64x2.splat(9.0);
  for (; x + 3 <= mb && x + 4 <= w - 1; x += 4) {
    const o = colSum + (<usize>x << 2);
    const l = v128.load(o - 4), m = v128.load(o), rr = v128.load(o + 4);
    const lo = f64x2.div(f64x2.add(f64x2.add(f64x2.promote_low_f32x4(l), f64x2.promote_low_f32x4(m)), f64x2.promote_low_f32x4(rr)), nineV);
    const hi = f64x2.div(f64x2.add(f64x2.add(high2(l), high2(m)), high2(rr)), nineV);
    v128.store(out + (<usize>x << 2), i32x4.shuffle(f32x4.demote_f64x2_zero(lo), f32x4.demote_f64x2_zero(hi), 0, 1, 4, 5));
  }
  for (; x <= mb; x++) meanAt3(colSum, out, x, w);
}

/** One 3×3 mean from the column sums (edges replicated). */
@inline function meanAt3(colSum: usize, out: usize, x: i32, w: i32): void {
  const l = <usize>(x > 0 ? x - 1 : 0), m = <usize>x, rr = <usize>(x < w - 1 ? x + 1 : x);
  const s = <f64>load<f32>(colSum + (l << 2)) + <f64>load<f32>(colSum + (m << 2)) + <f64>load<f32>(colSum + (rr << 2));
  store<f32>(out + (m << 2), <f32>(s / 9.0));
}

/** Lanes 2 and 3 of four f32 as f64. */
@inline function high2(v: v128): v128 {
  return f64x2.promote_low_f32x4(i32x4.shuffle(v, v, 2, 3, 0, 1));
}
