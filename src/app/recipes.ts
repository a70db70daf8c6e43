/** Recipe files and presets (Node side): reading, validating, hashing. */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { PresetName } from '../common/api.js';
import { AppError } from '../common/errors.js';
import { canonicalJson, parseRecipe, type Recipe } from '../common/recipe-schema.js';

/** assets/ of the installed app: found upwards from this file (src/app or dist/src/app). */
export function assetsDir(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 5; i++) {
    const candidate = path.join(dir, 'assets', 'recipes');
    try {
      readFileSync(path.join(candidate, 'alizarin.json'));
      return path.join(dir, 'assets');
    } catch {
      dir = path.dirname(dir);
    }
  }
  throw new AppError('INTERNAL', 'The bundled recipes (assets/recipes) are missing. Reinstall Calciquant.');
}

export function recipeHash(recipe: Recipe): string {
  return createHash('sha256').update(canonicalJson(recipe)).digest('hex');
}

export function loadPreset(name: PresetName): Recipe {
  const file = path.join(assetsDir(), 'recipes', `${name}.json`);
  return parseRecipe(JSON.parse(readFileSync(file, 'utf8')), `${name} preset`);
}

export function parseRecipeText(text: string, source: string): Recipe {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new AppError('RECIPE_INVALID', `Recipe “${source}” is not valid JSON (${(e as Error).message}). Fix the file or start from a preset.`, { cause: e });
  }
  return parseRecipe(doc, source);
}

export async function loadRecipeFile(filePath: string): Promise<Recipe> {
  const source = path.basename(filePath);
  let text: string;
  try {
    text = await readFile(filePath, 'utf8');
  } catch (e) {
    throw new AppError('RECIPE_INVALID', `Recipe “${source}” cannot be read (${(e as NodeJS.ErrnoException).code ?? 'error'}). Check the path.`, { cause: e });
  }
  return parseRecipeText(text, source);
}
