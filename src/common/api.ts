/**
 * CoreApi — the only door between a host (CLI, Electron preload/main, web host) and the core.
 * A new capability = a method here + its body in src/app/core.ts + its name in CORE_METHODS.
 * Every argument is validated with the zod schemas below when it enters the core, so the CLI, the
 * IPC handlers and the HTTP routes get the same checks.
 *
 * Pixels never travel through these methods: thumbnails, deep-zoom tiles and mask overlays are
 * *resources* named by a path (RESOURCE_PATH_PATTERN, e.g. `/res/thumb/<imageId>.jpg`). A host
 * serves them with CoreHandle.readResource (Electron: a custom protocol; web host: HTTP); the
 * renderer turns a path into a URL with the client's `resourceUrl(path)`.
 */
import { z } from 'zod';
import type { ErrorInfo } from './errors.js';
import type { ImageResult, PixelSizeSource, ReferenceKind } from './result.js';
import type { Roi } from './roi.js';
import type { SampleMeta } from './sample-meta.js';
import type { DescriptiveStats } from './descriptive-stats.js';
import { REFERENCE_KINDS } from './recipe-schema.js';

export type BatchId = string & { readonly __brand: 'BatchId' };
/** Stable id of an image in the library (derived from its absolute path). */
export type ImageId = string & { readonly __brand: 'ImageId' };

export const PRESET_NAMES = ['alizarin', 'vonkossa'] as const;
export type PresetName = (typeof PRESET_NAMES)[number];

export interface PresetInfo {
  readonly name: PresetName;
  readonly recipeId: string;
  readonly title: string;
  /** The full recipe document (as in assets/recipes/<name>.json, defaults applied). */
  readonly document: unknown;
}

/** A released stain model (src/pipeline/stains.ts), for recipe editors. */
export interface StainModelInfo {
  readonly id: string;
  readonly name: string;
  readonly label: string;
  readonly mineralName: string;
  readonly counterstainName: string;
  readonly mineral: readonly [number, number, number];
  readonly counterstain: readonly [number, number, number];
  /** null: the residual (cross product) is used. */
  readonly third: readonly [number, number, number] | null;
  readonly neutralMineral: boolean;
  readonly minContrast: number;
  readonly sources: readonly string[];
}

export interface AppInfo {
  readonly version: string;
  readonly presets: readonly PresetInfo[];
  readonly stainModels: readonly StainModelInfo[];
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

/** An image in the library of the running app. */
export interface ImageEntry {
  readonly id: ImageId;
  readonly path: string;
  readonly displayName: string;
  readonly sizeBytes: number;
  /** From the file header; null when it could not be read (then `error` says why). */
  readonly widthPx: number | null;
  readonly heightPx: number | null;
  readonly pixelSizeUm: number | null;
  readonly pixelSizeSource: PixelSizeSource | null;
  readonly format: string | null;
  readonly error: ErrorInfo | null;
  /** Resource path of a JPEG thumbnail (longer side 256 px). */
  readonly thumbnailPath: string;
}

export interface OpenImagesResult {
  /** The images just added (already present ones are returned again, not duplicated). */
  readonly images: readonly ImageEntry[];
  readonly skipped: readonly SkippedFile[];
}

/** What the viewer needs to show an image at any zoom. */
export interface ImageView {
  readonly id: ImageId;
  readonly widthPx: number;
  readonly heightPx: number;
  readonly pixelSizeUm: number | null;
  /** Resource path of a Deep Zoom (DZI) descriptor; tiles live under `<same>_files/`. */
  readonly dziPath: string;
}

export interface PixelProbe {
  readonly xPx: number;
  readonly yPx: number;
  /** Pixel value as stored (0–255, or 0–65535 for 16-bit images). */
  readonly rgb: readonly [number, number, number];
  readonly bitDepth: 8 | 16;
  /** Optical density per channel relative to the image's white point. */
  readonly od: readonly [number, number, number];
}

const pathString = z.string().min(1).max(4096);
const plateLayoutSchema = z.union([z.literal('auto'), z.literal(6), z.literal(12), z.literal(24), z.literal(48), z.literal(96)]);
const imageIdString = z.string().regex(/^[0-9a-f]{16}$/, 'an image id');

/** A recipe: a bundled preset, or a document (validated and migrated by the core). */
export const recipeSourceSchema = z.union([
  z.strictObject({ preset: z.enum(PRESET_NAMES) }),
  z.strictObject({ document: z.unknown(), source: z.string().max(4096) }),
]);
export type RecipeSource = z.infer<typeof recipeSourceSchema>;

export const batchRequestSchema = z
  .strictObject({
    /** Images by path (CLI) … */
    images: z.array(z.strictObject({ path: pathString, displayName: pathString })).min(1).max(100_000).optional(),
    /** … or by library id (app). */
    imageIds: z.array(imageIdString).min(1).max(100_000).optional(),
    recipe: recipeSourceSchema,
    referenceKind: z.enum(REFERENCE_KINDS).optional(),
    /** Plate layout for the plate reference (auto = detect). */
    plateLayout: plateLayoutSchema.optional(),
    /** GeoJSON or mask image applied to every image. */
    regionPath: pathString.optional(),
    pixelSizeUm: z.number().gt(0).lt(1e6).optional(),
    page: z.number().int().min(0).max(100_000).optional(),
    /** Write overlay and mask PNGs into this folder (CLI --overlays). */
    overlayDir: pathString.optional(),
    /** Keep a viewer overlay per image (for the app and the QC sheet); default: yes for imageIds. */
    viewerOverlays: z.boolean().optional(),
  })
  .refine((r) => !!r.images !== !!r.imageIds, 'give either images or imageIds');
export type BatchRequest = z.infer<typeof batchRequestSchema>;

export const previewRequestSchema = z.strictObject({
  imageId: imageIdString,
  recipe: recipeSourceSchema,
  referenceKind: z.enum(REFERENCE_KINDS).optional(),
  plateLayout: plateLayoutSchema.optional(),
  regionPath: pathString.optional(),
  pixelSizeUm: z.number().gt(0).lt(1e6).optional(),
  /** fast: on a copy whose longer side is ≤ 1024 px (for live dragging); full: full resolution. */
  quality: z.enum(['fast', 'full']),
});
export type PreviewRequest = z.infer<typeof previewRequestSchema>;

/** A well of a plate photo: id (A1…), centre and inner radius in full-resolution pixels. */
export interface PlateWellView {
  readonly id: string;
  readonly cx: number;
  readonly cy: number;
  readonly radiusPx: number;
  /** false: placed by the grid fit (no clear wall edge). */
  readonly found?: boolean;
}

export const plateWellsSchema = z
  .array(z.strictObject({ id: z.string().regex(/^[A-P]([1-9]|1[0-9]|2[0-4])$/), cx: z.number().finite(), cy: z.number().finite(), radiusPx: z.number().gt(1).lt(1e6), found: z.boolean().optional() }))
  .min(1)
  .max(384)
  .nullable();

export interface PreviewResult {
  readonly imageId: ImageId;
  readonly quality: 'fast' | 'full';
  /** Measurements; areas are in pixels of the analysed copy, scaled to full resolution when fast. */
  readonly result: ImageResult;
  /** One row per include region (and per well of a plate) of the image. */
  readonly regionRows: readonly ImageResult[];
  /** Plate references: the wells found (or set by the user). */
  readonly plate?: { readonly layout: number; readonly wells: readonly PlateWellView[] };
  /** Resource path of an RGBA PNG overlay (reference outline + mineral fill) covering the whole image. */
  readonly overlayPath: string;
  readonly overlayWidthPx: number;
  readonly overlayHeightPx: number;
  readonly elapsedMs: number;
}

export interface BatchProgress {
  readonly batchId: BatchId;
  readonly done: number;
  readonly failed: number;
  readonly total: number;
  /** The row just finished (absent for the initial event). */
  readonly result?: ImageResult;
  /** Library id of that row's image, when the batch was started with imageIds. */
  readonly imageId?: ImageId;
  /** The per-region rows of that image. */
  readonly regionRows?: readonly ImageResult[];
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
  /** Per-region (and per-well) rows of each image, aligned with results (absent while running). */
  readonly detailRows?: readonly (readonly ImageResult[])[];
  /** Library ids aligned with results (null for path-based batches). */
  readonly imageIds: readonly (ImageId | null)[];
  /** Resource paths of per-image overlays (aligned with results; null when none). */
  readonly overlayPaths: readonly (string | null)[];
}

export const exportRequestSchema = z.strictObject({
  batchId: z.string().min(1).max(100),
  outDir: pathString,
  /** Also write <name>_overlay.png and the binary masks (app export; the CLI writes them during the batch). */
  overlays: z.boolean().optional(),
});
export type ExportRequest = z.infer<typeof exportRequestSchema>;

/** The open project, if any. */
export interface ProjectSummary {
  readonly dir: string;
  readonly name: string;
  readonly imageCount: number;
  /** Images not found at their path (or changed): relink them. */
  readonly missingCount: number;
  /** Remarks from opening (a file restored from its backup, an older version migrated…). */
  readonly warnings: readonly string[];
}

export type RoiCopyMode = 'append' | 'replace';

/** Sample metadata of an image (well null) or of one well of a plate image. */
export interface MetadataEntry {
  readonly imageId: ImageId;
  /** Set for a well's own metadata (A1…). */
  readonly well: string | null;
  /** Set for a region's own metadata: the region's name as in the results' `region` column. */
  readonly region: string | null;
  readonly meta: SampleMeta;
}

/** A field edit for many targets at once: a string sets it, null clears it, absent leaves it. */
export const metaPatchSchema = z.strictObject({
  sampleType: z.string().max(100).nullable().optional(),
  group: z.string().max(200).nullable().optional(),
  animal: z.string().max(200).nullable().optional(),
  replicate: z.string().max(200).nullable().optional(),
  notes: z.string().max(4000).nullable().optional(),
});
export type MetaPatch = z.infer<typeof metaPatchSchema>;

const imageIdSchema = z.string().regex(/^[0-9a-f]{16}$/);
export const imageIdsSchema = z.array(imageIdSchema).max(100_000);
export const metaTargetsSchema = z
  .array(
    z
      .strictObject({
        imageId: imageIdSchema,
        well: z.string().regex(/^[A-P]([1-9]|1[0-9]|2[0-4])$/).nullable().optional(),
        region: z.string().trim().min(1).max(200).nullable().optional(),
      })
      .refine((t) => !(t.well && t.region), 'a target is an image, one of its wells or one of its regions, not a well and a region'),
  )
  .min(1)
  .max(100_000);

export interface NamePatternPreview {
  /** Why the pattern itself is invalid, else null. */
  readonly error: string | null;
  readonly rows: readonly {
    readonly imageId: ImageId;
    readonly displayName: string;
    readonly ok: boolean;
    readonly meta: SampleMeta | null;
    readonly well: string | null;
    readonly reason: string | null;
  }[];
}

export const studyOptionsSchema = z.strictObject({
  /** Average technical replicates per unit (animal, or image) before the group statistics. */
  averageReplicates: z.boolean(),
  unitBy: z.enum(['animal-or-image', 'image', 'observation']).optional(),
  controlGroup: z.string().max(200).nullable().optional(),
  groupOrder: z.array(z.string().max(200)).max(1000).optional(),
});
export type StudyOptionsRequest = z.infer<typeof studyOptionsSchema>;

export type DescriptiveStatsView = DescriptiveStats;

/** What the study charts need: per group statistics, per unit and per observation values, plate maps. */
export interface StudyView {
  readonly groups: readonly { readonly group: string | null; readonly isControl: boolean; readonly nUnits: number; readonly nObservations: number; readonly basis: 'units' | 'observations'; readonly stats: DescriptiveStatsView; readonly foldChange: number | null; readonly foldChangeSd: number | null }[];
  readonly units: readonly { readonly group: string | null; readonly unit: string; readonly unitKind: string; readonly stats: DescriptiveStatsView; readonly foldChange: number | null }[];
  readonly observations: readonly { readonly image: string; readonly well: string | null; readonly region: string | null; readonly group: string | null; readonly unit: string; readonly mineralPct: number | null; readonly foldChange: number | null }[];
  readonly plates: readonly { readonly imageId: ImageId | null; readonly image: string; readonly wells: readonly { readonly well: string; readonly mineralPct: number | null; readonly group: string | null }[] }[];
  readonly warnings: readonly string[];
}

export const studyExportSchema = z.strictObject({
  batchId: z.string().min(1).max(100),
  outDir: pathString,
  csv: z.boolean(),
  xlsx: z.boolean(),
  qc: z.boolean(),
  options: studyOptionsSchema,
});
export type StudyExportRequest = z.infer<typeof studyExportSchema>;

/** One folder's content, for the in-app file browser (hosts without native dialogs). */
export interface DirectoryListing {
  readonly path: string;
  /** null at a file-system root. */
  readonly parent: string | null;
  readonly entries: readonly { readonly name: string; readonly path: string; readonly kind: 'dir' | 'image' | 'other'; readonly sizeBytes: number | null }[];
}

export interface CoreEvents {
  'batch:progress': BatchProgress;
  'batch:done': BatchSummary;
  'library:changed': { readonly images: readonly ImageEntry[] };
  'project:changed': { readonly project: ProjectSummary | null };
  /** An autosave could not be written (the UI should say so; the change is retried). */
  'project:save-error': { readonly userMessage: string };
  'metadata:changed': { readonly entries: readonly MetadataEntry[]; readonly blinded: boolean };
}

export interface CoreApi {
  getAppInfo(): Promise<AppInfo>;
  /** Expands folders (recursively) into image files; non-images are listed as skipped with a reason. */
  scanInputs(paths: readonly string[]): Promise<{ images: ScannedImage[]; skipped: SkippedFile[] }>;
  /** Adds files/folders to the library (header read, thumbnail path); bad files get an entry with `error`. */
  openImages(paths: readonly string[]): Promise<OpenImagesResult>;
  /** Adds the bundled sample images (assets/samples). */
  openSamples(): Promise<OpenImagesResult>;
  listImages(): Promise<readonly ImageEntry[]>;
  removeImages(ids: readonly ImageId[]): Promise<void>;
  /** Lists a folder (empty string: the user's home folder); hidden files are left out. */
  listDirectory(path: string): Promise<DirectoryListing>;
  getImageView(id: ImageId): Promise<ImageView>;
  probePixel(id: ImageId, xPx: number, yPx: number): Promise<PixelProbe>;
  /** Validates (and migrates) a recipe document; throws RECIPE_INVALID / RECIPE_TOO_NEW. */
  validateRecipe(document: unknown, source: string): Promise<{ document: unknown; recipeHash: string }>;
  previewImage(req: PreviewRequest): Promise<PreviewResult>;
  startBatch(req: BatchRequest): Promise<BatchId>;
  cancelBatch(id: BatchId): Promise<void>;
  getBatch(id: BatchId): Promise<BatchSummary>;
  /** results.csv exactly as the CLI writes it. */
  getResultsCsv(id: BatchId): Promise<string>;
  /** Writes results.csv and results.json (atomically), plus overlays when asked, for a finished or cancelled batch. */
  exportResults(req: ExportRequest): Promise<{ csvPath: string; jsonPath: string; overlayCount: number }>;
  /** Creates a project folder and makes it the workspace (the current images are added to it). */
  createProject(dir: string, name: string): Promise<ProjectSummary>;
  /** Opens a project folder (its images, regions and results); refuses one open elsewhere. */
  openProject(dir: string): Promise<ProjectSummary>;
  /** Saves pending changes and goes back to an empty session. */
  closeProject(): Promise<void>;
  getProject(): Promise<ProjectSummary | null>;
  /** Finds missing project images again in a folder, by their SHA-256. */
  relinkImages(folder: string): Promise<{ relinked: number; stillMissing: number }>;
  loadRois(id: ImageId): Promise<readonly Roi[]>;
  /** Replaces the image's regions (autosaved in a project). */
  saveRois(id: ImageId, rois: readonly Roi[]): Promise<void>;
  /** Adds the regions of a QuPath GeoJSON, ImageJ .roi or RoiSet .zip file; returns the image's regions. */
  importRois(id: ImageId, filePath: string): Promise<readonly Roi[]>;
  /** Writes the image's regions as QuPath GeoJSON. */
  exportRois(id: ImageId, filePath: string): Promise<void>;
  /** Copies an image's regions to other images (clipped to each image, new ids). */
  copyRois(fromId: ImageId, toIds: readonly ImageId[], mode: RoiCopyMode): Promise<void>;
  getMetadata(): Promise<readonly MetadataEntry[]>;
  /** Sets metadata fields of many images (or wells) at once. */
  setMetadata(targets: readonly { imageId: ImageId; well?: string | null; region?: string | null }[], patch: MetaPatch): Promise<void>;
  /**
   * Applies a plate map / sample sheet CSV (keyed by file name and/or well) to the library. Rows
   * naming a file apply to that image; rows naming only a well apply to the wells of `wellRowsFor`
   * (the plate images the user chose; every image when omitted).
   */
  importSampleSheet(filePath: string, wellRowsFor?: readonly ImageId[]): Promise<{ applied: number; unusedRows: readonly { line: number; what: string }[]; ignoredColumns: readonly string[] }>;
  /** What a file-name pattern such as `{animal}_{group}_{section}` would read from each image's name. */
  previewNamePattern(pattern: string): Promise<NamePatternPreview>;
  applyNamePattern(pattern: string): Promise<{ applied: number; unmatched: number }>;
  /** Wells the user set for a plate image (drag, resize, add), used instead of detection; null = detect. */
  setPlateWells(id: ImageId, wells: readonly PlateWellView[] | null): Promise<void>;
  getPlateWells(id: ImageId): Promise<readonly PlateWellView[] | null>;
  /** Blinded mode: the UI hides names and groups; exports record it. */
  setBlinded(on: boolean): Promise<void>;
  getBlinded(): Promise<boolean>;
  /** Group statistics of a batch with the current metadata. */
  getStudy(batchId: BatchId, options: StudyOptionsRequest): Promise<StudyView>;
  /** Study tables as CSV per level, one XLSX workbook and/or the QC contact sheet. */
  exportStudy(req: StudyExportRequest): Promise<{ csvPaths: readonly string[]; xlsxPath: string | null; qcPath: string | null }>;
  on<K extends keyof CoreEvents>(topic: K, cb: (e: CoreEvents[K]) => void): () => void;
}

export { CORE_EVENTS, CORE_METHODS, RESOURCE_PATH_PATTERN, type CoreMethod } from './api-names.js';

export interface Resource {
  readonly contentType: string;
  readonly data: Uint8Array;
}

export type { ImageResult, ReferenceKind };
