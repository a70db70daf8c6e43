/**
 * The Study tab: the finished batch grouped by the sample metadata — options, a table per level,
 * the group chart and the plate heat map, and the study export (CSV per level, XLSX, QC sheet).
 */
import type { StudyLevel } from '../../state/study-slice.js';
import { studyBatchId } from '../../state/study-slice.js';
import { useAppStore } from '../../state/use-app-store.js';
import { GroupChart } from './GroupChart.js';
import { PlateHeatmapCard } from './PlateHeatmapCard.js';
import { StudyTable } from './StudyTable.js';
import { StudyToolbar } from './StudyToolbar.js';
import { useStudy } from './use-study.js';

const LEVELS: { key: StudyLevel; label: string }[] = [
  { key: 'groups', label: 'Groups' },
  { key: 'units', label: 'Units' },
  { key: 'observations', label: 'Samples' },
];

export function StudyPanel() {
  useStudy(true);
  const blinded = useAppStore((s) => s.blinded);
  const batchId = useAppStore(studyBatchId);
  const running = useAppStore((s) => s.batch?.state === 'running' || s.batch?.state === 'starting');
  const study = useAppStore((s) => (s.study && s.study.batchId === batchId ? s.study : null));
  const loading = useAppStore((s) => s.studyLoading);
  const error = useAppStore((s) => s.studyError);
  const level = useAppStore((s) => s.studyLevel);
  const setLevel = useAppStore((s) => s.setStudyLevel);
  const setBlinded = useAppStore((s) => s.setBlinded);

  if (blinded) {
    return (
      <div className="dock-empty study-locked" data-testid="study-locked">
        Blinded review: group statistics are hidden until you unblind.{' '}
        <button type="button" className="btn small" onClick={() => void setBlinded(false)}>
          Unblind
        </button>
      </div>
    );
  }
  if (!batchId) {
    return <div className="dock-empty">{running ? 'The study appears when the batch has finished.' : 'No study yet. Run a batch (Ctrl+Enter): its results are grouped by the sample metadata (Sample panel, sheet or file names).'}</div>;
  }
  const view = study?.view ?? null;
  const counts = view ? { groups: view.groups.length, units: view.units.length, observations: view.observations.length } : null;
  const ungrouped = !!view && view.groups.every((g) => g.group === null);
  return (
    <div className={`study${loading ? ' loading' : ''}`} data-testid="study" data-loaded={!!view}>
      <StudyToolbar view={view} />
      {error ? (
        <div className="inline-error" role="alert">
          {error}
        </div>
      ) : null}
      {view ? (
        <div className="study-body">
          <div className="study-left">
            <div className="study-sub">
              <div className="seg" role="tablist" aria-label="Level">
                {LEVELS.map((l) => (
                  <button key={l.key} type="button" role="tab" aria-selected={level === l.key} className={level === l.key ? 'on' : ''} onClick={() => setLevel(l.key)} data-testid={`study-level-${l.key}`}>
                    {l.label} <span className="count">{counts?.[l.key]}</span>
                  </button>
                ))}
              </div>
              <span className="study-basis">
                {view.groups[0]?.basis === 'units' ? 'n = units (replicates averaged)' : 'n = measurements'} · mineralized area in %
              </span>
              {loading ? <span className="spinner" aria-label="Updating" /> : null}
            </div>
            {ungrouped ? <p className="hint study-hint">No groups yet: set them in the Sample panel (left), import a plate map (Sheet…) or read them from file names (Names…).</p> : null}
            {view.warnings.map((w) => (
              <p key={w} className="result-warn study-hint">
                {w}
              </p>
            ))}
            <StudyTable view={view} level={level} />
          </div>
          <div className="study-charts">
            <GroupChart view={view} />
            <PlateHeatmapCard view={view} />
          </div>
        </div>
      ) : (
        <div className="dock-empty">{loading ? 'Computing the study…' : ''}</div>
      )}
    </div>
  );
}
