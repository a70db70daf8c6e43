/** Threshold method and its value: local contrast (min OD), Otsu, triangle, fixed OD. */
import { Section } from '../../components/Section.js';
import { Slider } from '../../components/Slider.js';
import { thresholdParams, type ThresholdMethod } from '../../state/recipe-model.js';
import { onSliderDrag, useStepParams } from './use-recipe-edit.js';

const METHODS: { id: ThresholdMethod; label: string; hint: string }[] = [
  { id: 'local-contrast', label: 'Local contrast', hint: 'Deposits at least this much OD above the local tissue background (robust to uneven staining).' },
  { id: 'otsu', label: 'Otsu', hint: 'Automatic global threshold between two classes of stain amount.' },
  { id: 'triangle', label: 'Triangle', hint: 'Automatic global threshold for a small bright-tailed population (sparse deposits).' },
  { id: 'fixed', label: 'Fixed OD', hint: 'The same stain-amount threshold on every image.' },
];

export function ThresholdSection() {
  const [p, set] = useStepParams('threshold');
  if (!p) return null;
  const method = METHODS.find((m) => m.id === p.method);
  return (
    <Section title="Threshold">
      <div className="field">
        <label htmlFor="threshold-method">Method</label>
        <select id="threshold-method" data-testid="threshold-method" value={p.method} onChange={(e) => set(thresholdParams(e.target.value as ThresholdMethod, p))}>
          {METHODS.map((m) => (
            <option key={m.id} value={m.id}>
              {m.label}
            </option>
          ))}
        </select>
      </div>
      <p className="hint">{method?.hint}</p>
      {p.method === 'local-contrast' ? (
        <Slider
          label="Minimum contrast"
          unit="OD"
          min={0.02}
          max={1.5}
          step={0.01}
          value={p.minContrastOd}
          testId="threshold-slider"
          onChange={(v) => set({ ...p, minContrastOd: v })}
          onDragChange={onSliderDrag}
        />
      ) : null}
      {p.method === 'fixed' ? (
        <Slider
          label="Threshold"
          unit="OD"
          min={0}
          max={2.5}
          step={0.01}
          value={p.valueOd}
          testId="threshold-slider"
          onChange={(v) => set({ ...p, valueOd: v })}
          onDragChange={onSliderDrag}
        />
      ) : null}
    </Section>
  );
}
