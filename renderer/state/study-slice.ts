/**
 * The study of the current batch: options (average technical replicates, unit, control group,
 * group order), the StudyView the core computed with the current metadata, and the study export.
 */
import type { BatchId, StudyExportRequest, StudyOptionsRequest, StudyView } from '../../src/common/api.js';
import { toAppError } from '../../src/common/errors.js';
import type { SliceCreator } from './app-state.js';

export type StudyUnitBy = NonNullable<StudyOptionsRequest['unitBy']>;
export type StudyLevel = 'groups' | 'units' | 'observations';

export interface StudyOptionsState {
  readonly averageReplicates: boolean;
  readonly unitBy: StudyUnitBy;
  readonly controlGroup: string | null;
  readonly groupOrder: readonly string[];
}

export interface LoadedStudy {
  readonly batchId: BatchId;
  /** What it was computed with (a newer request replaces it). */
  readonly key: string;
  readonly view: StudyView;
}

export interface StudySlice {
  studyOptions: StudyOptionsState;
  study: LoadedStudy | null;
  studyLoading: boolean;
  studyError: string | null;
  studyLevel: StudyLevel;
  studyExporting: boolean;
  setStudyOptions(patch: Partial<StudyOptionsState>): void;
  setStudyLevel(level: StudyLevel): void;
  /** Asks the core for the study of the finished batch (no-op when it is already there). */
  loadStudy(): Promise<void>;
  /** Writes the chosen study files into a folder the user picks. */
  exportStudy(what: Pick<StudyExportRequest, 'csv' | 'xlsx' | 'qc'>): Promise<void>;
}

export const DEFAULT_STUDY_OPTIONS: StudyOptionsState = { averageReplicates: true, unitBy: 'animal-or-image', controlGroup: null, groupOrder: [] };

export function toStudyRequest(o: StudyOptionsState): StudyOptionsRequest {
  return { averageReplicates: o.averageReplicates, unitBy: o.unitBy, controlGroup: o.controlGroup, groupOrder: [...o.groupOrder] };
}

/** The finished (or cancelled) batch a study can be made of, or null. */
export function studyBatchId(s: { batch: { id: BatchId | null; state: string } | null }): BatchId | null {
  const b = s.batch;
  return b?.id && (b.state === 'done' || b.state === 'cancelled') ? b.id : null;
}

let requestSeq = 0;

export const createStudySlice: SliceCreator<StudySlice> = ({ client }) => (set, get) => ({
  studyOptions: DEFAULT_STUDY_OPTIONS,
  study: null,
  studyLoading: false,
  studyError: null,
  studyLevel: 'groups',
  studyExporting: false,
  setStudyOptions: (patch) => set((s) => ({ studyOptions: { ...s.studyOptions, ...patch } }), undefined, 'study/options'),
  setStudyLevel: (studyLevel) => set({ studyLevel }, undefined, 'study/level'),
  async loadStudy() {
    const s = get();
    const batchId = studyBatchId(s);
    if (!batchId) return set({ study: null, studyError: null, studyLoading: false }, undefined, 'study/none');
    const options = toStudyRequest(s.studyOptions);
    // The metadata object changes identity on every edit; its JSON is the cheap, exact key.
    const key = JSON.stringify([batchId, options, s.metaByKey]);
    if (s.study?.key === key && !s.studyError) return;
    const seq = ++requestSeq;
    set({ studyLoading: true }, undefined, 'study/loading');
    try {
      const view = await client.core.getStudy(batchId, options);
      if (seq !== requestSeq) return;
      set({ study: { batchId, key, view }, studyLoading: false, studyError: null }, undefined, 'study/loaded');
    } catch (e) {
      if (seq !== requestSeq) return;
      set({ studyLoading: false, studyError: toAppError(e).userMessage }, undefined, 'study/failed');
    }
  },
  async exportStudy(what) {
    const s = get();
    const batchId = studyBatchId(s);
    if (!batchId) return s.notify('info', 'Run a batch first; the study is made of its results.');
    if (!what.csv && !what.xlsx && !what.qc) return;
    try {
      const dir = (await client.pickPaths({ kind: 'folder', title: 'Export the study to a folder' }))?.[0];
      if (!dir) return;
      set({ studyExporting: true }, undefined, 'study/exporting');
      const r = await client.core.exportStudy({ batchId, outDir: dir, ...what, options: toStudyRequest(get().studyOptions) });
      const names = [...r.csvPaths, r.xlsxPath, r.qcPath].filter((p): p is string => !!p).map((p) => p.split(/[\\/]/).pop());
      get().notify('success', `Study exported to ${dir}: ${names.join(', ')}.`);
    } catch (e) {
      get().reportError(e);
    } finally {
      set({ studyExporting: false }, undefined, 'study/exported');
    }
  },
});
