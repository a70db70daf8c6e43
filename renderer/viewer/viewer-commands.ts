/** Global viewer commands (shortcuts, menus) reach the one mounted viewer through this registry. */
import type { ViewerController } from './viewer-controller.js';

let active: ViewerController | null = null;

export function setActiveViewer(v: ViewerController | null): void {
  active = v;
}

export const viewerCommands = {
  zoomIn: () => active?.zoomBy(1.5),
  zoomOut: () => active?.zoomBy(1 / 1.5),
  fit: () => active?.fit(),
  actualSize: () => active?.actualSize(),
};
