import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RESULT_COLUMNS } from '../../../src/common/result.js';
import { parseCsv } from '../../../src/export/csv.js';
import { formatStudyTableCsv, writeStudyCsvs } from '../../../src/export/study-csv.js';
import { PROVENANCE_SHEET, studyProvenance, writeStudyXlsx } from '../../../src/export/xlsx.js';
import type { StudyTable } from '../../../src/study/tables.js';
import { buildStudyTables } from '../../../src/study/tables.js';
import { EVIL_NAME, studyRows, studySummary } from './fixtures.js';

const rows = studyRows();
const summary = studySummary(rows);
const tables = buildStudyTables(rows, summary);
const tableNamed = (name: string): StudyTable => tables.find((t) => t.name === name)!;

function records(text: string): Record<string, string>[] {
  const [header, ...body] = parseCsv(text);
  return body.map((r) => Object.fromEntries(header!.map((c, i) => [c, r[i]!])));
}

let dir = '';
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'calciquant-study-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('study tables and CSV', () => {
  it('has the five levels; the observation tables carry the results.csv columns after key, metadata and unit', () => {
    expect(tables.map((t) => t.name)).toEqual(['images', 'wells', 'regions', 'units', 'groups']);
    const wellHeaders = tableNamed('wells').columns.map((c) => c.header);
    expect(wellHeaders.slice(0, 10)).toEqual(['image', 'well', 'sample_type', 'group', 'animal', 'replicate', 'notes', 'unit', 'unit_kind', 'fold_change']);
    expect(wellHeaders.slice(10)).toEqual(RESULT_COLUMNS.filter((c) => c !== 'image' && c !== 'well'));
  });

  it('writes a header for an empty level and rounds like results.csv', async () => {
    const paths = await writeStudyCsvs(dir, tables, 'study-');
    expect(paths.map((p) => p.slice(dir.length + 1))).toEqual(['study-images.csv', 'study-wells.csv', 'study-regions.csv', 'study-units.csv', 'study-groups.csv']);
    const regions = await readFile(paths[2]!, 'utf8');
    expect(regions.split('\n')).toHaveLength(2);
    expect(regions.startsWith('image,region,sample_type,')).toBe(true);

    const wells = records(formatStudyTableCsv(tableNamed('wells')));
    expect(wells.map((w) => [w.well, w.group, w.mineral_pct, w.unit])).toEqual([
      ['A1', 'control', '0.5000', 'plate1.tif'],
      ['A2', 'control', '0.7000', 'plate1.tif'],
      ['B1', 'HP', '1.2346', 'plate1.tif'],
    ]);
    expect(wells[0]!.notes).toBe('bubble, edge');
    expect(wells[2]!.fold_change).toBe('2.0576'); // 1.23456 / mean(0.5, 0.7)

    const images = records(formatStudyTableCsv(tableNamed('images')));
    // the plate's own row did not feed the statistics (its wells did): no unit, no fold change
    expect(images.map((i) => [i.image, i.group, i.unit, i.status])).toEqual([
      ['broken.tif', 'control', 'broken.tif', 'error'],
      [EVIL_NAME, 'HP <b>', 'M1', 'ok'],
      ['plate1.tif', '', '', 'ok'],
    ]);

    const groups = records(formatStudyTableCsv(tableNamed('groups')));
    expect(groups.map((g) => [g.group, g.is_control, g.n, g.mean_mineral_pct, g.sd_mineral_pct, g.n_excluded, g.fold_change])).toEqual([
      ['control', 'true', '1', '0.6000', '', '1', '1.0000'],
      ['HP', 'false', '1', '1.2346', '', '0', '2.0576'],
      ['HP <b>', 'false', '1', '2.5000', '', '0', '4.1667'],
    ]);
    const units = records(formatStudyTableCsv(tableNamed('units')));
    expect(units.map((u) => [u.group, u.unit, u.n_observations, u.mean_mineral_pct, u.sd_mineral_pct])).toEqual([
      ['control', 'plate1.tif', '2', '0.6000', '0.1414'],
      ['control', 'broken.tif', '1', '', ''],
      ['HP', 'plate1.tif', '1', '1.2346', ''],
      ['HP <b>', 'M1', '1', '2.5000', ''],
    ]);
  });
});

describe('study XLSX', () => {
  const provenance = studyProvenance(rows, summary, {
    appVersion: '0.1.0',
    createdAt: '2025-03-04T05:06:07.000Z',
    recipeId: 'ars-default',
    recipeHash: 'ab'.repeat(32),
    recipe: { format: 'mineral-recipe', schemaVersion: 2, id: 'ars-default', steps: [{ op: 'threshold', params: { method: 'otsu' } }] },
    blinded: true,
  });

  it('round-trips: sheet names, bold frozen headers, number cells with formats, provenance', async () => {
    const path = join(dir, 'study.xlsx');
    await writeStudyXlsx(path, tables, provenance);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(path);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['Images', 'Wells', 'Regions', 'Units', 'Groups', PROVENANCE_SHEET]);

    for (const t of tables) {
      const ws = wb.getWorksheet(t.name[0]!.toUpperCase() + t.name.slice(1))!;
      const header = ws.getRow(1);
      expect(t.columns.map((_, i) => header.getCell(i + 1).value)).toEqual(t.columns.map((c) => c.header));
      expect(header.getCell(1).font?.bold).toBe(true);
      expect(ws.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
      expect(ws.rowCount).toBe(t.rows.length + 1);
      // exceljs reads a width equal to Excel's default (9) back as undefined
      const widths = t.columns.map((_, i) => ws.getColumn(i + 1).width ?? 9);
      expect(Math.min(...widths)).toBeGreaterThanOrEqual(8);
      expect(Math.max(...widths)).toBeLessThanOrEqual(60);
    }

    const wells = wb.getWorksheet('Wells')!;
    const col = (name: string): number => tableNamed('wells').columns.findIndex((c) => c.header === name) + 1;
    const b1 = wells.getRow(4);
    expect(b1.getCell(col('well')).value).toBe('B1');
    expect(b1.getCell(col('mineral_pct')).type).toBe(ExcelJS.ValueType.Number);
    expect(b1.getCell(col('mineral_pct')).value).toBe(1.2346);
    expect(b1.getCell(col('mineral_pct')).numFmt).toBe('0.0000');
    expect(b1.getCell(col('mineral_area_px')).value).toBe(1235);
    expect(b1.getCell(col('mineral_area_px')).numFmt).toBe('0');
    expect(b1.getCell(col('pixel_size_um')).value).toBe(0.325);

    const groups = wb.getWorksheet('Groups')!;
    const control = groups.getRow(2);
    expect(control.getCell(1).value).toBe('control');
    expect(control.getCell(2).type).toBe(ExcelJS.ValueType.Boolean);
    expect(control.getCell(2).value).toBe(true);
    const numericCells = [5, 6, 7, 8, 9].map((c) => control.getCell(c));
    expect(numericCells.every((c) => c.type === ExcelJS.ValueType.Number)).toBe(true);
    expect(numericCells.map((c) => c.value)).toEqual([1, 2, 1, 1, 0.6]); // n_units, n_observations, n_excluded, n, mean
    expect(control.getCell(10).type).toBe(ExcelJS.ValueType.Null); // sd of n = 1

    const images = wb.getWorksheet('Images')!;
    expect(images.getRow(3).getCell(1).value).toBe(EVIL_NAME);

    const prov = wb.getWorksheet(PROVENANCE_SHEET)!;
    const values = Array.from(prov.getSheetValues(), (r) => (Array.isArray(r) ? r.slice(1) : [])) as unknown[][];
    const field = (k: string): unknown => values.find((r) => r[0] === k)?.[1];
    expect(field('app_version')).toBe('0.1.0');
    expect(field('recipe_hash')).toBe('ab'.repeat(32));
    expect(field('blinded')).toBe(true);
    expect(field('created_at')).toBe('2025-03-04T05:06:07.000Z');
    expect(field('average_technical_replicates')).toBe(true);
    expect(field('image_count')).toBe(3);
    expect(field('plate1.tif')).toBe('cd'.repeat(32));
    const jsonStart = values.findIndex((r) => r[0] === 'recipe_json');
    const json = values.slice(jsonStart + 1).map((r) => r[0]).join('\n');
    expect(JSON.parse(json)).toEqual(provenance.recipe);
    expect(wb.created.toISOString()).toBe('2025-03-04T05:06:07.000Z');
  });
});
