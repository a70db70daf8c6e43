/** Multiwell plate layouts and well ids (A1 … H12), for the heat map, the well picker and adding wells. */

export const PLATE_LAYOUTS = [6, 12, 24, 48, 96] as const;
export type PlateLayoutSize = (typeof PLATE_LAYOUTS)[number];

/** Rows × columns of the standard (SBS) layouts. */
export const LAYOUT_GRID: Readonly<Record<PlateLayoutSize, { readonly rows: number; readonly cols: number }>> = {
  6: { rows: 2, cols: 3 },
  12: { rows: 3, cols: 4 },
  24: { rows: 4, cols: 6 },
  48: { rows: 6, cols: 8 },
  96: { rows: 8, cols: 12 },
};

const ROW_LETTERS = 'ABCDEFGHIJKLMNOP';

/** `B3` → { row: 1, col: 2 } (zero-based); null when it is not a well id. */
export function parseWellId(id: string): { row: number; col: number } | null {
  const m = /^([A-P])([1-9]\d?)$/.exec(id);
  if (!m) return null;
  const col = Number(m[2]);
  return col <= 24 ? { row: ROW_LETTERS.indexOf(m[1]!), col: col - 1 } : null;
}

export const wellIdAt = (row: number, col: number): string => `${ROW_LETTERS[row]}${col + 1}`;

export interface PlateGrid {
  readonly rows: number;
  readonly cols: number;
  /** Row letters, top to bottom. */
  readonly rowLabels: readonly string[];
  /** Every well id, row-major (A1, A2, …). */
  readonly ids: readonly string[];
}

export function gridOf(rows: number, cols: number): PlateGrid {
  const rowLabels = [...ROW_LETTERS.slice(0, rows)];
  const ids = rowLabels.flatMap((_, r) => Array.from({ length: cols }, (_x, c) => wellIdAt(r, c)));
  return { rows, cols, rowLabels, ids };
}

/** The smallest standard layout holding these wells (a hint layout first, when it fits); else just big enough. */
export function gridForWells(ids: readonly string[], hint?: number): PlateGrid {
  const cells = ids.map(parseWellId).filter((c): c is { row: number; col: number } => c !== null);
  const needRows = Math.max(1, ...cells.map((c) => c.row + 1));
  const needCols = Math.max(1, ...cells.map((c) => c.col + 1));
  const fits = (l: PlateLayoutSize) => LAYOUT_GRID[l].rows >= needRows && LAYOUT_GRID[l].cols >= needCols;
  const hinted = PLATE_LAYOUTS.find((l) => l === hint);
  const layout = hinted && fits(hinted) ? hinted : PLATE_LAYOUTS.find(fits);
  return layout ? gridOf(LAYOUT_GRID[layout].rows, LAYOUT_GRID[layout].cols) : gridOf(needRows, needCols);
}

/** Well ids of the grid not in `present`, row-major (to offer when adding a well). */
export function missingWells(grid: PlateGrid, present: readonly string[]): string[] {
  const have = new Set(present);
  return grid.ids.filter((id) => !have.has(id));
}

/** Sorts well ids row-major (A1, A2 … A12, B1). */
export function compareWellIds(a: string, b: string): number {
  const pa = parseWellId(a), pb = parseWellId(b);
  if (!pa || !pb) return a.localeCompare(b);
  return pa.row - pb.row || pa.col - pb.col;
}
