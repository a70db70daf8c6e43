/** The recipe being edited: started from a preset or a file; region and pixel-size overrides. */
import type { AppInfo, PresetName } from '../../src/common/api.js';
import type { SliceCreator } from './app-state.js';
import { cloneDoc, type RecipeDoc } from './recipe-model.js';

export interface RecipeSlice {
  appInfo: AppInfo | null;
  /** The preset the document started from (null: loaded from a file). */
  presetName: PresetName | null;
  recipeDoc: RecipeDoc | null;
  /** Where the document came from, for messages ("alizarin preset", "my-recipe.json"). */
  recipeSource: string;
  /** GeoJSON or mask image used when the reference is a region. */
  regionPath: string | null;
  /** Pixel size the user typed (overrides the files' calibration); null = from the file. */
  pixelSizeUm: number | null;
  loadAppInfo(): Promise<void>;
  choosePreset(name: PresetName): void;
  editRecipe(edit: (doc: RecipeDoc) => RecipeDoc): void;
  setRegionPath(path: string | null): void;
  setPixelSizeUm(v: number | null): void;
  /** Opens a recipe file (validated and migrated by the core). */
  loadRecipeFile(): Promise<void>;
  saveRecipeFile(): Promise<void>;
  chooseRegionFile(): Promise<void>;
}

export const createRecipeSlice: SliceCreator<RecipeSlice> = ({ client }) => (set, get) => ({
  appInfo: null,
  presetName: null,
  recipeDoc: null,
  recipeSource: '',
  regionPath: null,
  pixelSizeUm: null,
  async loadAppInfo() {
    try {
      const appInfo = await client.core.getAppInfo();
      set({ appInfo }, undefined, 'recipe/appInfo');
      if (!get().recipeDoc && appInfo.presets.length) get().choosePreset(appInfo.presets[0]!.name);
    } catch (e) {
      get().reportError(e);
    }
  },
  choosePreset(name) {
    const preset = get().appInfo?.presets.find((p) => p.name === name);
    if (!preset) return;
    set({ presetName: name, recipeDoc: cloneDoc(preset.document), recipeSource: `${name} preset` }, undefined, 'recipe/preset');
  },
  editRecipe: (edit) =>
    set((s) => (s.recipeDoc ? { recipeDoc: edit(s.recipeDoc) } : {}), undefined, 'recipe/edit'),
  setRegionPath: (regionPath) => set({ regionPath }, undefined, 'recipe/region'),
  setPixelSizeUm: (v) =>
    set({ pixelSizeUm: v !== null && Number.isFinite(v) && v > 0 ? v : null }, undefined, 'recipe/pixelSize'),
  async loadRecipeFile() {
    try {
      const file = await client.openText('.json,application/json');
      if (!file) return;
      let parsed: unknown;
      try {
        parsed = JSON.parse(file.text);
      } catch (e) {
        throw { code: 'RECIPE_INVALID', userMessage: `Recipe “${file.name}” is not valid JSON (${(e as Error).message}).` };
      }
      const { document } = await client.core.validateRecipe(parsed, file.name);
      set({ recipeDoc: cloneDoc(document), presetName: null, recipeSource: file.name }, undefined, 'recipe/loaded');
      get().notify('success', `Loaded recipe “${file.name}”.`);
    } catch (e) {
      get().reportError(e);
    }
  },
  async saveRecipeFile() {
    const doc = get().recipeDoc;
    if (!doc) return;
    try {
      const { document } = await client.core.validateRecipe(doc, get().recipeSource || 'recipe');
      const name = `${(document as RecipeDoc).id || 'recipe'}.json`;
      const saved = await client.saveText(name, JSON.stringify(document, null, 2) + '\n', 'application/json');
      if (saved) get().notify('success', `Saved recipe as ${saved}.`);
    } catch (e) {
      get().reportError(e);
    }
  },
  async chooseRegionFile() {
    try {
      const picked = await client.pickPaths({ kind: 'openFile', title: 'Choose a region (GeoJSON or mask image)' });
      if (picked?.[0]) set({ regionPath: picked[0] }, undefined, 'recipe/region');
    } catch (e) {
      get().reportError(e);
    }
  },
});
