import { describe, expect, it } from 'vitest';
import { dilateMaskDisc, dilateMaskSquare, erodeMaskDisc, maxFilterSquare, openMaskDisc } from '../../../src/pipeline/morphology.js';
import { count, discMask, floatMap, maskFromRows, rng } from '../helpers/rasters.js';

describe('morphology', () => {
  it('max filter equals a brute-force square maximum', () => {
    const rand = rng(7);
    const m = floatMap(37, 23, () => rand());
    for (const r of [1, 3, 5]) {
      const out = maxFilterSquare(m, r);
      for (let y = 0; y < 23; y++)
        for (let x = 0; x < 37; x++) {
          let best = -Infinity;
          for (let dy = -r; dy <= r; dy++)
            for (let dx = -r; dx <= r; dx++) {
              const xx = x + dx, yy = y + dy;
              if (xx >= 0 && xx < 37 && yy >= 0 && yy < 23) best = Math.max(best, m.data[yy * 37 + xx]!);
            }
          expect(out.data[y * 37 + x]).toBe(best);
        }
    }
  });

  it('square dilation grows a point to a (2r+1)² block, clipped at the border', () => {
    const m = maskFromRows(['.....', '.....', '..#..', '.....', '....#']);
    expect(count(dilateMaskSquare(m, 1))).toBe(9 + 4 - 1);
  });

  it('disc erosion and dilation shrink and grow a disc by the radius', () => {
    const m = discMask(120, 120, 60, 60, 30);
    const e = erodeMaskDisc(m, 3), d = dilateMaskDisc(m, 3);
    expect(count(e) / (Math.PI * 27 * 27)).toBeGreaterThan(0.97);
    expect(count(e) / (Math.PI * 27 * 27)).toBeLessThan(1.03);
    expect(count(d) / (Math.PI * 33 * 33)).toBeGreaterThan(0.97);
    expect(count(d) / (Math.PI * 33 * 33)).toBeLessThan(1.04);
  });

  it('opening removes specks thinner than the disc and keeps big blobs', () => {
    const m = discMask(100, 100, 50, 50, 20);
    m.data[5 * 100 + 5] = 255; // isolated speck
    for (let x = 0; x < 100; x++) m.data[90 * 100 + x] = 255; // 1-px line
    const o = openMaskDisc(m, 2);
    expect(o.data[5 * 100 + 5]).toBe(0);
    expect(o.data[90 * 100 + 50]).toBe(0);
    expect(Math.abs(count(o) - count(discMask(100, 100, 50, 50, 20))) / count(o)).toBeLessThan(0.03);
  });
});
