/** The bundled sample images (assets/samples) are measured within 1 pp of their exact truth. */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCsv } from '../../../src/export/csv.js';
import { makeTempDir, removeTempDir } from '../helpers/image-fixtures.js';
import { runCli } from './run-cli.js';

const root = new URL('../../../assets/samples/', import.meta.url).pathname;
let out: string;
beforeAll(async () => {
  out = await makeTempDir('calciquant-samples-');
});
afterAll(() => removeTempDir(out));

describe('bundled samples', () => {
  it.each([
    ['alizarin', 'tissue', 'alizarin'],
    ['alizarin-wells', 'well', 'alizarin'],
    ['vonkossa', 'tissue', 'vonkossa'],
    ['vonkossa-wells', 'well', 'vonkossa'],
  ])('%s (%s reference) matches truth.json', async (folder, reference, preset) => {
    const truth = JSON.parse(await readFile(join(root, 'truth.json'), 'utf8')).images as Record<string, { mineral_percent: number; reference_px: number }>;
    const dir = join(out, folder);
    const r = await runCli(['analyze', join(root, folder), '--preset', preset, '--reference', reference, '--out', dir, '--jobs', '0']);
    expect(r.code, r.stderr).toBe(0);
    const [header, ...rows] = parseCsv(await readFile(join(dir, 'results.csv'), 'utf8'));
    for (const row of rows) {
      const get = (c: string) => row[header!.indexOf(c)]!;
      const t = truth[`${folder}/${get('image')}`]!;
      expect(Math.abs(Number(get('mineral_pct')) - t.mineral_percent), get('image')).toBeLessThan(1.0);
      expect(Math.abs(Number(get('reference_area_px')) / t.reference_px - 1)).toBeLessThan(0.005);
    }
  });
});
