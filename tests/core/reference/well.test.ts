import { describe, expect, it } from 'vitest';
import { detectWell } from '../../../src/pipeline/reference/well.js';
import { compare, emptyScene, paint, render, sameData } from './synth-raster.js';

const W = 800, H = 600;

/** One well: plastic 0.45, dark wall [R, 1.07 R), bottom 0.93 with a textured cell layer, nodules. */
function wellScene(cx: number, cy: number, R: number) {
  const s = emptyScene(W, H, 0.45);
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      const d = Math.hypot(x - cx, y - cy);
      if (d < R) s.substrate[y * W + x] = 0.93;
      else if (d < 1.07 * R) s.substrate[y * W + x] = 0.22;
    }
  }
  paint(s, (x, y) => Math.hypot(x - cx, y - cy) < R, [0.05, 0.06, 0.08], { truth: 255, texture: 0.5 });
  // dark nodules, one touching the wall
  paint(s, (x, y) => Math.hypot(x - cx - 0.5 * R, y - cy) < 25 || Math.hypot(x - cx, y - cy + 0.93 * R) < 20, [1.2, 1.3, 1.3], { seed: 9 });
  return s;
}

describe('detectWell on synthetic rasters', () => {
  for (const rim of [0, 0.6]) {
    it(`finds the inner wall edge to a fraction of a pixel (rim shadow ${rim})`, () => {
      const cx = 403.3, cy = 297.6, R = 262.4;
      const s = wellScene(cx, cy, R);
      const shadow = (x: number, y: number) => {
        const d = Math.hypot(x - cx, y - cy);
        return d < R ? 1 - rim * Math.exp(-(R - d) / (0.05 * R)) : 1;
      };
      const img = render(s, { blurSigmaPx: 1.2, noise: 0.01, vignette: 0.06, illumination: shadow });
      const copy = img.data.slice();
      const r = detectWell(img);
      expect(sameData(img.data, copy)).toBe(true);
      expect(Math.abs(r.radiusPx - R)).toBeLessThan(0.3);
      expect(Math.hypot(r.cx - cx, r.cy - cy)).toBeLessThan(0.3);
      const c = compare(r.mask, s.truth);
      expect(Math.abs(c.areaErrPct)).toBeLessThan(0.25);
    });
  }

  it('throws REFERENCE_EMPTY with advice when there is no well', () => {
    const s = emptyScene(W, H);
    paint(s, (x, y) => Math.hypot(x - 400, y - 300) < 150, [0.2, 0.3, 0.3], { texture: 0.3 });
    const img = render(s, { noise: 0.01 });
    let err: unknown;
    try {
      detectWell(img);
    } catch (e) {
      err = e;
    }
    expect(err).toMatchObject({ name: 'AppError', code: 'REFERENCE_EMPTY' });
    expect((err as { userMessage: string }).userMessage).toMatch(/--reference tissue/);
  });
});
