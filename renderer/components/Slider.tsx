/**
 * A labelled range slider with its value as an editable number. While dragging it reports
 * `onDragChange(true)`; on release `onDragChange(false)` (live preview: fast while dragging).
 */
import { useId } from 'react';

export interface SliderProps {
  readonly label: string;
  readonly value: number;
  readonly min: number;
  readonly max: number;
  readonly step: number;
  readonly unit?: string;
  readonly decimals?: number;
  readonly hint?: string;
  readonly testId?: string;
  onChange(v: number): void;
  onDragChange?(dragging: boolean): void;
}

export function Slider(p: SliderProps) {
  const id = useId();
  const decimals = p.decimals ?? 2;
  const clamp = (v: number) => Math.min(p.max, Math.max(p.min, v));
  const end = () => p.onDragChange?.(false);
  return (
    <div className="field slider" title={p.hint}>
      <label htmlFor={id}>{p.label}</label>
      <div className="slider-row">
        <input
          id={id}
          type="range"
          min={p.min}
          max={p.max}
          step={p.step}
          value={p.value}
          data-testid={p.testId}
          onPointerDown={() => p.onDragChange?.(true)}
          onPointerUp={end}
          onKeyUp={end}
          onBlur={end}
          onChange={(e) => p.onChange(Number(e.target.value))}
        />
        <input
          className="num"
          type="number"
          aria-label={`${p.label} value`}
          min={p.min}
          max={p.max}
          step={p.step}
          value={Number(p.value.toFixed(decimals))}
          onChange={(e) => {
            const v = Number(e.target.value);
            if (e.target.value !== '' && Number.isFinite(v)) p.onChange(clamp(v));
          }}
        />
        {p.unit ? <span className="unit">{p.unit}</span> : null}
      </div>
    </div>
  );
}
