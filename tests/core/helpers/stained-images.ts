/**
 * Small synthetic stained specimens with a known answer, rendered by Beer–Lambert and written as
 * image files: an elliptical tissue section on glass (or a well) with round deposits.
 */
import { join } from 'node:path';
import sharp from 'sharp';
import { STAIN_MODELS } from '../../../src/pipeline/stains.js';
import { renderRgb } from './rasters.js';

export interface StainedImage {
  readonly path: string;
  /** Exact mineral % of the tissue (pixel-centre rasterization of the shapes). */
  readonly mineralPct: number;
  readonly tissuePx: number;
}

export interface StainedSpec {
  readonly stain: 'alizarin' | 'vonkossa';
  readonly widthPx?: number;
  readonly heightPx?: number;
  /** Deposits as [cx, cy, r] in fractions of the width. */
  readonly deposits?: readonly (readonly [number, number, number])[];
  readonly format?: 'png' | 'jpg' | 'tif16';
  readonly seed?: number;
}

const DEFAULT_DEPOSITS = [
  [0.4, 0.4, 0.05],
  [0.6, 0.55, 0.07],
  [0.5, 0.3, 0.03],
] as const;

export async function writeStainedSection(dir: string, name: string, spec: StainedSpec): Promise<StainedImage> {
  const W = spec.widthPx ?? 320, H = spec.heightPx ?? 240;
  const model = STAIN_MODELS[spec.stain === 'alizarin' ? 'alizarin-red-s/1' : 'von-kossa/1']!;
  const cx = W / 2, cy = H / 2, ax = W * 0.38, ay = H * 0.38;
  const inTissue = (x: number, y: number) => ((x + 0.5 - cx) / ax) ** 2 + ((y + 0.5 - cy) / ay) ** 2 < 1;
  const deps = (spec.deposits ?? DEFAULT_DEPOSITS).map(([dx, dy, r]) => [dx * W, dy * H, r * W] as const);
  const inDeposit = (x: number, y: number) => inTissue(x, y) && deps.some(([px, py, r]) => (x + 0.5 - px) ** 2 + (y + 0.5 - py) ** 2 < r * r);
  let tissuePx = 0, mineralPx = 0;
  for (let y = 0; y < H; y++)
    for (let x = 0; x < W; x++) {
      if (inTissue(x, y)) tissuePx++;
      if (inDeposit(x, y)) mineralPx++;
    }
  const bitDepth = spec.format === 'tif16' ? 16 : 8;
  const img = renderRgb(W, H, [
    { vector: model.counterstain, amount: (x, y) => (inTissue(x, y) ? 0.25 : 0) },
    { vector: [0.45, 0.57, 0.69], amount: (x, y) => (inTissue(x, y) ? 0.1 : 0) },
    { vector: model.mineral, amount: (x, y) => (inDeposit(x, y) ? (spec.stain === 'alizarin' ? 0.8 : 1.6) : 0) },
  ], { noise: 0.008, seed: spec.seed ?? 1, bitDepth });
  const path = join(dir, name);
  // a Uint16Array (not a Buffer) tells sharp that raw input is 16-bit
  const raw = sharp(img.data, { raw: { width: W, height: H, channels: 3 } });
  if (spec.format === 'jpg') await raw.jpeg({ quality: 95 }).toFile(path);
  else if (spec.format === 'tif16') await raw.toColourspace('rgb16').tiff({ compression: 'lzw' }).toFile(path);
  else await raw.png().toFile(path);
  return { path, mineralPct: (100 * mineralPx) / tissuePx, tissuePx };
}
