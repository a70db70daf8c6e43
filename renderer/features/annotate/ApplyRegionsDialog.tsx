/** Copy the current image's regions to other images: added to theirs, or replacing them. */
import { useMemo, useState } from 'react';
import type { ImageId, RoiCopyMode } from '../../../src/common/api.js';
import { Modal } from '../../components/Modal.js';
import { selectCurrentImage, selectVisibleImages } from '../../state/selectors.js';
import { useAppStore } from '../../state/use-app-store.js';
import { ImageName } from '../metadata/ImageName.js';

export function ApplyRegionsDialog({ onClose }: { onClose(): void }) {
  const current = useAppStore(selectCurrentImage);
  const images = useAppStore(selectVisibleImages);
  const selectedIds = useAppStore((s) => s.selectedIds);
  const count = useAppStore((s) => s.rois.length);
  const apply = useAppStore((s) => s.applyRoisTo);
  const candidates = useMemo(() => images.filter((i) => i.id !== current?.id && !i.error), [images, current]);
  const [chosen, setChosen] = useState<ReadonlySet<ImageId>>(() => new Set(selectedIds.filter((id) => id !== current?.id)));
  const [mode, setMode] = useState<RoiCopyMode>('append');
  const [busy, setBusy] = useState(false);
  const toggle = (id: ImageId) => setChosen((s) => (s.has(id) ? new Set([...s].filter((x) => x !== id)) : new Set([...s, id])));
  const all = candidates.length > 0 && candidates.every((i) => chosen.has(i.id));
  const footer = (
    <>
      <span className="fb-summary">Regions are clipped to each image; their ids are new.</span>
      <button type="button" className="btn" onClick={onClose}>
        Cancel
      </button>
      <button
        type="button"
        className="btn primary"
        disabled={!chosen.size || busy}
        data-testid="apply-confirm"
        onClick={async () => {
          setBusy(true);
          const ok = await apply([...chosen], mode);
          setBusy(false);
          if (ok) onClose();
        }}
      >
        {mode === 'replace' ? 'Replace' : 'Copy'} on {chosen.size} image{chosen.size === 1 ? '' : 's'}
      </button>
    </>
  );
  return (
    <Modal title="Copy regions to other images" onClose={onClose} className="apply-regions" footer={footer}>
      <p className="ar-what">
        The {count} region{count === 1 ? '' : 's'} of <b>{current ? <ImageName image={current} /> : null}</b>, in full-resolution pixel coordinates.
      </p>
      <div className="seg wide" role="radiogroup" aria-label="How">
        <button type="button" role="radio" aria-checked={mode === 'append'} className={mode === 'append' ? 'on' : ''} onClick={() => setMode('append')}>
          Add to their regions
        </button>
        <button type="button" role="radio" aria-checked={mode === 'replace'} className={mode === 'replace' ? 'on' : ''} onClick={() => setMode('replace')} data-testid="apply-replace">
          Replace their regions
        </button>
      </div>
      <label className="check ar-all">
        <input type="checkbox" checked={all} onChange={() => setChosen(all ? new Set() : new Set(candidates.map((i) => i.id)))} /> All {candidates.length} other images
      </label>
      <ul className="ar-list" aria-label="Images">
        {candidates.map((i) => (
          <li key={i.id}>
            <label className="check">
              <input type="checkbox" checked={chosen.has(i.id)} onChange={() => toggle(i.id)} data-name={i.displayName} />
              <span className="ar-name">
                <ImageName image={i} />
              </span>
              <span className="ar-dims">{i.widthPx} × {i.heightPx}</span>
            </label>
          </li>
        ))}
      </ul>
      {mode === 'replace' ? <p className="hint warn-text">Their current regions are deleted. This cannot be undone.</p> : null}
    </Modal>
  );
}
