/**
 * The include regions of the current image, to give one its own sample metadata (several sections
 * of different animals on one slide, a plaque and the media of one aorta). A click picks one region,
 * Ctrl/Cmd-click adds or removes, "Whole image" goes back to the image's own metadata. A region
 * without its own value of a field has the image's.
 */
import type { MouseEvent } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { ImageId } from '../../../src/common/api.js';
import { groupColor, metaKey, regionName } from '../../state/metadata-model.js';
import { selectAllGroups } from '../../state/metadata-selectors.js';
import { useAppStore } from '../../state/use-app-store.js';

const NONE: readonly string[] = [];

/** The picked names after a click on `name` (Ctrl/Cmd: toggle; plain: only it, or none if it was the only one). */
export function pickRegion(picked: readonly string[], name: string, toggle: boolean): string[] {
  if (toggle) return picked.includes(name) ? picked.filter((n) => n !== name) : [...picked, name];
  return picked.length === 1 && picked[0] === name ? [] : [name];
}

export function RegionPicker({ imageId }: { imageId: ImageId }) {
  const names = useAppStore(useShallow((s) => (s.roiImageId === imageId ? s.rois.filter((r) => r.role === 'include').map(regionName) : NONE)));
  const picked = useAppStore((s) => (s.regionSelection?.imageId === imageId ? s.regionSelection.regions : NONE));
  const meta = useAppStore((s) => s.metaByKey);
  const groups = useAppStore(selectAllGroups);
  const blinded = useAppStore((s) => s.blinded);
  const select = useAppStore((s) => s.selectRegions);
  if (!names.length) return null;
  const click = (name: string) => (e: MouseEvent) => select(imageId, pickRegion(picked, name, e.ctrlKey || e.metaKey || e.shiftKey));
  return (
    <div className="region-picker" data-testid="region-picker">
      <div className="wp-head">
        <span>
          {names.length} region{names.length === 1 ? '' : 's'}
        </span>
        <button type="button" className="btn ghost small" aria-pressed={!picked.length} onClick={() => select(imageId, [])} title="Edit the whole image's metadata" data-testid="region-picker-image">
          Whole image
        </button>
      </div>
      <div className="rp-list">
        {names.map((name) => {
          const group = blinded ? undefined : (meta[metaKey(imageId, null, name)]?.group ?? meta[imageId]?.group);
          const on = picked.includes(name);
          return (
            <button
              key={name}
              type="button"
              className={`rp-chip${on ? ' on' : ''}`}
              aria-pressed={on}
              data-region={name}
              style={group ? { ['--group' as string]: groupColor(group, groups) } : undefined}
              onClick={click(name)}
              title={`${name}${group ? ` · ${group}` : ''} — click to describe this region (Ctrl-click for several)`}
            >
              {name}
            </button>
          );
        })}
      </div>
    </div>
  );
}
