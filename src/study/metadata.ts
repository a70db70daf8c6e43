/**
 * Sample metadata (issue 5): types, sample sheets, file-name patterns, and applying them to the
 * images / wells of a study. No Node imports: usable in any host.
 *
 * Precedence, field by field: file-name pattern < sample sheet < values set by hand.
 * Within a sheet: a file-only row < a well-only row < a row with both file and well.
 */
import type { SampleMeta, SampleMetaField } from '../common/sample-meta.js';
import { SAMPLE_META_FIELDS, baseName, mergeMeta, normalizeSampleType, stemName } from '../common/sample-meta.js';
import type { SampleSheet, SampleSheetRow } from './sample-sheet.js';
import type { FileNamePattern } from './file-pattern.js';
import { compileFileNamePattern, parseFileNamePattern } from './file-pattern.js';

export * from '../common/sample-meta.js';
export * from './sample-sheet.js';
export * from './file-pattern.js';

/** What metadata is looked up for: an image, or one well of it. */
export interface MetaTarget {
  /** Image path or display name, as in ImageResult.image. */
  readonly image: string;
  readonly well?: string | null;
}

/** Key of a target in maps of hand-set metadata: `image`, or `image#A1` for a well. */
export function metaKey(target: MetaTarget): string {
  return target.well == null ? target.image : `${target.image}#${target.well}`;
}

export interface MetadataSources {
  readonly pattern?: string | FileNamePattern;
  readonly sheet?: SampleSheet;
  /** Set by hand (UI), keyed by metaKey(); wins over everything else. An image's entry also applies to its wells. */
  readonly manual?: ReadonlyMap<string, SampleMeta>;
}

export interface AppliedMetadata {
  /** Per target, in the order given. */
  readonly meta: readonly SampleMeta[];
  /** Per target, the well the file-name pattern found (`{well}`), else the target's own well. */
  readonly wells: readonly (string | null)[];
  /** Sheet rows that matched no target (a typo in a file name or well id?). */
  readonly unusedSheetRows: readonly SampleSheetRow[];
  /** Images whose name did not match the pattern, with the reason. */
  readonly unmatchedNames: readonly { readonly image: string; readonly reason: string }[];
}

/** Metadata of every target from a pattern, a sample sheet and hand-set values. */
export function applyMetadata(targets: readonly MetaTarget[], sources: MetadataSources): AppliedMetadata {
  const pattern = typeof sources.pattern === 'string' ? compileFileNamePattern(sources.pattern) : sources.pattern;
  const usedRows = new Set<SampleSheetRow>();
  const unmatchedNames: { image: string; reason: string }[] = [];
  const meta: SampleMeta[] = [];
  const wells: (string | null)[] = [];
  for (const target of targets) {
    let fromName: SampleMeta | null = null;
    let well = target.well ?? null;
    if (pattern !== undefined) {
      const m = parseFileNamePattern(pattern, target.image);
      if (m.ok) {
        fromName = m.meta;
        well ??= m.well;
      } else if (!unmatchedNames.some((u) => u.image === target.image)) {
        unmatchedNames.push({ image: target.image, reason: m.reason });
      }
    }
    const rows = sources.sheet === undefined ? [] : sheetRowsFor(sources.sheet, target.image, well);
    rows.forEach((r) => usedRows.add(r));
    const byHand = [sources.manual?.get(target.image), target.well == null ? null : sources.manual?.get(metaKey(target))];
    meta.push(mergeMeta(fromName, ...rows.map((r) => r.meta), ...byHand));
    wells.push(well);
  }
  const unusedSheetRows = sources.sheet?.rows.filter((r) => !usedRows.has(r)) ?? [];
  return { meta, wells, unusedSheetRows, unmatchedNames };
}

/**
 * Sheet rows that apply to `image` (and its `well`), least specific first: file-only rows, then
 * well-only rows, then rows naming both.
 */
export function sheetRowsFor(sheet: SampleSheet, image: string, well: string | null, region: string | null = null): SampleSheetRow[] {
  const specificity = (r: SampleSheetRow): number => {
    if (r.file !== null && !fileMatches(r.file, image)) return -1;
    if (r.well !== null && r.well !== well) return -1;
    if (r.region !== null && r.region !== region) return -1;
    const part = r.well !== null || r.region !== null;
    return !part ? 0 : r.file === null ? 1 : 2;
  };
  return sheet.rows
    .map((r) => ({ r, s: specificity(r) }))
    .filter((x) => x.s >= 0)
    .sort((a, b) => a.s - b.s)
    .map((x) => x.r);
}

/** A sheet's file cell names `image` when it is the same path, a trailing part of it, its file name or that name without extension. */
export function fileMatches(sheetFile: string, image: string): boolean {
  const a = sheetFile.replace(/\\/g, '/');
  const b = image.replace(/\\/g, '/');
  if (a === b || b.endsWith(`/${a}`)) return true;
  const name = baseName(b);
  return a === name || a === stemName(name);
}

/** A field edit for many targets at once: a string sets it, null clears it, absent leaves it. */
export type MetaPatch = { readonly [F in SampleMetaField]?: string | null };

/**
 * Returns a new map with `patch` applied to each key (hand-set metadata, UI "set for selected").
 * An unknown sample type is rejected (returns null) so the UI can say so.
 */
export function assignMeta(
  current: ReadonlyMap<string, SampleMeta>,
  keys: readonly string[],
  patch: MetaPatch,
): Map<string, SampleMeta> | null {
  const clean: Record<string, string | null> = {};
  for (const field of SAMPLE_META_FIELDS) {
    const v = patch[field];
    if (v === undefined) continue;
    const trimmed = v === null ? '' : v.trim();
    if (field === 'sampleType' && trimmed !== '') {
      const type = normalizeSampleType(trimmed);
      if (type === null) return null;
      clean[field] = type;
    } else clean[field] = trimmed === '' ? null : trimmed;
  }
  const next = new Map(current);
  for (const key of keys) {
    const merged: Record<string, unknown> = { ...(current.get(key) ?? {}) };
    for (const [field, v] of Object.entries(clean)) {
      if (v === null) delete merged[field];
      else merged[field] = v;
    }
    next.set(key, merged as SampleMeta);
  }
  return next;
}
