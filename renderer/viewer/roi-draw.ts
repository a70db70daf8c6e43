/**
 * Plain drawing functions for the ROI overlay canvas: regions (include: outline in the region's
 * colour with a dark halo and a light fill; exclude: dashed vermillion, hatched), the selected
 * region's vertex handles and labels, and the sketches of gestures in progress.
 */
import { geometryBounds } from '../../src/common/roi-geometry.js';
import type { MultiPolygon, Roi, RoiId, RoiRole } from '../../src/common/roi.js';
import type { ToolSketch } from '../tools/types.js';
import { canvasMatrix, toScreen, type ScreenPoint, type ViewTransform } from './coords.js';
import { EXCLUDE_COLOUR, roiColour, roiDisplayName, roleColour, withAlpha } from './roi-style.js';

export interface DrawFrame {
  readonly g: CanvasRenderingContext2D;
  readonly view: ViewTransform;
  readonly dpr: number;
  /** CSS size of the canvas. */
  readonly widthPx: number;
  readonly heightPx: number;
}

const paths = new WeakMap<MultiPolygon, Path2D>();
/** One Path2D per geometry, in image pixels (drawn through the view's matrix). */
function pathOf(g: MultiPolygon): Path2D {
  let p = paths.get(g);
  if (!p) {
    p = new Path2D();
    for (const poly of g) for (const ring of poly) ring.forEach((q, i) => (i ? p!.lineTo(q[0], q[1]) : p!.moveTo(q[0], q[1])));
    p.closePath();
    paths.set(g, p);
  }
  return p;
}

const toImageSpace = (f: DrawFrame) => f.g.setTransform(...canvasMatrix(f.view, f.dpr));
const toScreenSpace = (f: DrawFrame) => f.g.setTransform(f.dpr, 0, 0, f.dpr, 0, 0);

/** The geometry's bounding box on screen, or null when it is off screen. */
function screenBox(f: DrawFrame, g: MultiPolygon) {
  const b = geometryBounds(g);
  if (!b) return null;
  const [x0, y0] = toScreen(f.view, [b.minX, b.minY]), [x1, y1] = toScreen(f.view, [b.maxX, b.maxY]);
  if (x1 < 0 || y1 < 0 || x0 > f.widthPx || y0 > f.heightPx) return null;
  return { x0, y0, x1, y1 };
}

function hatch(f: DrawFrame, path: Path2D, box: { x0: number; y0: number; x1: number; y1: number }, colour: string): void {
  const { g } = f;
  g.save();
  toImageSpace(f);
  g.clip(path, 'evenodd');
  toScreenSpace(f);
  const x0 = Math.max(box.x0, 0), x1 = Math.min(box.x1, f.widthPx), y0 = Math.max(box.y0, 0), y1 = Math.min(box.y1, f.heightPx);
  const h = y1 - y0;
  g.beginPath();
  for (let x = Math.floor((x0 - h) / 9) * 9; x < x1; x += 9) {
    g.moveTo(x, y1);
    g.lineTo(x + h, y0);
  }
  g.strokeStyle = withAlpha(colour, 0.6);
  g.lineWidth = 1.25;
  g.stroke();
  g.restore();
}

/** One region's shape: fill or hatch, dark halo, coloured outline (dashed for exclude). */
export function drawShape(f: DrawFrame, geometry: MultiPolygon, role: RoiRole, colour: string, o: { selected?: boolean; sketch?: boolean } = {}): void {
  const box = screenBox(f, geometry);
  if (!box) return;
  const { g, view } = f;
  const path = pathOf(geometry);
  if (role === 'exclude') hatch(f, path, box, colour);
  toImageSpace(f);
  if (role === 'include') {
    g.fillStyle = withAlpha(colour, o.selected ? 0.16 : 0.07);
    g.fill(path, 'evenodd');
  }
  g.lineJoin = 'round';
  g.setLineDash([]);
  g.lineWidth = (o.selected ? 5 : 3.6) / view.scale;
  g.strokeStyle = 'rgba(0, 0, 0, 0.6)';
  g.stroke(path);
  if (role === 'exclude' || o.sketch) g.setLineDash([7 / view.scale, 4 / view.scale]);
  g.lineWidth = (o.selected ? 2.6 : 1.7) / view.scale;
  g.strokeStyle = colour;
  g.stroke(path);
  g.setLineDash([]);
}

/** Small square handles on the vertices (spaced at least 5 px apart on screen). */
export function drawHandles(f: DrawFrame, geometry: MultiPolygon, colour: string): void {
  const { g } = f;
  toScreenSpace(f);
  g.lineWidth = 1;
  let last: ScreenPoint | null = null;
  for (const poly of geometry) {
    for (const ring of poly) {
      for (const q of ring.slice(0, -1)) {
        const [x, y] = toScreen(f.view, q);
        if (x < -5 || y < -5 || x > f.widthPx + 5 || y > f.heightPx + 5) continue;
        if (last && Math.abs(last[0] - x) < 5 && Math.abs(last[1] - y) < 5) continue;
        last = [x, y];
        g.fillStyle = '#ffffff';
        g.strokeStyle = 'rgba(0, 0, 0, 0.8)';
        g.fillRect(x - 3.5, y - 3.5, 7, 7);
        g.strokeRect(x - 3.5, y - 3.5, 7, 7);
        g.fillStyle = colour;
        g.fillRect(x - 1.5, y - 1.5, 3, 3);
      }
    }
  }
}

/** The region's name in a small tag at the top-left of its box (when it is big enough on screen). */
function drawTag(f: DrawFrame, text: string, colour: string, geometry: MultiPolygon): void {
  const box = screenBox(f, geometry);
  if (!box || box.x1 - box.x0 < 40 || box.y1 - box.y0 < 24) return;
  const { g } = f;
  toScreenSpace(f);
  g.font = '600 11px Inter, "Segoe UI", system-ui, sans-serif';
  const w = g.measureText(text).width + 10;
  const x = Math.max(2, box.x0), y = Math.max(2, box.y0 - 19);
  g.fillStyle = 'rgba(17, 19, 22, 0.82)';
  g.fillRect(x, y, w, 17);
  g.fillStyle = colour;
  g.fillRect(x, y, 3, 17);
  g.fillStyle = '#e4e7eb';
  g.fillText(text, x + 7, y + 12.5);
}

export interface RoiDrawOptions {
  readonly selectedId: RoiId | null;
  /** Regions a gesture is reshaping (drawn by their sketch instead). */
  readonly replaced: ReadonlySet<RoiId>;
  /** Vertex handles of the selected region (select tool). */
  readonly handles: boolean;
}

export function drawRois(f: DrawFrame, rois: readonly Roi[], o: RoiDrawOptions): void {
  const shown = rois.filter((r) => !r.hidden && !o.replaced.has(r.id));
  // Exclude regions under include regions; the selected one on top.
  const order = [...shown.filter((r) => r.role === 'exclude'), ...shown.filter((r) => r.role === 'include')];
  const sel = order.findIndex((r) => r.id === o.selectedId);
  if (sel >= 0) order.push(...order.splice(sel, 1));
  for (const r of order) drawShape(f, r.geometry, r.role, roiColour(r), { selected: r.id === o.selectedId });
  for (const r of order) if (r.role === 'include' || r.id === o.selectedId) drawTag(f, roiDisplayName(r, rois), roiColour(r), r.geometry);
  const selected = order.find((r) => r.id === o.selectedId);
  if (selected && o.handles) drawHandles(f, selected.geometry, roiColour(selected));
}

function drawOutline(f: DrawFrame, s: Extract<ToolSketch, { kind: 'outline' }>): void {
  const { g } = f;
  toScreenSpace(f);
  const pts = s.points.map((p) => toScreen(f.view, p));
  const colour = roleColour(s.role);
  const trace = (extra: ScreenPoint | null, close: boolean) => {
    g.beginPath();
    pts.forEach(([x, y], i) => (i ? g.lineTo(x, y) : g.moveTo(x, y)));
    if (extra) g.lineTo(extra[0], extra[1]);
    if (close) g.closePath();
  };
  g.lineJoin = g.lineCap = 'round';
  trace(null, s.closed);
  if (s.closed) {
    g.fillStyle = withAlpha(colour, 0.1);
    g.fill();
  }
  g.lineWidth = 3.6;
  g.strokeStyle = 'rgba(0, 0, 0, 0.6)';
  g.stroke();
  g.lineWidth = 1.8;
  g.strokeStyle = colour;
  g.stroke();
  if (s.rubber && pts.length) {
    const r = toScreen(f.view, s.rubber);
    g.beginPath();
    g.moveTo(pts[pts.length - 1]![0], pts[pts.length - 1]![1]);
    g.lineTo(r[0], r[1]);
    if (pts.length >= 2) g.lineTo(pts[0]![0], pts[0]![1]);
    g.setLineDash([5, 4]);
    g.lineWidth = 1.4;
    g.strokeStyle = withAlpha(colour, 0.9);
    g.stroke();
    g.setLineDash([]);
  }
  if (s.closed) return;
  pts.forEach(([x, y], i) => {
    g.beginPath();
    g.arc(x, y, i === 0 && s.closeHint ? 7 : 3.2, 0, Math.PI * 2);
    g.fillStyle = i === 0 && s.closeHint ? withAlpha(colour, 0.35) : '#ffffff';
    g.fill();
    g.lineWidth = 1.2;
    g.strokeStyle = i === 0 && s.closeHint ? colour : 'rgba(0, 0, 0, 0.8)';
    g.stroke();
  });
}

function drawStroke(f: DrawFrame, s: Extract<ToolSketch, { kind: 'stroke' }>): void {
  const { g } = f;
  toScreenSpace(f);
  const pts = s.points.map((p) => toScreen(f.view, p));
  const width = 2 * s.radiusImagePx * f.view.scale;
  const colour = s.mode === 'erase' ? '#ffffff' : roleColour(s.role);
  g.lineJoin = g.lineCap = 'round';
  g.beginPath();
  pts.forEach(([x, y], i) => (i ? g.lineTo(x, y) : g.moveTo(x, y)));
  if (pts.length === 1) g.lineTo(pts[0]![0] + 0.01, pts[0]![1]);
  g.lineWidth = width;
  g.strokeStyle = withAlpha(colour, s.mode === 'erase' ? 0.3 : 0.38);
  g.stroke();
}

function drawRing(f: DrawFrame, s: Extract<ToolSketch, { kind: 'ring' }>): void {
  const { g } = f;
  toScreenSpace(f);
  const [x, y] = s.at;
  const r = s.diameterPx / 2;
  g.beginPath();
  g.arc(x, y, r, 0, Math.PI * 2);
  g.lineWidth = 3;
  g.strokeStyle = 'rgba(0, 0, 0, 0.6)';
  g.stroke();
  g.setLineDash(s.mode === 'erase' ? [4, 3] : []);
  g.lineWidth = 1.4;
  g.strokeStyle = s.mode === 'erase' ? '#ffffff' : '#f5f5f5';
  g.stroke();
  g.setLineDash([]);
  g.beginPath();
  g.moveTo(x - 4, y);
  g.lineTo(x + 4, y);
  g.moveTo(x, y - 4);
  g.lineTo(x, y + 4);
  g.stroke();
}

export function drawSketches(f: DrawFrame, sketches: readonly ToolSketch[]): void {
  for (const s of sketches) {
    if (s.kind === 'outline') drawOutline(f, s);
    else if (s.kind === 'geometry') drawShape(f, s.geometry, s.role, s.role === 'exclude' ? EXCLUDE_COLOUR : (s.colour ?? roleColour(s.role)), { selected: true, sketch: !s.replaces });
    else if (s.kind === 'stroke') drawStroke(f, s);
    else drawRing(f, s);
  }
}

export function clearFrame(f: DrawFrame): void {
  f.g.setTransform(1, 0, 0, 1, 0, 0);
  f.g.clearRect(0, 0, f.g.canvas.width, f.g.canvas.height);
}
