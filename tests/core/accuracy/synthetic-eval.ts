/**
 * Runs the CLI-equivalent pipeline on the synthetic images with exact ground truth
 * (../shared/data/synthetic): the preset matching the stain, the reference matching the scene
 * (tissue for sections, the automatic well for one-well photos, the ground-truth well-area mask as
 * a region for whole plates).
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { loadPreset } from '../../../src/app/recipes.js';
import type { ReferenceKind } from '../../../src/common/result.js';
import { decodeImage } from '../../../src/io/decode.js';
import { readRegionMask } from '../../../src/io/region-file.js';
import { analyzeImage } from '../../../src/pipeline/analyze.js';
import type { Mask } from '../../../src/pipeline/raster.js';

/** The shared synthetic set beside the project (../shared/data/synthetic), or CALCIQUANT_SYNTH_DIR. */
export const SYNTHETIC_DIR = process.env.CALCIQUANT_SYNTH_DIR ?? path.resolve(import.meta.dirname, '../../../../shared/data/synthetic');
export const hasSyntheticData = existsSync(path.join(SYNTHETIC_DIR, 'index.json'));

export interface SyntheticEntry {
  readonly image: string;
  readonly scene: string;
  readonly stain: 'alizarin' | 'vonkossa';
  readonly difficulty: string;
  readonly mineral_percent: number;
}

export interface EvalRow {
  readonly image: string;
  readonly scene: string;
  readonly stain: string;
  readonly difficulty: string;
  readonly truePct: number;
  readonly measuredPct: number;
  readonly errorPp: number;
  readonly dice: number;
  readonly referenceErrorPct: number;
  readonly ms: number;
}

export function syntheticIndex(): SyntheticEntry[] {
  return JSON.parse(readFileSync(path.join(SYNTHETIC_DIR, 'index.json'), 'utf8')) as SyntheticEntry[];
}

async function readMask(file: string): Promise<Mask> {
  const { data, info } = await sharp(file).greyscale().raw().toBuffer({ resolveWithObject: true });
  return { width: info.width, height: info.height, channels: 1, data: new Uint8Array(data) };
}

export function referenceFor(scene: string): ReferenceKind {
  return scene === 'well' ? 'well' : scene === 'plate' ? 'region' : 'tissue';
}

export async function evaluateSynthetic(e: SyntheticEntry): Promise<EvalRow> {
  const base = path.join(SYNTHETIC_DIR, e.image.replace(/\.[^.]+$/, ''));
  const img = await decodeImage(path.join(SYNTHETIC_DIR, e.image));
  const kind = referenceFor(e.scene);
  const region = kind === 'region' ? { include: await readRegionMask({ source: 'gt', path: `${base}_tissue.png` }, img.width, img.height), exclude: null } : undefined;
  const t0 = performance.now();
  const out = analyzeImage({ image: img, pixelSizeUm: null, referenceKind: kind, ...(region ? { region } : {}) }, loadPreset(e.stain));
  const ms = performance.now() - t0;
  const gtMineral = await readMask(`${base}_mineral.png`);
  const gtRef = await readMask(`${base}_tissue.png`);
  let inter = 0, pred = 0, truth = 0, refPx = 0;
  for (let i = 0; i < gtMineral.data.length; i++) {
    const p = out.mineral.data[i] !== 0, g = gtMineral.data[i] !== 0;
    if (p) pred++;
    if (g) truth++;
    if (p && g) inter++;
    if (gtRef.data[i] !== 0) refPx++;
  }
  const m = out.measurements;
  return {
    image: e.image, scene: e.scene, stain: e.stain, difficulty: e.difficulty,
    truePct: e.mineral_percent, measuredPct: m.mineralPct, errorPp: m.mineralPct - e.mineral_percent,
    dice: pred + truth === 0 ? 1 : (2 * inter) / (pred + truth),
    referenceErrorPct: (100 * (m.referenceAreaPx - refPx)) / refPx, ms,
  };
}

export function summarize(rows: readonly EvalRow[]) {
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
  const by = (key: 'scene' | 'stain' | 'difficulty') =>
    Object.fromEntries([...new Set(rows.map((r) => r[key]))].map((k) => {
      const s = rows.filter((r) => r[key] === k);
      return [k, { n: s.length, maePp: mean(s.map((r) => Math.abs(r.errorPp))), maxPp: Math.max(...s.map((r) => Math.abs(r.errorPp))), dice: mean(s.map((r) => r.dice)) }];
    }));
  return {
    maePp: mean(rows.map((r) => Math.abs(r.errorPp))),
    maxPp: Math.max(...rows.map((r) => Math.abs(r.errorPp))),
    meanDice: mean(rows.map((r) => r.dice)),
    byScene: by('scene'), byStain: by('stain'), byDifficulty: by('difficulty'),
  };
}
