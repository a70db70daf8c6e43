/** Screen ↔ image coordinates (viewer/coords.ts, the only place they convert). */
import { describe, expect, it } from 'vitest';
import { canvasMatrix, imagePoint, screenPoint, toImage, toImageLength, toScreen, toScreenLength, viewFromSamples, type ScreenPx, type ViewTransform } from '../../renderer/viewer/coords.js';

describe('coordinate conversion', () => {
  it('round-trips screen → image → screen and image → screen → image at any zoom', () => {
    let seed = 7;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    for (let i = 0; i < 500; i++) {
      const t: ViewTransform = { scale: 10 ** (rnd() * 5 - 3), offsetX: ((rnd() - 0.5) * 1e5) as ScreenPx, offsetY: ((rnd() - 0.5) * 1e5) as ScreenPx };
      const s = screenPoint(rnd() * 2000, rnd() * 1200);
      const back = toScreen(t, toImage(t, s));
      expect(back[0]).toBeCloseTo(s[0], 6);
      expect(back[1]).toBeCloseTo(s[1], 6);
      const p = imagePoint(rnd() * 50_000, rnd() * 50_000);
      const q = toImage(t, toScreen(t, p));
      expect(Math.abs(q[0] - p[0]) / Math.max(1, p[0])).toBeLessThan(1e-9);
      expect(Math.abs(q[1] - p[1]) / Math.max(1, p[1])).toBeLessThan(1e-9);
      expect(toScreenLength(t, toImageLength(t, 40))).toBeCloseTo(40, 9);
    }
  });

  it('maps the image origin to the offset and scales lengths', () => {
    const t: ViewTransform = { scale: 0.25, offsetX: 100 as ScreenPx, offsetY: 50 as ScreenPx };
    expect(toScreen(t, [0, 0])).toEqual([100, 50]);
    expect(toImage(t, screenPoint(110, 60))).toEqual([40, 40]);
    expect(toImageLength(t, 40)).toBe(160);
    expect(canvasMatrix(t, 2)).toEqual([0.5, 0, 0, 0.5, 200, 100]);
  });

  it('builds the transform from two points the viewer converted', () => {
    expect(viewFromSamples({ x: 12, y: 34 }, { x: 12 + 3 * 1024, y: 34 }, 1024)).toEqual({ scale: 3, offsetX: 12, offsetY: 34 });
    expect(viewFromSamples({ x: 0, y: 0 }, { x: 0, y: 0 }, 1024)).toBeNull();
  });
});
