import { describe, expect, it } from 'vitest';
import { histogramOf, histogramQuantile, otsuThreshold, triangleThreshold } from '../../../src/pipeline/histogram.js';
import { floatMap, gaussian, rng } from '../helpers/rasters.js';

describe('histogram statistics', () => {
  const rand = rng(3);
  // 70 % background around 0.1, 30 % stained around 0.8
  const map = floatMap(100, 100, (x) => (x < 70 ? 0.1 + 0.03 * gaussian(rand) : 0.8 + 0.05 * gaussian(rand)));

  it('quantiles of a uniform ramp are linear', () => {
    const ramp = floatMap(1000, 1, (x) => x / 1000);
    const h = histogramOf(ramp, null, 0, 1, 1000);
    expect(histogramQuantile(h, 0.5)).toBeCloseTo(0.5, 2);
    expect(histogramQuantile(h, 0.9)).toBeCloseTo(0.9, 2);
  });

  it('Otsu splits a bimodal histogram between the modes', () => {
    const t = otsuThreshold(histogramOf(map, null, -1, 4, 1000));
    const above = map.data.filter((v) => v > t).length / map.data.length;
    expect(above).toBeCloseTo(0.3, 2);
  });

  it('triangle threshold sits at the foot of the background peak', () => {
    const sparse = floatMap(100, 100, (x, y) => (x < 95 || y > 50 ? 0.1 + 0.03 * gaussian(rand) : 0.5 + 0.3 * rand()));
    const t = triangleThreshold(histogramOf(sparse, null, -1, 4, 1000));
    expect(t).toBeGreaterThan(0.15);
    expect(t).toBeLessThan(0.45);
  });

  it('respects the mask', () => {
    const mask = { width: 100, height: 100, channels: 1 as const, data: new Uint8Array(10000) };
    for (let y = 0; y < 100; y++) for (let x = 70; x < 100; x++) mask.data[y * 100 + x] = 255;
    expect(histogramQuantile(histogramOf(map, mask, -1, 4, 1000), 0.5)).toBeCloseTo(0.8, 1);
  });
});
