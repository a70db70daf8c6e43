/** Left sidebar: the images of this session, with filter, sort, multi-select and removal. */
import { useRef } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { Icon } from '../../components/Icon.js';
import type { SortKey } from '../../state/library-slice.js';
import { selectVisibleImages } from '../../state/selectors.js';
import { useAppStore } from '../../state/use-app-store.js';
import { BlindToggle } from '../metadata/BlindToggle.js';
import { GroupFilter } from '../metadata/GroupFilter.js';
import { MetadataPanel } from '../metadata/MetadataPanel.js';
import { NamePatternDialog } from '../metadata/NamePatternDialog.js';
import { SheetReportDialog } from '../metadata/SheetReportDialog.js';
import { LibraryItem } from './LibraryItem.js';

const SORTS: { key: SortKey; label: string }[] = [
  { key: 'name', label: 'Name' },
  { key: 'pct', label: '%' },
  { key: 'status', label: 'Status' },
  { key: 'group', label: 'Group' },
];

export function LibraryPanel() {
  const images = useAppStore(selectVisibleImages);
  const total = useAppStore((s) => s.images.length);
  const selectedIds = useAppStore((s) => s.selectedIds);
  const currentId = useAppStore((s) => s.currentId);
  const loaded = useAppStore((s) => s.libraryLoaded);
  const busy = useAppStore((s) => s.libraryBusy);
  const { sortKey, sortDesc, filterText } = useAppStore(useShallow((s) => ({ sortKey: s.sortKey, sortDesc: s.sortDesc, filterText: s.filterText })));
  const { setSort, setFilter, removeSelected, selectAll, stepCurrent } = useAppStore(
    useShallow((s) => ({ setSort: s.setSort, setFilter: s.setFilter, removeSelected: s.removeSelected, selectAll: s.selectAll, stepCurrent: s.stepCurrent })),
  );
  const blinded = useAppStore((s) => s.blinded);
  const listRef = useRef<HTMLUListElement>(null);
  const selected = new Set(selectedIds);

  return (
    <aside className="panel library" aria-label="Library">
      <div className="panel-head">
        <h2>
          Images <span className="count">{total}</span>
        </h2>
        {busy ? <span className="spinner" aria-label="Loading" /> : null}
        <BlindToggle />
      </div>
      <div className="lib-tools">
        <label className="search">
          <Icon name="search" size={14} />
          <input type="search" placeholder={blinded ? 'Filter by code' : 'Filter by name or group'} aria-label="Filter images by name" value={filterText} onChange={(e) => setFilter(e.target.value)} />
        </label>
        <div className="lib-sortbar">
          <div className="seg" role="group" aria-label="Sort images">
            {SORTS.filter((o) => !(blinded && o.key === 'group')).map((o) => (
              <button key={o.key} type="button" className={sortKey === o.key ? 'on' : ''} aria-pressed={sortKey === o.key} onClick={() => setSort(o.key)} title={`Sort by ${o.label.toLowerCase()}`}>
                {o.label}
                {sortKey === o.key ? <span className="dir">{sortDesc ? '↓' : '↑'}</span> : null}
              </button>
            ))}
          </div>
          <GroupFilter />
        </div>
      </div>
      <ul
        ref={listRef}
        className="lib-list"
        role="listbox"
        aria-multiselectable="true"
        aria-label="Images"
        tabIndex={0}
        onKeyDown={(e) => {
          if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
            e.preventDefault();
            e.stopPropagation();
            stepCurrent(e.key === 'ArrowDown' ? 1 : -1);
          } else if (e.key === 'a' && (e.ctrlKey || e.metaKey)) {
            e.preventDefault();
            e.stopPropagation();
            selectAll();
          }
        }}
      >
        {images.map((img) => (
          <LibraryItem key={img.id} image={img} selected={selected.has(img.id)} current={img.id === currentId} />
        ))}
        {loaded && total === 0 ? <li className="empty">No images yet. Use Open… or drop files here.</li> : null}
        {total > 0 && images.length === 0 ? <li className="empty">No image matches “{filterText}”.</li> : null}
      </ul>
      <MetadataPanel />
      <div className="panel-foot">
        <span>
          {selectedIds.length} of {total} selected
        </span>
        <button type="button" className="btn ghost small" disabled={!selectedIds.length} onClick={() => void removeSelected()} title="Remove the selected images from the library (files are not touched)">
          <Icon name="trash" size={13} /> Remove
        </button>
      </div>
      <NamePatternDialog />
      <SheetReportDialog />
    </aside>
  );
}
