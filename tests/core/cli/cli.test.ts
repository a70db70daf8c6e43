import { createHash } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCsv } from '../../../src/export/csv.js';
import { RESULT_COLUMNS } from '../../../src/common/result.js';
import { makeTempDir, removeTempDir } from '../helpers/image-fixtures.js';
import { writeStainedSection, type StainedImage } from '../helpers/stained-images.js';
import { runCli } from './run-cli.js';

let dir: string;
let samples: StainedImage[];

async function readRows(outDir: string): Promise<Record<string, string>[]> {
  const [header, ...rows] = parseCsv(await readFile(join(outDir, 'results.csv'), 'utf8'));
  return rows.map((r) => Object.fromEntries(header!.map((h, i) => [h, r[i] ?? ''])));
}

beforeAll(async () => {
  dir = await makeTempDir('calciquant-cli-');
  await mkdir(join(dir, 'in', 'sub'), { recursive: true });
  samples = [
    await writeStainedSection(join(dir, 'in'), 'a.png', { stain: 'alizarin', seed: 1 }),
    await writeStainedSection(join(dir, 'in'), 'b.jpg', { stain: 'alizarin', format: 'jpg', seed: 2, deposits: [[0.5, 0.5, 0.1]] }),
    await writeStainedSection(join(dir, 'in', 'sub'), 'c16.tif', { stain: 'alizarin', format: 'tif16', seed: 3 }),
  ];
  await writeFile(join(dir, 'in', 'notes.txt'), 'not an image');
});
afterAll(() => removeTempDir(dir));

describe('calciquant analyze', () => {
  it('analyses a folder recursively, skips non-images with a note, writes CSV and JSON', async () => {
    const out = join(dir, 'out1');
    const r = await runCli(['analyze', join(dir, 'in'), '--preset', 'alizarin', '--out', out, '--jobs', '0']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/note: skipped .*notes\.txt: not an image/);
    expect(r.stderr).toMatch(/\[3\/3\]/);
    expect(r.stderr).toMatch(/3 image\(s\): 3 analysed, 0 failed/);
    const text = await readFile(join(out, 'results.csv'), 'utf8');
    expect(text.split('\n')[0]).toBe(RESULT_COLUMNS.join(','));
    const rows = await readRows(out);
    expect(rows.map((x) => x.image)).toEqual(['a.png', 'b.jpg', join('sub', 'c16.tif')]);
    rows.forEach((row, i) => {
      expect(row.status).toBe('ok');
      expect(row.reference).toBe('tissue');
      expect(Math.abs(Number(row.mineral_pct) - samples[i]!.mineralPct)).toBeLessThan(1.0);
      expect(Math.abs(Number(row.reference_area_px) / samples[i]!.tissuePx - 1)).toBeLessThan(0.02);
      expect(row.recipe_hash).toMatch(/^[0-9a-f]{64}$/);
      expect(row.app_version).toMatch(/^\d+\.\d+\.\d+/);
      expect(Number(row.deposit_count)).toBeGreaterThan(0);
      expect(row.pixel_size_um).toBe('');
    });
    const sha = createHash('sha256').update(await readFile(samples[0]!.path)).digest('hex');
    expect(rows[0]!.image_sha256).toBe(sha);
    const json = JSON.parse(await readFile(join(out, 'results.json'), 'utf8'));
    expect(json.images).toHaveLength(3);
    expect(json.recipeHash).toBe(rows[0]!.recipe_hash);
    expect(json.recipe.id).toBe('alizarin-default');
  });

  it('gives the same numbers with worker threads as in-process', async () => {
    const a = join(dir, 'w0'), b = join(dir, 'w2');
    expect((await runCli(['analyze', join(dir, 'in'), '--preset', 'alizarin', '--out', a, '--jobs', '0'])).code).toBe(0);
    const r = await runCli(['analyze', join(dir, 'in'), '--preset', 'alizarin', '--out', b, '--jobs', '2']);
    expect(r.code, r.stderr).toBe(0);
    const strip = (rows: Record<string, string>[]) => rows.map(({ ...x }) => x);
    expect(strip(await readRows(b))).toEqual(strip(await readRows(a)));
  });

  it('calibrates areas with --pixel-size-um and writes overlays with --overlays', async () => {
    const out = join(dir, 'ov');
    const r = await runCli(['analyze', samples[0]!.path, '--preset', 'alizarin', '--pixel-size-um', '0.5', '--overlays', '--out', out, '--jobs', '0']);
    expect(r.code, r.stderr).toBe(0);
    const [row] = await readRows(out);
    expect(Number(row!.pixel_size_um)).toBe(0.5);
    expect(Number(row!.mineral_area_um2)).toBeCloseTo(Number(row!.mineral_area_px) * 0.25, 1);
    for (const suffix of ['overlay', 'reference', 'mineral']) {
      const meta = await sharp(join(out, `a_${suffix}.png`)).metadata();
      expect([meta.width, meta.height]).toEqual([320, 240]);
    }
  });

  it('measures inside a GeoJSON region and refuses a malformed one', async () => {
    const roi = join(dir, 'roi.geojson');
    await writeFile(roi, JSON.stringify({ type: 'FeatureCollection', features: [
      { type: 'Feature', properties: { objectType: 'annotation' }, geometry: { type: 'Polygon', coordinates: [[[100, 60], [220, 60], [220, 180], [100, 180], [100, 60]]] } },
    ] }));
    const out = join(dir, 'roi');
    const r = await runCli(['analyze', samples[0]!.path, '--preset', 'alizarin', '--roi', roi, '--out', out, '--jobs', '0']);
    expect(r.code, r.stderr).toBe(0);
    const [row, regionRow] = await readRows(out);
    expect(row!.reference).toBe('region');
    expect(row!.region).toBe('');
    expect(Number(row!.reference_area_px)).toBe(120 * 120);
    expect(regionRow).toMatchObject({ region: 'region 1', reference: 'region', reference_area_px: String(120 * 120), mineral_pct: row!.mineral_pct });
    const bad = join(dir, 'bad.geojson');
    await writeFile(bad, '{"type": "FeatureCollection", "features": [ {"type":"Feature","geometry":{"type":"Polygon","coordinates":[[[0,0],[1,"x"],[2,2]]]}} ]}');
    const r2 = await runCli(['analyze', samples[0]!.path, '--preset', 'alizarin', '--roi', bad, '--out', join(dir, 'bad'), '--jobs', '0']);
    expect(r2.code).toBe(1);
    expect(r2.stderr).toMatch(/“bad\.geojson”.*finite number/);
    await writeFile(bad, '{ not json');
    const r3 = await runCli(['analyze', samples[0]!.path, '--preset', 'alizarin', '--roi', bad, '--out', join(dir, 'bad'), '--jobs', '0']);
    expect(r3.code).toBe(1);
    expect(r3.stderr).toMatch(/“bad\.geojson” is not valid JSON/);
  });

  it('reports one row per include region (label, or its number), with exclude regions cut out', async () => {
    const roi = join(dir, 'regions.geojson');
    const square = (x: number, y: number, s: number) => [[[x, y], [x + s, y], [x + s, y + s], [x, y + s], [x, y]]];
    await writeFile(roi, JSON.stringify([
      { type: 'Feature', properties: { name: 'media' }, geometry: { type: 'Polygon', coordinates: square(100, 60, 80) } },
      { type: 'Feature', properties: {}, geometry: { type: 'Polygon', coordinates: square(150, 100, 60) } },
      { type: 'Feature', properties: { classification: { name: 'Exclude' } }, geometry: { type: 'Polygon', coordinates: square(150, 100, 20) } },
    ]));
    const out = join(dir, 'regions');
    expect((await runCli(['analyze', samples[0]!.path, '--preset', 'alizarin', '--roi', roi, '--out', out, '--jobs', '0'])).code).toBe(0);
    const rows = await readRows(out);
    expect(rows.map((x) => x.region)).toEqual(['', 'media', 'region 2']);
    // media 80², region 2 60², overlapping 30×40; the 20² exclude lies in both
    expect(rows.map((x) => Number(x.reference_area_px))).toEqual([6400 + 3600 - 1200 - 400, 6400 - 400, 3600 - 400]);
    expect(rows.every((x) => x.reference === 'region')).toBe(true);
  });

  it('uses a recipe file and explains an invalid or too new one', async () => {
    const preset = JSON.parse(await readFile(new URL('../../../assets/recipes/alizarin.json', import.meta.url), 'utf8'));
    const good = join(dir, 'good.json');
    await writeFile(good, JSON.stringify({ ...preset, id: 'my-recipe' }));
    const out = join(dir, 'rec');
    expect((await runCli(['analyze', samples[0]!.path, '--recipe', good, '--out', out, '--jobs', '0'])).code).toBe(0);
    expect((await readRows(out))[0]!.recipe_id).toBe('my-recipe');
    const bad = join(dir, 'bad-recipe.json');
    preset.steps[4].params.minContrastOd = 'high';
    await writeFile(bad, JSON.stringify(preset));
    const r = await runCli(['analyze', samples[0]!.path, '--recipe', bad, '--out', out, '--jobs', '0']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/Recipe “bad-recipe\.json” is invalid — step 5 \(threshold\) minContrastOd/);
    await writeFile(bad, JSON.stringify({ ...preset, schemaVersion: 7 }));
    expect((await runCli(['analyze', samples[0]!.path, '--recipe', bad, '--out', out, '--jobs', '0'])).stderr).toMatch(/newer Calciquant/);
  });

  it('refuses an unwritable output folder with a clear message', async () => {
    const file = join(dir, 'im-a-file');
    await writeFile(file, 'x');
    const r = await runCli(['analyze', samples[0]!.path, '--preset', 'alizarin', '--out', file, '--jobs', '0']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/im-a-file/);
    expect(r.stderr).not.toMatch(/at .*\.ts:\d+/); // no stack trace
  });

  it.each([
    [[], /Usage:/],
    [['analyze', 'x.jpg'], /Say which stain/],
    [['analyze', 'x.jpg', '--preset', 'hematoxylin'], /Unknown preset/],
    [['analyze', 'x.jpg', '--preset', 'alizarin', '--recipe', 'r.json'], /either --preset or --recipe/],
    [['analyze', 'x.jpg', '--preset', 'alizarin', '--jobs', 'many'], /--jobs needs a whole number/],
    [['analyze', 'x.jpg', '--preset', 'alizarin', '--pixel-size-um', '0'], /--pixel-size-um needs a number/],
    [['analyze', 'x.jpg', '--preset', 'alizarin', '--reference', 'lumen'], /Unknown reference/],
    [['analyze', 'x.jpg', '--preset', 'alizarin', '--reference', 'region'], /needs --roi/],
    [['analyze', 'x.jpg', '--preset', 'alizarin', '--colour', 'red'], /Unknown option/],
    [['frobnicate'], /Unknown command/],
  ])('usage error %j exits 1', async (args, msg) => {
    const r = await runCli(args as string[]);
    expect(r.code).toBe(1);
    expect(r.stderr + r.stdout).toMatch(msg);
  });

  it('draws a progress bar on a terminal', async () => {
    const r = await runCli(['analyze', samples[0]!.path, '--preset', 'alizarin', '--out', join(dir, 'tty'), '--jobs', '0'], { tty: true });
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/\r█+ 1\/1 ETA/);
  });

  it('lists presets and prints the version', async () => {
    expect((await runCli(['presets'])).stdout).toMatch(/alizarin\s+alizarin-default/);
    expect((await runCli(['--version'])).stdout).toMatch(/^\d+\.\d+\.\d+/);
  });
});
