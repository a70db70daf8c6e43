/**
 * Plate wells set by hand. An image with wells stored by the user (setPlateWells) is analysed with
 * them instead of detection ("detection off"); null = detect. The viewer shows these wells, or the
 * ones the preview found; every finished drag / resize / add saves the whole list and can be undone
 * (Ctrl+Z undoes whatever was edited last: wells or regions, see undo-route.ts).
 */
import type { ImageId, PlateWellView } from '../../src/common/api.js';
import type { SliceCreator } from './app-state.js';

type Wells = readonly PlateWellView[] | null;
/** Well edits kept for undo, per image. */
export const WELL_HISTORY_LIMIT = 100;

export interface PlateSlice {
  /** Per image: the user's wells, null = detection; absent = not asked yet. */
  handWells: Readonly<Record<string, Wells>>;
  /** Bumped when wells change, so the live preview runs again. */
  wellsNonce: number;
  /** A well id waiting for a click in the viewer (add a well), or null. */
  addWellId: string | null;
  /** Per image: the wells before each edit (undo) and after each undone one (redo). */
  wellUndo: Readonly<Record<string, readonly Wells[]>>;
  wellRedo: Readonly<Record<string, readonly Wells[]>>;
  /** What Ctrl+Z undoes: the kind of thing edited last. */
  undoTarget: 'rois' | 'wells';
  loadHandWells(id: ImageId): Promise<void>;
  /** Stores the user's wells (null: back to detection), recorded for undo, and refreshes the preview. */
  saveHandWells(id: ImageId, wells: Wells): Promise<void>;
  undoWells(id: ImageId): Promise<void>;
  redoWells(id: ImageId): Promise<void>;
  setAddWellId(id: string | null): void;
}

export const createPlateSlice: SliceCreator<PlateSlice> = ({ client }) => (set, get) => {
  /** Shows `wells` at once and stores them; the preview follows. */
  async function storeWells(id: ImageId, wells: Wells): Promise<void> {
    const before = get().handWells[id] ?? null;
    const clean = wells ? wells.map(({ id: w, cx, cy, radiusPx }) => ({ id: w, cx, cy, radiusPx })) : null;
    set((s) => ({ handWells: { ...s.handWells, [id]: clean }, addWellId: null }), undefined, 'plate/save');
    try {
      await client.core.setPlateWells(id, clean);
      set((s) => ({ wellsNonce: s.wellsNonce + 1 }), undefined, 'plate/saved');
    } catch (e) {
      set((s) => ({ handWells: { ...s.handWells, [id]: before } }), undefined, 'plate/saveFailed');
      get().reportError(e);
    }
  }

  /** Moves the top of one stack to the other and stores it. */
  async function step(id: ImageId, from: 'wellUndo' | 'wellRedo'): Promise<void> {
    const to = from === 'wellUndo' ? 'wellRedo' : 'wellUndo';
    const stack = get()[from][id] ?? [];
    if (!stack.length) return;
    const now = get().handWells[id] ?? null;
    set((s) => ({ [from]: { ...s[from], [id]: stack.slice(0, -1) }, [to]: { ...s[to], [id]: [...(s[to][id] ?? []), now] }, undoTarget: 'wells' }) as Partial<PlateSlice>, undefined, `plate/${from}`);
    await storeWells(id, stack.at(-1)!);
  }

  return {
    handWells: {},
    wellsNonce: 0,
    addWellId: null,
    wellUndo: {},
    wellRedo: {},
    undoTarget: 'rois',
    async loadHandWells(id) {
      try {
        const wells = await client.core.getPlateWells(id);
        set((s) => ({ handWells: { ...s.handWells, [id]: wells } }), undefined, 'plate/loaded');
      } catch (e) {
        get().reportError(e);
      }
    },
    async saveHandWells(id, wells) {
      const before = get().handWells[id] ?? null;
      set(
        (s) => ({
          wellUndo: { ...s.wellUndo, [id]: [...(s.wellUndo[id] ?? []), before].slice(-WELL_HISTORY_LIMIT) },
          wellRedo: { ...s.wellRedo, [id]: [] },
          undoTarget: 'wells',
        }),
        undefined,
        'plate/record',
      );
      await storeWells(id, wells);
    },
    undoWells: (id) => step(id, 'wellUndo'),
    redoWells: (id) => step(id, 'wellRedo'),
    setAddWellId: (addWellId) => set({ addWellId }, undefined, 'plate/addWell'),
  };
};
