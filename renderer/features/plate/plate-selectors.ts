/** The plate shown for the current image: the user's wells, or the wells the preview (or last batch) found. */
import type { ImageId, PlateWellView } from '../../../src/common/api.js';
import { getParams } from '../../state/recipe-model.js';
import { memoSelector } from '../../state/selectors.js';
import type { AppState } from '../../state/app-state.js';
import { compareWellIds } from './plate-layout.js';

export const selectIsPlateReference = (s: AppState): boolean => (s.recipeDoc ? getParams(s.recipeDoc, 'reference.detect')?.kind === 'plate' : false);

export interface CurrentPlate {
  readonly imageId: ImageId;
  /** Geometry (image pixels) when known: hand-set or from the preview; empty when only the batch rows name wells. */
  readonly wells: readonly PlateWellView[];
  /** Well ids, row-major. */
  readonly ids: readonly string[];
  /** Detection off: the wells are the user's. */
  readonly byHand: boolean;
  /** The detected layout (6 … 96), when known. */
  readonly layout: number | null;
}

export const selectCurrentPlate = memoSelector(
  (s) => [s.currentId, s.currentId ? s.handWells[s.currentId] : undefined, s.preview, s.rows, selectIsPlateReference(s)],
  (currentId, hand, preview, rows, isPlate): CurrentPlate | null => {
    if (!currentId) return null;
    const make = (wells: readonly PlateWellView[], byHand: boolean, layout: number | null, ids?: readonly string[]): CurrentPlate => ({
      imageId: currentId, wells, byHand, layout, ids: [...(ids ?? wells.map((w) => w.id))].sort(compareWellIds),
    });
    if (isPlate && hand) return make(hand, true, null);
    if (isPlate && preview?.imageId === currentId && preview.plate?.wells.length) return make(preview.plate.wells, false, preview.plate.layout);
    const ids = rows.filter((r) => r.imageId === currentId && r.detail && r.result.well).map((r) => r.result.well!);
    return ids.length ? make([], false, null, ids) : null;
  },
);
