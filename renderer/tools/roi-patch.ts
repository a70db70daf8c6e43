/**
 * Undo entries: one ROI patch per finished gesture (STYLE §9). Applying a patch removes
 * `removed`, replaces each `updated.before` by its `after` (same id, same place) and appends
 * `added`; undo applies the inverse. Pure functions, no React or store.
 */
import type { Roi, RoiId } from '../../src/common/roi.js';

export interface RoiUpdate {
  readonly before: Roi;
  readonly after: Roi;
}

export interface RoiPatch {
  readonly added: readonly Roi[];
  readonly updated: readonly RoiUpdate[];
  readonly removed: readonly Roi[];
}

export const EMPTY_PATCH: RoiPatch = { added: [], updated: [], removed: [] };

export function isEmptyPatch(p: RoiPatch): boolean {
  return !p.added.length && !p.removed.length && p.updated.every((u) => u.before === u.after);
}

export function invertPatch(p: RoiPatch): RoiPatch {
  return { added: p.removed, removed: p.added, updated: p.updated.map((u) => ({ before: u.after, after: u.before })) };
}

/** The regions after the patch. Ids that are not there (a stale patch) are skipped, never duplicated. */
export function applyPatch(rois: readonly Roi[], p: RoiPatch): Roi[] {
  const gone = new Set<RoiId>(p.removed.map((r) => r.id));
  const next = new Map<RoiId, Roi>(p.updated.map((u) => [u.before.id, u.after]));
  const out = rois.filter((r) => !gone.has(r.id)).map((r) => next.get(r.id) ?? r);
  const have = new Set(out.map((r) => r.id));
  for (const r of p.added) if (!have.has(r.id)) out.push(r);
  return out;
}

/** The patch that turns `before` into `after` (by id); e.g. for an import that returns the whole list. */
export function diffRois(before: readonly Roi[], after: readonly Roi[]): RoiPatch {
  const old = new Map(before.map((r) => [r.id, r] as const));
  const now = new Map(after.map((r) => [r.id, r] as const));
  return {
    added: after.filter((r) => !old.has(r.id)),
    removed: before.filter((r) => !now.has(r.id)),
    updated: after.filter((r) => old.has(r.id) && old.get(r.id) !== r).map((r) => ({ before: old.get(r.id)!, after: r })),
  };
}

/** Undo / redo stacks of one image; the oldest entries fall off beyond `limit`. */
export interface RoiHistory {
  readonly undo: readonly RoiPatch[];
  readonly redo: readonly RoiPatch[];
}

export const EMPTY_HISTORY: RoiHistory = { undo: [], redo: [] };
/** At least 100 steps, as the issue asks; a few more cost nothing. */
export const HISTORY_LIMIT = 200;

export function recordPatch(h: RoiHistory, p: RoiPatch, limit = HISTORY_LIMIT): RoiHistory {
  if (isEmptyPatch(p)) return h;
  const undo = h.undo.length >= limit ? [...h.undo.slice(h.undo.length - limit + 1), p] : [...h.undo, p];
  return { undo, redo: [] };
}

/** The patch to apply for an undo (the inverse of the last gesture) and the history after it. */
export function takeUndo(h: RoiHistory): { patch: RoiPatch; history: RoiHistory } | null {
  const last = h.undo[h.undo.length - 1];
  if (!last) return null;
  return { patch: invertPatch(last), history: { undo: h.undo.slice(0, -1), redo: [...h.redo, last] } };
}

export function takeRedo(h: RoiHistory): { patch: RoiPatch; history: RoiHistory } | null {
  const last = h.redo[h.redo.length - 1];
  if (!last) return null;
  return { patch: last, history: { undo: [...h.undo, last], redo: h.redo.slice(0, -1) } };
}
