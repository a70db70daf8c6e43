/** The library: images the user opened, selection, current image, sort and filter. */
import type { ImageEntry, ImageId, OpenImagesResult, SkippedFile } from '../../src/common/api.js';
import type { SliceCreator } from './app-state.js';
import { selectVisibleIds } from './selectors.js';

export type SortKey = 'name' | 'pct' | 'status' | 'group';
export type SelectMode = 'only' | 'toggle' | 'range';

export interface LibrarySlice {
  images: readonly ImageEntry[];
  /** True once the first listImages() answered (until then the library shows a spinner). */
  libraryLoaded: boolean;
  libraryBusy: boolean;
  selectedIds: readonly ImageId[];
  currentId: ImageId | null;
  anchorId: ImageId | null;
  sortKey: SortKey;
  sortDesc: boolean;
  filterText: string;
  /** Files left out by the last open (not images, unreadable folders…). */
  skipped: readonly SkippedFile[];
  setImages(images: readonly ImageEntry[]): void;
  select(id: ImageId, mode: SelectMode): void;
  selectAll(): void;
  setCurrent(id: ImageId | null): void;
  /** Moves the current image by `delta` in the visible order (J/K, arrows). */
  stepCurrent(delta: number): void;
  setSort(key: SortKey): void;
  setFilter(text: string): void;
  /** Loads the library; a first start with an empty library opens the bundled samples. */
  loadLibrary(): Promise<void>;
  openPaths(paths: readonly string[]): Promise<void>;
  /** Adds what an open returned (e.g. the Electron menu opened files itself). */
  addOpened(r: OpenImagesResult): void;
  /** Asks the user for files or a folder (native dialog or the in-app browser), then opens them. */
  openWithDialog(kind: 'files' | 'folder'): Promise<void>;
  openSamples(): Promise<void>;
  removeSelected(): Promise<void>;
}

export const createLibrarySlice: SliceCreator<LibrarySlice> = ({ client }) => (set, get) => {
  /** Merges the result of an open into the library and shows the first new image. */
  function applyOpened(r: OpenImagesResult, o: { quiet?: boolean } = {}): void {
    const known = new Map(get().images.map((i) => [i.id, i] as const));
    const already = r.images.filter((img) => known.has(img.id)).length;
    for (const img of r.images) known.set(img.id, img);
    const images = [...known.values()];
    const first = r.images[0]?.id ?? null;
    set(
      (s) => ({
        images,
        skipped: o.quiet ? s.skipped : r.skipped,
        currentId: s.currentId && known.has(s.currentId) ? s.currentId : first,
        selectedIds: s.selectedIds.length ? s.selectedIds : first ? [first] : [],
        anchorId: s.anchorId ?? first,
      }),
      undefined,
      'library/opened',
    );
    if (r.skipped.length && !o.quiet) {
      get().notify('info', `${r.skipped.length} file${r.skipped.length > 1 ? 's were' : ' was'} skipped (see Problems).`);
    }
    if (already && already === r.images.length && !o.quiet) {
      get().notify('info', already === 1 ? 'That image is already in the library (same file or same content).' : `These ${already} images are already in the library (same files or same content).`);
    }
    const bad = r.images.filter((i) => i.error).length;
    if (bad) get().notify('info', `${bad} image${bad > 1 ? 's' : ''} could not be read (marked in the library).`);
  }

  async function busy<T>(work: () => Promise<T>): Promise<T | undefined> {
    set({ libraryBusy: true }, undefined, 'library/busy');
    try {
      return await work();
    } catch (e) {
      get().reportError(e);
      return undefined;
    } finally {
      set({ libraryBusy: false }, undefined, 'library/idle');
    }
  }

  return {
    images: [],
    libraryLoaded: false,
    libraryBusy: false,
    selectedIds: [],
    currentId: null,
    anchorId: null,
    sortKey: 'name',
    sortDesc: false,
    filterText: '',
    skipped: [],
    setImages: (images) =>
      set(
        (s) => {
          const ids = new Set(images.map((i) => i.id));
          return {
            images,
            selectedIds: s.selectedIds.filter((id) => ids.has(id)),
            currentId: s.currentId && ids.has(s.currentId) ? s.currentId : (images[0]?.id ?? null),
          };
        },
        undefined,
        'library/setImages',
      ),
    select: (id, mode) => {
      const s = get();
      if (mode === 'only') {
        set({ selectedIds: [id], anchorId: id, currentId: id }, undefined, 'library/select');
      } else if (mode === 'toggle') {
        const has = s.selectedIds.includes(id);
        set(
          // Ctrl/Shift-click extend the selection and keep the image shown (e.g. the one whose regions
          // are to be copied to the selection); only a click opens another image
          { selectedIds: has ? s.selectedIds.filter((x) => x !== id) : [...s.selectedIds, id], anchorId: id, currentId: s.currentId ?? id },
          undefined,
          'library/toggle',
        );
      } else {
        const order = selectVisibleIds(s);
        const a = order.indexOf(s.anchorId ?? id), b = order.indexOf(id);
        const [lo, hi] = a < 0 ? [b, b] : [Math.min(a, b), Math.max(a, b)];
        set({ selectedIds: order.slice(lo, hi + 1), currentId: s.currentId ?? id }, undefined, 'library/range');
      }
    },
    selectAll: () => set((s) => ({ selectedIds: [...selectVisibleIds(s)] }), undefined, 'library/selectAll'),
    setCurrent: (currentId) => set({ currentId }, undefined, 'library/setCurrent'),
    stepCurrent: (delta) => {
      const s = get();
      const order = selectVisibleIds(s);
      if (!order.length) return;
      const at = s.currentId ? order.indexOf(s.currentId) : -1;
      const next = order[Math.min(order.length - 1, Math.max(0, at < 0 ? 0 : at + delta))]!;
      set({ currentId: next, selectedIds: [next], anchorId: next }, undefined, 'library/step');
    },
    setSort: (key) =>
      set((s) => ({ sortKey: key, sortDesc: s.sortKey === key ? !s.sortDesc : key === 'pct' }), undefined, 'library/setSort'),
    setFilter: (filterText) => set({ filterText }, undefined, 'library/setFilter'),
    async loadLibrary() {
      await busy(async () => {
        const images = await client.core.listImages();
        set({ libraryLoaded: true }, undefined, 'library/loaded');
        if (images.length === 0) applyOpened(await client.core.openSamples(), { quiet: true });
        else applyOpened({ images, skipped: [] });
      });
      set({ libraryLoaded: true }, undefined, 'library/loaded');
    },
    async openPaths(paths) {
      if (!paths.length) return;
      await busy(async () => applyOpened(await client.core.openImages(paths)));
    },
    addOpened: (r) => applyOpened(r),
    async openWithDialog(kind) {
      try {
        const title = kind === 'folder' ? 'Open a folder of images' : 'Open images';
        const paths = await client.pickPaths({ kind, title });
        if (paths?.length) await get().openPaths(paths);
      } catch (e) {
        get().reportError(e);
      }
    },
    async openSamples() {
      await busy(async () => applyOpened(await client.core.openSamples(), { quiet: true }));
    },
    async removeSelected() {
      const ids = get().selectedIds;
      if (!ids.length) return;
      await busy(async () => {
        await client.core.removeImages(ids);
        const gone = new Set<string>(ids);
        get().setImages(get().images.filter((i) => !gone.has(i.id)));
        set({ selectedIds: [] }, undefined, 'library/removed');
      });
    },
  };
};
