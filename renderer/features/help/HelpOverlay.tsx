/** `?`: every keyboard shortcut, grouped. */
import { Modal } from '../../components/Modal.js';
import { useAppStore } from '../../state/use-app-store.js';
import { SHORTCUTS } from '../app/shortcuts.js';

const GROUPS = ['Files', 'Batch', 'Images', 'Viewer', 'Regions', 'Help'] as const;

export function HelpOverlay() {
  const open = useAppStore((s) => s.helpOpen);
  const setOpen = useAppStore((s) => s.setHelpOpen);
  const version = useAppStore((s) => s.appInfo?.version);
  if (!open) return null;
  return (
    <Modal title="Keyboard shortcuts" onClose={() => setOpen(false)} className="help">
      <div className="help-grid">
        {GROUPS.map((g) => (
          <div key={g} className="help-group">
            <h3>{g}</h3>
            <dl>
              {SHORTCUTS.filter((s) => s.group === g).map((s) => (
                <div key={s.keys + s.label} className="help-row">
                  <dt>
                    {s.keys.split(/\s{2}/).map((k) => (
                      <kbd key={k}>{k}</kbd>
                    ))}
                  </dt>
                  <dd>{s.label}</dd>
                </div>
              ))}
            </dl>
          </div>
        ))}
      </div>
      <p className="help-foot">
        Mouse: scroll to zoom, drag to pan, double-click to zoom in. Click, Ctrl-click and Shift-click select images. Calciquant {version ?? ''} · overlay colours: sky blue outline, yellow mineral (colour-blind safe).
      </p>
    </Modal>
  );
}
