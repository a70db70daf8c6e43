/**
 * Pixel buffer conversions after sharp's raw decode: 16-bit views, and 1–4 channels → interleaved
 * RGB with alpha composited onto white. Pure; inputs are never modified.
 */

/** View of a 16-bit raw buffer (native byte order, as sharp writes it); copies if misaligned. */
export function asUint16(buf: Buffer): Uint16Array {
  if (buf.byteOffset % 2 === 0) return new Uint16Array(buf.buffer, buf.byteOffset, buf.length >> 1);
  const copy = new Uint8Array(buf.length);
  copy.set(buf);
  return new Uint16Array(copy.buffer, 0, buf.length >> 1);
}

/**
 * Converts 1–4 interleaved channels to RGB: gray is copied to R, G and B; a last alpha channel
 * (2 or 4 channels) is composited onto white: c' = (c·a + max·(max − a)) / max, rounded.
 */
export function toRgb<T extends Uint8Array | Uint16Array>(
  src: T,
  n: number,
  channels: number,
  max: number,
): { data: Uint8Array | Uint16Array; hadTransparency: boolean } {
  if (channels === 3) return { data: src, hadTransparency: false };
  const out = src instanceof Uint16Array ? new Uint16Array(n * 3) : new Uint8Array(n * 3);
  let hadTransparency = false;
  if (channels === 1) {
    for (let i = 0, j = 0; i < n; i++, j += 3) {
      const v = src[i]!;
      out[j] = v;
      out[j + 1] = v;
      out[j + 2] = v;
    }
  } else if (channels === 2) {
    for (let i = 0, j = 0, s = 0; i < n; i++, j += 3, s += 2) {
      const a = src[s + 1]!;
      let v = src[s]!;
      if (a < max) {
        hadTransparency = true;
        v = Math.round((v * a + max * (max - a)) / max);
      }
      out[j] = v;
      out[j + 1] = v;
      out[j + 2] = v;
    }
  } else if (channels === 4) {
    for (let i = 0, j = 0, s = 0; i < n; i++, j += 3, s += 4) {
      const a = src[s + 3]!;
      if (a < max) {
        hadTransparency = true;
        const w = max * (max - a);
        out[j] = Math.round((src[s]! * a + w) / max);
        out[j + 1] = Math.round((src[s + 1]! * a + w) / max);
        out[j + 2] = Math.round((src[s + 2]! * a + w) / max);
      } else {
        out[j] = src[s]!;
        out[j + 1] = src[s + 1]!;
        out[j + 2] = src[s + 2]!;
      }
    }
  } else {
    // More channels than RGBA: keep the first three (toColourspace normally prevents this).
    for (let i = 0, j = 0, s = 0; i < n; i++, j += 3, s += channels) {
      out[j] = src[s]!;
      out[j + 1] = src[s + 1]!;
      out[j + 2] = src[s + 2]!;
    }
  }
  return { data: out, hadTransparency };
}
