/**
 * results.csv and results.json (STYLE §8).
 *
 * CSV dialect, chosen so that R (`read.csv`), pandas, Python's `csv` and Excel's import all agree:
 * - UTF-8 **without BOM**: scripts read the first column name as `image`, not `\uFEFFimage`. Excel
 *   users open it via Data → From Text/CSV (which asks for the encoding) instead of double-click.
 * - `\n` line endings (also after the last row). RFC 4180 says CRLF, but every reader we target
 *   accepts LF, and LF keeps files byte-identical across platforms (diffable, hashable).
 * - RFC 4180 quoting: a field containing `,` `"` CR or LF is quoted, inner `"` doubled.
 * - Numbers: `.` decimal separator, never locale-formatted, never exponent notation, rounded per
 *   column (see COLUMN_SPEC); `-0` is printed as `0`. null (and a non-finite number) → empty field.
 * - `warnings` joined with `; `.
 * results.json keeps full double precision (no rounding): it is the machine-readable record.
 */
import type { ImageResult, ResultColumn } from '../common/result.js';
import { RESULT_COLUMNS } from '../common/result.js';
import { AppError, BugError } from '../common/errors.js';

/** How a column's value is written. */
type CellFormat =
  | { readonly kind: 'text' }
  | { readonly kind: 'list' }
  | { readonly kind: 'fixed'; readonly decimals: number }
  | { readonly kind: 'significant'; readonly digits: number };

const TEXT: CellFormat = { kind: 'text' };
const INTEGER: CellFormat = { kind: 'fixed', decimals: 0 };
const fixed = (decimals: number): CellFormat => ({ kind: 'fixed', decimals });

/**
 * The one table from CSV column to ImageResult key and rounding rule.
 *
 * | columns                                          | rule                        |
 * |--------------------------------------------------|-----------------------------|
 * | *_px, deposit_count                              | integer                     |
 * | mineral_pct                                      | 4 decimals                  |
 * | *_um2                                            | 2 decimals                  |
 * | mean_od, integrated_od, threshold_od             | 4 decimals                  |
 * | pixel_size_um                                    | ≤ 6 significant digits      |
 * | warnings                                         | list joined with `; `       |
 * | everything else                                  | text as is                  |
 */
export const COLUMN_SPEC = {
  image: { key: 'image', format: TEXT },
  status: { key: 'status', format: TEXT },
  error: { key: 'error', format: TEXT },
  width_px: { key: 'widthPx', format: INTEGER },
  height_px: { key: 'heightPx', format: INTEGER },
  reference: { key: 'reference', format: TEXT },
  reference_area_px: { key: 'referenceAreaPx', format: INTEGER },
  mineral_area_px: { key: 'mineralAreaPx', format: INTEGER },
  mineral_pct: { key: 'mineralPct', format: fixed(4) },
  pixel_size_um: { key: 'pixelSizeUm', format: { kind: 'significant', digits: 6 } },
  reference_area_um2: { key: 'referenceAreaUm2', format: fixed(2) },
  mineral_area_um2: { key: 'mineralAreaUm2', format: fixed(2) },
  deposit_count: { key: 'depositCount', format: INTEGER },
  mean_od: { key: 'meanOd', format: fixed(4) },
  integrated_od: { key: 'integratedOd', format: fixed(4) },
  recipe_hash: { key: 'recipeHash', format: TEXT },
  app_version: { key: 'appVersion', format: TEXT },
  image_sha256: { key: 'imageSha256', format: TEXT },
  region: { key: 'region', format: TEXT },
  well: { key: 'well', format: TEXT },
  error_code: { key: 'errorCode', format: TEXT },
  recipe_id: { key: 'recipeId', format: TEXT },
  pixel_size_source: { key: 'pixelSizeSource', format: TEXT },
  threshold_od: { key: 'thresholdOd', format: fixed(4) },
  warnings: { key: 'warnings', format: { kind: 'list' } },
} as const satisfies { readonly [C in ResultColumn]: { key: keyof ImageResult; format: CellFormat } };

/** ImageResult fields deliberately left out of the CSV (they are in results.json). */
export const JSON_ONLY_FIELDS = ['notes'] as const;

// Compile-time check: every ImageResult field has a column or is listed as JSON-only.
type UnmappedKeys = Exclude<
  keyof ImageResult,
  (typeof COLUMN_SPEC)[ResultColumn]['key'] | (typeof JSON_ONLY_FIELDS)[number]
>;
const allKeysMapped: [UnmappedKeys] extends [never] ? true : UnmappedKeys = true;
void allKeysMapped;

/** results.csv text: header (always), then one `\n`-terminated line per row. */
export function formatResultsCsv(rows: readonly ImageResult[]): string {
  const lines = [RESULT_COLUMNS.join(',')];
  for (const row of rows) lines.push(RESULT_COLUMNS.map((c) => formatCell(row, c)).join(','));
  return lines.join('\n') + '\n';
}

function formatCell(row: ImageResult, column: ResultColumn): string {
  const spec = COLUMN_SPEC[column];
  const value: unknown = row[spec.key];
  if (value === null || value === undefined) return '';
  const format: CellFormat = spec.format;
  switch (format.kind) {
    case 'text':
      return quoteCsvField(String(value));
    case 'list':
      return quoteCsvField((value as readonly string[]).join('; '));
    case 'fixed':
      return typeof value === 'number' ? formatFixed(value, format.decimals) : quoteCsvField(String(value));
    case 'significant':
      return typeof value === 'number' ? formatSignificant(value, format.digits) : quoteCsvField(String(value));
    default:
      throw new BugError(`unknown CSV cell format ${JSON.stringify(format)}`);
  }
}

/** RFC 4180: quote when the field holds `,` `"` CR or LF; double inner quotes. */
export function quoteCsvField(s: string): string {
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** `decimals` fixed decimals, `.` separator, no exponent, no `-0`; non-finite → empty. */
export function formatFixed(x: number, decimals: number): string {
  if (!Number.isFinite(x)) return '';
  // toFixed switches to exponent notation from 1e21 on; such values are integers in a double anyway
  const s = Math.abs(x) >= 1e21 ? BigInt(Math.round(x)).toString() : x.toFixed(decimals);
  return stripNegativeZero(s);
}

/** At most `digits` significant digits after the leading digit's place, trailing zeros trimmed. */
export function formatSignificant(x: number, digits: number): string {
  if (!Number.isFinite(x)) return '';
  if (x === 0) return '0';
  const magnitude = Math.floor(Math.log10(Math.abs(x)));
  const decimals = Math.min(100, Math.max(0, digits - 1 - magnitude));
  const s = formatFixed(x, decimals);
  return s.includes('.') ? s.replace(/\.?0+$/, '') : s;
}

function stripNegativeZero(s: string): string {
  return /^-0(\.0*)?$/.test(s) ? s.slice(1) : s;
}

/**
 * RFC 4180 parser (quoted fields, doubled quotes, CRLF/LF/CR line breaks, leading BOM ignored).
 * A final line break does not start an empty record. Throws INPUT_INVALID on an unclosed quote.
 */
export function parseCsv(text: string): string[][] {
  const src = text.startsWith('\uFEFF') ? text.slice(1) : text;
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let isRecordOpen = false; // something (even an empty quoted field) was read since the last line break
  let i = 0;
  const endField = (): void => {
    record.push(field);
    field = '';
  };
  const endRecord = (): void => {
    endField();
    records.push(record);
    record = [];
    isRecordOpen = false;
  };
  while (i < src.length) {
    const ch = src[i]!;
    if (ch !== '\r' && ch !== '\n') isRecordOpen = true;
    if (ch === '"' && field === '') {
      const close = readQuoted(src, i + 1);
      field = close.value;
      i = close.next;
    } else if (ch === ',') {
      endField();
      i++;
    } else if (ch === '\r' || ch === '\n') {
      endRecord();
      i += ch === '\r' && src[i + 1] === '\n' ? 2 : 1;
    } else {
      field += ch;
      i++;
    }
  }
  if (isRecordOpen) endRecord();
  return records;
}

/** Reads a quoted field body starting after the opening quote; returns it and the index after the closing quote. */
function readQuoted(src: string, start: number): { value: string; next: number } {
  let value = '';
  let i = start;
  for (;;) {
    const q = src.indexOf('"', i);
    if (q < 0) {
      throw new AppError('INPUT_INVALID', 'The CSV file ends inside a quoted field. Check that it is complete.');
    }
    value += src.slice(i, q);
    if (src[q + 1] === '"') {
      value += '"';
      i = q + 2;
    } else {
      return { value, next: q + 1 };
    }
  }
}

export interface ResultsJsonMeta {
  readonly appVersion: string;
  readonly recipe: unknown;
  readonly recipeHash: string;
  /** ISO 8601 time of the run (passed in: this module reads no clock). */
  readonly createdAt: string;
  /** Command line of a CLI run, for provenance. */
  readonly argv?: readonly string[];
}

/**
 * results.json: `{ format, schemaVersion: 1, appVersion, createdAt, recipeHash, recipe, argv?, images }`,
 * 2-space indented, `\n`-terminated. Rows keep their camelCase keys and full precision (no rounding,
 * unlike the CSV); non-finite numbers become null (JSON has no NaN).
 */
export function resultsToJson(rows: readonly ImageResult[], meta: ResultsJsonMeta): string {
  const doc = {
    format: 'calciquant-results',
    schemaVersion: 1,
    appVersion: meta.appVersion,
    createdAt: meta.createdAt,
    recipeHash: meta.recipeHash,
    recipe: meta.recipe,
    ...(meta.argv !== undefined ? { argv: meta.argv } : {}),
    images: rows,
  };
  return JSON.stringify(doc, null, 2) + '\n';
}
