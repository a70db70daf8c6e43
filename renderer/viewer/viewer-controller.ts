/**
 * OpenSeadragon, driven imperatively: shows one library image (its DZI), one overlay PNG over the
 * image's full extent, reports zoom and the image pixel under the pointer. React only tells it what
 * to show; pointer state never goes through React or the store.
 */
import OpenSeadragon from 'openseadragon';
import type { ImageId } from '../../src/common/api.js';
import type { AppClient } from '../api/types.js';
import { viewFromSamples, type ViewTransform } from './coords.js';
import { dziTilePath, parseDzi } from './dzi.js';

export interface ViewerCallbacks {
  /** The image is open (or failed: error message). */
  onOpen(imageId: ImageId | null, error: string | null): void;
  /** Screen pixels per image pixel, on every viewport change. */
  onZoom(screenPxPerImagePx: number): void;
  /** Image pixel under the pointer (integer, inside the image) or null. */
  onPointer(pos: { xPx: number; yPx: number } | null): void;
}

export class ViewerController {
  private readonly osd: OpenSeadragon.Viewer;
  private readonly unlisten: () => void;
  private openToken = 0;
  private openedId: ImageId | null = null;
  private pendingId: ImageId | null = null;
  private wanted: { imageId: ImageId; url: string; opacity: number } | null = null;
  private overlayItem: OpenSeadragon.TiledImage | null = null;
  private overlayUrl: string | null = null;

  constructor(element: HTMLElement, private readonly client: AppClient, private readonly cb: ViewerCallbacks) {
    this.osd = OpenSeadragon({
      element,
      drawer: 'canvas',
      showNavigationControl: false,
      showNavigator: true,
      navigatorPosition: 'TOP_RIGHT',
      navigatorSizeRatio: 0.16,
      navigatorAutoFade: false,
      navigatorBackground: '#1b1d21',
      navigatorBorderColor: '#3a3f47',
      navigatorDisplayRegionColor: '#56B4E9',
      animationTime: 0.25,
      springStiffness: 9,
      zoomPerScroll: 1.25,
      zoomPerClick: 1,
      maxZoomPixelRatio: 16,
      minZoomImageRatio: 0.5,
      visibilityRatio: 0.4,
      imageLoaderLimit: 6,
      preserveImageSizeOnResize: true,
      gestureSettingsMouse: { clickToZoom: false, dblClickToZoom: true },
      keyboardNavEnabled: false,
      crossOriginPolicy: false,
      opacity: 1,
    });
    this.osd.addHandler('open', () => this.onOpened());
    this.osd.addHandler('open-failed', () => this.cb.onOpen(null, 'The image tiles could not be loaded.'));
    this.osd.addHandler('animation', () => this.reportZoom());
    this.osd.addHandler('resize', () => this.reportZoom());
    // Plain DOM events: OSD's MouseTracker ignores moves of a pointer it has not seen enter.
    const canvas = this.osd.canvas;
    const move = (e: PointerEvent) => {
      const r = canvas.getBoundingClientRect();
      this.pointer(new OpenSeadragon.Point(e.clientX - r.left, e.clientY - r.top));
    };
    const leave = () => this.cb.onPointer(null);
    canvas.addEventListener('pointermove', move);
    canvas.addEventListener('pointerleave', leave);
    this.unlisten = () => {
      canvas.removeEventListener('pointermove', move);
      canvas.removeEventListener('pointerleave', leave);
    };
  }

  async showImage(imageId: ImageId | null): Promise<void> {
    const token = ++this.openToken;
    this.openedId = null;
    if (!imageId) {
      this.osd.close();
      this.cb.onOpen(null, null);
      return;
    }
    try {
      const view = await this.client.core.getImageView(imageId);
      const res = await fetch(this.client.resourceUrl(view.dziPath));
      if (!res.ok) throw new Error(`tiles unavailable (${res.status})`);
      const info = parseDzi(await res.text());
      if (token !== this.openToken) return;
      this.pendingId = imageId;
      this.osd.open({
        tileSource: {
        width: info.widthPx,
        height: info.heightPx,
        tileSize: info.tileSize,
        tileOverlap: info.overlap,
        minLevel: 0,
        getTileUrl: (level: number, x: number, y: number) => this.client.resourceUrl(dziTilePath(view.dziPath, info, level, x, y)),
        },
      });
    } catch (e) {
      if (token !== this.openToken) return;
      const u = e as { userMessage?: string; message?: string };
      this.osd.close();
      this.cb.onOpen(null, u.userMessage ?? `This image cannot be shown: ${u.message ?? String(e)}.`);
    }
  }

  private onOpened(): void {
    this.openedId = this.pendingId;
    this.overlayItem = null;
    this.overlayUrl = null;
    this.cb.onOpen(this.openedId, null);
    this.reportZoom();
    this.applyOverlay();
  }

  /** The overlay to show on `imageId` (null: none); opacity 0–1 (0 hides it). */
  setOverlay(imageId: ImageId | null, url: string | null, opacity: number): void {
    this.wanted = imageId && url ? { imageId, url, opacity } : null;
    this.applyOverlay();
  }

  private applyOverlay(): void {
    const w = this.wanted;
    if (!w || w.imageId !== this.openedId) {
      if (this.overlayItem) this.osd.world.removeItem(this.overlayItem);
      this.overlayItem = null;
      this.overlayUrl = null;
      return;
    }
    if (this.overlayUrl === w.url) {
      this.overlayItem?.setOpacity(w.opacity);
      return;
    }
    this.overlayUrl = w.url;
    const main = this.osd.world.getItemAt(0);
    if (!main) return;
    const bounds = main.getBounds();
    this.osd.addSimpleImage({
      url: w.url,
      x: bounds.x,
      y: bounds.y,
      width: bounds.width,
      opacity: w.opacity,
      success: (ev: { item: OpenSeadragon.TiledImage }) => {
        const now = this.wanted;
        if (this.overlayUrl !== w.url || now?.imageId !== this.openedId) {
          this.osd.world.removeItem(ev.item);
          return;
        }
        if (this.overlayItem) this.osd.world.removeItem(this.overlayItem);
        this.overlayItem = ev.item;
        ev.item.setOpacity(now.opacity);
      },
    } as unknown as OpenSeadragon.SimpleImageOptions);
  }

  /** The element the viewer fills (the ROI layer listens and draws here). */
  get element(): HTMLElement {
    return this.osd.element;
  }

  /** How image pixels map to the element's pixels right now (null before an image is open). */
  viewTransform(): ViewTransform | null {
    const main = this.osd.world.getItemAt(0);
    if (!main || !this.openedId) return null;
    const unit = Math.max(1, main.getContentSize().x);
    return viewFromSamples(main.imageToViewerElementCoordinates(new OpenSeadragon.Point(0, 0)), main.imageToViewerElementCoordinates(new OpenSeadragon.Point(unit, 0)), unit);
  }

  /** Calls `cb` after every redraw of the image (pan, zoom, animation frames, resize). */
  onViewportUpdate(cb: () => void): () => void {
    const h = () => cb();
    this.osd.addHandler('update-viewport', h);
    return () => this.osd.removeHandler('update-viewport', h);
  }

  /** Moves the view by a drag of (dx, dy) screen pixels. */
  panByScreen(dx: number, dy: number): void {
    this.osd.viewport.panBy(this.osd.viewport.deltaPointsFromPixels(new OpenSeadragon.Point(-dx, -dy), true), true);
  }

  zoomBy(factor: number): void {
    this.osd.viewport.zoomBy(factor);
    this.osd.viewport.applyConstraints();
  }

  fit(): void {
    this.osd.viewport.goHome();
  }

  /** Zooms so that one image pixel is one screen pixel. */
  actualSize(): void {
    const main = this.osd.world.getItemAt(0);
    if (main) this.osd.viewport.zoomTo(main.imageToViewportZoom(1));
  }

  private reportZoom(): void {
    const main = this.osd.world.getItemAt(0);
    if (main) this.cb.onZoom(main.viewportToImageZoom(this.osd.viewport.getZoom(true)));
  }

  private pointer(pos: OpenSeadragon.Point): void {
    const main = this.osd.world.getItemAt(0);
    if (!main || !this.openedId) return;
    const p = main.viewerElementToImageCoordinates(pos);
    const size = main.getContentSize();
    const xPx = Math.floor(p.x), yPx = Math.floor(p.y);
    this.cb.onPointer(xPx >= 0 && yPx >= 0 && xPx < size.x && yPx < size.y ? { xPx, yPx } : null);
  }

  destroy(): void {
    this.openToken++;
    this.unlisten();
    this.osd.destroy();
  }
}
