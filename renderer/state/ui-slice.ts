/** UI state: overlay, panels, help, toasts, table sort, the pixel under the cursor. */
import type { PixelProbe } from '../../src/common/api.js';
import { toAppError } from '../../src/common/errors.js';
import type { ResultColumn } from '../../src/common/result.js';
import type { SliceCreator } from './app-state.js';

export type ToastKind = 'info' | 'success' | 'error';
export interface Toast {
  readonly id: number;
  readonly kind: ToastKind;
  readonly text: string;
}
export type BottomTab = 'results' | 'problems' | 'study';

export interface UiSlice {
  overlayVisible: boolean;
  /** 0–1. */
  overlayOpacity: number;
  helpOpen: boolean;
  bottomTab: BottomTab;
  resultsSort: { readonly column: ResultColumn | null; readonly desc: boolean };
  toasts: readonly Toast[];
  probe: PixelProbe | null;
  toggleOverlay(): void;
  setOverlayOpacity(v: number): void;
  setHelpOpen(open: boolean): void;
  setBottomTab(tab: BottomTab): void;
  sortResultsBy(column: ResultColumn): void;
  setProbe(p: PixelProbe | null): void;
  notify(kind: ToastKind, text: string): void;
  /** Shows what went wrong in the core (its userMessage). */
  reportError(e: unknown): void;
  dismissToast(id: number): void;
}

let nextToastId = 1;

export const createUiSlice: SliceCreator<UiSlice> = () => (set, get) => ({
  overlayVisible: true,
  overlayOpacity: 0.75,
  helpOpen: false,
  bottomTab: 'results',
  resultsSort: { column: null, desc: false },
  toasts: [],
  probe: null,
  toggleOverlay: () => set((s) => ({ overlayVisible: !s.overlayVisible }), undefined, 'ui/toggleOverlay'),
  setOverlayOpacity: (v) => set({ overlayOpacity: Math.min(1, Math.max(0, v)) }, undefined, 'ui/setOverlayOpacity'),
  setHelpOpen: (helpOpen) => set({ helpOpen }, undefined, 'ui/setHelpOpen'),
  setBottomTab: (bottomTab) => set({ bottomTab }, undefined, 'ui/setBottomTab'),
  sortResultsBy: (column) =>
    set(
      (s) => ({
        resultsSort:
          s.resultsSort.column !== column
            ? { column, desc: false }
            : s.resultsSort.desc
              ? { column: null, desc: false }
              : { column, desc: true },
      }),
      undefined,
      'ui/sortResultsBy',
    ),
  setProbe: (probe) => set({ probe }, undefined, 'ui/setProbe'),
  notify: (kind, text) => {
    const toast: Toast = { id: nextToastId++, kind, text };
    set((s) => ({ toasts: [...s.toasts.filter((t) => t.text !== text), toast].slice(-3) }), undefined, 'ui/notify');
  },
  reportError: (e) => get().notify('error', toAppError(e).userMessage),
  dismissToast: (id) => set((s) => ({ toasts: s.toasts.filter((t) => t.id !== id) }), undefined, 'ui/dismissToast'),
});
