import { describe, expect, it } from 'vitest';
import { estimateIllumination } from '../../../src/pipeline/illumination.js';
import { detectTissue } from '../../../src/pipeline/reference/tissue.js';
import { compare, emptyScene, paint, render, type CameraOptions, sameData } from './synth-raster.js';

const W = 640, H = 480;
const CAM: CameraOptions = { vignette: 0.12, whiteBalance: [1.04, 0.95, 1.0], noise: 0.012, blurSigmaPx: 1.1, seed: 3 };
const PALE: readonly [number, number, number] = [0.12, 0.17, 0.2];

function run(s: ReturnType<typeof emptyScene>, cam: CameraOptions = CAM, pixelSizeUm: number | null = null) {
  const img = render(s, cam);
  const copy = img.data.slice();
  const r = detectTissue(img, estimateIllumination(img), { pixelSizeUm });
  expect(sameData(img.data, copy)).toBe(true); // input untouched
  return { ...r, ...compare(r.mask, s.truth) };
}

describe('detectTissue on synthetic rasters', () => {
  it('measures a pale textured disc on a vignetted slide within 0.5 %', () => {
    const s = emptyScene(W, H);
    paint(s, (x, y) => Math.hypot(x - 330, y - 230) < 150, PALE, { truth: 255, texture: 0.3 });
    const r = run(s);
    expect(Math.abs(r.areaErrPct)).toBeLessThan(0.5);
    expect(r.dice).toBeGreaterThan(0.99);
  });

  it('keeps the lumen of a ring open (aorta-like) and finds both edges', () => {
    const s = emptyScene(W, H);
    const ring = (x: number, y: number) => {
      const d = Math.hypot(x - 320, y - 240);
      return d < 190 && d >= 95;
    };
    paint(s, ring, PALE, { truth: 255, texture: 0.3 });
    paint(s, (x, y) => ring(x, y) && x > 400 && y < 200, [0.3, 0.9, 1.0], { truth: 255, seed: 5 }); // a deposit
    const r = run(s);
    expect(r.mask.data[240 * W + 320]).toBe(0); // lumen is background
    expect(r.notes.some((n) => n.includes('large hole'))).toBe(true);
    expect(Math.abs(r.areaErrPct)).toBeLessThan(0.5);
    expect(r.dice).toBeGreaterThan(0.99);
  });

  it('fills small holes (lumens, cracks) but not big ones', () => {
    const s = emptyScene(W, H);
    const holes = [
      [260, 200],
      [380, 220],
      [320, 300],
    ] as const;
    paint(s, (x, y) => Math.hypot(x - 320, y - 240) < 170, PALE, { truth: 255, texture: 0.2 });
    paint(s, (x, y) => holes.some(([hx, hy]) => Math.hypot(x - hx, y - hy) < 5), [0, 0, 0]); // glass, truth stays tissue
    paint(s, (x, y) => x > 300 && x < 302 && y > 150 && y < 330, [0, 0, 0]); // a 2-px crack
    const r = run(s);
    for (const [hx, hy] of holes) expect(r.mask.data[hy * W + hx]).toBe(255);
    expect(r.mask.data[240 * W + 301]).toBe(255);
    expect(Math.abs(r.areaErrPct)).toBeLessThan(0.5);
  });

  it('drops dust specks but keeps tissue darker or redder than glass', () => {
    const s = emptyScene(W, H);
    paint(s, (x, y) => Math.hypot(x - 320, y - 240) < 140, PALE, { truth: 255, texture: 0.3 });
    paint(s, (x, y) => Math.hypot(x - 60, y - 60) < 2 || Math.hypot(x - 580, y - 420) < 3, [0.8, 0.8, 0.8]); // dust
    paint(s, (x, y) => Math.hypot(x - 300, y - 220) < 40, [0.2, 1.2, 1.4], { truth: 255 }); // ARS nodule
    const r = run(s, CAM, 2);
    expect(r.mask.data[60 * W + 60]).toBe(0);
    expect(r.mask.data[420 * W + 580]).toBe(0);
    expect(r.mask.data[220 * W + 300]).toBe(255);
    expect(r.notes.some((n) => n.includes('debris'))).toBe(true);
    expect(Math.abs(r.areaErrPct)).toBeLessThan(0.5);
  });

  it('finds very pale tissue (OD ≈ 0.05 per channel) and works on 16-bit images', () => {
    const s = emptyScene(W, H);
    paint(s, (x, y) => Math.abs(x - 320) < 200 && Math.abs(y - 240) < 120, [0.04, 0.05, 0.06], { truth: 255, texture: 0.2 });
    const r = run(s, { ...CAM, bitDepth: 16, noise: 0.006 });
    expect(Math.abs(r.areaErrPct)).toBeLessThan(0.5);
    expect(r.dice).toBeGreaterThan(0.99);
  });

  it('returns an empty mask with a note for a blank slide', () => {
    const r = run(emptyScene(W, H));
    expect(r.areaPx).toBe(0);
    expect(r.notes.join(' ')).toMatch(/no tissue/);
  });
});
