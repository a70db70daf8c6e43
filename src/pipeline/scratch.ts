/**
 * Work arrays reused from image to image, per thread, for loops whose arrays never leave the
 * function that asks for them. Each image otherwise allocates several MB of them, and V8 answers
 * every few tens of MB of new typed arrays with a full garbage collection (at 1 MP about one per
 * image, on helper threads that two workers then compete for).
 *
 * A key names one use; a caller must be done with its array before asking for the same key again
 * (the users here are leaf functions, never re-entered).
 */
const f32 = new Map<string, Float32Array>();
const f64 = new Map<string, Float64Array>();
const u8 = new Map<string, Uint8Array>();

function reuse<T extends Float32Array | Float64Array | Uint8Array>(pool: Map<string, T>, key: string, length: number, make: (n: number) => T, zeroed: boolean): T {
  const held = pool.get(key);
  if (held && held.length === length) {
    if (zeroed) held.fill(0);
    return held;
  }
  const fresh = make(length); // new arrays are zeroed
  pool.set(key, fresh);
  return fresh;
}

/** A Float32Array of `length` for `key`: its old contents unless `zeroed`. */
export function scratchFloat32(key: string, length: number, zeroed = false): Float32Array {
  return reuse(f32, key, length, (n) => new Float32Array(n), zeroed);
}

/** A Float64Array of `length` for `key`: its old contents unless `zeroed`. */
export function scratchFloat64(key: string, length: number, zeroed = false): Float64Array {
  return reuse(f64, key, length, (n) => new Float64Array(n), zeroed);
}

/** A Uint8Array of `length` for `key`: its old contents unless `zeroed`. */
export function scratchUint8(key: string, length: number, zeroed = false): Uint8Array {
  return reuse(u8, key, length, (n) => new Uint8Array(n), zeroed);
}
