/** Editable RGB optical-density vector with a swatch of the colour it stains. */
import type { Rgb } from '../../state/recipe-model.js';
import { stainSwatch } from '../../state/stain-models.js';

export function VectorEditor({ label, value, onChange }: { label: string; value: Rgb; onChange(v: Rgb): void }) {
  return (
    <div className="vector-row">
      <span className="swatch" style={{ background: stainSwatch(value) }} title={`Colour of this stain: ${stainSwatch(value)}`} />
      <span className="vector-label">{label}</span>
      {(['R', 'G', 'B'] as const).map((ch, i) => (
        <input
          key={ch}
          type="number"
          className="num"
          min={0}
          max={10}
          step={0.01}
          aria-label={`${label} ${ch} OD`}
          title={`${ch} optical density`}
          value={Number(value[i]!.toFixed(3))}
          onChange={(e) => {
            const v = Number(e.target.value);
            if (e.target.value === '' || !Number.isFinite(v)) return;
            const next = [...value] as [number, number, number];
            next[i] = v;
            onChange(next);
          }}
        />
      ))}
    </div>
  );
}
