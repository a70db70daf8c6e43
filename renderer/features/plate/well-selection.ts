/** Picking wells of a plate (for metadata): click, Ctrl-click, Shift-click (rectangle), rows and columns. */
import { parseWellId } from './plate-layout.js';

export type PickMode = 'only' | 'toggle' | 'range';

/** The selection after a click on `id` (`anchor`: the last clicked well, for Shift). */
export function pickWells(current: readonly string[], id: string, mode: PickMode, anchor: string | null, all: readonly string[]): string[] {
  if (mode === 'toggle') return current.includes(id) ? current.filter((w) => w !== id) : [...current, id];
  if (mode === 'range' && anchor) {
    const a = parseWellId(anchor), b = parseWellId(id);
    if (a && b) {
      const [r0, r1] = [Math.min(a.row, b.row), Math.max(a.row, b.row)];
      const [c0, c1] = [Math.min(a.col, b.col), Math.max(a.col, b.col)];
      return all.filter((w) => {
        const p = parseWellId(w);
        return !!p && p.row >= r0 && p.row <= r1 && p.col >= c0 && p.col <= c1;
      });
    }
  }
  return [id];
}

/** Every well of a row (letter) or a column (number) among `all`; toggled as a whole when `add`. */
export function pickLine(current: readonly string[], line: { row?: number; col?: number }, all: readonly string[], add: boolean): string[] {
  const inLine = all.filter((w) => {
    const p = parseWellId(w);
    return !!p && (line.row === undefined || p.row === line.row) && (line.col === undefined || p.col === line.col);
  });
  if (!add) return inLine;
  const allIn = inLine.every((w) => current.includes(w));
  return allIn ? current.filter((w) => !inLine.includes(w)) : [...new Set([...current, ...inLine])];
}
