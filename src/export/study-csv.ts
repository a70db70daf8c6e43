/**
 * Tidy CSV per study level: images.csv, wells.csv, regions.csv, units.csv, groups.csv.
 * Same dialect as results.csv (export/csv.ts): UTF-8 without BOM, `\n`, RFC 4180 quoting, `.`
 * decimals, per-column rounding, header always present (also for an empty level), null → empty.
 * Booleans are `true` / `false` (read as logicals by R and pandas).
 */
import { join } from 'node:path';
import { BugError } from '../common/errors.js';
import type { CellFormat, CellValue, StudyTable, StudyTableName } from '../study/tables.js';
import { formatFixed, formatSignificant, quoteCsvField } from './csv.js';
import { writeFileAtomic } from '../io/atomic-write.js';

/** CSV text of one table. */
export function formatStudyTableCsv(table: StudyTable): string {
  const lines = [table.columns.map((c) => quoteCsvField(c.header)).join(',')];
  for (const row of table.rows) lines.push(row.map((v, i) => formatStudyCell(v, table.columns[i]!.format)).join(','));
  return lines.join('\n') + '\n';
}

/** One cell as CSV text (exported for the XLSX writer's rounding and for tests). */
export function formatStudyCell(value: CellValue, format: CellFormat): string {
  if (value === null) return '';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value !== 'number') {
    return quoteCsvField(typeof value === 'string' ? value : value.join('; '));
  }
  switch (format.kind) {
    case 'fixed':
      return formatFixed(value, format.decimals);
    case 'significant':
      return formatSignificant(value, format.digits);
    case 'text':
    case 'list':
    case 'boolean':
      return Number.isFinite(value) ? String(value) : '';
    default:
      throw new BugError(`unknown study cell format ${JSON.stringify(format)}`);
  }
}

/** `<name>.csv` for a table name, e.g. `groups.csv`; `prefix` gives `study-groups.csv`. */
export function studyCsvFileName(name: StudyTableName, prefix = ''): string {
  return `${prefix}${name}.csv`;
}

/** Writes every table atomically into `dir`; returns the written paths in table order. */
export async function writeStudyCsvs(dir: string, tables: readonly StudyTable[], prefix = ''): Promise<string[]> {
  const paths: string[] = [];
  for (const t of tables) {
    const p = join(dir, studyCsvFileName(t.name, prefix));
    await writeFileAtomic(p, formatStudyTableCsv(t));
    paths.push(p);
  }
  return paths;
}
