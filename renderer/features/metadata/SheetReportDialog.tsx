/** After a plate map / sample sheet was applied: how much was set, which rows and columns were not used. */
import { Modal } from '../../components/Modal.js';
import { useAppStore } from '../../state/use-app-store.js';

export function SheetReportDialog() {
  const report = useAppStore((s) => s.sheetReport);
  const close = useAppStore((s) => s.closeSheetReport);
  if (!report) return null;
  const { unusedRows, ignoredColumns } = report;
  return (
    <Modal
      title={`Sample sheet “${report.fileName}”`}
      onClose={close}
      className="sheet-report"
      footer={
        <button type="button" className="btn primary" onClick={close} data-testid="sheet-report-close">
          OK
        </button>
      }
    >
      <p data-testid="sheet-applied">
        Metadata set for <strong>{report.applied}</strong> image{report.applied === 1 ? '' : 's'} or well{report.applied === 1 ? '' : 's'}.
      </p>
      <p className="hint" data-testid="sheet-plate-images">
        Rows that name only a well (a plate map) were applied to the {report.plateImages === 1 ? 'selected image' : `${report.plateImages} selected images`}; rows that name a file, to that file.
      </p>
      {ignoredColumns.length ? (
        <p className="hint">
          Columns not used (not a known field): {ignoredColumns.map((c) => <code key={c}>{c}</code>)}. Known: Well, File, Group, Animal, Sample type, Replicate, Notes (and common aliases).
        </p>
      ) : null}
      {unusedRows.length ? (
        <>
          <p className="warn-text">
            {unusedRows.length} row{unusedRows.length === 1 ? '' : 's'} matched no image or well in the library:
          </p>
          <ul className="unused-rows" data-testid="sheet-unused">
            {unusedRows.slice(0, 200).map((r) => (
              <li key={r.line}>
                <span className="k">line {r.line}</span> {r.what || '(empty key)'}
              </li>
            ))}
          </ul>
        </>
      ) : (
        <p className="hint">Every row was used.</p>
      )}
    </Modal>
  );
}
