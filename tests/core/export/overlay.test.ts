import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countMaskPx, createMask, type Mask, type RgbImage } from '../../../src/pipeline/raster.js';
import {
  drawOverlayRgb,
  maskOutline,
  OVERLAY_COLOURS,
  outlineThicknessPx,
  safeBaseName,
  toRgb8,
  writeOverlayFiles,
} from '../../../src/export/overlay.js';

function discMask(width: number, height: number, cx: number, cy: number, radiusPx: number): Mask {
  const m = createMask(width, height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if ((x - cx) ** 2 + (y - cy) ** 2 <= radiusPx ** 2) m.data[y * width + x] = 255;
    }
  }
  return m;
}

function rectMask(width: number, height: number, x0: number, y0: number, x1: number, y1: number): Mask {
  const m = createMask(width, height);
  for (let y = y0; y < y1; y++) m.data.fill(255, y * width + x0, y * width + x1);
  return m;
}

describe('maskOutline', () => {
  it('outlines a disc with ≈ perimeter pixels', () => {
    const r = 40;
    const disc = discMask(128, 128, 64, 64, r);
    const outline = maskOutline(disc, 1);
    const n = countMaskPx(outline);
    // The 4-neighbour inner boundary is an 8-connected curve: a diagonal run costs 1 px per √2 of
    // length, so a digital circle has ≈ 4√2·r pixels = 0.90 · 2πr (measured 224 for r = 40).
    expect(Math.abs(n - 4 * Math.SQRT2 * r) / (4 * Math.SQRT2 * r)).toBeLessThan(0.03);
    expect(n / (2 * Math.PI * r)).toBeGreaterThan(0.88);
    expect(n / (2 * Math.PI * r)).toBeLessThan(1.02);
    for (let i = 0; i < disc.data.length; i++) if (outline.data[i]) expect(disc.data[i]).toBe(255);
    expect(countMaskPx(disc)).toBe(countMaskPx(discMask(128, 128, 64, 64, r))); // input untouched
  });

  it('is thickness px wide on a straight edge', () => {
    const rect = rectMask(60, 60, 10, 10, 50, 50);
    for (const t of [1, 2, 3, 4]) {
      const outline = maskOutline(rect, t);
      // column x = 30 crosses the top edge at y = 10
      const col = Array.from({ length: 60 }, (_, y) => outline.data[y * 60 + 30]);
      const topHits = col.slice(0, 30).filter((v) => v === 255).length;
      expect(topHits).toBe(t);
    }
  });

  it('equals a brute-force square dilation of the boundary on random masks', () => {
    let seed = 12345;
    const random = (): number => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    for (const [w, h, t, density] of [
      [37, 23, 3, 0.5],
      [64, 41, 4, 0.9],
      [13, 57, 5, 0.2],
      [50, 50, 2, 0.97],
    ] as const) {
      const m = createMask(w, h);
      for (let i = 0; i < w * h; i++) m.data[i] = random() < density ? 255 : 0;
      const boundary = maskOutline(m, 1);
      const got = maskOutline(m, t);
      const before = Math.floor((t - 1) / 2);
      const after = t - 1 - before;
      for (let y = 0; y < h; y++) {
        for (let x = 0; x < w; x++) {
          let hit = 0;
          for (let dy = -before; dy <= after && !hit; dy++) {
            for (let dx = -before; dx <= after && !hit; dx++) {
              const sx = x + dx;
              const sy = y + dy;
              if (sx >= 0 && sx < w && sy >= 0 && sy < h && boundary.data[sy * w + sx]) hit = 255;
            }
          }
          expect(got.data[y * w + x], `(${x}, ${y}) t=${t}`).toBe(hit);
        }
      }
    }
  });

  it('closes regions that touch the image border; empty and full masks', () => {
    const full = rectMask(20, 10, 0, 0, 20, 10);
    expect(countMaskPx(maskOutline(full, 1))).toBe(2 * 20 + 2 * 10 - 4);
    expect(countMaskPx(maskOutline(createMask(20, 10), 3))).toBe(0);
  });

  it('handles a 50-megapixel mask quickly', () => {
    const w = 8660;
    const h = 5774; // ≈ 50 MP
    const m = createMask(w, h);
    for (let y = 1000; y < 5000; y++) m.data.fill(255, y * w + 1000, y * w + 7000);
    const t0 = performance.now();
    const outline = maskOutline(m, outlineThicknessPx(w, h));
    const ms = performance.now() - t0;
    expect(countMaskPx(outline)).toBeGreaterThan(0);
    expect(ms).toBeLessThan(2000); // typically a few hundred ms; generous for slow CI
  });
});

describe('drawOverlayRgb', () => {
  it('paints colours exactly where the masks are and nowhere else; input untouched', () => {
    const w = 8;
    const h = 4;
    const base = { width: w, height: h, data: new Uint8Array(w * h * 3).fill(100) };
    const ref = rectMask(w, h, 0, 0, 4, 4);
    const min = rectMask(w, h, 2, 1, 6, 2);
    const out = drawOverlayRgb(base, [
      { mask: ref, rgb: OVERLAY_COLOURS.reference },
      { mask: min, rgb: OVERLAY_COLOURS.mineral },
    ]);
    expect(base.data.every((v) => v === 100)).toBe(true);
    for (let i = 0; i < w * h; i++) {
      const px = Array.from(out.subarray(i * 3, i * 3 + 3));
      const expected = min.data[i] ? OVERLAY_COLOURS.mineral : ref.data[i] ? OVERLAY_COLOURS.reference : [100, 100, 100];
      expect(px).toEqual([...expected]);
    }
  });

  it('blends with alpha', () => {
    const base = { width: 1, height: 1, data: new Uint8Array([0, 100, 200]) };
    const m = rectMask(1, 1, 0, 0, 1, 1);
    const out = drawOverlayRgb(base, [{ mask: m, rgb: [200, 100, 0], alpha: 0.5 }]);
    expect(Array.from(out)).toEqual([100, 100, 100]);
  });

  it('rejects a mask of another size', () => {
    const base = { width: 2, height: 2, data: new Uint8Array(12) };
    expect(() => drawOverlayRgb(base, [{ mask: createMask(3, 2), rgb: [1, 2, 3] }])).toThrow(/overlay mask/);
  });
});

describe('toRgb8', () => {
  it('scales 16-bit to 8-bit', () => {
    const img: RgbImage = { width: 1, height: 1, bitDepth: 16, data: new Uint16Array([0, 32896, 65535]) };
    expect(Array.from(toRgb8(img).data)).toEqual([0, 128, 255]);
  });
});

describe('writeOverlayFiles', () => {
  let dir = '';
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'calciquant-overlay-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('writes an RGB overlay and two 0/255 grey masks', async () => {
    const w = 120;
    const h = 80;
    const data = new Uint16Array(w * h * 3).fill(257 * 60); // 16-bit grey 60
    const image: RgbImage = { width: w, height: h, bitDepth: 16, data };
    const reference = rectMask(w, h, 10, 10, 110, 70);
    const mineral = discMask(w, h, 60, 40, 15);
    const files = await writeOverlayFiles({ outDir: dir, baseName: 'Probe Ä µ', image, reference, mineral });
    expect(files.overlayPath).toBe(join(dir, 'Probe Ä µ_overlay.png'));

    const ov = await sharp(files.overlayPath).raw().toBuffer({ resolveWithObject: true });
    expect(ov.info).toMatchObject({ width: w, height: h, channels: 3 });
    const refOutline = maskOutline(reference, 1);
    const minOutline = maskOutline(mineral, 1);
    for (let i = 0; i < w * h; i++) {
      const px = [ov.data[i * 3], ov.data[i * 3 + 1], ov.data[i * 3 + 2]];
      const expected = minOutline.data[i]
        ? OVERLAY_COLOURS.mineral
        : refOutline.data[i]
          ? OVERLAY_COLOURS.reference
          : [60, 60, 60];
      expect(px).toEqual([...expected]);
    }

    for (const [path, mask] of [
      [files.referenceMaskPath, reference],
      [files.mineralMaskPath, mineral],
    ] as const) {
      const meta = await sharp(path).metadata();
      expect(meta).toMatchObject({ format: 'png', width: w, height: h, channels: 1, depth: 'uchar' });
      const png = await readFile(path);
      expect(png[24]).toBe(8); // IHDR bit depth
      expect(png[25]).toBe(0); // IHDR colour type 0 = greyscale
      // sharp expands grey to RGB on raw output; take one channel back
      const px = await sharp(path).extractChannel(0).raw().toBuffer();
      expect(px.length).toBe(w * h);
      expect(Buffer.compare(px, Buffer.from(mask.data))).toBe(0);
    }
    const names = await readdir(dir);
    expect(names.filter((n) => n.endsWith('.tmp'))).toEqual([]);
  });
});

describe('safeBaseName', () => {
  it('strips folders and extension, keeps non-ASCII letters', () => {
    const taken = new Set<string>();
    expect(safeBaseName('/data/plate 1/Probe Ä µ, "1".tif', taken)).toBe('Probe Ä µ, _1_');
    expect(safeBaseName('C:\\scans\\Größe.ome.tiff', taken)).toBe('Größe.ome');
  });

  it('de-duplicates case-insensitively', () => {
    const taken = new Set<string>();
    expect(safeBaseName('x/a.tif', taken)).toBe('a');
    expect(safeBaseName('y/a.tif', taken)).toBe('a_2');
    expect(safeBaseName('z/A.TIF', taken)).toBe('A_3');
    expect(safeBaseName('a_2.png', taken)).toBe('a_2_2');
  });

  it('replaces Windows-illegal names and characters', () => {
    const taken = new Set<string>();
    expect(safeBaseName('a<b>c:d|e?f*g\u0001.tif', taken)).toBe('a_b_c_d_e_f_g_');
    expect(safeBaseName('CON.tif', taken)).toBe('CON_');
    expect(safeBaseName('nul.x.tif', taken)).toBe('nul_.x');
    expect(safeBaseName('.hidden', taken)).toBe('_hidden');
    expect(safeBaseName('trailing. .tif', taken)).toBe('trailing');
    expect(safeBaseName('', taken)).toBe('image');
    expect(safeBaseName('dir/', taken)).toBe('dir');
    expect(Array.from(safeBaseName('é'.repeat(300), taken))).toHaveLength(100);
  });

  it('normalizes to NFC', () => {
    const taken = new Set<string>();
    expect(safeBaseName('A\u0308.tif', taken)).toBe('Ä');
    expect(safeBaseName('\u00c4.tif', taken)).toBe('Ä_2');
  });
});
