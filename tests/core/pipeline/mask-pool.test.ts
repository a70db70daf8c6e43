import { describe, expect, it } from 'vitest';
import { recycleMaskBuffers, takeMaskBuffer } from '../../../src/pipeline/mask-pool.js';

describe('mask buffer pool', () => {
  it('hands a recycled buffer of the same length back out, zeroed when asked', () => {
    const a = takeMaskBuffer(1000, false);
    expect(a.every((v) => v === 0)).toBe(true); // new buffers are zeroed
    a.fill(7);
    recycleMaskBuffers(a);
    const b = takeMaskBuffer(1000, false);
    expect(b).toBe(a);
    expect(b[0]).toBe(7); // contents left over unless zeroed
    recycleMaskBuffers(b);
    const c = takeMaskBuffer(1000, true);
    expect(c).toBe(a);
    expect(c.every((v) => v === 0)).toBe(true);
  });

  it('gives a new buffer when none of that length is free, and never the same one twice', () => {
    const a = takeMaskBuffer(64, false);
    recycleMaskBuffers(a, a); // a second give-back of the same buffer is ignored
    expect(takeMaskBuffer(65, false)).not.toBe(a);
    const first = takeMaskBuffer(64, false), second = takeMaskBuffer(64, false);
    expect(first).toBe(a);
    expect(second).not.toBe(a);
  });

  it('ignores buffers it did not hand out (a user region, a view of other memory)', () => {
    const foreign = new Uint8Array(500);
    recycleMaskBuffers(foreign);
    expect(takeMaskBuffer(500, false)).not.toBe(foreign);
  });
});
