/** The project in the top bar: its name and save status, a menu (new, open, relink, close), missing images and autosave failures. */
import { useEffect, useRef, useState } from 'react';
import { Icon } from '../../components/Icon.js';
import { useAppStore } from '../../state/use-app-store.js';
import { NewProjectDialog } from './NewProjectDialog.js';
import { SaveStatus } from './SaveStatus.js';
import './project.css';

export function ProjectMenu() {
  const project = useAppStore((s) => s.project);
  const busy = useAppStore((s) => s.projectBusy);
  const saveError = useAppStore((s) => s.projectSaveError);
  const newOpen = useAppStore((s) => s.newProjectOpen);
  const setNewOpen = useAppStore((s) => s.setNewProjectOpen);
  const openProject = useAppStore((s) => s.openProjectWithDialog);
  const closeProject = useAppStore((s) => s.closeProject);
  const relink = useAppStore((s) => s.relinkWithDialog);
  const dismiss = useAppStore((s) => s.setProjectSaveError);
  const [open, setOpen] = useState(false);
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!open) return;
    const away = (e: PointerEvent) => !ref.current?.contains(e.target as Node) && setOpen(false);
    const esc = (e: KeyboardEvent) => e.key === 'Escape' && (e.stopPropagation(), setOpen(false));
    window.addEventListener('pointerdown', away, true);
    window.addEventListener('keydown', esc, true);
    return () => {
      window.removeEventListener('pointerdown', away, true);
      window.removeEventListener('keydown', esc, true);
    };
  }, [open]);
  const act = (f: () => unknown) => () => {
    setOpen(false);
    void f();
  };
  const missing = project?.missingCount ?? 0;
  return (
    <div className="project-menu" ref={ref}>
      <button type="button" className={`btn ghost project-chip${open ? ' open' : ''}`} aria-haspopup="menu" aria-expanded={open} onClick={() => setOpen(!open)} title={project ? project.dir : 'Regions are kept while the app runs. Create a project to save them.'} data-testid="project-menu">
        <Icon name={project ? 'folder' : 'files'} size={15} />
        <span className="pj-name" data-testid="project-name">{project ? project.name : 'Session'}</span>
        {busy ? <span className="spinner" aria-label="Working" /> : <SaveStatus />}
        <span className="pj-caret" aria-hidden>▾</span>
      </button>
      {missing ? (
        <button type="button" className="btn small warn-btn" onClick={() => void relink()} title="Images of the project were not found where they were. Choose the folder they are in now." data-testid="relink-missing">
          <Icon name="alert" size={13} /> {missing} missing · Relink…
        </button>
      ) : null}
      {saveError ? (
        <div className="save-warning" role="alert" title={saveError} data-testid="save-warning">
          <Icon name="alert" size={13} />
          <span>Autosave failed: {saveError}</span>
          <button type="button" className="icon-btn" aria-label="Dismiss" onClick={() => dismiss(null)}>
            ✕
          </button>
        </div>
      ) : null}
      {open ? (
        <div className="pj-menu" role="menu" aria-label="Project">
          <div className="pj-where">{project ? <>Saved automatically in <code>{project.dir}</code></> : 'Nothing is saved to disk yet: the regions of this session are lost when Calciquant closes.'}</div>
          <button type="button" role="menuitem" onClick={act(() => setNewOpen(true))} data-testid="project-new">
            <Icon name="save" size={14} /> {project ? 'New project…' : 'Save as a new project…'}
          </button>
          <button type="button" role="menuitem" onClick={act(openProject)} data-testid="project-open">
            <Icon name="open" size={14} /> Open project…
          </button>
          <button type="button" role="menuitem" disabled={!project} onClick={act(relink)} data-testid="project-relink">
            <Icon name="retry" size={14} /> Relink missing images…{missing ? ` (${missing})` : ''}
          </button>
          <button type="button" role="menuitem" disabled={!project} onClick={act(closeProject)} data-testid="project-close">
            <Icon name="close" size={14} /> Close project
          </button>
        </div>
      ) : null}
      {newOpen ? <NewProjectDialog onClose={() => setNewOpen(false)} /> : null}
    </div>
  );
}
