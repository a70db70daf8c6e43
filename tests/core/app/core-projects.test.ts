/** Projects and regions through the CoreApi: never lose work, per-region results, interop. */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createInlineHost } from '../../../src/app/analysis-host.js';
import { createCore, type CoreHandle } from '../../../src/app/core.js';
import type { ImageId } from '../../../src/common/api.js';
import { ellipseGeometry, rectangleGeometry } from '../../../src/common/roi-geometry.js';
import type { Roi, RoiId } from '../../../src/common/roi.js';
import { parseCsv } from '../../../src/export/csv.js';
import { roisToQuPathGeoJson } from '../../../src/io/qupath-geojson.js';
import { makeTempDir, removeTempDir } from '../helpers/image-fixtures.js';
import { writeStainedSection } from '../helpers/stained-images.js';
import { runCli } from '../cli/run-cli.js';

let dir: string;
const cores: CoreHandle[] = [];
const newCore = () => {
  const c = createCore({ createHost: createInlineHost, cacheDir: join(dir, 'cache') });
  cores.push(c);
  return c;
};
const roi = (id: string, role: Roi['role'], geometry: Roi['geometry'], label?: string): Roi =>
  ({ id: id as RoiId, role, tool: 'polygon', geometry, ...(label ? { label } : {}) });

beforeAll(async () => {
  dir = await makeTempDir('calciquant-proj-');
  await mkdir(join(dir, 'images'));
  await writeStainedSection(join(dir, 'images'), 'a.png', { stain: 'vonkossa', seed: 1 });
  await writeStainedSection(join(dir, 'images'), 'b.png', { stain: 'vonkossa', seed: 2, widthPx: 200, heightPx: 150 });
});
afterAll(async () => {
  for (const c of cores) await c.dispose();
  await removeTempDir(dir);
});

describe('projects and regions', () => {
  let ids: Record<string, ImageId>;
  const media = roi('r1', 'include', rectangleGeometry(60, 40, 260, 200), 'media');
  const bubble = roi('r2', 'exclude', ellipseGeometry(150, 120, 20, 15));

  it('creates a project that keeps the open images and their regions, and reopens it', async () => {
    const core = newCore();
    const opened = await core.openImages([join(dir, 'images')]);
    const a = opened.images.find((e) => e.displayName === 'a.png')!;
    await core.saveRois(a.id, [media]);
    const p = await core.createProject(join(dir, 'Study.calciquant'), 'Study');
    expect(p).toMatchObject({ name: 'Study', imageCount: 2, missingCount: 0 });
    ids = Object.fromEntries((await core.listImages()).map((e) => [e.displayName, e.id]));
    expect(await core.loadRois(ids['a.png']!)).toEqual([media]);
    await core.saveRois(ids['a.png']!, [media, bubble]);
    await core.dispose();
    const again = newCore();
    const q = await again.openProject(join(dir, 'Study.calciquant'));
    expect(q.imageCount).toBe(2);
    expect((await again.loadRois(ids['a.png']!)).map((r) => r.id)).toEqual(['r1', 'r2']);
    await again.dispose();
  });

  it('refuses a project that is open in another window', async () => {
    const first = newCore();
    await first.openProject(join(dir, 'Study.calciquant'));
    await expect(newCore().openProject(join(dir, 'Study.calciquant'))).rejects.toMatchObject({ code: 'PROJECT_LOCKED' });
    await first.dispose();
  });

  it('measures inside the regions: image row + one row per include region, saved in the project', async () => {
    const core = newCore();
    await core.openProject(join(dir, 'Study.calciquant'));
    const batch = await core.startBatch({ imageIds: [ids['a.png']!], recipe: { preset: 'vonkossa' } });
    const s = await core.waitForBatch(batch);
    const [header, ...rows] = parseCsv(await core.getResultsCsv(batch));
    const col = (r: string[], c: string) => r[header!.indexOf(c)]!;
    expect(rows.map((r) => col(r, 'region'))).toEqual(['', 'media']);
    expect(col(rows[0]!, 'reference')).toBe('region');
    // the rectangle 200×160 minus the ellipse's pixels
    const refPx = Number(col(rows[0]!, 'reference_area_px'));
    expect(refPx).toBeLessThan(200 * 160);
    expect(Math.abs(200 * 160 - refPx - Math.PI * 20 * 15)).toBeLessThan(0.02 * Math.PI * 20 * 15);
    expect(s.detailRows?.[0]?.[0]?.mineralPct).toBeCloseTo(s.results[0]!.mineralPct!, 6);
    await core.dispose();
    const stored = JSON.parse(await readFile(join(dir, 'Study.calciquant', 'images', ids['a.png']!, 'results', 'vonkossa-default.json'), 'utf8'));
    expect(stored.result.mineralPct).toBeCloseTo(s.results[0]!.mineralPct!, 9);
    expect(stored.regions).toHaveLength(1);
  });

  it('imports QuPath GeoJSON, exports it again, and copies regions to another image (clipped)', async () => {
    const core = newCore();
    await core.openProject(join(dir, 'Study.calciquant'));
    const file = join(dir, 'from-qupath.geojson');
    await writeFile(file, JSON.stringify(roisToQuPathGeoJson([roi('q1', 'include', rectangleGeometry(10, 10, 50, 50), 'section 2')])));
    const all = await core.importRois(ids['a.png']!, file);
    expect(all.map((r) => r.label ?? r.role)).toEqual(['media', 'exclude', 'section 2']);
    const out = join(dir, 'export.geojson');
    await core.exportRois(ids['a.png']!, out);
    const doc = JSON.parse(await readFile(out, 'utf8'));
    expect(doc.features).toHaveLength(3);
    expect(doc.features[1].properties.classification.name).toBe('Exclude');
    await core.copyRois(ids['a.png']!, [ids['b.png']!], 'replace');
    const copied = await core.loadRois(ids['b.png']!);
    expect(copied).toHaveLength(3);
    expect(copied.every((r) => !['r1', 'r2', 'q1'].includes(r.id))).toBe(true);
    const xs = copied[0]!.geometry.flat(2).map((p) => p[0]);
    expect(Math.max(...xs)).toBeLessThanOrEqual(200); // clipped to the 200 px wide image
    await expect(core.importRois(ids['a.png']!, join(dir, 'nope.roi'))).rejects.toMatchObject({ code: 'ROI_INVALID' });
    await expect(core.saveRois(ids['a.png']!, [{ id: 'x' }] as never)).rejects.toMatchObject({ code: 'ROI_INVALID' });
    await core.dispose();
  });

  it('finds a moved image again by its hash', async () => {
    await rename(join(dir, 'images', 'b.png'), join(dir, 'b-moved.png'));
    await mkdir(join(dir, 'elsewhere'));
    await rename(join(dir, 'b-moved.png'), join(dir, 'elsewhere', 'renamed.png'));
    const core = newCore();
    const p = await core.openProject(join(dir, 'Study.calciquant'));
    expect(p.missingCount).toBe(1);
    const missing = (await core.listImages()).find((e) => e.id === ids['b.png'])!;
    expect(missing.error?.userMessage).toMatch(/was not found .* Relink/);
    expect(await core.relinkImages(join(dir, 'elsewhere'))).toEqual({ relinked: 1, stillMissing: 0 });
    expect((await core.getProject())!.missingCount).toBe(0);
    expect((await core.loadRois(ids['b.png']!)).length).toBe(3);
    await core.closeProject();
    expect(await core.getProject()).toBeNull();
    expect(await core.listImages()).toEqual([]);
  });

  it('the CLI with --project gives the same rows as the app', async () => {
    const app = newCore();
    await app.openProject(join(dir, 'Study.calciquant'));
    const ids2 = (await app.listImages()).map((e) => e.id);
    const appCsv = await app.getResultsCsv(await app.startBatch({ imageIds: ids2, recipe: { preset: 'vonkossa' } }));
    await app.dispose();
    const out = join(dir, 'cli-out');
    const r = await runCli(['analyze', '--project', join(dir, 'Study.calciquant'), '--preset', 'vonkossa', '--out', out, '--jobs', '0']);
    expect(r.code, r.stderr).toBe(0);
    const cliCsv = await readFile(join(out, 'results.csv'), 'utf8');
    expect(cliCsv).toBe(appCsv);
    expect(parseCsv(cliCsv).map((row) => row[parseCsv(cliCsv)[0]!.indexOf('region')])).toEqual(['region', '', 'media', 'section 2', '', 'media', 'section 2']);
    expect((await runCli(['analyze', '--project', join(dir, 'Study.calciquant'), 'x.png', '--preset', 'vonkossa'])).code).toBe(1);
  });
});
