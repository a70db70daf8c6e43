/** Stain model and (optionally) custom stain vectors. The models and their vectors are the core's. */
import { Section } from '../../components/Section.js';
import type { Rgb } from '../../state/recipe-model.js';
import { selectStainChoices } from '../../state/selectors.js';
import { useAppStore } from '../../state/use-app-store.js';
import { useStepParams } from './use-recipe-edit.js';
import { VectorEditor } from './VectorEditor.js';

export function StainSection() {
  const [p, set] = useStepParams('stain.separate');
  const choices = useAppStore(selectStainChoices);
  if (!p) return null;
  const choice = choices.find((c) => c.id === p.model);
  const custom = p.model === 'custom' || !!p.mineralRgb || !!p.counterstainRgb;
  const fallback = choice ?? choices[0];
  // undefined only before the core has said which models it has
  const mineral = (p.mineralRgb as Rgb | undefined) ?? fallback?.mineral;
  const counter = (p.counterstainRgb as Rgb | undefined) ?? fallback?.counterstain;
  const vectors = mineral && counter ? { mineralRgb: [...mineral] as [number, number, number], counterstainRgb: [...counter] as [number, number, number] } : null;
  return (
    <Section title="Stain">
      <div className="field">
        <label htmlFor="stain-model">Model</label>
        <select
          id="stain-model"
          value={p.model}
          onChange={(e) => {
            const model = e.target.value;
            if (model === 'custom') set({ ...p, model, ...vectors });
            else set({ model, ...(p.neutralMineral !== undefined ? { neutralMineral: p.neutralMineral } : {}) });
          }}
        >
          {choices.map((c) => (
            <option key={c.id} value={c.id}>
              {c.label}
            </option>
          ))}
          {choice || p.model === 'custom' ? null : <option value={p.model}>{p.model}</option>}
          <option value="custom" disabled={!vectors}>
            Custom vectors
          </option>
        </select>
      </div>
      <label className="check">
        <input
          type="checkbox"
          checked={custom}
          disabled={p.model === 'custom' || !vectors}
          onChange={(e) => (e.target.checked ? set({ ...p, ...vectors }) : set({ model: p.model }))}
        />
        Edit stain vectors (OD per channel)
      </label>
      {custom && mineral && counter ? (
        <div className="vectors">
          <VectorEditor label={choice?.mineralLabel ?? 'Mineral'} value={mineral} onChange={(v) => set({ ...p, mineralRgb: [...v] })} />
          <VectorEditor label={choice?.counterstainLabel ?? 'Counterstain'} value={counter} onChange={(v) => set({ ...p, counterstainRgb: [...v] })} />
        </div>
      ) : null}
    </Section>
  );
}
