/**
 * Sample metadata (sample type, group, animal / donor, replicate, notes per image, well or region),
 * the library's group filter, the wells or regions picked for editing, sample sheets, file-name patterns and
 * blinded mode. Holds what the core returned; the core is the authority (event 'metadata:changed').
 */
import type { CoreEvents, ImageId, MetaPatch } from '../../src/common/api.js';
import type { SliceCreator } from './app-state.js';
import { applyPatch, newBlindSalt, targetKey, toMetaMap, type MetaMap, type MetaTarget } from './metadata-model.js';

export interface SheetReport {
  readonly fileName: string;
  readonly applied: number;
  readonly unusedRows: readonly { readonly line: number; readonly what: string }[];
  readonly ignoredColumns: readonly string[];
  /** How many images received the rows that name only a well (the selection). */
  readonly plateImages: number;
}

/** Wells of one plate image picked in the metadata panel or the viewer. */
export interface WellSelection {
  readonly imageId: ImageId;
  readonly wells: readonly string[];
}

/** Regions (by name) of one image picked in the metadata panel. */
export interface RegionSelection {
  readonly imageId: ImageId;
  readonly regions: readonly string[];
}

export interface MetadataSlice {
  metaByKey: MetaMap;
  metaLoaded: boolean;
  blinded: boolean;
  /** Salt of the neutral codes and the random order of blinded mode (new per session). */
  blindSalt: string;
  /** Library filter: null = all images, '' = images without a group, else one group. */
  groupFilter: string | null;
  wellSelection: WellSelection | null;
  regionSelection: RegionSelection | null;
  namePatternOpen: boolean;
  sheetReport: SheetReport | null;
  loadMetadata(): Promise<void>;
  applyMetadataEvent(e: CoreEvents['metadata:changed']): void;
  /** Sets / clears fields of many images or wells at once. */
  setMeta(targets: readonly MetaTarget[], patch: MetaPatch): Promise<void>;
  /** Asks for a plate map / sample sheet CSV and applies it; the report lists what was not used. */
  importSampleSheet(): Promise<void>;
  closeSheetReport(): void;
  setNamePatternOpen(open: boolean): void;
  applyNamePattern(pattern: string): Promise<boolean>;
  setBlinded(on: boolean): Promise<void>;
  setGroupFilter(group: string | null): void;
  selectWells(imageId: ImageId, wells: readonly string[]): void;
  /** Regions (by name) of `imageId` whose own metadata the panel edits; none = the whole image. */
  selectRegions(imageId: ImageId, regions: readonly string[]): void;
}

const SALT_KEY = 'calciquant.blindSalt';

function sessionSalt(): string {
  try {
    const s = globalThis.sessionStorage?.getItem(SALT_KEY);
    if (s) return s;
    const fresh = newBlindSalt();
    globalThis.sessionStorage?.setItem(SALT_KEY, fresh);
    return fresh;
  } catch {
    return newBlindSalt();
  }
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

export const createMetadataSlice: SliceCreator<MetadataSlice> = ({ client }) => (set, get) => ({
  metaByKey: {},
  metaLoaded: false,
  blinded: false,
  blindSalt: sessionSalt(),
  groupFilter: null,
  wellSelection: null,
  regionSelection: null,
  namePatternOpen: false,
  sheetReport: null,
  async loadMetadata() {
    try {
      const [entries, blinded] = await Promise.all([client.core.getMetadata(), client.core.getBlinded()]);
      set({ metaByKey: toMetaMap(entries), blinded, metaLoaded: true }, undefined, 'metadata/loaded');
    } catch (e) {
      get().reportError(e);
    }
  },
  applyMetadataEvent: (e) =>
    set((s) => ({ metaByKey: toMetaMap(e.entries), blinded: e.blinded, metaLoaded: true, ...(e.blinded && !s.blinded ? { groupFilter: null } : {}) }), undefined, 'metadata/event'),
  async setMeta(targets, patch) {
    if (!targets.length) return;
    try {
      await client.core.setMetadata(targets.map((t) => ({ imageId: t.imageId, well: t.well ?? null, region: t.region ?? null })), patch);
      set((s) => ({ metaByKey: applyPatch(s.metaByKey, targets.map(targetKey), patch) }), undefined, 'metadata/set');
    } catch (e) {
      get().reportError(e);
    }
  },
  async importSampleSheet() {
    try {
      const file = (await client.pickPaths({ kind: 'openFile', title: 'Choose a plate map or sample sheet (CSV)', extensions: ['csv', 'tsv', 'txt'] }))?.[0];
      if (!file) return;
      // Rows naming only a well (a plate map) go to the selected images, not to every image.
      const plateImages = get().selectedIds;
      const r = await client.core.importSampleSheet(file, plateImages);
      const fileName = file.split(/[\\/]/).pop() ?? file;
      set({ sheetReport: { fileName, applied: r.applied, unusedRows: r.unusedRows, ignoredColumns: r.ignoredColumns, plateImages: plateImages.length } }, undefined, 'metadata/sheet');
      await get().loadMetadata();
      const rest = r.unusedRows.length ? `; ${plural(r.unusedRows.length, 'row')} not used` : '';
      get().notify(r.applied ? 'success' : 'info', `${fileName}: metadata set for ${plural(r.applied, 'image or well', 'images or wells')}${rest}.`);
    } catch (e) {
      get().reportError(e);
    }
  },
  closeSheetReport: () => set({ sheetReport: null }, undefined, 'metadata/closeSheet'),
  setNamePatternOpen: (namePatternOpen) => set({ namePatternOpen }, undefined, 'metadata/namePattern'),
  async applyNamePattern(pattern) {
    try {
      const r = await client.core.applyNamePattern(pattern);
      await get().loadMetadata();
      get().notify(r.applied ? 'success' : 'info', `Read metadata from ${plural(r.applied, 'file name')}${r.unmatched ? `; ${r.unmatched} did not match the pattern` : ''}.`);
      return true;
    } catch (e) {
      get().reportError(e);
      return false;
    }
  },
  async setBlinded(on) {
    try {
      await client.core.setBlinded(on);
      set(
        (s) => ({ blinded: on, ...(on ? { groupFilter: null, sortKey: s.sortKey === 'group' ? ('name' as const) : s.sortKey } : {}) }),
        undefined,
        'metadata/blinded',
      );
      get().notify('info', on ? 'Blinded: names and groups are hidden; images are listed in a random order.' : 'Blinded mode is off.');
    } catch (e) {
      get().reportError(e);
    }
  },
  setGroupFilter: (groupFilter) => set({ groupFilter }, undefined, 'metadata/groupFilter'),
  // wells and regions are picked one kind at a time
  selectWells: (imageId, wells) => set({ wellSelection: { imageId, wells: [...new Set(wells)] }, regionSelection: null }, undefined, 'metadata/selectWells'),
  selectRegions: (imageId, regions) => set({ regionSelection: { imageId, regions: [...new Set(regions)] }, wellSelection: null }, undefined, 'metadata/selectRegions'),
});
