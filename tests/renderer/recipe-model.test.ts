import { describe, expect, it } from 'vitest';
import { cloneDoc, getParams, setParams, thresholdParams, validateDoc } from '../../renderer/state/recipe-model.js';
import { selectAnalysisOptions, selectIsRecipeModified } from '../../renderer/state/selectors.js';
import { createAppStore } from '../../renderer/state/store.js';
import { stainSwatch } from '../../renderer/state/stain-models.js';
import { STEP_ORDER } from '../../src/common/recipe-schema.js';
import { fakeClient, PRESETS } from './helpers/fake-client.js';

const doc = () => cloneDoc(PRESETS[0]!.document);

describe('recipe model', () => {
  it('adds a step in pipeline order, edits it, and removes it', () => {
    const d = setParams(doc(), 'morph.open', { radiusPx: 2 });
    const ops = d.steps.map((s) => s.op);
    expect(ops).toEqual([...ops].sort((a, b) => STEP_ORDER.indexOf(a) - STEP_ORDER.indexOf(b)));
    expect(getParams(d, 'morph.open')).toEqual({ radiusPx: 2 });
    expect(validateDoc(d)).toBeNull();
    expect(getParams(setParams(d, 'morph.open', null), 'morph.open')).toBeUndefined();
  });

  it('switching threshold method keeps values where they apply', () => {
    const lc = thresholdParams('local-contrast', { method: 'local-contrast', minContrastOd: 0.4 });
    expect(lc).toEqual({ method: 'local-contrast', minContrastOd: 0.4, edgeRadiusPx: 3 });
    expect(thresholdParams('otsu', lc)).toEqual({ method: 'otsu' });
    expect(thresholdParams('fixed')).toEqual({ method: 'fixed', valueOd: 0.3 });
  });

  it('validation names the step and the parameter', () => {
    const bad = setParams(doc(), 'morph.open', { radiusPx: 99 });
    expect(validateDoc(bad)).toMatchObject({ code: 'RECIPE_INVALID', userMessage: expect.stringMatching(/morph\.open\) radiusPx/) });
    const custom = setParams(doc(), 'stain.separate', { model: 'custom' });
    expect(validateDoc(custom)?.userMessage).toMatch(/needs mineralRgb and counterstainRgb/);
  });

  it('a preset is sent by name until edited; region and pixel size only when set', () => {
    const store = createAppStore(fakeClient());
    store.setState({ appInfo: { version: '1', presets: PRESETS, stainModels: [], workers: 1 } });
    store.getState().choosePreset('vonkossa');
    expect(selectAnalysisOptions(store.getState())).toEqual({ recipe: { preset: 'vonkossa' } });
    expect(selectIsRecipeModified(store.getState())).toBe(false);
    store.getState().editRecipe((d) => setParams(d, 'reference.detect', { kind: 'region' }));
    store.getState().setRegionPath('/rois/a.geojson');
    store.getState().setPixelSizeUm(0.65);
    const o = selectAnalysisOptions(store.getState())!;
    expect(o.recipe).toMatchObject({ source: 'vonkossa preset' });
    expect(o).toMatchObject({ regionPath: '/rois/a.geojson', pixelSizeUm: 0.65 });
    store.getState().setPixelSizeUm(Number.NaN);
    expect(selectAnalysisOptions(store.getState())!.pixelSizeUm).toBeUndefined();
  });

  it('loads a recipe file through the core (validated, migrated) and reports invalid JSON', async () => {
    const client = fakeClient();
    const store = createAppStore(client);
    client.openText = async () => ({ name: 'mine.json', text: JSON.stringify({ ...doc(), name: 'Mine' }) });
    await store.getState().loadRecipeFile();
    expect(store.getState()).toMatchObject({ presetName: null, recipeSource: 'mine.json', recipeDoc: { name: 'Mine' } });
    client.openText = async () => ({ name: 'broken.json', text: '{ nope' });
    await store.getState().loadRecipeFile();
    expect(store.getState().toasts.at(-1)).toMatchObject({ kind: 'error', text: expect.stringMatching(/“broken.json” is not valid JSON/) });
  });

  it('stain swatches are the transmitted colour', () => {
    expect(stainSwatch([0, 0, 0])).toBe('rgb(255, 255, 255)');
    expect(stainSwatch([0.1, 0.7, 0.7])).toMatch(/^rgb\(2\d\d, \d{2}, \d{2}\)$/);
  });
});
