/** Right panel: the measurement of the current image, then the recipe that produces it. */
import type { PresetName } from '../../../src/common/api.js';
import { Icon } from '../../components/Icon.js';
import { selectIsRecipeModified, selectRecipeError } from '../../state/selectors.js';
import { useAppStore } from '../../state/use-app-store.js';
import { CalibrationSection } from './CalibrationSection.js';
import { CleanupSection } from './CleanupSection.js';
import { RegionPanel } from '../annotate/RegionPanel.js';
import { ReferenceSection } from './ReferenceSection.js';
import { ResultSummary } from './ResultSummary.js';
import { StainSection } from './StainSection.js';
import { ThresholdSection } from './ThresholdSection.js';

const PRESET_LABEL: Record<PresetName, string> = { alizarin: 'Alizarin Red S', vonkossa: 'von Kossa' };

export function RecipePanel() {
  const info = useAppStore((s) => s.appInfo);
  const presetName = useAppStore((s) => s.presetName);
  const source = useAppStore((s) => s.recipeSource);
  const doc = useAppStore((s) => s.recipeDoc);
  const modified = useAppStore(selectIsRecipeModified);
  const error = useAppStore(selectRecipeError);
  const choosePreset = useAppStore((s) => s.choosePreset);
  const load = useAppStore((s) => s.loadRecipeFile);
  const save = useAppStore((s) => s.saveRecipeFile);
  return (
    <aside className="panel side" aria-label="Measurement and recipe">
      <ResultSummary />
      <RegionPanel />
      <div className="panel-head recipe-head">
        <h2>Recipe</h2>
        <div className="head-actions">
          <button type="button" className="btn ghost small" onClick={() => void load()} title="Load a recipe file (Ctrl+L)">
            <Icon name="load" size={13} /> Load…
          </button>
          <button type="button" className="btn ghost small" onClick={() => void save()} disabled={!doc} title="Save this recipe as a file (Ctrl+S)">
            <Icon name="save" size={13} /> Save…
          </button>
        </div>
      </div>
      <div className="recipe-scroll">
        <div className="preset-row">
          <div className="seg wide" role="radiogroup" aria-label="Preset">
            {(info?.presets ?? []).map((p) => (
              <button
                key={p.name}
                type="button"
                role="radio"
                aria-checked={presetName === p.name}
                className={presetName === p.name ? 'on' : ''}
                data-testid={`preset-${p.name}`}
                onClick={() => choosePreset(p.name)}
                title={p.title}
              >
                {PRESET_LABEL[p.name] ?? p.title}
              </button>
            ))}
          </div>
          <div className="recipe-source" title={doc?.description}>
            {doc?.name ?? 'Loading…'}
            {presetName ? (modified ? <span className="tag warn">modified</span> : <span className="tag">preset</span>) : <span className="tag">{source}</span>}
          </div>
        </div>
        {error ? (
          <div className="inline-error" role="alert" data-testid="recipe-error">
            <Icon name="alert" size={14} /> {error.userMessage}
          </div>
        ) : null}
        {doc ? (
          <>
            <ThresholdSection />
            <ReferenceSection />
            <StainSection />
            <CleanupSection />
            <CalibrationSection />
          </>
        ) : null}
      </div>
    </aside>
  );
}
