/** The measurement of the current image with the current recipe: the percentage, large and clear. */
import { formatAreaUm2, formatCount, formatPct } from '../../components/format.js';
import { useAppStore } from '../../state/use-app-store.js';
import { RegionRows } from './RegionRows.js';

const OF: Record<string, string> = { image: 'of the whole image', tissue: 'of the tissue area', well: 'of the well area', region: 'of the region' };

export function ResultSummary() {
  const currentId = useAppStore((s) => s.currentId);
  const preview = useAppStore((s) => (s.preview?.imageId === s.currentId ? s.preview : null));
  const error = useAppStore((s) => (s.previewError?.imageId === s.currentId ? s.previewError.error : null));
  const pending = useAppStore((s) => s.previewPending);
  const imageError = useAppStore((s) => s.images.find((i) => i.id === s.currentId)?.error ?? null);
  const r = preview?.result ?? null;
  const failed = r?.status === 'error' ? r.error : null;
  const shownError = imageError?.userMessage ?? failed ?? (error && (!preview || pending === false) ? error.userMessage : null);
  return (
    <div className={`result-card${pending ? ' pending' : ''}`} data-testid="result-card" aria-live="polite">
      <div className="result-head">
        <span className="label">Mineralized area</span>
        <span className="quality" data-testid="preview-quality">
          {pending && !imageError ? (
            <>
              <span className="spinner" aria-hidden /> updating
            </>
          ) : preview ? (
            `${preview.quality === 'fast' ? 'fast preview' : 'full resolution'} · ${Math.round(preview.elapsedMs)} ms`
          ) : null}
        </span>
      </div>
      {shownError ? (
        <div className="result-error" role="alert">
          {shownError}
        </div>
      ) : (
        <>
          <div className={`pct${r?.mineralPct == null ? ' empty' : ''}`} data-testid="preview-pct">
            {formatPct(r?.mineralPct)}
            <span className="pct-unit">%</span>
          </div>
          <div className="pct-of">{r?.reference ? OF[r.reference] : currentId ? ' ' : 'No image selected'}</div>
          <dl className="stats">
            <dt>Reference</dt>
            <dd>
              {r?.referenceAreaPx != null ? `${formatCount(r.referenceAreaPx)} px` : '—'}
              {r?.referenceAreaUm2 != null ? <small>{formatAreaUm2(r.referenceAreaUm2)}</small> : null}
            </dd>
            <dt>Mineral</dt>
            <dd>
              {r?.mineralAreaPx != null ? `${formatCount(r.mineralAreaPx)} px` : '—'}
              {r?.mineralAreaUm2 != null ? <small>{formatAreaUm2(r.mineralAreaUm2)}</small> : null}
            </dd>
            <dt>Deposits</dt>
            <dd data-testid="preview-deposits">{r?.depositCount != null ? formatCount(r.depositCount) : '—'}</dd>
            <dt>Threshold</dt>
            <dd>{r?.thresholdOd != null ? `${r.thresholdOd.toFixed(3)} OD` : '—'}</dd>
          </dl>
          {preview?.regionRows?.length ? <RegionRows rows={preview.regionRows} /> : null}
          {r?.warnings.length ? <div className="result-warn">{r.warnings.join(' ')}</div> : null}
        </>
      )}
    </div>
  );
}
