/** A small study for the export tests: two plates with wells (groups per well) and two sections. */
import type { ImageResult } from '../../../src/common/result.js';
import type { StudyRow } from '../../../src/study/tables.js';
import { analyzeStudy, toStudyRow } from '../../../src/study/tables.js';
import { errorRow, okRow } from '../export/sample-rows.js';

const plate = (image: string, over: Partial<ImageResult> = {}): ImageResult => okRow({ image, reference: 'image', ...over });
const well = (image: string, mineralPct: number, over: Partial<ImageResult> = {}): ImageResult =>
  okRow({ image, reference: 'well', mineralPct, referenceAreaPx: 100_000, mineralAreaPx: Math.round(mineralPct * 1000), ...over });

export const EVIL_NAME = '<img src=x onerror=alert(1)>.tif';

export function studyRows(): StudyRow[] {
  return [
    toStudyRow(plate('plate1.tif'), { sampleType: 'VSMC' }),
    toStudyRow(well('plate1.tif', 1.23456), { group: 'HP', sampleType: 'VSMC' }, { well: 'B1' }),
    toStudyRow(well('plate1.tif', 0.5), { group: 'control', sampleType: 'VSMC', notes: 'bubble, edge' }, { well: 'A1' }),
    toStudyRow(well('plate1.tif', 0.7), { group: 'control', sampleType: 'VSMC' }, { well: 'A2' }),
    toStudyRow(okRow({ image: EVIL_NAME, mineralPct: 2.5 }), { group: 'HP <b>', animal: 'M1', notes: '"><script>x</script>' }),
    toStudyRow(errorRow({ image: 'broken.tif' }), { group: 'control' }),
  ];
}

export const studySummary = (rows: readonly StudyRow[]) => analyzeStudy(rows, { averageReplicates: true, controlGroup: 'control' });
