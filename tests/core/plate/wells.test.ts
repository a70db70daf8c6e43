/** Well label images with edge exclusion (wellMasks) and per-well measurements (measureWells). */
import { describe, expect, it } from 'vitest';
import { createMask } from '../../../src/pipeline/raster.js';
import { edgeExclusionPx, wellMasks } from '../../../src/pipeline/reference/plate.js';
import { measureWells } from '../../../src/pipeline/wells.js';

const W = 120, H = 80;
const plate = { wells: [{ id: 'A1', cx: 30.3, cy: 40.2, radiusPx: 20.5 }, { id: 'A2', cx: 80.7, cy: 39.6, radiusPx: 20.5 }] };

/** Brute-force count of pixel centres strictly inside radius r. */
function discCount(cx: number, cy: number, r: number): number {
  let n = 0;
  for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) if ((x - cx) ** 2 + (y - cy) ** 2 < r * r) n++;
  return n;
}

describe('wellMasks', () => {
  it('labels the pixel centres strictly inside each disc (k + 1) and returns their union', () => {
    const m = wellMasks(plate, W, H);
    for (const [k, w] of plate.wells.entries()) expect(m.labels.filter((v) => v === k + 1).length).toBe(discCount(w.cx, w.cy, w.radiusPx));
    expect(m.mask.data.filter((v) => v === 255).length).toBe(m.labels.filter((v) => v > 0).length);
    expect(m.labels[40 * W + 30]).toBe(1);
    expect(m.labels[40 * W + 55]).toBe(0);
  });

  it('shrinks each disc by a fraction of its radius or by µm (with calibration)', () => {
    const frac = wellMasks(plate, W, H, { fracOfRadius: 0.1 });
    expect(frac.labels.filter((v) => v === 1).length).toBe(discCount(30.3, 40.2, 0.9 * 20.5));
    const um = wellMasks({ ...plate, edgeExclusion: { um: 10, pixelSizeUm: 4 } }, W, H); // the plate's own setting: 2.5 px
    expect(um.labels.filter((v) => v === 2).length).toBe(discCount(80.7, 39.6, 18));
    expect(edgeExclusionPx(20, { fracOfRadius: 0.25 })).toBe(5);
    expect(edgeExclusionPx(20, null)).toBe(0);
  });

  it('rejects an edge exclusion in µm without a pixel size, both units at once, and one that leaves nothing', () => {
    expect(() => wellMasks(plate, W, H, { um: 50, pixelSizeUm: null })).toThrowError(expect.objectContaining({ code: 'CALIBRATION_MISSING' }));
    expect(() => wellMasks(plate, W, H, { um: 50, fracOfRadius: 0.1, pixelSizeUm: 2 })).toThrowError(expect.objectContaining({ code: 'INPUT_INVALID' }));
    expect(() => wellMasks(plate, W, H, { fracOfRadius: 1.2 })).toThrowError(expect.objectContaining({ code: 'INPUT_INVALID' }));
    expect(() => wellMasks(plate, W, H, { um: 100, pixelSizeUm: 1 })).toThrowError(expect.objectContaining({ code: 'INPUT_INVALID' }));
  });
});

describe('measureWells', () => {
  it('splits the mineral mask by well, optionally inside a reference', () => {
    const labels = wellMasks(plate, W, H);
    const mineral = createMask(W, H);
    // mineral: the left half of the image (all of A1 left of x = 30, nothing of A2)
    for (let y = 0; y < H; y++) for (let x = 0; x < 30; x++) mineral.data[y * W + x] = 255;
    const rows = measureWells(mineral, labels, plate.wells);
    const a1 = discCount(30.3, 40.2, 20.5), a2 = discCount(80.7, 39.6, 20.5);
    let left = 0;
    for (let y = 0; y < H; y++) for (let x = 0; x < 30; x++) if ((x - 30.3) ** 2 + (y - 40.2) ** 2 < 20.5 ** 2) left++;
    expect(rows).toEqual([
      { id: 'A1', referenceAreaPx: a1, mineralAreaPx: left, mineralPct: (100 * left) / a1 },
      { id: 'A2', referenceAreaPx: a2, mineralAreaPx: 0, mineralPct: 0 },
    ]);
    // a reference that excludes the top half
    const ref = createMask(W, H);
    ref.data.fill(255, 40 * W);
    const half = measureWells(mineral, labels, plate.wells, ref);
    expect(half[0]!.referenceAreaPx).toBeLessThan(a1);
    expect(half[0]!.mineralPct).toBeGreaterThan(0);
    expect(() => measureWells(createMask(10, 10), labels, plate.wells)).toThrowError(/differ/);
  });
});
