/** The main toolbar: open, run, export, help. */
import { Icon } from '../../components/Icon.js';
import { selectIsBatchRunning } from '../../state/selectors.js';
import { useAppStore } from '../../state/use-app-store.js';
import { ProjectMenu } from '../project/ProjectMenu.js';

export function TopBar() {
  const s = useAppStore;
  const openWithDialog = s((x) => x.openWithDialog);
  const openSamples = s((x) => x.openSamples);
  const runBatch = s((x) => x.runBatch);
  const cancel = s((x) => x.cancelBatch);
  const exportCsv = s((x) => x.exportCsv);
  const exportFolder = s((x) => x.exportFolder);
  const setHelp = s((x) => x.setHelpOpen);
  const total = s((x) => x.images.length);
  const selected = s((x) => x.selectedIds);
  const running = s(selectIsBatchRunning);
  const canExport = s((x) => !!x.batch?.id && (x.batch.state === 'done' || x.batch.state === 'cancelled'));
  return (
    <header className="topbar" role="toolbar" aria-label="Main">
      <div className="brand" title="Calciquant — mineralized area in Alizarin Red S and von Kossa images">
        <svg width="18" height="18" viewBox="0 0 24 24" aria-hidden>
          <circle cx="12" cy="12" r="9.5" fill="none" stroke="#56B4E9" strokeWidth="2" />
          <path d="M8 13.5c1.2-3 3.2-4.6 5.6-4.4 1.6.2 2.6 1.4 2.4 2.8-.3 2.4-3.5 2.2-4.3 4.3" fill="none" stroke="#F0E442" strokeWidth="2.2" strokeLinecap="round" />
        </svg>
        <span>Calciquant</span>
      </div>
      <ProjectMenu />
      <div className="tb-group">
        <button type="button" className="btn" onClick={() => void openWithDialog('files')} title="Open image files (Ctrl+O)" data-testid="open-images">
          <Icon name="files" /> Open images…
        </button>
        <button type="button" className="btn" onClick={() => void openWithDialog('folder')} title="Open every image in a folder (Ctrl+Shift+O)" data-testid="open-folder">
          <Icon name="folder" /> Open folder…
        </button>
        <button type="button" className="btn ghost" onClick={() => void openSamples()} title="Add the bundled sample images">
          <Icon name="samples" /> Samples
        </button>
      </div>
      <div className="tb-group">
        <button type="button" className="btn primary" disabled={running || !total} onClick={() => void runBatch([])} title="Measure every image with this recipe (Ctrl+Enter)" data-testid="run-all">
          <Icon name="play" /> Run all <span className="btn-count">{total}</span>
        </button>
        <button
          type="button"
          className="btn"
          disabled={running || !selected.length}
          onClick={() => void runBatch(selected)}
          title="Measure the selected images (Ctrl+Shift+Enter)"
          data-testid="run-selected"
        >
          Run selected <span className="btn-count">{selected.length}</span>
        </button>
        {running ? (
          <button type="button" className="btn danger" onClick={() => void cancel()} title="Cancel the batch (Esc)">
            <Icon name="stop" /> Cancel
          </button>
        ) : null}
      </div>
      <div className="tb-group">
        <button type="button" className="btn" disabled={!canExport} onClick={() => void exportCsv()} title="Save results.csv, exactly as the command line writes it (Ctrl+E)" data-testid="export-csv">
          <Icon name="download" /> Export CSV
        </button>
        <button type="button" className="btn ghost" disabled={!canExport} onClick={() => void exportFolder()} title="Write results.csv, results.json and the overlay PNGs into a folder (Ctrl+Shift+E)" data-testid="export-folder">
          <Icon name="export" /> Export folder…
        </button>
      </div>
      <div className="tb-spacer" />
      <button type="button" className="icon-btn" onClick={() => setHelp(true)} title="Keyboard shortcuts (?)" aria-label="Help">
        <Icon name="help" size={18} />
      </button>
    </header>
  );
}
