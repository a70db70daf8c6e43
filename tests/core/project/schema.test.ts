import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_INVALID_CODE, PROJECT_TOO_NEW_CODE } from '../../../src/project/codes.js';
import { parseVersioned, type VersionedKind } from '../../../src/project/migrate.js';
import {
  PROJECT_KIND, PROJECT_SCHEMA_VERSION, ROIS_KIND, isSafeRecipeId, type ProjectDoc,
} from '../../../src/project/schema.js';

const fixtureDir = path.resolve(import.meta.dirname, '../../fixtures/projects');

async function fixture(version: number): Promise<Record<string, unknown>> {
  return JSON.parse(await readFile(path.join(fixtureDir, `v${version}`, 'project.json'), 'utf8')) as Record<string, unknown>;
}

function parseProject(doc: unknown, kind: VersionedKind<ProjectDoc> = PROJECT_KIND) {
  return parseVersioned(doc, kind, 'project.json');
}

describe('project.json schema', () => {
  it('loads every released fixture forever (tests/fixtures/projects/v<N>)', async () => {
    for (let v = 1; v <= PROJECT_SCHEMA_VERSION; v++) {
      const r = parseProject(await fixture(v));
      expect(r.ok, `fixture v${v}`).toBe(true);
    }
    const r = parseProject(await fixture(1));
    if (!r.ok) throw r.error;
    expect(r.fromVersion).toBe(1);
    expect(r.value.schemaVersion).toBe(PROJECT_SCHEMA_VERSION);
    expect(r.value.images.map((i) => [i.id, i.relPath, i.pixelSizeUm])).toEqual([
      ['3f2a9c0d1e4b5a67', '../images/aorta 01.tif', 0.5],
      ['0123456789abcdef', 'wells/plate-A/B3.png', undefined],
    ]);
    expect(r.value.recipes).toEqual(['ars-default', 'vk_strict.2']);
    expect(r.value.settings).toEqual({ defaultRecipeId: 'ars-default', exportDecimals: 3 });
  });

  it('refuses a newer schema with a clear message, marked as too new (no .bak fallback)', async () => {
    const r = parseProject({ ...(await fixture(1)), schemaVersion: PROJECT_SCHEMA_VERSION + 1 });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.tooNew).toBe(true);
    expect(r.error.code).toBe(PROJECT_TOO_NEW_CODE);
    expect(r.error.userMessage).toMatch(/newer Calciquant.*Update Calciquant/);
  });

  it('migrates an older document stepwise before validating', async () => {
    const kind: VersionedKind<ProjectDoc> = {
      ...PROJECT_KIND,
      currentVersion: 3,
      migrations: {
        1: (d) => ({ ...d, settings: { ...(d.settings as object), step1: true } }),
        2: (d) => ({ ...d, name: `${String(d.name)} (v3)` }),
      },
    };
    const r = parseProject(await fixture(1), kind);
    if (!r.ok) throw r.error;
    expect(r.fromVersion).toBe(1);
    expect(r.value.schemaVersion).toBe(3);
    expect(r.value.settings.step1).toBe(true);
    expect(r.value.name).toMatch(/\(v3\)$/);
    const missing = parseProject(await fixture(1), { ...kind, migrations: {} });
    expect(!missing.ok && missing.error.code).toBe('INTERNAL');
  });

  it('rejects documents that are not projects or are malformed, naming the field', async () => {
    const base = await fixture(1);
    const images = base.images as Record<string, unknown>[];
    const cases: [unknown, RegExp][] = [
      [[], /not a JSON object/],
      [{ ...base, format: 'calciquant-recipe' }, /"format" must be "calciquant-project"/],
      [{ ...base, schemaVersion: '1' }, /schemaVersion/],
      [{ ...base, schemaVersion: 0 }, /schemaVersion/],
      [{ ...base, images: [{ ...images[0], id: '../../etc' }] }, /images\.0\.id/],
      [{ ...base, images: [images[0], images[0]] }, /duplicate image id/],
      [{ ...base, images: [{ ...images[0], sha256: 'abc' }] }, /images\.0\.sha256/],
      [{ ...base, images: [{ ...images[0], widthPx: 0 }] }, /widthPx/],
      [{ ...base, images: [{ ...images[0], extra: 1 }] }, /extra/],
      [{ ...base, recipes: ['ars', 'ARS'] }, /duplicate recipe id/],
      [{ ...base, recipes: ['../x'] }, /recipes\.0/],
      [{ ...base, created: 'yesterday' }, /created/],
    ];
    for (const [doc, re] of cases) {
      const r = parseProject(doc);
      expect(r.ok).toBe(false);
      if (r.ok) continue;
      expect(r.tooNew).toBe(false);
      expect(r.error.code).toBe(PROJECT_INVALID_CODE);
      expect(r.error.userMessage).toMatch(re);
    }
  });

  it('recipe ids that name files are safe on every OS', () => {
    for (const ok of ['ars-default', 'vk_strict.2', 'A1']) expect(isSafeRecipeId(ok)).toBe(true);
    for (const bad of ['', '.hidden', '../x', 'a/b', 'a\\b', 'CON', 'nul.json', 'com1', 'end.', 'x'.repeat(65)]) {
      expect(isSafeRecipeId(bad), bad).toBe(false);
    }
  });

  it('validates region files', () => {
    const square = [[[0, 0], [10, 0], [10, 10], [0, 10], [0, 0]]];
    const roi = { id: 'a', role: 'include', tool: 'rectangle', geometry: [square] };
    expect(parseVersioned({ schemaVersion: 1, rois: [roi] }, ROIS_KIND, 'rois.json').ok).toBe(true);
    expect(parseVersioned({ schemaVersion: 1, rois: [{ id: 'a' }] }, ROIS_KIND, 'rois.json').ok).toBe(false);
    expect(parseVersioned({ schemaVersion: 1, rois: [roi, roi] }, ROIS_KIND, 'rois.json').ok).toBe(false);
    expect(parseVersioned({ schemaVersion: 1, rois: {} }, ROIS_KIND, 'rois.json').ok).toBe(false);
    const r = parseVersioned({ schemaVersion: 2, rois: [] }, ROIS_KIND, 'rois.json');
    expect(!r.ok && r.tooNew).toBe(true);
  });
});
