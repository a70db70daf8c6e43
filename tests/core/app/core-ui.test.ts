/** The CoreApi methods the desktop app uses: library, resources, preview, probe, CSV, export. */
import { mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createInlineHost } from '../../../src/app/analysis-host.js';
import { createCore, type CoreHandle } from '../../../src/app/core.js';
import type { ImageEntry } from '../../../src/common/api.js';
import { formatResultsCsv } from '../../../src/export/csv.js';
import { makeTempDir, removeTempDir, writeZeroByte } from '../helpers/image-fixtures.js';
import { writeStainedSection, type StainedImage } from '../helpers/stained-images.js';

let dir: string;
let core: CoreHandle;
let sample: StainedImage;
let entries: readonly ImageEntry[];

beforeAll(async () => {
  dir = await makeTempDir('calciquant-ui-');
  sample = await writeStainedSection(dir, 'section.png', { stain: 'alizarin', widthPx: 640, heightPx: 480, seed: 4 });
  await writeZeroByte(dir, 'broken.tif');
  await writeFile(join(dir, 'notes.txt'), 'x');
  core = createCore({ createHost: createInlineHost, cacheDir: join(dir, 'cache') });
  entries = (await core.openImages([dir])).images;
});
afterAll(async () => {
  await core.dispose();
  await removeTempDir(dir);
});

const entry = (name: string) => entries.find((e) => e.displayName === name)!;

describe('library', () => {
  it('opens a folder: good images with their header, bad ones with an error, non-images skipped', async () => {
    expect(entries.map((e) => e.displayName).sort()).toEqual(['broken.tif', 'section.png']);
    expect(entry('section.png')).toMatchObject({ widthPx: 640, heightPx: 480, format: 'png', error: null });
    expect(entry('broken.tif').error).toMatchObject({ code: 'IMAGE_UNREADABLE' });
    expect(entry('broken.tif').error!.userMessage).toMatch(/“broken\.tif” is empty/);
    const again = await core.openImages([sample.path]);
    expect(again.images[0]!.id).toBe(entry('section.png').id);
    expect(await core.listImages()).toHaveLength(2);
  });

  it('opens the bundled samples and can remove images', async () => {
    const s = await core.openSamples();
    expect(s.images.length).toBe(6);
    expect(s.images.every((e) => e.error === null && e.widthPx === 1024)).toBe(true);
    await core.removeImages(s.images.map((e) => e.id));
    expect(await core.listImages()).toHaveLength(2);
  });

  it('lists folders for the in-app file browser', async () => {
    await mkdir(join(dir, 'sub'), { recursive: true });
    const l = await core.listDirectory(dir);
    expect(l.entries.map((e) => [e.name, e.kind])).toEqual(expect.arrayContaining([['section.png', 'image'], ['notes.txt', 'other'], ['sub', 'dir']]));
    expect(l.entries[0]!.kind).toBe('dir');
    await expect(core.listDirectory(join(dir, 'nope'))).rejects.toMatchObject({ code: 'INPUT_INVALID' });
  });
});

describe('resources', () => {
  it('serves a thumbnail, a Deep Zoom pyramid and refuses other paths', async () => {
    const e = entry('section.png');
    const thumb = await core.readResource(e.thumbnailPath);
    expect(thumb?.contentType).toBe('image/jpeg');
    expect((await sharp(thumb!.data).metadata()).width).toBe(256);
    const view = await core.getImageView(e.id);
    expect(view).toMatchObject({ widthPx: 640, heightPx: 480, dziPath: `/res/dzi/${e.id}.dzi` });
    const dzi = await core.readResource(view.dziPath);
    expect(new TextDecoder().decode(dzi!.data)).toMatch(/Width="640"/);
    const tile = await core.readResource(`/res/dzi/${e.id}_files/10/0_0.jpeg`);
    expect(tile?.contentType).toBe('image/jpeg');
    for (const bad of ['/res/../package.json', '/res/thumb/zzzz.jpg', `/res/dzi/${e.id}_files/../../x`, '/etc/passwd']) {
      expect(await core.readResource(bad)).toBeNull();
    }
    expect(await core.readResource(entry('broken.tif').thumbnailPath)).toBeNull();
    await expect(core.getImageView(entry('broken.tif').id)).rejects.toMatchObject({ code: 'IMAGE_UNREADABLE' });
  });

  it('probes a pixel value and its optical density', async () => {
    const p = await core.probePixel(entry('section.png').id, 5, 5);
    expect(p.bitDepth).toBe(8);
    expect(Math.abs(p.od[0])).toBeLessThan(0.05); // glass
    const inDeposit = await core.probePixel(entry('section.png').id, 640 * 0.6, 480 * 0.55);
    expect(inDeposit.od[2]).toBeGreaterThan(0.5);
    await expect(core.probePixel(entry('section.png').id, 9999, 0)).rejects.toMatchObject({ code: 'INPUT_INVALID' });
  });
});

describe('preview and batch', () => {
  it('previews fast and full with an overlay, close to the truth', async () => {
    const id = entry('section.png').id;
    const fast = await core.previewImage({ imageId: id, recipe: { preset: 'alizarin' }, quality: 'fast' });
    const full = await core.previewImage({ imageId: id, recipe: { preset: 'alizarin' }, quality: 'full' });
    expect(Math.abs(full.result.mineralPct! - sample.mineralPct)).toBeLessThan(0.5);
    expect(Math.abs(fast.result.mineralPct! - sample.mineralPct)).toBeLessThan(1.5);
    const ov = await core.readResource(full.overlayPath);
    const meta = await sharp(ov!.data).metadata();
    expect([meta.width, meta.height, meta.channels]).toEqual([640, 480, 4]);
    await expect(core.previewImage({ imageId: entry('broken.tif').id, recipe: { preset: 'alizarin' }, quality: 'fast' }))
      .rejects.toMatchObject({ code: 'IMAGE_UNREADABLE' });
  });

  it('runs a batch by image id: rows, overlays, CSV as the CLI writes it, export with overlays', async () => {
    const ids = entries.map((e) => e.id);
    const batchId = await core.startBatch({ imageIds: ids, recipe: { preset: 'alizarin' } });
    const s = await core.waitForBatch(batchId);
    expect(s.imageIds).toEqual(ids);
    const ok = s.results.findIndex((r) => r.status === 'ok');
    expect(s.overlayPaths[ok]).toMatch(/^\/res\/overlay\//);
    expect(await core.readResource(s.overlayPaths[ok]!)).not.toBeNull();
    expect(s.overlayPaths[1 - ok]).toBeNull();
    expect(await core.getResultsCsv(batchId)).toBe(formatResultsCsv(s.results));
    const out = join(dir, 'export');
    const r = await core.exportResults({ batchId, outDir: out, overlays: true });
    expect(r.overlayCount).toBe(1);
    expect((await readdir(out)).sort()).toEqual(['results.csv', 'results.json', 'section_mineral.png', 'section_overlay.png', 'section_reference.png']);
    expect(await readFile(r.csvPath, 'utf8')).toBe(formatResultsCsv(s.results));
  });

  it('validates recipes and reports the hash', async () => {
    const doc = (await core.getAppInfo()).presets[0]!.document;
    const v = await core.validateRecipe(doc, 'a.json');
    expect(v.recipeHash).toMatch(/^[0-9a-f]{64}$/);
    await expect(core.validateRecipe({ format: 'calciquant-recipe', schemaVersion: 1, id: 'x', name: 'x', steps: [] }, 'b.json'))
      .rejects.toMatchObject({ code: 'RECIPE_INVALID' });
  });
});
