/** The analysis state of one image: not run, queued, running, done (with %), error, cancelled. */
import type { ImageStatus } from '../../state/selectors.js';

export function StatusBadge({ status }: { status: ImageStatus }) {
  switch (status.kind) {
    case 'done':
      return (
        <span className="badge badge-done" data-status="done">
          {status.pct === null ? 'done' : `${status.pct.toFixed(2)} %`}
        </span>
      );
    case 'error':
      return (
        <span className="badge badge-error" data-status="error" title={status.message}>
          error
        </span>
      );
    case 'cancelled':
      return (
        <span className="badge badge-cancelled" data-status="cancelled" title={status.message}>
          cancelled
        </span>
      );
    case 'running':
      return (
        <span className="badge badge-running" data-status="running">
          <span className="spinner" aria-hidden /> running
        </span>
      );
    case 'queued':
      return (
        <span className="badge badge-queued" data-status="queued">
          queued
        </span>
      );
    default:
      return (
        <span className="badge badge-idle" data-status="not-run">
          not run
        </span>
      );
  }
}
