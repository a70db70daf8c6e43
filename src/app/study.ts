/**
 * A study from a batch: every image row and its well/region rows with their sample metadata,
 * the hierarchical statistics, the tidy tables, and the files (CSV per level, XLSX, QC sheet).
 */
import path from 'node:path';
import type { BatchSummary } from '../common/api.js';
import type { ImageResult } from '../common/result.js';
import type { SampleMeta } from '../common/sample-meta.js';
import { writeQcSheet, type QcThumbnails } from '../export/qc-sheet.js';
import { writeStudyCsvs } from '../export/study-csv.js';
import { studyProvenance, writeStudyXlsx } from '../export/xlsx.js';
import { ensureWritableDir } from '../io/atomic-write.js';
import { mergeMeta } from '../study/metadata.js';
import type { StudyOptions, StudySummary } from '../study/stats.js';
import { analyzeStudy, buildStudyTables, toStudyRow, type StudyRow, type StudyTable } from '../study/tables.js';

export interface Study {
  readonly rows: readonly StudyRow[];
  readonly summary: StudySummary<StudyRow>;
  readonly tables: readonly StudyTable[];
}

/** Metadata of image i of the batch (part null), or the own metadata of one of its wells or regions. */
export type MetaLookup = (imageIndex: number, result: ImageResult, part: { well: string } | { region: string } | null) => SampleMeta;

export function buildStudy(batch: Pick<BatchSummary, 'results' | 'detailRows'>, metaOf: MetaLookup, options: StudyOptions): Study {
  const rows: StudyRow[] = [];
  batch.results.forEach((r, i) => {
    const imageMeta = metaOf(i, r, null);
    rows.push(toStudyRow(r, imageMeta));
    for (const d of batch.detailRows?.[i] ?? []) {
      // a well or region has the image's fields unless it has its own
      if (d.well) rows.push(toStudyRow(d, mergeMeta(imageMeta, metaOf(i, r, { well: d.well })), { well: d.well }));
      else if (d.region) rows.push(toStudyRow(d, mergeMeta(imageMeta, metaOf(i, r, { region: d.region })), { region: d.region }));
    }
  });
  const summary = analyzeStudy(rows, options);
  return { rows, summary, tables: buildStudyTables(rows, summary) };
}

export interface StudyFiles {
  readonly csvPaths: readonly string[];
  readonly xlsxPath: string | null;
  readonly qcPath: string | null;
}

export async function writeStudyFiles(o: {
  readonly outDir: string;
  readonly study: Study;
  readonly what: { readonly csv: boolean; readonly xlsx: boolean; readonly qc: boolean };
  readonly base: { readonly appVersion: string; readonly createdAt: string; readonly recipeId: string; readonly recipeHash: string; readonly recipe: unknown; readonly blinded: boolean };
  readonly thumbnails?: () => Promise<ReadonlyMap<string, QcThumbnails>>;
}): Promise<StudyFiles> {
  await ensureWritableDir(o.outDir);
  const csvPaths = o.what.csv ? await writeStudyCsvs(o.outDir, o.study.tables, 'study-') : [];
  let xlsxPath: string | null = null, qcPath: string | null = null;
  if (o.what.xlsx) {
    xlsxPath = path.join(o.outDir, 'study.xlsx');
    await writeStudyXlsx(xlsxPath, o.study.tables, studyProvenance(o.study.rows, o.study.summary, o.base));
  }
  if (o.what.qc) {
    qcPath = path.join(o.outDir, 'qc.html');
    await writeQcSheet(qcPath, {
      createdAt: o.base.createdAt, appVersion: o.base.appVersion, recipeId: o.base.recipeId, recipeHash: o.base.recipeHash,
      blinded: o.base.blinded, rows: o.study.rows, summary: o.study.summary, thumbnails: (await o.thumbnails?.()) ?? new Map(),
    });
  }
  return { csvPaths, xlsxPath, qcPath };
}
