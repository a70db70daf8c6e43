/**
 * Wells of the current plate image (recipe panel, plate reference): how many were found, switch to
 * wells set by hand (detection off) and back, and add a well by id with a click in the viewer.
 */
import { useEffect, useState } from 'react';
import { getParams } from '../../state/recipe-model.js';
import { useAppStore } from '../../state/use-app-store.js';
import { gridForWells, missingWells, PLATE_LAYOUTS } from './plate-layout.js';
import { selectCurrentPlate } from './plate-selectors.js';

export function PlateWellsControls() {
  const plate = useAppStore(selectCurrentPlate);
  const currentId = useAppStore((s) => s.currentId);
  const pending = useAppStore((s) => s.previewPending);
  const previewFailed = useAppStore((s) => s.previewError?.imageId === s.currentId);
  const addId = useAppStore((s) => s.addWellId);
  const save = useAppStore((s) => s.saveHandWells);
  const setAddId = useAppStore((s) => s.setAddWellId);
  const geometry = plate?.wells.length ? plate : null;
  const recipeLayout = useAppStore((s) => (s.recipeDoc ? (getParams(s.recipeDoc, 'reference.detect') as { plateLayout?: number | 'auto' } | undefined)?.plateLayout : undefined));
  const count = plate?.ids.length ?? 0;
  // Which ids can be added: the layout asked for, else the one found, else the smallest holding these wells (96 when unknown).
  const hint = typeof recipeLayout === 'number' ? recipeLayout : (plate?.layout ?? (count >= 2 ? PLATE_LAYOUTS.find((l) => l >= count) : 96));
  const grid = gridForWells(plate?.ids ?? [], hint);
  const missing = missingWells(grid, plate?.ids ?? []);
  const [choice, setChoice] = useState('');
  const next = missing.includes(choice) ? choice : (missing[0] ?? '');

  useEffect(() => {
    if (!addId) return;
    const onKey = (e: KeyboardEvent) => e.key === 'Escape' && setAddId(null);
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [addId, setAddId]);
  useEffect(() => () => setAddId(null), [currentId, setAddId]);

  if (!currentId) return null;
  const placed = geometry?.wells.filter((w) => w.found === false).length ?? 0;
  const status = plate?.byHand
    ? `${plate.wells.length} wells set by hand — detection is off for this image.`
    : geometry
      ? `${geometry.wells.length} wells found${geometry.layout ? ` (${geometry.layout}-well plate)` : ''}${placed ? `, ${placed} placed by the grid` : ''}.`
      : pending
        ? 'Looking for the wells…'
        : previewFailed
          ? 'No wells found automatically: set them by hand.'
          : 'Wells appear with the preview.';
  return (
    <div className="plate-wells" data-testid="plate-wells">
      <p className="hint" data-testid="plate-wells-status">
        {status}
      </p>
      <div className="btn-row">
        {plate?.byHand ? (
          <button type="button" className="btn small" onClick={() => void save(currentId, null)} data-testid="wells-reset" title="Forget the wells set by hand and find them automatically again">
            Reset to detection
          </button>
        ) : (
          <button
            type="button"
            className="btn small"
            disabled={!geometry}
            onClick={() => geometry && void save(currentId, geometry.wells)}
            data-testid="wells-by-hand"
            title="Turn detection off for this image and adjust the wells in the viewer"
          >
            Adjust wells by hand
          </button>
        )}
      </div>
      {plate?.byHand || (previewFailed && !geometry) ? (
        <>
          <div className="btn-row">
            <span className="k">Add well</span>
            <select value={next} onChange={(e) => setChoice(e.target.value)} aria-label="Well to add" data-testid="add-well-id" disabled={!missing.length}>
              {missing.map((id) => (
                <option key={id} value={id}>
                  {id}
                </option>
              ))}
            </select>
            <button type="button" className={`btn small${addId ? ' primary' : ''}`} disabled={!next} onClick={() => setAddId(addId ? null : next)} data-testid="add-well">
              {addId ? 'Cancel' : 'Place…'}
            </button>
          </div>
          <p className="hint">{addId ? `Click the centre of well ${addId} in the image (Esc cancels).` : 'Drag a ring to move its well, the dot on its right edge to resize it.'}</p>
        </>
      ) : null}
    </div>
  );
}
