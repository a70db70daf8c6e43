/** The annotation tools by id, with what the toolbar and the help show for them. */
import { createBrushTool } from './brush.js';
import { createFreehandTool } from './freehand.js';
import { createPolygonTool } from './polygon.js';
import { createSelectTool } from './select.js';
import { createShapeTool } from './shape.js';
import type { Tool, ToolId } from './types.js';

export { TOOL_IDS, isBrushTool, type Tool, type ToolContext, type ToolId, type ToolPointer, type ToolSketch } from './types.js';

export function createTool(id: ToolId): Tool {
  switch (id) {
    case 'select':
      return createSelectTool();
    case 'polygon':
      return createPolygonTool();
    case 'freehand':
      return createFreehandTool();
    case 'rectangle':
    case 'ellipse':
      return createShapeTool(id);
    case 'brush':
      return createBrushTool('paint');
    case 'eraser':
      return createBrushTool('erase');
  }
}

export interface ToolInfo {
  readonly id: ToolId;
  readonly label: string;
  /** The key that picks it (also in the shortcut table). */
  readonly key: string;
  /** How to use it, shown under the toolbar while it is active. */
  readonly hint: string;
}

export const TOOL_INFO: readonly ToolInfo[] = [
  { id: 'select', label: 'Select and move', key: 'V', hint: 'Click a region to select it, drag to move it. Drag a vertex to reshape, Alt-click removes it, double-click an edge adds one. Drag empty image to pan.' },
  { id: 'polygon', label: 'Polygon', key: 'P', hint: 'Click to add points. Double-click, Enter or click the first point to close. Backspace removes the last point, Esc cancels.' },
  { id: 'freehand', label: 'Freehand lasso', key: 'F', hint: 'Press and draw around the area; release to close it. Esc cancels.' },
  { id: 'rectangle', label: 'Rectangle', key: 'R', hint: 'Drag from corner to corner. Shift: square, Alt: from the centre.' },
  { id: 'ellipse', label: 'Ellipse', key: 'E', hint: 'Drag across the ellipse’s box. Shift: circle, Alt: from the centre.' },
  { id: 'brush', label: 'Brush', key: 'B', hint: 'Paint to add to the selected region of this role, or to paint a new one. [ and ] change the size.' },
  { id: 'eraser', label: 'Eraser', key: 'X', hint: 'Paint to remove from the selected region (from all regions when none is selected). [ and ] change the size.' },
];

export const toolInfo = (id: ToolId): ToolInfo => TOOL_INFO.find((t) => t.id === id)!;

/** Brush diameter limits and steps (screen px). */
export const BRUSH_MIN_PX = 4;
export const BRUSH_MAX_PX = 400;
export const BRUSH_DEFAULT_PX = 40;
export function stepBrush(px: number, dir: 1 | -1): number {
  const next = dir > 0 ? Math.max(px + 1, px * 1.25) : Math.min(px - 1, px / 1.25);
  return Math.round(Math.min(BRUSH_MAX_PX, Math.max(BRUSH_MIN_PX, next)));
}
