/** Stain model and (optionally) custom stain vectors. */
import { Section } from '../../components/Section.js';
import type { Rgb } from '../../state/recipe-model.js';
import { STAIN_MODEL_CHOICES, stainChoice } from '../../state/stain-models.js';
import { useStepParams } from './use-recipe-edit.js';
import { VectorEditor } from './VectorEditor.js';

export function StainSection() {
  const [p, set] = useStepParams('stain.separate');
  if (!p) return null;
  const choice = stainChoice(p.model);
  const custom = p.model === 'custom' || !!p.mineralRgb || !!p.counterstainRgb;
  const fallback = choice ?? STAIN_MODEL_CHOICES[0]!;
  const mineral = (p.mineralRgb as Rgb | undefined) ?? fallback.mineral;
  const counter = (p.counterstainRgb as Rgb | undefined) ?? fallback.counterstain;
  return (
    <Section title="Stain">
      <div className="field">
        <label htmlFor="stain-model">Model</label>
        <select
          id="stain-model"
          value={p.model}
          onChange={(e) => {
            const model = e.target.value;
            if (model === 'custom') set({ ...p, model, mineralRgb: [...mineral], counterstainRgb: [...counter] });
            else set({ model, ...(p.neutralMineral !== undefined ? { neutralMineral: p.neutralMineral } : {}) });
          }}
        >
          {STAIN_MODEL_CHOICES.map((c) => (
            <option key={c.id} value={c.id}>
              {c.label}
            </option>
          ))}
          <option value="custom">Custom vectors</option>
        </select>
      </div>
      <label className="check">
        <input
          type="checkbox"
          checked={custom}
          disabled={p.model === 'custom'}
          onChange={(e) =>
            e.target.checked
              ? set({ ...p, mineralRgb: [...mineral], counterstainRgb: [...counter] })
              : set({ model: p.model })
          }
        />
        Edit stain vectors (OD per channel)
      </label>
      {custom ? (
        <div className="vectors">
          <VectorEditor label={choice?.mineralLabel ?? 'Mineral'} value={mineral} onChange={(v) => set({ ...p, mineralRgb: [...v] })} />
          <VectorEditor label={choice?.counterstainLabel ?? 'Counterstain'} value={counter} onChange={(v) => set({ ...p, counterstainRgb: [...v] })} />
        </div>
      ) : null}
    </Section>
  );
}
