/**
 * One XLSX workbook for a study (exceljs): the sheets of the tidy CSVs (Images, Wells, Regions,
 * Units, Groups — same columns, same rounding) plus Provenance (app version, recipe id, hash and
 * JSON, image hashes, date, blinded or not).
 * Numbers are number cells with a number format matching their rounding (never text); booleans are
 * boolean cells; header row bold, frozen and filterable; column widths from the content.
 */
import ExcelJS from 'exceljs';
import type { CellFormat, CellValue, StudyRow, StudyTable } from '../study/tables.js';
import type { StudySummary } from '../study/stats.js';
import { writeFileAtomic } from '../io/atomic-write.js';
import { formatStudyCell } from './study-csv.js';

export interface StudyProvenance {
  readonly appVersion: string;
  /** ISO 8601 time of the export (passed in: this module reads no clock). */
  readonly createdAt: string;
  readonly recipeId: string;
  readonly recipeHash: string;
  /** The recipe document as run. */
  readonly recipe: unknown;
  /** Regions were drawn and masks reviewed with file names and groups hidden. */
  readonly blinded: boolean;
  readonly images: readonly { readonly image: string; readonly sha256: string | null; readonly status: string }[];
  /** Analysis settings shown as `setting, value` rows (averaging, unit, control group, …). */
  readonly settings: readonly (readonly [string, string | number | boolean | null])[];
}

export const SHEET_TITLES = {
  images: 'Images',
  wells: 'Wells',
  regions: 'Regions',
  units: 'Units',
  groups: 'Groups',
} as const satisfies Record<StudyTable['name'], string>;
export const PROVENANCE_SHEET = 'Provenance';

/** Provenance of a study from its rows and summary: one entry per image (hash and status of its image row). */
export function studyProvenance(
  rows: readonly StudyRow[],
  summary: StudySummary<StudyRow>,
  base: Omit<StudyProvenance, 'images' | 'settings'>,
): StudyProvenance {
  const images = new Map<string, StudyProvenance['images'][number]>();
  for (const r of rows) {
    if (r.level === 'image' || !images.has(r.image)) {
      images.set(r.image, { image: r.image, sha256: r.result.imageSha256, status: r.result.status });
    }
  }
  const o = summary.options;
  const settings: StudyProvenance['settings'] = [
    ['average_technical_replicates', o.averageReplicates],
    ['unit', o.unitBy],
    ['control_group', o.controlGroup],
    ['group_order', summary.groups.map((g) => g.group ?? '').join('; ')],
  ];
  return { ...base, images: [...images.values()], settings };
}

/** The workbook (not yet written). */
export function buildStudyWorkbook(tables: readonly StudyTable[], provenance: StudyProvenance): ExcelJS.Workbook {
  const wb = new ExcelJS.Workbook();
  wb.creator = `Calciquant ${provenance.appVersion}`;
  const created = new Date(provenance.createdAt);
  if (!Number.isNaN(created.getTime())) wb.created = wb.modified = created;
  for (const t of tables) addTableSheet(wb, SHEET_TITLES[t.name], t);
  addProvenanceSheet(wb, provenance);
  return wb;
}

/** XLSX bytes of the study. */
export async function studyXlsxBytes(tables: readonly StudyTable[], provenance: StudyProvenance): Promise<Uint8Array> {
  const buf = await buildStudyWorkbook(tables, provenance).xlsx.writeBuffer();
  return new Uint8Array(buf);
}

/** Writes the workbook atomically (temp file → rename). */
export async function writeStudyXlsx(filePath: string, tables: readonly StudyTable[], provenance: StudyProvenance): Promise<void> {
  await writeFileAtomic(filePath, await studyXlsxBytes(tables, provenance));
}

/** Number format matching a column's CSV rounding. */
export function numFmtFor(format: CellFormat): string {
  if (format.kind === 'fixed') return format.decimals === 0 ? '0' : `0.${'0'.repeat(format.decimals)}`;
  return 'General';
}

/** The value written into a cell: numbers rounded exactly as in the CSV, lists joined, null empty. */
export function xlsxCellValue(value: CellValue, format: CellFormat): string | number | boolean | null {
  if (value === null || value === undefined || typeof value === 'boolean' || typeof value === 'string') return value ?? null;
  if (typeof value !== 'number') return value.join('; ');
  const text = formatStudyCell(value, format);
  return text === '' ? null : Number(text);
}

function addTableSheet(wb: ExcelJS.Workbook, title: string, t: StudyTable): void {
  const ws = wb.addWorksheet(title, { views: [{ state: 'frozen', xSplit: 0, ySplit: 1 }] });
  ws.addRow(t.columns.map((c) => c.header));
  for (const row of t.rows) {
    const r = ws.addRow(row.map((v, i) => xlsxCellValue(v, t.columns[i]!.format)));
    t.columns.forEach((c, i) => {
      const cell = r.getCell(i + 1);
      if (typeof cell.value === 'number') cell.numFmt = numFmtFor(c.format);
    });
  }
  styleHeader(ws, t.columns.length);
  if (t.columns.length > 0) ws.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: t.columns.length } };
  setWidths(ws, [t.columns.map((c) => c.header), ...t.rows.map((r) => r.map((v, i) => formatStudyCell(v, t.columns[i]!.format)))]);
}

function addProvenanceSheet(wb: ExcelJS.Workbook, p: StudyProvenance): void {
  const ws = wb.addWorksheet(PROVENANCE_SHEET, { views: [{ state: 'frozen', xSplit: 0, ySplit: 1 }] });
  type Cells = (string | number | boolean | null)[];
  const fields: Cells[] = [
    ['format', 'calciquant-study'],
    ['app_version', p.appVersion],
    ['created_at', p.createdAt],
    ['recipe_id', p.recipeId],
    ['recipe_hash', p.recipeHash],
    ['blinded', p.blinded],
    ['image_count', p.images.length],
    ...p.settings.map(([k, v]): Cells => [k, v]),
  ];
  const sections: Cells[][] = [
    [['field', 'value'], ...fields],
    [['image', 'image_sha256', 'status'], ...p.images.map((i): Cells => [i.image, i.sha256, i.status])],
    [['recipe_json'], ...JSON.stringify(p.recipe ?? null, null, 2).split('\n').map((line): Cells => [line])],
  ];
  sections.forEach((section, s) => {
    if (s > 0) ws.addRow([]);
    section.forEach((cells, i) => {
      const row = ws.addRow(cells);
      if (i === 0) row.font = { bold: true };
    });
  });
  styleHeader(ws, 2);
  ws.getColumn(1).width = 32;
  ws.getColumn(2).width = 68;
  ws.getColumn(3).width = 10;
}

function styleHeader(ws: ExcelJS.Worksheet, columnCount: number): void {
  const header = ws.getRow(1);
  header.font = { bold: true };
  for (let i = 1; i <= columnCount; i++) header.getCell(i).alignment = { vertical: 'middle' };
}

/** Width per column: longest text among the header and the first 500 rows, clamped to 8…60 characters. */
function setWidths(ws: ExcelJS.Worksheet, texts: readonly (readonly string[])[]): void {
  const sample = texts.slice(0, 501);
  const columns = sample[0]?.length ?? 0;
  for (let i = 0; i < columns; i++) {
    const longest = Math.max(...sample.map((r) => (r[i] ?? '').length));
    ws.getColumn(i + 1).width = Math.min(60, Math.max(8, longest + 2));
  }
}
