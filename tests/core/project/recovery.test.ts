import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ImageId } from '../../../src/common/api.js';
import { PROJECT_INVALID_CODE, PROJECT_TOO_NEW_CODE } from '../../../src/project/codes.js';
import { PROJECT_KIND, type ProjectDoc } from '../../../src/project/schema.js';
import { createProject, openProject, type ProjectStore } from '../../../src/project/store.js';
import type { VersionedKind } from '../../../src/project/migrate.js';
import { makeTempDir, removeTempDir } from '../helpers/image-fixtures.js';
import { fakeRoi, listFiles, rejection, writeImage } from './helpers.js';

let root: string;
let proj: string;
let imageId: ImageId;
const open: ProjectStore[] = [];
const track = <T extends ProjectStore>(s: T): T => (open.push(s), s);
const projectJson = (): string => path.join(proj, 'project.json');
const roisJson = (): string => path.join(proj, 'images', imageId, 'rois.json');

/** A project with one image and two saves of everything (so every file has a .bak). */
beforeEach(async () => {
  root = await makeTempDir('calciquant-recovery-');
  proj = path.join(root, 'P.calciquant');
  const s = await createProject(proj, 'Recovery');
  imageId = (await s.addImages([await writeImage(root, 'a.png', 1)])).added[0]!.id;
  await s.saveRois(imageId, [fakeRoi(1)]);
  await s.saveRois(imageId, [fakeRoi(1), fakeRoi(2)]);
  await s.updateSettings({ note: 'second save' });
  await s.close();
});
afterEach(async () => {
  for (const s of open.splice(0)) await s.close();
  await removeTempDir(root);
});

describe('recovery', () => {
  it('opens from project.json.bak when project.json is truncated, says so, and keeps the damaged copy', async () => {
    const text = await readFile(projectJson(), 'utf8');
    await writeFile(projectJson(), text.slice(0, text.length / 2));
    const s = track(await openProject(proj));
    expect(s.openWarnings).toHaveLength(1);
    expect(s.openWarnings[0]).toMatch(/project\.json” is not valid JSON.*project\.json\.bak” was used instead.*kept as “project\.json\.corrupt-/);
    expect(s.images().map((i) => i.id)).toEqual([imageId]);
    const files = await listFiles(proj);
    expect(files.filter((f) => f.startsWith('project.json.corrupt-'))).toHaveLength(1);
    // the main file was restored from the backup, so the good backup survives the next save
    await s.updateSettings({ after: 1 });
    await s.close();
    const s2 = track(await openProject(proj));
    expect(s2.openWarnings).toEqual([]);
    expect(s2.settings).toMatchObject({ after: 1 });
  });

  it('uses the backup when project.json fails the schema or is missing', async () => {
    const doc = JSON.parse(await readFile(projectJson(), 'utf8')) as Record<string, unknown>;
    await writeFile(projectJson(), JSON.stringify({ ...doc, images: 'nope' }));
    const s = track(await openProject(proj));
    expect(s.openWarnings[0]).toMatch(/is damaged:.*images/);
    await s.close();
    open.length = 0;
    const { rm } = await import('node:fs/promises');
    await rm(projectJson());
    const s2 = track(await openProject(proj));
    expect(s2.openWarnings[0]).toMatch(/project\.json” is missing; its previous version/);
  });

  it('gives a clear error naming the file when project.json and its backup are both damaged', async () => {
    await writeFile(projectJson(), '{"format": "calciquant-pro');
    await writeFile(`${projectJson()}.bak`, '');
    const e = await rejection(openProject(proj));
    expect(e.code).toBe(PROJECT_INVALID_CODE);
    expect(e.userMessage).toContain(projectJson());
    expect(e.userMessage).toMatch(/is not valid JSON.*backup “project\.json\.bak” is not valid JSON.*Restore the project folder/);
    expect((await listFiles(proj)).includes('.lock')).toBe(false); // the lock was released
  });

  it('falls back to rois.json.bak when rois.json is damaged', async () => {
    await writeFile(roisJson(), '{"schemaVersion":1,"rois":[{"id":"roi-1"');
    const s = track(await openProject(proj));
    const r = await s.loadRois(imageId);
    expect(r.value).toEqual([fakeRoi(1)]);
    expect(r.warnings[0]).toMatch(/rois\.json” is not valid JSON.*rois\.json\.bak” was used instead/);
    await writeFile(roisJson(), '[]');
    await writeFile(`${roisJson()}.bak`, 'garbage');
    const e = await rejection(s.loadRois(imageId));
    expect(e.userMessage).toContain(roisJson());
  });

  it('refuses a project written by a newer Calciquant and leaves it untouched', async () => {
    const doc = JSON.parse(await readFile(projectJson(), 'utf8')) as Record<string, unknown>;
    const newer = JSON.stringify({ ...doc, schemaVersion: 99, futureField: { x: 1 } });
    await writeFile(projectJson(), newer);
    const before = await listFiles(proj);
    const e = await rejection(openProject(proj));
    expect(e.code).toBe(PROJECT_TOO_NEW_CODE);
    expect(e.userMessage).toMatch(/written by a newer Calciquant \(schema 99; this version reads up to 1\)\. Update Calciquant/);
    expect(await readFile(projectJson(), 'utf8')).toBe(newer);
    expect(await listFiles(proj)).toEqual(before);
  });

  it('migrates an older project in memory and upgrades it on the next save, keeping project.json.v1.bak', async () => {
    const original = await readFile(projectJson(), 'utf8');
    const v2: VersionedKind<ProjectDoc> = {
      ...PROJECT_KIND,
      currentVersion: 2,
      migrations: { 1: (d) => ({ ...d, settings: { ...(d.settings as object), migrated: true } }) },
    };
    const s = track(await openProject(proj, { projectKind: v2 }));
    expect(s.openWarnings.join(' ')).toMatch(/older Calciquant \(schema 1\).*project\.json\.v1\.bak/);
    expect(s.settings).toMatchObject({ migrated: true });
    expect(await readFile(projectJson(), 'utf8')).toBe(original); // not written on open
    await s.save();
    expect(await readFile(`${projectJson()}.v1.bak`, 'utf8')).toBe(original);
    expect(JSON.parse(await readFile(projectJson(), 'utf8'))).toMatchObject({ schemaVersion: 2, settings: { migrated: true } });
    await s.close();
    open.length = 0;
    // this (version 1) app now refuses the upgraded project
    expect((await rejection(openProject(proj))).code).toBe(PROJECT_TOO_NEW_CODE);
  });

  it('removes temp files left by an interrupted save when opening', async () => {
    const stray = [
      '.project.json.123-0123456789ab.tmp',
      `images/${imageId}/.rois.json.4242-abcdefabcdef.tmp`,
      `images/${imageId}/.rois.json.bak.4242-abcdefabcdef.tmp`,
    ];
    for (const f of stray) await writeFile(path.join(proj, f), 'partial');
    await writeFile(path.join(proj, 'notes.tmp'), 'user file'); // not ours: kept
    const s = track(await openProject(proj));
    const files = await listFiles(proj);
    expect(files.filter((f) => f.endsWith('.tmp'))).toEqual(['notes.tmp']);
    expect((await s.loadRois(imageId)).value).toHaveLength(2);
  });
});
