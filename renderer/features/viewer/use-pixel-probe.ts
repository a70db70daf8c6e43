/** Pixel value and OD under the pointer: at most one probe in flight, the latest position wins. */
import { useCallback, useEffect, useRef } from 'react';
import type { ImageId, PixelProbe } from '../../../src/common/api.js';
import { createPreviewScheduler, type PreviewScheduler } from '../../state/preview-scheduler.js';
import { useAppStore, useClient } from '../../state/use-app-store.js';

interface ProbeReq {
  readonly imageId: ImageId;
  readonly xPx: number;
  readonly yPx: number;
}

export function usePixelProbe(): (imageId: ImageId | null, pos: { xPx: number; yPx: number } | null) => void {
  const client = useClient();
  const setProbe = useAppStore((s) => s.setProbe);
  const sched = useRef<PreviewScheduler<ProbeReq> | null>(null);
  const last = useRef('');
  // Created in the effect (not in render): a StrictMode remount gets a live scheduler again.
  useEffect(() => {
    const s = createPreviewScheduler<ProbeReq, PixelProbe>({
      run: (r) => client.core.probePixel(r.imageId, r.xPx, r.yPx),
      onResult: (p) => setProbe(p),
      onError: () => setProbe(null),
    });
    sched.current = s;
    last.current = '';
    return () => {
      s.dispose();
      sched.current = null;
    };
  }, [client, setProbe]);
  return useCallback(
    (imageId, pos) => {
      if (!imageId || !pos) {
        last.current = '';
        sched.current?.invalidate();
        setProbe(null);
        return;
      }
      const key = `${imageId}:${pos.xPx}:${pos.yPx}`;
      if (key === last.current) return;
      last.current = key;
      sched.current?.request({ imageId, ...pos }, 30);
    },
    [setProbe],
  );
}
