/** One row per image of the current/last batch, the CLI's columns, sortable; click shows the image. */
import { RESULT_COLUMNS, type ResultColumn } from '../../../src/common/result.js';
import { selectShownRows } from '../../state/blinding.js';
import { NUMERIC_COLUMNS } from '../../state/result-cells.js';
import { useAppStore } from '../../state/use-app-store.js';
import { ResultRow } from './ResultRow.js';

const LABELS: Partial<Record<ResultColumn, string>> = {
  image: 'Image', region: 'Region', well: 'Well', status: 'Status', error: 'Message', width_px: 'Width px', height_px: 'Height px', reference: 'Reference',
  reference_area_px: 'Reference px', mineral_area_px: 'Mineral px', mineral_pct: 'Mineral %', pixel_size_um: 'µm/px',
  reference_area_um2: 'Reference µm²', mineral_area_um2: 'Mineral µm²', deposit_count: 'Deposits', mean_od: 'Mean OD',
  integrated_od: 'Integrated OD', recipe_hash: 'Recipe hash', app_version: 'Version', image_sha256: 'Image SHA-256',
  error_code: 'Error code', recipe_id: 'Recipe', pixel_size_source: 'Calibration', threshold_od: 'Threshold OD', warnings: 'Warnings',
};

/** The table shows the measurements first; the order of the CSV itself is unchanged. */
const ORDER: readonly ResultColumn[] = [
  'image', 'region', 'well', 'status', 'mineral_pct', 'reference', 'reference_area_px', 'mineral_area_px', 'deposit_count', 'mean_od',
  'integrated_od', 'threshold_od', 'reference_area_um2', 'mineral_area_um2', 'pixel_size_um', 'pixel_size_source',
  'width_px', 'height_px', 'error', 'error_code', 'warnings', 'recipe_id', 'recipe_hash', 'app_version', 'image_sha256',
];
const COLUMNS = [...ORDER, ...RESULT_COLUMNS.filter((c) => !ORDER.includes(c))];
/** Without per-region or per-well rows these two columns are always empty: hidden (still in the CSV). */
const COLUMNS_NO_DETAIL = COLUMNS.filter((c) => c !== 'region' && c !== 'well');

export function ResultsTable() {
  const rows = useAppStore(selectShownRows);
  const sort = useAppStore((s) => s.resultsSort);
  const sortBy = useAppStore((s) => s.sortResultsBy);
  const currentId = useAppStore((s) => s.currentId);
  const select = useAppStore((s) => s.select);
  const running = useAppStore((s) => s.batch?.state === 'running' || s.batch?.state === 'starting');
  const hasDetail = rows.some((r) => r.detail);
  const columns = hasDetail ? COLUMNS : COLUMNS_NO_DETAIL;
  if (!rows.length) {
    return <div className="dock-empty">{running ? 'Waiting for the first image…' : 'No results yet. Run a batch (Ctrl+Enter) to measure every image with this recipe.'}</div>;
  }
  return (
    <div className="table-wrap">
      <table className="results" data-testid="results-table">
        <thead>
          <tr>
            {columns.map((c) => (
              <th key={c} className={NUMERIC_COLUMNS.has(c) ? 'n' : ''} aria-sort={sort.column === c ? (sort.desc ? 'descending' : 'ascending') : 'none'} title={c}>
                <button type="button" onClick={() => sortBy(c)}>
                  {LABELS[c] ?? c}
                  <span className="sort-mark">{sort.column === c ? (sort.desc ? '▼' : '▲') : ''}</span>
                </button>
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row, i) => (
            <ResultRow key={`${row.imageId ?? row.result.image}-${i}`} row={row} columns={columns} current={!!row.imageId && row.imageId === currentId} onSelect={select} />
          ))}
        </tbody>
      </table>
    </div>
  );
}
