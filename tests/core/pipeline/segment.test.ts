import { describe, expect, it } from 'vitest';
import { globalIllumination, projectOd } from '../../../src/pipeline/od.js';
import { circularComponents, correctRims } from '../../../src/pipeline/rim.js';
import { estimateBackground, segmentMineral } from '../../../src/pipeline/segment.js';
import { STAIN_MODELS, mineralRow, resolveStainModel } from '../../../src/pipeline/stains.js';
import type { Mask } from '../../../src/pipeline/raster.js';
import { count, discMask, renderRgb } from '../helpers/rasters.js';

const ars = STAIN_MODELS['alizarin-red-s/1']!;
const vk = STAIN_MODELS['von-kossa/1']!;
const dot = (a: readonly number[], b: readonly number[]) => a[0]! * b[0]! + a[1]! * b[1]! + a[2]! * b[2]!;
const full = (w: number, h: number): Mask => ({ width: w, height: h, channels: 1, data: new Uint8Array(w * h).fill(255) });

function segment(img: ReturnType<typeof renderRgb>, model: typeof ars, reference: Mask, rim = false, localBackground = model.neutralMineral) {
  let f = projectOd(img, globalIllumination([0.95, 0.95, 0.95]), mineralRow(model));
  if (rim) f = correctRims(f, reference, circularComponents(reference));
  const bg = estimateBackground(f, reference, { scaleFrac: 0.05, seedOd: model.minContrast }, 4);
  return segmentMineral(f, bg, reference, { method: 'local-contrast', minContrastOd: model.minContrast, edgeRadiusPx: 3 }, { weights: mineralRow(model), mineral: model.mineral, localBackground });
}

describe('stain models', () => {
  it('the deconvolution row measures the mineral stain and ignores the counterstain and third vector', () => {
    for (const m of [ars, vk]) {
      const row = mineralRow(m);
      expect(dot(row, m.mineral)).toBeCloseTo(1, 6);
      expect(dot(row, m.counterstain)).toBeCloseTo(0, 6);
    }
  });

  it('refuses custom vectors that cannot be separated', () => {
    expect(() => resolveStainModel({ model: 'custom', mineralRgb: [0.5, 0.5, 0.5], counterstainRgb: [0.51, 0.5, 0.5] })).toThrow(/almost the same colour/);
    expect(() => resolveStainModel({ model: 'nope/1' })).toThrow(/Unknown stain model/);
    const c = resolveStainModel({ model: 'custom', mineralRgb: [0.1, 0.7, 0.7], counterstainRgb: [0.65, 0.7, 0.29] });
    expect(c.neutralMineral).toBe(false);
  });
});

describe('local-contrast segmentation', () => {
  const W = 200, H = 160;
  const deposit = discMask(W, H, 100, 80, 25);
  const inDeposit = (x: number, y: number) => deposit.data[y * W + x] !== 0;

  it('finds an Alizarin disc on hematoxylin tissue with the right area (r = 25 px → π·25²)', () => {
    const img = renderRgb(W, H, [
      { vector: ars.counterstain, amount: () => 0.15 },
      { vector: ars.third!, amount: () => 0.1 },
      { vector: ars.mineral, amount: (x, y) => (inDeposit(x, y) ? 0.6 : 0) },
    ], { noise: 0.01, seed: 2 });
    const r = segment(img, ars, full(W, H));
    expect(Math.abs(count(r.mineral) / count(deposit) - 1)).toBeLessThan(0.02);
  });

  it('finds nothing in unstained tissue with noise and smooth shading', () => {
    const img = renderRgb(W, H, [
      { vector: ars.counterstain, amount: (x) => 0.1 + 0.1 * (x / W) },
      { vector: [0.577, 0.577, 0.577], amount: (x, y) => 0.05 * ((x - 100) ** 2 + (y - 80) ** 2) / 10000 },
    ], { noise: 0.01, seed: 3 });
    expect(count(segment(img, ars, full(W, H)).mineral)).toBeLessThan(5);
  });

  it('separates black silver from pink nuclear fast red and places the edge at the physical boundary', () => {
    const img = renderRgb(W, H, [
      { vector: vk.counterstain, amount: (x, y) => (Math.hypot(x - 50, y - 40) < 12 ? 0.9 : 0.3) },
      { vector: vk.mineral, amount: (x, y) => (inDeposit(x, y) ? 1.5 : 0) },
    ], { noise: 0.01, seed: 4 });
    const r = segment(img, vk, full(W, H));
    expect(Math.abs(count(r.mineral) / count(deposit) - 1)).toBeLessThan(0.02);
    expect(r.mineral.data[40 * W + 50]).toBe(0); // dense pink nucleus is not mineral
  });

  it('does not take a well rim shadow for silver, but still finds a deposit at the rim', () => {
    const well = discMask(W, H, 100, 80, 70);
    const nearRim = discMask(W, H, 100, 20, 8);
    const img = renderRgb(W, H, [
      { vector: vk.counterstain, amount: () => 0.3 },
      { vector: [0.577, 0.577, 0.577], amount: (x, y) => 0.5 * Math.exp(-(70 - Math.hypot(x + 0.5 - 100, y + 0.5 - 80)) / 3.5) },
      { vector: vk.mineral, amount: (x, y) => (nearRim.data[y * W + x] ? 1.5 : 0) },
    ], { noise: 0.01, seed: 5 });
    const expected = count({ ...nearRim, data: nearRim.data.map((v, i) => (v && well.data[i] ? 255 : 0)) });
    const withRim = segment(img, vk, well, true);
    expect(Math.abs(count(withRim.mineral) - expected) / expected).toBeLessThan(0.06);
    // the control: neither rim correction nor local background → the shadow ring counts as silver
    const without = segment(img, vk, well, false, false);
    expect(count(without.mineral)).toBeGreaterThan(expected * 1.5);
  });
});

describe('rim correction', () => {
  it('in place gives the same values as into a new map (two wells)', () => {
    const [W, H] = [220, 120];
    const wells = discMask(W, H, 60, 60, 50);
    const second = discMask(W, H, 168, 60, 46);
    for (let i = 0; i < wells.data.length; i++) wells.data[i] = wells.data[i] || second.data[i] ? 255 : 0;
    const circles = [{ cx: 60, cy: 60, radiusPx: 50 }, { cx: 168, cy: 60, radiusPx: 46 }];
    const img = renderRgb(W, H, [
      { vector: vk.counterstain, amount: () => 0.3 },
      { vector: [0.577, 0.577, 0.577], amount: (x, y) => circles.reduce((a, c) => a + 0.4 * Math.exp(-Math.abs(c.radiusPx - Math.hypot(x + 0.5 - c.cx, y + 0.5 - c.cy)) / 3), 0) },
    ], { noise: 0.01, seed: 9 });
    const f = projectOd(img, globalIllumination([0.95, 0.95, 0.95]), mineralRow(vk));
    const before = f.data.slice();
    const fresh = correctRims(f, wells, circles);
    expect(f.data).toEqual(before); // the input is untouched
    expect(fresh.data).not.toEqual(before);
    const inPlace = correctRims(f, wells, circles, { inPlace: true });
    expect(inPlace).toBe(f);
    expect(inPlace.data).toEqual(fresh.data);
  });
});
