/** A scripted CoreApi + AppClient for renderer tests: every method is a vi.fn with a sensible default. */
import { vi } from 'vitest';
import type { AppInfo, BatchId, CoreApi, CoreEvents, ImageEntry, ImageId, ImageResult, PresetInfo } from '../../../src/common/api.js';
import type { AppClient, PathPickerUi } from '../../../renderer/api/types.js';
import alizarin from '../../../assets/recipes/alizarin.json';
import vonkossa from '../../../assets/recipes/vonkossa.json';
import { STAIN_MODELS } from '../../../src/pipeline/stains.js';

export const PRESETS: PresetInfo[] = [
  { name: 'alizarin', recipeId: alizarin.id, title: alizarin.name, document: alizarin },
  { name: 'vonkossa', recipeId: vonkossa.id, title: vonkossa.name, document: vonkossa },
];
/** The core's own stain models, as getAppInfo gives them. */
export const STAIN_MODEL_INFO: AppInfo['stainModels'] = Object.values(STAIN_MODELS).map((m) => ({
  id: m.id, name: m.name, label: m.label, mineralName: m.mineralName, counterstainName: m.counterstainName,
  mineral: m.mineral, counterstain: m.counterstain, third: m.third, neutralMineral: m.neutralMineral, minContrast: m.minContrast, sources: m.sources,
}));
export const APP_INFO: AppInfo = { version: '0.1.0', presets: PRESETS, stainModels: STAIN_MODEL_INFO, workers: 2 };

let n = 0;
export function imageId(i: number): ImageId {
  return i.toString(16).padStart(16, '0') as ImageId;
}

export function entry(name: string, o: Partial<ImageEntry> = {}): ImageEntry {
  const id = o.id ?? imageId(++n);
  return {
    id, path: `/data/${name}`, displayName: name, sizeBytes: 1000, widthPx: 100, heightPx: 80, pixelSizeUm: null,
    pixelSizeSource: null, format: 'jpeg', error: null, thumbnailPath: `/res/thumb/${id}.jpg`, ...o,
  };
}

export function row(image: string, o: Partial<ImageResult> = {}): ImageResult {
  return {
    image, status: 'ok', error: null, errorCode: null, widthPx: 100, heightPx: 80, reference: 'tissue',
    referenceAreaPx: 1000, mineralAreaPx: 100, mineralPct: 10, pixelSizeUm: null, pixelSizeSource: 'none',
    referenceAreaUm2: null, mineralAreaUm2: null, depositCount: 3, meanOd: 0.5, integratedOd: 50, thresholdOd: 0.2,
    recipeId: 'alizarin-default', recipeHash: 'h', appVersion: '0.1.0', imageSha256: null, warnings: [], notes: [], ...o,
  };
}

export type FakeCore = { [K in Exclude<keyof CoreApi, 'on'>]: ReturnType<typeof vi.fn> } & {
  on: CoreApi['on'];
  emit<K extends keyof CoreEvents>(topic: K, e: CoreEvents[K]): void;
};

export function fakeCore(images: ImageEntry[] = []): FakeCore {
  const listeners = new Map<string, Set<(e: unknown) => void>>();
  let batchNo = 0;
  const core = {
    getAppInfo: vi.fn(async () => APP_INFO),
    scanInputs: vi.fn(async () => ({ images: [], skipped: [] })),
    openImages: vi.fn(async () => ({ images: [], skipped: [] })),
    openSamples: vi.fn(async () => ({ images, skipped: [] })),
    listImages: vi.fn(async () => []),
    removeImages: vi.fn(async () => undefined),
    listDirectory: vi.fn(async (p: string) => ({ path: p || '/home/u', parent: p ? '/' : null, entries: [] })),
    getImageView: vi.fn(),
    probePixel: vi.fn(),
    validateRecipe: vi.fn(async (document: unknown) => ({ document, recipeHash: 'h' })),
    previewImage: vi.fn(),
    startBatch: vi.fn(async () => `batch-${++batchNo}` as BatchId),
    cancelBatch: vi.fn(async () => undefined),
    getBatch: vi.fn(),
    getResultsCsv: vi.fn(async () => 'image,status\n'),
    exportResults: vi.fn(async () => ({ csvPath: '/out/results.csv', jsonPath: '/out/results.json', overlayCount: 2 })),
    on: ((topic: string, cb: (e: unknown) => void) => {
      const set = listeners.get(topic) ?? new Set();
      listeners.set(topic, set);
      set.add(cb);
      return () => set.delete(cb);
    }) as CoreApi['on'],
    emit: (topic: string, e: unknown) => listeners.get(topic)?.forEach((cb) => cb(e)),
  };
  return core as unknown as FakeCore;
}

export function fakeClient(core: FakeCore = fakeCore()): AppClient & { core: FakeCore; picker: PathPickerUi | null } {
  const client = {
    core,
    picker: null as PathPickerUi | null,
    resourceUrl: (p: string) => `${p}?token=t`,
    pickPaths: vi.fn(async () => null as string[] | null),
    saveText: vi.fn(async (name: string) => name),
    openText: vi.fn(async () => null),
    pathsOfDroppedFiles: vi.fn(() => null),
    onMenu: () => () => {},
    needsPathPickerUi: true,
    setPathPickerUi(ui: PathPickerUi | null) {
      client.picker = ui;
    },
  };
  return client as unknown as AppClient & { core: FakeCore; picker: PathPickerUi | null };
}
