import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { canonicalJson, parseRecipe, type Migration } from '../../../src/common/recipe-schema.js';

const preset = (name: string) => JSON.parse(readFileSync(new URL(`../../../assets/recipes/${name}.json`, import.meta.url), 'utf8'));

function errorOf(f: () => unknown): { code: string; userMessage: string } {
  try {
    f();
  } catch (e) {
    return e as { code: string; userMessage: string };
  }
  throw new Error('expected an error');
}

describe('recipe schema', () => {
  it('loads both shipped presets and applies defaults', () => {
    for (const name of ['alizarin', 'vonkossa']) {
      const r = parseRecipe(preset(name), name);
      expect(r.steps.map((s) => s.op)).toContain('threshold');
    }
    const doc = preset('alizarin');
    doc.steps[3].params = {};
    const r = parseRecipe(doc, 'x');
    expect(r.steps[3]).toEqual({ op: 'background.subtract', params: { scaleFrac: 0.02, rim: 'auto', rimBandFrac: 0.2 } });
  });

  it('the frozen v1 fixture loads forever', () => {
    const doc = JSON.parse(readFileSync(new URL('../../fixtures/recipes/v1.json', import.meta.url), 'utf8'));
    expect(parseRecipe(doc, 'v1.json').id).toBe('fixture-v1');
  });

  it('names the step and the parameter of a bad value', () => {
    const doc = preset('alizarin');
    doc.steps[4].params.minContrastOd = -3;
    const e = errorOf(() => parseRecipe(doc, 'my.json'));
    expect(e.code).toBe('RECIPE_INVALID');
    expect(e.userMessage).toMatch(/“my\.json”/);
    expect(e.userMessage).toMatch(/step 5 \(threshold\) minContrastOd/);
  });

  it('rejects unknown keys (typos), missing required steps and wrong order', () => {
    const typo = preset('vonkossa');
    typo.steps[4].params.minContrast = 0.3;
    expect(errorOf(() => parseRecipe(typo, 't')).userMessage).toMatch(/Unrecognized key/);
    const missing = preset('vonkossa');
    missing.steps = missing.steps.filter((s: { op: string }) => s.op !== 'threshold');
    expect(errorOf(() => parseRecipe(missing, 'm')).userMessage).toMatch(/"threshold" step is required/);
    const order = preset('vonkossa');
    order.steps.reverse();
    expect(errorOf(() => parseRecipe(order, 'o')).userMessage).toMatch(/out of order/);
  });

  it('refuses newer documents and non-recipes', () => {
    const doc = { ...preset('alizarin'), schemaVersion: 99 };
    expect(errorOf(() => parseRecipe(doc, 'n')).code).toBe('RECIPE_TOO_NEW');
    expect(errorOf(() => parseRecipe([], 'a')).code).toBe('RECIPE_INVALID');
    expect(errorOf(() => parseRecipe({ format: 'other' }, 'b')).userMessage).toMatch(/not a Calciquant recipe/);
  });

  it('migrates stepwise through the migration table', () => {
    // Pretend the current schema were 2: a v1 document must pass through MIGRATIONS[1] exactly once,
    // and a missing migration is our bug (INTERNAL), never silently skipped.
    const v1 = preset('alizarin');
    const calls: number[] = [];
    const migrations: Record<number, Migration> = {
      1: (d) => {
        calls.push(1);
        return { ...d, name: `${String(d.name)} (migrated)` };
      },
    };
    const bumped = { ...v1 };
    const e = errorOf(() => parseRecipe(bumped, 'v1', migrations, 2));
    expect(calls).toEqual([1]);
    expect(e.userMessage).toMatch(/schemaVersion/);
    expect(errorOf(() => parseRecipe(bumped, 'v1', {}, 2)).code).toBe('INTERNAL');
  });

  it('canonical JSON is independent of key order', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { z: 1, y: 2 }], c: null } })).toBe(canonicalJson({ a: { c: null, d: [1, { y: 2, z: 1 }] }, b: 1 }));
  });
});
