/**
 * The versioned documents of a project folder (STYLE §8), validated with zod:
 *
 *   project.json                          { format: "calciquant-project", schemaVersion, name, created, modified,
 *                                           images: ImageRecord[], recipes: recipeId[], settings }
 *   images/<id>/rois.json                 { schemaVersion, rois: Roi[] }
 *   images/<id>/results/<recipeId>.json   { schemaVersion, imageId, recipeId, recipeHash, appVersion, savedAt,
 *                                           result: ImageResult, regions: RegionResultRow[] }
 *
 * Loading = parse → migrate stepwise (MIGRATIONS[n]: vN → vN+1) → validate (see migrate.ts). Released
 * migrations are frozen: tests/fixtures/projects/v<N>/project.json loads forever.
 */
import { z } from 'zod';
import { ROI_LIMITS, roiSchema, type Roi } from '../common/roi.js';
import type { ImageId } from '../common/api.js';
import type { ImageResult } from '../common/result.js';
import type { VersionedKind, Migration } from './migrate.js';

export const PROJECT_FORMAT = 'calciquant-project';
export const PROJECT_SCHEMA_VERSION = 1;
export const ROIS_SCHEMA_VERSION = 1;
export const RESULT_SCHEMA_VERSION = 1;

/** Frozen once released. MIGRATIONS[n] turns a version-n project.json into version n+1. */
export const PROJECT_MIGRATIONS: Readonly<Record<number, Migration>> = {};
export const ROIS_MIGRATIONS: Readonly<Record<number, Migration>> = {};
export const RESULT_MIGRATIONS: Readonly<Record<number, Migration>> = {};

export const MAX_IMAGES = 100_000;
export const MAX_RECIPES = 1_000;
export const MAX_ROIS_PER_IMAGE = 100_000;
export const MAX_REGION_ROWS = 100_000;

/** Image ids name folders (`images/<id>/`): 16 lower-case hex digits, nothing else can escape the project. */
export const IMAGE_ID_PATTERN = /^[0-9a-f]{16}$/;
/** Recipe ids name files (`recipes/<id>.json`): the recipe-schema rule, without Windows device names or a final dot. */
export const RECIPE_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const WINDOWS_RESERVED = /^(con|prn|aux|nul|com[0-9]|lpt[0-9])(\..*)?$/i;

export function isImageId(x: unknown): x is ImageId {
  return typeof x === 'string' && IMAGE_ID_PATTERN.test(x);
}

export function isSafeRecipeId(x: unknown): x is string {
  return typeof x === 'string' && RECIPE_ID_PATTERN.test(x) && !WINDOWS_RESERVED.test(x) && !x.endsWith('.');
}

const imageIdSchema = z.string().regex(IMAGE_ID_PATTERN, 'must be 16 lower-case hex digits');
const recipeIdSchema = z
  .string()
  .refine(isSafeRecipeId, 'must be 1–64 letters, digits, ".", "_" or "-" (not a reserved name, no final ".")');
const sha256Schema = z.string().regex(/^[0-9a-f]{64}$/, 'must be 64 lower-case hex digits');
const isoDate = z.iso.datetime({ offset: true });
const sidePx = z.number().int().min(1).max(10_000_000);
const jsonRecord = z
  .record(z.string().max(200), z.json())
  .refine((r) => Object.keys(r).length <= 1_000, 'has more than 1000 entries');

export const imageRecordSchema = z.strictObject({
  id: imageIdSchema,
  /** Relative to the project folder, `/`-separated; may start with `../`. Absolute only across Windows drives. */
  relPath: z.string().min(1).max(4096).refine((p) => !p.includes('\0'), 'must not contain NUL'),
  sha256: sha256Schema,
  sizeBytes: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
  widthPx: sidePx,
  heightPx: sidePx,
  pixelSizeUm: z.number().gt(0).lt(1e6).optional(),
  displayName: z.string().min(1).max(1000),
  metadata: jsonRecord.optional(),
});
export type ImageRecord = Omit<z.infer<typeof imageRecordSchema>, 'id'> & { readonly id: ImageId };

export const projectSchema = z
  .strictObject({
    format: z.literal(PROJECT_FORMAT),
    schemaVersion: z.number().int(),
    name: z.string().trim().min(1).max(200),
    created: isoDate,
    modified: isoDate,
    images: z.array(imageRecordSchema).max(MAX_IMAGES),
    recipes: z.array(recipeIdSchema).max(MAX_RECIPES),
    settings: jsonRecord,
  })
  .superRefine((p, ctx) => {
    const ids = new Set<string>();
    p.images.forEach((img, i) => {
      if (ids.has(img.id)) ctx.addIssue({ code: 'custom', path: ['images', i, 'id'], message: `duplicate image id "${img.id}"` });
      ids.add(img.id);
    });
    const recipes = new Set<string>();
    p.recipes.forEach((r, i) => {
      // case-insensitive: recipes/Abc.json and recipes/abc.json are one file on Windows and macOS
      if (recipes.has(r.toLowerCase())) ctx.addIssue({ code: 'custom', path: ['recipes', i], message: `duplicate recipe id "${r}"` });
      recipes.add(r.toLowerCase());
    });
  });
export type ProjectDoc = Omit<z.infer<typeof projectSchema>, 'images'> & { images: ImageRecord[] };

/** Regions of one image: the ROI type of src/common/roi.ts; ids unique, vertices bounded. */
export type StoredRoi = Roi;

export const roisFileSchema = z
  .strictObject({
    schemaVersion: z.number().int(),
    rois: z.array(roiSchema).max(Math.min(MAX_ROIS_PER_IMAGE, ROI_LIMITS.maxRois)),
  })
  .superRefine((f, ctx) => {
    const seen = new Set<string>();
    let vertices = 0;
    f.rois.forEach((r, i) => {
      if (seen.has(r.id)) ctx.addIssue({ code: 'custom', path: ['rois', i, 'id'], message: 'is used by another region' });
      seen.add(r.id);
      for (const poly of r.geometry) for (const ring of poly) vertices += ring.length;
    });
    if (vertices > ROI_LIMITS.maxVerticesPerFile) {
      ctx.addIssue({ code: 'custom', path: ['rois'], message: `more than ${ROI_LIMITS.maxVerticesPerFile.toLocaleString('en')} vertices in all` });
    }
  });
export type RoisFile = { schemaVersion: number; rois: StoredRoi[] };

/** One per-region row (label, areas, %). TODO(regions): tighten once the per-region row type exists. */
export type RegionResultRow = Readonly<Record<string, z.core.util.JSONType>>;

export const resultFileSchema = z.strictObject({
  schemaVersion: z.number().int(),
  imageId: imageIdSchema,
  recipeId: recipeIdSchema,
  recipeHash: sha256Schema,
  appVersion: z.string().min(1).max(100),
  savedAt: isoDate,
  /** The ImageResult row; checked loosely here (its fields are owned by src/common/result.ts). */
  result: z.looseObject({ status: z.enum(['ok', 'error']), recipeId: z.string(), recipeHash: z.string() }),
  regions: z.array(z.record(z.string().max(200), z.json())).max(MAX_REGION_ROWS),
});

/** A stored analysis of one image with one recipe. */
export interface StoredResult {
  readonly schemaVersion: number;
  readonly imageId: ImageId;
  readonly recipeId: string;
  readonly recipeHash: string;
  readonly appVersion: string;
  readonly savedAt: string;
  readonly result: ImageResult;
  readonly regions: readonly RegionResultRow[];
}

export const PROJECT_KIND: VersionedKind<ProjectDoc> = {
  label: 'project file',
  format: PROJECT_FORMAT,
  currentVersion: PROJECT_SCHEMA_VERSION,
  migrations: PROJECT_MIGRATIONS,
  schema: projectSchema as unknown as z.ZodType<ProjectDoc>,
};

export const ROIS_KIND: VersionedKind<RoisFile> = {
  label: 'region file',
  currentVersion: ROIS_SCHEMA_VERSION,
  migrations: ROIS_MIGRATIONS,
  schema: roisFileSchema,
};

export const RESULT_KIND: VersionedKind<StoredResult> = {
  label: 'result file',
  currentVersion: RESULT_SCHEMA_VERSION,
  migrations: RESULT_MIGRATIONS,
  schema: resultFileSchema as unknown as z.ZodType<StoredResult>,
};
