/**
 * The project store (STYLE §8): a project is a folder, e.g. `MyStudy.calciquant/`, held under its
 * `.lock` from open to close().
 *
 *   const store = await openProject('/data/MyStudy.calciquant');     // or createProject(dir, name)
 *   store.images()                    // records + status 'ok' | 'missing' | 'changed'
 *   await store.relinkImages('/new/place/of/the/images');
 *   await store.saveRois(id, rois);   // atomic, previous version kept as .bak
 *   await store.close();
 */
import { lstat, mkdir, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { AppError } from '../common/errors.js';
import { removeStrayFiles } from './cleanup.js';
import { PROJECT_INVALID_CODE } from './codes.js';
import { MAX_PROJECT_BYTES } from './documents.js';
import { checkImages, type VerifyMode } from './images.js';
import { readDocument } from './json-file.js';
import { acquireLock, type ProjectLock } from './lock.js';
import { parseVersioned, type VersionedKind } from './migrate.js';
import { CACHE_DIR, IMAGES_DIR, PROJECT_FILE, RECIPES_DIR, projectFilePath } from './paths.js';
import { ProjectStore, type PendingUpgrade } from './project-store.js';
import { PROJECT_FORMAT, PROJECT_KIND, type ProjectDoc } from './schema.js';

export { ProjectStore } from './project-store.js';
export type { AddImagesResult, ProjectImage, RelinkResult } from './project-store.js';
export type { Loaded, ResultToSave } from './documents.js';
export type { ImageStatus, NewImage, RelinkSearchOptions, VerifyMode } from './images.js';

export interface OpenOptions {
  /** How images are checked on open: 'hash' (default, reads every image) or 'size' (fast). */
  readonly verify?: VerifyMode;
  /** A lock untouched for this long is taken over (default 12 h). */
  readonly staleLockAfterMs?: number;
  /** Tests only: another current version / migrations for project.json. */
  readonly projectKind?: VersionedKind<ProjectDoc>;
}

const exists = (p: string): Promise<boolean> => lstat(p).then(() => true, () => false);

function unwritable(dir: string, e: unknown): AppError {
  return new AppError(
    'OUTPUT_UNWRITABLE',
    `The project folder “${dir}” could not be created (${(e as NodeJS.ErrnoException).code ?? 'error'}). ` +
      'Choose a folder you may write to.',
    { cause: e },
  );
}

async function ensureLayout(dir: string): Promise<void> {
  for (const sub of [RECIPES_DIR, IMAGES_DIR, CACHE_DIR]) {
    await mkdir(path.join(dir, sub), { recursive: true }).catch((e: unknown) => {
      throw unwritable(path.join(dir, sub), e);
    });
  }
}

async function hasProjectFile(dir: string): Promise<boolean> {
  const file = projectFilePath(dir);
  return (await exists(file)) || (await exists(`${file}.bak`));
}

/** Creates a new, empty project in `dir` (created if needed; it must not hold a project already). */
export async function createProject(dir: string, name: string, o: OpenOptions = {}): Promise<ProjectStore> {
  const projectName = name.trim();
  if (projectName.length === 0 || projectName.length > 200) {
    throw new AppError('INPUT_INVALID', 'A project name must have 1 to 200 characters.');
  }
  const abs = path.resolve(dir);
  await mkdir(abs, { recursive: true }).catch((e: unknown) => {
    throw unwritable(abs, e);
  });
  const alreadyProject = (): AppError =>
    new AppError('INPUT_INVALID', `The folder “${abs}” already holds a Calciquant project. Open it instead, or choose another folder.`);
  if (await hasProjectFile(abs)) throw alreadyProject();
  const lock = await acquireLock(abs, projectName, { staleAfterMs: o.staleLockAfterMs });
  try {
    if (await hasProjectFile(abs)) throw alreadyProject();
    await ensureLayout(abs);
    const now = new Date().toISOString();
    const doc: ProjectDoc = {
      format: PROJECT_FORMAT,
      schemaVersion: (o.projectKind ?? PROJECT_KIND).currentVersion,
      name: projectName,
      created: now,
      modified: now,
      images: [],
      recipes: [],
      settings: {},
    };
    const store = new ProjectStore({
      dir: abs, realDir: await realpath(abs), doc, statuses: new Map(), lock, warnings: [], upgrade: null,
    });
    await store.save();
    return store;
  } catch (e) {
    await lock.release();
    throw e;
  }
}

/** The project folder for what the user chose: the folder itself, or its project.json. */
async function resolveProjectDir(dirOrFile: string): Promise<string> {
  const abs = path.resolve(dirOrFile);
  const st = await stat(abs).catch(() => null);
  if (st === null) throw new AppError(PROJECT_INVALID_CODE, `The project folder “${abs}” does not exist. Was it moved or renamed?`);
  const dir = st.isFile() && path.basename(abs) === PROJECT_FILE ? path.dirname(abs) : abs;
  if (!(await stat(dir)).isDirectory() || !(await hasProjectFile(dir))) {
    throw new AppError(
      PROJECT_INVALID_CODE,
      `“${abs}” is not a Calciquant project: it has no ${PROJECT_FILE}. Choose the project folder, or create a new project.`,
    );
  }
  return dir;
}

async function loadDocument(dir: string, kind: VersionedKind<ProjectDoc>) {
  const read = await readDocument(projectFilePath(dir), MAX_PROJECT_BYTES, (d, s) => parseVersioned(d, kind, s));
  if (read.value === null || read.fromVersion === null || read.text === null) {
    throw new AppError(PROJECT_INVALID_CODE, `“${dir}” has no ${PROJECT_FILE} any more. Choose the project folder again.`);
  }
  const warnings = [...read.warnings];
  let upgrade: PendingUpgrade | null = null;
  if (read.fromVersion < kind.currentVersion) {
    upgrade = { fromVersion: read.fromVersion, text: read.text };
    warnings.push(
      `This project was saved by an older Calciquant (schema ${read.fromVersion}). It will be upgraded when it is ` +
        `next saved; the original is then kept as “${PROJECT_FILE}.v${read.fromVersion}.bak”.`,
    );
  }
  return { doc: read.value, upgrade, warnings };
}

/**
 * Opens a project: takes its lock, removes temp files left by an interrupted save, reads project.json
 * (falling back to its `.bak`), migrates an older one in memory and checks every image by relPath
 * and SHA-256 (missing / changed ones are flagged, not fatal).
 */
export async function openProject(dirOrFile: string, o: OpenOptions = {}): Promise<ProjectStore> {
  const dir = await resolveProjectDir(dirOrFile);
  const lock: ProjectLock = await acquireLock(dir, path.basename(dir), { staleAfterMs: o.staleLockAfterMs });
  try {
    await removeStrayFiles(dir);
    const { doc, upgrade, warnings } = await loadDocument(dir, o.projectKind ?? PROJECT_KIND);
    const statuses = await checkImages(dir, doc.images, o.verify ?? 'hash');
    const notFound = doc.images.filter((r) => statuses.get(r.id) !== 'ok').length;
    if (notFound > 0) {
      warnings.push(`${notFound} of ${doc.images.length} images were not found or have changed. Use “Locate images…” to find them.`);
    }
    await ensureLayout(dir);
    return new ProjectStore({ dir, realDir: await realpath(dir), doc, statuses, lock, warnings, upgrade });
  } catch (e) {
    await lock.release();
    throw e;
  }
}
