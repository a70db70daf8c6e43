/** Library filter by group (hidden while blinded). */
import { selectAllGroups } from '../../state/metadata-selectors.js';
import { useAppStore } from '../../state/use-app-store.js';

const NONE = '\u0000none';
const ALL = '\u0000all';

export function GroupFilter() {
  const groups = useAppStore(selectAllGroups);
  const filter = useAppStore((s) => s.groupFilter);
  const setFilter = useAppStore((s) => s.setGroupFilter);
  const blinded = useAppStore((s) => s.blinded);
  if (blinded || (!groups.length && filter === null)) return null;
  return (
    <select
      className="group-filter"
      aria-label="Show images of a group"
      data-testid="group-filter"
      value={filter === null ? ALL : filter === '' ? NONE : filter}
      onChange={(e) => setFilter(e.target.value === ALL ? null : e.target.value === NONE ? '' : e.target.value)}
    >
      <option value={ALL}>All groups</option>
      {groups.map((g) => (
        <option key={g} value={g}>
          {g}
        </option>
      ))}
      <option value={NONE}>No group</option>
    </select>
  );
}
