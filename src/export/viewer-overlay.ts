/**
 * The overlay the viewer draws over an image: an RGBA picture covering the whole image at reduced
 * size (longer side ≤ maxSidePx): mineral filled in yellow with alpha ∝ the mineral fraction of each
 * block (antialiased), the reference outline in sky blue (Okabe–Ito, colour-blind safe).
 */
import type { Mask } from '../pipeline/raster.js';
import { OVERLAY_COLOURS } from './overlay.js';

export interface RgbaPicture {
  readonly width: number;
  readonly height: number;
  /** 4 bytes per pixel, not premultiplied. */
  readonly data: Uint8Array;
}

export const VIEWER_OVERLAY_MAX_SIDE_PX = 2048;
const MINERAL_ALPHA_MAX = 215;

/** Fraction (0–1) of set pixels per block of factor×factor full-resolution pixels. */
function blockFractions(mask: Mask, factor: number, w: number, h: number): Float32Array {
  const out = new Float32Array(w * h);
  const colBlock = new Int32Array(mask.width);
  for (let x = 0; x < mask.width; x++) colBlock[x] = (x / factor) | 0;
  for (let y = 0; y < mask.height; y++) {
    const row = y * mask.width, o = ((y / factor) | 0) * w;
    for (let x = 0; x < mask.width; x++) if (mask.data[row + x] !== 0) out[o + colBlock[x]!]! += 1;
  }
  for (let by = 0; by < h; by++) {
    const ny = Math.min(factor, mask.height - by * factor);
    for (let bx = 0; bx < w; bx++) out[by * w + bx]! /= ny * Math.min(factor, mask.width - bx * factor);
  }
  return out;
}

export function renderViewerOverlay(reference: Mask, mineral: Mask, maxSidePx = VIEWER_OVERLAY_MAX_SIDE_PX): RgbaPicture {
  const factor = Math.max(1, Math.ceil(Math.max(reference.width, reference.height) / maxSidePx));
  const w = Math.ceil(reference.width / factor), h = Math.ceil(reference.height / factor);
  const ref = blockFractions(reference, factor, w, h);
  const min = blockFractions(mineral, factor, w, h);
  const data = new Uint8Array(w * h * 4);
  const [mr, mg, mb] = OVERLAY_COLOURS.mineral;
  const [rr, rg, rb] = OVERLAY_COLOURS.reference;
  const inside = (x: number, y: number) => x >= 0 && y >= 0 && x < w && y < h && ref[y * w + x]! >= 0.5;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const i = y * w + x, p = 4 * i;
      const edge = inside(x, y) && (!inside(x - 1, y) || !inside(x + 1, y) || !inside(x, y - 1) || !inside(x, y + 1));
      if (edge) {
        data[p] = rr;
        data[p + 1] = rg;
        data[p + 2] = rb;
        data[p + 3] = 255;
      } else if (min[i]! > 0) {
        data[p] = mr;
        data[p + 1] = mg;
        data[p + 2] = mb;
        data[p + 3] = Math.round(MINERAL_ALPHA_MAX * Math.min(1, min[i]!));
      }
    }
  }
  return { width: w, height: h, data };
}
