/** New project: a name and a place; the folder `<place>/<name>.mineral` is created and autosaved into. */
import { useState } from 'react';
import { Modal } from '../../components/Modal.js';
import { projectDirFor } from '../../state/project-slice.js';
import { useAppStore, useClient } from '../../state/use-app-store.js';

export function NewProjectDialog({ onClose }: { onClose(): void }) {
  const client = useClient();
  const create = useAppStore((s) => s.createProject);
  const busy = useAppStore((s) => s.projectBusy);
  const images = useAppStore((s) => s.images.filter((i) => !i.error).length);
  const reportError = useAppStore((s) => s.reportError);
  const [name, setName] = useState('');
  const [parent, setParent] = useState<string | null>(null);
  const dir = parent && name.trim() ? projectDirFor(parent, name) : null;
  const choose = async () => {
    try {
      const picked = (await client.pickPaths({ kind: 'folder', title: 'Where to create the project folder' }))?.[0];
      if (picked) setParent(picked);
    } catch (e) {
      reportError(e);
    }
  };
  const footer = (
    <>
      <button type="button" className="btn" onClick={onClose}>
        Cancel
      </button>
      <button type="button" className="btn primary" disabled={!dir || busy} onClick={() => dir && void create(dir, name.trim())} data-testid="project-create">
        Create project
      </button>
    </>
  );
  return (
    <Modal title="New project" onClose={onClose} className="new-project" footer={footer}>
      <label className="field">
        <span>Name</span>
        <input
          autoFocus
          value={name}
          maxLength={200}
          placeholder="e.g. Aorta VK 2024"
          onChange={(e) => setName(e.target.value)}
          onKeyDown={(e) => e.key === 'Enter' && dir && void create(dir, name.trim())}
          data-testid="project-name-input"
        />
      </label>
      <div className="field">
        <span>Location</span>
        <div className="np-location">
          <span className={`np-path${parent ? '' : ' missing'}`} title={parent ?? ''}>
            {parent ?? 'No folder chosen'}
          </span>
          <button type="button" className="btn small" onClick={() => void choose()} data-testid="project-location">
            Choose…
          </button>
        </div>
      </div>
      <p className="hint">
        {dir ? (
          <>
            Creates <code>{dir}</code>.{' '}
          </>
        ) : null}
        {images ? `The ${images} image${images === 1 ? '' : 's'} of this session and their regions go into the project. ` : ''}
        Images are referenced by path and checksum, never copied or changed; every change is saved automatically.
      </p>
    </Modal>
  );
}
