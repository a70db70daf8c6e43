/** Keeps the study of the finished batch up to date while its tab is shown (options, metadata, new batch). */
import { useEffect } from 'react';
import { studyBatchId } from '../../state/study-slice.js';
import { useAppStore, useStoreApi } from '../../state/use-app-store.js';

export function useStudy(active: boolean): void {
  const store = useStoreApi();
  const batchId = useAppStore(studyBatchId);
  const meta = useAppStore((s) => s.metaByKey);
  const options = useAppStore((s) => s.studyOptions);
  const blinded = useAppStore((s) => s.blinded);
  useEffect(() => {
    if (!active || blinded) return;
    // Metadata edits come in bursts (a sheet, several fields): one request after they settle.
    const t = setTimeout(() => void store.getState().loadStudy(), 120);
    return () => clearTimeout(t);
  }, [active, blinded, batchId, meta, options, store]);
}
