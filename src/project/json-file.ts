/**
 * Reading and writing the project's JSON documents. Writes are atomic with the previous version kept
 * as `<name>.bak`. Reads are bounded in size, refuse links and special files, and fall back to `.bak`
 * when the main file is missing or damaged, saying so in a warning; the damaged file is kept aside as
 * `<name>.corrupt-<time>` and the main file restored from the backup, so the next save cannot turn
 * the good backup into a copy of the damaged file.
 */
import { lstat, open, rename } from 'node:fs/promises';
import path from 'node:path';
import { AppError } from '../common/errors.js';
import { writeFileAtomic } from '../io/atomic-write.js';
import { PROJECT_INVALID_CODE } from './codes.js';
import type { ParseOutcome } from './migrate.js';

export type Parser<T> = (doc: unknown, source: string) => ParseOutcome<T>;

/** What was read: `value` is null when neither the file nor its backup exists. */
export interface ReadResult<T> {
  readonly value: T | null;
  readonly fromVersion: number | null;
  /** The text actually parsed (to keep an exact copy of an old version before upgrading it). */
  readonly text: string | null;
  readonly usedBackup: boolean;
  readonly warnings: readonly string[];
}

type Attempt<T> =
  | { readonly kind: 'missing' }
  | { readonly kind: 'bad'; readonly reason: string }
  | { readonly kind: 'too-new'; readonly error: AppError }
  | { readonly kind: 'ok'; readonly value: T; readonly fromVersion: number; readonly text: string };

const mb = (n: number): string => (n < 1024 * 1024 ? `${Math.ceil(n / 1024)} KB` : `${Math.round(n / (1024 * 1024))} MB`);

/** Reads a regular file of at most `maxBytes` as UTF-8; 'missing' / 'bad' instead of throwing. */
async function readBounded(filePath: string, maxBytes: number): Promise<{ text: string } | { missing: true } | { bad: string }> {
  const st = await lstat(filePath).catch((e: NodeJS.ErrnoException) => (e.code === 'ENOENT' ? null : e));
  if (st === null) return { missing: true };
  if (st instanceof Error) return { bad: `cannot be read (${st.code ?? st.message})` };
  if (st.isSymbolicLink()) return { bad: 'is a link, which a project never contains' };
  if (!st.isFile()) return { bad: 'is not a regular file' };
  if (st.size > maxBytes) return { bad: `is larger than ${mb(maxBytes)} (${mb(st.size)})` };
  try {
    const fh = await open(filePath, 'r');
    try {
      const buf = Buffer.alloc(Math.min((await fh.stat()).size, maxBytes + 1));
      const { bytesRead } = await fh.read(buf, 0, buf.length, 0);
      if (bytesRead > maxBytes) return { bad: `is larger than ${mb(maxBytes)}` };
      return { text: buf.subarray(0, bytesRead).toString('utf8') };
    } finally {
      await fh.close();
    }
  } catch (e) {
    return { bad: `cannot be read (${(e as NodeJS.ErrnoException).code ?? String(e)})` };
  }
}

async function attempt<T>(filePath: string, maxBytes: number, parse: Parser<T>): Promise<Attempt<T>> {
  const r = await readBounded(filePath, maxBytes);
  if ('missing' in r) return { kind: 'missing' };
  if ('bad' in r) return { kind: 'bad', reason: r.bad };
  let doc: unknown;
  try {
    doc = JSON.parse(r.text);
  } catch (e) {
    return { kind: 'bad', reason: `is not valid JSON (${(e as Error).message})` };
  }
  const p = parse(doc, path.basename(filePath));
  if (p.ok) return { kind: 'ok', value: p.value, fromVersion: p.fromVersion, text: r.text };
  if (p.tooNew) return { kind: 'too-new', error: p.error };
  return { kind: 'bad', reason: `is damaged: ${p.error.userMessage}` };
}

function describe(a: Attempt<unknown>): string {
  return a.kind === 'bad' ? a.reason : a.kind === 'missing' ? 'is missing' : 'is unusable';
}

/** Moves a damaged file aside and restores the main file from the backup text (best effort). */
async function repairFromBackup(filePath: string, mainWasPresent: boolean, backupText: string): Promise<string> {
  let kept = '';
  if (mainWasPresent) {
    const aside = `${filePath}.corrupt-${new Date().toISOString().replace(/[:.]/g, '-')}`;
    const moved = await rename(filePath, aside).then(() => true, () => false);
    if (!moved) return '';
    kept = ` The damaged file was kept as “${path.basename(aside)}”.`;
  }
  await writeFileAtomic(filePath, backupText).catch(() => undefined);
  return kept;
}

/**
 * Reads a versioned JSON document with `.bak` fallback. Throws PROJECT_TOO_NEW_CODE when either copy
 * is newer than this app, and PROJECT_INVALID_CODE (naming the file) when both are damaged.
 */
export async function readDocument<T>(filePath: string, maxBytes: number, parse: Parser<T>): Promise<ReadResult<T>> {
  const main = await attempt(filePath, maxBytes, parse);
  if (main.kind === 'ok') return { value: main.value, fromVersion: main.fromVersion, text: main.text, usedBackup: false, warnings: [] };
  if (main.kind === 'too-new') throw main.error;
  const bak = await attempt(`${filePath}.bak`, maxBytes, parse);
  if (bak.kind === 'too-new') throw bak.error;
  if (bak.kind === 'ok') {
    const kept = await repairFromBackup(filePath, main.kind === 'bad', bak.text);
    const warning =
      `“${filePath}” ${describe(main)}; its previous version “${path.basename(filePath)}.bak” was used instead, ` +
      `so the most recent change to it may be lost.${kept}`;
    return { value: bak.value, fromVersion: bak.fromVersion, text: bak.text, usedBackup: true, warnings: [warning] };
  }
  if (main.kind === 'missing' && bak.kind === 'missing') {
    return { value: null, fromVersion: null, text: null, usedBackup: false, warnings: [] };
  }
  throw new AppError(
    PROJECT_INVALID_CODE,
    `“${filePath}” ${describe(main)}, and its backup “${path.basename(filePath)}.bak” ${describe(bak)}. ` +
      'Restore the project folder from a backup copy, or remove this file to start it afresh.',
  );
}

/**
 * Serialises `value` now (a snapshot: later changes by the caller do not leak into a queued write),
 * refusing more than `maxBytes` — the store never writes a file it would refuse to read.
 */
export function serializeDocument(name: string, value: unknown, maxBytes: number, pretty: boolean): string {
  const text = `${pretty ? JSON.stringify(value, null, 2) : JSON.stringify(value)}\n`;
  const size = Buffer.byteLength(text, 'utf8');
  if (size > maxBytes) {
    throw new AppError(
      'INPUT_INVALID',
      `“${name}” would be ${mb(size)}, more than the ${mb(maxBytes)} a project file may hold. ` +
        'Simplify the regions (fewer vertices) or split the work over more images.',
    );
  }
  return text;
}

/** Atomic write keeping the previous version as `<name>.bak`. */
export async function writeDocument(filePath: string, text: string): Promise<void> {
  await writeFileAtomic(filePath, text, { keepBackup: true });
}
