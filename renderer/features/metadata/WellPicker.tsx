/**
 * The wells of the current plate image, as a small plate: click a well, Ctrl-click to add, Shift-click
 * for a rectangle, click a row letter or column number for the whole line. Picked wells are what the
 * sample fields edit; "Whole image" goes back to the image.
 */
import { useRef } from 'react';
import { groupColor, metaKey } from '../../state/metadata-model.js';
import { selectAllGroups } from '../../state/metadata-selectors.js';
import { useAppStore } from '../../state/use-app-store.js';
import { gridForWells } from '../plate/plate-layout.js';
import type { CurrentPlate } from '../plate/plate-selectors.js';
import { pickLine, pickWells } from '../plate/well-selection.js';

export function WellPicker({ plate }: { plate: CurrentPlate }) {
  const selection = useAppStore((s) => (s.wellSelection?.imageId === plate.imageId ? s.wellSelection.wells : null));
  const selectWells = useAppStore((s) => s.selectWells);
  const meta = useAppStore((s) => s.metaByKey);
  const blinded = useAppStore((s) => s.blinded);
  const groups = useAppStore(selectAllGroups);
  const anchor = useRef<string | null>(null);
  const grid = gridForWells(plate.ids, plate.layout ?? undefined);
  const present = new Set(plate.ids);
  const picked = new Set(selection ?? []);
  const set = (wells: string[]) => selectWells(plate.imageId, wells);
  const cur = [...picked];
  return (
    <div className="well-picker" data-testid="well-picker" style={{ ['--cols' as string]: grid.cols }}>
      <div className="wp-head">
        <span>
          {picked.size ? `${picked.size} of ${plate.ids.length} wells` : `${plate.ids.length} wells`}
          {plate.byHand ? <span className="tag">set by hand</span> : null}
        </span>
        <button type="button" className="btn ghost small" disabled={!picked.size} onClick={() => set([])} title="Edit the whole image instead of wells">
          Whole image
        </button>
      </div>
      <div className="wp-grid" role="grid" aria-label="Wells">
        <button type="button" className="wp-corner" title="All wells" onClick={() => set(picked.size === present.size ? [] : [...present])}>
          ◢
        </button>
        {Array.from({ length: grid.cols }, (_, c) => (
          <button key={`c${c}`} type="button" className="wp-col" onClick={(e) => set(pickLine(cur, { col: c }, plate.ids, e.ctrlKey || e.metaKey || e.shiftKey))}>
            {c + 1}
          </button>
        ))}
        {grid.rowLabels.map((rl, r) => (
          <div key={rl} className="wp-row" role="row">
            <button type="button" className="wp-rowlabel" onClick={(e) => set(pickLine(cur, { row: r }, plate.ids, e.ctrlKey || e.metaKey || e.shiftKey))}>
              {rl}
            </button>
            {Array.from({ length: grid.cols }, (_, c) => {
              const id = grid.ids[r * grid.cols + c]!;
              if (!present.has(id)) return <span key={id} className="wp-well absent" />;
              const g = blinded ? undefined : (meta[metaKey(plate.imageId, id)]?.group ?? meta[plate.imageId]?.group);
              return (
                <button
                  key={id}
                  type="button"
                  role="gridcell"
                  aria-selected={picked.has(id)}
                  className={`wp-well${picked.has(id) ? ' on' : ''}${g ? ' has-group' : ''}`}
                  style={g ? { ['--group' as string]: groupColor(g, groups) } : undefined}
                  data-well={id}
                  title={g ? `${id} · ${g}` : id}
                  onClick={(e) => {
                    set(pickWells(cur, id, e.shiftKey ? 'range' : e.ctrlKey || e.metaKey ? 'toggle' : 'only', anchor.current, plate.ids));
                    anchor.current = id;
                  }}
                />
              );
            })}
          </div>
        ))}
      </div>
    </div>
  );
}
