/**
 * Full-size mask buffers recycled between the images of a batch, per thread. A 12 MP mask is a
 * 12 MB allocation: fresh, it costs ~3 000 page faults and zeroing by the kernel (measured −4 to
 * −6 % of a 12 MP analysis when the reference and mineral masks are reused), and with two workers
 * the faults contend in one process. Only buffers handed out here are taken back, and only by a
 * caller that owns the analysis output and has finished with it (the batch job); everyone else
 * simply lets them be collected.
 */

/** Buffers waiting to be reused (at most a few: the masks of one image). */
const free: Uint8Array[] = [];
const MAX_FREE = 4;
/** Every buffer this pool handed out (so a foreign buffer, e.g. a user's region, is never taken). */
const ours = new WeakSet<Uint8Array>();

/** A mask buffer of `length` bytes: recycled when one is free (contents left over unless `zeroed`), else new (zeroed). */
export function takeMaskBuffer(length: number, zeroed: boolean): Uint8Array {
  const i = free.findIndex((b) => b.length === length);
  if (i < 0) {
    const b = new Uint8Array(length);
    ours.add(b);
    return b;
  }
  const b = free.splice(i, 1)[0]!;
  if (zeroed) b.fill(0);
  return b;
}

/**
 * Gives buffers back for the next image. The caller must hold no other reference to them; buffers
 * not handed out by takeMaskBuffer, and ones already free, are ignored.
 */
export function recycleMaskBuffers(...buffers: Uint8Array[]): void {
  for (const b of buffers) {
    if (!ours.has(b) || free.includes(b)) continue;
    if (free.length >= MAX_FREE) free.shift();
    free.push(b);
  }
}
