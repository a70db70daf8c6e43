/**
 * Plate map / sample sheet CSV → metadata per well and/or file name.
 *
 * - The first non-empty line is the header. Key columns: a well id (`Well`, `Well ID`, `Position`),
 *   a region name (`Region`, `ROI`: a drawn region's label) and/or a file name (`File`, `File name`,
 *   `Image`, `Path`); at least one must be present. A row with a file and a well (or region) applies
 *   to that well (region) of that image; a well-only (region-only) row to that well (region) of every
 *   plate image (one plate map for all plates); a file-only row to the whole image. A row names a
 *   well or a region, not both.
 * - Metadata columns by alias, case/space-insensitive (see src/common/sample-meta.ts); others are ignored and
 *   listed in `ignoredColumns`.
 * - Comma, semicolon (Excel in many European locales) or tab separated; RFC 4180 quoting; BOM ok.
 * Errors are INPUT_INVALID and name the sheet, the line and the column.
 */
import { AppError } from '../common/errors.js';
import { parseCsv } from '../export/csv.js';
import type { SampleMeta, SampleMetaField } from '../common/sample-meta.js';
import { SAMPLE_TYPES, metaFieldForName, normalizeName, normalizeSampleType, normalizeWellId } from '../common/sample-meta.js';

export interface SampleSheetRow {
  /** Line of the file where the row starts (1 = header line, unless blank lines precede it). */
  readonly line: number;
  readonly file: string | null;
  /** Normalised well id (`A1`), or null. */
  readonly well: string | null;
  /** A region's name (its label), or null. */
  readonly region: string | null;
  readonly meta: SampleMeta;
}

export interface SampleSheet {
  readonly name: string;
  readonly rows: readonly SampleSheetRow[];
  /** Header names that are neither a key nor a metadata field (their cells are not used). */
  readonly ignoredColumns: readonly string[];
}

type ColumnRole = 'well' | 'file' | 'region' | SampleMetaField;
const KEY_ALIASES: { readonly well: readonly string[]; readonly file: readonly string[]; readonly region: readonly string[] } = {
  well: ['well', 'wellid', 'wellposition', 'position'],
  region: ['region', 'regionname', 'regionlabel', 'roi', 'roiname'],
  file: ['file', 'filename', 'image', 'imagename', 'imagefile', 'path', 'filepath', 'imagepath'],
};

interface Column {
  readonly index: number;
  readonly header: string;
  readonly role: ColumnRole;
}

export function parseSampleSheet(csvText: string, name: string): SampleSheet {
  const { text, recordLines } = toCommaSeparated(csvText);
  const records = restoreCommas(parseCsv(text));
  const headerIndex = records.findIndex((r) => !isBlankRecord(r));
  if (headerIndex < 0) throw sheetError(name, null, null, 'the file is empty. Export the sheet again as CSV.');
  const header = records[headerIndex]!;
  const { columns, ignoredColumns } = readHeader(header, name, recordLines[headerIndex]!);
  const rows: SampleSheetRow[] = [];
  const seen = new Map<string, number>();
  for (let i = headerIndex + 1; i < records.length; i++) {
    const record = records[i]!;
    if (isBlankRecord(record)) continue;
    const line = recordLines[i]!;
    if (record.length > header.length && record.slice(header.length).some((c) => c.trim() !== '')) {
      const what = `the row has ${record.length} cells but the header only ${header.length}.`;
      throw sheetError(name, line, null, `${what} Add a header for the extra cells or remove them.`);
    }
    const row = readRow(record, columns, name, line);
    const key = `${row.file ?? ''}\u0000${row.well ?? ''}\u0000${row.region ?? ''}`;
    const earlier = seen.get(key);
    if (earlier !== undefined) {
      throw sheetError(name, line, null, `${describeKey(row)} is already given on line ${earlier}. Keep one row per well / file.`);
    }
    seen.set(key, line);
    rows.push(row);
  }
  return { name, rows, ignoredColumns };
}

function readHeader(header: readonly string[], name: string, line: number): { columns: Column[]; ignoredColumns: string[] } {
  const columns: Column[] = [];
  const ignoredColumns: string[] = [];
  header.forEach((raw, index) => {
    const h = raw.trim();
    if (h === '') return;
    const role = roleForHeader(h);
    if (role === null) {
      ignoredColumns.push(h);
      return;
    }
    const twin = columns.find((c) => c.role === role);
    if (twin !== undefined) {
      throw sheetError(name, line, { index, header: h }, `it means the same as column “${twin.header}”. Keep only one of them.`);
    }
    columns.push({ index, header: h, role });
  });
  if (!columns.some((c) => isKeyRole(c.role))) {
    throw sheetError(name, line, null,
      'no column says which well, region or file a row is for. Name one column “Well” (A1, B2, …), “Region” or “File name”.');
  }
  return { columns, ignoredColumns };
}

function roleForHeader(h: string): ColumnRole | null {
  const n = normalizeName(h);
  if (KEY_ALIASES.well.includes(n)) return 'well';
  if (KEY_ALIASES.file.includes(n)) return 'file';
  if (KEY_ALIASES.region.includes(n)) return 'region';
  return metaFieldForName(h);
}

function readRow(record: readonly string[], columns: readonly Column[], name: string, line: number): SampleSheetRow {
  let file: string | null = null;
  let well: string | null = null;
  let region: string | null = null;
  const meta: Record<string, string> = {};
  for (const col of columns) {
    const cell = (record[col.index] ?? '').trim();
    if (cell === '') continue;
    if (col.role === 'file') file = cell;
    else if (col.role === 'region') region = cell.slice(0, 200);
    else if (col.role === 'well') {
      well = normalizeWellId(cell);
      if (well === null) throw sheetError(name, line, col, `“${cell}” is not a well id. Use a row letter and a column number, like A1 or H12.`);
    } else if (col.role === 'sampleType') {
      const t = normalizeSampleType(cell);
      if (t === null) throw sheetError(name, line, col, `“${cell}” is not a known sample type. Use one of: ${SAMPLE_TYPES.join(', ')}.`);
      meta.sampleType = t;
    } else meta[col.role] = cell;
  }
  if (file === null && well === null && region === null) {
    const keys = columns.filter((c) => isKeyRole(c.role)).map((c) => `“${c.header}”`);
    throw sheetError(name, line, null, `the row has no ${keys.join(' or ')}. Fill it in or delete the row.`);
  }
  if (well !== null && region !== null) {
    throw sheetError(name, line, null, 'the row names a well and a region. A row is for an image, one of its wells or one of its regions.');
  }
  return { line, file, well, region, meta: meta as SampleMeta };
}

function isKeyRole(role: ColumnRole): boolean {
  return role === 'well' || role === 'file' || role === 'region';
}

function describeKey(row: SampleSheetRow): string {
  const part = row.well !== null ? `well ${row.well}` : row.region !== null ? `region “${row.region}”` : null;
  if (row.file !== null && part !== null) return `${part} of “${row.file}”`;
  return part ?? `“${row.file}”`;
}

function isBlankRecord(r: readonly string[]): boolean {
  return r.every((c) => c.trim() === '');
}

/** A1-style column letter of a 0-based index (0 → A, 26 → AA). */
function columnLetter(index: number): string {
  let s = '';
  for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  return s;
}

function sheetError(name: string, line: number | null, col: Pick<Column, 'index' | 'header'> | null, what: string): AppError {
  const where = [`Sample sheet “${name}”`];
  if (line !== null) where.push(`line ${line}`);
  if (col !== null) where.push(`column “${col.header}” (${columnLetter(col.index)})`);
  return new AppError('INPUT_INVALID', `${where.join(', ')}: ${what}`);
}

/**
 * Rewrites `;`- or tab-separated text as comma-separated text for parseCsv (a `,` inside an
 * unquoted cell becomes COMMA_PLACEHOLDER, put back by `restoreCommas`) and records the file line
 * on which each record starts (quoted cells may span lines).
 */
function toCommaSeparated(raw: string): { text: string; recordLines: number[] } {
  const src = raw.startsWith('\uFEFF') ? raw.slice(1) : raw;
  const delimiter = detectDelimiter(src);
  let out = '';
  let line = 1;
  const recordLines = [1];
  let inQuotes = false;
  let atFieldStart = true;
  for (let i = 0; i < src.length; i++) {
    const ch = src[i]!;
    const isBreak = ch === '\n' || (ch === '\r' && src[i + 1] !== '\n');
    if (isBreak) line++;
    if (inQuotes) {
      out += ch;
      if (ch === '"' && src[i + 1] === '"') {
        out += '"';
        i++;
      } else if (ch === '"') inQuotes = false;
      continue;
    }
    if (ch === '"' && atFieldStart) inQuotes = true;
    out += ch === delimiter ? ',' : ch === ',' ? COMMA_PLACEHOLDER : ch;
    atFieldStart = ch === delimiter || ch === '\r' || ch === '\n';
    if (isBreak) recordLines.push(line);
  }
  return { text: out, recordLines };
}

const COMMA_PLACEHOLDER = '\uE000';

function restoreCommas(records: string[][]): string[][] {
  return records.map((r) => r.map((c) => c.replaceAll(COMMA_PLACEHOLDER, ',')));
}

/** The most frequent of `,` `;` TAB outside quotes on the first non-blank line (`,` on a tie). */
function detectDelimiter(src: string): ',' | ';' | '\t' {
  const counts = { ',': 0, ';': 0, '\t': 0 };
  let inQuotes = false;
  let hasContent = false;
  for (const ch of src) {
    if (ch === '"') inQuotes = !inQuotes;
    else if (!inQuotes && (ch === '\n' || ch === '\r')) {
      if (hasContent) break;
    } else if (!inQuotes && (ch === ',' || ch === ';' || ch === '\t')) counts[ch]++;
    if (ch.trim() !== '') hasContent = true;
  }
  if (counts[';'] > counts[','] && counts[';'] >= counts['\t']) return ';';
  if (counts['\t'] > counts[',']) return '\t';
  return ',';
}
