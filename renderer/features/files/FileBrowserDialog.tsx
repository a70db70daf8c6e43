/**
 * The in-app file browser (built on listDirectory): pick files and/or a folder, one file, or a
 * place to save. Mouse: click selects (Ctrl/Shift-click add), double-click opens a folder or
 * picks a file. Keyboard: ↑/↓ move, Enter opens the folder / picks, Space selects, Backspace goes up.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { DirectoryListing } from '../../../src/common/api.js';
import { toAppError } from '../../../src/common/errors.js';
import type { PickOptions } from '../../api/types.js';
import { formatBytes } from '../../components/format.js';
import { Icon } from '../../components/Icon.js';
import { Modal } from '../../components/Modal.js';
import { useClient } from '../../state/use-app-store.js';
import { answer, isSelectable, primaryLabel, toggle, visibleEntries, type Entry } from './file-browser-model.js';

let lastDir = '';

export function FileBrowserDialog({ options, onDone }: { options: PickOptions; onDone(paths: string[] | null): void }) {
  const client = useClient();
  const kind = options.kind;
  const [listing, setListing] = useState<DirectoryListing | null>(null);
  const [pathText, setPathText] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [selected, setSelected] = useState<string[]>([]);
  const [focus, setFocus] = useState(0);
  const [saveName, setSaveName] = useState(options.defaultName ?? '');
  const listRef = useRef<HTMLUListElement>(null);
  const entries = visibleEntries(listing, kind, options.extensions);

  // Only the latest navigation counts: a slow first listing must not replace a folder typed meanwhile.
  const navSeq = useRef(0);
  const go = useCallback(
    async (dir: string): Promise<boolean> => {
      const seq = ++navSeq.current;
      try {
        const l = await client.core.listDirectory(dir);
        if (seq !== navSeq.current) return true;
        setListing(l);
        setPathText(l.path);
        setSelected([]);
        setFocus(0);
        setError(null);
        lastDir = l.path;
        return true;
      } catch (e) {
        if (seq === navSeq.current) setError(toAppError(e).userMessage);
        return false;
      }
    },
    [client],
  );
  useEffect(() => {
    // the last folder may be gone (moved, unmounted): then start at home
    void go(lastDir)
      .then((ok) => ok || !lastDir || go(''))
      .then(() => listRef.current?.focus());
  }, [go]);

  const result = answer(kind, listing?.path ?? null, selected, saveName);
  const finish = (paths: string[] | null) => onDone(paths);

  const activate = (e: Entry) => {
    if (e.kind === 'dir') return void go(e.path);
    if (kind === 'openFile' || (kind === 'files' && isSelectable(e, kind))) finish([e.path]);
    else if (kind === 'saveFile') setSaveName(e.name);
  };
  const pick = (e: Entry, multi: boolean) => {
    if (kind === 'saveFile') return e.kind === 'dir' ? undefined : setSaveName(e.name);
    if (isSelectable(e, kind)) setSelected((sel) => toggle(sel, e.path, multi && kind === 'files'));
  };

  const onListKey = (ev: React.KeyboardEvent) => {
    const e = entries[focus];
    const move = (to: number) => {
      ev.preventDefault();
      const i = Math.max(0, Math.min(entries.length - 1, to));
      setFocus(i);
      listRef.current?.querySelector(`[data-index="${i}"]`)?.scrollIntoView({ block: 'nearest' });
    };
    if (ev.key === 'ArrowDown') move(focus + 1);
    else if (ev.key === 'ArrowUp') move(focus - 1);
    else if (ev.key === 'Home') move(0);
    else if (ev.key === 'End') move(entries.length - 1);
    else if (ev.key === 'PageDown') move(focus + 10);
    else if (ev.key === 'PageUp') move(focus - 10);
    else if (ev.key === ' ' && e) {
      ev.preventDefault();
      pick(e, true);
    } else if (ev.key === 'Enter' && e) {
      ev.preventDefault();
      activate(e);
    } else if ((ev.key === 'Backspace' || (ev.key === 'ArrowLeft' && ev.altKey)) && listing?.parent) {
      ev.preventDefault();
      void go(listing.parent);
    }
  };

  const nSel = selected.length;
  const footer = (
    <>
      <span className="fb-summary">
        {kind === 'files' && nSel ? `${nSel} selected (folders are opened with all their images)` : kind === 'files' ? 'Select images or folders, or open the whole folder.' : null}
      </span>
      <button type="button" className="btn" onClick={() => finish(null)}>
        Cancel
      </button>
      <button type="button" className="btn primary" disabled={!result} onClick={() => result && finish(result)} data-testid="fb-confirm">
        {primaryLabel(kind, nSel)}
      </button>
    </>
  );

  return (
    <Modal title={options.title ?? (kind === 'saveFile' ? 'Save as' : 'Open')} onClose={() => finish(null)} className="file-browser" footer={footer}>
      <div className="fb-bar">
        <button type="button" className="icon-btn" aria-label="Parent folder" title="Parent folder (Backspace)" disabled={!listing?.parent} onClick={() => listing?.parent && void go(listing.parent)}>
          <Icon name="up" />
        </button>
        <button type="button" className="icon-btn" aria-label="Home folder" title="Home folder" onClick={() => void go('')}>
          <Icon name="home" />
        </button>
        <input
          className="fb-path"
          aria-label="Folder path"
          data-testid="fb-path"
          value={pathText}
          onChange={(e) => setPathText(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter') {
              e.preventDefault();
              void go(pathText);
            }
          }}
        />
      </div>
      {error ? (
        <div className="inline-error" role="alert">
          {error}
        </div>
      ) : null}
      <ul
        ref={listRef}
        className="fb-list"
        role="listbox"
        aria-multiselectable={kind === 'files'}
        aria-label="Folder content"
        tabIndex={0}
        aria-activedescendant={entries[focus] ? `fb-${focus}` : undefined}
        onKeyDown={onListKey}
      >
        {entries.map((e, i) => {
          const sel = selected.includes(e.path);
          const dim = !isSelectable(e, kind) && e.kind !== 'dir';
          return (
            <li
              key={e.path}
              id={`fb-${i}`}
              data-index={i}
              data-name={e.name}
              role="option"
              aria-selected={sel}
              className={`${sel ? 'selected' : ''}${i === focus ? ' focus' : ''}${dim ? ' dim' : ''}`}
              onClick={(ev) => {
                setFocus(i);
                pick(e, ev.ctrlKey || ev.metaKey || ev.shiftKey);
              }}
              onDoubleClick={() => activate(e)}
            >
              <Icon name={e.kind === 'dir' ? 'folder' : e.kind === 'image' ? 'image' : 'files'} size={15} />
              <span className="fb-name">{e.name}</span>
              <span className="fb-size">{e.kind === 'dir' ? '' : e.sizeBytes != null ? formatBytes(e.sizeBytes) : ''}</span>
            </li>
          );
        })}
        {listing && !entries.length ? <li className="empty">{kind === 'folder' ? 'No sub-folders here.' : options.extensions?.length ? `No ${options.extensions.map((x) => `.${x}`).join(' / ')} files or folders here.` : kind === 'files' ? 'No images or folders here.' : 'No files or folders here.'}</li> : null}
      </ul>
      {kind === 'saveFile' ? (
        <label className="field fb-save">
          <span>File name</span>
          <input value={saveName} onChange={(e) => setSaveName(e.target.value)} aria-label="File name" />
        </label>
      ) : null}
    </Modal>
  );
}
