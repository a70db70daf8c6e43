/**
 * Quality-control overlays: the original image with the reference and mineral outlines drawn on
 * it, plus both masks as 8-bit 0/255 PNGs. Outline and drawing functions are pure typed-array
 * loops (no per-pixel allocation; 50 MP in well under a second); `writeOverlayFiles` encodes
 * with sharp and writes atomically.
 */
import { join } from 'node:path';
import sharp from 'sharp';
import { BugError } from '../common/errors.js';
import type { Mask, RgbImage } from '../pipeline/raster.js';
import { writeFileAtomic } from '../io/atomic-write.js';

export type Rgb8 = readonly [number, number, number];

/**
 * Okabe–Ito colours (distinguishable with all common colour-vision deficiencies). Sky blue and
 * yellow are both light, saturated and far in hue from the stains: they stay visible on
 * pink/purple tissue (H&E, counterstains), on red-orange Alizarin Red S deposits and on the
 * black deposits of von Kossa staining, and they are distinct from each other.
 */
export const OVERLAY_COLOURS = {
  /** Okabe–Ito sky blue. */
  reference: [86, 180, 233],
  /** Okabe–Ito yellow. */
  mineral: [240, 228, 66],
  /** Okabe–Ito bluish green (spare, e.g. excluded ROIs). */
  excluded: [0, 158, 115],
  /** Okabe–Ito vermillion (spare, e.g. errors). */
  warning: [213, 94, 0],
} as const satisfies Record<string, Rgb8>;

export interface RgbBuffer8 {
  readonly width: number;
  readonly height: number;
  /** Interleaved RGB, 8 bit. */
  readonly data: Uint8Array;
}

export interface OverlayLayer {
  readonly mask: Mask;
  readonly rgb: Rgb8;
  /** Opacity 0–1 of the colour over the base; default 1. */
  readonly alpha?: number;
}

/** Outline thickness for an image: ≈ 1 px per 1000 px of the longer side, at least 1. */
export function outlineThicknessPx(width: number, height: number): number {
  return Math.max(1, Math.round(Math.max(width, height) / 1000));
}

/**
 * Boundary of `mask` — inside pixels with an outside 4-neighbour (pixels beyond the image count as
 * outside, so a region touching the border is closed) — grown to a line `thicknessPx` wide with a
 * square. Returns a new 0/255 Mask; input untouched.
 */
export function maskOutline(mask: Mask, thicknessPx: number): Mask {
  const boundary = innerBoundary(mask);
  const t = Math.max(1, Math.round(thicknessPx));
  if (t === 1) return boundary;
  // square of side t around each boundary pixel: offsets -before … +after
  const before = Math.floor((t - 1) / 2);
  const after = t - 1 - before;
  return dilateSquare(boundary, before, after);
}

function innerBoundary(mask: Mask): Mask {
  const { width: w, height: h, data: d } = mask;
  const out = new Uint8Array(w * h);
  for (let y = 0; y < h; y++) {
    const row = y * w;
    const isEdgeRow = y === 0 || y === h - 1;
    for (let x = 0; x < w; x++) {
      const i = row + x;
      if (d[i] === 0) continue;
      if (isEdgeRow || x === 0 || x === w - 1 || d[i - 1] === 0 || d[i + 1] === 0 || d[i - w] === 0 || d[i + w] === 0) {
        out[i] = 255;
      }
    }
  }
  return { width: w, height: h, channels: 1, data: out };
}

/**
 * Calls `visit(i)` for every non-zero byte of `d` in increasing order, skipping zero 32-bit words
 * (outlines are sparse: a 50 MP scan costs ~20 ms instead of ~65 ms byte by byte).
 */
function forEachSetByte(d: Uint8Array, visit: (i: number) => void): void {
  let i = 0;
  if (d.byteOffset % 4 === 0) {
    const words = new Uint32Array(d.buffer, d.byteOffset, d.length >>> 2);
    for (let k = 0; k < words.length; k++) {
      if (words[k] === 0) continue;
      const j = k << 2;
      if (d[j] !== 0) visit(j);
      if (d[j + 1] !== 0) visit(j + 1);
      if (d[j + 2] !== 0) visit(j + 2);
      if (d[j + 3] !== 0) visit(j + 3);
    }
    i = words.length << 2;
  }
  for (; i < d.length; i++) if (d[i] !== 0) visit(i);
}

/**
 * Dilation by a square: out(x, y) set when any src pixel lies in x-before … x+after,
 * y-before … y+after. Set pixels are visited in row-major order and merged into horizontal runs;
 * each run is stamped down its columns, and a per-column fill mark makes every output pixel
 * written at most once — cost ≈ scan + output size, independent of the square's area.
 */
function dilateSquare(src: Mask, before: number, after: number): Mask {
  const { width: w, height: h } = src;
  const out = new Uint8Array(w * h);
  const filledToRow = new Int32Array(w); // column x of out is final on rows [0, filledToRow[x])
  let runY = -1;
  let runStart = 0;
  let runEnd = 0; // current run [runStart, runEnd) of output columns, from src row runY
  const flushRun = (): void => {
    const endRow = Math.min(h, runY + before + 1);
    for (let x = runStart; x < runEnd; x++) {
      for (let yy = Math.max(filledToRow[x]!, runY - after); yy < endRow; yy++) out[yy * w + x] = 255;
      filledToRow[x] = endRow;
    }
  };
  let y = 0;
  let rowStart = 0;
  forEachSetByte(src.data, (i) => {
    while (i >= rowStart + w) {
      rowStart += w;
      y++;
    }
    const x = i - rowStart;
    const start = Math.max(0, x - after);
    const end = Math.min(w, x + before + 1);
    if (y === runY && start <= runEnd) {
      runEnd = end;
      return;
    }
    if (runY >= 0) flushRun();
    runY = y;
    runStart = start;
    runEnd = end;
  });
  if (runY >= 0) flushRun();
  return { width: w, height: h, channels: 1, data: out };
}

/**
 * Paints each layer's colour where its mask is set, in order (later layers on top), blended with
 * `alpha`. Returns a new RGB buffer; `base` is untouched.
 */
export function drawOverlayRgb(base: RgbBuffer8, layers: readonly OverlayLayer[]): Uint8Array {
  const n = base.width * base.height;
  if (base.data.length !== n * 3) throw new BugError(`RGB buffer has ${base.data.length} values, expected ${n * 3}`);
  const out = new Uint8Array(base.data);
  for (const layer of layers) {
    const m = layer.mask;
    if (m.width !== base.width || m.height !== base.height) {
      throw new BugError(`overlay mask ${m.width}×${m.height} ≠ image ${base.width}×${base.height}`);
    }
    paintLayer(out, m.data, layer.rgb, layer.alpha ?? 1);
  }
  return out;
}

function paintLayer(out: Uint8Array, mask: Uint8Array, rgb: Rgb8, alpha: number): void {
  const a = Math.round(Math.min(1, Math.max(0, alpha)) * 256); // fixed point, 256 = opaque
  const keep = 256 - a;
  const [r, g, b] = rgb;
  const pr = r * a + 128;
  const pg = g * a + 128;
  const pb = b * a + 128;
  for (let i = 0, j = 0; i < mask.length; i++, j += 3) {
    if (mask[i] === 0) continue;
    out[j] = (pr + out[j]! * keep) >> 8;
    out[j + 1] = (pg + out[j + 1]! * keep) >> 8;
    out[j + 2] = (pb + out[j + 2]! * keep) >> 8;
  }
}

/** 8-bit RGB for display: 16-bit values scaled linearly (0–65535 → 0–255, rounded); 8-bit copied. */
export function toRgb8(image: RgbImage): RgbBuffer8 {
  const src = image.data;
  if (image.bitDepth === 8) return { width: image.width, height: image.height, data: new Uint8Array(src) };
  const out = new Uint8Array(src.length);
  for (let i = 0; i < src.length; i++) out[i] = ((src[i]! + 128) / 257) | 0;
  return { width: image.width, height: image.height, data: out };
}

export interface OverlayFiles {
  readonly overlayPath: string;
  readonly referenceMaskPath: string;
  readonly mineralMaskPath: string;
}

/**
 * Writes `<baseName>_overlay.png` (image with reference and mineral outlines),
 * `<baseName>_reference.png` and `<baseName>_mineral.png` (8-bit grey, 0/255) into `outDir`
 * (which must exist: call `ensureWritableDir` once per run). Throws OUTPUT_UNWRITABLE on write failure.
 */
export async function writeOverlayFiles(o: {
  outDir: string;
  baseName: string;
  image: RgbImage;
  reference: Mask;
  mineral: Mask;
}): Promise<OverlayFiles> {
  if (o.baseName === '' || /[/\\]/.test(o.baseName)) throw new BugError(`unsafe overlay base name “${o.baseName}”`);
  const { width, height } = o.image;
  const t = outlineThicknessPx(width, height);
  const rgb = drawOverlayRgb(toRgb8(o.image), [
    { mask: maskOutline(o.reference, t), rgb: OVERLAY_COLOURS.reference },
    { mask: maskOutline(o.mineral, t), rgb: OVERLAY_COLOURS.mineral },
  ]);
  const files: OverlayFiles = {
    overlayPath: join(o.outDir, `${o.baseName}_overlay.png`),
    referenceMaskPath: join(o.outDir, `${o.baseName}_reference.png`),
    mineralMaskPath: join(o.outDir, `${o.baseName}_mineral.png`),
  };
  await writeFileAtomic(files.overlayPath, await encodePng(rgb, width, height, 3));
  await writeFileAtomic(files.referenceMaskPath, await encodePng(binary255(o.reference), width, height, 1));
  await writeFileAtomic(files.mineralMaskPath, await encodePng(binary255(o.mineral), width, height, 1));
  return files;
}

function binary255(mask: Mask): Uint8Array {
  const d = mask.data;
  const out = new Uint8Array(d.length);
  for (let i = 0; i < d.length; i++) out[i] = d[i] === 0 ? 0 : 255;
  return out;
}

async function encodePng(data: Uint8Array, width: number, height: number, channels: 1 | 3): Promise<Uint8Array> {
  if (data.length !== width * height * channels) {
    throw new BugError(`PNG data has ${data.length} values, expected ${width}×${height}×${channels}`);
  }
  const img = sharp(data, { raw: { width, height, channels }, limitInputPixels: false });
  // without b-w, sharp expands raw single-channel input to an RGB PNG
  return (channels === 1 ? img.toColourspace('b-w') : img).png().toBuffer();
}

// Characters Windows forbids in file names, plus control characters.
// eslint-disable-next-line no-control-regex
const ILLEGAL_FILE_CHARS = /[<>:"/\\|?*\u0000-\u001f\u007f]/g;
const WINDOWS_RESERVED = /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³])$/i;
const MAX_BASE_NAME_CHARS = 100;

/**
 * A file-name-safe, unique (case-insensitively, for Windows/macOS) base name for an image's output
 * files: the file name without extension, NFC-normalized, Windows-illegal characters → `_`,
 * non-ASCII letters kept; `a.tif` from two folders → `a`, `a_2`, … `taken` is this output folder's
 * bookkeeping (lower-cased keys); the chosen name is added to it.
 */
export function safeBaseName(imagePath: string, taken: Set<string>): string {
  const base = sanitizeFileStem(fileStem(imagePath));
  let candidate = base;
  for (let n = 2; taken.has(candidate.toLowerCase()); n++) candidate = `${base}_${n}`;
  taken.add(candidate.toLowerCase());
  return candidate;
}

/** Last path segment (either separator) without its extension. */
function fileStem(path: string): string {
  const name = path.split(/[/\\]/).filter((s) => s !== '').pop() ?? '';
  const dot = name.lastIndexOf('.');
  return dot > 0 ? name.slice(0, dot) : name;
}

function sanitizeFileStem(stem: string): string {
  let s = stem.normalize('NFC').replace(ILLEGAL_FILE_CHARS, '_');
  s = Array.from(s).slice(0, MAX_BASE_NAME_CHARS).join(''); // by code point: never split a surrogate pair
  s = s.trimStart().replace(/^\.+/, (m) => '_'.repeat(m.length)); // no hidden files
  s = s.replace(/[\s.]+$/, ''); // Windows drops trailing dots and spaces
  if (s === '') return 'image';
  // Windows reserves CON, NUL, COM1 … also before any extension (`nul.x_overlay.png`)
  return s.replace(/^[^.]*/, (head) => (WINDOWS_RESERVED.test(head) ? `${head}_` : head));
}
