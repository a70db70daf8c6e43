/** Study options (replicates, unit, control group, group order) and the study export. */
import type { StudyView } from '../../../src/common/api.js';
import { Icon } from '../../components/Icon.js';
import type { StudyUnitBy } from '../../state/study-slice.js';
import { useAppStore } from '../../state/use-app-store.js';
import { GroupOrderEditor } from './GroupOrderEditor.js';

const UNITS: { value: StudyUnitBy; label: string }[] = [
  { value: 'animal-or-image', label: 'Animal / donor (else image)' },
  { value: 'image', label: 'Image' },
  { value: 'observation', label: 'Each well / region' },
];

export function StudyToolbar({ view }: { view: StudyView | null }) {
  const o = useAppStore((s) => s.studyOptions);
  const setOptions = useAppStore((s) => s.setStudyOptions);
  const exportStudy = useAppStore((s) => s.exportStudy);
  const exporting = useAppStore((s) => s.studyExporting);
  const groups = (view?.groups ?? []).map((g) => g.group).filter((g): g is string => g !== null);
  const controls = o.controlGroup && !groups.includes(o.controlGroup) ? [o.controlGroup, ...groups] : groups;
  const canExport = !!view && !exporting;
  return (
    <div className="study-bar" role="toolbar" aria-label="Study options">
      <label className="check" title="Average the technical replicates (sections of one animal, wells of one condition on one plate) before the group statistics; n = units">
        <input type="checkbox" checked={o.averageReplicates} onChange={(e) => setOptions({ averageReplicates: e.target.checked })} data-testid="study-average" />
        Average replicates per
      </label>
      <select value={o.unitBy} onChange={(e) => setOptions({ unitBy: e.target.value as StudyUnitBy })} aria-label="Unit" data-testid="study-unit">
        {UNITS.map((u) => (
          <option key={u.value} value={u.value}>
            {u.label}
          </option>
        ))}
      </select>
      <span className="bar-sep" />
      <label className="inline" htmlFor="study-control">
        Control
      </label>
      <select id="study-control" value={o.controlGroup ?? ''} onChange={(e) => setOptions({ controlGroup: e.target.value || null })} data-testid="study-control">
        <option value="">none (no fold change)</option>
        {controls.map((g) => (
          <option key={g} value={g}>
            {g}
          </option>
        ))}
      </select>
      {groups.length > 1 ? (
        <>
          <span className="bar-sep" />
          <span className="inline">Order</span>
          <GroupOrderEditor groups={groups} onChange={(groupOrder) => setOptions({ groupOrder })} />
        </>
      ) : null}
      <span className="tb-spacer" />
      <div className="export-group" role="group" aria-label="Export the study">
        <span className="inline">Export</span>
        <button type="button" className="btn small" disabled={!canExport} onClick={() => void exportStudy({ csv: true, xlsx: false, qc: false })} title="Tidy CSV per level (images, wells, regions, units, groups) into a folder" data-testid="study-export-csv">
          CSV
        </button>
        <button type="button" className="btn small" disabled={!canExport} onClick={() => void exportStudy({ csv: false, xlsx: true, qc: false })} title="One XLSX workbook: the same sheets plus recipe and provenance" data-testid="study-export-xlsx">
          XLSX
        </button>
        <button type="button" className="btn small" disabled={!canExport} onClick={() => void exportStudy({ csv: false, xlsx: false, qc: true })} title="QC contact sheet (HTML): every image beside its overlay, in group order" data-testid="study-export-qc">
          QC sheet
        </button>
        <button type="button" className="btn small primary" disabled={!canExport} onClick={() => void exportStudy({ csv: true, xlsx: true, qc: true })} title="CSV per level, XLSX workbook and QC sheet into one folder" data-testid="study-export-all">
          <Icon name="export" size={13} /> All…
        </button>
      </div>
    </div>
  );
}
