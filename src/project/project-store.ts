/**
 * ProjectStore: one open project folder, made by createProject / openProject (store.ts). Every
 * project.json change is written at once (atomically); region edits usually go through
 * createAutosaver (autosave.ts). Source images are only read, never written, moved or copied.
 */
import { rm } from 'node:fs/promises';
import path from 'node:path';
import type { ImageId } from '../common/api.js';
import { AppError, BugError, isAppErrorLike } from '../common/errors.js';
import type { Recipe } from '../common/recipe-schema.js';
import { writeFileAtomic } from '../io/atomic-write.js';
import {
  MAX_PROJECT_BYTES, readRecipes, readResults, readRois, writeRecipe, writeResult, writeRois,
  type DocContext, type Loaded, type ResultToSave,
} from './documents.js';
import {
  checkImage, describeImage, findImagesByHash, mapLimit, randomImageId, type ImageStatus, type NewImage,
  type RelinkSearchOptions, type VerifyMode,
} from './images.js';
import { serializeDocument, writeDocument } from './json-file.js';
import type { ProjectLock } from './lock.js';
import { assertImageId, cacheDirPath, imageDirPath, projectFilePath, resolveImagePath, toRelPath, PROJECT_FILE } from './paths.js';
import type { ImageRecord, ProjectDoc, StoredResult, StoredRoi } from './schema.js';
import { KeyedSerializer } from './serial.js';

export interface ProjectImage extends ImageRecord {
  readonly status: ImageStatus;
  /** Where relPath points now (read only). */
  readonly absPath: string;
}

export interface AddImagesResult {
  readonly added: readonly ProjectImage[];
  /** Already in the project (same content); a missing one is relinked to the given file. */
  readonly existing: readonly ProjectImage[];
  readonly skipped: readonly { readonly path: string; readonly code: string; readonly reason: string }[];
}

export interface RelinkResult {
  readonly relinked: readonly ProjectImage[];
  readonly stillMissing: readonly ImageId[];
}

/** Keeps an exact copy of an older project.json as `project.json.v<N>.bak` before the first save upgrades it. */
export interface PendingUpgrade {
  readonly fromVersion: number;
  readonly text: string;
}

export interface StoreInit {
  readonly dir: string;
  readonly realDir: string;
  readonly doc: ProjectDoc;
  readonly statuses: Map<ImageId, ImageStatus>;
  readonly lock: ProjectLock;
  readonly warnings: readonly string[];
  readonly upgrade: PendingUpgrade | null;
}

export class ProjectStore {
  /** Remarks from opening: backups used, schema upgrade pending, images not found. */
  readonly openWarnings: readonly string[];
  private doc: ProjectDoc;
  private readonly statuses: Map<ImageId, ImageStatus>;
  private readonly ctx: DocContext;
  private readonly lock: ProjectLock;
  private upgrade: PendingUpgrade | null;
  private closed = false;

  constructor(init: StoreInit) {
    this.doc = init.doc;
    this.statuses = init.statuses;
    this.lock = init.lock;
    this.upgrade = init.upgrade;
    this.openWarnings = init.warnings;
    this.ctx = { dir: init.dir, realDir: init.realDir, verifiedDirs: new Set(), writes: new KeyedSerializer() };
  }

  get dir(): string {
    return this.ctx.dir;
  }
  get name(): string {
    return this.doc.name;
  }
  /** A copy of project.json as it will be (or was last) written. */
  get document(): ProjectDoc {
    return structuredClone(this.doc);
  }
  /** Derived data (tiles, overlays, thumbnails): the app may write here; safe to delete. */
  get cacheDir(): string {
    return cacheDirPath(this.dir);
  }
  get settings(): Readonly<ProjectDoc['settings']> {
    return structuredClone(this.doc.settings);
  }

  images(): ProjectImage[] {
    return this.doc.images.map((r) => this.view(r));
  }

  image(id: ImageId): ProjectImage {
    return this.view(this.record(id));
  }

  /** Writes project.json now (stamping `modified`). */
  save(): Promise<void> {
    this.assertOpen();
    return this.ctx.writes.run(PROJECT_FILE, async () => {
      const doc: ProjectDoc = { ...this.doc, modified: new Date().toISOString() };
      const file = projectFilePath(this.dir);
      const text = serializeDocument(PROJECT_FILE, doc, MAX_PROJECT_BYTES, true);
      if (this.upgrade) {
        const bak = `${file}.v${this.upgrade.fromVersion}.bak`;
        await writeFileAtomic(bak, this.upgrade.text);
        this.upgrade = null;
      }
      await writeDocument(file, text);
      this.doc = { ...this.doc, modified: doc.modified };
    });
  }

  /** Adds image files from anywhere (relPath may start with `../`); one bad file never stops the rest. */
  async addImages(inputs: readonly (string | NewImage)[]): Promise<AddImagesResult> {
    this.assertOpen();
    const items = inputs.map((x) => (typeof x === 'string' ? { path: x } : x));
    const described = await mapLimit(items, 4, async (img) => {
      try {
        return { img, rec: await describeImage(this.dir, img) };
      } catch (e) {
        const a = isAppErrorLike(e) ? e : { code: 'INTERNAL', userMessage: String(e) };
        return { img, skip: { path: img.path, code: a.code, reason: a.userMessage } };
      }
    });
    return this.mutate(() => this.insertImages(described));
  }

  private insertImages(described: readonly { rec?: ImageRecord; skip?: AddImagesResult['skipped'][number] }[]): AddImagesResult {
    const added: ProjectImage[] = [];
    const existing: ProjectImage[] = [];
    const skipped: AddImagesResult['skipped'][number][] = [];
    for (const d of described) {
      if (!d.rec) {
        if (d.skip) skipped.push(d.skip);
        continue;
      }
      const same = this.doc.images.find((r) => r.sha256 === d.rec!.sha256);
      if (same) {
        if (this.statuses.get(same.id) !== 'ok') this.relink(same.id, d.rec.relPath);
        existing.push(this.image(same.id));
        continue;
      }
      let rec = d.rec;
      if (this.doc.images.some((r) => r.id === rec.id)) rec = { ...rec, id: randomImageId(this.doc.images) };
      this.doc.images.push(rec);
      this.statuses.set(rec.id, 'ok');
      added.push(this.view(rec));
    }
    return { added, existing, skipped };
  }

  /**
   * Removes images from the project. Their regions and results stay in `images/<id>/` (adding the same
   * image again brings them back) unless `deleteData` is set.
   */
  async removeImages(ids: readonly ImageId[], o: { deleteData?: boolean } = {}): Promise<void> {
    ids.forEach((id) => assertImageId(id));
    const gone = new Set<string>(ids);
    await this.mutate(() => {
      this.doc.images = this.doc.images.filter((r) => !gone.has(r.id));
      for (const id of ids) this.statuses.delete(id);
    });
    if (o.deleteData === true) {
      for (const id of ids) {
        const dir = imageDirPath(this.dir, id);
        await this.ctx.writes.run(dir, () => rm(dir, { recursive: true, force: true }));
      }
    }
  }

  /** Searches `folder` (recursively) for the content of missing or changed images and points them there. */
  async relinkImages(folder: string, o: RelinkSearchOptions = {}): Promise<RelinkResult> {
    this.assertOpen();
    const wanted = this.doc.images.filter((r) => this.statuses.get(r.id) !== 'ok');
    const found = await findImagesByHash(folder, wanted, o);
    return this.mutate(() => {
      const relinked: ProjectImage[] = [];
      for (const [id, abs] of found) {
        if (!this.statuses.has(id)) continue; // removed meanwhile
        this.relink(id, toRelPath(this.dir, abs));
        relinked.push(this.image(id));
      }
      const stillMissing = this.doc.images.filter((r) => this.statuses.get(r.id) !== 'ok').map((r) => r.id);
      return { relinked, stillMissing };
    });
  }

  /** Checks the images again (e.g. after the user plugged in a drive). */
  async verifyImages(mode: VerifyMode = 'hash'): Promise<ProjectImage[]> {
    this.assertOpen();
    const recs = [...this.doc.images];
    const statuses = await mapLimit(recs, 4, (r) => checkImage(this.dir, r, mode));
    recs.forEach((r, i) => this.statuses.has(r.id) && this.statuses.set(r.id, statuses[i]!));
    return this.images();
  }

  /** Merges `patch` into the settings (a key set to null is removed) and saves. */
  async updateSettings(patch: Readonly<ProjectDoc['settings']>): Promise<void> {
    await this.mutate(() => {
      const next = { ...this.doc.settings };
      for (const [k, v] of Object.entries(structuredClone(patch))) {
        if (v === null) delete next[k];
        else next[k] = v;
      }
      this.doc.settings = next;
    });
  }

  /** Replaces an image's metadata record (sample type, group, animal… and per-well values); null clears it. */
  async setImageMetadata(id: ImageId, metadata: ImageRecord['metadata'] | null): Promise<void> {
    this.record(id);
    await this.mutate(() => {
      this.doc.images = this.doc.images.map((r) => {
        if (r.id !== id) return r;
        const { metadata: _old, ...rest } = r;
        return metadata ? { ...rest, metadata: structuredClone(metadata) } : rest;
      });
    });
  }

  async saveRois(id: ImageId, rois: readonly StoredRoi[]): Promise<void> {
    this.assertOpen();
    this.record(id);
    await writeRois(this.ctx, id, rois);
  }

  async loadRois(id: ImageId): Promise<Loaded<StoredRoi[]>> {
    this.assertOpen();
    this.record(id);
    return readRois(this.ctx, id);
  }

  async saveResult(id: ImageId, recipeId: string, r: ResultToSave): Promise<void> {
    this.assertOpen();
    this.record(id);
    await writeResult(this.ctx, id, recipeId, r);
  }

  /** Results of every image in the project (damaged files skipped with a warning). */
  async loadResults(): Promise<Loaded<StoredResult[]>> {
    this.assertOpen();
    return readResults(this.ctx, this.doc.images.map((r) => r.id));
  }

  /** Validates a recipe, writes `recipes/<id>.json` and lists it in project.json. */
  async saveRecipe(doc: unknown): Promise<Recipe> {
    this.assertOpen();
    const id = (doc as { id?: unknown } | null)?.id;
    const clash = this.doc.recipes.find((r) => typeof id === 'string' && r !== id && r.toLowerCase() === id.toLowerCase());
    if (clash) throw new AppError('INPUT_INVALID', `Recipe id “${String(id)}” differs from “${clash}” only in capitals; choose another id.`);
    const recipe = await writeRecipe(this.ctx, doc);
    if (!this.doc.recipes.includes(recipe.id)) await this.mutate(() => void this.doc.recipes.push(recipe.id));
    return recipe;
  }

  async loadRecipes(): Promise<Loaded<Recipe[]>> {
    this.assertOpen();
    return readRecipes(this.ctx, this.doc.recipes);
  }

  /** Waits for queued writes, then releases the lock. Dispose an autosaver first. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    try {
      await this.ctx.writes.idle();
    } finally {
      await this.lock.release();
    }
  }

  // -------------------------------------------------------------------------------------------

  /** Runs a change of project.json (one at a time) and saves it. */
  private async mutate<T>(change: () => T): Promise<T> {
    this.assertOpen();
    const out = await this.ctx.writes.run('project-doc', async () => change());
    await this.save();
    return out;
  }

  private relink(id: ImageId, relPath: string): void {
    this.doc.images = this.doc.images.map((r) => (r.id === id ? { ...r, relPath } : r));
    this.statuses.set(id, 'ok');
  }

  private record(id: ImageId): ImageRecord {
    assertImageId(id);
    const rec = this.doc.images.find((r) => r.id === id);
    if (!rec) throw new AppError('INPUT_INVALID', `The image “${id}” is not part of the project “${this.doc.name}”.`);
    return rec;
  }

  private view(r: ImageRecord): ProjectImage {
    return { ...structuredClone(r), status: this.statuses.get(r.id) ?? 'missing', absPath: resolveImagePath(this.dir, r.relPath) };
  }

  private assertOpen(): void {
    if (this.closed) throw new BugError(`project store “${path.basename(this.dir)}” used after close()`);
  }
}

