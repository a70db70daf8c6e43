/**
 * The per-image and per-recipe files of a project: regions (`images/<id>/rois.json`), results
 * (`images/<id>/results/<recipeId>.json`) and recipes (`recipes/<id>.json`). Each write is validated
 * first, serialised at call time and queued per file; each read falls back to `.bak`.
 */
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import type { ImageId } from '../common/api.js';
import { AppError, isAppErrorLike } from '../common/errors.js';
import { parseRecipe, type Recipe } from '../common/recipe-schema.js';
import type { ImageResult } from '../common/result.js';
import { readDocument, serializeDocument, writeDocument, type Parser } from './json-file.js';
import { parseVersioned } from './migrate.js';
import {
  assertWriteInside, ensureDirInside, recipeFilePath, resultFilePath, resultsDirPath, roisFilePath,
} from './paths.js';
import {
  RESULT_KIND, RESULT_SCHEMA_VERSION, ROIS_KIND, ROIS_SCHEMA_VERSION, isSafeRecipeId, resultFileSchema,
  roisFileSchema, type RegionResultRow, type StoredResult, type StoredRoi,
} from './schema.js';
import type { KeyedSerializer } from './serial.js';

export const MAX_PROJECT_BYTES = 64 * 1024 * 1024;
export const MAX_ROIS_BYTES = 256 * 1024 * 1024;
export const MAX_RESULT_BYTES = 32 * 1024 * 1024;
export const MAX_RECIPE_BYTES = 1024 * 1024;

export interface DocContext {
  readonly dir: string;
  /** The project folder after following links: writes must stay inside it. */
  readonly realDir: string;
  readonly verifiedDirs: Set<string>;
  readonly writes: KeyedSerializer;
}

/** A value read from the project with the warnings reading it produced (e.g. "used the backup"). */
export interface Loaded<T> {
  readonly value: T;
  readonly warnings: readonly string[];
}

/** Reads through the same per-file queue as writes: sees finished writes, and a repair from `.bak` cannot race one. */
function queuedRead<T>(ctx: DocContext, filePath: string, maxBytes: number, parse: Parser<T>) {
  return ctx.writes.run(filePath, () => readDocument(filePath, maxBytes, parse));
}

async function queueWrite(ctx: DocContext, filePath: string, text: string): Promise<void> {
  assertWriteInside(ctx.dir, filePath);
  await ctx.writes.run(filePath, async () => {
    await ensureDirInside(ctx.realDir, path.dirname(filePath), ctx.verifiedDirs);
    await writeDocument(filePath, text);
  });
}

function invalidInput(code: 'ROI_INVALID' | 'INPUT_INVALID', what: string, issues: readonly { path: PropertyKey[]; message: string }[]): AppError {
  const first = issues.slice(0, 3).map((i) => `${i.path.map(String).join('.') || '(value)'}: ${i.message}`);
  return new AppError(code, `${what} cannot be saved — ${first.join('; ')}. Please report this.`);
}

// ---------------------------------------------------------------------------------------------
// Regions
// ---------------------------------------------------------------------------------------------

export async function writeRois(ctx: DocContext, id: ImageId, rois: readonly StoredRoi[]): Promise<void> {
  const doc = { schemaVersion: ROIS_SCHEMA_VERSION, rois };
  const check = roisFileSchema.safeParse(doc);
  if (!check.success) throw invalidInput('ROI_INVALID', 'The regions', check.error.issues);
  const filePath = roisFilePath(ctx.dir, id);
  await queueWrite(ctx, filePath, serializeDocument(path.basename(filePath), doc, MAX_ROIS_BYTES, false));
}

const roisParser: Parser<{ rois: StoredRoi[] }> = (doc, source) => parseVersioned(doc, ROIS_KIND, source);

/** The image's regions; [] when it has none yet. */
export async function readRois(ctx: DocContext, id: ImageId): Promise<Loaded<StoredRoi[]>> {
  const r = await queuedRead(ctx, roisFilePath(ctx.dir, id), MAX_ROIS_BYTES, roisParser);
  return { value: r.value?.rois ?? [], warnings: r.warnings };
}

// ---------------------------------------------------------------------------------------------
// Results
// ---------------------------------------------------------------------------------------------

export interface ResultToSave {
  readonly result: ImageResult;
  readonly regions: readonly RegionResultRow[];
}

export async function writeResult(ctx: DocContext, id: ImageId, recipeId: string, r: ResultToSave): Promise<void> {
  const filePath = resultFilePath(ctx.dir, id, recipeId);
  if (r.result.recipeId !== recipeId) {
    throw new AppError('INPUT_INVALID', `The result was made with recipe “${r.result.recipeId}”, not “${recipeId}”. Please report this.`);
  }
  const doc = {
    schemaVersion: RESULT_SCHEMA_VERSION, imageId: id, recipeId, recipeHash: r.result.recipeHash,
    appVersion: r.result.appVersion, savedAt: new Date().toISOString(), result: r.result, regions: r.regions,
  };
  const text = serializeDocument(path.basename(filePath), doc, MAX_RESULT_BYTES, true);
  const check = resultFileSchema.safeParse(JSON.parse(text)); // exactly what will be read back
  if (!check.success) throw invalidInput('INPUT_INVALID', 'The result', check.error.issues);
  await queueWrite(ctx, filePath, text);
}

const resultParser: Parser<StoredResult> = (doc, source) => parseVersioned(doc, RESULT_KIND, source);

/** Recipe ids with a result file (or only its backup) for this image. */
async function resultRecipeIds(ctx: DocContext, id: ImageId): Promise<string[]> {
  const names = await readdir(resultsDirPath(ctx.dir, id)).catch(() => [] as string[]);
  const ids = new Set<string>();
  for (const n of names) {
    const m = /^(.+)\.json(\.bak)?$/.exec(n);
    if (m && isSafeRecipeId(m[1])) ids.add(m[1]!);
  }
  return [...ids].sort();
}

/** Every stored result of the given images; a damaged file is skipped with a warning. */
export async function readResults(ctx: DocContext, ids: readonly ImageId[]): Promise<Loaded<StoredResult[]>> {
  const out: StoredResult[] = [];
  const warnings: string[] = [];
  for (const id of ids) {
    for (const recipeId of await resultRecipeIds(ctx, id)) {
      const filePath = resultFilePath(ctx.dir, id, recipeId);
      try {
        const r = await queuedRead(ctx, filePath, MAX_RESULT_BYTES, resultParser);
        warnings.push(...r.warnings);
        if (r.value === null) continue;
        if (r.value.imageId !== id || r.value.recipeId !== recipeId) {
          warnings.push(`“${filePath}” belongs to another image or recipe and was ignored.`);
        } else out.push(r.value);
      } catch (e) {
        warnings.push(`A result was skipped: ${isAppErrorLike(e) ? e.userMessage : String(e)}`);
      }
    }
  }
  return { value: out, warnings };
}

// ---------------------------------------------------------------------------------------------
// Recipes
// ---------------------------------------------------------------------------------------------

const recipeParser: Parser<Recipe> = (doc, source) => {
  try {
    const v = (doc as { schemaVersion?: unknown } | null)?.schemaVersion;
    return { ok: true, value: parseRecipe(doc, source), fromVersion: typeof v === 'number' ? v : 0 };
  } catch (e) {
    const error = e instanceof AppError ? e : new AppError('RECIPE_INVALID', `Recipe “${source}” is invalid.`, { cause: e });
    return { ok: false, tooNew: error.code === 'RECIPE_TOO_NEW', error };
  }
};

/** Validates (and migrates) a recipe document and writes it to `recipes/<id>.json`. */
export async function writeRecipe(ctx: DocContext, doc: unknown): Promise<Recipe> {
  const recipe = parseRecipe(doc, 'recipe');
  const filePath = recipeFilePath(ctx.dir, recipe.id);
  await queueWrite(ctx, filePath, serializeDocument(path.basename(filePath), recipe, MAX_RECIPE_BYTES, true));
  return recipe;
}

export async function readRecipes(ctx: DocContext, ids: readonly string[]): Promise<Loaded<Recipe[]>> {
  const out: Recipe[] = [];
  const warnings: string[] = [];
  for (const id of ids) {
    const filePath = recipeFilePath(ctx.dir, id);
    try {
      const r = await queuedRead(ctx, filePath, MAX_RECIPE_BYTES, recipeParser);
      warnings.push(...r.warnings);
      if (r.value === null) warnings.push(`The recipe file “${filePath}” is missing; recipe “${id}” was skipped.`);
      else out.push(r.value);
    } catch (e) {
      warnings.push(`Recipe “${id}” was skipped: ${isAppErrorLike(e) ? e.userMessage : String(e)}`);
    }
  }
  return { value: out, warnings };
}
