/** Metadata, plate wells and the study through the CoreApi (what the app's study screens use). */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createInlineHost } from '../../../src/app/analysis-host.js';
import { createCore, type CoreHandle } from '../../../src/app/core.js';
import type { ImageEntry, ImageId } from '../../../src/common/api.js';
import { makeTempDir, removeTempDir } from '../helpers/image-fixtures.js';
import { writeStainedSection } from '../helpers/stained-images.js';
import { plateScene } from '../plate/plate-scene.js';

let dir: string;
let core: CoreHandle;
let plate: ImageEntry;
let sections: ImageEntry[];

beforeAll(async () => {
  dir = await makeTempDir('calciquant-study-');
  const { image } = plateScene({ layout: 6, width: 900, height: 620 });
  await sharp(image.data, { raw: { width: image.width, height: image.height, channels: 3 } }).png().toFile(join(dir, 'plate6.png'));
  for (const [i, name] of ['M1_control_s1.png', 'M1_control_s2.png', 'M2_HP_s1.png', 'M3_HP_s1.png'].entries()) {
    await writeStainedSection(dir, name, { stain: 'alizarin', seed: i + 1, deposits: [[0.5, 0.5, 0.04 + 0.03 * i]] });
  }
  core = createCore({ createHost: createInlineHost, cacheDir: join(dir, 'cache') });
  const opened = (await core.openImages([dir])).images;
  plate = opened.find((e) => e.displayName === 'plate6.png')!;
  sections = opened.filter((e) => e.displayName !== 'plate6.png');
});
afterAll(async () => {
  await core.dispose();
  await removeTempDir(dir);
});

describe('plates in the app', () => {
  it('previews a plate with its wells, and uses wells the user moved', async () => {
    const p = await core.previewImage({ imageId: plate.id, recipe: { preset: 'alizarin' }, referenceKind: 'plate', quality: 'full' });
    expect(p.plate?.layout).toBe(6);
    expect(p.plate!.wells.map((w) => w.id)).toEqual(['A1', 'A2', 'A3', 'B1', 'B2', 'B3']);
    expect(p.regionRows.map((r) => r.well)).toEqual(['A1', 'A2', 'A3', 'B1', 'B2', 'B3']);
    const edited = p.plate!.wells.slice(0, 2).map((w) => ({ ...w, radiusPx: w.radiusPx * 0.5 }));
    await core.setPlateWells(plate.id, edited);
    expect((await core.getPlateWells(plate.id))?.length).toBe(2);
    const q = await core.previewImage({ imageId: plate.id, recipe: { preset: 'alizarin' }, referenceKind: 'plate', quality: 'full' });
    expect(q.regionRows.map((r) => r.well)).toEqual(['A1', 'A2']);
    const area = (r: (typeof q.regionRows)[number]) => r.referenceAreaPx!;
    expect(area(q.regionRows[0]!) / area(p.regionRows[0]!)).toBeCloseTo(0.25, 1);
    await expect(core.setPlateWells(plate.id, [edited[0]!, edited[0]!])).rejects.toMatchObject({ code: 'INPUT_INVALID' });
    await core.setPlateWells(plate.id, null);
  });
});

describe('metadata and the study', () => {
  it('reads groups from file names, a sample sheet and hand edits; computes group statistics', async () => {
    const preview = await core.previewNamePattern('{animal}_{group}_{*}');
    expect(preview.rows.find((r) => r.displayName === 'M2_HP_s1.png')?.meta).toEqual({ animal: 'M2', group: 'HP' });
    expect(preview.rows.find((r) => r.displayName === 'plate6.png')?.ok).toBe(false);
    expect(await core.applyNamePattern('{animal}_{group}_{*}')).toEqual({ applied: 4, unmatched: 1 });
    const sheet = join(dir, 'map.csv');
    await writeFile(sheet, 'File,Well,Group\nplate6.png,A1,control\nplate6.png,A2,control\nplate6.png,A3,control\nplate6.png,B1,HP\nplate6.png,B2,HP\nplate6.png,B3,HP\nplate7.png,A1,typo\n');
    const imported = await core.importSampleSheet(sheet);
    expect(imported.unusedRows).toEqual([{ line: 8, what: 'plate7.png A1' }]);
    // A plate map keyed by well only goes to the chosen plate images, not to every image.
    const wellMap = join(dir, 'wells.csv');
    await writeFile(wellMap, 'Well,Replicate\nA1,1\nB3,2\n');
    expect((await core.importSampleSheet(wellMap, [plate.id])).applied).toBe(2);
    expect((await core.getMetadata()).filter((m) => m.meta.replicate).map((m) => [m.imageId, m.well, m.meta.replicate]).sort()).toEqual([[plate.id, 'A1', '1'], [plate.id, 'B3', '2']]);
    await expect(core.importSampleSheet(wellMap, ['not an id' as ImageId])).rejects.toMatchObject({ code: 'INPUT_INVALID' });
    await core.setMetadata([{ imageId: sections[0]!.id }], { notes: 'fold at the top', sampleType: 'aortic tissue' });
    await expect(core.setMetadata([{ imageId: sections[0]!.id }], { sampleType: 'liver' })).rejects.toMatchObject({ code: 'INPUT_INVALID' });
    const meta = await core.getMetadata();
    expect(meta.find((m) => m.imageId === sections[0]!.id && m.well === null)?.meta).toMatchObject({ group: 'control', notes: 'fold at the top' });
    expect(meta.filter((m) => m.imageId === plate.id).map((m) => m.well).sort()).toEqual(['A1', 'A2', 'A3', 'B1', 'B2', 'B3']);

    const batch = await core.startBatch({ imageIds: sections.map((s) => s.id), recipe: { preset: 'alizarin' } });
    const study = await core.getStudy(batch, { averageReplicates: true, controlGroup: 'control' });
    expect(study.groups.map((g) => [g.group, g.nUnits, g.nObservations])).toEqual([['control', 1, 2], ['HP', 2, 2]]);
    expect(study.groups[0]!.foldChange).toBeCloseTo(1, 9);
    const plateBatch = await core.startBatch({ imageIds: [plate.id], recipe: { preset: 'alizarin' }, referenceKind: 'plate' });
    const plateStudy = await core.getStudy(plateBatch, { averageReplicates: false });
    expect(plateStudy.plates[0]!.wells.map((w) => [w.well, w.group])).toEqual([
      ['A1', 'control'], ['A2', 'control'], ['A3', 'control'], ['B1', 'HP'], ['B2', 'HP'], ['B3', 'HP'],
    ]);
    await core.setBlinded(true);
    expect(await core.getBlinded()).toBe(true);
    const out = join(dir, 'export');
    const files = await core.exportStudy({ batchId: batch, outDir: out, csv: true, xlsx: true, qc: true, options: { averageReplicates: true, controlGroup: 'control' } });
    expect(files.csvPaths).toHaveLength(5);
    expect(await readFile(files.qcPath!, 'utf8')).toMatch(/[Bb]linded/);
  });
});

describe('metadata of regions', () => {
  it('a region has its own fields over the image’s; a new project keeps image, well and region metadata', async () => {
    await core.setBlinded(false);
    const img = sections[0]!;
    const w = img.widthPx!, h = img.heightPx!;
    const rect = (x0: number, x1: number) => [[[[x0, 0], [x1, 0], [x1, h], [x0, h], [x0, 0]]]];
    await core.saveRois(img.id, [
      { id: 'r-left', role: 'include', tool: 'rectangle', label: 's1', geometry: rect(0, w / 2) },
      { id: 'r-right', role: 'include', tool: 'rectangle', label: 's2', geometry: rect(w / 2, w) },
    ] as never);
    await core.setMetadata([{ imageId: img.id, region: 's2' }], { group: 'HP', animal: 'M9' });
    await expect(core.setMetadata([{ imageId: img.id, well: 'A1', region: 's2' }], { group: 'x' })).rejects.toMatchObject({ code: 'INPUT_INVALID' });
    expect((await core.getMetadata()).find((m) => m.region === 's2')).toMatchObject({ imageId: img.id, well: null, meta: { group: 'HP', animal: 'M9' } });

    const batch = await core.startBatch({ imageIds: [img.id], recipe: { preset: 'alizarin' } });
    const study = await core.getStudy(batch, { averageReplicates: false });
    const byRegion = new Map(study.observations.filter((o) => o.region).map((o) => [o.region, o]));
    // s1 inherits the image's group and animal (from its file name); s2 has its own
    expect(byRegion.get('s1')).toMatchObject({ group: 'control' });
    expect(byRegion.get('s2')).toMatchObject({ group: 'HP' });
    expect(study.units.find((u) => u.unit === 'M9')).toBeTruthy();

    // a sample sheet can name regions too (by label); a region the image does not have is reported
    const sheet = join(dir, 'regions.csv');
    await writeFile(sheet, `File,Region,Replicate\n${img.displayName},s1,7\n${img.displayName},s9,1\n`);
    const imported = await core.importSampleSheet(sheet);
    expect(imported).toMatchObject({ applied: 1, unusedRows: [{ line: 3, what: `${img.displayName} region “s9”` }] });
    expect((await core.getMetadata()).find((m) => m.region === 's1')?.meta).toMatchObject({ replicate: '7' });

    await core.setMetadata([{ imageId: plate.id, well: 'B2' }], { notes: 'scratch' });
    await core.createProject(join(dir, 'Carried.calciquant'), 'Carried');
    const ids = new Map((await core.listImages()).map((e) => [e.displayName, e.id]));
    const meta = await core.getMetadata();
    expect(meta.find((m) => m.imageId === ids.get(img.displayName) && m.region === 's2')?.meta).toMatchObject({ group: 'HP', animal: 'M9' });
    expect(meta.find((m) => m.imageId === ids.get(img.displayName) && m.well === null && m.region === null)?.meta).toMatchObject({ group: 'control' });
    expect(meta.find((m) => m.imageId === ids.get('plate6.png') && m.well === 'B2')?.meta).toMatchObject({ notes: 'scratch' });
    await core.closeProject();
    await core.openProject(join(dir, 'Carried.calciquant'));
    expect((await core.getMetadata()).filter((m) => m.region === 's2')).toHaveLength(1);
    await core.closeProject();
  });
});
