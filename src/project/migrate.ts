/**
 * Loading a versioned project document: parse → migrate stepwise → validate (the recipe-schema pattern).
 * Returns an outcome instead of throwing so that callers can tell "damaged" (fall back to `.bak`)
 * from "written by a newer Calciquant" (refuse: never downgrade or overwrite newer data).
 */
import type { z } from 'zod';
import { AppError } from '../common/errors.js';
import { PROJECT_INVALID_CODE, PROJECT_TOO_NEW_CODE } from './codes.js';

/** Turns a version-n document into version n+1. Frozen once released. */
export type Migration = (doc: Record<string, unknown>) => Record<string, unknown>;

export interface VersionedKind<T> {
  /** In messages: "project file", "region file", … */
  readonly label: string;
  /** Required value of `format`, when the document has one. */
  readonly format?: string;
  readonly currentVersion: number;
  readonly migrations: Readonly<Record<number, Migration>>;
  readonly schema: z.ZodType<T>;
}

export type ParseOutcome<T> =
  | { readonly ok: true; readonly value: T; readonly fromVersion: number }
  | { readonly ok: false; readonly tooNew: boolean; readonly error: AppError };

function invalid(kind: VersionedKind<unknown>, source: string, why: string): ParseOutcome<never> {
  return { ok: false, tooNew: false, error: new AppError(PROJECT_INVALID_CODE, `The ${kind.label} “${source}” ${why}`) };
}

function describeIssues(issues: readonly z.core.$ZodIssue[]): string {
  return issues
    .slice(0, 5)
    .map((i) => `${i.path.length ? i.path.map(String).join('.') : '(document)'}: ${i.message}`)
    .join('; ');
}

/** Migrates and validates a parsed JSON document. `source` names the file in messages. */
export function parseVersioned<T>(doc: unknown, kind: VersionedKind<T>, source: string): ParseOutcome<T> {
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) return invalid(kind, source, 'is not a JSON object.');
  let d = doc as Record<string, unknown>;
  if (kind.format !== undefined && d.format !== kind.format) {
    return invalid(kind, source, `is not a Calciquant ${kind.label} (its "format" must be "${kind.format}").`);
  }
  const v = d.schemaVersion;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) {
    return invalid(kind, source, 'has no valid "schemaVersion" (a whole number ≥ 1).');
  }
  if (v > kind.currentVersion) {
    const error = new AppError(
      PROJECT_TOO_NEW_CODE,
      `The ${kind.label} “${source}” was written by a newer Calciquant (schema ${v}; this version reads up to ` +
        `${kind.currentVersion}). Update Calciquant to open it; it was not changed.`,
    );
    return { ok: false, tooNew: true, error };
  }
  for (let n = v; n < kind.currentVersion; n++) {
    const m = kind.migrations[n];
    if (!m) {
      const error = new AppError('INTERNAL', `No migration from ${kind.label} schema ${n} to ${n + 1}. Please report this.`);
      return { ok: false, tooNew: false, error };
    }
    d = { ...m(d), schemaVersion: n + 1 };
  }
  const r = kind.schema.safeParse(d);
  if (!r.success) return invalid(kind, source, `is invalid — ${describeIssues(r.error.issues)}.`);
  return { ok: true, value: r.data, fromVersion: v };
}
