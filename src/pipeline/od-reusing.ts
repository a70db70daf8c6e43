/**
 * The OD projection into a buffer reused from image to image, for callers that drop the result
 * before the next image (a batch analysis). Apart from od.ts so that the UI, which uses the stain
 * models, does not load the WebAssembly kernels.
 */
import { fieldBias, projectOd, weighted8Table, type Illumination, type Rgb } from './od.js';
import type { FloatMap, RgbImage } from './raster.js';
import { wasmKernels } from './wasm/kernels.js';

/**
 * `projectOd` into a reused buffer: 8-bit images up to ~25 MP go through the WebAssembly kernel
 * (same numbers, ~2.5× faster), the others into a reused JS buffer. The result is valid only until
 * the next call.
 */
export function projectOdReusing(img: RgbImage, illum: Illumination, weights: Rgb, spans: Int32Array): FloatMap {
  const { width, height } = img;
  const kernels = img.data instanceof Uint8Array ? wasmKernels() : null;
  if (kernels) {
    const lut = weighted8Table(weights);
    const data = kernels.projectRows8(img.data as Uint8Array, width, height, spans, lut, fieldBias(illum, weights, width), true);
    if (data) return { width, height, data };
  }
  return projectOd(img, illum, weights, spans, scratchBuffer(width * height));
}

/** The JS stain-amount buffer reused between images (up to 25 MP: an idle worker should not keep ~0.5 GB). */
let scratch: Float32Array | null = null;
const SCRATCH_MAX_PX = 25_000_000;

function scratchBuffer(pixels: number): Float32Array | undefined {
  if (pixels > SCRATCH_MAX_PX) {
    scratch = null;
    return undefined;
  }
  if (scratch?.length !== pixels) scratch = new Float32Array(pixels);
  return scratch;
}
