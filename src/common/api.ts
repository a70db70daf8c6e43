/**
 * CoreApi — the only door between a host (CLI, Electron preload/main, web host) and the core.
 * A new capability = a method here + its body in src/app/core.ts + its name in CORE_METHODS.
 * Every argument is validated with the zod schemas below when it enters the core.
 */
import { z } from 'zod';
import type { ImageResult, ReferenceKind } from './result.js';
import { REFERENCE_KINDS } from './recipe-schema.js';

export type BatchId = string & { readonly __brand: 'BatchId' };

export const PRESET_NAMES = ['alizarin', 'vonkossa'] as const;
export type PresetName = (typeof PRESET_NAMES)[number];

export interface AppInfo {
  readonly version: string;
  readonly presets: readonly { readonly name: PresetName; readonly recipeId: string; readonly title: string }[];
  readonly workers: number;
}

export interface ScannedImage {
  readonly path: string;
  /** Path relative to the folder the user gave (or the file name). */
  readonly displayName: string;
  readonly sizeBytes: number;
}
export interface SkippedFile {
  readonly path: string;
  readonly reason: string;
}

export const batchRequestSchema = z.strictObject({
  images: z
    .array(z.strictObject({ path: z.string().min(1).max(4096), displayName: z.string().min(1).max(4096) }))
    .min(1)
    .max(100_000),
  /** A preset name or a recipe document (validated and migrated by the core). */
  recipe: z.union([z.strictObject({ preset: z.enum(PRESET_NAMES) }), z.strictObject({ document: z.unknown(), source: z.string().max(4096) })]),
  referenceKind: z.enum(REFERENCE_KINDS).optional(),
  /** GeoJSON or mask image applied to every image. */
  regionPath: z.string().min(1).max(4096).optional(),
  pixelSizeUm: z.number().gt(0).lt(1e6).optional(),
  page: z.number().int().min(0).max(100_000).optional(),
  /** Write overlay and mask PNGs into this folder. */
  overlayDir: z.string().min(1).max(4096).optional(),
});
export type BatchRequest = z.infer<typeof batchRequestSchema>;

export interface BatchProgress {
  readonly batchId: BatchId;
  readonly done: number;
  readonly failed: number;
  readonly total: number;
  /** The row just finished (absent for the initial event). */
  readonly result?: ImageResult;
  readonly elapsedMs: number;
  /** Estimated time left, null until one image has finished. */
  readonly etaMs: number | null;
}

export interface BatchSummary {
  readonly batchId: BatchId;
  readonly state: 'running' | 'done' | 'cancelled';
  readonly recipeId: string;
  readonly recipeHash: string;
  readonly results: readonly ImageResult[];
}

export const exportRequestSchema = z.strictObject({
  batchId: z.string().min(1).max(100),
  outDir: z.string().min(1).max(4096),
});
export type ExportRequest = z.infer<typeof exportRequestSchema>;

export interface CoreEvents {
  'batch:progress': BatchProgress;
  'batch:done': BatchSummary;
}

export interface CoreApi {
  getAppInfo(): Promise<AppInfo>;
  /** Expands folders (recursively) into image files; non-images are listed as skipped with a reason. */
  scanInputs(paths: readonly string[]): Promise<{ images: ScannedImage[]; skipped: SkippedFile[] }>;
  startBatch(req: BatchRequest): Promise<BatchId>;
  cancelBatch(id: BatchId): Promise<void>;
  getBatch(id: BatchId): Promise<BatchSummary>;
  /** Writes results.csv and results.json (atomically) for a finished or cancelled batch. */
  exportResults(req: ExportRequest): Promise<{ csvPath: string; jsonPath: string }>;
  on<K extends keyof CoreEvents>(topic: K, cb: (e: CoreEvents[K]) => void): () => void;
}

export const CORE_METHODS = [
  'getAppInfo',
  'scanInputs',
  'startBatch',
  'cancelBatch',
  'getBatch',
  'exportResults',
] as const satisfies readonly Exclude<keyof CoreApi, 'on'>[];

export type { ImageResult, ReferenceKind };
