/** Overall batch progress: bar, images done / total, failures, time left, cancel. */
import { formatDuration } from '../../components/format.js';
import { Icon } from '../../components/Icon.js';
import { selectIsBatchRunning } from '../../state/selectors.js';
import { useAppStore } from '../../state/use-app-store.js';

export function BatchProgress() {
  const b = useAppStore((s) => s.batch);
  const running = useAppStore(selectIsBatchRunning);
  const cancel = useAppStore((s) => s.cancelBatch);
  if (!b) return <div className="batch-progress idle">No batch run yet</div>;
  const frac = b.total ? b.done / b.total : 0;
  const label = running
    ? b.cancelRequested
      ? 'Cancelling…'
      : b.state === 'starting'
        ? 'Starting…'
        : `${b.done} / ${b.total} images${b.etaMs !== null && b.done > 0 ? ` · about ${formatDuration(b.etaMs)} left` : ''}`
    : `${b.state === 'cancelled' ? 'Cancelled' : 'Done'} · ${b.done - b.failed} / ${b.total} analysed in ${formatDuration(b.elapsedMs)}`;
  return (
    <div className={`batch-progress ${running ? 'running' : b.state}`} data-testid="batch-progress" data-state={b.state}>
      <div className="bar" role="progressbar" aria-valuemin={0} aria-valuemax={b.total} aria-valuenow={b.done} aria-label="Batch progress">
        <div className="fill" style={{ width: `${(frac * 100).toFixed(1)}%` }} />
        {b.failed ? <div className="fail" style={{ width: `${((b.failed / Math.max(1, b.total)) * 100).toFixed(1)}%` }} /> : null}
      </div>
      <span className="label">{label}</span>
      {b.failed ? <span className="failed-count">{b.failed} not analysed</span> : null}
      {running ? (
        <button type="button" className="btn small danger" onClick={() => void cancel()} disabled={b.cancelRequested || !b.id} data-testid="cancel-batch" title="Cancel the batch (Esc)">
          <Icon name="stop" size={12} /> Cancel
        </button>
      ) : null}
    </div>
  );
}
