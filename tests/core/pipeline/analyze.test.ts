import { describe, expect, it } from 'vitest';
import { loadPreset } from '../../../src/app/recipes.js';
import { parseRecipe } from '../../../src/common/recipe-schema.js';
import { analyzeImage, createAnalysisMemo } from '../../../src/pipeline/analyze.js';
import type { RgbImage } from '../../../src/pipeline/raster.js';
import { STAIN_MODELS } from '../../../src/pipeline/stains.js';
import { renderRgb } from '../helpers/rasters.js';

const W = 320, H = 240;
const inTissue = (x: number, y: number) => ((x + 0.5 - 160) / 120) ** 2 + ((y + 0.5 - 120) / 90) ** 2 < 1;
const deposits = [[130, 100, 18], [200, 140, 12], [150, 160, 6]] as const;
const inDeposit = (x: number, y: number) => inTissue(x, y) && deposits.some(([cx, cy, r]) => (x + 0.5 - cx) ** 2 + (y + 0.5 - cy) ** 2 < r * r);
let truthPct = 0;
{
  let t = 0, m = 0;
  for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) (t += +inTissue(x, y), m += +inDeposit(x, y));
  truthPct = (100 * m) / t;
}

function section(stain: 'alizarin' | 'vonkossa', white: readonly [number, number, number] = [0.95, 0.95, 0.95]): RgbImage {
  const model = STAIN_MODELS[stain === 'alizarin' ? 'alizarin-red-s/1' : 'von-kossa/1']!;
  return renderRgb(W, H, [
    { vector: model.counterstain, amount: (x, y) => (inTissue(x, y) ? 0.25 : 0) },
    { vector: [0.45, 0.57, 0.69], amount: (x, y) => (inTissue(x, y) ? 0.1 : 0) },
    { vector: model.mineral, amount: (x, y) => (inDeposit(x, y) ? (stain === 'alizarin' ? 0.8 : 1.6) : 0) },
  ], { noise: 0.008, seed: 9, white });
}

function withThreshold(stain: 'alizarin' | 'vonkossa', params: Record<string, unknown>) {
  const doc = structuredClone(loadPreset(stain)) as unknown as { steps: { op: string; params: unknown }[] };
  doc.steps = doc.steps.map((s) => (s.op === 'threshold' ? { op: 'threshold', params } : s));
  return parseRecipe(doc, 'test');
}

describe('analyzeImage', () => {
  it('finds the tissue and the deposits of a rendered section (both stains)', () => {
    for (const stain of ['alizarin', 'vonkossa'] as const) {
      const m = analyzeImage({ image: section(stain), pixelSizeUm: null }, loadPreset(stain)).measurements;
      expect(m.reference).toBe('tissue');
      expect(Math.abs(m.mineralPct - truthPct)).toBeLessThan(0.5);
      expect(m.depositCount).toBe(3);
      expect(m.meanOd).toBeGreaterThan(0.3);
      expect(m.integratedOd).toBeCloseTo(m.meanOd! * m.mineralAreaPx, 3);
    }
  });

  it('gives the same answer under a different white balance and exposure (per-image white point)', () => {
    const a = analyzeImage({ image: section('alizarin'), pixelSizeUm: null }, loadPreset('alizarin')).measurements;
    const b = analyzeImage({ image: section('alizarin', [0.8, 0.95, 0.7]), pixelSizeUm: null }, loadPreset('alizarin')).measurements;
    expect(Math.abs(a.mineralPct - b.mineralPct)).toBeLessThan(0.2);
    expect(Math.abs(a.referenceAreaPx - b.referenceAreaPx) / a.referenceAreaPx).toBeLessThan(0.005);
  });

  it('supports Otsu, triangle and fixed thresholds computed inside the reference', () => {
    const img = section('vonkossa');
    for (const params of [{ method: 'otsu' }, { method: 'triangle' }, { method: 'fixed', valueOd: 0.6 }]) {
      const m = analyzeImage({ image: img, pixelSizeUm: null }, withThreshold('vonkossa', params)).measurements;
      expect(Math.abs(m.mineralPct - truthPct), JSON.stringify(params)).toBeLessThan(1.5);
      if (params.method === 'fixed') expect(m.thresholdOd).toBe(0.6);
    }
  });

  it('measures the whole image when asked, and refuses µm² clean-up without calibration', () => {
    const img = section('alizarin');
    const m = analyzeImage({ image: img, pixelSizeUm: null, referenceKind: 'image' }, loadPreset('alizarin')).measurements;
    expect(m.reference).toBe('image');
    expect(m.referenceAreaPx).toBe(W * H);
    const doc = structuredClone(loadPreset('alizarin')) as unknown as { steps: { op: string; params: unknown }[] };
    doc.steps = doc.steps.map((s) => (s.op === 'objects.removeSmall' ? { op: s.op, params: { minAreaUm2: 50 } } : s));
    const r = parseRecipe(doc, 'um2');
    expect(() => analyzeImage({ image: img, pixelSizeUm: null }, r)).toThrow(/no pixel size/);
    const calibrated = analyzeImage({ image: img, pixelSizeUm: 2 }, r).measurements; // 50 µm² = 12.5 px: keeps all 3 deposits
    expect(calibrated.depositCount).toBe(3);
  });

  it('reuses its stain-amount buffer between images without carrying anything over', () => {
    // the first image fills the whole buffer (whole-image reference, dark deposits everywhere);
    // the second only writes inside its smaller tissue reference
    const first = analyzeImage({ image: section('vonkossa'), pixelSizeUm: null, referenceKind: 'image' }, loadPreset('vonkossa'));
    expect(first.measurements.mineralAreaPx).toBeGreaterThan(0);
    const reused = analyzeImage({ image: section('alizarin'), pixelSizeUm: null }, loadPreset('alizarin'));
    // with a memo the analysis keeps its own fresh buffer
    const fresh = analyzeImage({ image: section('alizarin'), pixelSizeUm: null }, loadPreset('alizarin'), createAnalysisMemo());
    expect(reused.measurements).toEqual(fresh.measurements);
    expect(Buffer.from(reused.mineral.data).equals(Buffer.from(fresh.mineral.data))).toBe(true);
    expect(Buffer.from(reused.reference.data).equals(Buffer.from(fresh.reference.data))).toBe(true);
  });

  it('refuses a tiny image with a clear message', () => {
    const tiny = renderRgb(8, 8, []);
    expect(() => analyzeImage({ image: tiny, pixelSizeUm: null }, loadPreset('alizarin'))).toThrow(/only 8×8 pixels/);
  });
});
