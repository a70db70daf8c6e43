/** One row of the results table (memoized: a new row does not re-render the others). */
import { memo } from 'react';
import type { ImageId } from '../../../src/common/api.js';
import type { ResultColumn } from '../../../src/common/result.js';
import type { BatchRow } from '../../state/batch-slice.js';
import type { SelectMode } from '../../state/library-slice.js';
import { formatCell, NUMERIC_COLUMNS, resultCell } from '../../state/result-cells.js';

export const ResultRow = memo(function ResultRow({ row, columns, current, onSelect }: { row: BatchRow; columns: readonly ResultColumn[]; current: boolean; onSelect(id: ImageId, mode: SelectMode): void }) {
  const r = row.result;
  const cancelled = r.errorCode === 'CANCELLED';
  return (
    <tr
      className={`${r.status === 'error' ? 'err' : ''}${current ? ' current' : ''}${row.detail ? ' detail' : ''}`}
      data-image={r.image}
      data-status={r.status}
      onClick={() => row.imageId && onSelect(row.imageId, 'only')}
    >
      {columns.map((c) => {
        const v = resultCell(r, c);
        const text = c === 'status' && cancelled ? 'cancelled' : formatCell(c, v);
        return (
          <td key={c} className={`${NUMERIC_COLUMNS.has(c) ? 'n' : ''} c-${c}`} data-col={c} data-value={v ?? ''} title={v === null ? undefined : String(v)}>
            {c === 'status' ? <span className={`dot ${r.status === 'ok' ? 'ok' : cancelled ? 'cancel' : 'bad'}`} /> : null}
            {text}
          </td>
        );
      })}
    </tr>
  );
});
