/**
 * detectPlate on small rendered plates with exact geometry (plate-scene.ts): rotated plates, missing
 * and empty wells, spurious circles, wells whose inner edge is hidden by deposits; refusal of a
 * single-well photo and of a blank image; inputs untouched.
 */
import { describe, expect, it } from 'vitest';
import type { RgbImage } from '../../../src/pipeline/raster.js';
import type { PlateLayout } from '../../../src/pipeline/reference/plate-grid.js';
import { detectPlate } from '../../../src/pipeline/reference/plate.js';
import { emptyScene, paint, render, sameData } from '../reference/synth-raster.js';
import { type PlateSceneOptions, type SceneWell, plateScene } from './plate-scene.js';

function check(o: PlateSceneOptions, layout: 'auto' | PlateLayout = 'auto', tolPx = 0.35) {
  const { image, wells } = plateScene(o);
  const copy = image.data.slice();
  const t0 = performance.now();
  const p = detectPlate(image, { layout });
  const ms = performance.now() - t0;
  expect(sameData(image.data, copy)).toBe(true);
  expect(p.layout).toBe(o.layout);
  expect(p.wells.map((w) => w.id)).toEqual(wells.map((w) => w.id));
  expect(p.rotationDeg).toBeCloseTo(o.rotationDeg ?? 0, 1);
  const err = (k: number, t: SceneWell) => ({ c: Math.hypot(p.wells[k]!.cx - t.cx, p.wells[k]!.cy - t.cy), r: Math.abs(p.wells[k]!.radiusPx - t.r) });
  wells.forEach((t, k) => {
    const e = err(k, t);
    expect(e.c, `${t.id} centre`).toBeLessThan(tolPx);
    expect(e.r, `${t.id} radius`).toBeLessThan(tolPx);
    expect(p.wells[k]!.found, `${t.id} found`).toBe(!(o.missing ?? []).includes(t.id));
  });
  return { p, ms };
}

describe('detectPlate on rendered plates', () => {
  it('24 wells rotated by 2°, with a missing well, an empty well and spurious circles (layout auto)', () => {
    const { p } = check({ layout: 24, width: 1500, height: 1000, rotationDeg: 2, missing: ['B3'], empty: ['C5'], spurious: true });
    expect(p.notes.join(' ')).toMatch(/23 of 24 wells found.*B3 placed by the grid/);
  });

  it('6 wells rotated by −3°, two of them with the inner wall edge hidden by deposits (found by the outer edge)', () => {
    const { p } = check({ layout: 6, width: 1200, height: 800, rotationDeg: -3, hiddenEdge: ['A2', 'B3'] });
    expect(p.wells.every((w) => w.found)).toBe(true);
    expect(p.notes[0]).toMatch(/2 by the outer wall edge/);
  });

  it('96 wells (radius ≈ 42 px, wall 3 px) with a given layout and two missing wells', () => {
    check({ layout: 96, width: 1800, height: 1200, rotationDeg: 0.6, missing: ['A1', 'H12'] }, 96);
  });

  it('12 and 48 wells, 16-bit', () => {
    for (const layout of [12, 48] as const) {
      const { image, wells } = plateScene({ layout, width: 1500, height: 1000, rotationDeg: -0.5 });
      const img16: RgbImage = { ...image, bitDepth: 16, data: Uint16Array.from(image.data, (v) => v * 257) };
      const p = detectPlate(img16, { layout: 'auto' });
      expect(p.layout).toBe(layout);
      wells.forEach((t, k) => expect(Math.hypot(p.wells[k]!.cx - t.cx, p.wells[k]!.cy - t.cy), t.id).toBeLessThan(0.35));
    }
  });

  it('refuses a single-well photo and a blank image with REFERENCE_EMPTY', () => {
    const W = 800, H = 600, s = emptyScene(W, H, 0.45);
    for (let y = 0; y < H; y++) {
      for (let x = 0; x < W; x++) {
        const d = Math.hypot(x - 400, y - 300);
        if (d < 262) s.substrate[y * W + x] = 0.93;
        else if (d < 280) s.substrate[y * W + x] = 0.22;
      }
    }
    paint(s, (x, y) => Math.hypot(x - 400, y - 300) < 262, [0.05, 0.06, 0.08], { texture: 0.5 });
    for (const [dx, dy] of [[-100, -80], [90, 60], [-40, 120], [130, -100]]) paint(s, (x, y) => Math.hypot(x - 400 - dx!, y - 300 - dy!) < 25, [0.15, 0.8, 0.9], { seed: 3 });
    for (const img of [render(s, { blurSigmaPx: 1, noise: 0.01 }), render(emptyScene(W, H), { noise: 0.01 })]) {
      expect(() => detectPlate(img, { layout: 'auto' })).toThrowError(expect.objectContaining({ name: 'AppError', code: 'REFERENCE_EMPTY', userMessage: expect.stringMatching(/No plate was found/) }));
      expect(() => detectPlate(img, { layout: 24 })).toThrowError(expect.objectContaining({ code: 'REFERENCE_EMPTY', userMessage: expect.stringMatching(/24-well plate/) }));
    }
  });

  it('checks the edge exclusion before any work (µm without a pixel size)', () => {
    const img = render(emptyScene(64, 64), {});
    expect(() => detectPlate(img, { layout: 'auto', edgeExclusion: { um: 200, pixelSizeUm: null } })).toThrowError(expect.objectContaining({ code: 'CALIBRATION_MISSING' }));
  });
});
