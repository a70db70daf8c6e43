/**
 * The ROI layer over the deep-zoom viewer: an overlay canvas kept in step with OpenSeadragon
 * (redrawn after each of its frames), and the pointer / key plumbing that feeds the active tool.
 * Pointer events are taken in the capture phase on the viewer element: a press the tool takes
 * never reaches OpenSeadragon (no pan); the rest (wheel zoom, presses on empty image with the
 * select tool) is left to it. Space + drag or the middle button pans with every tool.
 * Not React: the gesture in progress never goes through React or the store (STYLE §9).
 */
import type { ImageId } from '../../src/common/api.js';
import type { RoiId } from '../../src/common/roi.js';
import type { AppState } from '../state/app-state.js';
import type { AppStore } from '../state/store.js';
import { createTool, type Tool, type ToolContext, type ToolPointer } from '../tools/index.js';
import { isVertexEditable } from '../tools/select.js';
import { screenPointOf, toImage, type ScreenPx } from './coords.js';
import { clearFrame, drawRois, drawSketches, type DrawFrame } from './roi-draw.js';
import type { ViewerController } from './viewer-controller.js';

const isTyping = (t: EventTarget | null) =>
  t instanceof HTMLElement && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName)) && !(t instanceof HTMLInputElement && (t.type === 'range' || t.type === 'checkbox'));

export class RoiLayer {
  private readonly canvas: HTMLCanvasElement;
  private readonly host: HTMLElement;
  private readonly offs: (() => void)[] = [];
  private tool: Tool;
  private imageId: ImageId | null = null;
  private captured: number | null = null;
  private pan: { id: number; x: number; y: number } | null = null;
  private spaceDown = false;
  private frame = 0;

  constructor(private readonly ctrl: ViewerController, private readonly store: AppStore) {
    const el = ctrl.element;
    // Inside OpenSeadragon's canvas box: over the image, under the navigator.
    this.host = el.querySelector<HTMLElement>('.openseadragon-canvas') ?? el;
    this.canvas = document.createElement('canvas');
    this.canvas.className = 'roi-canvas';
    this.canvas.setAttribute('data-testid', 'roi-canvas');
    Object.assign(this.canvas.style, { position: 'absolute', inset: '0', width: '100%', height: '100%', pointerEvents: 'none' });
    this.host.appendChild(this.canvas);
    this.tool = createTool(store.getState().activeTool);

    const on = <K extends keyof HTMLElementEventMap>(t: EventTarget, type: K, f: (e: HTMLElementEventMap[K]) => void) => {
      t.addEventListener(type, f as EventListener, true);
      this.offs.push(() => t.removeEventListener(type, f as EventListener, true));
    };
    on(el, 'pointerdown', (e) => this.onDown(e));
    on(el, 'pointermove', (e) => this.onMove(e));
    on(el, 'pointerup', (e) => this.onUp(e));
    on(el, 'pointercancel', () => this.cancelGesture());
    on(el, 'pointerleave', () => {
      this.tool.leave();
      this.requestDraw();
    });
    on(el, 'dblclick', (e) => this.onDoubleClick(e));
    on(el, 'click', (e) => this.tool.id !== 'select' && this.isActive() && e.stopPropagation());
    on(window, 'keydown', (e) => this.onKey(e));
    on(window, 'keyup', (e) => {
      if (e.key === ' ') (this.spaceDown = false), this.updateCursor();
    });
    on(window, 'blur', () => (this.spaceDown = false));
    this.offs.push(ctrl.onViewportUpdate(() => this.draw()));
    if (typeof ResizeObserver !== 'undefined') {
      const ro = new ResizeObserver(() => this.draw());
      ro.observe(this.host);
      this.offs.push(() => ro.disconnect());
    }
    this.offs.push(store.subscribe((now, prev) => this.onState(now, prev)));
  }

  /** The image the viewer shows (its regions are drawn once loaded). */
  setImage(id: ImageId | null): void {
    if (id === this.imageId) return;
    this.imageId = id;
    this.cancelGesture();
    this.draw();
  }

  destroy(): void {
    cancelAnimationFrame(this.frame);
    this.offs.forEach((off) => off());
    this.canvas.remove();
    this.host.style.cursor = '';
  }

  private isActive(): boolean {
    const s = this.store.getState();
    return !!this.imageId && s.roiImageId === this.imageId && !s.roisLoading && !!this.ctrl.viewTransform() && !!this.imageSize(s);
  }

  private imageSize(s: AppState) {
    const img = s.images.find((i) => i.id === this.imageId);
    return img?.widthPx && img.heightPx ? { widthPx: img.widthPx, heightPx: img.heightPx } : null;
  }

  private context(): ToolContext | null {
    const s = this.store.getState();
    const view = this.ctrl.viewTransform();
    const imageSize = this.imageSize(s);
    if (!view || !imageSize) return null;
    return {
      view, imageSize, rois: s.rois, selectedId: s.selectedRoiId, role: s.drawRole, brushDiameterPx: s.brushSizePx as ScreenPx,
      commit: (patch, select) => this.store.getState().commitRoiPatch(patch, select),
      select: (id: RoiId | null) => this.store.getState().selectRoi(id),
    };
  }

  private pointer(e: PointerEvent | MouseEvent, ctx: ToolContext, pressed: boolean): ToolPointer {
    const screen = screenPointOf(e, this.ctrl.element.getBoundingClientRect());
    return { screen, image: toImage(ctx.view, screen), button: pressed ? e.button : -1, shiftKey: e.shiftKey, altKey: e.altKey, timeMs: e.timeStamp };
  }

  private onDown(e: PointerEvent): void {
    if (!this.isActive()) return;
    if (e.button === 1 || (e.button === 0 && this.spaceDown)) {
      this.pan = { id: e.pointerId, x: e.clientX, y: e.clientY };
      this.take(e);
      return this.updateCursor();
    }
    const ctx = this.context();
    if (!ctx || e.button !== 0) return;
    if (this.tool.down(this.pointer(e, ctx, true), ctx)) this.take(e);
    this.requestDraw();
    this.updateCursor();
  }

  private take(e: PointerEvent): void {
    e.stopPropagation();
    e.preventDefault();
    this.captured = e.pointerId;
    try {
      this.ctrl.element.setPointerCapture(e.pointerId);
    } catch {
      /* synthetic events in tests have no active pointer */
    }
  }

  private onMove(e: PointerEvent): void {
    if (this.pan && e.pointerId === this.pan.id) {
      this.ctrl.panByScreen(e.clientX - this.pan.x, e.clientY - this.pan.y);
      this.pan = { ...this.pan, x: e.clientX, y: e.clientY };
      return e.stopPropagation();
    }
    if (!this.isActive()) return;
    const ctx = this.context();
    if (!ctx) return;
    const pressed = this.captured === e.pointerId;
    this.tool.move({ ...this.pointer(e, ctx, pressed), button: pressed ? 0 : -1 }, ctx);
    if (pressed) e.stopPropagation();
    this.requestDraw();
    this.updateCursor();
  }

  private onUp(e: PointerEvent): void {
    if (this.captured !== e.pointerId) return;
    this.captured = null;
    e.stopPropagation();
    if (this.pan) {
      this.pan = null;
      return this.updateCursor();
    }
    const ctx = this.context();
    if (ctx) this.tool.up(this.pointer(e, ctx, true), ctx);
    else this.tool.cancel();
    this.requestDraw();
    this.updateCursor();
  }

  private onDoubleClick(e: MouseEvent): void {
    if (!this.isActive()) return;
    const ctx = this.context();
    const used = !!ctx && this.tool.doubleClick(this.pointer(e, ctx, true), ctx);
    // Drawing tools never let a double click zoom the view.
    if (used || this.tool.id !== 'select') {
      e.stopPropagation();
      e.preventDefault();
    }
    this.requestDraw();
  }

  private onKey(e: KeyboardEvent): void {
    if (e.key === ' ' && !isTyping(e.target) && this.ctrl.element.matches(':hover')) {
      this.spaceDown = true;
      e.preventDefault();
      return this.updateCursor();
    }
    if (this.tool.state !== 'drawing' || isTyping(e.target) || document.querySelector('.modal-backdrop')) return;
    const ctx = this.context();
    if (!ctx) return;
    let used: boolean;
    if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === 'z') used = this.tool.key('Backspace', ctx) || (this.tool.cancel(), true);
    else used = this.tool.key(e.key, ctx);
    if (!used) return;
    e.preventDefault();
    e.stopPropagation();
    this.requestDraw();
  }

  private cancelGesture(): void {
    this.tool.cancel();
    this.captured = null;
    this.pan = null;
    this.requestDraw();
  }

  private onState(now: AppState, prev: AppState): void {
    if (now.activeTool !== prev.activeTool) {
      this.tool.cancel();
      this.tool = createTool(now.activeTool);
      this.captured = null;
      this.updateCursor();
    }
    if (now.roiImageId !== prev.roiImageId || now.roisLoading !== prev.roisLoading) this.cancelGesture();
    if (now.rois !== prev.rois || now.selectedRoiId !== prev.selectedRoiId || now.drawRole !== prev.drawRole || now.brushSizePx !== prev.brushSizePx || now.roiImageId !== prev.roiImageId || now.activeTool !== prev.activeTool) {
      this.requestDraw();
    }
  }

  private updateCursor(): void {
    const ctx = this.isActive() ? this.context() : null;
    this.host.style.cursor = !ctx ? '' : this.pan ? 'grabbing' : this.spaceDown ? 'grab' : this.tool.cursor(ctx);
  }

  private requestDraw(): void {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.draw();
    });
  }

  /** Draws regions and the gesture; synchronous, so it can follow OpenSeadragon's own frames. */
  draw(): void {
    const dpr = window.devicePixelRatio || 1;
    const w = this.host.clientWidth, h = this.host.clientHeight;
    if (this.canvas.width !== Math.round(w * dpr) || this.canvas.height !== Math.round(h * dpr)) {
      this.canvas.width = Math.round(w * dpr);
      this.canvas.height = Math.round(h * dpr);
    }
    const g = this.canvas.getContext('2d');
    const view = this.ctrl.viewTransform();
    this.canvas.dataset.toolState = this.tool.state;
    if (!g) return;
    const f: DrawFrame = { g, view: view ?? { scale: 1, offsetX: 0 as ScreenPx, offsetY: 0 as ScreenPx }, dpr, widthPx: w, heightPx: h };
    clearFrame(f);
    const ctx = this.isActive() ? this.context() : null;
    if (!view || !ctx) return;
    this.canvas.dataset.view = `${view.scale} ${view.offsetX} ${view.offsetY}`;
    const s = this.store.getState();
    const sketches = this.tool.sketch(ctx);
    const replaced = new Set(sketches.flatMap((k) => (k.kind === 'geometry' && k.replaces ? [k.replaces] : [])));
    const selected = s.rois.find((r) => r.id === s.selectedRoiId);
    const handles = this.tool.id === 'select' && this.tool.state === 'idle' && !!selected && isVertexEditable(selected);
    drawRois(f, s.rois, { selectedId: s.selectedRoiId, replaced, handles });
    drawSketches(f, sketches);
  }
}
