/** Mounts the ROI layer (overlay canvas + tools) on the viewer once an image is open. */
import { useEffect, useRef } from 'react';
import type { ImageId } from '../../../src/common/api.js';
import { useStoreApi } from '../../state/use-app-store.js';
import { RoiLayer } from '../../viewer/roi-layer.js';
import type { ViewerController } from '../../viewer/viewer-controller.js';

export function AnnotationLayer({ controller, imageId }: { controller: ViewerController | null; imageId: ImageId | null }) {
  const store = useStoreApi();
  const layer = useRef<RoiLayer | null>(null);
  useEffect(() => {
    if (!controller) return;
    const l = new RoiLayer(controller, store);
    layer.current = l;
    return () => {
      l.destroy();
      layer.current = null;
    };
  }, [controller, store]);
  useEffect(() => layer.current?.setImage(imageId), [controller, imageId]);
  return null;
}
