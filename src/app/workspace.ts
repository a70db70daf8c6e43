/**
 * What the app is working on: either a session (images by path, regions kept in memory) or a
 * project folder (images by relative path + SHA-256, regions and results saved to disk with
 * autosave). createCore talks to this interface only.
 */
import path from 'node:path';
import type { ImageEntry, ImageId, OpenImagesResult, ScannedImage, SkippedFile } from '../common/api.js';
import { AppError } from '../common/errors.js';
import type { Roi } from '../common/roi.js';
import type { ImageResult } from '../common/result.js';
import { createAutosaver, type Autosaver, type ProjectImage, type ProjectStore } from '../project/index.js';
import { Library, thumbnailPathOf } from './library.js';
import { isEmptyMeta, type SampleMeta } from '../study/metadata.js';
import type { PlateWellGeometry } from '../workers/analysis-job.js';

export interface Workspace {
  readonly project: ProjectStore | null;
  readonly cacheDir: string;
  list(): ImageEntry[];
  get(id: ImageId): ImageEntry;
  add(images: readonly ScannedImage[], skipped: readonly SkippedFile[]): Promise<OpenImagesResult>;
  remove(ids: readonly ImageId[]): Promise<void>;
  loadRois(id: ImageId): Promise<Roi[]>;
  saveRois(id: ImageId, rois: readonly Roi[]): Promise<void>;
  saveResult(id: ImageId, recipeId: string, row: ImageResult, regionRows: readonly ImageResult[]): Promise<void>;
  /** Sample metadata keyed by image id, or `imageId#A1` for a well. */
  metadata(): ReadonlyMap<string, SampleMeta>;
  /** Replaces the given keys' metadata (an empty record removes the key). */
  setMetadata(entries: ReadonlyMap<string, SampleMeta>): Promise<void>;
  /** Wells the user set for a plate image (instead of detecting them), or null. */
  plateWells(id: ImageId): readonly PlateWellGeometry[] | null;
  setPlateWells(id: ImageId, wells: readonly PlateWellGeometry[] | null): Promise<void>;
  /** Waits for pending autosaves; false when some could not be written. */
  flush(): Promise<boolean>;
  close(): Promise<void>;
}

/** What metadata belongs to: an image, one of its wells, or one of its regions (by name). */
export interface MetaTarget {
  readonly imageId: ImageId;
  readonly well: string | null;
  readonly region: string | null;
}

/** `imageId`, `imageId#A1` (a well) or `imageId@name` (a region); ids never hold `#` or `@`. */
export function metaKeyOf(t: { imageId: string; well?: string | null; region?: string | null }): string {
  return t.well ? `${t.imageId}#${t.well}` : t.region ? `${t.imageId}@${t.region}` : t.imageId;
}

/** Splits keys made by metaKeyOf. */
export function parseMetaKey(key: string): MetaTarget {
  const i = key.search(/[#@]/);
  if (i < 0) return { imageId: key as ImageId, well: null, region: null };
  const imageId = key.slice(0, i) as ImageId, rest = key.slice(i + 1);
  return key[i] === '#' ? { imageId, well: rest, region: null } : { imageId, well: null, region: rest };
}

export function createSessionWorkspace(cacheDir: string): Workspace {
  const library = new Library();
  const rois = new Map<ImageId, Roi[]>();
  const meta = new Map<string, SampleMeta>();
  const plates = new Map<ImageId, readonly PlateWellGeometry[]>();
  return {
    project: null,
    cacheDir,
    list: () => library.list(),
    get: (id) => library.get(id),
    add: (images, skipped) => library.add(images, skipped),
    remove: async (ids) => {
      library.remove(ids);
      for (const id of ids) rois.delete(id);
    },
    loadRois: async (id) => (library.get(id), [...(rois.get(id) ?? [])]),
    saveRois: async (id, r) => {
      library.get(id);
      rois.set(id, [...r]);
    },
    saveResult: async () => {},
    metadata: () => meta,
    setMetadata: async (entries) => {
      for (const [k, v] of entries) {
        library.get(parseMetaKey(k).imageId);
        if (isEmptyMeta(v)) meta.delete(k);
        else meta.set(k, v);
      }
    },
    plateWells: (id) => plates.get(id) ?? null,
    setPlateWells: async (id, wells) => {
      library.get(id);
      if (wells) plates.set(id, [...wells]);
      else plates.delete(id);
    },
    flush: async () => true,
    close: async () => {},
  };
}

function formatOf(p: string): string | null {
  const ext = path.extname(p).toLowerCase();
  return ({ '.jpg': 'jpeg', '.jpeg': 'jpeg', '.png': 'png', '.tif': 'tiff', '.tiff': 'tiff', '.webp': 'webp' } as Record<string, string>)[ext] ?? null;
}

export function projectEntry(img: ProjectImage): ImageEntry {
  const error =
    img.status === 'missing'
      ? { code: 'IMAGE_UNREADABLE' as const, userMessage: `“${img.displayName}” was not found at ${img.relPath}: it was moved, renamed or deleted. Use Relink images… and choose the folder it is in now.` }
      : img.status === 'changed'
        ? { code: 'IMAGE_UNREADABLE' as const, userMessage: `“${img.displayName}” has changed since it was added to the project (its content differs). Relink the original file, or remove and add it again.` }
        : null;
  return {
    id: img.id, path: img.absPath, displayName: img.displayName, sizeBytes: img.sizeBytes,
    widthPx: img.widthPx, heightPx: img.heightPx, pixelSizeUm: img.pixelSizeUm ?? null,
    pixelSizeSource: img.pixelSizeUm ? 'user' : null, format: formatOf(img.relPath), error,
    thumbnailPath: thumbnailPathOf(img.id),
  };
}

/** Stored form of an image's metadata in the project: `{ sample, wells: { A1: … }, regions: { name: … } }`. */
interface StoredMeta {
  sample?: SampleMeta;
  wells?: Record<string, SampleMeta>;
  regions?: Record<string, SampleMeta>;
  plateWells?: PlateWellGeometry[];
}

function storedMetaOf(store: ProjectStore, id: ImageId): StoredMeta {
  return ((store.image(id).metadata ?? {}) as StoredMeta) ?? {};
}

async function writeStoredMeta(store: ProjectStore, id: ImageId, m: StoredMeta): Promise<void> {
  const clean = Object.fromEntries(Object.entries(m).filter(([, v]) => v !== undefined));
  await store.setImageMetadata(id, Object.keys(clean).length ? (clean as never) : null);
}

function metadataOfProject(store: ProjectStore): Map<string, SampleMeta> {
  const out = new Map<string, SampleMeta>();
  for (const img of store.images()) {
    const m = (img.metadata ?? {}) as StoredMeta;
    if (m.sample && !isEmptyMeta(m.sample)) out.set(img.id, m.sample);
    for (const [well, v] of Object.entries(m.wells ?? {})) if (!isEmptyMeta(v)) out.set(metaKeyOf({ imageId: img.id, well }), v);
    for (const [region, v] of Object.entries(m.regions ?? {})) if (!isEmptyMeta(v)) out.set(metaKeyOf({ imageId: img.id, region }), v);
  }
  return out;
}

export function createProjectWorkspace(store: ProjectStore, onSaveError: (e: unknown) => void): Workspace {
  const autosaver: Autosaver = createAutosaver(store, { debounceMs: 300, onError: (e) => onSaveError(e) });
  const entry = (id: ImageId) => projectEntry(store.image(id));
  return {
    project: store,
    cacheDir: store.cacheDir,
    list: () => store.images().map(projectEntry),
    get: (id) => {
      try {
        return entry(id);
      } catch {
        throw new AppError('INPUT_INVALID', 'That image is not in the project any more. Add it again.');
      }
    },
    async add(images, skipped) {
      const r = await store.addImages(images.map((i) => ({ path: i.path, displayName: i.displayName })));
      const extra: SkippedFile[] = r.skipped.map((s) => ({ path: s.path, reason: s.reason }));
      return { images: [...r.added, ...r.existing].map(projectEntry), skipped: [...skipped, ...extra] };
    },
    remove: (ids) => store.removeImages(ids),
    async loadRois(id) {
      entry(id);
      await autosaver.flush();
      return [...(await store.loadRois(id)).value];
    },
    async saveRois(id, rois) {
      entry(id);
      autosaver.saveRois(id, rois);
    },
    async saveResult(id, recipeId, row, regionRows) {
      autosaver.saveResult(id, recipeId, { result: row, regions: regionRows.map((r) => ({ ...r }) as never) });
    },
    metadata: () => metadataOfProject(store),
    async setMetadata(entries) {
      const next = metadataOfProject(store);
      const touched = new Set<ImageId>();
      for (const [k, v] of entries) {
        const { imageId } = parseMetaKey(k);
        entry(imageId);
        touched.add(imageId);
        if (isEmptyMeta(v)) next.delete(k);
        else next.set(k, v);
      }
      for (const id of touched) {
        const { plateWells } = storedMetaOf(store, id);
        const stored: StoredMeta = { ...(plateWells ? { plateWells } : {}) };
        for (const [k, v] of next) {
          const key = parseMetaKey(k);
          if (key.imageId !== id) continue;
          if (key.well !== null) (stored.wells ??= {})[key.well] = v;
          else if (key.region !== null) (stored.regions ??= {})[key.region] = v;
          else stored.sample = v;
        }
        await writeStoredMeta(store, id, stored);
      }
    },
    plateWells: (id) => storedMetaOf(store, id).plateWells ?? null,
    async setPlateWells(id, wells) {
      entry(id);
      const m = storedMetaOf(store, id);
      await writeStoredMeta(store, id, { ...m, plateWells: wells ? wells.map(({ id: w, cx, cy, radiusPx }) => ({ id: w, cx, cy, radiusPx })) : undefined });
    },
    flush: () => autosaver.flush(),
    async close() {
      await autosaver.flush();
      autosaver.dispose();
      await store.close();
    },
  };
}
