import { mkdir, readFile, rm, symlink, truncate, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ImageId } from '../../../src/common/api.js';
import { PROJECT_INVALID_CODE } from '../../../src/project/codes.js';
import { serializeDocument } from '../../../src/project/json-file.js';
import { createProject, openProject, type ProjectStore } from '../../../src/project/store.js';
import { makeTempDir, removeTempDir } from '../helpers/image-fixtures.js';
import { fakeRoi, listFiles, rejection, writeImage } from './helpers.js';

let root: string;
let proj: string;
let imageId: ImageId;
const open: ProjectStore[] = [];
const track = <T extends ProjectStore>(s: T): T => (open.push(s), s);
const projectJson = (): string => path.join(proj, 'project.json');

beforeEach(async () => {
  root = await makeTempDir('calciquant-hostile-');
  proj = path.join(root, 'H.calciquant');
  const s = await createProject(proj, 'Hostile');
  imageId = (await s.addImages([await writeImage(root, 'a.png', 1)])).added[0]!.id;
  await s.saveRois(imageId, [fakeRoi(1)]);
  await s.save(); // project.json.bak now lists the image too
  await s.close();
});
afterEach(async () => {
  for (const s of open.splice(0)) await s.close();
  await removeTempDir(root);
});

async function editProject(edit: (d: Record<string, unknown>) => Record<string, unknown>): Promise<void> {
  const doc = JSON.parse(await readFile(projectJson(), 'utf8')) as Record<string, unknown>;
  await writeFile(projectJson(), JSON.stringify(edit(doc)));
  await rm(`${projectJson()}.bak`, { force: true });
}

describe('hostile project folders and inputs', () => {
  it('follows an escaping relPath only for reading, never for writing', async () => {
    const outside = await listFiles(root);
    await editProject((d) => ({
      ...d,
      images: (d.images as object[]).map((i) => ({ ...i, relPath: '../../../../../../../../etc/hostname' })),
    }));
    const s = track(await openProject(proj));
    expect(s.images()[0]!.status).not.toBe('ok');
    await s.saveRois(imageId, [fakeRoi(2)]);
    await s.save();
    await s.close();
    const after = (await listFiles(root)).filter((f) => !f.startsWith('H.calciquant/'));
    expect(after).toEqual(outside.filter((f) => !f.startsWith('H.calciquant/')));
  });

  it('refuses ids that could leave the project folder', async () => {
    const s = track(await openProject(proj));
    for (const bad of ['../../x', '..', '0123456789ABCDEF', '0123456789abcde/', '']) {
      expect((await rejection(s.saveRois(bad as ImageId, []))).code).toBe('INPUT_INVALID');
      expect((await rejection(s.loadRois(bad as ImageId))).code).toBe('INPUT_INVALID');
    }
    expect((await rejection(s.saveRois('0123456789abcdef' as ImageId, []))).userMessage).toMatch(/is not part of the project/);
    const result = { result: { recipeId: '../evil', recipeHash: 'a'.repeat(64), appVersion: '1', status: 'ok' }, regions: [] };
    expect((await rejection(s.saveResult(imageId, '../evil', result as never))).userMessage).toMatch(/not a valid recipe id/);
    const recipe = JSON.parse(await readFile(path.resolve(import.meta.dirname, '../../fixtures/recipes/v1.json'), 'utf8')) as object;
    expect((await rejection(s.saveRecipe({ ...recipe, id: 'CON' }))).userMessage).toMatch(/not a valid recipe id/);
    expect((await rejection(s.saveRois(imageId, { length: 1 } as never))).code).toBe('ROI_INVALID');
  });

  it('refuses a project.json whose image id would escape, naming the field', async () => {
    await editProject((d) => ({ ...d, images: (d.images as object[]).map((i) => ({ ...i, id: '../../../tmp' })) }));
    const e = await rejection(openProject(proj));
    expect(e.code).toBe(PROJECT_INVALID_CODE);
    expect(e.userMessage).toMatch(/images\.0\.id/);
  });

  it('does not write through a link that points out of the project', async () => {
    const elsewhere = path.join(root, 'elsewhere');
    await mkdir(elsewhere);
    await rm(path.join(proj, 'images', imageId), { recursive: true });
    await symlink(elsewhere, path.join(proj, 'images', imageId), 'dir');
    const s = track(await openProject(proj));
    expect((await rejection(s.saveRois(imageId, [fakeRoi(3)]))).userMessage).toMatch(/points outside the project/);
    expect(await listFiles(elsewhere)).toEqual([]);
  });

  it('refuses huge, linked or special files instead of reading them', async () => {
    await truncate(projectJson(), 100 * 1024 * 1024); // sparse: instant, 100 MB by stat
    let s = track(await openProject(proj));
    expect(s.openWarnings[0]).toMatch(/is larger than 64 MB.*project\.json\.bak” was used instead/);
    const rois = path.join(proj, 'images', imageId, 'rois.json');
    await truncate(rois, 300 * 1024 * 1024);
    await rm(`${rois}.bak`, { force: true });
    expect((await rejection(s.loadRois(imageId))).userMessage).toMatch(/rois\.json” is larger than 256 MB/);
    await s.close();
    open.length = 0;

    await rm(projectJson());
    await symlink(path.join(root, 'a.png'), projectJson());
    s = track(await openProject(proj));
    expect(s.openWarnings[0]).toMatch(/is a link/);
    await s.close();
    open.length = 0;

    await rm(projectJson(), { force: true });
    await mkdir(projectJson());
    s = track(await openProject(proj));
    expect(s.openWarnings[0]).toMatch(/is not a regular file/);
  });

  it('never writes a file larger than it would read back', () => {
    expect(() => serializeDocument('rois.json', { rois: 'x'.repeat(2000) }, 1000, false)).toThrow(/“rois\.json” would be 2 KB, more than the 1 KB a project file may hold/);
  });
});
