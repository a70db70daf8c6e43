/** The project store: project folders with images by relative path + SHA-256, regions, results, autosave. */
export * from './store.js';
export { createAutosaver, type Autosaver, type AutosaverOptions, type AutosaveTarget } from './autosave.js';
export { PROJECT_INVALID_CODE, PROJECT_TOO_NEW_CODE } from './codes.js';
export { acquireLock, DEFAULT_STALE_AFTER_MS, type LockInfo, type ProjectLock } from './lock.js';
export type { Migration, VersionedKind } from './migrate.js';
export {
  IMAGE_ID_PATTERN, PROJECT_FORMAT, PROJECT_KIND, PROJECT_MIGRATIONS, PROJECT_SCHEMA_VERSION, isImageId,
  type ImageRecord, type ProjectDoc, type RegionResultRow, type StoredResult, type StoredRoi,
} from './schema.js';
