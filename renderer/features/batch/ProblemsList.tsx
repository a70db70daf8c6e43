/** Images that were not analysed (with their messages) and files skipped when opening. */
import { Icon } from '../../components/Icon.js';
import { selectShownFailedRows } from '../../state/blinding.js';
import { useAppStore } from '../../state/use-app-store.js';

export function ProblemsList() {
  const failed = useAppStore(selectShownFailedRows);
  const skipped = useAppStore((s) => s.skipped);
  const blinded = useAppStore((s) => s.blinded);
  const select = useAppStore((s) => s.select);
  const rerun = useAppStore((s) => s.rerunFailed);
  const running = useAppStore((s) => s.batch?.state === 'running' || s.batch?.state === 'starting');
  if (!failed.length && !skipped.length) return <div className="dock-empty">No problems. Images that cannot be analysed are listed here with what to do.</div>;
  return (
    <div className="problems" data-testid="problems">
      {failed.length ? (
        <div className="problems-head">
          <span>
            {failed.length} image{failed.length > 1 ? 's' : ''} not analysed in the last batch
          </span>
          <button type="button" className="btn small" disabled={running} onClick={() => void rerun()} data-testid="rerun-failed">
            <Icon name="retry" size={13} /> Re-run failed
          </button>
        </div>
      ) : null}
      <ul>
        {failed.map((r, i) => (
          <li key={`f-${i}`} className={r.result.errorCode === 'CANCELLED' ? 'cancelled' : 'error'} onClick={() => r.imageId && select(r.imageId, 'only')}>
            <Icon name="alert" size={14} />
            <span className="p-name" title={blinded ? 'Blinded: the name is hidden' : r.result.image}>
              {r.result.image.split(/[\\/]/).pop()}
            </span>
            <span className="p-code">{r.result.errorCode}</span>
            <span className="p-msg">{r.result.error}</span>
          </li>
        ))}
        {skipped.map((s) => (
          <li key={`s-${s.path}`} className="skipped">
            <Icon name="files" size={14} />
            <span className="p-name" title={s.path}>
              {s.path.split(/[\\/]/).pop()}
            </span>
            <span className="p-code">SKIPPED</span>
            <span className="p-msg">{s.reason}</span>
          </li>
        ))}
      </ul>
    </div>
  );
}
