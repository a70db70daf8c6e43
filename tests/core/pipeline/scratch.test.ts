import { describe, expect, it } from 'vitest';
import { scratchFloat32, scratchFloat64, scratchUint8 } from '../../../src/pipeline/scratch.js';

describe('scratch work arrays', () => {
  it('hands the same array back for the same key and length, zeroed only when asked', () => {
    const a = scratchFloat32('test.a', 100);
    expect(a.every((v) => v === 0)).toBe(true);
    a.fill(3);
    const again = scratchFloat32('test.a', 100);
    expect(again).toBe(a);
    expect(again[5]).toBe(3);
    const zeroed = scratchFloat32('test.a', 100, true);
    expect(zeroed).toBe(a);
    expect(zeroed.every((v) => v === 0)).toBe(true);
  });

  it('gives a new zeroed array for another length or another key', () => {
    const a = scratchUint8('test.b', 50);
    a.fill(9);
    const longer = scratchUint8('test.b', 60);
    expect(longer).not.toBe(a);
    expect(longer.every((v) => v === 0)).toBe(true);
    const other = scratchFloat64('test.c', 60);
    expect(other.length).toBe(60);
    expect(scratchFloat64('test.d', 60)).not.toBe(other);
  });
});
