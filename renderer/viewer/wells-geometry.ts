/** Plate wells in full-resolution image pixels: hit testing and the edits a user makes in the viewer. */
import type { PlateWellView } from '../../src/common/api.js';

export type Well = Pick<PlateWellView, 'id' | 'cx' | 'cy' | 'radiusPx'>;

/** The well under an image point (the closest centre relative to its radius), or null. */
export function wellAt<W extends Well>(wells: readonly W[], x: number, y: number): W | null {
  let best: W | null = null, bestRel = 1;
  for (const w of wells) {
    const rel = Math.hypot(x - w.cx, y - w.cy) / w.radiusPx;
    if (rel <= bestRel) (best = w), (bestRel = rel);
  }
  return best;
}

const MIN_RADIUS_PX = 4;

/** The wells with one moved by (dx, dy) image pixels. */
export function moveWell<W extends Well>(wells: readonly W[], id: string, dx: number, dy: number): W[] {
  return wells.map((w) => (w.id === id ? { ...w, cx: w.cx + dx, cy: w.cy + dy } : w));
}

/** The wells with one resized so that its edge passes through (x, y). */
export function resizeWellTo<W extends Well>(wells: readonly W[], id: string, x: number, y: number): W[] {
  return wells.map((w) => (w.id === id ? { ...w, radiusPx: Math.max(MIN_RADIUS_PX, Math.hypot(x - w.cx, y - w.cy)) } : w));
}

export function medianRadius(wells: readonly Well[]): number | null {
  if (!wells.length) return null;
  const r = wells.map((w) => w.radiusPx).sort((a, b) => a - b);
  const m = r.length >> 1;
  return r.length % 2 ? r[m]! : (r[m - 1]! + r[m]!) / 2;
}

/** Adds (or replaces) well `id` centred at (x, y), with the other wells' median radius. */
export function placeWell(wells: readonly Well[], id: string, x: number, y: number, fallbackRadiusPx: number): Well[] {
  const radiusPx = medianRadius(wells.filter((w) => w.id !== id)) ?? fallbackRadiusPx;
  return [...wells.filter((w) => w.id !== id), { id, cx: x, cy: y, radiusPx }];
}

/** Plain well records (what setPlateWells stores). */
export const plainWells = (wells: readonly Well[]): Well[] => wells.map(({ id, cx, cy, radiusPx }) => ({ id, cx, cy, radiusPx }));
