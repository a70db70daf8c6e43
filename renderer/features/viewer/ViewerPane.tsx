/** The central deep-zoom viewer: image, overlay, toolbar, legend, scale bar, messages. */
import { useEffect, useRef, useState } from 'react';
import { selectCurrentImage, selectCurrentOverlay } from '../../state/selectors.js';
import { useAppStore, useClient } from '../../state/use-app-store.js';
import { setActiveViewer } from '../../viewer/viewer-commands.js';
import { ViewerController } from '../../viewer/viewer-controller.js';
import { AnnotationLayer } from '../annotate/AnnotationLayer.js';
import { ToolHint } from '../annotate/ToolHint.js';
import { ToolPalette } from '../annotate/ToolPalette.js';
import { ImageName } from '../metadata/ImageName.js';
import { WellsOverlay } from '../plate/WellsOverlay.js';
import { OverlayLegend } from './OverlayLegend.js';
import { ScaleBarView } from './ScaleBarView.js';
import { usePixelProbe } from './use-pixel-probe.js';
import { ViewerToolbar } from './ViewerToolbar.js';

const versions = new WeakMap<object, number>();
let nextVersion = 1;
function versionOf(o: object | null): number {
  if (!o) return 0;
  let v = versions.get(o);
  if (v === undefined) versions.set(o, (v = nextVersion++));
  return v;
}

export function ViewerPane() {
  const client = useClient();
  const host = useRef<HTMLDivElement>(null);
  const ctrl = useRef<ViewerController | null>(null);
  const image = useAppStore(selectCurrentImage);
  const overlayPath = useAppStore(selectCurrentOverlay);
  // Previews reuse a few overlay file names: each preview gets its own URL, so the viewer reloads it.
  const overlayVersion = versionOf(useAppStore((s) => (s.preview?.imageId === s.currentId ? s.preview : null)));
  const overlayVisible = useAppStore((s) => s.overlayVisible);
  const opacity = useAppStore((s) => s.overlayOpacity);
  const pixelSizeOverride = useAppStore((s) => s.pixelSizeUm);
  const [zoom, setZoom] = useState(0);
  const [openState, setOpenState] = useState<{ id: string | null; error: string | null; loading: boolean }>({ id: null, error: null, loading: false });
  const probe = usePixelProbe();
  const probeRef = useRef(probe);
  probeRef.current = probe;
  const imageId = image?.id ?? null;
  const openedRef = useRef<string | null>(null);

  useEffect(() => {
    const c = new ViewerController(host.current!, client, {
      onOpen: (id, error) => {
        openedRef.current = id;
        setOpenState({ id, error, loading: false });
      },
      onZoom: setZoom,
      onPointer: (pos) => probeRef.current(openedRef.current as never, pos),
    });
    ctrl.current = c;
    setActiveViewer(c);
    return () => {
      setActiveViewer(null);
      c.destroy();
      ctrl.current = null;
    };
  }, [client]);

  useEffect(() => {
    if (image?.error) {
      void ctrl.current?.showImage(null);
      setOpenState({ id: null, error: image.error.userMessage, loading: false });
      return;
    }
    setOpenState({ id: null, error: null, loading: !!imageId });
    void ctrl.current?.showImage(imageId as never);
  }, [imageId, image?.error]);

  useEffect(() => {
    const url = overlayPath ? client.resourceUrl(overlayPath) : null;
    ctrl.current?.setOverlay(imageId as never, url && `${url}${url.includes('?') ? '&' : '?'}v=${overlayVersion}`, overlayVisible ? opacity : 0);
  }, [client, imageId, overlayPath, overlayVersion, overlayVisible, opacity]);

  const pixelSizeUm = pixelSizeOverride ?? image?.pixelSizeUm ?? null;
  return (
    <main className={`viewer${openState.id ? '' : ' empty'}`} aria-label="Image viewer">
      <div ref={host} className="osd-host" data-testid="viewer" data-open-image={openState.id ?? ''} data-overlay={overlayPath && overlayVisible ? overlayPath : ''} />
      <WellsOverlay host={ctrl.current} openImageId={openState.id} />
      <ViewerToolbar zoom={zoom} />
      <AnnotationLayer controller={openState.id ? ctrl.current : null} imageId={openState.id as never} />
      {openState.id ? <ToolPalette /> : null}
      {openState.id ? <ToolHint /> : null}
      {image ? (
        <div className="viewer-title">
          <span className="name">
            <ImageName image={image} />
          </span>
          {image.widthPx ? (
            <span className="dim">
              {image.widthPx} × {image.heightPx} px{pixelSizeUm ? ` · ${Number(pixelSizeUm.toPrecision(4))} µm/px` : ' · uncalibrated'}
            </span>
          ) : null}
        </div>
      ) : null}
      {openState.error ? (
        <div className="viewer-message error" role="alert">
          {openState.error}
        </div>
      ) : !image ? (
        <div className="viewer-message">Open images to start: File › Open images (Ctrl+O), or drop files on the window.</div>
      ) : openState.loading ? (
        <div className="viewer-message subtle">{loadingMessage(image.widthPx, image.heightPx)}</div>
      ) : null}
      {openState.id ? <OverlayLegend /> : null}
      {pixelSizeUm && openState.id ? <ScaleBarView pixelSizeUm={pixelSizeUm} screenPxPerImagePx={zoom} /> : null}
    </main>
  );
}

/** Large images get their tile pyramid built on first view (seconds for ~100 MP; cached after). */
function loadingMessage(widthPx: number | null, heightPx: number | null): string {
  const mp = ((widthPx ?? 0) * (heightPx ?? 0)) / 1e6;
  return mp >= 20 ? `Preparing the zoom tiles of this ${Math.round(mp)} MP image (once; kept for next time)…` : 'Loading image…';
}
