/**
 * Crash-safe file writes (STYLE §8): data goes to a uniquely named temp file in the target's own
 * folder, is fsync'ed, then renamed over the target, so a reader (or a crash) sees either the old
 * or the new file, never a half-written one. Every failure becomes `OUTPUT_UNWRITABLE` with a
 * message that names the path and says what to do.
 */
import { randomBytes } from 'node:crypto';
import { link, mkdir, open, rename, rm, stat, copyFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { AppError } from '../common/errors.js';

export interface AtomicWriteOptions {
  /** Keep the previous version of the target as `<name>.bak` (only when a previous version exists). */
  readonly keepBackup?: boolean;
}

/** Writes `data` to `filePath` atomically (temp file → fsync → rename → fsync folder). */
export async function writeFileAtomic(
  filePath: string,
  data: string | Uint8Array,
  o: AtomicWriteOptions = {},
): Promise<void> {
  const dir = dirname(filePath);
  const tmpPath = join(dir, uniqueHiddenName(basename(filePath), 'tmp'));
  try {
    const mode = await existingModeOrUndefined(filePath);
    await writeAndSync(tmpPath, data, mode);
    if (o.keepBackup === true && mode !== undefined) await replaceBackup(filePath);
    await rename(tmpPath, filePath);
  } catch (e) {
    await rm(tmpPath, { force: true }).catch(() => undefined);
    throw unwritableError(filePath, e);
  }
  await syncDirBestEffort(dir);
}

/**
 * Creates `dir` (with parents) if needed and proves it is writable by creating and removing a
 * probe file. Throws `OUTPUT_UNWRITABLE` when it is a file, cannot be created or is read-only.
 */
export async function ensureWritableDir(dir: string): Promise<void> {
  const existing = await stat(dir).catch(() => null);
  if (existing !== null && !existing.isDirectory()) {
    throw new AppError(
      'OUTPUT_UNWRITABLE',
      `The output folder “${dir}” exists but is a file, not a folder. Choose another output folder or rename that file.`,
    );
  }
  try {
    await mkdir(dir, { recursive: true });
  } catch (e) {
    throw unwritableError(dir, e, 'create the output folder');
  }
  const probePath = join(dir, uniqueHiddenName('calciquant-write-test', 'probe'));
  try {
    await writeAndSync(probePath, 'ok', undefined);
  } catch (e) {
    throw unwritableError(dir, e, 'write into the output folder');
  } finally {
    await rm(probePath, { force: true }).catch(() => undefined);
  }
}

/** `.name.<pid>-<random>.<suffix>` — hidden, unique per process and call, same folder as the target. */
function uniqueHiddenName(name: string, suffix: string): string {
  return `.${name}.${process.pid}-${randomBytes(6).toString('hex')}.${suffix}`;
}

async function existingModeOrUndefined(filePath: string): Promise<number | undefined> {
  const s = await stat(filePath).catch(() => null);
  return s?.isFile() === true ? s.mode & 0o777 : undefined;
}

/** Creates `path` exclusively (never follows or reuses an existing file), writes and fsyncs it. */
async function writeAndSync(path: string, data: string | Uint8Array, mode: number | undefined): Promise<void> {
  const fh = await open(path, 'wx', mode ?? 0o666);
  try {
    await fh.writeFile(data);
    await fh.sync();
  } finally {
    await fh.close();
  }
}

/**
 * Points `<name>.bak` at the current target: hard link (no copy, old inode survives the rename),
 * falling back to a copy on file systems without hard links; swapped in by rename so an existing
 * `.bak` is never lost half-way.
 */
async function replaceBackup(filePath: string): Promise<void> {
  const bakPath = `${filePath}.bak`;
  const bakTmpPath = join(dirname(filePath), uniqueHiddenName(basename(bakPath), 'tmp'));
  try {
    await link(filePath, bakTmpPath).catch(() => copyFile(filePath, bakTmpPath));
    await rename(bakTmpPath, bakPath);
  } catch (e) {
    await rm(bakTmpPath, { force: true }).catch(() => undefined);
    throw e;
  }
}

/** fsync of a folder makes the rename durable on POSIX; Windows cannot open folders, so ignore. */
async function syncDirBestEffort(dir: string): Promise<void> {
  try {
    const fh = await open(dir, 'r');
    try {
      await fh.sync();
    } finally {
      await fh.close();
    }
  } catch {
    // not supported here (Windows, some network file systems): the rename itself already happened
  }
}

function errnoCode(e: unknown): string | undefined {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** Plain-words reason for the common errno codes. */
function reasonFor(code: string | undefined): string {
  switch (code) {
    case 'ENOSPC':
    case 'EDQUOT':
      return 'the disk is full';
    case 'EACCES':
    case 'EPERM':
      return 'you do not have permission to write there';
    case 'EROFS':
      return 'the drive is read-only';
    case 'ENOENT':
      return 'the folder does not exist';
    case 'ENOTDIR':
      return 'part of the path is a file, not a folder';
    case 'EISDIR':
      return 'a folder with that name is in the way';
    case 'EBUSY':
    case 'ETXTBSY':
      return 'the file is open in another program';
    default:
      return 'the system refused the write';
  }
}

function unwritableError(path: string, e: unknown, what = 'save'): AppError {
  const code = errnoCode(e);
  const target = what === 'save' ? `save “${path}”` : `${what} “${path}”`;
  return new AppError(
    'OUTPUT_UNWRITABLE',
    `Could not ${target}: ${reasonFor(code)}. Choose another output folder, check that you may write ` +
      'there and that the disk is not full, and close programs that have the file open.',
    { detail: `${code ?? 'error'} while writing ${path}: ${e instanceof Error ? e.message : String(e)}`, cause: e },
  );
}
