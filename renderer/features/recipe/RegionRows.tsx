/** Per-region (or per-well) measurements of the current image, under the image's percentage. */
import type { ImageResult } from '../../../src/common/result.js';
import { formatPct } from '../../components/format.js';

export function RegionRows({ rows }: { rows: readonly ImageResult[] }) {
  if (!rows.length) return null;
  const isWells = rows.every((r) => r.well);
  return (
    <div className="region-rows" data-testid="region-rows">
      <div className="region-head">
        <span>{isWells ? `${rows.length} wells` : `${rows.length} region${rows.length > 1 ? 's' : ''}`}</span>
        <span>mineral %</span>
      </div>
      <ul>
        {rows.map((r, i) => (
          <li key={`${r.well ?? r.region ?? i}-${i}`} title={r.error ?? undefined} className={r.status === 'error' ? 'err' : ''}>
            <span className="rr-label">{r.well ?? r.region ?? `#${i + 1}`}</span>
            <span className="rr-pct">{r.status === 'error' ? '—' : formatPct(r.mineralPct)}</span>
          </li>
        ))}
      </ul>
    </div>
  );
}
