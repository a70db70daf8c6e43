/**
 * The only place where screen and image coordinates meet (STYLE §9).
 *
 * `ImagePx`: full-resolution image pixels, origin at the image's top-left corner (src/common/roi.ts).
 * `ScreenPx`: CSS pixels relative to the viewer element's top-left corner.
 * The viewer shows the image unrotated, so the mapping is a uniform scale plus an offset:
 *   screen = offset + scale · image
 */
import type { ImagePx } from '../../src/common/roi.js';

export type { ImagePx };
export type ScreenPx = number & { readonly __brand: 'ScreenPx' };

export type ImagePoint = readonly [x: ImagePx, y: ImagePx];
export type ScreenPoint = readonly [x: ScreenPx, y: ScreenPx];

export interface ViewTransform {
  /** Screen pixels per image pixel (> 0). */
  readonly scale: number;
  /** Where the image origin is on screen. */
  readonly offsetX: ScreenPx;
  readonly offsetY: ScreenPx;
}

export const IDENTITY_VIEW: ViewTransform = { scale: 1, offsetX: 0 as ScreenPx, offsetY: 0 as ScreenPx };

export const screenPoint = (x: number, y: number): ScreenPoint => [x as ScreenPx, y as ScreenPx];
export const imagePoint = (x: number, y: number): ImagePoint => [x as ImagePx, y as ImagePx];

/** The transform from where the viewer puts two image points: the origin and (1, 0)·`unitPx`. */
export function viewFromSamples(origin: { x: number; y: number }, along: { x: number; y: number }, unitPx: number): ViewTransform | null {
  const scale = (along.x - origin.x) / unitPx;
  if (!(scale > 0) || !Number.isFinite(scale + origin.x + origin.y)) return null;
  return { scale, offsetX: origin.x as ScreenPx, offsetY: origin.y as ScreenPx };
}

export function toImage(t: ViewTransform, p: ScreenPoint): ImagePoint {
  return [((p[0] - t.offsetX) / t.scale) as ImagePx, ((p[1] - t.offsetY) / t.scale) as ImagePx];
}

export function toScreen(t: ViewTransform, p: readonly [number, number]): ScreenPoint {
  return [(t.offsetX + p[0] * t.scale) as ScreenPx, (t.offsetY + p[1] * t.scale) as ScreenPx];
}

/** A length on screen (brush size, tolerance) in image pixels at the current zoom. */
export function toImageLength(t: ViewTransform, len: number): ImagePx {
  return (len / t.scale) as ImagePx;
}

export function toScreenLength(t: ViewTransform, len: number): ScreenPx {
  return (len * t.scale) as ScreenPx;
}

/** Distance between two screen points. */
export function screenDistance(a: ScreenPoint, b: ScreenPoint): ScreenPx {
  return Math.hypot(a[0] - b[0], a[1] - b[1]) as ScreenPx;
}

/** Canvas matrix [a, b, c, d, e, f] that draws image-pixel paths on a canvas with `dpr` device pixels per CSS pixel. */
export function canvasMatrix(t: ViewTransform, dpr: number): [number, number, number, number, number, number] {
  return [t.scale * dpr, 0, 0, t.scale * dpr, t.offsetX * dpr, t.offsetY * dpr];
}

/** A pointer event's position relative to an element's box. */
export function screenPointOf(e: { clientX: number; clientY: number }, box: { left: number; top: number }): ScreenPoint {
  return screenPoint(e.clientX - box.left, e.clientY - box.top);
}
