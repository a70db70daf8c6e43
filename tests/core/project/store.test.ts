import { copyFile, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ImageId } from '../../../src/common/api.js';
import type { ImageResult } from '../../../src/common/result.js';
import { createProject, openProject, type ProjectStore } from '../../../src/project/store.js';
import { makeTempDir, removeTempDir } from '../helpers/image-fixtures.js';
import { fakeRoi, listFiles, rejection, writeImage } from './helpers.js';

let root: string;
const open: ProjectStore[] = [];
const track = <T extends ProjectStore>(s: T): T => (open.push(s), s);

beforeEach(async () => {
  root = await makeTempDir('calciquant-project-');
});
afterEach(async () => {
  for (const s of open.splice(0)) await s.close();
  await removeTempDir(root);
});

function fakeResult(recipeId: string, mineralPct: number): ImageResult {
  return {
    image: 'a.png', status: 'ok', error: null, errorCode: null, widthPx: 24, heightPx: 16, reference: 'region',
    referenceAreaPx: 100, mineralAreaPx: mineralPct, mineralPct, pixelSizeUm: null, pixelSizeSource: 'none',
    referenceAreaUm2: null, mineralAreaUm2: null, depositCount: 1, meanOd: 0.5, integratedOd: 5, thresholdOd: 0.2,
    recipeId, recipeHash: 'a'.repeat(64), appVersion: '0.1.0', imageSha256: null, warnings: [], notes: [],
  };
}

describe('project store', () => {
  it('creates a project, adds images and regions, and opens it again', async () => {
    const proj = path.join(root, 'Study.calciquant');
    const imgDir = path.join(root, 'images');
    await mkdir(imgDir);
    await mkdir(proj);
    const a = await writeImage(imgDir, 'a.png', 1, 30, 20);
    const b = await writeImage(proj, 'inside.png', 2);
    const store = await createProject(proj, '  My study  ');
    expect(store.name).toBe('My study');
    const added = await store.addImages([a, { path: b, displayName: 'Inside', metadata: { animal: 'M1' } }, path.join(root, 'nope.png')]);
    expect(added.added.map((i) => [i.relPath, i.widthPx, i.heightPx, i.status])).toEqual([
      ['../images/a.png', 30, 20, 'ok'],
      ['inside.png', 24, 16, 'ok'],
    ]);
    expect(added.skipped).toHaveLength(1);
    expect(added.skipped[0]!.code).toBe('IMAGE_UNREADABLE');
    const again = await store.addImages([a]);
    expect(again.added).toHaveLength(0);
    expect(again.existing.map((i) => i.id)).toEqual([added.added[0]!.id]);
    const id = added.added[0]!.id;
    expect(id).toBe(added.added[0]!.sha256.slice(0, 16));

    await store.saveRois(id, [fakeRoi(1), fakeRoi(2)]);
    await store.saveResult(id, 'ars-default', { result: fakeResult('ars-default', 12.5), regions: [{ label: 'media', mineralPct: 3 }] });
    const recipe = JSON.parse(await readFile(path.resolve(import.meta.dirname, '../../fixtures/recipes/v1.json'), 'utf8')) as unknown;
    expect((await store.saveRecipe(recipe)).id).toBe('fixture-v1');
    await store.updateSettings({ defaultRecipeId: 'fixture-v1' });
    await store.close();

    const files = await listFiles(proj);
    expect(files).toEqual(expect.arrayContaining([
      'project.json', 'project.json.bak', `images/${id}/rois.json`, `images/${id}/results/ars-default.json`,
      'recipes/fixture-v1.json', 'inside.png',
    ]));
    expect(files.some((f) => f.endsWith('.tmp') || f === '.lock')).toBe(false);
    expect((await listFiles(root)).filter((f) => f.startsWith('images/'))).toEqual(['images/a.png']); // never touched

    const s2 = track(await openProject(proj));
    expect(s2.openWarnings).toEqual([]);
    expect(s2.images().map((i) => [i.displayName, i.status, i.metadata])).toEqual([
      ['a.png', 'ok', undefined],
      ['Inside', 'ok', { animal: 'M1' }],
    ]);
    expect((await s2.loadRois(id)).value).toEqual([fakeRoi(1), fakeRoi(2)]);
    expect((await s2.loadRois(added.added[1]!.id)).value).toEqual([]);
    const results = await s2.loadResults();
    expect(results.warnings).toEqual([]);
    expect(results.value.map((r) => [r.imageId, r.recipeId, r.result.mineralPct, r.regions])).toEqual([
      [id, 'ars-default', 12.5, [{ label: 'media', mineralPct: 3 }]],
    ]);
    expect((await s2.loadRecipes()).value.map((r) => r.id)).toEqual(['fixture-v1']);
    expect(s2.settings).toEqual({ defaultRecipeId: 'fixture-v1' });
  });

  it('keeps working when the project folder is moved together with its images', async () => {
    const study = path.join(root, 'lab', 'study');
    await mkdir(path.join(study, 'raw'), { recursive: true });
    const img = await writeImage(path.join(study, 'raw'), 'x.png', 3);
    const s = await createProject(path.join(study, 'X.calciquant'), 'X');
    const [rec] = (await s.addImages([img])).added;
    await s.saveRois(rec!.id, [fakeRoi(7)]);
    await s.close();
    await rename(path.join(root, 'lab'), path.join(root, 'moved lab ä'));
    const s2 = track(await openProject(path.join(root, 'moved lab ä', 'study', 'X.calciquant', 'project.json')));
    expect(s2.images().map((i) => [i.relPath, i.status])).toEqual([['../raw/x.png', 'ok']]);
    expect((await s2.loadRois(rec!.id)).value).toEqual([fakeRoi(7)]);
  });

  it('flags a moved image as missing and finds it again by its hash; a changed one is flagged', async () => {
    await mkdir(path.join(root, 'old'));
    const a = await writeImage(path.join(root, 'old'), 'a.png', 4);
    const b = await writeImage(path.join(root, 'old'), 'b.png', 5);
    const s = await createProject(path.join(root, 'P'), 'P');
    const [ra, rb] = (await s.addImages([a, b])).added;
    await s.close();
    // a moves (renamed, in a sub-folder, next to same-size decoys); b is overwritten with other content
    await mkdir(path.join(root, 'new', 'deep', 'er'), { recursive: true });
    await rename(a, path.join(root, 'new', 'deep', 'er', 'renamed.png'));
    await writeImage(path.join(root, 'new'), 'decoy.png', 6);
    await writeImage(path.join(root, 'old'), 'b.png', 7);
    const s2 = track(await openProject(path.join(root, 'P')));
    expect(s2.images().map((i) => i.status)).toEqual(['missing', 'changed']);
    expect(s2.openWarnings.join(' ')).toMatch(/2 of 2 images were not found or have changed/);
    const r = await s2.relinkImages(path.join(root, 'new'));
    expect(r.relinked.map((i) => [i.id, i.relPath, i.status])).toEqual([[ra!.id, '../new/deep/er/renamed.png', 'ok']]);
    expect(r.stillMissing).toEqual([rb!.id]);
    await s2.close();
    const s3 = track(await openProject(path.join(root, 'P'), { verify: 'size' }));
    expect(s3.images().map((i) => i.status)).toEqual(['ok', 'ok']); // size-only check cannot see b's change
    expect((await s3.verifyImages('hash')).map((i) => i.status)).toEqual(['ok', 'changed']);
  });

  it('re-adding a missing image relinks it; removing keeps its regions unless asked', async () => {
    const a = await writeImage(root, 'a.png', 8);
    const s = track(await createProject(path.join(root, 'P'), 'P'));
    const [rec] = (await s.addImages([a])).added;
    await s.saveRois(rec!.id, [fakeRoi(1)]);
    await s.removeImages([rec!.id]);
    expect(s.images()).toEqual([]);
    await expect(s.loadRois(rec!.id)).rejects.toMatchObject({ code: 'INPUT_INVALID' });
    const back = await s.addImages([a]);
    expect(back.added[0]!.id).toBe(rec!.id);
    expect((await s.loadRois(rec!.id)).value).toEqual([fakeRoi(1)]);
    await s.removeImages([rec!.id], { deleteData: true });
    expect((await listFiles(path.join(root, 'P'))).some((f) => f.includes(rec!.id))).toBe(false);
  });

  it('opens a copy of the frozen v1 fixture (images flagged missing, nothing else lost)', async () => {
    const proj = path.join(root, 'Fixture.calciquant');
    await mkdir(proj);
    await copyFile(path.resolve(import.meta.dirname, '../../fixtures/projects/v1/project.json'), path.join(proj, 'project.json'));
    const s = track(await openProject(proj));
    expect(s.name).toBe('Frozen v1 project (never edit: released format)');
    expect(s.images().map((i) => [i.displayName, i.status])).toEqual([['aorta 01.tif', 'missing'], ['B3.png', 'missing']]);
    expect(s.openWarnings).toEqual([expect.stringMatching(/2 of 2 images were not found/)]);
    expect(s.document.recipes).toEqual(['ars-default', 'vk_strict.2']);
    const recipes = await s.loadRecipes();
    expect(recipes.value).toEqual([]);
    expect(recipes.warnings).toHaveLength(2);
  });

  it('refuses to create over an existing project, to open a non-project, and use after close', async () => {
    const s = await createProject(path.join(root, 'P'), 'P');
    await s.close();
    expect((await rejection(createProject(path.join(root, 'P'), 'Q'))).userMessage).toMatch(/already holds a Calciquant project/);
    expect((await rejection(createProject(path.join(root, 'Q'), '  '))).code).toBe('INPUT_INVALID');
    await writeFile(path.join(root, 'file.txt'), 'x');
    expect((await rejection(openProject(root))).userMessage).toMatch(/is not a Calciquant project: it has no project\.json/);
    expect((await rejection(openProject(path.join(root, 'nowhere')))).userMessage).toMatch(/does not exist/);
    expect(() => s.images()).not.toThrow();
    await expect(s.saveRois('0123456789abcdef' as ImageId, [])).rejects.toThrow(/used after close/);
  });
});
