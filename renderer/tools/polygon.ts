/**
 * Polygon: click to add points; double-click, Enter or a click on the first point closes it;
 * Backspace removes the last point; Escape cancels.
 */
import { polygonGeometry } from '../../src/common/roi-geometry.js';
import { screenDistance, toScreen, type ImagePoint } from '../viewer/coords.js';
import { finishGeometry, newRoi } from './new-roi.js';
import type { Tool, ToolContext, ToolPointer, ToolSketch } from './types.js';

/** Two presses closer than this in time and space are a double click. */
export const DOUBLE_CLICK_MS = 400;
const DOUBLE_CLICK_PX = 6;
/** A press this close to the first point closes the polygon. */
const CLOSE_PX = 8;

export function createPolygonTool(): Tool {
  let points: ImagePoint[] = [];
  let pointer: ToolPointer | null = null;
  let lastDown: ToolPointer | null = null;

  const reset = () => {
    points = [];
    lastDown = null;
  };

  function close(ctx: ToolContext): boolean {
    if (points.length < 3) return false;
    const g = finishGeometry(polygonGeometry(points), ctx.imageSize);
    reset();
    if (!g) return true;
    const roi = newRoi(ctx.rois, ctx.role, 'polygon', g);
    ctx.commit({ added: [roi], updated: [], removed: [] }, roi.id);
    return true;
  }

  const nearFirst = (p: ToolPointer, ctx: ToolContext) =>
    points.length >= 3 && screenDistance(toScreen(ctx.view, points[0]!), p.screen) <= CLOSE_PX;

  return {
    id: 'polygon',
    get state() {
      return points.length ? 'drawing' : 'idle';
    },
    down(p, ctx) {
      if (p.button !== 0) return false;
      pointer = p;
      const isDouble = !!lastDown && p.timeMs - lastDown.timeMs <= DOUBLE_CLICK_MS && screenDistance(lastDown.screen, p.screen) <= DOUBLE_CLICK_PX;
      lastDown = p;
      if (points.length && (isDouble || nearFirst(p, ctx))) {
        if (close(ctx)) return true;
      }
      if (isDouble) return true;
      const last = points[points.length - 1];
      if (!last || screenDistance(toScreen(ctx.view, last), p.screen) > 1) points.push(p.image);
      return true;
    },
    move(p) {
      pointer = p;
    },
    up() {},
    doubleClick(_p, ctx) {
      if (!points.length) return false;
      close(ctx);
      return true;
    },
    key(k, ctx) {
      if (!points.length) return false;
      if (k === 'Escape') return reset(), true;
      if (k === 'Enter') return close(ctx) || true;
      if (k === 'Backspace' || k === 'Delete') {
        points.pop();
        if (!points.length) reset();
        return true;
      }
      return false;
    },
    cancel: reset,
    leave() {
      pointer = null;
    },
    sketch(ctx): ToolSketch[] {
      if (!points.length) return [];
      const closeHint = !!pointer && nearFirst(pointer, ctx);
      return [{ kind: 'outline', points, closed: false, role: ctx.role, closeHint, ...(pointer ? { rubber: pointer.image } : {}) }];
    },
    cursor: () => 'crosshair',
  };
}
