/**
 * Plate wells set by hand. An image with wells stored by the user (setPlateWells) is analysed with
 * them instead of detection ("detection off"); null = detect. The viewer shows these wells, or the
 * ones the preview found; every finished drag / resize / add saves the whole list.
 */
import type { ImageId, PlateWellView } from '../../src/common/api.js';
import type { SliceCreator } from './app-state.js';

export interface PlateSlice {
  /** Per image: the user's wells, null = detection; absent = not asked yet. */
  handWells: Readonly<Record<string, readonly PlateWellView[] | null>>;
  /** Bumped when wells change, so the live preview runs again. */
  wellsNonce: number;
  /** A well id waiting for a click in the viewer (add a well), or null. */
  addWellId: string | null;
  loadHandWells(id: ImageId): Promise<void>;
  /** Stores the user's wells (null: back to detection) and refreshes the preview. */
  saveHandWells(id: ImageId, wells: readonly PlateWellView[] | null): Promise<void>;
  setAddWellId(id: string | null): void;
}

export const createPlateSlice: SliceCreator<PlateSlice> = ({ client }) => (set, get) => ({
  handWells: {},
  wellsNonce: 0,
  addWellId: null,
  async loadHandWells(id) {
    try {
      const wells = await client.core.getPlateWells(id);
      set((s) => ({ handWells: { ...s.handWells, [id]: wells } }), undefined, 'plate/loaded');
    } catch (e) {
      get().reportError(e);
    }
  },
  async saveHandWells(id, wells) {
    const before = get().handWells[id];
    const clean = wells ? wells.map(({ id: w, cx, cy, radiusPx }) => ({ id: w, cx, cy, radiusPx })) : null;
    // Shown at once; the preview follows.
    set((s) => ({ handWells: { ...s.handWells, [id]: clean }, addWellId: null }), undefined, 'plate/save');
    try {
      await client.core.setPlateWells(id, clean);
      set((s) => ({ wellsNonce: s.wellsNonce + 1 }), undefined, 'plate/saved');
    } catch (e) {
      set((s) => ({ handWells: { ...s.handWells, [id]: before ?? null } }), undefined, 'plate/saveFailed');
      get().reportError(e);
    }
  },
  setAddWellId: (addWellId) => set({ addWellId }, undefined, 'plate/addWell'),
});
