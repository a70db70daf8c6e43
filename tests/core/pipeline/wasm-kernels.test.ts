import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { backgroundGrid, gaussianBlur, maskedBlockMeans } from '../../../src/pipeline/background.js';
import { extractRuns, extractRunsJs } from '../../../src/pipeline/components.js';
import { lowResRgbJs, odSumFromLowRes } from '../../../src/pipeline/illumination.js';
import { projectOd, type Illumination } from '../../../src/pipeline/od.js';
import { projectOdReusing } from '../../../src/pipeline/od-reusing.js';
import { maskRowSpans, type RgbImage } from '../../../src/pipeline/raster.js';
import { segmentMineral } from '../../../src/pipeline/segment.js';
import { factorForMaxSide } from '../../../src/pipeline/resample.js';
import { Kernels, setWasmKernelsEnabled, wasmKernels } from '../../../src/pipeline/wasm/kernels.js';
import { loadPreset } from '../../../src/app/recipes.js';
import { analyzeImage } from '../../../src/pipeline/analyze.js';
import { STAIN_MODELS } from '../../../src/pipeline/stains.js';
import { KERNELS_WASM_BASE64 } from '../../../src/pipeline/wasm/kernels-wasm.js';
import { compileKernels } from '../../../scripts/kernels-compile.mjs';
import { renderRgb, rng } from '../helpers/rasters.js';

/** `fn` run with the WebAssembly kernels switched off in this thread (the JS twins), then on again. */
function withoutKernels<T>(fn: () => T): T {
  setWasmKernelsEnabled(false);
  try {
    return fn();
  } finally {
    setWasmKernelsEnabled(true);
  }
}

function noiseImage(width: number, height: number, seed: number): RgbImage {
  const rand = rng(seed);
  const data = new Uint8Array(width * height * 3);
  for (let i = 0; i < data.length; i++) data[i] = Math.floor(rand() * 256);
  return { width, height, data, bitDepth: 8 };
}

/** Spans covering parts of rows, some rows empty, one row whole. */
function someSpans(width: number, height: number): Int32Array {
  const s = new Int32Array(2 * height);
  for (let y = 0; y < height; y++) {
    if (y % 5 === 3) continue;
    s[2 * y] = y === 0 ? 0 : (y * 7) % Math.max(1, width >> 1);
    s[2 * y + 1] = y === 0 ? width : Math.min(width, s[2 * y]! + 1 + ((y * 13) % width));
  }
  return s;
}

const flatField = (width: number, height: number): Illumination => {
  const cellPx = 8, gridW = Math.ceil((width - 1) / cellPx) + 1, gridH = Math.ceil((height - 1) / cellPx) + 1;
  const plane = (k: number) => Float32Array.from({ length: gridW * gridH }, (_, i) => Math.log10(0.8 + 0.05 * k + 0.1 * Math.sin(i)));
  return { source: 'flat-field', whiteFrac: [0.9, 0.85, 0.8], field: { gridW, gridH, cellPx, log10White: [plane(0), plane(1), plane(2)] } };
};

describe('WebAssembly kernels', () => {
  it('embeds the module compiled from the current kernels.as.ts (run npm run build:kernels after editing it)', async () => {
    const compiled = await compileKernels(path.resolve(import.meta.dirname, '../../..'));
    expect(Buffer.from(compiled).equals(Buffer.from(KERNELS_WASM_BASE64, 'base64'))).toBe(true);
  }, 60_000);

  it('starts in this thread', () => {
    expect(wasmKernels()).not.toBeNull();
  });

  it('computes the low-res copy bit for bit like the JS code, block sizes that do and do not divide the image', () => {
    const k = new Kernels();
    for (const [w, h, maxSide] of [[37, 23, 40], [37, 23, 20], [37, 23, 9], [400, 300, 100], [161, 97, 31]] as const) {
      const img = noiseImage(w, h, w * h);
      const js = lowResRgbJs(img, maxSide);
      const f = factorForMaxSide(w, h, maxSide);
      expect(f).toBe(js.factor);
      const wasm = k.lowResRgb8(img.data as Uint8Array, w, h, f, js.rgb.width, js.rgb.height);
      expect(wasm, `${w}×${h} f=${f}`).toEqual(js.rgb.data);
    }
  });

  it('projects OD bit for bit like the JS code: flat field or one white, spans, empty rows', () => {
    const weights = [0.51, -0.42, 1.37] as const;
    for (const [w, h] of [[53, 41], [256, 64]] as const) {
      const img = noiseImage(w, h, 7 + w);
      const spans = someSpans(w, h);
      for (const illum of [flatField(w, h), { source: 'global', whiteFrac: [0.93, 0.9, 0.88] } as Illumination]) {
        const js = projectOd(img, illum, weights, spans).data;
        const reused = projectOdReusing(img, illum, weights, spans).data;
        expect(reused, `${w}×${h} ${illum.source}`).toEqual(js);
      }
    }
  });

  it('sums the stain amount over the reference by blocks bit for bit like the JS code', () => {
    const [w, h] = [203, 131];
    const img = noiseImage(w, h, 99);
    const spans = someSpans(w, h);
    const ref = new Uint8Array(w * h);
    for (let y = 0; y < h; y++) for (let x = spans[2 * y]!; x < spans[2 * y + 1]!; x++) ref[y * w + x] = (x * 31 + y * 17) % 7 ? 255 : 0;
    const reference = { width: w, height: h, channels: 1 as const, data: ref };
    const refSpans = maskRowSpans(reference);
    const f = projectOdReusing(img, flatField(w, h), [0.3, 0.6, -0.2], spans); // in the kernels' buffer
    const copy = { width: w, height: h, data: f.data.slice() }; // not: the JS loop
    for (const factor of [2, 3, 8]) {
      expect(wasmKernels()!.maskedBlockSums(f.data, ref, refSpans, w, h, factor), `the kernel runs (factor ${factor})`).not.toBeNull();
      const viaWasm = maskedBlockMeans(f, reference, factor, refSpans);
      const viaJs = maskedBlockMeans(copy, reference, factor, refSpans);
      expect(viaWasm.map.data, `factor ${factor}`).toEqual(viaJs.map.data);
      expect(viaWasm.weight).toEqual(viaJs.weight);
    }
  });

  it.each([
    ['an elliptic reference inside the image', false, 3],
    ['the whole image as reference, deposits on its left and right edges', true, 3],
    ['the whole image, a wider window (edge radius 5)', true, 5],
  ])('runs the local contrast (both passes) bit for bit like the JS code: %s', (_, whole, radius) => {
    const [w, h] = [243, 161]; // rows not a multiple of 4 (the kernels take four pixels at a time)
    const inRef = (x: number, y: number) => whole || ((x - 120) / 100) ** 2 + ((y - 80) / 70) ** 2 < 1;
    const img = renderRgb(w, h, [
      { vector: [0.65, 0.7, 0.29], amount: (x, y) => (inRef(x, y) ? 0.2 : 0) },
      {
        vector: [0.18, 0.78, 0.6],
        amount: (x, y) => ((x - 100) ** 2 + (y - 70) ** 2 < 400 || (x - 160) ** 2 + (y - 100) ** 2 < 90 || (whole && (x < 4 || x > w - 3) && y % 40 < 20) ? 0.9 : 0),
      },
    ], { noise: 0.01, seed: 5 });
    const ref = new Uint8Array(w * h);
    for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) if (inRef(x, y)) ref[y * w + x] = 255;
    const reference = { width: w, height: h, channels: 1 as const, data: ref };
    const refSpans = maskRowSpans(reference);
    const weights = [0.1, 1.2, -0.4] as const;
    const f = projectOdReusing(img, flatField(w, h), weights, refSpans); // in the kernels' buffer
    const copy = { width: w, height: h, data: f.data.slice() };
    const bg = { width: 13, height: 9, factor: 20, data: Float32Array.from({ length: 117 }, (_, i) => 0.05 + 0.01 * Math.sin(i)) };
    const edge = { weights, mineral: [0.18, 0.78, 0.6] as const, localBackground: true };
    const t = { method: 'local-contrast' as const, minContrastOd: 0.15, edgeRadiusPx: radius };
    const grid = { height: bg.height, factor: bg.factor, gridRow: () => new Float32Array(w) };
    const params = { grid, gMin: 0, gMax: 1, minContrast: 0.15, r: radius, lut: new Float32Array(4096), localBackground: true };
    expect(wasmKernels()!.localContrast(f.data, ref, refSpans, w, h, params), 'the kernels run on this image').not.toBeNull();
    const viaWasm = segmentMineral(f, bg, reference, t, edge, refSpans);
    const viaJs = segmentMineral(copy, bg, reference, t, edge, refSpans);
    expect(viaJs.mineralPx).toBeGreaterThan(300);
    if (whole) {
      let atEdges = 0;
      for (let y = 0; y < h; y++) for (const x of [0, 1, 2, w - 2, w - 1]) if (viaJs.mineral.data[y * w + x]) atEdges++;
      expect(atEdges, 'deposits on the image edges are found').toBeGreaterThan(20);
    }
    expect(Buffer.from(viaWasm.mineral.data).equals(Buffer.from(viaJs.mineral.data))).toBe(true);
    expect({ ...viaWasm, mineral: null, mineralRuns: null }).toEqual({ ...viaJs, mineral: null, mineralRuns: null });
    const runs = extractRunsJs(viaJs.mineral); // listed by the kernels on the way
    expect(viaWasm.mineralRuns?.count).toBe(runs.count);
    expect(viaWasm.mineralRuns?.x0).toEqual(runs.x0.subarray(0, runs.count));
    expect(viaWasm.mineralRuns?.x1).toEqual(runs.x1.subarray(0, runs.count));
    expect(viaWasm.mineralRuns?.rowStart).toEqual(runs.rowStart);
  });

  it('blurs small maps bit for bit like the JS code (map narrower and wider than the kernel, widths not a multiple of the 4 SIMD lanes)', () => {
    const rand = rng(3);
    for (const [w, h, sigma] of [[200, 150, 4], [7, 30, 2.5], [31, 5, 1.2], [53, 41, 3.85], [4, 4, 0.8], [9, 3, 5], [27, 26, 1]] as const) {
      const map = { width: w, height: h, data: Float32Array.from({ length: w * h }, () => rand() * 2 - 0.5) };
      expect(wasmKernels()!.gaussianBlur(map.data, w, h, new Float32Array(3), 1), 'the kernel runs').not.toBeNull();
      const viaWasm = gaussianBlur(map, sigma);
      const viaJs = withoutKernels(() => gaussianBlur(map, sigma));
      expect(viaWasm.data, `${w}×${h} σ=${sigma}`).toEqual(viaJs.data);
    }
  });

  it('sums the background rounds bit for bit like the JS code (constant and sampled level)', () => {
    const rand = rng(23);
    const [w, h] = [157, 93];
    const map = { width: w, height: h, data: Float32Array.from({ length: w * h }, (_, i) => 0.1 + 0.02 * Math.sin(i / 7) + (rand() < 0.03 ? 0.5 : 0)) };
    const weight = Float32Array.from({ length: w * h }, (_, i) => (i % w < 5 ? 0 : rand() < 0.9 ? 1 : rand()));
    const wm = { map, weight, scale: 2 };
    const level = { width: 20, height: 12, factor: 16, data: Float32Array.from({ length: 240 }, (_, i) => 0.1 + 0.01 * Math.cos(i)) };
    expect(wasmKernels()!.backgroundSums(map.data, weight, w, h, 0.2, 0.1, 3, 2), 'the kernel runs').not.toBeNull();
    for (const lv of [0.1, level]) {
      const pass = { level: lv, seedOd: 0.1, padPx: 2.5, sigmaPx: 9, fallback: 0.1 };
      const viaWasm = backgroundGrid(wm, pass);
      const viaJs = withoutKernels(() => backgroundGrid(wm, pass));
      expect(viaWasm, typeof lv === 'number' ? 'constant level' : 'sampled level').toEqual(viaJs);
    }
  });

  it('sums the low-res OD bit for bit like the JS code (flat field and one white)', () => {
    const [w, h] = [230, 170];
    const lr = lowResRgbJs(noiseImage(w, h, 77), 100);
    for (const illum of [flatField(w, h), { source: 'global', whiteFrac: [0.93, 0.9, 0.88] } as Illumination]) {
      const viaWasm = odSumFromLowRes(lr, illum);
      const viaJs = withoutKernels(() => odSumFromLowRes(lr, illum));
      expect(viaWasm.map.data, illum.source).toEqual(viaJs.map.data);
    }
    const lut = new Float32Array(65536);
    expect(wasmKernels()!.odSumLowRes(lr.rgb.data, lr.rgb.width, lr.rgb.height, lut, { fill: (_y, out) => out.fill(0) }), 'the kernel runs').not.toBeNull();
  });

  it('finds the same runs as the JS code: sparse, dense, whole rows, widths not a multiple of 16', () => {
    // a fresh instance: one that projected a smaller image keeps that stain amount and has less room
    const k = new Kernels();
    const rand = rng(17);
    for (const [w, h, p] of [[300, 250, 0.02], [333, 200, 0.5], [257, 260, 0.97]] as const) {
      const data = new Uint8Array(w * h);
      for (let i = 0; i < data.length; i++) data[i] = rand() < p ? 255 : 0;
      data.fill(255, 5 * w, 7 * w); // two whole rows
      data.fill(0, 9 * w, 10 * w); // an empty row
      data.fill(1, 20 * w + 3, 20 * w + 40); // any non-zero value counts
      const mask = { width: w, height: h, channels: 1 as const, data };
      const runs = k.extractRuns(data, w, h);
      expect(runs, 'the kernel runs').not.toBeNull();
      const js = extractRunsJs(mask);
      expect(runs!.count, `${w}×${h} p=${p}`).toBe(js.count);
      expect(runs!.rowStart).toEqual(js.rowStart);
      expect(runs!.x0).toEqual(js.x0.subarray(0, js.count));
      expect(runs!.x1).toEqual(js.x1.subarray(0, js.count));
      expect(extractRuns(mask).count).toBe(js.count);
    }
  });

  it('leaves a low-res factor over 257 (u16 column sums) to the JS code', () => {
    const k = new Kernels();
    const img = noiseImage(600, 20, 1);
    expect(k.lowResRgb8(img.data as Uint8Array, 600, 20, 300, 2, 1)).toBeNull();
    const js = lowResRgbJs(img, 2);
    expect(js.factor).toBe(300);
    expect(js.rgb.data.length).toBe(6);
  });

  it('leaves images that do not fit to the JS code', () => {
    const k = new Kernels();
    expect(k.layout(10_000, 10_000, 1000, 1000)).toBeNull(); // 100 MP
    expect(k.layout(4000, 3000, 1000, 750)).not.toBeNull();
  });
});

describe('the whole analysis with and without the WebAssembly kernels', () => {
  it('gives the same masks and measurements (a section with tissue edges, a hole, specks and deposits, both stains)', () => {
    const [w, h] = [360, 260];
    const hole = (x: number, y: number) => (x - 200) ** 2 + (y - 90) ** 2 < 36; // small glass hole: filled
    const speck = (x: number, y: number) => (x - 20) ** 2 + (y - 20) ** 2 < 4; // debris on the glass: dropped
    const inTissue = (x: number, y: number) => (((x - 180) / 140) ** 2 + ((y - 130) / 100) ** 2 < 1 && !hole(x, y)) || speck(x, y);
    const inDeposit = (x: number, y: number) => inTissue(x, y) && ((x - 150) ** 2 + (y - 110) ** 2 < 500 || (x - 230) ** 2 + (y - 160) ** 2 < 150);
    for (const stain of ['alizarin', 'vonkossa'] as const) {
      const model = STAIN_MODELS[stain === 'alizarin' ? 'alizarin-red-s/1' : 'von-kossa/1']!;
      const image = renderRgb(w, h, [
        { vector: model.counterstain, amount: (x, y) => (inTissue(x, y) ? 0.3 : 0) },
        { vector: model.mineral, amount: (x, y) => (inDeposit(x, y) ? 1.2 : 0) },
      ], { noise: 0.01, seed: 11, white: [0.95, 0.93, 0.9] });
      const run = () => analyzeImage({ image, pixelSizeUm: null }, loadPreset(stain));
      const edge = vi.spyOn(Kernels.prototype, 'tissueEdge');
      const withKernels = run();
      expect(edge.mock.results.some((r) => r.value !== null), 'the tissue edge ran in WebAssembly').toBe(true);
      edge.mockRestore();
      const viaJs = withoutKernels(() => run());
      expect(withKernels.measurements.mineralAreaPx, stain).toBeGreaterThan(500);
      expect(withKernels.measurements).toEqual(viaJs.measurements);
      expect(Buffer.from(withKernels.mineral.data).equals(Buffer.from(viaJs.mineral.data))).toBe(true);
      expect(Buffer.from(withKernels.reference.data).equals(Buffer.from(viaJs.reference.data))).toBe(true);
    }
  });
});
