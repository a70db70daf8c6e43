/**
 * Benchmark inputs: 1, 12 and 50 MP JPEGs (q90, like the lab's camera files) of an Alizarin Red S
 * and a von Kossa image, made once into `os.tmpdir()/calciquant-bench/` and reused afterwards.
 * They are upscaled (Lanczos-3) from the synthetic data set; when that is missing, a plausible
 * image (tissue with stained discs on a pale background) is drawn procedurally instead.
 */
import { existsSync } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';

export type BenchStain = 'alizarin' | 'vonkossa';

export interface BenchSize {
  readonly label: string;
  readonly width: number;
  readonly height: number;
}

/** 4:3 frames like a microscope camera's. */
export const SIZES: readonly BenchSize[] = [
  { label: '1 MP', width: 1155, height: 866 },
  { label: '12 MP', width: 4000, height: 3000 },
  { label: '50 MP', width: 8160, height: 6120 },
];

export interface BenchInput {
  readonly stain: BenchStain;
  readonly size: BenchSize;
  readonly filePath: string;
  readonly bytes: number;
}

export interface InputSet {
  readonly dir: string;
  /** Where the pixels came from, e.g. the synthetic data file, or 'procedural'. */
  readonly sources: Readonly<Record<BenchStain, string>>;
  readonly procedural: boolean;
  /** Files written in this run (the others were reused from the cache). */
  readonly created: number;
  readonly createMs: number;
  readonly inputs: readonly BenchInput[];
}

/** The shared synthetic set beside the project (from dist/bench/: ../../../shared), or CALCIQUANT_SYNTH_DIR. */
export const DATA_DIR = process.env.CALCIQUANT_SYNTH_DIR ?? path.resolve(import.meta.dirname, '../../../shared/data/synthetic');
const SOURCE_FILES: Readonly<Record<BenchStain, string>> = {
  alizarin: 's11_kidney_alizarin.jpg',
  vonkossa: 's01_aorta_vonkossa.jpg',
};
export const CACHE_DIR = path.join(os.tmpdir(), 'calciquant-bench');

/** Deterministic PRNG (mulberry32), so procedural images are the same every run. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const PALETTE: Readonly<Record<BenchStain, { tissue: readonly number[]; deposit: readonly number[] }>> = {
  // Alizarin: pinkish-grey section, orange-red deposits. Von Kossa: pale pink tissue, black-brown deposits.
  alizarin: { tissue: [214, 178, 190], deposit: [178, 42, 48] },
  vonkossa: { tissue: [226, 190, 200], deposit: [58, 46, 40] },
};

/**
 * A 1600×1200 RGB image: pale background with a little vignetting, an elliptical tissue section
 * with mottled texture, and ~30 % of the tissue covered by discs of stain (soft edges). Encoded
 * as PNG so the upscaling step treats it like the real source files.
 */
export async function proceduralSource(stain: BenchStain): Promise<Buffer> {
  const w = 1600, h = 1200, rnd = seededRandom(stain === 'alizarin' ? 11 : 1);
  const { tissue, deposit } = PALETTE[stain];
  const cx = w / 2, cy = h / 2, rx = w * 0.38, ry = h * 0.36;
  // stain amount per pixel, 0–1, from discs placed inside the ellipse
  const amount = new Float32Array(w * h);
  for (let k = 0; k < 150; k++) {
    const a = rnd() * 2 * Math.PI, d = Math.sqrt(rnd()) * 0.9;
    const x0 = cx + Math.cos(a) * d * rx, y0 = cy + Math.sin(a) * d * ry;
    const r = 6 + 40 * rnd() ** 2;
    for (let y = Math.max(0, Math.floor(y0 - r - 2)); y < Math.min(h, y0 + r + 2); y++) {
      for (let x = Math.max(0, Math.floor(x0 - r - 2)); x < Math.min(w, x0 + r + 2); x++) {
        const v = Math.min(1, Math.max(0, r + 1 - Math.hypot(x - x0, y - y0)));
        if (v > amount[y * w + x]!) amount[y * w + x] = v;
      }
    }
  }
  const px = Buffer.alloc(w * h * 3);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const i = y * w + x;
      const e = ((x - cx) / rx) ** 2 + ((y - cy) / ry) ** 2;
      const inTissue = Math.min(1, Math.max(0, (1 - e) * 20)); // soft tissue edge
      const vignette = 1 - 0.05 * (((x - cx) / cx) ** 2 + ((y - cy) / cy) ** 2);
      const mottle = 1 + 0.04 * Math.sin(x / 23 + Math.sin(y / 31) * 2) * Math.cos(y / 17);
      const s = amount[i]! * inTissue;
      for (let c = 0; c < 3; c++) {
        const bg = 244 - c * 2;
        const t = bg + (tissue[c]! * mottle - bg) * inTissue;
        const v = (t + (deposit[c]! - t) * s) * vignette + (rnd() - 0.5) * 6;
        px[i * 3 + c] = Math.max(0, Math.min(255, Math.round(v)));
      }
    }
  }
  return sharp(px, { raw: { width: w, height: h, channels: 3 } }).png().toBuffer();
}

async function makeImage(source: string | Buffer, size: BenchSize, outPath: string): Promise<void> {
  const tmp = `${outPath}.${process.pid}.tmp`;
  try {
    await sharp(source, { limitInputPixels: false })
      .resize(size.width, size.height, { kernel: 'lanczos3', fit: 'fill' })
      .jpeg({ quality: 90 })
      .toFile(tmp);
    await rename(tmp, outPath); // never leave a half-written file in the cache
  } finally {
    await rm(tmp, { force: true });
  }
}

async function matchesSize(file: string, size: BenchSize): Promise<boolean> {
  try {
    const m = await sharp(file).metadata();
    return m.width === size.width && m.height === size.height && m.format === 'jpeg';
  } catch {
    return false;
  }
}

/** Makes (or reuses) every size × stain input. `log` reports files as they are written. */
export async function prepareInputs(
  log: (line: string) => void = () => {},
  o: { dataDir?: string; cacheDir?: string } = {},
): Promise<InputSet> {
  const t0 = performance.now();
  const dataDir = o.dataDir ?? DATA_DIR, cacheDir = o.cacheDir ?? CACHE_DIR;
  await mkdir(cacheDir, { recursive: true });
  const stains: BenchStain[] = ['alizarin', 'vonkossa'];
  const procedural = stains.some((s) => !existsSync(path.join(dataDir, SOURCE_FILES[s])));
  const tag = procedural ? 'proc' : 'syn';
  const sources = {} as Record<BenchStain, string>;
  const inputs: BenchInput[] = [];
  let created = 0;
  for (const stain of stains) {
    sources[stain] = procedural ? 'procedural (discs of stain on a pale background)' : path.join(dataDir, SOURCE_FILES[stain]);
    let src: string | Buffer | null = procedural ? null : sources[stain];
    for (const size of SIZES) {
      const filePath = path.join(cacheDir, `${stain}-${tag}-${size.width}x${size.height}-q90.jpg`);
      if (!(await matchesSize(filePath, size))) {
        src ??= await proceduralSource(stain);
        log(`  making ${path.basename(filePath)} …`);
        await makeImage(src, size, filePath);
        created++;
      }
      const bytes = (await stat(filePath)).size;
      inputs.push({ stain, size, filePath, bytes });
    }
  }
  return { dir: cacheDir, sources, procedural, created, createMs: performance.now() - t0, inputs };
}
