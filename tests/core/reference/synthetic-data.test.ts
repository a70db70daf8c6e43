/**
 * Reference areas against the ground truth of the shared synthetic set (tools/synth.py, 40 images):
 * tissue masks for aorta / kidney / bone / en-face images, the well disc for single-well photos.
 * Skipped (with a note) when the data folder is absent. Set CALCIQUANT_SYNTH_DIR to use another copy.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { estimateIllumination, lowResRgb } from '../../../src/pipeline/illumination.js';
import type { Mask, RgbImage } from '../../../src/pipeline/raster.js';
import { detectTissue } from '../../../src/pipeline/reference/tissue.js';
import { detectWell } from '../../../src/pipeline/reference/well.js';
import { SYNTHETIC_DIR } from '../accuracy/synthetic-eval.js';
import { compare } from './synth-raster.js';

const DIR = SYNTHETIC_DIR;
const HAVE_DATA = existsSync(join(DIR, 'index.json'));
if (!HAVE_DATA) console.info(`[reference] ${DIR}/index.json not found: synthetic ground-truth tests skipped`);

interface Entry {
  readonly image: string;
  readonly scene: string;
  readonly difficulty: string;
}
interface Meta {
  readonly um_per_px: number;
  readonly difficulty: string;
  readonly stain: string;
  readonly wells?: { cx: number; cy: number; r: number }[];
}
const SECTION_SCENES = new Set(['aorta', 'kidney', 'bone', 'enface']);

async function loadRgb(file: string): Promise<RgbImage> {
  const meta = await sharp(file).metadata();
  if (meta.depth === 'ushort') {
    // 16-bit stays 16-bit: without toColourspace('rgb16') sharp hands back 8-bit values
    const { data, info } = await sharp(file).removeAlpha().toColourspace('rgb16').raw({ depth: 'ushort' }).toBuffer({ resolveWithObject: true });
    return { width: info.width, height: info.height, bitDepth: 16, data: new Uint16Array(data.buffer, data.byteOffset, data.length / 2) };
  }
  const { data, info } = await sharp(file).removeAlpha().toColourspace('srgb').raw().toBuffer({ resolveWithObject: true });
  return { width: info.width, height: info.height, bitDepth: 8, data: new Uint8Array(data.buffer, data.byteOffset, data.length) };
}

async function loadMask(file: string): Promise<Mask> {
  const { data, info } = await sharp(file).extractChannel(0).raw().toBuffer({ resolveWithObject: true });
  return { width: info.width, height: info.height, channels: 1, data: new Uint8Array(data.buffer, data.byteOffset, data.length) };
}

const entries = (): Entry[] => (HAVE_DATA ? (JSON.parse(readFileSync(join(DIR, 'index.json'), 'utf8')) as Entry[]) : []);
const base = (e: Entry) => e.image.replace(/\.[a-z0-9]+$/i, '');
const metaOf = (e: Entry) => JSON.parse(readFileSync(join(DIR, `${base(e)}.json`), 'utf8')) as Meta;

describe.skipIf(!HAVE_DATA)('reference areas on the synthetic set', () => {
  it('tissue: area error ≤ 1 % per image, mean ≤ 0.4 %, Dice ≥ 0.99', async () => {
    const rows: Record<string, string | number>[] = [];
    for (const e of entries().filter((x) => SECTION_SCENES.has(x.scene))) {
      const meta = metaOf(e);
      const img = await loadRgb(join(DIR, e.image));
      const truth = await loadMask(join(DIR, `${base(e)}_tissue.png`));
      const t0 = performance.now();
      const lowRes = lowResRgb(img);
      const illum = estimateIllumination(img, { lowRes });
      const r = detectTissue(img, illum, { pixelSizeUm: meta.um_per_px, lowRes });
      const ms = performance.now() - t0;
      const c = compare(r.mask, truth);
      rows.push({
        image: base(e), difficulty: meta.difficulty, bits: img.bitDepth, illumination: illum.source,
        thresholdOd: +r.thresholdOd.toFixed(3), truthPx: c.truthPx, areaPx: c.areaPx,
        areaErrPct: +c.areaErrPct.toFixed(3), dice: +c.dice.toFixed(4), ms: Math.round(ms),
      });
    }
    console.table(rows);
    const errs = rows.map((r) => Math.abs(r.areaErrPct as number));
    const mean = errs.reduce((a, b) => a + b, 0) / errs.length;
    console.info(`[reference] tissue: ${rows.length} images, mean |area error| ${mean.toFixed(3)} %, max ${Math.max(...errs).toFixed(3)} %, min Dice ${Math.min(...rows.map((r) => r.dice as number)).toFixed(4)}`);
    expect(rows.length).toBeGreaterThan(0);
    for (const r of rows) {
      expect(Math.abs(r.areaErrPct as number), String(r.image)).toBeLessThanOrEqual(1.0);
      expect(r.dice as number, String(r.image)).toBeGreaterThanOrEqual(0.99);
    }
    expect(mean).toBeLessThanOrEqual(0.4);
  }, 300_000);

  it('wells: radius error ≤ 1 px, area error ≤ 0.5 %; sections are not taken for wells', async () => {
    const rows: Record<string, string | number>[] = [];
    for (const e of entries().filter((x) => x.scene === 'well')) {
      const meta = metaOf(e);
      const well = meta.wells![0]!;
      const img = await loadRgb(join(DIR, e.image));
      const truth = await loadMask(join(DIR, `${base(e)}_tissue.png`));
      const t0 = performance.now();
      const r = detectWell(img);
      const ms = performance.now() - t0;
      const c = compare(r.mask, truth);
      rows.push({
        image: base(e), difficulty: meta.difficulty, radiusPx: +r.radiusPx.toFixed(2), radiusErrPx: +(r.radiusPx - well.r).toFixed(3),
        centreErrPx: +Math.hypot(r.cx - well.cx, r.cy - well.cy).toFixed(3), areaErrPct: +c.areaErrPct.toFixed(3),
        dice: +c.dice.toFixed(5), ms: Math.round(ms),
      });
    }
    console.table(rows);
    expect(rows.length).toBeGreaterThan(0);
    for (const r of rows) {
      expect(Math.abs(r.radiusErrPx as number), String(r.image)).toBeLessThanOrEqual(1);
      expect(r.centreErrPx as number, String(r.image)).toBeLessThanOrEqual(1);
      expect(Math.abs(r.areaErrPct as number), String(r.image)).toBeLessThanOrEqual(0.5);
    }
    for (const e of entries().filter((x) => SECTION_SCENES.has(x.scene))) {
      const img = await loadRgb(join(DIR, e.image));
      expect(() => detectWell(img), base(e)).toThrow(expect.objectContaining({ code: 'REFERENCE_EMPTY' }));
    }
  }, 300_000);

  it('times a 12-megapixel image (upscaled synthetic section and well)', async () => {
    const rows: Record<string, string | number>[] = [];
    for (const [name, kind] of [['s01_aorta_vonkossa', 'tissue'], ['s16_well_vonkossa', 'well']] as const) {
      const file = join(DIR, `${name}.jpg`);
      if (!existsSync(file)) continue;
      const { data, info } = await sharp(file).resize(4000, 3000, { kernel: 'lanczos3' }).removeAlpha().raw().toBuffer({ resolveWithObject: true });
      const img: RgbImage = { width: info.width, height: info.height, bitDepth: 8, data: new Uint8Array(data.buffer, data.byteOffset, data.length) };
      const times: number[][] = [];
      for (let k = 0; k < 4; k++) {
        const t0 = performance.now();
        const lowRes = lowResRgb(img);
        const t1 = performance.now();
        const illum = estimateIllumination(img, { lowRes });
        const t2 = performance.now();
        if (kind === 'tissue') detectTissue(img, illum, { pixelSizeUm: null, lowRes });
        else detectWell(img, illum, { lowRes });
        const t3 = performance.now();
        times.push([t1 - t0, t2 - t1, t3 - t2, t3 - t0]);
      }
      const best = (j: number) => Math.round(Math.min(...times.slice(1).map((t) => t[j]!)));
      rows.push({ image: `${name} → 4000×3000`, reference: kind, lowResMs: best(0), illuminationMs: best(1), referenceMs: best(2), totalMs: best(3), firstRunMs: Math.round(times[0]![3]!) });
    }
    console.table(rows);
    for (const r of rows) expect(r.totalMs as number).toBeLessThan(5000); // sanity only; the table is the measurement
  }, 300_000);
});
