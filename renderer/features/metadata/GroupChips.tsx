/** The group(s) of an image in the library: one chip per group, coloured like the study charts. */
import { useShallow } from 'zustand/react/shallow';
import type { ImageId } from '../../../src/common/api.js';
import { groupColor, groupsOfImage } from '../../state/metadata-model.js';
import { selectAllGroups } from '../../state/metadata-selectors.js';
import { selectWellMetaImages } from '../../state/selectors.js';
import { useAppStore } from '../../state/use-app-store.js';

const MAX_CHIPS = 3;

export function GroupChips({ imageId }: { imageId: ImageId }) {
  const groups = useAppStore(useShallow((s) => (s.blinded ? [] : groupsOfImage(s.metaByKey, imageId, selectWellMetaImages(s)))));
  const all = useAppStore(selectAllGroups);
  if (!groups.length) return null;
  const shown = groups.slice(0, MAX_CHIPS);
  return (
    <div className="group-chips" data-groups={groups.join('|')} title={groups.length > 1 ? `Groups of its wells: ${groups.join(', ')}` : `Group: ${groups[0]}`}>
      {shown.map((g) => (
        <span key={g} className="group-chip" style={{ ['--group' as string]: groupColor(g, all) }}>
          {g}
        </span>
      ))}
      {groups.length > MAX_CHIPS ? <span className="group-chip more">+{groups.length - MAX_CHIPS}</span> : null}
    </div>
  );
}
