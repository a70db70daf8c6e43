/** The live preview of the current image with the current recipe (what the core answered). */
import type { ImageId, PreviewResult } from '../../src/common/api.js';
import type { ErrorInfo } from '../../src/common/errors.js';
import type { SliceCreator } from './app-state.js';

export interface PreviewSlice {
  preview: PreviewResult | null;
  previewError: { readonly imageId: ImageId; readonly error: ErrorInfo } | null;
  /** A preview request is waiting or running. */
  previewPending: boolean;
  setPreview(p: PreviewResult): void;
  setPreviewError(imageId: ImageId, error: ErrorInfo): void;
  setPreviewPending(pending: boolean): void;
}

export const createPreviewSlice: SliceCreator<PreviewSlice> = () => (set) => ({
  preview: null,
  previewError: null,
  previewPending: false,
  setPreview: (preview) => set({ preview, previewError: null }, undefined, 'preview/result'),
  setPreviewError: (imageId, error) => set({ previewError: { imageId, error } }, undefined, 'preview/error'),
  setPreviewPending: (previewPending) => set({ previewPending }, undefined, 'preview/pending'),
});
