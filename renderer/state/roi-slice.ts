/**
 * Regions (ROIs) of the current image: what loadRois returned plus every finished gesture, one
 * undo entry (RoiPatch) each, per image. Every change is saved with saveRois; when the core has
 * it, `roiRevision` moves on and the live preview measures again. Gestures in progress are not
 * here (they live in the tools, STYLE §9).
 */
import type { ImageId, MetaPatch } from '../../src/common/api.js';
import type { Roi, RoiId, RoiRole } from '../../src/common/roi.js';
import { SAMPLE_META_FIELDS } from '../../src/common/sample-meta.js';
import { BRUSH_DEFAULT_PX, BRUSH_MAX_PX, BRUSH_MIN_PX } from '../tools/index.js';
import { nextRegionLabel } from '../tools/new-roi.js';
import { applyPatch, EMPTY_HISTORY, isEmptyPatch, recordPatch, takeRedo, takeUndo, type RoiHistory, type RoiPatch } from '../tools/roi-patch.js';
import type { ToolId } from '../tools/types.js';
import { nextIncludeColour } from '../viewer/roi-style.js';
import type { SliceCreator } from './app-state.js';
import { metaKey, regionName } from './metadata-model.js';
import { createRoiSaveQueue } from './roi-save-queue.js';
import { createRoiTransfers, type RoiTransfers } from './roi-transfers.js';

export type RoiSaveState = { readonly kind: 'saved' } | { readonly kind: 'saving' } | { readonly kind: 'error'; readonly message: string };
export type RoiEdit = Partial<Pick<Roi, 'label' | 'role' | 'colour' | 'hidden'>>;

export interface RoiSlice extends RoiTransfers {
  /** The image `rois` belong to (null: none). */
  roiImageId: ImageId | null;
  rois: readonly Roi[];
  roisLoading: boolean;
  selectedRoiId: RoiId | null;
  activeTool: ToolId;
  /** Role of new regions and of what the brush paints. */
  drawRole: RoiRole;
  /** Brush / eraser diameter in screen pixels. */
  brushSizePx: number;
  /** Undo / redo per image id. */
  roiHistory: Readonly<Record<string, RoiHistory>>;
  roiSave: RoiSaveState;
  /** Moves on whenever the core holds new regions of the current image. */
  roiRevision: number;
  /** Shows the regions of `id` (kept locally while a save of them is pending). */
  loadRois(id: ImageId | null): Promise<void>;
  /** One finished gesture: applied, recorded for undo, saved. */
  commitRoiPatch(patch: RoiPatch, select?: RoiId | null, o?: { save?: boolean }): void;
  undoRois(): void;
  redoRois(): void;
  selectRoi(id: RoiId | null): void;
  setActiveTool(t: ToolId): void;
  setDrawRole(r: RoiRole): void;
  setBrushSize(px: number): void;
  /** Rename, change role or colour, hide/show (one undo step). */
  editRoi(id: RoiId, edit: RoiEdit): void;
  /** Deletes a region (the selected one by default). */
  deleteRoi(id?: RoiId): void;
  /** The workspace changed (project opened/closed): forget local copies and history, reload. */
  resetRois(): Promise<void>;
}

/** A region with `edit` applied; a region that becomes include gets a label and colour if it has none. */
export function editedRoi(r: Roi, edit: RoiEdit, all: readonly Roi[]): Roi {
  const next: { -readonly [K in keyof Roi]?: Roi[K] } = { ...r, ...edit };
  if ('label' in edit && !edit.label?.trim()) delete next.label;
  else if (edit.label) next.label = edit.label.trim().slice(0, 200);
  if (edit.hidden === false) delete next.hidden;
  if (next.role === 'include' && r.role === 'exclude') {
    next.label ??= nextRegionLabel(all);
    next.colour ??= nextIncludeColour(all);
  }
  return next as Roi;
}

export const createRoiSlice: SliceCreator<RoiSlice> = (deps) => (set, get, store) => {
  const { client } = deps;
  let loadToken = 0;
  const queue = createRoiSaveQueue({
    save: (id, rois) => client.core.saveRois(id, rois),
    onSaved: (id) => {
      if (get().roiSave.kind === 'error') set({ roiSave: { kind: 'saving' } }, undefined, 'rois/retried');
      if (id === get().currentId) set((s) => ({ roiRevision: s.roiRevision + 1 }), undefined, 'rois/saved');
    },
    onError: (_id, e) => {
      const s = get();
      const message = (e as { userMessage?: string }).userMessage ?? String(e);
      set({ roiSave: { kind: 'error', message } }, undefined, 'rois/saveFailed');
      s.notify('error', `Regions could not be saved: ${message}`);
    },
    onBusyChange: (busy) =>
      set((s) => (s.roiSave.kind === 'error' && !busy ? {} : { roiSave: busy ? { kind: 'saving' } : { kind: 'saved' } }), undefined, 'rois/saveState'),
  });

  /** Applies a patch to the current image without recording it. */
  function apply(patch: RoiPatch, history: RoiHistory | null, select: RoiId | null | undefined, save: boolean): void {
    const s = get();
    const id = s.roiImageId;
    if (!id || s.roisLoading) return;
    const rois = applyPatch(s.rois, patch);
    const keep = select !== undefined ? select : s.selectedRoiId && rois.some((r) => r.id === s.selectedRoiId) ? s.selectedRoiId : null;
    set(
      { rois, selectedRoiId: keep, ...(history ? { roiHistory: { ...s.roiHistory, [id]: history } } : {}) },
      undefined,
      'rois/apply',
    );
    if (save) queue.save(id, rois);
    carryRegionMeta(id, patch);
  }

  /** Region metadata goes by the region's name: a rename (or its undo) takes it along. */
  function carryRegionMeta(imageId: ImageId, patch: RoiPatch): void {
    const meta = get().metaByKey;
    for (const { before, after } of patch.updated) {
      const from = regionName(before), to = regionName(after);
      const m = meta[metaKey(imageId, null, from)];
      if (from === to || !m || meta[metaKey(imageId, null, to)]) continue;
      const fill = Object.fromEntries(SAMPLE_META_FIELDS.map((f) => [f, m[f] ?? null])) as MetaPatch;
      const clear = Object.fromEntries(SAMPLE_META_FIELDS.map((f) => [f, null])) as MetaPatch;
      void get()
        .setMeta([{ imageId, region: to }], fill)
        .then(() => get().setMeta([{ imageId, region: from }], clear));
    }
  }

  const historyOf = () => {
    const s = get();
    return (s.roiImageId && s.roiHistory[s.roiImageId]) || EMPTY_HISTORY;
  };

  return {
    ...createRoiTransfers(deps, queue)(set, get, store),
    roiImageId: null,
    rois: [],
    roisLoading: false,
    selectedRoiId: null,
    activeTool: 'select',
    drawRole: 'include',
    brushSizePx: BRUSH_DEFAULT_PX,
    roiHistory: {},
    roiSave: { kind: 'saved' },
    roiRevision: 0,
    async loadRois(id) {
      const token = ++loadToken;
      if (!id) return set({ roiImageId: null, rois: [], roisLoading: false, selectedRoiId: null }, undefined, 'rois/none');
      const local = queue.unsaved(id);
      if (local) return set({ roiImageId: id, rois: local, roisLoading: false, selectedRoiId: null }, undefined, 'rois/local');
      set({ roiImageId: id, rois: [], roisLoading: true, selectedRoiId: null }, undefined, 'rois/loading');
      try {
        const rois = await client.core.loadRois(id);
        if (token === loadToken) set({ rois, roisLoading: false }, undefined, 'rois/loaded');
      } catch (e) {
        if (token !== loadToken) return;
        set({ roisLoading: false }, undefined, 'rois/loadFailed');
        // An image of a workspace that was just replaced (its library update is on its way) is no error.
        if (get().currentId === id) get().reportError(e);
      }
    },
    commitRoiPatch(patch, select, o = {}) {
      if (isEmptyPatch(patch) || !get().roiImageId) return;
      set({ undoTarget: 'rois' }, undefined, 'rois/undoTarget');
      apply(patch, recordPatch(historyOf(), patch), select, o.save ?? true);
    },
    undoRois() {
      const u = takeUndo(historyOf());
      if (!u) return;
      set({ undoTarget: 'rois' }, undefined, 'rois/undoTarget');
      apply(u.patch, u.history, undefined, true);
    },
    redoRois() {
      const r = takeRedo(historyOf());
      if (!r) return;
      set({ undoTarget: 'rois' }, undefined, 'rois/undoTarget');
      apply(r.patch, r.history, undefined, true);
    },
    selectRoi: (selectedRoiId) => set({ selectedRoiId }, undefined, 'rois/select'),
    setActiveTool: (activeTool) => set({ activeTool }, undefined, 'rois/tool'),
    setDrawRole: (drawRole) => set({ drawRole }, undefined, 'rois/role'),
    setBrushSize: (px) => set({ brushSizePx: Math.round(Math.min(BRUSH_MAX_PX, Math.max(BRUSH_MIN_PX, px))) }, undefined, 'rois/brush'),
    editRoi(id, edit) {
      const s = get();
      const before = s.rois.find((r) => r.id === id);
      if (!before) return;
      const after = editedRoi(before, edit, s.rois);
      if (after.label === before.label && after.role === before.role && after.colour === before.colour && !!after.hidden === !!before.hidden) return;
      s.commitRoiPatch({ added: [], updated: [{ before, after }], removed: [] });
    },
    deleteRoi(id) {
      const s = get();
      const r = s.rois.find((x) => x.id === (id ?? s.selectedRoiId));
      if (r) s.commitRoiPatch({ added: [], updated: [], removed: [r] }, s.selectedRoiId === r.id ? null : undefined);
    },
    async resetRois() {
      await queue.flush();
      queue.clear();
      set({ roiHistory: {}, roiSave: { kind: 'saved' } }, undefined, 'rois/reset');
      await get().loadRois(get().currentId);
    },
  };
};
