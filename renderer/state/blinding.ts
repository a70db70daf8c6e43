/**
 * Blinded mode outside the library: the results table, the problems list and error messages show
 * each image's neutral code instead of its name (messages quote file names), in code order.
 */
import type { ImageEntry, ImageId } from '../../src/common/api.js';
import type { AppState } from './app-state.js';
import type { BatchRow } from './batch-slice.js';
import { selectBlindCodes } from './metadata-selectors.js';
import { memoSelector, selectFailedRows, selectSortedRows } from './selectors.js';

/** What stands for an image whose code is unknown (a row of a file not in the library). */
export const UNKNOWN_CODE = '····';

const baseName = (p: string) => p.slice(p.search(/[^\\/]*$/));

/** The ways a message may name an image: full path, library name, file name (longest first). */
export function namesOf(image: Pick<ImageEntry, 'path' | 'displayName'>): string[] {
  return [...new Set([image.path, image.displayName, baseName(image.displayName), baseName(image.path)])].filter((n) => n.length > 0).sort((a, b) => b.length - a.length);
}

/** `text` with every occurrence of `names` replaced by `code`. */
export function redactNames(text: string, names: readonly string[], code: string): string {
  return names.reduce((t, n) => t.split(n).join(code), text);
}

/** One row as shown while blinded: the code as image name, names in messages replaced. */
export function blindRow(row: BatchRow, code: string, names: readonly string[]): BatchRow {
  const r = row.result;
  const hide = (t: string) => redactNames(t, [...names, r.image, baseName(r.image)], code);
  return {
    ...row,
    result: {
      ...r,
      image: code,
      error: r.error === null ? null : hide(r.error),
      warnings: r.warnings.map(hide),
    },
  };
}

/**
 * Rows with codes instead of names. Unless another column sorts them, images come in code order
 * (random, stable), each image's region / well rows right under it.
 */
export function blindRows(rows: readonly BatchRow[], codes: ReadonlyMap<string, string>, images: readonly ImageEntry[], keepOrder: boolean): BatchRow[] {
  const byId = new Map(images.map((i) => [i.id as string, i]));
  const groups: BatchRow[][] = [];
  for (const row of rows) {
    const img = row.imageId ? byId.get(row.imageId) : undefined;
    const shown = blindRow(row, (row.imageId && codes.get(row.imageId)) || UNKNOWN_CODE, img ? namesOf(img) : []);
    (row.detail && groups.length ? groups[groups.length - 1]! : (groups[groups.length] = [])).push(shown);
  }
  if (!keepOrder) groups.sort((a, b) => (a[0]!.result.image < b[0]!.result.image ? -1 : a[0]!.result.image > b[0]!.result.image ? 1 : 0));
  return groups.flat();
}

/** The results table's rows: sorted, and blinded when the review is. */
export const selectShownRows = memoSelector(
  (s) => [selectSortedRows(s), s.blinded, selectBlindCodes(s), s.images, s.resultsSort],
  (rows, blinded, codes, images, sort): readonly BatchRow[] => {
    if (!blinded) return rows;
    const byCode = !sort.column || sort.column === 'image';
    const out = blindRows(rows, codes, images, !byCode);
    return byCode && sort.desc ? reverseGroups(out) : out;
  },
);

/** The problems list's rows, blinded when the review is. */
export const selectShownFailedRows = memoSelector(
  (s) => [selectFailedRows(s), s.blinded, selectBlindCodes(s), s.images],
  (rows, blinded, codes, images): readonly BatchRow[] => (blinded ? blindRows(rows, codes, images, false) : rows),
);

/** A message about image `id` as the user may see it (names replaced by the code while blinded). */
export const selectShownMessage = (id: ImageId, text: string | null) => (s: AppState): string | null => {
  if (!text || !s.blinded) return text;
  const img = s.images.find((i) => i.id === id);
  return redactNames(text, img ? namesOf(img) : [], selectBlindCodes(s).get(id) ?? UNKNOWN_CODE);
};

function reverseGroups(rows: readonly BatchRow[]): BatchRow[] {
  const groups: BatchRow[][] = [];
  for (const r of rows) (r.detail && groups.length ? groups[groups.length - 1]! : (groups[groups.length] = [])).push(r);
  return groups.reverse().flat();
}
