/**
 * Pixel value and optical density under the cursor. Keeps the last decoded image (and its white
 * point) so moving the mouse over one image costs one decode.
 */
import type { PixelProbe } from '../common/api.js';
import { AppError } from '../common/errors.js';
import { decodeImage, type DecodedImage } from '../io/decode.js';
import { estimateIllumination, log10WhiteAt } from '../pipeline/illumination.js';
import type { Illumination } from '../pipeline/od.js';

let last: { path: string; image: Promise<{ img: DecodedImage; illum: Illumination }> } | null = null;

function loaded(filePath: string) {
  if (last?.path !== filePath) {
    const image = decodeImage(filePath).then((img) => ({ img, illum: estimateIllumination(img) }));
    image.catch(() => (last = null));
    last = { path: filePath, image };
  }
  return last.image;
}

export async function probePixel(filePath: string, xPx: number, yPx: number): Promise<PixelProbe> {
  const { img, illum } = await loaded(filePath);
  const x = Math.floor(xPx), y = Math.floor(yPx);
  if (!(x >= 0 && y >= 0 && x < img.width && y < img.height)) {
    throw new AppError('INPUT_INVALID', `Pixel (${xPx}, ${yPx}) is outside the ${img.width}×${img.height} image.`);
  }
  const i = (y * img.width + x) * 3;
  const rgb = [img.data[i]!, img.data[i + 1]!, img.data[i + 2]!] as const;
  const full = img.bitDepth === 16 ? 65535 : 255;
  const w = new Float64Array(3);
  log10WhiteAt(illum, x, y, w);
  const od = rgb.map((v, k) => Math.round((w[k]! - Math.log10(Math.max(v, 1) / full)) * 1000) / 1000) as unknown as [number, number, number];
  return { xPx: x, yPx: y, rgb, bitDepth: img.bitDepth, od };
}
