/** One line under the image: what the active tool does, and which role new regions get. */
import { roiById } from '../../tools/hit-test.js';
import { toolInfo } from '../../tools/index.js';
import { isVertexEditable } from '../../tools/select.js';
import { useAppStore } from '../../state/use-app-store.js';
import { roiDisplayName } from '../../viewer/roi-style.js';

export function ToolHint() {
  const tool = useAppStore((s) => s.activeTool);
  const role = useAppStore((s) => s.drawRole);
  const loading = useAppStore((s) => s.roisLoading);
  const target = useAppStore((s) => {
    const r = roiById(s.rois, s.selectedRoiId);
    return r ? roiDisplayName(r, s.rois) : null;
  });
  const targetRole = useAppStore((s) => roiById(s.rois, s.selectedRoiId)?.role ?? null);
  const targetEditable = useAppStore((s) => {
    const r = roiById(s.rois, s.selectedRoiId);
    return !!r && isVertexEditable(r);
  });
  const info = toolInfo(tool);
  // The select tool is the resting state: say something only about a selected region.
  if (tool === 'select' && !target && !loading) return null;
  let what = info.hint;
  if (tool === 'select' && target) what = `“${target}” selected: drag to move${targetEditable ? ', drag a vertex to reshape (Alt-click removes it, double-click an edge adds one)' : ''}. Del deletes, Esc deselects.`;
  if (tool === 'brush') what = target && targetRole === role ? `Paint to add to “${target}”. Esc deselects to paint a new region.` : `Paint a new ${role} region.`;
  if (tool === 'eraser') what = target ? `Paint to remove from “${target}”.` : 'Paint to remove from every region under the stroke.';
  return (
    <div className="tool-hint" data-testid="tool-hint" aria-live="polite">
      <span className="th-tool">{info.label}</span>
      <span className="th-text">{loading ? 'Loading regions…' : what}</span>
      {tool !== 'select' && tool !== 'eraser' ? <span className={`th-role ${role}`}>{role === 'include' ? 'include' : 'exclude'}</span> : null}
    </div>
  );
}
