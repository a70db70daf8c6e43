/**
 * Plate wells over the deep-zoom image: an SVG above OpenSeadragon with one ring per well (A1…),
 * redrawn on every viewport change. Clicks on the image pick wells (metadata) or place a new well;
 * when the wells are set by hand, a ring drags the well and its handle resizes it. The gesture
 * lives here (plain DOM, never React or the store); only the finished edit is reported.
 */
import type { PlateWellView } from '../../src/common/api.js';
import { screenPointOf, toImage, toScreen, toScreenLength, type ViewTransform } from './coords.js';
import { moveWell, resizeWellTo, wellAt, type Well } from './wells-geometry.js';

/** What the layer needs of the viewer (ViewerController). */
export interface WellsHost {
  /** The element the image fills; screen coordinates are relative to it. */
  readonly element: HTMLElement;
  viewTransform(): ViewTransform | null;
  onViewportUpdate(cb: () => void): () => void;
}

export interface WellsView {
  readonly wells: readonly PlateWellView[];
  /** Wells set by hand: rings and handles can be dragged. */
  readonly editable: boolean;
  readonly selected: ReadonlySet<string>;
  /** A second line under the well id (the group), by well. */
  readonly notes: ReadonlyMap<string, string>;
  /** A well id waiting to be placed by a click, or null. */
  readonly addId: string | null;
}

export interface WellsLayerCallbacks {
  /** A drag or resize finished: the whole new list. */
  onCommit(wells: Well[]): void;
  /** A click on the image: the well under it (null: none). */
  onPick(wellId: string | null, mode: 'only' | 'toggle' | 'range'): void;
  /** A click while a well id waits to be placed: the image point. */
  onPlace(xPx: number, yPx: number): void;
}

const NS = 'http://www.w3.org/2000/svg';
type Drag = { id: string; mode: 'move' | 'resize'; pointerId: number; startX: number; startY: number; base: Well[] };
/** A press that moved less than this (screen px) and was short is a click, not a pan. */
const CLICK_SLOP_PX = 4;
const CLICK_MS = 500;

export class WellsLayer {
  private view: WellsView = { wells: [], editable: false, selected: new Set(), notes: new Map(), addId: null };
  /** Wells as drawn (differs from view.wells during a drag). */
  private drawn: Well[] = [];
  private drag: Drag | null = null;
  private press: { x: number; y: number; t: number } | null = null;
  private readonly offViewport: () => void;

  constructor(private readonly svg: SVGSVGElement, private readonly host: WellsHost, private readonly cb: WellsLayerCallbacks) {
    this.offViewport = host.onViewportUpdate(() => this.position());
    host.element.addEventListener('pointerdown', this.onPress, true);
    host.element.addEventListener('pointerup', this.onRelease, true);
    svg.addEventListener('pointerdown', this.onDown);
    svg.addEventListener('pointermove', this.onMove);
    svg.addEventListener('pointerup', this.onUp);
    svg.addEventListener('pointercancel', this.onCancel);
    window.addEventListener('keydown', this.onKey, true);
  }

  update(view: WellsView): void {
    this.view = view;
    if (!this.drag) this.drawn = view.wells.map((w) => ({ ...w }));
    this.host.element.classList.toggle('placing-well', !!view.addId);
    this.rebuild();
  }

  destroy(): void {
    this.offViewport();
    this.host.element.removeEventListener('pointerdown', this.onPress, true);
    this.host.element.removeEventListener('pointerup', this.onRelease, true);
    this.svg.removeEventListener('pointerdown', this.onDown);
    this.svg.removeEventListener('pointermove', this.onMove);
    this.svg.removeEventListener('pointerup', this.onUp);
    this.svg.removeEventListener('pointercancel', this.onCancel);
    window.removeEventListener('keydown', this.onKey, true);
    this.host.element.classList.remove('placing-well');
    this.svg.replaceChildren();
  }

  /** The image pixel under a pointer event. */
  private imageAt(e: { clientX: number; clientY: number }): { x: number; y: number } | null {
    const t = this.host.viewTransform();
    if (!t) return null;
    const [x, y] = toImage(t, screenPointOf(e, this.host.element.getBoundingClientRect()));
    return { x, y };
  }

  /** One <g> per well: visible ring, wide invisible ring (drag), handles, labels. */
  private rebuild(): void {
    const { editable, selected, notes } = this.view;
    const groups = this.drawn.map((w) => {
      const g = document.createElementNS(NS, 'g');
      g.setAttribute('class', `well${selected.has(w.id) ? ' selected' : ''}${(w as PlateWellView).found === false ? ' placed' : ''}${editable ? ' editable' : ''}`);
      g.setAttribute('data-well', w.id);
      const circle = (cls: string) => {
        const c = document.createElementNS(NS, 'circle');
        c.setAttribute('class', cls);
        g.appendChild(c);
      };
      circle('ring');
      if (editable) ['ring-hit', 'handle-move', 'handle-resize'].forEach(circle);
      const label = document.createElementNS(NS, 'text');
      label.setAttribute('class', 'well-id');
      label.textContent = w.id;
      g.appendChild(label);
      const note = notes.get(w.id);
      if (note) {
        const t = document.createElementNS(NS, 'text');
        t.setAttribute('class', 'well-note');
        t.textContent = note;
        g.appendChild(t);
      }
      return g;
    });
    this.svg.replaceChildren(...groups);
    this.svg.setAttribute('data-wells', String(this.drawn.length));
    this.svg.classList.toggle('editable', editable);
    this.position();
  }

  /** Screen positions of everything, from the current (animated) viewport. */
  private position(): void {
    const t = this.host.viewTransform();
    const nodes = this.svg.children;
    if (!t || nodes.length !== this.drawn.length) return;
    this.drawn.forEach((w, i) => {
      const [x, y] = toScreen(t, [w.cx, w.cy]);
      const c = { x, y };
      const r = Math.max(1, toScreenLength(t, w.radiusPx));
      const g = nodes[i]!;
      const show = r >= 9;
      for (const el of g.children) {
        const cls = el.getAttribute('class');
        if (cls === 'ring' || cls === 'ring-hit') setAttrs(el, { cx: c.x, cy: c.y, r });
        else if (cls === 'handle-move') setAttrs(el, { cx: c.x, cy: c.y, r: 4.5 });
        else if (cls === 'handle-resize') setAttrs(el, { cx: c.x + r, cy: c.y, r: 5 });
        else if (cls === 'well-id') setAttrs(el, { x: c.x, y: c.y - r * 0.72, display: show ? 'inline' : 'none' });
        else if (cls === 'well-note') setAttrs(el, { x: c.x, y: c.y + r * 0.72 + 4, display: r >= 26 ? 'inline' : 'none' });
      }
    });
  }

  /** A click on the image (not a pan): pick the well under it, or place the waiting well. */
  private readonly onPress = (e: PointerEvent) => {
    this.press = e.button === 0 && !this.drag ? { x: e.clientX, y: e.clientY, t: e.timeStamp } : null;
  };

  private readonly onRelease = (e: PointerEvent) => {
    const p0 = this.press;
    this.press = null;
    if (!p0 || this.drag || Math.hypot(e.clientX - p0.x, e.clientY - p0.y) > CLICK_SLOP_PX || e.timeStamp - p0.t > CLICK_MS) return;
    const p = this.imageAt(e);
    if (!p) return;
    if (this.view.addId) return this.cb.onPlace(p.x, p.y);
    if (!this.view.wells.length) return;
    const mode = e.shiftKey ? 'range' : e.ctrlKey || e.metaKey ? 'toggle' : 'only';
    this.cb.onPick(wellAt(this.view.wells, p.x, p.y)?.id ?? null, mode);
  };

  private readonly onDown = (e: PointerEvent) => {
    const target = e.target as Element;
    const cls = target.getAttribute('class');
    const id = target.parentElement?.getAttribute('data-well');
    if (!this.view.editable || !id || (cls !== 'ring-hit' && cls !== 'handle-move' && cls !== 'handle-resize') || e.button !== 0) return;
    const p = this.imageAt(e);
    if (!p) return;
    e.preventDefault();
    e.stopPropagation();
    target.setPointerCapture(e.pointerId);
    this.drag = { id, mode: cls === 'handle-resize' ? 'resize' : 'move', pointerId: e.pointerId, startX: p.x, startY: p.y, base: this.view.wells.map((w) => ({ ...w })) };
    this.svg.classList.add('dragging');
  };

  private readonly onMove = (e: PointerEvent) => {
    const d = this.drag;
    if (!d || e.pointerId !== d.pointerId) return;
    const p = this.imageAt(e);
    if (!p) return;
    this.drawn = d.mode === 'move' ? moveWell(d.base, d.id, p.x - d.startX, p.y - d.startY) : resizeWellTo(d.base, d.id, p.x, p.y);
    this.position();
  };

  private readonly onUp = (e: PointerEvent) => {
    const d = this.drag;
    if (!d || e.pointerId !== d.pointerId) return;
    this.drag = null;
    this.svg.classList.remove('dragging');
    const moved = this.drawn.some((w, i) => w.cx !== d.base[i]!.cx || w.cy !== d.base[i]!.cy || w.radiusPx !== d.base[i]!.radiusPx);
    if (moved) this.cb.onCommit(this.drawn.map((w) => ({ ...w })));
  };

  /** Escape during a drag puts the well back. */
  private readonly onKey = (e: KeyboardEvent) => {
    if (e.key !== 'Escape' || !this.drag) return;
    e.stopPropagation();
    e.preventDefault();
    this.onCancel();
  };

  private readonly onCancel = () => {
    if (!this.drag) return;
    this.drag = null;
    this.svg.classList.remove('dragging');
    this.drawn = this.view.wells.map((w) => ({ ...w }));
    this.position();
  };
}

function setAttrs(el: Element, attrs: Record<string, string | number>): void {
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, typeof v === 'number' ? v.toFixed(1) : v);
}
