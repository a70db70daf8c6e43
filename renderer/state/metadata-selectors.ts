/** Derived sample-metadata values: blinded codes, groups, what the metadata panel edits. */
import type { ImageId } from '../../src/common/api.js';
import type { SampleMeta } from '../../src/common/sample-meta.js';
import type { AppState } from './app-state.js';
import { allGroups, blindCodes, regionName, summarizeSelection, targetKey, type MetaTarget, type SelectionMeta } from './metadata-model.js';
import { memoSelector } from './selectors.js';

/** Neutral code of every library image (blinded mode). */
export const selectBlindCodes = memoSelector(
  (s) => [s.images, s.blindSalt],
  (images, salt): ReadonlyMap<string, string> => blindCodes(salt, images.map((i) => i.id)),
);

/** Every group named in the metadata, natural order (filters, colours, control choice). */
export const selectAllGroups = memoSelector((s) => [s.metaByKey], (m): readonly string[] => allGroups(m));

/** What the library and viewer call an image: its name, or its code when blinded. */
export const selectImageLabel = (id: ImageId | null) => (s: AppState): string | null => {
  if (!id) return null;
  if (s.blinded) return selectBlindCodes(s).get(id) ?? null;
  return s.images.find((i) => i.id === id)?.displayName ?? null;
};

export interface MetaTargets {
  readonly kind: 'images' | 'wells' | 'regions';
  readonly targets: readonly MetaTarget[];
  /** The current plate image when editing wells. */
  readonly imageId: ImageId | null;
}

const NO_TARGETS: MetaTargets = { kind: 'images', targets: [], imageId: null };

/**
 * The metadata panel edits the wells picked on the current plate image, else the regions picked on
 * the current image (those it still has), else the selected images.
 */
export const selectMetaTargets = memoSelector(
  (s) => [s.wellSelection, s.regionSelection, s.currentId, s.selectedIds, s.roiImageId === s.currentId ? s.rois : null],
  (wellSel, regionSel, currentId, selectedIds, rois): MetaTargets => {
    if (wellSel && wellSel.imageId === currentId && wellSel.wells.length) {
      return { kind: 'wells', imageId: currentId, targets: wellSel.wells.map((well) => ({ imageId: wellSel.imageId, well })) };
    }
    const names = new Set((rois ?? []).filter((r) => r.role === 'include').map(regionName));
    const regions = regionSel && regionSel.imageId === currentId ? regionSel.regions.filter((r) => names.has(r)) : [];
    if (regions.length) return { kind: 'regions', imageId: currentId, targets: regions.map((region) => ({ imageId: regionSel!.imageId, region })) };
    const ids = selectedIds.length ? selectedIds : currentId ? [currentId] : [];
    return ids.length ? { kind: 'images', imageId: null, targets: ids.map((imageId) => ({ imageId })) } : NO_TARGETS;
  },
);

/** Field-wise values of the targets (same / mixed / empty). */
export const selectTargetsMeta = memoSelector(
  (s) => [selectMetaTargets(s), s.metaByKey],
  (t, meta): SelectionMeta => summarizeSelection(t.targets.map((x): SampleMeta | undefined => meta[targetKey(x)])),
);
