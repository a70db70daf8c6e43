/** The annotation tools at the left edge of the viewer: tools, role of new regions, brush size, undo / redo. */
import type { RoiRole } from '../../../src/common/roi.js';
import { BRUSH_MAX_PX, BRUSH_MIN_PX, isBrushTool, TOOL_INFO, type ToolId } from '../../tools/index.js';
import { useAppStore } from '../../state/use-app-store.js';
import { ToolIcon } from './ToolIcon.js';
import './annotate.css';

const GROUPS: readonly (readonly ToolId[])[] = [['select'], ['polygon', 'freehand', 'rectangle', 'ellipse'], ['brush', 'eraser']];
const ROLE_TITLE: Record<RoiRole, string> = {
  include: 'New regions are measured (include) — I toggles',
  exclude: 'New regions are left out of the measurement (exclude) — I toggles',
};

export function ToolPalette() {
  const tool = useAppStore((s) => s.activeTool);
  const setTool = useAppStore((s) => s.setActiveTool);
  const role = useAppStore((s) => s.drawRole);
  const setRole = useAppStore((s) => s.setDrawRole);
  const brush = useAppStore((s) => s.brushSizePx);
  const setBrush = useAppStore((s) => s.setBrushSize);
  const canUndo = useAppStore((s) => !!s.roiImageId && (s.roiHistory[s.roiImageId]?.undo.length ?? 0) > 0);
  const canRedo = useAppStore((s) => !!s.roiImageId && (s.roiHistory[s.roiImageId]?.redo.length ?? 0) > 0);
  const undo = useAppStore((s) => s.undoRois);
  const redo = useAppStore((s) => s.redoRois);
  return (
    <div className="tool-palette" role="toolbar" aria-orientation="vertical" aria-label="Annotation tools" data-testid="tool-palette">
      {GROUPS.map((group, gi) => (
        <div key={gi} className="tp-group">
          {group.map((id) => {
            const info = TOOL_INFO.find((t) => t.id === id)!;
            return (
              <button
                key={id}
                type="button"
                className={`tool-btn${tool === id ? ' on' : ''}`}
                aria-pressed={tool === id}
                aria-label={info.label}
                title={`${info.label} (${info.key})`}
                data-tool={id}
                onClick={() => setTool(id)}
              >
                <ToolIcon name={id} />
              </button>
            );
          })}
        </div>
      ))}
      <div className="tp-group" role="radiogroup" aria-label="Role of new regions">
        {(['include', 'exclude'] as const).map((r) => (
          <button key={r} type="button" role="radio" aria-checked={role === r} className={`tool-btn role-btn ${r}${role === r ? ' on' : ''}`} title={ROLE_TITLE[r]} aria-label={r === 'include' ? 'Include' : 'Exclude'} data-role={r} onClick={() => setRole(r)}>
            <span className="role-chip" aria-hidden>
              <ToolIcon name={r} size={12} />
            </span>
          </button>
        ))}
      </div>
      <div className="tp-group">
        <button type="button" className="tool-btn" disabled={!canUndo} onClick={undo} title="Undo (Ctrl+Z)" aria-label="Undo" data-testid="roi-undo">
          <ToolIcon name="undo" />
        </button>
        <button type="button" className="tool-btn" disabled={!canRedo} onClick={redo} title="Redo (Ctrl+Shift+Z)" aria-label="Redo" data-testid="roi-redo">
          <ToolIcon name="redo" />
        </button>
      </div>
      {isBrushTool(tool) ? (
        <div className="brush-size" title="Brush size on screen ([ and ])">
          <span className="bs-ring" style={{ width: Math.min(26, brush / 4 + 6), height: Math.min(26, brush / 4 + 6) }} aria-hidden />
          <input type="range" min={BRUSH_MIN_PX} max={BRUSH_MAX_PX} step={1} value={brush} aria-label="Brush size" data-testid="brush-size" onChange={(e) => setBrush(Number(e.target.value))} />
          <span className="bs-value">{brush} px</span>
        </div>
      ) : null}
    </div>
  );
}
