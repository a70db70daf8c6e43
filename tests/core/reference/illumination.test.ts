import { describe, expect, it } from 'vitest';
import { estimateIllumination, log10WhiteAt, lowResRgb, odSumLowRes } from '../../../src/pipeline/illumination.js';
import { emptyScene, paint, render, trueWhite, type CameraOptions, sameData } from './synth-raster.js';

const W = 480, H = 360;

/** Largest relative error of the estimated white over a grid of points where `where` holds. */
function maxWhiteError(img: ReturnType<typeof render>, cam: CameraOptions, s: ReturnType<typeof emptyScene>, where: (x: number, y: number) => boolean) {
  const illum = estimateIllumination(img);
  const lw = new Float64Array(3);
  let worst = 0;
  for (let y = 4; y < H; y += 16) {
    for (let x = 4; x < W; x += 16) {
      if (!where(x, y)) continue;
      log10WhiteAt(illum, x, y, lw);
      for (let c = 0; c < 3; c++) worst = Math.max(worst, Math.abs(10 ** lw[c]! / trueWhite(s, cam, x, y, c as 0 | 1 | 2) - 1));
    }
  }
  return { illum, worst };
}

describe('estimateIllumination', () => {
  it('fits a flat field that removes 12 % vignetting on a blank slide (error < 1 %)', () => {
    const s = emptyScene(W, H);
    const cam: CameraOptions = { vignette: 0.12, whiteBalance: [1.05, 0.96, 1.0], noise: 0.01 };
    const { illum, worst } = maxWhiteError(render(s, cam), cam, s, () => true);
    expect(illum.source).toBe('flat-field');
    expect(worst).toBeLessThan(0.01);
  });

  it('keeps the flat field right on glass around a large section and sane inside it', () => {
    const s = emptyScene(W, H);
    const inDisc = (x: number, y: number) => Math.hypot(x - 240, y - 180) < 130;
    paint(s, inDisc, [0.15, 0.25, 0.2], { texture: 0.3, truth: 255 });
    const cam: CameraOptions = { vignette: 0.12, noise: 0.008, blurSigmaPx: 1 };
    const img = render(s, cam);
    const glass = maxWhiteError(img, cam, s, (x, y) => Math.hypot(x - 240, y - 180) > 140);
    const tissue = maxWhiteError(img, cam, s, (x, y) => inDisc(x, y));
    expect(glass.illum.source).toBe('flat-field');
    expect(glass.worst).toBeLessThan(0.015);
    expect(tissue.worst).toBeLessThan(0.04); // extrapolated over the section
  });

  it('finds the global white robustly despite saturated and dead pixels (8- and 16-bit)', () => {
    for (const bitDepth of [8, 16] as const) {
      const s = emptyScene(W, H);
      const cam: CameraOptions = { noise: 0.01, bitDepth };
      const img = render(s, cam);
      const full = bitDepth === 16 ? 65535 : 255;
      for (let i = 0; i < 2000; i++) {
        const p = 3 * ((i * 7919) % (W * H));
        img.data[p] = img.data[p + 1] = img.data[p + 2] = i % 2 ? full : 0;
      }
      const illum = estimateIllumination(img, { flatField: false });
      expect(illum.source).toBe('global');
      for (let c = 0; c < 3; c++) expect(illum.whiteFrac[c]! / (0.97 * 0.93) - 1).toBeCloseTo(0, 2);
    }
  });

  it('uses the brightest cluster when there is no glass (culture well photo)', () => {
    // plate plastic everywhere, a textured cell layer inside the well, a few bare (bright) patches
    const s = emptyScene(W, H, 0.45);
    const inWell = (x: number, y: number) => Math.hypot(x - 240, y - 180) < 165;
    paint(s, inWell, [0.06, 0.07, 0.09], { texture: 0.6 });
    for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) if (inWell(x, y)) s.substrate[y * W + x] = 0.93;
    paint(s, (x, y) => Math.hypot(x - 200, y - 150) < 30 || Math.hypot(x - 300, y - 230) < 25, [0, 0, 0]);
    const img = render(s, { noise: 0.01, blurSigmaPx: 1 });
    const illum = estimateIllumination(img);
    expect(illum.source).toBe('global');
    for (let c = 0; c < 3; c++) expect(Math.abs(illum.whiteFrac[c]! / (0.93 * 0.93) - 1)).toBeLessThan(0.03);
  });

  it('honours a user white point and leaves the input untouched', () => {
    const img = render(emptyScene(64, 48), { noise: 0.01 });
    const copy = img.data.slice();
    const illum = estimateIllumination(img, { whiteFrac: [0.9, 0.8, 0.85] });
    expect(illum).toEqual({ source: 'user', whiteFrac: [0.9, 0.8, 0.85] });
    estimateIllumination(img);
    expect(sameData(img.data, copy)).toBe(true);
  });

  it('gives a low-res OD-sum map that is ~0 on glass and the tissue OD inside', () => {
    const s = emptyScene(W, H);
    paint(s, (x, y) => Math.hypot(x - 240, y - 180) < 80, [0.1, 0.2, 0.3]);
    const img = render(s, { vignette: 0.1, noise: 0.005 });
    const illum = estimateIllumination(img, { lowRes: lowResRgb(img) });
    const { map, factor } = odSumLowRes(img, illum, 240);
    expect(factor).toBe(2);
    expect(Math.abs(map.data[5 * map.width + 5]!)).toBeLessThan(0.02);
    expect(map.data[90 * map.width + 120]!).toBeCloseTo(0.6, 1);
  });

  it('makes the same low-res copy into a reused array of this thread when asked (reuse)', () => {
    const s = emptyScene(W, H);
    paint(s, (x, y) => Math.hypot(x - 240, y - 180) < 80, [0.1, 0.2, 0.3], { texture: 0.3 });
    const a = render(s, { vignette: 0.1, noise: 0.01 }), b = render(s, { vignette: 0.05, noise: 0.02 });
    const fresh = lowResRgb(a, 200);
    const reusedA = lowResRgb(a, 200, { reuse: true });
    expect(Array.from(reusedA.rgb.data)).toEqual(Array.from(fresh.rgb.data));
    expect(reusedA.rgb.data).not.toBe(fresh.rgb.data);
    // the next reusing call (same size) overwrites the same array, with the new image's numbers
    const reusedB = lowResRgb(b, 200, { reuse: true });
    expect(reusedB.rgb.data).toBe(reusedA.rgb.data);
    expect(Array.from(reusedB.rgb.data)).toEqual(Array.from(lowResRgb(b, 200).rgb.data));
    // and the illumination from a reused copy is the one from a fresh copy
    expect(estimateIllumination(b, { lowRes: reusedB })).toEqual(estimateIllumination(b, { lowRes: lowResRgb(b, 200) }));
  });
});
