/** Freehand lasso: press, draw, release closes; simplified (RDP) to within half a screen pixel. */
import { freehandGeometry } from '../../src/common/roi-geometry.js';
import { screenDistance, toImageLength, type ImagePoint, type ScreenPoint } from '../viewer/coords.js';
import { finishGeometry, newRoi } from './new-roi.js';
import type { Tool, ToolSketch } from './types.js';

/** Points closer than this on screen are not recorded. */
const MIN_STEP_PX = 1.5;
/** RDP tolerance on screen: the outline stays within this of the drawn path. */
export const FREEHAND_TOLERANCE_PX = 0.5;

export function createFreehandTool(): Tool {
  let points: ImagePoint[] = [];
  let lastScreen: ScreenPoint | null = null;
  let drawing = false;
  const reset = () => {
    points = [];
    lastScreen = null;
    drawing = false;
  };
  return {
    id: 'freehand',
    get state() {
      return drawing ? 'drawing' : 'idle';
    },
    down(p) {
      if (p.button !== 0) return false;
      drawing = true;
      points = [p.image];
      lastScreen = p.screen;
      return true;
    },
    move(p) {
      if (!drawing || (lastScreen && screenDistance(lastScreen, p.screen) < MIN_STEP_PX)) return;
      points.push(p.image);
      lastScreen = p.screen;
    },
    up(p, ctx) {
      if (!drawing) return;
      if (!lastScreen || screenDistance(lastScreen, p.screen) > 0) points.push(p.image);
      const pts = points;
      reset();
      if (pts.length < 3) return;
      const g = finishGeometry(freehandGeometry(pts, toImageLength(ctx.view, FREEHAND_TOLERANCE_PX)), ctx.imageSize);
      if (!g) return;
      const roi = newRoi(ctx.rois, ctx.role, 'freehand', g);
      ctx.commit({ added: [roi], updated: [], removed: [] }, roi.id);
    },
    doubleClick: () => false,
    key(k) {
      if (drawing && k === 'Escape') return reset(), true;
      return false;
    },
    cancel: reset,
    leave() {},
    sketch(ctx): ToolSketch[] {
      return drawing ? [{ kind: 'outline', points, closed: true, role: ctx.role }] : [];
    },
    cursor: () => 'crosshair',
  };
}
