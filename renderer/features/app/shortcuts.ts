/** Keyboard shortcuts: one table drives both the key handler and the help overlay. */
import type { AppState } from '../../state/app-state.js';
import { redoLast, undoLast } from '../../state/undo-route.js';
import { isBrushTool, stepBrush, type ToolId } from '../../tools/index.js';
import { viewerCommands } from '../../viewer/viewer-commands.js';

export interface Shortcut {
  readonly keys: string;
  readonly label: string;
  readonly group: 'Files' | 'Batch' | 'Viewer' | 'Images' | 'Regions' | 'Help';
  readonly ctrl?: boolean;
  readonly shift?: boolean;
  /** KeyboardEvent.key values (case-insensitive for letters); empty: shown in the help only (handled elsewhere). */
  readonly key: readonly string[];
  /** Also when focus is in a text field. */
  readonly inFields?: boolean;
  run(s: AppState): void;
}

const running = (s: AppState) => s.batch?.state === 'running' || s.batch?.state === 'starting';
const tool = (key: string, id: ToolId, label: string): Shortcut => ({ keys: key, label, group: 'Regions', key: [key.toLowerCase()], run: (s) => s.setActiveTool(id) });

export const SHORTCUTS: readonly Shortcut[] = [
  { keys: 'Ctrl+O', label: 'Open images…', group: 'Files', ctrl: true, key: ['o'], inFields: true, run: (s) => void s.openWithDialog('files') },
  { keys: 'Ctrl+Shift+O', label: 'Open a folder…', group: 'Files', ctrl: true, shift: true, key: ['o'], inFields: true, run: (s) => void s.openWithDialog('folder') },
  { keys: 'Ctrl+L', label: 'Load a recipe file…', group: 'Files', ctrl: true, key: ['l'], inFields: true, run: (s) => void s.loadRecipeFile() },
  { keys: 'Ctrl+S', label: 'Save the recipe…', group: 'Files', ctrl: true, key: ['s'], inFields: true, run: (s) => void s.saveRecipeFile() },
  { keys: 'Ctrl+E', label: 'Export results as CSV', group: 'Files', ctrl: true, key: ['e'], inFields: true, run: (s) => void s.exportCsv() },
  { keys: 'Ctrl+Shift+E', label: 'Export results and overlays to a folder…', group: 'Files', ctrl: true, shift: true, key: ['e'], inFields: true, run: (s) => void s.exportFolder() },
  { keys: 'Ctrl+Enter', label: 'Run the batch on all images', group: 'Batch', ctrl: true, key: ['Enter'], inFields: true, run: (s) => void s.runBatch([]) },
  { keys: 'Ctrl+Shift+Enter', label: 'Run the batch on the selected images', group: 'Batch', ctrl: true, shift: true, key: ['Enter'], inFields: true, run: (s) => void s.runBatch(s.selectedIds) },
  { keys: 'Esc', label: 'Cancel the running batch (once no region is selected)', group: 'Batch', key: ['Escape'], run: (s) => (s.selectedRoiId ? s.selectRoi(null) : running(s) ? void s.cancelBatch() : undefined) },
  { keys: 'O', label: 'Show / hide the overlay', group: 'Viewer', key: ['o'], run: (s) => s.toggleOverlay() },
  { keys: '[  ]', label: 'Overlay opacity − / + (brush size with the brush or eraser)', group: 'Viewer', key: ['[', ']'], run: () => {} },
  { keys: '+  −', label: 'Zoom in / out', group: 'Viewer', key: ['+', '=', '-'], run: () => {} },
  { keys: '0', label: 'Fit the image to the window', group: 'Viewer', key: ['0'], run: () => viewerCommands.fit() },
  { keys: '1', label: 'Actual pixels (1:1)', group: 'Viewer', key: ['1'], run: () => viewerCommands.actualSize() },
  { keys: 'J  ↓', label: 'Next image', group: 'Images', key: ['j', 'ArrowDown'], run: (s) => s.stepCurrent(1) },
  { keys: 'K  ↑', label: 'Previous image', group: 'Images', key: ['k', 'ArrowUp'], run: (s) => s.stepCurrent(-1) },
  { keys: 'Ctrl+A', label: 'Select all images', group: 'Images', ctrl: true, key: ['a'], run: (s) => s.selectAll() },
  tool('V', 'select', 'Select, move, edit vertices'),
  tool('P', 'polygon', 'Polygon'),
  tool('F', 'freehand', 'Freehand lasso'),
  tool('R', 'rectangle', 'Rectangle'),
  tool('E', 'ellipse', 'Ellipse'),
  tool('B', 'brush', 'Brush (adds to the selected region)'),
  tool('X', 'eraser', 'Eraser (removes from the selected region)'),
  { keys: 'I', label: 'New regions: include / exclude', group: 'Regions', key: ['i'], run: (s) => s.setDrawRole(s.drawRole === 'include' ? 'exclude' : 'include') },
  { keys: '[  ]', label: 'Brush / eraser size − / +', group: 'Regions', key: [], run: () => {} },
  { keys: 'Enter', label: 'Close the polygon (or double-click)', group: 'Regions', key: [], run: () => {} },
  { keys: 'Esc', label: 'Cancel the drawing, then deselect', group: 'Regions', key: [], run: () => {} },
  { keys: 'Space', label: 'Hold and drag to pan while drawing (or the middle button)', group: 'Regions', key: [], run: () => {} },
  { keys: 'Del', label: 'Delete the selected region', group: 'Regions', key: ['Delete', 'Backspace'], run: (s) => s.deleteRoi() },
  { keys: 'Ctrl+Z', label: 'Undo (regions, or the wells when edited last)', group: 'Regions', ctrl: true, key: ['z'], run: undoLast },
  { keys: 'Ctrl+Shift+Z', label: 'Redo', group: 'Regions', ctrl: true, shift: true, key: ['z'], run: redoLast },
  { keys: '?', label: 'Show this help', group: 'Help', key: ['?'], run: (s) => s.setHelpOpen(!s.helpOpen) },
];

/** Keys whose action depends on which key of the shortcut was pressed. */
function runVariant(key: string, s: AppState): boolean {
  if ((key === '[' || key === ']') && isBrushTool(s.activeTool)) s.setBrushSize(stepBrush(s.brushSizePx, key === ']' ? 1 : -1));
  else if (key === '[' || key === ']') s.setOverlayOpacity(s.overlayOpacity + (key === ']' ? 0.1 : -0.1));
  else if (key === '+' || key === '=') viewerCommands.zoomIn();
  else if (key === '-') viewerCommands.zoomOut();
  else return false;
  return true;
}

export function findShortcut(e: Pick<KeyboardEvent, 'key' | 'ctrlKey' | 'metaKey' | 'shiftKey' | 'altKey'>, inField: boolean): Shortcut | null {
  if (e.altKey) return null;
  const ctrl = e.ctrlKey || e.metaKey;
  const key = e.key.length === 1 ? e.key.toLowerCase() : e.key;
  return (
    SHORTCUTS.find(
      (sc) =>
        !!sc.ctrl === ctrl &&
        (sc.ctrl ? !!sc.shift === e.shiftKey : true) &&
        sc.key.includes(key) &&
        (!inField || sc.inFields),
    ) ?? null
  );
}

export function runShortcut(sc: Shortcut, key: string, s: AppState): void {
  if (!runVariant(key, s)) sc.run(s);
}
