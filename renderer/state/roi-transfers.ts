/**
 * Regions in and out of the current image: import (QuPath GeoJSON, ImageJ .roi / RoiSet .zip),
 * export as QuPath GeoJSON, and copying the current image's set to other images. Part of the ROI
 * slice; pending saves are flushed first so the core works on what the user sees.
 */
import type { ImageId, RoiCopyMode } from '../../src/common/api.js';
import { diffRois } from '../tools/roi-patch.js';
import type { AppState, SliceDeps } from './app-state.js';
import type { RoiSaveQueue } from './roi-save-queue.js';
import type { StateCreator } from 'zustand';

export interface RoiTransfers {
  /** Asks for a region file and adds its regions to the current image (one undo step). */
  importRoisWithDialog(): Promise<void>;
  /** Asks where to write the current image's regions as QuPath GeoJSON. */
  exportRoisWithDialog(): Promise<void>;
  /** Copies the current image's regions to `ids` (added to theirs, or replacing them). */
  applyRoisTo(ids: readonly ImageId[], mode: RoiCopyMode): Promise<boolean>;
}

const baseName = (p: string) => p.split(/[\\/]/).pop() ?? p;
const stem = (name: string) => baseName(name).replace(/\.[^.]+$/, '');

export const createRoiTransfers =
  ({ client }: SliceDeps, queue: RoiSaveQueue): StateCreator<AppState, [['zustand/devtools', never]], [], RoiTransfers> =>
  (set, get) => {
    /** The current image, when its regions are loaded; else says why not. */
    function current(): { id: ImageId; name: string } | null {
      const s = get();
      const img = s.images.find((i) => i.id === s.roiImageId);
      if (!img || s.roisLoading) {
        s.notify('info', 'Open an image first: regions belong to one image.');
        return null;
      }
      return { id: img.id, name: img.displayName };
    }

    return {
      async importRoisWithDialog() {
        const img = current();
        if (!img) return;
        try {
          const file = (await client.pickPaths({ kind: 'openFile', title: 'Import regions: QuPath GeoJSON, ImageJ .roi or RoiSet .zip', extensions: ['geojson', 'json', 'roi', 'zip'] }))?.[0];
          if (!file) return;
          await queue.flush(img.id);
          const all = await client.core.importRois(img.id, file);
          const s = get();
          if (s.roiImageId !== img.id) return;
          const patch = diffRois(s.rois, all);
          // Already saved by the core: recorded for undo, not saved again.
          s.commitRoiPatch(patch, patch.added[0]?.id ?? null, { save: false });
          set((x) => ({ roiRevision: x.roiRevision + 1 }), undefined, 'rois/imported');
          s.notify('success', `Imported ${patch.added.length} region${patch.added.length === 1 ? '' : 's'} from ${baseName(file)}.`);
        } catch (e) {
          get().reportError(e);
        }
      },
      async exportRoisWithDialog() {
        const img = current();
        if (!img) return;
        if (!get().rois.length) return get().notify('info', 'This image has no regions to export yet.');
        try {
          const target = (await client.pickPaths({ kind: 'saveFile', title: 'Export regions as GeoJSON (QuPath)', defaultName: `${stem(img.name)}.geojson` }))?.[0];
          if (!target) return;
          await queue.flush(img.id);
          await client.core.exportRois(img.id, target);
          get().notify('success', `Regions saved as ${target}.`);
        } catch (e) {
          get().reportError(e);
        }
      },
      async applyRoisTo(ids, mode) {
        const img = current();
        if (!img) return false;
        const targets = ids.filter((id) => id !== img.id);
        if (!targets.length) {
          get().notify('info', 'Select the images to copy the regions to in the library (Ctrl-click, Shift-click).');
          return false;
        }
        try {
          await queue.flush();
          await client.core.copyRois(img.id, targets, mode);
          // Their regions changed outside their undo history.
          set((s) => ({ roiHistory: Object.fromEntries(Object.entries(s.roiHistory).filter(([k]) => !targets.includes(k as ImageId))) }), undefined, 'rois/copied');
          const n = get().rois.length;
          const regions = `${n} region${n === 1 ? '' : 's'}`, images = `${targets.length} image${targets.length === 1 ? '' : 's'}`;
          get().notify('success', mode === 'replace' ? `The regions of ${images} were replaced by these ${regions}.` : `Added ${regions} to ${images}.`);
          return true;
        } catch (e) {
          get().reportError(e);
          return false;
        }
      },
    };
  };
