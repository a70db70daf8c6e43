/**
 * Ctrl+Z / Ctrl+Shift+Z (and Edit › Undo / Redo): undo what was touched last on the current image
 * (edited, undone or redone) — its plate wells when that was a well, else its regions.
 */
import type { AppState } from './app-state.js';

export function undoLast(s: AppState): void {
  const id = s.currentId;
  if (s.undoTarget === 'wells' && id && s.wellUndo[id]?.length) void s.undoWells(id);
  else s.undoRois();
}

export function redoLast(s: AppState): void {
  const id = s.currentId;
  if (s.undoTarget === 'wells' && id && s.wellRedo[id]?.length) void s.redoWells(id);
  else s.redoRois();
}
