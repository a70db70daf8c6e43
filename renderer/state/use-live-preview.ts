/**
 * Keeps the preview of the current image up to date: fast (downsampled) previews debounced while a
 * slider is dragged, a full-resolution preview on release, on image change and on other edits.
 */
import { useEffect, useRef } from 'react';
import type { PreviewRequest, PreviewResult } from '../../src/common/api.js';
import { toErrorInfo } from '../../src/common/errors.js';
import { createPreviewScheduler, type PreviewScheduler } from './preview-scheduler.js';
import { selectAnalysisOptions, selectRecipeError } from './selectors.js';
import { useClient, useStoreApi } from './use-app-store.js';

export const DRAG_DEBOUNCE_MS = 100;
export const EDIT_DEBOUNCE_MS = 250;
/** The core's fast previews work on a copy whose longer side is at most this. */
const FAST_MAX_SIDE_PX = 1024;

/** Sliders report dragging here (not in the store: it is gesture state, STYLE §9). */
const dragListeners = new Set<(dragging: boolean) => void>();
export function setPreviewDragging(dragging: boolean): void {
  for (const l of dragListeners) l(dragging);
}

export function useLivePreview(): void {
  const client = useClient();
  const store = useStoreApi();
  const scheduler = useRef<PreviewScheduler<PreviewRequest> | null>(null);

  useEffect(() => {
    const s = () => store.getState();
    let dragging = false;
    const sched = createPreviewScheduler<PreviewRequest, PreviewResult>({
      run: (req) => client.core.previewImage(req),
      onResult: (res, req) => {
        if (req.imageId !== s().currentId) return;
        s().setPreview(res);
        // A quick look first, then the exact answer (unless the user is still dragging).
        if (res.quality === 'fast' && !dragging) ask('full', 0);
      },
      onError: (e, req) => s().setPreviewError(req.imageId as never, toErrorInfo(e)),
      onPendingChange: (p) => s().setPreviewPending(p),
    });
    scheduler.current = sched;

    const build = (quality: PreviewRequest['quality']): PreviewRequest | null => {
      const st = s();
      const img = st.images.find((i) => i.id === st.currentId);
      const opts = selectAnalysisOptions(st);
      if (!img || img.error || !opts || selectRecipeError(st)) return null;
      return { imageId: img.id, quality, ...opts };
    };
    /** Fast first on big images; images that fit the fast copy (≤ 1024 px) go straight to full. */
    const first = () => {
      const st = s();
      const img = st.images.find((i) => i.id === st.currentId);
      ask(img && Math.max(img.widthPx ?? Infinity, img.heightPx ?? Infinity) <= FAST_MAX_SIDE_PX ? 'full' : 'fast', 0);
    };
    const ask = (quality: PreviewRequest['quality'], delayMs: number) => {
      const req = build(quality);
      if (req) sched.request(req, delayMs);
    };

    const onDrag = (d: boolean) => {
      const was = dragging;
      dragging = d;
      if (was && !d) ask('full', 0);
    };
    dragListeners.add(onDrag);

    const unsub = store.subscribe((now, prev) => {
      if (now.currentId !== prev.currentId || now.images !== prev.images && imageChanged(now, prev)) {
        sched.invalidate();
        first();
        return;
      }
      // Wells set by hand (plate reference) changed: measure again with them.
      if (now.wellsNonce !== prev.wellsNonce) return ask('full', 0);
      // The regions of the image changed (saved in the core): measure again with them.
      if (now.roiRevision !== prev.roiRevision) return first();
      if (selectAnalysisOptions(now) !== selectAnalysisOptions(prev)) {
        if (dragging) ask('fast', DRAG_DEBOUNCE_MS);
        else ask('full', EDIT_DEBOUNCE_MS);
      }
    });
    first();
    return () => {
      unsub();
      dragListeners.delete(onDrag);
      sched.dispose();
    };
  }, [client, store]);
}

type Snap = ReturnType<ReturnType<typeof useStoreApi>['getState']>;
/** The current image's entry changed (e.g. re-opened after an error). */
function imageChanged(now: Snap, prev: Snap): boolean {
  const a = now.images.find((i) => i.id === now.currentId);
  const b = prev.images.find((i) => i.id === prev.currentId);
  return a !== b && (!a || !b || a.error?.code !== b.error?.code || a.widthPx !== b.widthPx);
}
