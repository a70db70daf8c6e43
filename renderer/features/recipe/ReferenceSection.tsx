/** What the percentage is a percentage of: whole image, tissue, a well, the wells of a plate, or a region file. */
import { REFERENCE_KINDS } from '../../../src/common/recipe-schema.js';
import { Section } from '../../components/Section.js';
import { selectCurrentImage } from '../../state/selectors.js';
import { useAppStore } from '../../state/use-app-store.js';
import { EdgeExclusionControl, type EdgeParams } from '../plate/EdgeExclusionControl.js';
import { PlateWellsControls } from '../plate/PlateWellsControls.js';
import { onSliderDrag, useStepParams } from './use-recipe-edit.js';

const LABEL: Record<string, string> = { image: 'Image', tissue: 'Tissue', well: 'Well', plate: 'Plate', region: 'Region' };
const HINT: Record<string, string> = {
  image: 'Percentage of all pixels of the image.',
  tissue: 'Percentage of the stained tissue, found automatically against the bright background.',
  well: 'Percentage of the culture well (one round well per image), found automatically.',
  plate: 'Percentage per well of a multiwell plate (wells found automatically); one row per well.',
  region: 'Percentage of a region from a GeoJSON file (QuPath export) or a mask image.',
};
const PLATE_LAYOUTS = ['auto', 6, 12, 24, 48, 96] as const;

/** Params of reference.detect as the panel edits them (plate options are optional in the schema). */
interface RefParams {
  readonly kind: string;
  readonly plateLayout?: (typeof PLATE_LAYOUTS)[number];
  readonly edgeExclusionFrac?: number;
  readonly edgeExclusionUm?: number;
}

export function ReferenceSection() {
  const [raw, setRaw] = useStepParams('reference.detect');
  const regionPath = useAppStore((s) => s.regionPath);
  const chooseRegion = useAppStore((s) => s.chooseRegionFile);
  const calibrated = useAppStore((s) => !!(s.pixelSizeUm ?? selectCurrentImage(s)?.pixelSizeUm));
  const p = raw as RefParams | undefined;
  const set = (next: RefParams) => setRaw(next as never);
  const kind = p?.kind ?? 'image';
  const wells = kind === 'well' || kind === 'plate';
  return (
    <Section title="Reference area">
      <div className="seg wide" role="radiogroup" aria-label="Reference area">
        {REFERENCE_KINDS.map((k) => (
          <button key={k} type="button" role="radio" aria-checked={kind === k} className={kind === k ? 'on' : ''} onClick={() => set({ kind: k })} data-testid={`reference-${k}`}>
            {LABEL[k] ?? k}
          </button>
        ))}
      </div>
      <p className="hint">{HINT[kind] ?? ''}</p>
      {kind === 'plate' ? (
        <div className="field">
          <label htmlFor="plate-layout">Plate layout</label>
          <select
            id="plate-layout"
            value={String(p?.plateLayout ?? 'auto')}
            onChange={(e) => set({ ...p!, plateLayout: e.target.value === 'auto' ? 'auto' : (Number(e.target.value) as RefParams['plateLayout']) })}
          >
            {PLATE_LAYOUTS.map((l) => (
              <option key={l} value={String(l)}>
                {l === 'auto' ? 'Detect automatically' : `${l}-well plate`}
              </option>
            ))}
          </select>
        </div>
      ) : null}
      {kind === 'plate' ? <PlateWellsControls /> : null}
      {wells ? (
        <EdgeExclusionControl
          params={p ?? {}}
          calibrated={calibrated}
          onChange={(e: EdgeParams) => {
            const base: RefParams = { kind, ...(p?.plateLayout !== undefined ? { plateLayout: p.plateLayout } : {}) };
            set({ ...base, ...e });
          }}
          onDragChange={onSliderDrag}
        />
      ) : null}
      {kind === 'region' ? (
        <div className="field file-field">
          <span className={`path${regionPath ? '' : ' missing'}`} title={regionPath ?? ''}>
            {regionPath ? regionPath.split(/[\\/]/).pop() : 'No region file chosen'}
          </span>
          <button type="button" className="btn small" onClick={() => void chooseRegion()}>
            Choose…
          </button>
        </div>
      ) : null}
    </Section>
  );
}
