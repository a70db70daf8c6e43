/** CLI --plate: a whole-plate photo gives the image's row and one row per well (A1…). */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCsv } from '../../../src/export/csv.js';
import { makeTempDir, removeTempDir } from '../helpers/image-fixtures.js';
import { plateScene } from '../plate/plate-scene.js';
import { runCli } from './run-cli.js';

let dir: string;
beforeAll(async () => {
  dir = await makeTempDir('calciquant-plate-');
  const { image } = plateScene({ layout: 12, width: 1200, height: 820, rotationDeg: 0.5 });
  await sharp(image.data, { raw: { width: image.width, height: image.height, channels: 3 } }).png().toFile(join(dir, 'plate12.png'));
});
afterAll(() => removeTempDir(dir));

describe('calciquant analyze --plate', () => {
  it('finds the 12 wells and writes a row per well after the image row', async () => {
    const out = join(dir, 'out');
    const r = await runCli(['analyze', join(dir, 'plate12.png'), '--preset', 'alizarin', '--plate', 'auto', '--out', out, '--jobs', '0']);
    expect(r.code, r.stderr).toBe(0);
    const [header, ...rows] = parseCsv(await readFile(join(out, 'results.csv'), 'utf8'));
    const col = (row: string[], c: string) => row[header!.indexOf(c)]!;
    expect(rows).toHaveLength(13);
    expect(col(rows[0]!, 'reference')).toBe('plate');
    expect(col(rows[0]!, 'well')).toBe('');
    expect(rows.slice(1).map((x) => col(x, 'well'))).toEqual(['A1', 'A2', 'A3', 'A4', 'B1', 'B2', 'B3', 'B4', 'C1', 'C2', 'C3', 'C4']);
    const wellArea = rows.slice(1).reduce((s, x) => s + Number(col(x, 'reference_area_px')), 0);
    expect(wellArea).toBe(Number(col(rows[0]!, 'reference_area_px')));
    const wellMineral = rows.slice(1).reduce((s, x) => s + Number(col(x, 'mineral_area_px')), 0);
    expect(wellMineral).toBe(Number(col(rows[0]!, 'mineral_area_px')));
    expect(rows.slice(1).every((x) => col(x, 'reference') === 'well')).toBe(true);
  });

  it('refuses a bad layout and a plate reference on a photo without a plate', async () => {
    expect((await runCli(['analyze', join(dir, 'plate12.png'), '--preset', 'alizarin', '--plate', '7'])).stderr).toMatch(/--plate needs auto, 6, 12/);
    const blank = join(dir, 'blank.png');
    await sharp({ create: { width: 300, height: 200, channels: 3, background: { r: 240, g: 240, b: 240 } } }).png().toFile(blank);
    const out = join(dir, 'out2');
    const r = await runCli(['analyze', blank, '--preset', 'alizarin', '--plate', 'auto', '--out', out, '--jobs', '0']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/No plate was found/);
  });
});

describe('calciquant analyze --plate --samples --xlsx --qc', () => {
  it('writes the study: groups from a plate map, XLSX with numbers, a QC contact sheet', async () => {
    const sheet = join(dir, 'plate-map.csv');
    const rows = ['Well,Condition,Replicate'];
    for (const [row, group] of [['A', 'control'], ['B', 'high phosphate'], ['C', 'MK-7']] as const) for (let c = 1; c <= 4; c++) rows.push(`${row}${c},${group},${c}`);
    await (await import('node:fs/promises')).writeFile(sheet, rows.join('\n') + '\n');
    const out = join(dir, 'study');
    const r = await runCli(['analyze', join(dir, 'plate12.png'), '--preset', 'alizarin', '--plate', '12', '--samples', sheet, '--control', 'control', '--xlsx', '--qc', '--out', out, '--jobs', '0']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/study-groups\.csv.*study\.xlsx, qc\.html/);
    const [gh, ...groups] = parseCsv(await readFile(join(out, 'study-groups.csv'), 'utf8'));
    const g = (row: string[], c: string) => row[gh!.indexOf(c)]!;
    expect(groups.map((x) => g(x, 'group'))).toEqual(['control', 'high phosphate', 'MK-7']);
    expect(groups.map((x) => g(x, 'n'))).toEqual(['4', '4', '4']);
    expect(Number(g(groups[0]!, 'fold_change'))).toBeCloseTo(1, 6);
    const ExcelJS = (await import('exceljs')).default;
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(join(out, 'study.xlsx'));
    expect(wb.worksheets.map((w) => w.name)).toEqual(['Images', 'Wells', 'Regions', 'Units', 'Groups', 'Provenance']);
    const wells = wb.getWorksheet('Wells')!;
    const header = (wells.getRow(1).values as unknown[]).slice(1);
    const pctCol = header.indexOf('mineral_pct') + 1;
    expect(typeof wells.getRow(2).getCell(pctCol).value).toBe('number');
    const qc = await readFile(join(out, 'qc.html'), 'utf8');
    expect(qc).toContain('plate12.png');
    expect((qc.match(/src="data:image\/jpeg;base64,/g) ?? []).length).toBe(2);
  });
});
