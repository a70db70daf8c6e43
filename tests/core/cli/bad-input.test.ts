/**
 * Bad input never crashes a batch: every broken file gets an error row whose message names the
 * file and says what to do; every good file (including odd-but-valid encodings) is measured.
 */
import { readFile, writeFile, copyFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCsv } from '../../../src/export/csv.js';
import {
  makeTempDir, removeTempDir, writeBombPng, writeNotAnImage, writeTruncated, writeZeroByte, writeRgbPng,
} from '../helpers/image-fixtures.js';
import { writeStainedSection, type StainedImage } from '../helpers/stained-images.js';
import { runCli } from './run-cli.js';

let dir: string;
let rows: Record<string, string>[];
let run: { code: number; stderr: string };
let vk: StainedImage;

beforeAll(async () => {
  dir = await makeTempDir('calciquant-bad-');
  const inDir = join(dir, 'in put');
  await (await import('node:fs/promises')).mkdir(inDir);
  vk = await writeStainedSection(inDir, 'Probe Ä µ 1.png', { stain: 'vonkossa', seed: 5 });
  const src = sharp(vk.path);
  await src.clone().toColourspace('cmyk').jpeg({ quality: 98 }).toFile(join(inDir, 'cmyk.jpg'));
  await src.clone().greyscale().toColourspace('b-w').png().toFile(join(inDir, 'grey.png'));
  await src.clone().ensureAlpha(1).png().toFile(join(inDir, 'alpha.png'));
  await writeStainedSection(inDir, 'deep16.tif', { stain: 'vonkossa', seed: 5, format: 'tif16' });
  await copyFile(vk.path, join(inDir, 'really-a-png.tif'));
  await writeZeroByte(inDir, 'zero.tif');
  await writeTruncated(inDir, 'truncated.jpg', { format: 'jpeg', fraction: 0.5 });
  await writeNotAnImage(inDir, 'text-with-image-name.jpg');
  await writeRgbPng(inDir, 'one-pixel.png', 1, 1);
  await writeBombPng(inDir, 'bomb.png');
  // a grey fluorescence-like image: dark background, bright spots
  const fl = Buffer.alloc(200 * 150, 10);
  for (let i = 0; i < fl.length; i += 97) fl[i] = 240;
  await sharp(fl, { raw: { width: 200, height: 150, channels: 1 } }).toColourspace('b-w').png().toFile(join(inDir, 'fluo.png'));
  await writeFile(join(inDir, 'readme.md'), '# not an image');
  const out = join(dir, 'out');
  run = await runCli(['analyze', inDir, '--preset', 'vonkossa', '--out', out, '--jobs', '2']);
  const [header, ...body] = parseCsv(await readFile(join(out, 'results.csv'), 'utf8'));
  rows = body.map((r) => Object.fromEntries(header!.map((h, i) => [h, r[i] ?? ''])));
}, 120_000);
afterAll(() => removeTempDir(dir));

const row = (name: string) => {
  const r = rows.find((x) => x.image === name);
  if (!r) throw new Error(`no row for ${name}: ${rows.map((x) => x.image).join(', ')}`);
  return r;
};

describe('a batch of good and bad files', () => {
  it('finishes every image, exits 2, and skips non-image files in folders with a note', () => {
    expect(run.code).toBe(2);
    expect(rows).toHaveLength(12);
    expect(run.stderr).toMatch(/skipped .*readme\.md: not an image/);
    expect(run.stderr).toMatch(/12 image\(s\): 6 analysed, 6 failed/);
  });

  it.each([
    ['zero.tif', 'IMAGE_UNREADABLE', /“zero\.tif” is empty \(0 bytes\)/],
    ['truncated.jpg', 'IMAGE_UNREADABLE', /“truncated\.jpg” is truncated or corrupt/],
    ['text-with-image-name.jpg', 'IMAGE_UNSUPPORTED', /“text-with-image-name\.jpg” is not an image/],
    ['one-pixel.png', 'IMAGE_UNSUPPORTED', /“one-pixel\.png”: The image is only 1×1 pixels/],
    ['bomb.png', 'IMAGE_TOO_LARGE', /“bomb\.png” is too large to open: 100000 × 100000 pixels/],
    ['fluo.png', 'IMAGE_UNSUPPORTED', /“fluo\.png”: .*fluorescence image/],
  ])('%s → %s with a message naming the file', (name, code, msg) => {
    const r = row(name);
    expect(r.status).toBe('error');
    expect(r.error_code).toBe(code);
    expect(r.error).toMatch(msg);
    expect(r.mineral_pct).toBe('');
  });

  it.each(['Probe Ä µ 1.png', 'cmyk.jpg', 'alpha.png', 'deep16.tif', 'really-a-png.tif'])('%s is measured correctly', (name) => {
    const r = row(name);
    expect(r.status, r.error).toBe('ok');
    expect(Math.abs(Number(r.mineral_pct) - vk.mineralPct)).toBeLessThan(1.0);
  });

  it('measures a grey image by darkness and says so', () => {
    const r = row('grey.png');
    expect(r.status, r.error).toBe('ok');
    expect(r.warnings).toMatch(/single-channel/i);
    expect(Math.abs(Number(r.mineral_pct) - vk.mineralPct)).toBeLessThan(2.0);
  });

  it('notes a wrong extension as a warning', () => {
    expect(row('really-a-png.tif').warnings).toMatch(/PNG/i);
  });
});
