/**
 * Brush and eraser: discs of the brush diameter (set in screen px, so the same at any zoom)
 * along the stroke. The brush adds to the selected region when it has the role being painted,
 * else paints a new region; the eraser removes from the selected region, or from every visible
 * region under the stroke when none is selected (a region erased completely is deleted).
 */
import { brushStrokeGeometry, differenceGeometry, geometryAreaPx, geometryBounds, unionGeometry } from '../../src/common/roi-geometry.js';
import type { MultiPolygon, Roi } from '../../src/common/roi.js';
import { screenDistance, toImageLength, type ImagePoint, type ImagePx, type ScreenPoint, type ScreenPx } from '../viewer/coords.js';
import { roiById } from './hit-test.js';
import { finishGeometry, MIN_AREA_PX, newRoi } from './new-roi.js';
import type { RoiPatch, RoiUpdate } from './roi-patch.js';
import type { Tool, ToolContext, ToolSketch } from './types.js';

const MIN_STEP_PX = 2;

const overlaps = (a: MultiPolygon, b: MultiPolygon) => {
  const p = geometryBounds(a), q = geometryBounds(b);
  return !!p && !!q && p.minX <= q.maxX && q.minX <= p.maxX && p.minY <= q.maxY && q.minY <= p.maxY;
};

/** The patch of a brush stroke (`stroke` already in image px). */
export function paintPatch(stroke: MultiPolygon, ctx: Pick<ToolContext, 'rois' | 'selectedId' | 'role' | 'imageSize'>): { patch: RoiPatch; select: Roi['id'] } | null {
  const g = finishGeometry(stroke, ctx.imageSize);
  if (!g) return null;
  const target = roiById(ctx.rois, ctx.selectedId);
  if (target && target.role === ctx.role && !target.hidden) {
    const after = { ...target, geometry: unionGeometry(target.geometry, g) };
    return { patch: { added: [], updated: [{ before: target, after }], removed: [] }, select: target.id };
  }
  const roi = newRoi(ctx.rois, ctx.role, 'brush', g);
  return { patch: { added: [roi], updated: [], removed: [] }, select: roi.id };
}

/** The patch of an eraser stroke, or null when it touched nothing. */
export function erasePatch(stroke: MultiPolygon, ctx: Pick<ToolContext, 'rois' | 'selectedId'>): RoiPatch | null {
  const selected = roiById(ctx.rois, ctx.selectedId);
  const targets = selected ? [selected] : ctx.rois.filter((r) => !r.hidden);
  const updated: RoiUpdate[] = [];
  const removed: Roi[] = [];
  for (const r of targets) {
    if (!overlaps(r.geometry, stroke)) continue;
    const before = geometryAreaPx(r.geometry);
    const geometry = differenceGeometry(r.geometry, stroke);
    const after = geometryAreaPx(geometry);
    if (after < MIN_AREA_PX) removed.push(r);
    else if (Math.abs(after - before) > 1e-6) updated.push({ before: r, after: { ...r, geometry } });
  }
  return updated.length || removed.length ? { added: [], updated, removed } : null;
}

export function createBrushTool(mode: 'paint' | 'erase'): Tool {
  let points: ImagePoint[] = [];
  let lastScreen: ScreenPoint | null = null;
  let hover: ScreenPoint | null = null;
  let diameterPx = 0 as ScreenPx;
  let radiusImagePx = 0 as ImagePx;
  let drawing = false;
  const reset = () => {
    points = [];
    lastScreen = null;
    drawing = false;
  };
  return {
    id: mode === 'paint' ? 'brush' : 'eraser',
    get state() {
      return drawing ? 'drawing' : 'idle';
    },
    down(p, ctx) {
      if (p.button !== 0) return false;
      drawing = true;
      diameterPx = ctx.brushDiameterPx;
      radiusImagePx = toImageLength(ctx.view, diameterPx / 2);
      points = [p.image];
      lastScreen = hover = p.screen;
      return true;
    },
    move(p) {
      hover = p.screen;
      if (!drawing || (lastScreen && screenDistance(lastScreen, p.screen) < MIN_STEP_PX)) return;
      points.push(p.image);
      lastScreen = p.screen;
    },
    up(p, ctx) {
      if (!drawing) return;
      points.push(p.image);
      const pts = points;
      reset();
      // The stroke keeps the image size it had at the press, even if the view zoomed meanwhile.
      const stroke = brushStrokeGeometry(pts, radiusImagePx);
      if (mode === 'paint') {
        const r = paintPatch(stroke, ctx);
        if (r) ctx.commit(r.patch, r.select);
      } else {
        const patch = erasePatch(stroke, ctx);
        if (patch) ctx.commit(patch);
      }
    },
    doubleClick: () => false,
    key(k) {
      if (drawing && k === 'Escape') return reset(), true;
      return false;
    },
    cancel: reset,
    leave() {
      hover = null;
    },
    sketch(ctx): ToolSketch[] {
      const out: ToolSketch[] = [];
      if (drawing) out.push({ kind: 'stroke', points, radiusImagePx, mode, role: ctx.role });
      if (hover) out.push({ kind: 'ring', at: hover, diameterPx: drawing ? diameterPx : ctx.brushDiameterPx, mode });
      return out;
    },
    cursor: () => 'none',
  };
}
