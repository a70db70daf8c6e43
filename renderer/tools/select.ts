/**
 * Select / move / edit vertices. Click a region to select it, drag it to move it; drag a vertex
 * of the selected region to reshape it, Alt-click a vertex to remove it, double-click an edge to
 * add one. A press on empty image deselects and is left to the viewer (pan). Escape cancels a drag.
 */
import { translateGeometry } from '../../src/common/roi-geometry.js';
import type { MultiPolygon, Roi } from '../../src/common/roi.js';
import { screenDistance, toImageLength, type ImagePoint, type ScreenPoint } from '../viewer/coords.js';
import { distanceToEdges, insertVertex, moveVertex, moveVertexRaw, nearestEdge, nearestVertex, pointInGeometry, removeVertex, roiAt, roiById, vertexCount, type VertexRef } from './hit-test.js';
import { finishGeometry } from './new-roi.js';
import type { Tool, ToolContext, ToolPointer, ToolSketch } from './types.js';

/** Regions with more vertices than this are moved whole, not edited vertex by vertex. */
export const MAX_EDIT_VERTICES = 2000;
/** Vertex editing is for polygons (and rectangles, which become polygons); curves and strokes are redrawn or brushed. */
const EDITABLE_TOOLS: ReadonlySet<Roi['tool']> = new Set(['polygon', 'rectangle']);
const VERTEX_HIT_PX = 7;
const EDGE_HIT_PX = 5;
const MIN_MOVE_PX = 2;

type Drag =
  | { readonly kind: 'move'; readonly roi: Roi; readonly from: ImagePoint; readonly fromScreen: ScreenPoint; to: ImagePoint; toScreen: ScreenPoint }
  | { readonly kind: 'vertex'; readonly roi: Roi; readonly ref: VertexRef; to: ImagePoint };

export const isVertexEditable = (r: Roi) => EDITABLE_TOOLS.has(r.tool) && vertexCount(r.geometry) <= MAX_EDIT_VERTICES;

export function createSelectTool(): Tool {
  let drag: Drag | null = null;
  let hover: ToolPointer | null = null;

  const tol = (ctx: ToolContext, px: number) => toImageLength(ctx.view, px);
  const selectedOf = (ctx: ToolContext) => {
    const r = roiById(ctx.rois, ctx.selectedId);
    return r && !r.hidden ? r : null;
  };
  const vertexAt = (ctx: ToolContext, p: ToolPointer) => {
    const sel = selectedOf(ctx);
    if (!sel || !isVertexEditable(sel)) return null;
    const ref = nearestVertex(sel.geometry, p.image, tol(ctx, VERTEX_HIT_PX));
    return ref ? { roi: sel, ref } : null;
  };
  const regionAt = (ctx: ToolContext, p: ToolPointer) => {
    const sel = selectedOf(ctx);
    if (sel && (pointInGeometry(sel.geometry, p.image) || distanceToEdges(sel.geometry, p.image) <= tol(ctx, EDGE_HIT_PX))) return sel;
    return roiAt(ctx.rois, p.image, tol(ctx, EDGE_HIT_PX));
  };
  const update = (ctx: ToolContext, roi: Roi, g: MultiPolygon) => {
    const geometry = finishGeometry(g, ctx.imageSize);
    if (geometry) ctx.commit({ added: [], updated: [{ before: roi, after: { ...roi, geometry } }], removed: [] }, roi.id);
  };

  return {
    id: 'select',
    get state() {
      return drag ? 'drawing' : 'idle';
    },
    down(p, ctx) {
      if (p.button !== 0) return false;
      hover = p;
      const v = vertexAt(ctx, p);
      if (v && p.altKey) {
        const g = removeVertex(v.roi.geometry, v.ref);
        if (g) update(ctx, v.roi, g);
        return true;
      }
      if (v) {
        drag = { kind: 'vertex', roi: v.roi, ref: v.ref, to: p.image };
        return true;
      }
      const hit = regionAt(ctx, p);
      if (!hit) {
        if (ctx.selectedId) ctx.select(null);
        return false;
      }
      if (hit.id !== ctx.selectedId) ctx.select(hit.id);
      drag = { kind: 'move', roi: hit, from: p.image, fromScreen: p.screen, to: p.image, toScreen: p.screen };
      return true;
    },
    move(p) {
      hover = p;
      if (!drag) return;
      drag.to = p.image;
      if (drag.kind === 'move') drag.toScreen = p.screen;
    },
    up(p, ctx) {
      const d = drag;
      drag = null;
      if (!d) return;
      if (d.kind === 'vertex') {
        const at = d.roi.geometry[d.ref.poly]![d.ref.ring]![d.ref.index]!;
        if (toImageLength(ctx.view, MIN_MOVE_PX) > Math.hypot(p.image[0] - at[0], p.image[1] - at[1])) return;
        const g = moveVertex(d.roi.geometry, d.ref, p.image);
        if (g.length) update(ctx, d.roi, g);
        return;
      }
      if (screenDistance(d.fromScreen, p.screen) < MIN_MOVE_PX) return;
      update(ctx, d.roi, translateGeometry(d.roi.geometry, p.image[0] - d.from[0], p.image[1] - d.from[1]));
    },
    doubleClick(p, ctx) {
      const sel = selectedOf(ctx);
      if (!sel || !isVertexEditable(sel)) return false;
      const edge = nearestEdge(sel.geometry, p.image, tol(ctx, EDGE_HIT_PX));
      if (!edge || nearestVertex(sel.geometry, p.image, tol(ctx, VERTEX_HIT_PX))) return !!edge;
      update(ctx, sel, insertVertex(sel.geometry, edge, p.image));
      return true;
    },
    key(k) {
      if (drag && k === 'Escape') return (drag = null), true;
      return false;
    },
    cancel() {
      drag = null;
    },
    leave() {
      hover = null;
    },
    sketch(): ToolSketch[] {
      if (!drag) return [];
      const { roi } = drag;
      const geometry =
        drag.kind === 'vertex'
          ? moveVertexRaw(roi.geometry, drag.ref, drag.to)
          : translateGeometry(roi.geometry, drag.to[0] - drag.from[0], drag.to[1] - drag.from[1]);
      return [{ kind: 'geometry', geometry, role: roi.role, ...(roi.colour ? { colour: roi.colour } : {}), replaces: roi.id }];
    },
    cursor(ctx) {
      if (drag) return drag.kind === 'move' ? 'move' : 'crosshair';
      if (!hover) return 'default';
      if (vertexAt(ctx, hover)) return 'crosshair';
      return regionAt(ctx, hover) ? 'move' : 'grab';
    },
  };
}
