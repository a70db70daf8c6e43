/**
 * Derived values (never stored, STYLE §9). Selectors that build arrays or objects are memoized on
 * their inputs, so components get stable references and re-render only when the inputs change.
 */
import type { BatchRequest, ImageEntry, ImageId, PreviewRequest } from '../../src/common/api.js';
import type { ErrorInfo } from '../../src/common/errors.js';
import type { AppState } from './app-state.js';
import type { BatchRow } from './batch-slice.js';
import { blindCodes, blindOrder, groupsOfImage, wellMetaImages } from './metadata-model.js';
import { getParams, sameRecipe, validateDoc } from './recipe-model.js';
import { compareCells, resultCell } from './result-cells.js';
import { stainChoices, type StainModelChoice } from './stain-models.js';

/** Memoizes `combine` on the identity of what `inputs` picks from the state. */
export function memoSelector<I extends unknown[], R>(inputs: (s: AppState) => [...I], combine: (...args: I) => R): (s: AppState) => R {
  let last: unknown[] | null = null;
  let value: R;
  return (s) => {
    const args = inputs(s);
    if (!last || args.length !== last.length || args.some((a, i) => !Object.is(a, last![i]))) {
      value = combine(...(args as I));
      last = args;
    }
    return value;
  };
}

export type ImageStatus =
  | { readonly kind: 'not-run' }
  | { readonly kind: 'queued' }
  | { readonly kind: 'running' }
  | { readonly kind: 'done'; readonly pct: number | null }
  | { readonly kind: 'error'; readonly message: string; readonly code: string }
  | { readonly kind: 'cancelled'; readonly message: string };

const NOT_RUN: ImageStatus = { kind: 'not-run' };
const QUEUED: ImageStatus = { kind: 'queued' };
const RUNNING: ImageStatus = { kind: 'running' };

const statusOfRow = new WeakMap<BatchRow, ImageStatus>();
/** One status object per row, so unchanged library items keep their props and do not re-render. */
function rowStatus(row: BatchRow): ImageStatus {
  let st = statusOfRow.get(row);
  if (!st) statusOfRow.set(row, (st = computeRowStatus(row)));
  return st;
}

const statusOfImage = new WeakMap<ImageEntry, ImageStatus>();
function imageErrorStatus(img: ImageEntry): ImageStatus {
  let st = statusOfImage.get(img);
  if (!st) statusOfImage.set(img, (st = { kind: 'error', message: img.error?.userMessage ?? '', code: img.error?.code ?? 'INTERNAL' }));
  return st;
}

function computeRowStatus(row: BatchRow): ImageStatus {
  const r = row.result;
  if (r.status === 'ok') return { kind: 'done', pct: r.mineralPct };
  if (r.errorCode === 'CANCELLED') return { kind: 'cancelled', message: r.error ?? 'Cancelled.' };
  return { kind: 'error', message: r.error ?? 'Not analysed.', code: r.errorCode ?? 'INTERNAL' };
}

export const selectStatusMap = memoSelector(
  (s) => [s.images, s.batch, s.rows, s.latestByImage, s.appInfo?.workers ?? 1],
  (images, batch, rows, latest, workers): ReadonlyMap<ImageId, ImageStatus> => {
    const m = new Map<ImageId, ImageStatus>();
    for (const img of images) {
      const row = latest[img.id];
      m.set(img.id, img.error ? imageErrorStatus(img) : row ? rowStatus(row) : NOT_RUN);
    }
    if (batch && (batch.state === 'starting' || batch.state === 'running')) {
      const finished = new Set(rows.map((r) => r.imageId));
      let active = 0;
      for (const id of batch.imageIds) {
        if (finished.has(id) || !m.has(id)) continue;
        m.set(id, batch.cancelRequested || active++ >= workers ? QUEUED : RUNNING);
      }
    }
    return m;
  },
);

export const selectImageStatus = (id: ImageId) => (s: AppState): ImageStatus => selectStatusMap(s).get(id) ?? NOT_RUN;

const statusRank = (st: ImageStatus) => ({ error: 0, cancelled: 1, running: 2, queued: 3, 'not-run': 4, done: 5 })[st.kind];

/** Images whose well metadata (plate maps) counts for their groups in the library. */
export const selectWellMetaImages = memoSelector(
  (s) => [s.recipeDoc ? getParams(s.recipeDoc, 'reference.detect')?.kind === 'plate' : false, s.rows],
  (isPlate, rows) => wellMetaImages(isPlate, rows),
);

export const selectVisibleImages = memoSelector(
  (s) => [s.images, s.filterText, s.sortKey, s.sortDesc, selectStatusMap(s), s.metaByKey, s.groupFilter, s.blinded, s.blindSalt, selectWellMetaImages(s)],
  (images, filterText, sortKey, sortDesc, statuses, meta, groupFilter, blinded, salt, wellImages): readonly ImageEntry[] => {
    const q = filterText.trim().toLowerCase();
    // Blinded: neutral codes instead of names, a random but stable order, no group filter or sort.
    const codes = blinded ? blindCodes(salt, images.map((i) => i.id)) : null;
    const blindRank = codes ? new Map(blindOrder(salt, images).map((img, k) => [img.id, k] as const)) : null;
    const groups = (i: ImageEntry) => groupsOfImage(meta, i.id, wellImages);
    const matches = (i: ImageEntry) =>
      codes ? codes.get(i.id)!.toLowerCase().includes(q) : i.displayName.toLowerCase().includes(q) || groups(i).some((g) => g.toLowerCase().includes(q));
    const inGroup = (i: ImageEntry) => codes || groupFilter === null || (groupFilter === '' ? !groups(i).length : groups(i).includes(groupFilter));
    const shown = images.filter((i) => (!q || matches(i)) && inGroup(i));
    const pct = (i: ImageEntry) => {
      const st = statuses.get(i.id);
      return st?.kind === 'done' && st.pct !== null ? st.pct : -1;
    };
    const byName = blindRank
      ? (a: ImageEntry, b: ImageEntry) => blindRank.get(a.id)! - blindRank.get(b.id)!
      : (a: ImageEntry, b: ImageEntry) => a.displayName.localeCompare(b.displayName, undefined, { numeric: true });
    const byGroup = (a: ImageEntry, b: ImageEntry) => {
      const ga = groups(a)[0], gb = groups(b)[0];
      return ga === gb ? 0 : ga === undefined ? 1 : gb === undefined ? -1 : ga.localeCompare(gb, undefined, { numeric: true });
    };
    const cmp =
      sortKey === 'pct'
        ? (a: ImageEntry, b: ImageEntry) => pct(a) - pct(b) || byName(a, b)
        : sortKey === 'status'
          ? (a: ImageEntry, b: ImageEntry) => statusRank(statuses.get(a.id) ?? NOT_RUN) - statusRank(statuses.get(b.id) ?? NOT_RUN) || byName(a, b)
          : sortKey === 'group' && !codes
            ? (a: ImageEntry, b: ImageEntry) => byGroup(a, b) || byName(a, b)
            : byName;
    shown.sort((a, b) => (sortDesc ? -cmp(a, b) : cmp(a, b)));
    return shown;
  },
);

export const selectVisibleIds = memoSelector(
  (s) => [selectVisibleImages(s)],
  (images): readonly ImageId[] => images.map((i) => i.id),
);

export const selectCurrentImage = (s: AppState): ImageEntry | null => s.images.find((i) => i.id === s.currentId) ?? null;

export const selectRecipeError = memoSelector(
  (s) => [s.recipeDoc],
  (doc): ErrorInfo | null => (doc ? validateDoc(doc) : null),
);

export const selectIsRecipeModified = memoSelector(
  (s) => [s.recipeDoc, s.presetName, s.appInfo],
  (doc, presetName, info): boolean => {
    const preset = info?.presets.find((p) => p.name === presetName);
    return !!doc && !!preset && !sameRecipe(doc, preset.document);
  },
);

export type AnalysisOptions = Pick<BatchRequest, 'recipe' | 'regionPath' | 'pixelSizeUm'> & Pick<PreviewRequest, 'recipe'>;

/** What every preview and batch request carries: the recipe (a preset when unchanged) and overrides. */
export const selectAnalysisOptions = memoSelector(
  (s) => [s.recipeDoc, s.presetName, selectIsRecipeModified(s), s.recipeSource, s.regionPath, s.pixelSizeUm],
  (doc, presetName, modified, source, regionPath, pixelSizeUm): AnalysisOptions | null => {
    if (!doc) return null;
    const kind = getParams(doc, 'reference.detect')?.kind;
    return {
      recipe: presetName && !modified ? { preset: presetName } : { document: doc, source: source || 'recipe' },
      ...(kind === 'region' && regionPath ? { regionPath } : {}),
      ...(pixelSizeUm ? { pixelSizeUm } : {}),
    };
  },
);

export const selectSortedRows = memoSelector(
  (s) => [s.rows, s.resultsSort],
  (rows, sort): readonly BatchRow[] => {
    if (!sort.column) return rows;
    const col = sort.column;
    // Sort images; each image's region/well rows stay right under it.
    const groups: BatchRow[][] = [];
    for (const r of rows) (r.detail && groups.length ? groups[groups.length - 1]! : (groups[groups.length] = [])).push(r);
    groups.sort((a, b) => compareCells(resultCell(a[0]!.result, col), resultCell(b[0]!.result, col)));
    if (sort.desc) groups.reverse();
    return groups.flat();
  },
);

export const selectFailedRows = memoSelector(
  (s) => [s.rows],
  (rows): readonly BatchRow[] => rows.filter((r) => r.result.status === 'error' && !r.detail),
);

export const selectIsBatchRunning = (s: AppState) => !!s.batch && (s.batch.state === 'starting' || s.batch.state === 'running');

/** The overlay to draw on the current image: its preview, else the overlay of its last batch row. */
export const selectCurrentOverlay = (s: AppState): string | null => {
  if (!s.currentId) return null;
  if (s.preview?.imageId === s.currentId) return s.preview.overlayPath;
  return s.latestByImage[s.currentId]?.overlayPath ?? null;
};

const NO_STAIN_MODELS: readonly StainModelChoice[] = [];

/** The stain models the core offers (none until AppInfo is loaded). */
export const selectStainChoices = memoSelector(
  (s) => [s.appInfo?.stainModels],
  (models): readonly StainModelChoice[] => (models ? stainChoices(models) : NO_STAIN_MODELS),
);
