/**
 * Rectangle and ellipse: press at one corner, drag to the other. Shift keeps it square / round;
 * Alt draws from the centre. A press without a drag (under 3 screen px) draws nothing.
 */
import { ellipseGeometry, rectangleGeometry } from '../../src/common/roi-geometry.js';
import type { MultiPolygon } from '../../src/common/roi.js';
import { screenDistance, type ImagePoint, type ScreenPoint } from '../viewer/coords.js';
import { finishGeometry, newRoi } from './new-roi.js';
import type { Tool, ToolPointer, ToolSketch } from './types.js';

const MIN_DRAG_PX = 3;

/** The box (x0, y0, x1, y1) in image px between the press and the pointer, with the modifiers applied. */
export function dragBox(start: ImagePoint, p: Pick<ToolPointer, 'image' | 'shiftKey' | 'altKey'>): [number, number, number, number] {
  let dx = p.image[0] - start[0], dy = p.image[1] - start[1];
  if (p.shiftKey) {
    const m = Math.max(Math.abs(dx), Math.abs(dy));
    dx = Math.sign(dx || 1) * m;
    dy = Math.sign(dy || 1) * m;
  }
  return p.altKey ? [start[0] - dx, start[1] - dy, start[0] + dx, start[1] + dy] : [start[0], start[1], start[0] + dx, start[1] + dy];
}

export function shapeGeometry(kind: 'rectangle' | 'ellipse', box: readonly [number, number, number, number]): MultiPolygon {
  const [x0, y0, x1, y1] = box;
  if (kind === 'rectangle') return rectangleGeometry(x0, y0, x1, y1);
  return ellipseGeometry((x0 + x1) / 2, (y0 + y1) / 2, Math.abs(x1 - x0) / 2, Math.abs(y1 - y0) / 2);
}

export function createShapeTool(kind: 'rectangle' | 'ellipse'): Tool {
  let start: { image: ImagePoint; screen: ScreenPoint } | null = null;
  let last: ToolPointer | null = null;
  const reset = () => {
    start = null;
    last = null;
  };
  const dragged = (p: ToolPointer) => !!start && screenDistance(start.screen, p.screen) >= MIN_DRAG_PX;
  return {
    id: kind,
    get state() {
      return start ? 'drawing' : 'idle';
    },
    down(p) {
      if (p.button !== 0) return false;
      start = { image: p.image, screen: p.screen };
      last = p;
      return true;
    },
    move(p) {
      if (start) last = p;
    },
    up(p, ctx) {
      if (!start) return;
      const from = start.image;
      const ok = dragged(p);
      reset();
      if (!ok) return;
      const g = finishGeometry(shapeGeometry(kind, dragBox(from, p)), ctx.imageSize);
      if (!g) return;
      const roi = newRoi(ctx.rois, ctx.role, kind, g);
      ctx.commit({ added: [roi], updated: [], removed: [] }, roi.id);
    },
    doubleClick: () => false,
    key(k) {
      if (start && k === 'Escape') return reset(), true;
      return false;
    },
    cancel: reset,
    leave() {},
    sketch(ctx): ToolSketch[] {
      if (!start || !last || !dragged(last)) return [];
      return [{ kind: 'geometry', geometry: shapeGeometry(kind, dragBox(start.image, last)), role: ctx.role }];
    },
    cursor: () => 'crosshair',
  };
}
