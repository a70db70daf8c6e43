/** Metadata from file names: a pattern such as `{animal}_{group}_{section}`, a live preview table, apply. */
import { useState } from 'react';
import { Modal } from '../../components/Modal.js';
import { useAppStore } from '../../state/use-app-store.js';
import { useNamePatternPreview } from './use-name-pattern-preview.js';

let lastPattern = '{animal}_{group}_{section}';

const FIELDS = [
  ['{group}', 'group / condition'],
  ['{animal}', 'animal or donor id'],
  ['{type}', 'sample type'],
  ['{replicate}', 'replicate'],
  ['{well}', 'well (A1…)'],
  ['{*}', 'any text, skipped'],
] as const;

export function NamePatternDialog() {
  const open = useAppStore((s) => s.namePatternOpen);
  if (!open) return null;
  return <PatternDialogBody />;
}

function PatternDialogBody() {
  const setOpen = useAppStore((s) => s.setNamePatternOpen);
  const apply = useAppStore((s) => s.applyNamePattern);
  const [pattern, setPattern] = useState(lastPattern);
  const [busy, setBusy] = useState(false);
  const { preview, pending, error } = useNamePatternPreview(pattern);
  const rows = preview?.rows ?? [];
  const matched = rows.filter((r) => r.ok).length;
  const close = () => setOpen(false);
  const onApply = async () => {
    setBusy(true);
    lastPattern = pattern;
    const ok = await apply(pattern);
    setBusy(false);
    if (ok) close();
  };
  const cell = (v: string | null | undefined) => (v ? v : <span className="muted">—</span>);
  return (
    <Modal
      title="Read metadata from file names"
      onClose={close}
      className="pattern-dialog"
      footer={
        <>
          <span className="fb-summary" data-testid="pattern-summary">
            {error ? '' : preview ? `${matched} of ${rows.length} names match` : pending ? 'Checking…' : ''}
          </span>
          <button type="button" className="btn" onClick={close}>
            Cancel
          </button>
          <button type="button" className="btn primary" disabled={busy || !!error || !matched} onClick={() => void onApply()} data-testid="pattern-apply">
            Apply to {matched} image{matched === 1 ? '' : 's'}
          </button>
        </>
      }
    >
      <label className="field">
        <span>Pattern</span>
        <input type="text" className="mono" value={pattern} onChange={(e) => setPattern(e.target.value)} spellCheck={false} autoFocus data-testid="pattern-input" />
      </label>
      <p className="hint">
        {FIELDS.map(([k, v]) => (
          <span key={k} className="pattern-key">
            <code>{k}</code> {v}
          </span>
        ))}
        <br />
        Other names (<code>{'{section}'}</code>, <code>{'{day}'}</code>) must be there but are not stored. Case is ignored; the extension is optional; use <code>/</code> to match folders too.
      </p>
      {error ? (
        <div className="inline-error" role="alert">
          {error}
        </div>
      ) : null}
      <div className="table-wrap pattern-table">
        <table className="results compact" data-testid="pattern-preview">
          <thead>
            <tr>
              <th>File</th>
              <th>Type</th>
              <th>Group</th>
              <th>Animal</th>
              <th>Replicate</th>
              <th>Well</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.imageId} className={r.ok ? '' : 'err'} data-ok={r.ok}>
                <td title={r.displayName}>
                  <span className={`dot ${r.ok ? 'ok' : 'bad'}`} />
                  {r.displayName}
                </td>
                {r.ok ? (
                  <>
                    <td>{cell(r.meta?.sampleType)}</td>
                    <td>{cell(r.meta?.group)}</td>
                    <td>{cell(r.meta?.animal)}</td>
                    <td>{cell(r.meta?.replicate)}</td>
                    <td>{cell(r.well)}</td>
                  </>
                ) : (
                  <td colSpan={5} className="why">
                    {r.reason}
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </Modal>
  );
}
