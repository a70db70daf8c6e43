/**
 * The study as tidy tables — images, wells, regions, units, groups — shared by the CSV and XLSX
 * exports so both hold the same columns and the same rounding (COLUMN_SPEC of export/csv.ts for
 * the results.csv columns; mineral % statistics like mineral_pct, fold changes to 4 decimals).
 */
import type { ImageResult, ResultColumn } from '../common/result.js';
import { RESULT_COLUMNS } from '../common/result.js';
import { COLUMN_SPEC } from '../export/csv.js';
import type { SampleMeta } from '../common/sample-meta.js';
import type { DescriptiveStats, Observation, ObservationLevel, ObservationSummary, StudyOptions, StudySummary } from './stats.js';
import { groupOf, selectStatisticalObservations, summarizeStudy } from './stats.js';

/** One measured image, well or region with its metadata. `image`/`mineralPct` mirror `result`. */
export interface StudyRow extends Observation {
  readonly result: ImageResult;
}

export function toStudyRow(
  result: ImageResult,
  meta: SampleMeta,
  where: { readonly level?: ObservationLevel; readonly well?: string | null; readonly region?: string | null } = {},
): StudyRow {
  const level = where.level ?? (where.well != null ? 'well' : where.region != null ? 'region' : 'image');
  return { level, image: result.image, well: where.well ?? null, region: where.region ?? null, mineralPct: result.mineralPct, meta, result };
}

/** Statistics over the rows that count (selectStatisticalObservations) — what the exports show. */
export function analyzeStudy(rows: readonly StudyRow[], options: StudyOptions): StudySummary<StudyRow> {
  return summarizeStudy(selectStatisticalObservations(rows), options);
}

export type CellFormat =
  | { readonly kind: 'text' }
  | { readonly kind: 'list' }
  | { readonly kind: 'boolean' }
  | { readonly kind: 'fixed'; readonly decimals: number }
  | { readonly kind: 'significant'; readonly digits: number };
export type CellValue = string | number | boolean | readonly string[] | null;

export interface TableColumn {
  readonly header: string;
  readonly format: CellFormat;
}

export const STUDY_TABLE_NAMES = ['images', 'wells', 'regions', 'units', 'groups'] as const;
export type StudyTableName = (typeof STUDY_TABLE_NAMES)[number];

export interface StudyTable {
  readonly name: StudyTableName;
  readonly columns: readonly TableColumn[];
  readonly rows: readonly (readonly CellValue[])[];
}

const TEXT: CellFormat = { kind: 'text' };
const COUNT: CellFormat = { kind: 'fixed', decimals: 0 };
const PCT: CellFormat = COLUMN_SPEC.mineral_pct.format;
const RATIO: CellFormat = { kind: 'fixed', decimals: 4 };

interface ColumnDef<R> extends TableColumn {
  readonly get: (row: R) => CellValue;
}
const col = <R>(header: string, format: CellFormat, get: (row: R) => CellValue): ColumnDef<R> => ({ header, format, get });

type ObservationCells = { readonly row: StudyRow; readonly summary: ObservationSummary<StudyRow> | undefined };

const META_COLUMNS: readonly ColumnDef<ObservationCells>[] = [
  col('sample_type', TEXT, (c) => c.row.meta.sampleType ?? null),
  col('group', TEXT, (c) => groupOf(c.row)),
  col('animal', TEXT, (c) => c.row.meta.animal ?? null),
  col('replicate', TEXT, (c) => c.row.meta.replicate ?? null),
  col('notes', TEXT, (c) => c.row.meta.notes ?? null),
  col('unit', TEXT, (c) => c.summary?.unit ?? null),
  col('unit_kind', TEXT, (c) => c.summary?.unitKind ?? null),
  col('fold_change', RATIO, (c) => c.summary?.foldChange ?? null),
];

function observationColumns(level: ObservationLevel): ColumnDef<ObservationCells>[] {
  const keys: ColumnDef<ObservationCells>[] = [col('image', TEXT, (c) => c.row.image)];
  if (level === 'well') keys.push(col('well', TEXT, (c) => c.row.well ?? null));
  if (level === 'region') keys.push(col('region', TEXT, (c) => c.row.region ?? null));
  const taken = new Set([...keys, ...META_COLUMNS].map((c) => c.header));
  const results = RESULT_COLUMNS.filter((c) => !taken.has(c)).map((c: ResultColumn) =>
    col<ObservationCells>(c, COLUMN_SPEC[c].format, (x) => (x.row.result[COLUMN_SPEC[c].key] ?? null) as CellValue),
  );
  return [...keys, ...META_COLUMNS, ...results];
}

const statColumns = <R>(get: (r: R) => DescriptiveStats): ColumnDef<R>[] => [
  col('n', COUNT, (r) => get(r).n),
  col('mean_mineral_pct', PCT, (r) => get(r).mean),
  col('sd_mineral_pct', PCT, (r) => get(r).sd),
  col('sem_mineral_pct', PCT, (r) => get(r).sem),
  col('median_mineral_pct', PCT, (r) => get(r).median),
  col('min_mineral_pct', PCT, (r) => get(r).min),
  col('max_mineral_pct', PCT, (r) => get(r).max),
];

type Unit = StudySummary['units'][number];
const UNIT_COLUMNS: readonly ColumnDef<Unit>[] = [
  col('group', TEXT, (u) => u.group),
  col('unit', TEXT, (u) => u.unit),
  col('unit_kind', TEXT, (u) => u.unitKind),
  col('sample_type', TEXT, (u) => u.sampleType),
  col('n_observations', COUNT, (u) => u.nObservations),
  col('n_excluded', COUNT, (u) => u.nExcluded),
  ...statColumns<Unit>((u) => u.stats),
  col('fold_change', RATIO, (u) => u.foldChange),
];

type Group = StudySummary['groups'][number];
const GROUP_COLUMNS: readonly ColumnDef<Group>[] = [
  col('group', TEXT, (g) => g.group),
  col('is_control', { kind: 'boolean' }, (g) => g.isControl),
  col('sample_type', TEXT, (g) => g.sampleType),
  col('basis', TEXT, (g) => g.basis),
  col('n_units', COUNT, (g) => g.nUnits),
  col('n_observations', COUNT, (g) => g.nObservations),
  col('n_excluded', COUNT, (g) => g.nExcluded),
  ...statColumns<Group>((g) => g.stats),
  col('fold_change', RATIO, (g) => g.foldChange),
  col('fold_change_sd', RATIO, (g) => g.foldChangeSd),
];

function table<R>(name: StudyTableName, defs: readonly ColumnDef<R>[], rows: readonly R[]): StudyTable {
  return {
    name,
    columns: defs.map(({ header, format }) => ({ header, format })),
    rows: rows.map((r) => defs.map((d) => d.get(r))),
  };
}

/**
 * The five tables. `rows` are all measured rows (any level); `summary` is analyzeStudy(rows, …).
 * Observation tables are in the summary's group order, then input order; a row that did not feed
 * the statistics (an image row of a plate whose wells did) has empty unit and fold-change cells.
 */
export function buildStudyTables(rows: readonly StudyRow[], summary: StudySummary<StudyRow>): StudyTable[] {
  const byRow = new Map(summary.observations.map((s) => [s.observation, s]));
  const groupRank = new Map(summary.groups.map((g, i) => [g.group, i]));
  const rank = (r: StudyRow): number => groupRank.get(groupOf(r)) ?? groupRank.size;
  const ordered = rows.map((row, i) => ({ row, i })).sort((a, b) => rank(a.row) - rank(b.row) || a.i - b.i);
  const level = (l: ObservationLevel): StudyTable =>
    table(
      `${l}s` as StudyTableName,
      observationColumns(l),
      ordered.filter((x) => x.row.level === l).map((x) => ({ row: x.row, summary: byRow.get(x.row) })),
    );
  return [
    level('image'),
    level('well'),
    level('region'),
    table('units', UNIT_COLUMNS, summary.units),
    table('groups', GROUP_COLUMNS, summary.groups),
  ];
}
