/** One results-table cell per CSV column (RESULT_COLUMNS), and how the table shows it. */
import type { ImageResult, ResultColumn } from '../../src/common/result.js';

export type Cell = string | number | null;

const KEYS: { readonly [C in ResultColumn]: keyof ImageResult } = {
  image: 'image', status: 'status', error: 'error', width_px: 'widthPx', height_px: 'heightPx', reference: 'reference',
  reference_area_px: 'referenceAreaPx', mineral_area_px: 'mineralAreaPx', mineral_pct: 'mineralPct',
  pixel_size_um: 'pixelSizeUm', reference_area_um2: 'referenceAreaUm2', mineral_area_um2: 'mineralAreaUm2',
  deposit_count: 'depositCount', mean_od: 'meanOd', integrated_od: 'integratedOd', recipe_hash: 'recipeHash',
  app_version: 'appVersion', image_sha256: 'imageSha256', region: 'region', well: 'well', error_code: 'errorCode', recipe_id: 'recipeId',
  pixel_size_source: 'pixelSizeSource', threshold_od: 'thresholdOd', warnings: 'warnings',
};

export function resultCell(r: ImageResult, column: ResultColumn): Cell {
  const v = r[KEYS[column]];
  if (Array.isArray(v)) return v.length ? v.join('; ') : null;
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  return (v as string | null | undefined) ?? null;
}

/** Empty cells sort last; numbers numerically; text naturally. */
export function compareCells(a: Cell, b: Cell): number {
  if (a === null || a === '') return b === null || b === '' ? 0 : 1;
  if (b === null || b === '') return -1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return String(a).localeCompare(String(b), undefined, { numeric: true });
}

const group = (n: number, decimals: number) =>
  n.toLocaleString('en-US', { minimumFractionDigits: decimals, maximumFractionDigits: decimals }).replace(/,/g, '\u2009');

/** Display text of a cell (full values stay in the CSV and the cell's tooltip). */
export function formatCell(column: ResultColumn, v: Cell): string {
  if (v === null) return '';
  if (typeof v === 'string') {
    if (column === 'recipe_hash' || column === 'image_sha256') return v.slice(0, 10) + '…';
    return v;
  }
  switch (column) {
    case 'mineral_pct':
      return v.toFixed(2);
    case 'mean_od':
    case 'threshold_od':
      return v.toFixed(3);
    case 'integrated_od':
      return group(v, 1);
    case 'reference_area_um2':
    case 'mineral_area_um2':
      return group(v, 0);
    case 'pixel_size_um':
      return String(Number(v.toPrecision(4)));
    default:
      return group(v, 0);
  }
}

export const NUMERIC_COLUMNS: ReadonlySet<ResultColumn> = new Set([
  'width_px', 'height_px', 'reference_area_px', 'mineral_area_px', 'mineral_pct', 'pixel_size_um', 'reference_area_um2',
  'mineral_area_um2', 'deposit_count', 'mean_od', 'integrated_od', 'threshold_od',
]);
