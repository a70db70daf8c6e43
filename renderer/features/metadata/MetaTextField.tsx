/**
 * One metadata field for the selected images or wells: shows the common value, or "mixed" with the
 * values when they differ. Typing and leaving the field (or Enter) sets it for all; × clears it.
 */
import { useId, useRef, type KeyboardEvent } from 'react';
import type { FieldState } from '../../state/metadata-model.js';

export interface MetaTextFieldProps {
  readonly label: string;
  readonly state: FieldState;
  /** Remounts the input when the targets or stored values change. */
  readonly resetKey: string;
  readonly multiline?: boolean;
  readonly listId?: string;
  readonly testId?: string;
  readonly disabled?: boolean;
  onCommit(value: string | null): void;
}

function placeholderOf(s: FieldState): string {
  if (s.kind !== 'mixed') return '—';
  const shown = s.values.slice(0, 3).join(', ') + (s.values.length > 3 ? ', …' : '');
  return `mixed: ${shown}${s.someEmpty ? ' (and empty)' : ''}`;
}

export function MetaTextField(p: MetaTextFieldProps) {
  const id = useId();
  const ref = useRef<HTMLInputElement & HTMLTextAreaElement>(null);
  const initial = p.state.kind === 'same' ? p.state.value : '';
  const commit = () => {
    const v = (ref.current?.value ?? '').trim();
    if (v === initial) return;
    p.onCommit(v === '' ? null : v);
  };
  const onKey = (e: KeyboardEvent) => {
    if (e.key === 'Enter' && (!p.multiline || e.ctrlKey)) {
      e.preventDefault();
      ref.current?.blur();
    } else if (e.key === 'Escape' && ref.current) {
      e.stopPropagation();
      ref.current.value = initial;
      ref.current.blur();
    }
  };
  const common = {
    id,
    ref,
    defaultValue: initial,
    placeholder: placeholderOf(p.state),
    onBlur: commit,
    onKeyDown: onKey,
    disabled: p.disabled,
    'data-testid': p.testId,
    'data-state': p.state.kind,
  };
  return (
    <div className={`meta-row${p.state.kind === 'mixed' ? ' mixed' : ''}`}>
      <label htmlFor={id}>{p.label}</label>
      <div className="meta-input">
        {p.multiline ? <textarea key={p.resetKey} rows={2} {...common} /> : <input key={p.resetKey} type="text" list={p.listId} autoComplete="off" {...common} />}
        {p.state.kind !== 'empty' && !p.disabled ? (
          <button type="button" className="icon-btn clear" title={`Clear ${p.label.toLowerCase()} of all selected`} aria-label={`Clear ${p.label}`} onClick={() => p.onCommit(null)}>
            ×
          </button>
        ) : null}
      </div>
    </div>
  );
}
