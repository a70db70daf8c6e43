/**
 * The ring left out along each well's wall (meniscus, peeled cell layer): as a fraction of the
 * radius, or as a distance in µm (needs a calibrated image).
 */
import { useRef } from 'react';
import { Slider } from '../../components/Slider.js';

export interface EdgeParams {
  readonly edgeExclusionFrac?: number;
  readonly edgeExclusionUm?: number;
}

export function EdgeExclusionControl({ params, calibrated, onChange, onDragChange }: { params: EdgeParams; calibrated: boolean; onChange(p: EdgeParams): void; onDragChange(d: boolean): void }) {
  const inUm = params.edgeExclusionUm !== undefined;
  // The last width of each unit, so switching back and forth does not lose what the user set.
  const last = useRef({ um: 250, frac: 0.05 });
  if (params.edgeExclusionUm !== undefined) last.current.um = params.edgeExclusionUm;
  else if (params.edgeExclusionFrac !== undefined) last.current.frac = params.edgeExclusionFrac;
  const setMode = (um: boolean) => {
    if (um === inUm) return;
    onChange(um ? { edgeExclusionUm: last.current.um } : { edgeExclusionFrac: last.current.frac });
  };
  return (
    <div className="edge-exclusion" data-testid="edge-exclusion">
      <div className="edge-head">
        <span>Exclude the well edge</span>
        <div className="seg" role="radiogroup" aria-label="Edge exclusion unit">
          <button type="button" role="radio" aria-checked={!inUm} className={inUm ? '' : 'on'} onClick={() => setMode(false)}>
            % radius
          </button>
          <button type="button" role="radio" aria-checked={inUm} className={inUm ? 'on' : ''} onClick={() => setMode(true)} data-testid="edge-um">
            µm
          </button>
        </div>
      </div>
      {inUm ? (
        <Slider
          label="Ring width"
          unit="µm"
          min={0}
          max={3000}
          step={10}
          decimals={0}
          value={params.edgeExclusionUm ?? 0}
          hint="Width of the ring along each well's wall that is left out."
          onChange={(v) => onChange({ edgeExclusionUm: v })}
          onDragChange={onDragChange}
        />
      ) : (
        <Slider
          label="Ring width"
          unit="% of radius"
          min={0}
          max={50}
          step={1}
          decimals={0}
          value={Math.round((params.edgeExclusionFrac ?? 0) * 100)}
          hint="Leaves out a ring along each well's wall (meniscus, peeled cell layer)."
          onChange={(v) => onChange({ edgeExclusionFrac: v / 100 })}
          onDragChange={onDragChange}
        />
      )}
      {inUm && !calibrated ? <p className="hint warn-text">µm needs a calibrated image: set the pixel size under Calibration, or use % of the radius.</p> : null}
    </div>
  );
}
