/** Whether everything is on disk: saved, saving…, not saved (a session), or autosave failed. */
import { useAppStore } from '../../state/use-app-store.js';

export function SaveStatus() {
  const project = useAppStore((s) => s.project);
  const roiSave = useAppStore((s) => s.roiSave);
  const saveError = useAppStore((s) => s.projectSaveError);
  const failed = saveError ?? (roiSave.kind === 'error' ? roiSave.message : null);
  const [kind, text, title] = failed
    ? ['error', 'not saved', failed]
    : roiSave.kind === 'saving'
      ? ['saving', 'saving…', 'Saving the latest change…']
      : project
        ? ['saved', 'saved', `Every change is saved automatically in ${project.dir}`]
        : ['session', 'in memory only', 'Not a project: regions are kept only while Calciquant runs. Save as a project to keep them on disk.'];
  return (
    <span className={`save-status ${kind}`} title={title} data-testid="save-status" data-state={kind}>
      {kind === 'saving' ? <span className="spinner" aria-hidden /> : <span className="ss-dot" aria-hidden />}
      {text}
    </span>
  );
}
